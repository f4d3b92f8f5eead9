"""Editors record which recommendations repeat or replace earlier ones, as they edit
recommendations; Trainers may read the links.

Frozen like 0041: a later change to who may do what is a new migration.
"""

from django.db import migrations

CRUD = ("add", "change", "delete", "view")
GROUP_PERMISSIONS = {
    "Editor": [f"{action}_recommendationlink" for action in CRUD],
    "Trainer": ["view_recommendationlink"],
}


def ensure_permissions(apps):
    """Permissions are normally created after all migrations have run; the
    groups need them now, on a fresh database too."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def _group_permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for name, codenames in GROUP_PERMISSIONS.items():
        permissions = Permission.objects.filter(content_type__app_label="reviews", codename__in=codenames)
        for group in Group.objects.filter(name=name):
            yield group, permissions


def assign(apps):
    """Give the groups the permissions, given they exist. Also used by the tests,
    after a transactional test's flush has the groups re-created."""
    for group, permissions in _group_permissions(apps):
        group.permissions.add(*permissions)


def grant(apps, schema_editor):
    ensure_permissions(apps)
    assign(apps)


def revoke(apps, schema_editor):
    for group, permissions in _group_permissions(apps):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0090_recommendation_links"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]

"""Editors write, publish and delete themes' guides (the overview and practice
points at the top of a theme's page, each citing the entries it rests on), as
they manage themes; Trainers read them.

Frozen like 0032: a later change to who may do what is a new migration.
"""

from django.db import migrations

CRUD = ("add", "change", "delete", "view")
GUIDE_MODELS = ("themeguide", "guideclaim")
GROUP_PERMISSIONS = {
    "Editor": [f"{action}_{model}" for model in GUIDE_MODELS for action in CRUD],
    "Trainer": [f"view_{model}" for model in GUIDE_MODELS],
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
        ("reviews", "0050_theme_guides"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]

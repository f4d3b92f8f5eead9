"""Trainers may no longer add, change or delete reflection questions.

The questions are printed on every public 7-minute briefing as the knowledge
base's own prompts: editorial content, set by Editors (who keep all four
permissions from 0005). Trainers keep ``view_reflectionquestion``, so they
still see which questions their briefings will print.

Frozen like 0004 and 0005: a later change to who may do what is a new migration.
"""

from django.db import migrations

REVOKED = {"Trainer": ["add_reflectionquestion", "change_reflectionquestion", "delete_reflectionquestion"]}


def _group_permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for name, codenames in REVOKED.items():
        permissions = Permission.objects.filter(content_type__app_label="reviews", codename__in=codenames)
        for group in Group.objects.filter(name=name):
            yield group, permissions


def revoke(apps, schema_editor=None):
    """Also used by the tests, after a transactional test's flush has the groups re-created."""
    for group, permissions in _group_permissions(apps):
        group.permissions.remove(*permissions)


def restore(apps, schema_editor):
    for group, permissions in _group_permissions(apps):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0015_course_pack_steps_public_only"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(revoke, restore)]

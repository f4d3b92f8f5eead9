"""The tag library (taggit's list of tags: rename, merge, delete) is for whoever
manages accounts, not for the Editor and Trainer groups.

Board staff add tags to a review in the review form's tags box, which needs no
permission on the tag library: it suggests the tags in use and creates new
ones as the review is saved. Cleaning the library up (merging two spellings,
deleting a tag from every review at once) changes every review that uses a tag,
so it goes with the other site-wide screens (accounts, sign-in lock-outs) to
superusers, or to anyone given the ``taggit`` permissions one by one.

Frozen like 0016: a later change to who may do what is a new migration.
"""

from django.db import migrations

REVOKED = {
    "Editor": ["add_tag", "change_tag", "delete_tag", "view_tag"],
    "Trainer": ["view_tag"],
}


def _group_permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for name, codenames in REVOKED.items():
        permissions = Permission.objects.filter(content_type__app_label="taggit", codename__in=codenames)
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
        ("reviews", "0024_plain_labels"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(revoke, restore)]

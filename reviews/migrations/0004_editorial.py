"""Schema changes for editorial admin, groups, slug history (issue 6).

- ``OldSlug``: slugs pages used to have, so old links answer 301.
- The ``reviews.publish_review`` permission and the groups board staff are
  put in: *Editor* (add, change and delete content, publish) and *Trainer*
  (reads content now; the course packs trainers will manage come later and add
  their own permissions to this group in their own migration).

The group definitions are frozen here, as migrations should be: a later
change to who may do what is a new migration.
"""

import django.db.models.deletion
from django.db import migrations, models

# Content models as of this migration (model names, lower case).
CONTENT_MODELS = [
    "partnership",
    "source",
    "resource",
    "theme",
    "themealias",
    "collection",
    "review",
    "casefact",
    "learningpoint",
    "recommendation",
    "action",
]

GROUPS = {
    "Editor": [
        *(f"reviews.{action}_{model}" for model in CONTENT_MODELS for action in ("add", "change", "delete", "view")),
        "reviews.publish_review",
        "reviews.view_oldslug",
        "reviews.delete_oldslug",
        "taggit.add_tag",
        "taggit.change_tag",
        "taggit.delete_tag",
        "taggit.view_tag",
    ],
    "Trainer": [
        *(f"reviews.view_{model}" for model in CONTENT_MODELS),
        "taggit.view_tag",
    ],
}

PUBLISH = ("publish_review", "Can publish and unpublish reviews and their sources")


def ensure_permissions(apps):
    """Permissions are normally created after all migrations have run; the
    groups below need them now, on a fresh database too."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def create_groups(apps, schema_editor):
    ensure_permissions(apps)
    grant(apps)


def grant(apps):
    """The publish permission and the groups, given the permissions exist.
    Also used by browser tests, whose database is emptied between tests."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")

    review_type, _ = ContentType.objects.get_or_create(app_label="reviews", model="review")
    Permission.objects.get_or_create(
        content_type=review_type, codename=PUBLISH[0], defaults={"name": PUBLISH[1]}
    )
    for name, permission_names in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for permission_name in permission_names:
            app_label, codename = permission_name.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()
    apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="reviews", codename=PUBLISH[0]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0003_search"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.CreateModel(
            name="OldSlug",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("object_id", models.PositiveBigIntegerField()),
                ("slug", models.SlugField(help_text="The slug the page used to have.", max_length=120)),
                (
                    "created_at",
                    models.DateTimeField(auto_now_add=True, help_text="When the slug stopped being used."),
                ),
                (
                    "content_type",
                    models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="contenttypes.contenttype"),
                ),
            ],
            options={
                "verbose_name": "old web address",
                "verbose_name_plural": "old web addresses",
                "ordering": ["-created_at", "-id"],
                "constraints": [
                    models.UniqueConstraint(fields=("content_type", "slug"), name="oldslug_slug_unique_per_model")
                ],
            },
        ),
        migrations.RunPython(create_groups, remove_groups),
    ]

"""A course pack's steps can point at public content only (``PublicOnly``), with a
message saying so; the label kept of a removed item is for the trainer only."""

import django.db.models.deletion
from django.db import migrations, models

import reviews.models.courses

NOT_PUBLIC_MESSAGE = (
    "Only published content can go in a course pack: this item is a draft or is no longer published. "
    "Choose another, or delete this step."
)


def target(kind, to):
    return models.ForeignKey(
        blank=True,
        error_messages={"invalid": NOT_PUBLIC_MESSAGE},
        limit_choices_to=reviews.models.courses.PublicOnly(kind),
        null=True,
        on_delete=django.db.models.deletion.SET_NULL,
        related_name="+",
        to=to,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0014_theme_search_entries_public_only"),
    ]

    operations = [
        migrations.AlterField(
            model_name="coursepackitem",
            name="label_snapshot",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text="What the item was called when it was last saved in the pack. Shown here if it is "
                "removed; the public sees only that the item is no longer available.",
                max_length=300,
            ),
        ),
        *(
            migrations.AlterField(model_name="coursepackitem", name=kind, field=target(kind, to))
            for kind, to in (
                ("action", "reviews.action"),
                ("learning_point", "reviews.learningpoint"),
                ("recommendation", "reviews.recommendation"),
                ("review", "reviews.review"),
                ("theme", "reviews.theme"),
            )
        ),
    ]

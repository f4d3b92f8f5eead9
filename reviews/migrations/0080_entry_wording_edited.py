"""Each entry says whether its words are still its briefing's (``wording_edited``,
kept by ``reviews/wording.py`` on every write), worked out here for the entries
already there with the same comparison.
"""

from django.db import migrations, models

ENTRY_MODELS = ("casefact", "learningpoint", "recommendation", "action")


def mark_existing(apps, schema_editor):
    """Mark the entries whose words are not found in their briefing and were when first saved (their
    earliest version in the edit history): the rule ``reviews/wording.py`` keeps from now on."""
    from reviews.wording import found_in

    Source = apps.get_model("reviews", "Source")
    originals = dict(Source.objects.values_list("pk", "original_text"))
    for name in ENTRY_MODELS:
        model = apps.get_model("reviews", name)
        history = apps.get_model("reviews", f"historical{name}")
        edited = []
        for pk, source_id, text in model.objects.values_list("pk", "source_id", "text").iterator():
            original = originals.get(source_id) or ""
            if found_in(text, original):
                continue
            first = history.objects.filter(id=pk).order_by("history_date", "history_id").values_list("text").first()
            if first is not None and found_in(first[0], original):
                edited.append(pk)
        for start in range(0, len(edited), 500):
            model.objects.filter(pk__in=edited[start : start + 500]).update(wording_edited=True)


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0070_source_original_and_resource_changes"),
    ]

    operations = [
        migrations.AddField(
            model_name="action",
            name="wording_edited",
            field=models.BooleanField(
                default=False,
                editable=False,
                help_text="Set when it is saved: its words are no longer found word for word in its briefing (an editor changed them, giving a reason). Pages then say so and link to the briefing as received (reviews/wording.py).",
                verbose_name="wording edited by the knowledge base",
            ),
        ),
        migrations.AddField(
            model_name="casefact",
            name="wording_edited",
            field=models.BooleanField(
                default=False,
                editable=False,
                help_text="Set when it is saved: its words are no longer found word for word in its briefing (an editor changed them, giving a reason). Pages then say so and link to the briefing as received (reviews/wording.py).",
                verbose_name="wording edited by the knowledge base",
            ),
        ),
        migrations.AddField(
            model_name="learningpoint",
            name="wording_edited",
            field=models.BooleanField(
                default=False,
                editable=False,
                help_text="Set when it is saved: its words are no longer found word for word in its briefing (an editor changed them, giving a reason). Pages then say so and link to the briefing as received (reviews/wording.py).",
                verbose_name="wording edited by the knowledge base",
            ),
        ),
        migrations.AddField(
            model_name="recommendation",
            name="wording_edited",
            field=models.BooleanField(
                default=False,
                editable=False,
                help_text="Set when it is saved: its words are no longer found word for word in its briefing (an editor changed them, giving a reason). Pages then say so and link to the briefing as received (reviews/wording.py).",
                verbose_name="wording edited by the knowledge base",
            ),
        ),
        migrations.RunPython(mark_existing, migrations.RunPython.noop),
    ]

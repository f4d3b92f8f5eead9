"""Data for 0008: move review tags to ``TaggedReview``, start the many-to-many
history from the current state, and rename duplicate theme names.

- Tags: taggit's generic ``TaggedItem`` rows for reviews are copied to
  ``TaggedReview`` and removed (backwards: copied back, and removed).
- History: each review's and theme's latest version is given its current
  sources, tags and related themes, so the first edit after this migration
  shows only what that edit changed, not every existing tag as "added".
- Themes whose names differ only in capital letters ("Neglect", "neglect")
  cannot satisfy the constraint 0010 adds: every one but the oldest gets
  " (duplicate n)" added to its name, for an editor to merge or rename.
"""

from django.db import migrations
from django.db.models.functions import Lower


def _review_content_type(apps, *, create=False):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if create:
        return ContentType.objects.get_or_create(app_label="reviews", model="review")[0]
    return ContentType.objects.filter(app_label="reviews", model="review").first()


def tags_to_review_tags(apps, schema_editor):
    content_type = _review_content_type(apps)
    if content_type is None:
        return  # a new database: no tag yet
    TaggedItem = apps.get_model("taggit", "TaggedItem")
    TaggedReview = apps.get_model("reviews", "TaggedReview")
    Review = apps.get_model("reviews", "Review")
    rows = TaggedItem.objects.filter(content_type=content_type)
    reviews = set(Review.objects.values_list("pk", flat=True))
    TaggedReview.objects.bulk_create(
        [TaggedReview(content_object_id=row.object_id, tag_id=row.tag_id) for row in rows if row.object_id in reviews],
        ignore_conflicts=True,
    )
    rows.delete()


def review_tags_to_tags(apps, schema_editor):
    TaggedReview = apps.get_model("reviews", "TaggedReview")
    if not TaggedReview.objects.exists():
        return
    content_type = _review_content_type(apps, create=True)
    TaggedItem = apps.get_model("taggit", "TaggedItem")
    TaggedItem.objects.bulk_create(
        [
            TaggedItem(content_type=content_type, object_id=row.content_object_id, tag_id=row.tag_id)
            for row in TaggedReview.objects.all()
        ],
        ignore_conflicts=True,
    )
    TaggedReview.objects.all().delete()


def _latest_versions(history_model):
    """The latest version of each object that still exists (not a deletion)."""
    latest = {}
    for record in history_model.objects.order_by("id", "-history_date", "-history_id"):
        latest.setdefault(record.id, record)
    return [record for record in latest.values() if record.history_type != "-"]


def start_m2m_history(apps, schema_editor):
    Review = apps.get_model("reviews", "Review")
    Theme = apps.get_model("reviews", "Theme")
    TaggedReview = apps.get_model("reviews", "TaggedReview")
    HistoricalSources = apps.get_model("reviews", "HistoricalReview_sources")
    HistoricalTags = apps.get_model("reviews", "HistoricalTaggedReview")
    HistoricalRelated = apps.get_model("reviews", "HistoricalTheme_related_themes")

    sources, tags, related = [], [], []
    existing_reviews = set(Review.objects.values_list("pk", flat=True))
    for record in _latest_versions(apps.get_model("reviews", "HistoricalReview")):
        if record.id not in existing_reviews:
            continue
        for row in Review.sources.through.objects.filter(review_id=record.id):
            sources.append(HistoricalSources(history=record, id=row.id, review_id=row.review_id, source_id=row.source_id))
        for row in TaggedReview.objects.filter(content_object_id=record.id):
            tags.append(HistoricalTags(history=record, id=row.id, content_object_id=record.id, tag_id=row.tag_id))
    existing_themes = set(Theme.objects.values_list("pk", flat=True))
    for record in _latest_versions(apps.get_model("reviews", "HistoricalTheme")):
        if record.id not in existing_themes:
            continue
        for row in Theme.related_themes.through.objects.filter(from_theme_id=record.id):
            related.append(
                HistoricalRelated(history=record, id=row.id, from_theme_id=row.from_theme_id, to_theme_id=row.to_theme_id)
            )
    HistoricalSources.objects.bulk_create(sources)
    HistoricalTags.objects.bulk_create(tags)
    HistoricalRelated.objects.bulk_create(related)


def forget_m2m_history(apps, schema_editor):
    for name in ("HistoricalReview_sources", "HistoricalTaggedReview", "HistoricalTheme_related_themes"):
        apps.get_model("reviews", name).objects.all().delete()


def rename_duplicate_theme_names(apps, schema_editor):
    Theme = apps.get_model("reviews", "Theme")
    seen: dict[str, int] = {}
    for theme in Theme.objects.annotate(lower_name=Lower("name")).order_by("created_at", "pk"):
        count = seen.get(theme.lower_name, 0) + 1
        seen[theme.lower_name] = count
        if count > 1:
            theme.name = f"{theme.name} (duplicate {count})"[:150]
            theme.save(update_fields=["name"])


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("reviews", "0008_review_tags_history_theme_merges"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.RunPython(tags_to_review_tags, review_tags_to_tags),
        migrations.RunPython(start_m2m_history, forget_m2m_history),
        migrations.RunPython(rename_duplicate_theme_names, migrations.RunPython.noop),
    ]

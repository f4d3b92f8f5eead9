"""Themes only drafts use are no longer found by the public's searches.

Until now a theme's search entry was always written as published. It is now
published only while the theme is public (``Theme.objects.public()``: a
published learning point, recommendation or action is on it), and rewritten
whenever that may change. This puts the entries already written in step,
with the same rule on the historical models; ``manage.py
rebuild_search_index`` would do the same. Nothing to undo: going back, the
next rebuild writes every theme as published again.
"""

from django.db import migrations
from django.db.models import Q

PUBLISHED = "published"


def unpublish_entries_of_themes_not_public(apps, schema_editor):
    SearchEntry = apps.get_model("reviews", "SearchEntry")
    published_entries = {
        "LearningPoint": Q(review__status=PUBLISHED) | Q(review__isnull=True, source__status=PUBLISHED),
        "Recommendation": Q(review__status=PUBLISHED),
        "Action": Q(review__status=PUBLISHED),
    }
    public = set()
    for name, published in published_entries.items():
        model = apps.get_model("reviews", name)
        public.update(model.objects.filter(published, themes__isnull=False).values_list("themes", flat=True))
    SearchEntry.objects.filter(kind="theme").exclude(object_id__in=public).update(is_published=False)


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0013_web_addresses_http_only"),
    ]

    operations = [
        migrations.RunPython(unpublish_entries_of_themes_not_public, migrations.RunPython.noop),
    ]

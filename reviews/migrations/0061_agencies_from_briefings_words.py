"""The agencies (professions), and each existing recommendation's and action's
agencies read from the briefing's words (``addressed_to``, ``owner``), which
stay as they are.

The agencies are written as ``fixtures/agencies.json`` had them when this
migration was made (a migration must not change with later edits to the
fixtures; ``load_kb`` keeps them up to date from there on). The reading is
``reviews.agencies.agencies_for``, the one the loader and the importer use.
"""

from django.db import migrations

AGENCIES = [
    ("schools-and-education", "Schools and education"),
    ("police", "Police"),
    ("health", "Health"),
    ("childrens-social-care", "Children's social care"),
    ("early-help", "Early help"),
    ("adult-social-care", "Adult social care"),
    ("housing", "Housing"),
    ("probation-and-youth-justice", "Probation and youth justice"),
    ("safeguarding-partnership", "The safeguarding partnership or board"),
    ("all-agencies", "All agencies"),
]


def read_agencies(apps, schema_editor):
    from reviews.agencies import agencies_for

    Agency = apps.get_model("reviews", "Agency")
    by_slug = {}
    for position, (slug, name) in enumerate(AGENCIES, start=1):
        by_slug[slug], _ = Agency.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})
    for model_name, words in (("Recommendation", "addressed_to"), ("Action", "owner")):
        model = apps.get_model("reviews", model_name)
        through = model.agencies.through
        rows = []
        for pk, text in model.objects.exclude(**{words: ""}).values_list("pk", words).iterator():
            for slug in agencies_for(text):
                rows.append(through(**{f"{model_name.lower()}_id": pk, "agency_id": by_slug[slug].pk}))
        through.objects.bulk_create(rows, ignore_conflicts=True)


def forget_agencies(apps, schema_editor):
    apps.get_model("reviews", "Agency").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("reviews", "0060_agencies")]

    operations = [migrations.RunPython(read_agencies, forget_agencies)]

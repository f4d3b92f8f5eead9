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
    ("schools-and-education", "Schools and education", "Schools, academies, colleges, nurseries and early years settings, and the local authority's education services."),
    ("police", "Police", "Police officers and staff, including public protection and child abuse investigation teams."),
    ("health", "Health", "Health visitors, midwives, school nurses and community nursing teams, GPs, hospitals and emergency departments, and mental health services."),
    ("childrens-social-care", "Children's social care", "Children's social workers and their managers, the front door and multi-agency safeguarding hub, and children's services."),
    ("early-help", "Early help", "Early help and family support services, and the boards that oversee them."),
    ("adult-social-care", "Adult social care", "Adult social workers and adult services, including those working with parents and carers."),
    ("housing", "Housing", "Housing officers, social landlords and homelessness services."),
    ("probation-and-youth-justice", "Probation and youth justice", "Probation officers and youth justice (youth offending) teams."),
    ("safeguarding-partnership", "The safeguarding partnership or board", "The local safeguarding children partnership or board (or a safeguarding adults board) and its groups, such as a policy and procedures group or a case review group."),
    ("all-agencies", "All agencies", "Every agency working with children and families: what a briefing addresses to \"All\" or to \"All agencies\"."),
]


def read_agencies(apps, schema_editor):
    from reviews.agencies import agencies_for

    Agency = apps.get_model("reviews", "Agency")
    by_slug = {}
    for position, (slug, name, description) in enumerate(AGENCIES, start=1):
        by_slug[slug], _ = Agency.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "position": position}
        )
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
    dependencies = [("reviews", "0036_agencies")]

    operations = [migrations.RunPython(read_agencies, forget_agencies)]

"""Sections as data (issue 12), step 2 of 3: the headings entries had become sections.

For a database made before sections existed: one ``Section`` per distinct
(briefing, review, heading) among the entries' old ``heading`` values, linked
to those entries. What the old headings cannot tell is left as "not known":
the role is *other*, the layout *text*, and the position the smallest
position of its entries (positions were counted per kind of entry then). The
review is set only where a briefing's entries belong to several reviews (a
newsletter about three children); otherwise the section belongs to the
briefing as a whole. Entries without a heading get no section.

``manage.py load_kb`` then gives the fixtures' own sections, roles and
positions to the content that comes from them, and reports these sections as
no longer in the fixtures (``--prune`` deletes them). Going back copies each
section's heading back into its entries.
"""

from collections import defaultdict

from django.db import migrations

ENTRY_MODELS = ("CaseFact", "LearningPoint", "Recommendation", "Action")
REF_LENGTH = 120


def _unique_ref(base: str, used: set[str]) -> str:
    ref, n = base, 2
    while ref in used:
        suffix = f"-{n}"
        ref = f"{base[: REF_LENGTH - len(suffix)]}{suffix}"
        n += 1
    used.add(ref)
    return ref


def sections_from_headings(apps, schema_editor):
    Section = apps.get_model("reviews", "Section")
    Source = apps.get_model("reviews", "Source")
    entry_models = [apps.get_model("reviews", name) for name in ENTRY_MODELS]

    rows = []  # (model, pk, source_id, review_id, heading, position)
    reviews_of_source: dict[int, set[int]] = defaultdict(set)
    for model in entry_models:
        values = model.objects.values_list("pk", "source_id", "review_id", "heading", "position")
        for pk, source_id, review_id, heading, position in values:
            if review_id is not None:
                reviews_of_source[source_id].add(review_id)
            if heading.strip():
                rows.append((model, pk, source_id, review_id, heading, position))

    groups: dict[tuple[int, int | None, str], list] = defaultdict(list)
    for model, pk, source_id, review_id, heading, position in rows:
        review = review_id if len(reviews_of_source[source_id]) > 1 else None
        groups[(source_id, review, heading)].append((model, pk, position))

    slugs = dict(Source.objects.values_list("pk", "slug"))
    used = set(Section.objects.values_list("ref", flat=True))
    numbers: dict[int, int] = defaultdict(int)
    ordered = sorted(groups.items(), key=lambda group: (group[0][0], min(p for _, _, p in group[1]), group[0][2]))
    for (source_id, review_id, heading), entries in ordered:
        numbers[source_id] += 1
        section = Section.objects.create(
            ref=_unique_ref(f"{slugs[source_id][:100]}-sec-{numbers[source_id]}", used),
            source_id=source_id,
            review_id=review_id,
            heading=heading[:300],
            role="other",
            layout="text",
            position=min(position for _, _, position in entries),
        )
        by_model: dict[type, list[int]] = defaultdict(list)
        for model, pk, _position in entries:
            by_model[model].append(pk)
        for model, pks in by_model.items():
            model.objects.filter(pk__in=pks).update(section=section)


def headings_from_sections(apps, schema_editor):
    Section = apps.get_model("reviews", "Section")
    for name in ENTRY_MODELS:
        model = apps.get_model("reviews", name)
        for section_id, heading in Section.objects.values_list("pk", "heading"):
            model.objects.filter(section_id=section_id).update(heading=heading[:300])


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0017_sections"),
    ]

    operations = [migrations.RunPython(sections_from_headings, headings_from_sections)]

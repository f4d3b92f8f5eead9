"""A review's entries for editing, in the briefing's order (the admin's "Entries in briefing order").

The same order as the review's page (``review_sections.place_in_sections``):
the briefing's sections in order, a table's rows and cells within their table,
each section's entries by position, and each recommendation followed by the
actions that answer it. Drafts are included: this is for staff.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch

from ..models import Action, CaseFact, LearningPoint, Recommendation, Review
from .review_sections import SectionBlock, place_in_sections, sections_for


@dataclass
class EntryRow:
    entry: object
    # An action listed under the recommendation it answers (shown indented below it).
    answers: Recommendation | None = None


@dataclass
class EntryGroup:
    """One section's entries: its heading (the briefing's, with its table's and row's before it)."""

    title: str
    is_ours: bool  # the heading is the knowledge base's words, not the briefing's
    role: str
    anchor: str
    rows: list[EntryRow] = field(default_factory=list)


def _groups(block: SectionBlock, within: list[str]) -> list[EntryGroup]:
    path = [*within, block.title]
    groups = []
    if block.entries:
        section = block.section
        group = EntryGroup(
            title=" › ".join(path),
            is_ours=block.is_ours,
            role=section.get_role_display() if section is not None else "",
            anchor=f"entries-{block.anchor}",
        )
        for entry in block.entries:
            group.rows.append(EntryRow(entry))
            for action in getattr(entry, "actions_here", []):
                group.rows.append(EntryRow(action, answers=entry))
        groups.append(group)
    for child in block.children:
        groups.extend(_groups(child, path))
    return groups


def review_entries_in_briefing_order(review: Review) -> list[EntryGroup]:
    """Every case fact, learning point, recommendation and action of the review, section by section
    in the briefing's order (fixed queries: the entries of each kind, the actions, the sections)."""
    case_facts = list(CaseFact.objects.filter(review=review).select_related("source"))
    points = list(LearningPoint.objects.filter(review=review).select_related("source"))
    answering = Action.objects.select_related("source").order_by("position", "pk")
    recommendations = list(
        Recommendation.objects.filter(review=review)
        .select_related("source")
        .prefetch_related(Prefetch("actions", queryset=answering))
    )
    other_actions = list(Action.objects.filter(review=review, recommendation__isnull=True).select_related("source"))
    entries = [*case_facts, *points, *recommendations, *other_actions]
    source_ids = set(review.sources.values_list("pk", flat=True)) | {entry.source_id for entry in entries}
    blocks = place_in_sections(sections_for(review, source_ids), entries, recommendations)
    groups = []
    for block in blocks:
        groups.extend(_groups(block, []))
    return groups

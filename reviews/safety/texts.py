"""Every text of a review that the public may read once it is published.

The review's own fields; its case facts, learning points, recommendations and
actions (with their addressees and owners) and the status reports on its
actions; the headings of its briefings' sections; the resources its briefings
name; and each briefing's title and full original text. A fixed number of
queries, whatever the review's size.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format

from ..models import Action, ActionUpdate, CaseFact, LearningPoint, Recommendation, Resource, Review, Section, Source
from ..services.publishing import review_sources


@dataclass(frozen=True)
class Place:
    """One field of one record: where a text is."""

    location: str  # stable: the model, the record's reference and the field
    where: str  # in words, for the editor
    text: str
    edit_url: str


def _edit_url(obj) -> str:
    try:
        return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return ""


def _identifier(obj) -> str:
    for attribute in ("ref", "slug"):
        value = getattr(obj, attribute, "")
        if value:
            return value
    return str(obj.pk)


def _places(obj, label: str, fields: list[tuple[str, str]]) -> Iterator[Place]:
    url = _edit_url(obj)
    for field, field_label in fields:
        text = getattr(obj, field, "") or ""
        if text.strip():
            location = f"{obj._meta.model_name}:{_identifier(obj)}:{field}"
            yield Place(location=location, where=f"{label}: {field_label}", text=text, edit_url=url)


ENTRY_FIELDS = {
    CaseFact: [("text", "text"), ("kind_note", "note on its kind")],
    LearningPoint: [("text", "text"), ("kind_note", "note on its kind")],
    Recommendation: [
        ("addressed_to", "addressed to"),
        ("text", "text"),
        ("unanswered_parts", "parts no action answers"),
        ("kind_note", "note on its kind"),
    ],
    Action: [
        ("owner", "owner"),
        ("text", "text"),
        ("target_date_as_stated", "target date"),
        ("evidence_of_impact", "evidence of impact"),
        ("closing_reason", "why it was closed"),
        ("judged_by", "judged by"),
        ("kind_note", "note on its kind"),
    ],
}


def review_texts(review: Review) -> list[Place]:
    """Every text of ``review`` and of what is published with it, in the order
    an editor reads them: the review, its entries, its briefings."""
    places: list[Place] = list(
        _places(review, "The review", [("title", "title"), ("children", "children"), ("summary", "summary")])
    )
    for model, fields in ENTRY_FIELDS.items():
        for entry in model.objects.filter(review=review).order_by("position", "pk"):
            places += _places(entry, f"{entry.label} ({entry.ref})", fields)
    updates = ActionUpdate.objects.filter(action__review=review).select_related("action").order_by("reported_on", "pk")
    for update in updates:
        places += _places(
            update,
            f"Status report of {date_format(update.reported_on, 'j F Y')} on action {update.action.ref}",
            [("reported_by", "reported by"), ("evidence_of_impact", "evidence of impact"), ("note", "note")],
        )
    sources = list(
        Source.objects.filter(Q(pk__in=review_sources(review).values("pk")) | Q(pk=review.summary_source_id)).order_by(
            "pk"
        )
    )
    sections = Section.objects.filter(Q(review=review) | Q(source__in=sources)).order_by("source_id", "position", "pk")
    for section in sections:
        places += _places(section, f"Section heading ({section.ref})", [("heading", "heading")])
    resources = (
        Resource.objects.filter(
            Q(source__in=sources)
            | Q(learning_points__review=review)
            | Q(recommendations__review=review)
            | Q(actions__review=review)
        )
        .distinct()
        .order_by("source_id", "position", "pk")
    )
    for resource in resources:
        places += _places(
            resource,
            f"Resource “{resource.name}”",
            [("name", "name"), ("details_as_stated", "contact details"), ("passage", "passage"), ("note", "note")],
        )
    for source in sources:
        places += _places(
            source,
            f"Briefing “{source.title}”",
            [("title", "title"), ("publisher_as_stated", "publisher as stated"), ("original_text", "original text")],
        )
    return places

"""Importing a briefing as a write: the parsed document (``reviews.importing``)
stored as a draft source and review for an editor to check, with the
document's sections and each entry in its section, in the document's order."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath

from django.db import transaction
from django.utils.text import slugify

from ..importing.decoding import BriefingFileError, candidate_limit
from ..importing.structure import (
    ACTION,
    CASE_FACT,
    GOOD_PRACTICE,
    LEARNING,
    RECOMMENDATION,
    Candidate,
    ParsedBriefing,
    parse_briefing,
)
from ..importing.themes import ThemeMatcher
from ..models import (
    Action,
    CaseFact,
    LearningPoint,
    OldSlug,
    Partnership,
    PublicationStatus,
    Recommendation,
    Resource,
    Review,
    Section,
    Source,
    Theme,
)
from ..text import comparable_text
from .history import attribute_change

RESOURCE_NOTES = {
    "contact": "Contact details exactly as the briefing prints them, imported automatically: check them "
    "against the briefing before relying on them.",
    "placeholder": "The briefing names this as a link but gives no address. Imported automatically; "
    "the kind of resource was guessed from its name.",
    "link": "Imported automatically from the link in the briefing; the kind of resource was guessed from its name.",
}


@dataclass
class BriefingImportResult:
    review: Review
    source: Source
    parsed: ParsedBriefing
    counts: dict[str, int]
    themed: int  # entries given at least one suggested theme
    partnership_detected: bool = False


def unique_slug(model, text: str, *, max_length: int = 100) -> str:
    """A slug from ``text`` that no ``model`` object uses, nor used before (an
    old slug still leads to the object that had it)."""
    base = slugify(text)[:max_length].strip("-") or model._meta.model_name
    slug, n = base, 2
    old_slugs = OldSlug.objects.for_model(model)
    while model._default_manager.filter(slug=slug).exists() or old_slugs.filter(slug=slug).exists():
        suffix = f"-{n}"
        slug = f"{base[: max_length - len(suffix)]}{suffix}"
        n += 1
    return slug


def partnership_named_in(text: str, *, headings: Iterable[str] = ()) -> Partnership | None:
    """The existing partnership the text names in full, if it names exactly one;
    when it names several, the one its headings name, if exactly one."""
    haystack = comparable_text(text)
    found = [p for p in Partnership.objects.all() if comparable_text(p.name) in haystack]
    if len(found) > 1:
        titles = comparable_text(" | ".join(headings))
        found = [p for p in found if comparable_text(p.name) in titles]
    return found[0] if len(found) == 1 else None


def theme_matcher() -> ThemeMatcher:
    """A matcher over every existing theme's name and aliases."""
    themes = Theme.objects.prefetch_related("aliases")
    return ThemeMatcher([(t.pk, t.name, [a.name for a in t.aliases.all()]) for t in themes])


@transaction.atomic
def briefing_import(
    *,
    text: str,
    file_name: str,
    title: str = "",
    partnership: Partnership | None = None,
    user=None,
) -> BriefingImportResult:
    """Create a DRAFT review from a briefing's text, for an editor to check.

    The ``Source`` keeps the full text exactly as given and lists the passages
    left out with the reason; the review gets the document's paragraphs,
    bullets and table cells as candidate learning points, good practice,
    recommendations, actions and case facts in the document's own words,
    with themes suggested from the existing themes' names and aliases.
    Nothing becomes public until an editor publishes the review.

    Raises ``BriefingFileError`` (and creates nothing) when the text yields
    no entries or more than ``candidate_limit()``, or the file name is already
    used by a source.
    """
    parsed = parse_briefing(text)
    _check_importable(parsed, file_name=file_name)
    detected = False
    if partnership is None:
        partnership = partnership_named_in(text, headings=parsed.headings)
        detected = partnership is not None
    fallback = PurePath(file_name).stem if file_name else "Imported briefing"
    review_title = (title or parsed.title or fallback)[:300]
    source_title = (parsed.source_title or review_title)[:300]
    reason = f"Imported from {file_name}" if file_name else "Imported"

    source = _create_source(
        parsed, text=text, file_name=file_name, title=source_title, partnership=partnership, user=user, reason=reason
    )
    review = Review(
        slug=unique_slug(Review, review_title),
        title=review_title,
        review_type=parsed.review_type,
        partnership=partnership,
        status=PublicationStatus.DRAFT,
    )
    attribute_change(review, user=user, reason=reason).save()
    review.sources.add(source)
    resources = _create_resources(parsed, source=source, user=user, reason=reason)
    sections = _create_sections(parsed, source=source, user=user, reason=reason)
    counts, themed = _create_entries(
        parsed, review=review, source=source, sections=sections, resources=resources, user=user, reason=reason
    )
    return BriefingImportResult(
        review=review, source=source, parsed=parsed, counts=counts, themed=themed, partnership_detected=detected
    )


def _check_importable(parsed: ParsedBriefing, *, file_name: str) -> None:
    """Refuse a text with no entries or too many, and a file already imported."""
    if not parsed.candidates:
        raise BriefingFileError(
            f"No paragraphs or bullets that could be entries were found in “{file_name}”. "
            "Check it is the text of a briefing."
        )
    limit = candidate_limit()
    if len(parsed.candidates) > limit:
        raise BriefingFileError(
            f"“{file_name}” would give {len(parsed.candidates)} entries; one import can make at most {limit}, "
            "and a briefing usually gives 10 to 50. Check the file holds the text of one briefing, not a "
            "whole report or several briefings; a long document can be imported in parts."
        )
    if file_name and Source.objects.filter(file_name=file_name).exists():
        existing = Source.objects.get(file_name=file_name)
        raise BriefingFileError(
            f"A source from a file called “{file_name}” is already in the knowledge base (“{existing.title}”). "
            "If this is a different briefing, rename the file and upload it again."
        )


def _create_source(
    parsed: ParsedBriefing, *, text: str, file_name: str, title: str, partnership: Partnership | None, user, reason: str
) -> Source:
    """The draft source: the full text as given, and the passages left out with the reason."""
    source = Source(
        slug=unique_slug(Source, title),
        title=title,
        partnership=partnership,
        kind=parsed.source_kind,
        published_on=parsed.published_on,
        published_precision=parsed.published_precision,
        original_text=text,
        file_name=file_name[:255],
        excluded_passages=parsed.excluded,
        status=PublicationStatus.DRAFT,
    )
    attribute_change(source, user=user, reason=reason).save()
    return source


def _create_resources(parsed: ParsedBriefing, *, source: Source, user, reason: str) -> dict[str, Resource]:
    """The resources the briefing names, by their key in ``parsed.resources``."""
    resources = {}
    for position, (key, candidate) in enumerate(parsed.resources.items(), start=1):
        note_kind = "contact" if candidate.kind == "contact" else ("link" if candidate.url else "placeholder")
        resource = Resource(
            source=source,
            name=candidate.name,
            kind=candidate.kind,
            url=candidate.url,
            details_as_stated=candidate.details_as_stated,
            note=RESOURCE_NOTES[note_kind],
            position=position,
        )
        attribute_change(resource, user=user, reason=reason).save()
        resources[key] = resource
    return resources


def _create_sections(parsed: ParsedBriefing, *, source: Source, user, reason: str) -> list[Section]:
    """The document's sections, in order (a table before its rows, a row before its cells),
    each with the role its heading's words suggest for the editor to check."""
    sections: list[Section] = []
    for candidate in parsed.sections:
        section = Section(
            source=source,
            parent=sections[candidate.parent] if candidate.parent is not None else None,
            heading=candidate.heading,
            role=candidate.role,
            layout=candidate.layout,
            position=candidate.order * 10,
        )
        attribute_change(section, user=user, reason=reason).save()
        sections.append(section)
    return sections


def _create_entries(
    parsed: ParsedBriefing,
    *,
    review: Review,
    source: Source,
    sections: list[Section],
    resources: dict[str, Resource],
    user,
    reason: str,
) -> tuple[dict[str, int], int]:
    """One entry per candidate, in its section, linked to its resources and given
    suggested themes; how many of each kind, and how many were given themes."""
    matcher = theme_matcher()
    created: dict[int, object] = {}
    counts = dict.fromkeys([LEARNING, GOOD_PRACTICE, RECOMMENDATION, ACTION, CASE_FACT], 0)
    themed = 0
    for index, candidate in enumerate(parsed.candidates):
        item = _entry(candidate, review=review, source=source, position=candidate.order * 10, created=created)
        item.section = sections[candidate.section] if candidate.section is not None else None
        attribute_change(item, user=user, reason=reason).save()
        created[index] = item
        counts[candidate.kind] += 1
        if _link_resources_and_themes(item, candidate, resources=resources, matcher=matcher, user=user):
            themed += 1
    return counts, themed


def _entry(candidate: Candidate, *, review: Review, source: Source, position: int, created: dict[int, object]):
    """The unsaved entry for a candidate; an action answers the recommendation created for the one it responds to."""
    common = {"review": review, "source": source, "text": candidate.text}
    if candidate.kind in (LEARNING, GOOD_PRACTICE):
        kind = LearningPoint.Kind.GOOD_PRACTICE if candidate.kind == GOOD_PRACTICE else LearningPoint.Kind.LEARNING
        return LearningPoint(kind=kind, position=position, **common)
    if candidate.kind == RECOMMENDATION:
        return Recommendation(number=candidate.number, addressed_to=candidate.addressed_to, position=position, **common)
    if candidate.kind == ACTION:
        answers = created.get(candidate.responds_to) if candidate.responds_to is not None else None
        return Action(recommendation=answers, owner=candidate.owner, position=position, **common)
    return CaseFact(position=position, **common)


def _link_resources_and_themes(
    item, candidate: Candidate, *, resources: dict[str, Resource], matcher: ThemeMatcher, user
) -> bool:
    """Link the saved entry to the resources it names and give it suggested
    themes; whether it was given any."""
    linked = False
    if candidate.resources and hasattr(item, "resources"):
        # Recorded with the themes below, or on its own: one entry, not one per step.
        item.skip_history_when_saving = True
        item.resources.set([resources[key] for key in candidate.resources if key in resources])
        del item.skip_history_when_saving
        linked = True
    if not hasattr(item, "themes") or isinstance(item, CaseFact):
        # Case facts may carry themes, but they are left for an editor to give: only
        # learning, recommendations and actions have been suggested themes on import.
        return False
    suggested = matcher.suggest(text=candidate.text, heading=candidate.heading)
    if suggested:
        # Its own history entry, so editors can see the themes were a suggestion.
        attribute_change(item, user=user, reason="Themes suggested automatically on import")
        item.themes.set(suggested)
        return True
    if linked:
        attribute_change(item, user=user, reason="Resources named in the briefing linked on import")
        item.save()
    return False

"""Writes: publishing, action status, merging themes, importing a briefing.

Each service is a function named ``<entity>_<action>`` with keyword-only
arguments, runs in one transaction, and saves through the models' ``save()``
so that edit history (django-simple-history) records who did what and why.
The admin and the management commands call these; they never repeat the rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePath

from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from .importing import (
    ACTION,
    CASE_FACT,
    GOOD_PRACTICE,
    LEARNING,
    RECOMMENDATION,
    BriefingFileError,
    ParsedBriefing,
    ThemeMatcher,
    normalise,
    parse_briefing,
)
from .models import (
    Action,
    CaseFact,
    LearningPoint,
    OldSlug,
    Partnership,
    PublicationStatus,
    Recommendation,
    Resource,
    Review,
    Source,
    Theme,
    ThemeAlias,
)


def _attribute(obj, *, user=None, reason: str = ""):
    """Tell the edit history who made the next save of ``obj``, and why."""
    if user is not None and getattr(user, "is_authenticated", False):
        obj._history_user = user
    obj._change_reason = reason or None
    return obj


# ---------------------------------------------------------------------------
# Publishing
# ---------------------------------------------------------------------------


def _review_sources(review: Review):
    """The review's sources and every source one of its entries quotes, so that
    no published entry links to a draft source."""
    item_sources = Q(learning_points__review=review) | Q(recommendations__review=review)
    item_sources |= Q(actions__review=review) | Q(case_facts__review=review) | Q(reviews=review)
    return Source.objects.filter(pk__in=Source.objects.filter(item_sources).values("pk"))


@transaction.atomic
def review_publish(*, review: Review, user=None) -> Review:
    """Publish a review with its sources: it and its entries become public."""
    for source in _review_sources(review).filter(status=PublicationStatus.DRAFT):
        source_publish(source=source, user=user)
    if review.status != PublicationStatus.PUBLISHED:
        review.status = PublicationStatus.PUBLISHED
        _attribute(review, user=user, reason="Published")
        review.save()
    return review


@transaction.atomic
def review_unpublish(*, review: Review, user=None) -> Review:
    """Take a review back to draft. Its sources go back to draft too, unless
    another published review draws on them or they carry learning of their own
    (cross-cutting learning points, not tied to a review)."""
    if review.status != PublicationStatus.DRAFT:
        review.status = PublicationStatus.DRAFT
        _attribute(review, user=user, reason="Unpublished")
        review.save()
    published = PublicationStatus.PUBLISHED
    still_needed = Q(reviews__status=published) | Q(learning_points__review__status=published)
    still_needed |= Q(recommendations__review__status=published) | Q(actions__review__status=published)
    still_needed |= Q(case_facts__review__status=published)
    still_needed |= Q(learning_points__isnull=False, learning_points__review__isnull=True)
    needed = Source.objects.filter(still_needed).values("pk")
    for source in _review_sources(review).filter(status=PublicationStatus.PUBLISHED).exclude(pk__in=needed):
        source_unpublish(source=source, user=user)
    return review


def source_publish(*, source: Source, user=None) -> Source:
    """Publish one source document (its original text becomes public)."""
    if source.status != PublicationStatus.PUBLISHED:
        source.status = PublicationStatus.PUBLISHED
        _attribute(source, user=user, reason="Published")
        source.save()
    return source


def source_unpublish(*, source: Source, user=None) -> Source:
    if source.status != PublicationStatus.DRAFT:
        source.status = PublicationStatus.DRAFT
        _attribute(source, user=user, reason="Unpublished")
        source.save()
    return source


# ---------------------------------------------------------------------------
# Actions
# ---------------------------------------------------------------------------


def action_status_set(*, action: Action, status: str, user=None) -> Action:
    """Record an action's new status; ``Action.save()`` stamps when it changed."""
    if status not in Action.Status.values:
        raise ValueError(f"Unknown action status {status!r}.")
    if action.status != status:
        action.status = status
        _attribute(action, user=user, reason=f"Status set to {Action.Status(status).label}")
        action.save()
    return action


# ---------------------------------------------------------------------------
# Themes
# ---------------------------------------------------------------------------


@dataclass
class ThemeMergeResult:
    into: Theme
    merged: list[str] = field(default_factory=list)  # names of the themes merged away
    moved: dict[str, int] = field(default_factory=lambda: {"learning points": 0, "recommendations": 0, "actions": 0})


@transaction.atomic
def theme_merge(*, themes: Iterable[Theme], into: Theme, user=None) -> ThemeMergeResult:
    """Merge ``themes`` into ``into``, like django-taggit's tag merge.

    Every learning point, recommendation and action filed under a merged
    theme is filed under ``into`` instead; the merged theme's aliases move
    over, its own name becomes an alias of ``into`` (so the heading a board
    used still finds it), its related themes become ``into``'s, its old
    addresses and its current one answer 301 to ``into``'s page, and the
    merged theme is deleted. Each moved item gets one history entry saying
    what happened.
    """
    result = ThemeMergeResult(into=into)
    for theme in themes:
        if theme.pk == into.pk:
            continue
        reason = f"Theme “{theme.name}” merged into “{into.name}”"
        for label, model in (
            ("learning points", LearningPoint),
            ("recommendations", Recommendation),
            ("actions", Action),
        ):
            for item in model.objects.filter(themes=theme):
                # One history entry per item (after the change), not one per m2m step.
                item.skip_history_when_saving = True
                item.themes.add(into)
                item.themes.remove(theme)
                del item.skip_history_when_saving
                _attribute(item, user=user, reason=reason)
                item.save()
                result.moved[label] += 1
        for alias in ThemeAlias.objects.filter(theme=theme):
            alias.theme = into
            _attribute(alias, user=user, reason=reason)
            alias.save()
        known = {normalise(into.name), *(normalise(name) for name in into.aliases.values_list("name", flat=True))}
        if normalise(theme.name) not in known and not ThemeAlias.objects.filter(name__iexact=theme.name).exists():
            _attribute(ThemeAlias(theme=into, name=theme.name), user=user, reason=reason).save()
        into.related_themes.add(*theme.related_themes.exclude(pk=into.pk))
        OldSlug.objects.for_object(theme).update(object_id=into.pk)
        OldSlug.remember(obj=into, slug=theme.slug)
        result.merged.append(theme.name)
        _attribute(theme, user=user, reason=reason)
        theme.delete()
    return result


# ---------------------------------------------------------------------------
# Importing a briefing
# ---------------------------------------------------------------------------

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
    """A slug from ``text`` that no ``model`` object uses yet."""
    base = slugify(text)[:max_length].strip("-") or model._meta.model_name
    slug, n = base, 2
    while model._default_manager.filter(slug=slug).exists():
        suffix = f"-{n}"
        slug = f"{base[: max_length - len(suffix)]}{suffix}"
        n += 1
    return slug


def partnership_named_in(text: str, *, headings: Iterable[str] = ()) -> Partnership | None:
    """The existing partnership the text names in full, if it names exactly one;
    when it names several, the one its headings name, if exactly one."""
    haystack = normalise(text)
    found = [p for p in Partnership.objects.all() if normalise(p.name) in haystack]
    if len(found) > 1:
        titles = normalise(" | ".join(headings))
        found = [p for p in found if normalise(p.name) in titles]
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
    no entries or the file name is already used by a source.
    """
    parsed = parse_briefing(text)
    if not parsed.candidates:
        raise BriefingFileError(
            f"No paragraphs or bullets that could be entries were found in “{file_name}”. "
            "Check it is the text of a briefing."
        )
    if file_name and Source.objects.filter(file_name=file_name).exists():
        existing = Source.objects.get(file_name=file_name)
        raise BriefingFileError(
            f"A source from a file called “{file_name}” is already in the knowledge base (“{existing.title}”). "
            "If this is a different briefing, rename the file and upload it again."
        )
    detected = False
    if partnership is None:
        partnership = partnership_named_in(text, headings=parsed.headings)
        detected = partnership is not None
    fallback = PurePath(file_name).stem if file_name else "Imported briefing"
    review_title = (title or parsed.title or fallback)[:300]
    source_title = (parsed.source_title or review_title)[:300]
    reason = f"Imported from {file_name}" if file_name else "Imported"

    source = Source(
        slug=unique_slug(Source, source_title),
        title=source_title,
        partnership=partnership,
        kind=parsed.source_kind,
        published_on=parsed.published_on,
        published_precision=parsed.published_precision,
        original_text=text,
        file_name=file_name[:255],
        excluded_passages=parsed.excluded,
        status=PublicationStatus.DRAFT,
    )
    _attribute(source, user=user, reason=reason).save()
    review = Review(
        slug=unique_slug(Review, review_title),
        title=review_title,
        review_type=parsed.review_type,
        partnership=partnership,
        status=PublicationStatus.DRAFT,
    )
    _attribute(review, user=user, reason=reason).save()
    review.sources.add(source)

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
        _attribute(resource, user=user, reason=reason).save()
        resources[key] = resource

    matcher = theme_matcher()
    created: dict[int, object] = {}
    counts = dict.fromkeys([LEARNING, GOOD_PRACTICE, RECOMMENDATION, ACTION, CASE_FACT], 0)
    themed = 0
    for index, candidate in enumerate(parsed.candidates):
        common = {"review": review, "source": source, "text": candidate.text, "heading": candidate.heading}
        position = (index + 1) * 10
        if candidate.kind in (LEARNING, GOOD_PRACTICE):
            kind = LearningPoint.Kind.GOOD_PRACTICE if candidate.kind == GOOD_PRACTICE else LearningPoint.Kind.LEARNING
            item = LearningPoint(kind=kind, position=position, **common)
        elif candidate.kind == RECOMMENDATION:
            item = Recommendation(
                number=candidate.number, addressed_to=candidate.addressed_to, position=position, **common
            )
        elif candidate.kind == ACTION:
            answers = created.get(candidate.responds_to) if candidate.responds_to is not None else None
            item = Action(recommendation=answers, owner=candidate.owner, position=position, **common)
        else:
            item = CaseFact(position=position, **common)
        _attribute(item, user=user, reason=reason).save()
        created[index] = item
        counts[candidate.kind] += 1
        if candidate.resources and hasattr(item, "resources"):
            item.resources.set([resources[key] for key in candidate.resources if key in resources])
        if hasattr(item, "themes"):
            suggested = matcher.suggest(text=candidate.text, heading=candidate.heading)
            if suggested:
                # Its own history entry, so editors can see the themes were a suggestion.
                _attribute(item, user=user, reason="Themes suggested automatically on import")
                item.themes.set(suggested)
                themed += 1
    return BriefingImportResult(
        review=review, source=source, parsed=parsed, counts=counts, themed=themed, partnership_detected=detected
    )

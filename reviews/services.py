"""Writes: publishing, action status, merging themes, importing a briefing.

Each service is a function named ``<entity>_<action>`` with keyword-only
arguments, runs in one transaction, and saves through the models' ``save()``
so that edit history (django-simple-history) records who did what and why.
The admin and the management commands call these; they never repeat the rules.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import reduce
from pathlib import PurePath

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.text import slugify
from taggit.models import Tag

from .importing.decoding import BriefingFileError, candidate_limit
from .importing.structure import (
    ACTION,
    CASE_FACT,
    GOOD_PRACTICE,
    LEARNING,
    RECOMMENDATION,
    ParsedBriefing,
    parse_briefing,
)
from .importing.themes import ThemeMatcher
from .models import (
    Action,
    CaseFact,
    CoursePackItem,
    LearningPoint,
    OldSlug,
    Partnership,
    PublicationStatus,
    Recommendation,
    ReflectionQuestion,
    Resource,
    Review,
    Source,
    Theme,
    ThemeAlias,
)
from .models.content import ThemeMerge
from .text import comparable_text


def _attribute(obj, *, user=None, reason: str = ""):
    """Tell the edit history who made the next save of ``obj``, and why."""
    if user is not None and getattr(user, "is_authenticated", False):
        obj._history_user = user
    # simple-history's reason is a CharField(max_length=100), which PostgreSQL enforces.
    obj._change_reason = reason[:100] if reason else None
    return obj


# ---------------------------------------------------------------------------
# Publishing
# ---------------------------------------------------------------------------


# Each way a source can be drawn on: the model, and its field naming the source.
SOURCE_USES = (
    (Review.sources.through, "source"),
    (LearningPoint, "source"),
    (Recommendation, "source"),
    (Action, "source"),
    (CaseFact, "source"),
)


def _review_sources(review: Review):
    """The review's sources and every source one of its entries quotes, so that
    no published entry links to a draft source.

    One ``EXISTS`` per relation rather than one join across all five: joining
    them multiplies rows (a source with 2,000 learning points and 500
    recommendations makes a million), however small this review is.
    """
    uses = [
        Exists(model.objects.filter(review=review, **{source_field: OuterRef("pk")}))
        for model, source_field in SOURCE_USES
    ]
    return Source.objects.filter(reduce(operator.or_, uses))


def _still_needed():
    """Sources that must stay public: drawn on by a published review or one of
    its entries, or carrying learning of their own (cross-cutting learning
    points, not tied to a review). One ``EXISTS`` per relation, as above."""
    published = PublicationStatus.PUBLISHED
    uses = [
        Exists(model.objects.filter(review__status=published, **{source_field: OuterRef("pk")}))
        for model, source_field in SOURCE_USES
    ]
    uses.append(Exists(LearningPoint.objects.filter(review__isnull=True, source=OuterRef("pk"))))
    return reduce(operator.or_, uses)


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
    sources = _review_sources(review).filter(status=PublicationStatus.PUBLISHED).exclude(_still_needed())
    for source in sources:
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
    moved: dict[str, int] = field(
        default_factory=lambda: {
            "learning points": 0,
            "recommendations": 0,
            "actions": 0,
            "reflection questions": 0,
            "course pack steps": 0,
        }
    )


# Relations to Theme that theme_merge() does not move because they are derived
# (the search index is rebuilt from the items' themes) or are history.
THEME_RELATIONS_NOT_MOVED = {"SearchEntry", "SearchEntryTheme"}


@transaction.atomic
def theme_merge(*, themes: Iterable[Theme], into: Theme, user=None) -> ThemeMergeResult:
    """Merge ``themes`` into ``into``, like django-taggit's tag merge.

    Everything that points at a merged theme points at ``into`` instead:
    learning points, recommendations and actions are filed under it (one
    history entry each saying what happened); trainers' reflection questions
    and course-pack steps move to it, so nothing staff wrote is lost; its
    aliases move over and its own name becomes an alias of ``into`` (so the
    heading a board used still finds it); its related themes become
    ``into``'s. Its old addresses and its current one answer 301 to ``into``'s
    page, and a ``ThemeMerge`` record sends its permanent link (``/t/<id>/``)
    there too. Then the merged theme is deleted.
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
        result.moved["reflection questions"] += _move_reflection_questions(theme=theme, into=into)
        for step in CoursePackItem.objects.filter(theme=theme):
            step.theme = into
            step.save()  # also renews the label shown if the theme is ever removed
            result.moved["course pack steps"] += 1
        for alias in ThemeAlias.objects.filter(theme=theme):
            alias.theme = into
            _attribute(alias, user=user, reason=reason)
            alias.save()
        alias_names = into.aliases.values_list("name", flat=True)
        known = {comparable_text(into.name), *(comparable_text(name) for name in alias_names)}
        if comparable_text(theme.name) not in known and not ThemeAlias.objects.filter(name__iexact=theme.name).exists():
            _attribute(ThemeAlias(theme=into, name=theme.name), user=user, reason=reason).save()
        related = list(theme.related_themes.exclude(pk=into.pk).exclude(pk__in=into.related_themes.all()))
        if related or into.related_themes.filter(pk=theme.pk).exists():
            into.skip_history_when_saving = True
            into.related_themes.add(*related)
            into.related_themes.remove(theme)
            del into.skip_history_when_saving
            _attribute(into, user=user, reason=reason)
            into.save()
        OldSlug.objects.for_object(theme).update(object_id=into.pk)
        OldSlug.remember(obj=into, slug=theme.slug)
        ThemeMerge.objects.filter(into=theme).update(into=into)  # themes merged into this one earlier
        ThemeMerge.objects.update_or_create(
            merged_theme_id=theme.pk,
            defaults={"merged_name": theme.name, "merged_slug": theme.slug, "into": into, "merged_by": _person(user)},
        )
        result.merged.append(theme.name)
        _attribute(theme, user=user, reason=reason)
        theme.delete()
    return result


def _move_reflection_questions(*, theme: Theme, into: Theme) -> int:
    """Give ``into`` the reflection questions written for ``theme``.

    A question ``into`` already has word for word is not duplicated: the
    merged theme's copy is deleted, and printed if either copy was.
    """
    moved = 0
    for question in ReflectionQuestion.objects.filter(theme=theme):
        twin = ReflectionQuestion.objects.filter(theme=into, text=question.text).first()
        if twin is None:
            question.theme = into
            question.save()
        else:
            if question.is_active and not twin.is_active:
                twin.is_active = True
                twin.save()
            question.delete()
        moved += 1
    return moved


def theme_merged_into(*, pk: int) -> Theme | None:
    """The theme a merged (deleted) theme, known by its old primary key, now lives on in.

    For the permanent link ``/t/<pk>/`` of a theme that was merged: it should
    lead to this theme, as the merged theme's old slugs do.
    """
    return ThemeMerge.objects.kept_theme_for(pk)


def _person(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


# ---------------------------------------------------------------------------
# Tags
# ---------------------------------------------------------------------------


@dataclass
class TagMergeResult:
    into: Tag
    merged: list[str] = field(default_factory=list)  # names of the tags merged away
    retagged: int = 0  # reviews that had a merged tag


@transaction.atomic
def tag_merge(*, tags: Iterable[Tag], into: Tag, user=None) -> TagMergeResult:
    """Merge ``tags`` into ``into``, as django-taggit's admin does, for review
    tags: each review with a merged tag gets ``into`` instead (one history
    entry each saying so), and the merged tags are deleted."""
    result = TagMergeResult(into=into)
    for tag in tags:
        if tag.pk == into.pk:
            continue
        reason = f"Tag “{tag.name}” merged into “{into.name}”"
        for review in Review.objects.filter(tags=tag):
            review.skip_history_when_saving = True
            review.tags.add(into)
            review.tags.remove(tag)
            del review.skip_history_when_saving
            _attribute(review, user=user, reason=reason)
            review.save()
            result.retagged += 1
        result.merged.append(tag.name)
        tag.delete()
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
        linked = False
        if candidate.resources and hasattr(item, "resources"):
            # Recorded with the themes below, or on its own: one entry, not one per step.
            item.skip_history_when_saving = True
            item.resources.set([resources[key] for key in candidate.resources if key in resources])
            del item.skip_history_when_saving
            linked = True
        if hasattr(item, "themes"):
            suggested = matcher.suggest(text=candidate.text, heading=candidate.heading)
            if suggested:
                # Its own history entry, so editors can see the themes were a suggestion.
                _attribute(item, user=user, reason="Themes suggested automatically on import")
                item.themes.set(suggested)
                themed += 1
            elif linked:
                _attribute(item, user=user, reason="Resources named in the briefing linked on import")
                item.save()
    return BriefingImportResult(
        review=review, source=source, parsed=parsed, counts=counts, themed=themed, partnership_detected=detected
    )

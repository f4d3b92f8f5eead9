"""Merging themes and tags, as django-taggit's admin merges tags: everything
filed under the ones merged away is filed under the one kept."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from taggit.models import Tag

from .. import caching
from ..models import (
    Action,
    CaseFact,
    CoursePackItem,
    GuideClaim,
    LearningPoint,
    LearningUse,
    OldSlug,
    PublicationStatus,
    Recommendation,
    ReflectionQuestion,
    Review,
    Theme,
    ThemeAlias,
    ThemeGuide,
    ThemeMerge,
)
from ..text import comparable_text
from .history import attribute_change, signed_in_person

# ---------------------------------------------------------------------------
# Themes
# ---------------------------------------------------------------------------


@dataclass
class ThemeMergeResult:
    into: Theme
    merged: list[str] = field(default_factory=list)  # names of the themes merged away
    moved: dict[str, int] = field(
        default_factory=lambda: {
            "case facts": 0,
            "learning points": 0,
            "recommendations": 0,
            "actions": 0,
            "reflection questions": 0,
            "course pack steps": 0,
            "uses recorded": 0,
            "guide sentences and points": 0,
        }
    )


# Relations to Theme that theme_merge() does not move because they are derived
# (the search index and the kept counts and relations are written again from
# the items' themes) or are history.
THEME_RELATIONS_NOT_MOVED = {"SearchEntry", "SearchEntryTheme", "ThemeLink", "ThemeFigures", "ThemePair"}


@transaction.atomic
def theme_merge(*, themes: Iterable[Theme], into: Theme, user=None) -> ThemeMergeResult:
    """Merge ``themes`` into ``into``, like django-taggit's tag merge.

    Everything that points at a merged theme points at ``into`` instead:
    case facts, learning points, recommendations and actions are filed under it (one
    history entry each saying what happened); trainers' reflection questions
    and course-pack steps move to it, so nothing staff wrote is lost; its
    aliases move over and its own name becomes an alias of ``into`` (so the
    heading a board used still finds it); its related themes, and the national
    themes it falls under, become ``into``'s. Its old addresses and its current one answer 301 to ``into``'s
    page, and a ``ThemeMerge`` record sends its permanent link (``/t/<id>/``)
    there too. Then the merged theme is deleted.
    """
    result = ThemeMergeResult(into=into)
    for theme in themes:
        if theme.pk == into.pk:
            continue
        reason = f"Theme “{theme.name}” merged into “{into.name}”"
        for label, count in _refile_items(theme=theme, into=into, user=user, reason=reason).items():
            result.moved[label] += count
        result.moved["reflection questions"] += _move_reflection_questions(theme=theme, into=into)
        result.moved["course pack steps"] += _move_course_pack_steps(theme=theme, into=into)
        result.moved["uses recorded"] += _move_uses(theme=theme, into=into, user=user, reason=reason)
        _move_aliases(theme=theme, into=into, user=user, reason=reason)
        _move_related_themes(theme=theme, into=into, user=user, reason=reason)
        _move_national_links(theme=theme, into=into, user=user, reason=reason)
        result.moved["guide sentences and points"] += _move_guide(theme=theme, into=into, user=user, reason=reason)
        _redirect_to_kept_theme(theme=theme, into=into, user=user)
        result.merged.append(theme.name)
        attribute_change(theme, user=user, reason=reason)
        theme.delete()
    # Old addresses and merge records move with QuerySet.update(), which sends no signal.
    caching.content_changed()
    return result


def _refile_items(*, theme: Theme, into: Theme, user, reason: str) -> dict[str, int]:
    """File the case facts, learning points, recommendations and actions under ``into``;
    how many of each."""
    moved = {}
    for label, model in (
        ("case facts", CaseFact),
        ("learning points", LearningPoint),
        ("recommendations", Recommendation),
        ("actions", Action),
    ):
        moved[label] = 0
        for item in model.objects.filter(themes=theme):
            # One history entry per item (after the change), not one per m2m step.
            item.skip_history_when_saving = True
            item.themes.add(into)
            item.themes.remove(theme)
            del item.skip_history_when_saving
            attribute_change(item, user=user, reason=reason)
            item.save()
            moved[label] += 1
    return moved


def _move_national_links(*, theme: Theme, into: Theme, user, reason: str) -> None:
    """The national themes ``theme`` fell under, ``into`` falls under now, with the same reason; where
    ``into`` already falls under one, its own reason stands (the merged theme's link goes with it)."""
    kept = set(into.national_links.values_list("national_theme_id", flat=True))
    for link in theme.national_links.all():
        if link.national_theme_id in kept:
            continue  # deleted with the theme (cascade), recorded in the link's history
        link.theme = into
        attribute_change(link, user=user, reason=reason)
        link.save()


def _move_guide(*, theme: Theme, into: Theme, user, reason: str) -> int:
    """``theme``'s guide becomes ``into``'s; if ``into`` has one, the merged guide's sentences and points
    follow its own (nothing editors wrote is lost). A draft's sentences never go public that way: ``into``'s
    guide is then a draft again until an editor has read it and publishes it. How many sentences moved."""
    guide = ThemeGuide.objects.filter(theme=theme).first()
    if guide is None:
        return 0
    kept = ThemeGuide.objects.filter(theme=into).first()
    if kept is None:
        guide.theme = into
        attribute_change(guide, user=user, reason=reason)
        guide.save()
        return guide.claims.count()
    start = (kept.claims.aggregate(last=Max("position"))["last"] or 0) + 1
    claims = list(GuideClaim.objects.filter(guide=guide).order_by("position", "pk"))
    for offset, claim in enumerate(claims):
        claim.guide = kept
        claim.position = start + offset
        attribute_change(claim, user=user, reason=reason)
        claim.save()
    if claims and kept.is_published and not guide.is_published:
        kept.status = PublicationStatus.DRAFT
        attribute_change(kept, user=user, reason=f"{reason}: a draft guide's sentences joined it")
        kept.save()
    return len(claims)


def _move_uses(*, theme: Theme, into: Theme, user, reason: str) -> int:
    """The uses recorded of ``theme`` become uses of ``into`` (a team briefing on the merged theme was one
    on the kept theme's learning); each with a history entry saying why."""
    moved = 0
    for use in LearningUse.objects.filter(theme=theme):
        use.theme = into
        attribute_change(use, user=user, reason=reason)
        use.save()
        moved += 1
    return moved


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


def _move_course_pack_steps(*, theme: Theme, into: Theme) -> int:
    moved = 0
    for step in CoursePackItem.objects.filter(theme=theme):
        step.theme = into
        step.save()  # also renews the label shown if the theme is ever removed
        moved += 1
    return moved


def _move_aliases(*, theme: Theme, into: Theme, user, reason: str) -> None:
    """``theme``'s aliases become ``into``'s, and so does its name unless ``into`` already answers to it."""
    for alias in ThemeAlias.objects.filter(theme=theme):
        alias.theme = into
        attribute_change(alias, user=user, reason=reason)
        alias.save()
    alias_names = into.aliases.values_list("name", flat=True)
    known = {comparable_text(into.name), *(comparable_text(name) for name in alias_names)}
    if comparable_text(theme.name) not in known and not ThemeAlias.objects.filter(name__iexact=theme.name).exists():
        attribute_change(ThemeAlias(theme=into, name=theme.name), user=user, reason=reason).save()


def _move_related_themes(*, theme: Theme, into: Theme, user, reason: str) -> None:
    related = list(theme.related_themes.exclude(pk=into.pk).exclude(pk__in=into.related_themes.all()))
    if related or into.related_themes.filter(pk=theme.pk).exists():
        into.skip_history_when_saving = True
        into.related_themes.add(*related)
        into.related_themes.remove(theme)
        del into.skip_history_when_saving
        attribute_change(into, user=user, reason=reason)
        into.save()


def _redirect_to_kept_theme(*, theme: Theme, into: Theme, user) -> None:
    """``theme``'s addresses, old and current, and its permanent link lead to ``into``."""
    OldSlug.objects.for_object(theme).update(object_id=into.pk)
    OldSlug.remember(obj=into, slug=theme.slug)
    ThemeMerge.objects.filter(into=theme).update(into=into)  # themes merged into this one earlier
    ThemeMerge.objects.update_or_create(
        merged_theme_id=theme.pk,
        defaults={
            "merged_name": theme.name,
            "merged_slug": theme.slug,
            "into": into,
            "merged_by": signed_in_person(user),
        },
    )


def theme_merged_into(*, pk: int) -> Theme | None:
    """The theme a merged (deleted) theme, known by its old primary key, now lives on in.

    For the permanent link ``/t/<pk>/`` of a theme that was merged: it should
    lead to this theme, as the merged theme's old slugs do.
    """
    return ThemeMerge.objects.kept_theme_for(pk)


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
            attribute_change(review, user=user, reason=reason)
            review.save()
            result.retagged += 1
        result.merged.append(tag.name)
        tag.delete()
    caching.content_changed()
    return result

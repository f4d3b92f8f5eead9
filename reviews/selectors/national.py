"""National themes: the frameworks and their themes with counts, and one
national theme's page (the local themes under it and their learning, across
partnerships).

Frameworks and national themes have no status: they are the publishers' own
names for their themes, recorded by editors. What sits under them follows the
usual rules: the public sees a local theme only once published content uses it
(``Theme.objects.visible_to``), and counts are of published content only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Window
from django.db.models.functions import RowNumber

from ..kept.pending import flush as kept_flush
from ..models import LearningPoint, NationalTheme, Review, Theme, ThemeFramework, ThemeNationalLink
from .common import learning_points_for_page, visible_points, with_theme_counts

# Local themes per page of a national theme, and learning points shown under each (newest reviews first).
LOCAL_THEMES_PER_PAGE = 5
LEARNING_PER_THEME = 10


def national_theme_links() -> Prefetch:
    """A theme's links to national themes, with the national theme and its framework, in their order."""
    return Prefetch(
        "national_links",
        queryset=ThemeNationalLink.objects.select_related("national_theme__framework").order_by(
            "national_theme__framework__position",
            "national_theme__framework__name",
            "national_theme__position",
            "national_theme__name",
        ),
    )


def national_theme_index(user) -> list[ThemeFramework]:
    """Every framework with its themes, each annotated with ``local_theme_count`` (local themes the
    user may see under it) and ``review_count`` (distinct published reviews any of them is in), in 2 queries."""
    kept_flush()
    visible_themes = Theme.objects.visible_to(user)
    themes = NationalTheme.objects.annotate(
        local_theme_count=Count("local_themes", filter=Q(local_themes__in=visible_themes.values("pk")), distinct=True),
        review_count=Count(
            "local_themes__links__review",
            filter=Q(local_themes__links__published=True),
            distinct=True,
        ),
    ).order_by("position", "name")
    return list(ThemeFramework.objects.prefetch_related(Prefetch("themes", queryset=themes)))


@dataclass
class ReviewLearning:
    """The learning of one review (or, ``review`` None, of no one review) under a local theme."""

    review: Review | None
    review_id: int | None
    points: list[LearningPoint] = field(default_factory=list)


@dataclass
class LocalThemeBlock:
    """A local theme under the national theme: why it is there, and some of its learning by review."""

    link: ThemeNationalLink
    theme: Theme  # with its counts (``with_theme_counts``)
    reviews: list[ReviewLearning] = field(default_factory=list)
    shown: int = 0  # learning points shown here (at most ``LEARNING_PER_THEME``)


@dataclass
class NationalThemePage:
    national_theme: NationalTheme
    links: list[ThemeNationalLink]  # every local theme under it the user may see, with why
    page: Page  # of those local themes
    blocks: list[LocalThemeBlock]


def national_theme_detail(user, framework: str, slug: str, *, page_number: Any = 1) -> NationalThemePage | None:
    """A national theme's page in a fixed number of queries, whatever the data (about 11).

    The local themes under it that the user may see (each with the reason it is
    there), then, for a page of them, the newest ``LEARNING_PER_THEME`` learning
    points on each, grouped by review (with its partnership). A theme's page has
    the rest.
    """
    national = NationalTheme.objects.select_related("framework").filter(framework__slug=framework, slug=slug).first()
    if national is None:
        return None
    visible_themes = Theme.objects.visible_to(user)
    links = list(
        ThemeNationalLink.objects.filter(national_theme=national, theme__in=visible_themes.values("pk"))
        .select_related("theme")
        .order_by("theme__name", "pk")
    )
    page = Paginator(links, LOCAL_THEMES_PER_PAGE).get_page(page_number)
    page_links = list(page.object_list)
    counted = with_theme_counts(Theme.objects.filter(pk__in=[link.theme_id for link in page_links])).in_bulk()
    blocks = {link.theme_id: LocalThemeBlock(link=link, theme=counted[link.theme_id]) for link in page_links}
    _attach_learning(user, blocks)
    return NationalThemePage(national_theme=national, links=links, page=page, blocks=list(blocks.values()))


def _attach_learning(user, blocks: dict[int, LocalThemeBlock]) -> None:
    """The newest learning on each theme of ``blocks``, at most ``LEARNING_PER_THEME`` each: one query
    numbers each theme's learning points (newest review first, then the briefing's order) and keeps the first
    few, then one reads them with what their display needs."""
    if not blocks:
        return
    order = [
        F("learningpoint__review__published_on").desc(nulls_last=True),
        F("learningpoint__review_id").desc(nulls_last=True),
        F("learningpoint__position"),
        F("learningpoint_id"),
    ]
    through = LearningPoint.themes.through
    numbered = (
        through.objects.filter(theme_id__in=list(blocks))
        .filter(Exists(visible_points(user).filter(pk=OuterRef("learningpoint_id"))))
        .annotate(place=Window(RowNumber(), partition_by=[F("theme_id")], order_by=order))
        .filter(place__lte=LEARNING_PER_THEME)
        .values_list("theme_id", "learningpoint_id", "place")
    )
    wanted = sorted(numbered, key=lambda row: (row[0], row[2]))
    points = (
        learning_points_for_page(user)
        .select_related("review__partnership")
        .in_bulk({point_id for _theme, point_id, _place in wanted})
    )
    for theme_id, point_id, _place in wanted:
        point = points.get(point_id)
        if point is None:
            continue
        block = blocks[theme_id]
        if not block.reviews or block.reviews[-1].review_id != point.review_id:
            block.reviews.append(ReviewLearning(review=point.review, review_id=point.review_id))
        block.reviews[-1].points.append(point)
        block.shown += 1

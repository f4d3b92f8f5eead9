"""The home page: themes with counts, the recurring-themes grid, the most recent reviews."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet

from ..models import Review, Theme
from .common import (
    GRID_REVIEWS,
    GRID_THEMATIC,
    RECENT_REVIEWS,
    Holdings,
    kept_links,
    knowledge_base_holdings,
    review_order,
    visible_themes,
    with_theme_counts,
)


@dataclass
class GridRow:
    """One theme's row of the recurring-themes grid."""

    theme: Theme
    counts: list[int]  # per column review: its case facts, learning points, recommendations and actions on the theme
    reviews: list[Review]  # the columns: single reviews, then thematic ones
    single_columns: int  # how many of the columns are single reviews

    @property
    def cells(self) -> list[tuple[Review, int]]:
        return list(zip(self.reviews, self.counts, strict=True))

    @property
    def single_cells(self) -> list[tuple[Review, int]]:
        return self.cells[: self.single_columns]

    @property
    def thematic_cells(self) -> list[tuple[Review, int]]:
        return self.cells[self.single_columns :]

    @property
    def found_in(self) -> list[Review]:
        """The single reviews (of the columns) the theme was found in."""
        return [review for review, count in self.single_cells if count]

    @property
    def found_in_thematic(self) -> list[Review]:
        return [review for review, count in self.thematic_cells if count]


@dataclass
class RecurrenceGrid:
    """Which themes recur across which reviews: rows are themes, columns the most recent single
    reviews, then (counted apart, since each looks across several cases) the most recent thematic reviews."""

    reviews: list[Review]  # single reviews (one case, or a few published together)
    thematic: list[Review]  # thematic reviews and briefings on recurring themes
    rows: list[GridRow]
    total_reviews: int  # published single reviews
    total_thematic: int  # published thematic reviews

    @property
    def columns(self) -> list[Review]:
        return self.reviews + self.thematic

    @property
    def is_partial(self) -> bool:
        return self.total_reviews > len(self.reviews)

    @property
    def thematic_is_partial(self) -> bool:
        return self.total_thematic > len(self.thematic)

    @property
    def recurring(self) -> list[GridRow]:
        """Rows of themes found in more than one of the single reviews shown."""
        return [row for row in self.rows if len(row.found_in) > 1]

    @property
    def found_once(self) -> list[GridRow]:
        return [row for row in self.rows if len(row.found_in) == 1]

    @property
    def thematic_only(self) -> list[GridRow]:
        """Rows of themes found in none of the single reviews shown, only in thematic ones."""
        return [row for row in self.rows if not row.found_in]


def recurrence_grid(
    *, limit: int = GRID_REVIEWS, thematic_limit: int = GRID_THEMATIC, holdings: Holdings | None = None
) -> RecurrenceGrid:
    """Themes × the ``limit`` most recent published single reviews and the ``thematic_limit`` most
    recent thematic ones, recurring themes first (3 queries; 4 unless ``holdings``, as
    ``knowledge_base_holdings`` reads them, is given).

    A thematic review (``Review.ReviewType.THEMATIC``) draws on several cases, so
    it is counted apart: a theme "recurs" when more than one single review has it.
    A theme is in a review's column by the one rule (``theme_links``, as kept
    in ``ThemeLink``): one of the review's case facts, learning points,
    recommendations or actions is on it; the cell counts them (every entry the
    review published: unlike the theme cards' distinct learning, a learning
    point repeated from an earlier briefing counts in each review).
    """
    holdings = knowledge_base_holdings() if holdings is None else holdings
    published = Review.objects.published().select_related("partnership").order_by(*review_order())
    thematic_type = Review.ReviewType.THEMATIC
    single = list(published.exclude(review_type=thematic_type)[:limit])
    thematic = list(published.filter(review_type=thematic_type)[:thematic_limit])
    columns = single + thematic
    column = {review.pk: index for index, review in enumerate(columns)}
    counts: dict[int, list[int]] = defaultdict(lambda: [0] * len(columns))
    themes: dict[int, Theme] = {}
    # One query of (theme, review) links with their themes, rather than one query per cell.
    for link in kept_links().filter(review__in=list(column)).select_related("theme"):
        counts[link.theme_id][column[link.review_id]] += link.entries
        themes[link.theme_id] = link.theme
    rows = [
        GridRow(theme=themes[theme_id], counts=cells, reviews=columns, single_columns=len(single))
        for theme_id, cells in counts.items()
    ]
    rows.sort(key=lambda row: (-len(row.found_in), -len(row.found_in_thematic), row.theme.name.lower()))
    return RecurrenceGrid(
        reviews=single,
        thematic=thematic,
        rows=rows,
        total_reviews=holdings.reviews - holdings.thematic,
        total_thematic=holdings.thematic,
    )


def recent_reviews(user, *, limit: int = RECENT_REVIEWS) -> list[Review]:
    """The newest reviews the user may see."""
    return list(Review.objects.visible_to(user).select_related("partnership").order_by(*review_order())[:limit])


def themes_with_counts(user) -> QuerySet[Theme]:
    """The themes the user may see (``visible_themes``: public ones, and staff also see
    those no published entry uses yet) with their public counts, for the home page and
    the theme index."""
    return with_theme_counts(visible_themes(user).prefetch_related("aliases")).order_by("name")

"""The home page: themes with counts, the recurring-themes grid, the most recent reviews."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet

from ..models import Review, Theme
from .common import GRID_REVIEWS, RECENT_REVIEWS, kept_links, review_order, with_theme_counts


@dataclass
class GridRow:
    """One theme's row of the recurring-themes grid."""

    theme: Theme
    counts: list[int]  # per column review: its learning points, recommendations and actions on the theme
    reviews: list[Review]

    @property
    def cells(self) -> list[tuple[Review, int]]:
        return list(zip(self.reviews, self.counts, strict=True))

    @property
    def found_in(self) -> list[Review]:
        return [review for review, count in self.cells if count]


@dataclass
class RecurrenceGrid:
    """Which themes recur across which reviews: rows are themes, columns the most recent reviews."""

    reviews: list[Review]
    rows: list[GridRow]
    total_reviews: int

    @property
    def is_partial(self) -> bool:
        return self.total_reviews > len(self.reviews)

    @property
    def recurring(self) -> list[GridRow]:
        """Rows of themes found in more than one of the reviews shown."""
        return [row for row in self.rows if len(row.found_in) > 1]

    @property
    def found_once(self) -> list[GridRow]:
        return [row for row in self.rows if len(row.found_in) == 1]


def recurrence_grid(*, limit: int = GRID_REVIEWS, total_reviews: int | None = None) -> RecurrenceGrid:
    """Themes × the ``limit`` most recent published reviews, recurring themes first (3 queries; 2 when
    the number of published reviews is given, as ``public_totals`` counts it).

    A theme is in a review's column by the one rule (``theme_links``, as kept
    in ``ThemeLink``): one of the review's case facts, learning points,
    recommendations or actions is on it; the cell counts them.
    """
    reviews = list(Review.objects.published().order_by(*review_order())[:limit])
    column = {review.pk: index for index, review in enumerate(reviews)}
    counts: dict[int, list[int]] = defaultdict(lambda: [0] * len(reviews))
    themes: dict[int, Theme] = {}
    # One query of (theme, review) links with their themes, rather than one query per cell.
    for link in kept_links().filter(review__in=list(column)).select_related("theme"):
        counts[link.theme_id][column[link.review_id]] += link.entries
        themes[link.theme_id] = link.theme
    rows = [GridRow(theme=themes[theme_id], counts=cells, reviews=reviews) for theme_id, cells in counts.items()]
    rows.sort(key=lambda row: (-len(row.found_in), row.theme.name.lower()))
    total = Review.objects.published().count() if total_reviews is None else total_reviews
    return RecurrenceGrid(reviews=reviews, rows=rows, total_reviews=total)


def recent_reviews(user, *, limit: int = RECENT_REVIEWS) -> list[Review]:
    """The newest reviews the user may see."""
    return list(Review.objects.visible_to(user).select_related("partnership").order_by(*review_order())[:limit])


def themes_with_counts(user) -> QuerySet[Theme]:
    """The themes the user may see (``Theme.objects.visible_to``: public ones, and staff
    also see those no published entry uses yet) with their public counts, for the
    home page and the theme index."""
    return with_theme_counts(Theme.objects.visible_to(user).prefetch_related("aliases")).order_by("name")

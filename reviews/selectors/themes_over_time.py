"""Themes over time: how many reviews found each theme, year by year (``/themes/over-time/``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from ..models import Review, Theme
from .common import kept_links


@dataclass
class ThemeYears:
    """One theme's row: single reviews per year, those with no date, and thematic reviews (apart)."""

    theme: Theme
    years: list[int]  # ``ThemesOverTime.years``
    counts: list[int]  # single reviews, per year of ``years``
    undated: int
    thematic: int

    @property
    def total(self) -> int:
        """Single reviews the theme is in, dated or not."""
        return sum(self.counts) + self.undated

    @property
    def cells(self) -> list[tuple[int, int]]:
        return list(zip(self.years, self.counts, strict=True))


@dataclass
class ThemesOverTime:
    """Every theme a published review is in, with how many published reviews of each year it is in."""

    years: list[int]  # every year from the first to the last, gaps included, so that time reads evenly
    rows: list[ThemeYears]

    @property
    def peak(self) -> int:
        """The largest count of a year, the top of the chart's scale."""
        return max((count for row in self.rows for count in row.counts), default=0)

    @property
    def undated(self) -> bool:
        return any(row.undated for row in self.rows)

    @property
    def thematic(self) -> bool:
        return any(row.thematic for row in self.rows)


def themes_over_time() -> ThemesOverTime:
    """How many published reviews each theme is in, per year (1 query: one ``GROUP BY`` over the
    kept ``ThemeLink`` rows of published reviews, by theme and year).

    A theme is in a review by the one rule (``theme_links``, as kept). The year
    is the review's (``Review.year``: published, else commissioned). Thematic
    reviews (``Review.ReviewType.THEMATIC``), which look across several cases,
    are counted apart, as on the home page's grid.
    """
    thematic = Q(review__review_type=Review.ReviewType.THEMATIC)
    found = (
        kept_links()
        .filter(published=True)
        .values("theme_id", "theme__slug", "theme__name", "year")
        .annotate(reviews=Count("pk"), thematic=Count("pk", filter=thematic))
        .order_by()
    )
    by_theme: dict[int, tuple[Theme, dict[int | None, int], list[int]]] = {}
    for row in found:
        theme_id = row["theme_id"]
        if theme_id not in by_theme:
            by_theme[theme_id] = (Theme(pk=theme_id, slug=row["theme__slug"], name=row["theme__name"]), {}, [0])
        _theme, per_year, thematic_count = by_theme[theme_id]
        single = row["reviews"] - row["thematic"]
        if single:
            per_year[row["year"]] = per_year.get(row["year"], 0) + single
        thematic_count[0] += row["thematic"]
    dated = {year for _theme, per_year, _ in by_theme.values() for year in per_year if year is not None}
    years = list(range(min(dated), max(dated) + 1)) if dated else []
    rows = [
        ThemeYears(
            theme=theme,
            years=years,
            counts=[per_year.get(year, 0) for year in years],
            undated=per_year.get(None, 0),
            thematic=thematic_count[0],
        )
        for theme, per_year, thematic_count in by_theme.values()
    ]
    rows.sort(key=lambda row: (-row.total, -row.thematic, row.theme.name.lower()))
    return ThemesOverTime(years=years, rows=rows)

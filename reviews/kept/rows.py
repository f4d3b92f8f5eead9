"""What the kept rows should hold, computed from the content by the rules of ``reviews.selectors.common``.

Each function reads the content of some reviews or themes in a fixed number
of queries and returns plain values, so that ``writing.py`` can compare them
with the rows kept and write only the difference, and a full rebuild can
work through every review in batches.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, astuple, dataclass

from django.db.models import Count, Max, Min, OuterRef, Sum

from ..models import (
    THEMED_ENTRIES,
    Action,
    CaseFact,
    LearningPoint,
    PublicationStatus,
    Recommendation,
    Review,
    ThemeLink,
)
from ..selectors.common import count_holdings, count_public_learning, repeats_published_point, theme_links

# The ``ThemeLink`` column counting each kind of entry.
KIND_COLUMNS = {
    CaseFact: "case_facts",
    LearningPoint: "learning_points",
    Recommendation: "recommendations",
    Action: "actions",
}


@dataclass
class LinkRow:
    """A ``ThemeLink`` row's values, less its id."""

    published: bool
    year: int | None
    published_on: datetime.date | None
    title: str
    case_facts: int = 0
    learning_points: int = 0
    distinct_learning: int = 0
    recommendations: int = 0
    actions: int = 0

    @classmethod
    def of(cls, link: ThemeLink) -> LinkRow:
        return cls(**{name: getattr(link, name) for name in cls.__dataclass_fields__})

    def values(self) -> tuple:
        return astuple(self)


@dataclass
class ReviewRow:
    """A ``ReviewFigures`` row's values, less its review."""

    published: bool
    learning_points: int
    new_learning: int
    recommendations: int
    actions: int
    last_updated: datetime.datetime

    def values(self) -> tuple:
        return astuple(self)


@dataclass
class FiguresRow:
    """A ``ThemeFigures`` row's values, less its theme."""

    learning: int = 0
    recommendations: int = 0
    actions: int = 0
    reviews: int = 0
    first_year: int | None = None
    last_year: int | None = None

    def values(self) -> tuple:
        return astuple(self)


@dataclass
class KnowledgeBaseRow:
    """The ``KnowledgeBaseFigures`` row's values, less its id."""

    reviews: int
    partnerships: int
    thematic: int
    first_year: int | None
    last_year: int | None
    undated: int
    learning_points: int

    @classmethod
    def of(cls, row) -> KnowledgeBaseRow:
        return cls(**{name: getattr(row, name) for name in cls.__dataclass_fields__})


def knowledge_base_row(*, from_scratch: bool = False) -> KnowledgeBaseRow:
    """What the ``KnowledgeBaseFigures`` row should hold (3 queries). Its distinct learning is summed
    from the kept review figures (written just before it), or with ``from_scratch`` (for checking)
    counted over every learning point by the rule of distinct learning."""
    holdings = asdict(count_holdings())
    if from_scratch:
        learning = LearningPoint.objects.published().filter(~repeats_published_point()).count()
    else:
        learning = count_public_learning()
    return KnowledgeBaseRow(**holdings, learning_points=learning)


def link_rows(review_ids: Iterable[int]) -> dict[tuple[int, int], LinkRow]:
    """The ``ThemeLink`` rows of these reviews, by (theme, review): one query per kind of entry, and one for
    the reviews. Reviews that no longer exist have none."""
    review_ids = list(review_ids)
    reviews = {
        pk: (status == PublicationStatus.PUBLISHED, year, published_on, title)
        for pk, status, year, published_on, title in Review.objects.filter(pk__in=review_ids).values_list(
            "pk", "status", "year", "published_on", "title"
        )
    }
    rows: dict[tuple[int, int], LinkRow] = {}
    for model, links in zip(THEMED_ENTRIES, theme_links(review_id__in=list(reviews)), strict=True):
        counts = {"entries": Count("pk")}
        if model is LearningPoint:
            # Distinct learning (``distinct_learning_about``): not a repeat of a published point on the same theme.
            repeat = repeats_published_point("learningpoint__repeats_id", theme_ref=OuterRef("theme_id"))
            counts["repeats"] = Count("pk", filter=repeat)
        for found in links.order_by().values("theme_id", "review_id").annotate(**counts):
            key = (found["theme_id"], found["review_id"])
            if key not in rows:
                published, year, published_on, title = reviews[found["review_id"]]
                rows[key] = LinkRow(published=published, year=year, published_on=published_on, title=title)
            setattr(rows[key], KIND_COLUMNS[model], found["entries"])
            if model is LearningPoint:
                rows[key].distinct_learning = found["entries"] - found["repeats"]
    return rows


def review_rows(review_ids: Iterable[int]) -> dict[int, ReviewRow]:
    """The ``ReviewFigures`` rows of these reviews (five queries). ``last_updated`` is ``with_last_updated``'s."""
    reviews = dict(Review.objects.filter(pk__in=list(review_ids)).values_list("pk", "status"))
    latest: dict[int, list[datetime.datetime]] = defaultdict(list)
    counts: dict[tuple[type, int], int] = {}
    new_learning: dict[int, int] = {}
    for model in (LearningPoint, Recommendation, Action, CaseFact):
        aggregates = {"entries": Count("pk"), "latest": Max("updated_at")}
        if model is LearningPoint:
            aggregates["repeats"] = Count("pk", filter=repeats_published_point())
        found = model.objects.filter(review__in=list(reviews)).order_by().values("review_id").annotate(**aggregates)
        for row in found:
            counts[(model, row["review_id"])] = row["entries"]
            latest[row["review_id"]].append(row["latest"])
            if model is LearningPoint:
                new_learning[row["review_id"]] = row["entries"] - row["repeats"]
    updated = dict(Review.objects.filter(pk__in=list(reviews)).values_list("pk", "updated_at"))
    return {
        pk: ReviewRow(
            published=status == PublicationStatus.PUBLISHED,
            learning_points=counts.get((LearningPoint, pk), 0),
            new_learning=new_learning.get(pk, 0),
            recommendations=counts.get((Recommendation, pk), 0),
            actions=counts.get((Action, pk), 0),
            last_updated=max([updated[pk], *latest[pk]]),
        )
        for pk, status in reviews.items()
    }


def cross_cutting_learning(theme_ids: Iterable[int] | None = None) -> dict[int, int]:
    """Distinct published learning tied to no review, per theme (one query): it counts for its themes once
    its source is published."""
    learning_links = theme_links(review_id=None)[THEMED_ENTRIES.index(LearningPoint)]
    found = learning_links.filter(learningpoint__in=LearningPoint.objects.published()).filter(
        ~repeats_published_point("learningpoint__repeats_id", theme_ref=OuterRef("theme_id"))
    )
    if theme_ids is not None:
        found = found.filter(theme__in=list(theme_ids))
    return dict(found.order_by().values("theme_id").annotate(n=Count("pk")).values_list("theme_id", "n"))


def figures_rows(theme_ids: Iterable[int] | None = None) -> dict[int, FiguresRow]:
    """The ``ThemeFigures`` rows of these themes (all themes if None), from the kept ``ThemeLink`` rows
    and the learning tied to no review (two queries). Themes with no published content have none."""
    links = ThemeLink.objects.filter(published=True)
    if theme_ids is not None:
        theme_ids = list(theme_ids)
        links = links.filter(theme__in=theme_ids)
    rows: dict[int, FiguresRow] = defaultdict(FiguresRow)
    found = (
        links.order_by()
        .values("theme_id")
        .annotate(
            learning=Sum("distinct_learning"),
            recommendations=Sum("recommendations"),
            actions=Sum("actions"),
            reviews=Count("pk"),
            first_year=Min("year"),
            last_year=Max("year"),
        )
    )
    for row in found:
        theme_id = row.pop("theme_id")
        rows[theme_id] = FiguresRow(**row)
    for theme_id, learning in cross_cutting_learning(theme_ids).items():
        rows[theme_id].learning += learning
    return dict(rows)


def figures_from_links(links: dict[tuple[int, int], LinkRow], cross_cutting: dict[int, int]) -> dict[int, FiguresRow]:
    """``figures_rows`` computed from link rows in memory (for checking the kept ones)."""
    rows: dict[int, FiguresRow] = defaultdict(FiguresRow)
    for (theme, _review), link in links.items():
        if not link.published:
            continue
        row = rows[theme]
        row.learning += link.distinct_learning
        row.recommendations += link.recommendations
        row.actions += link.actions
        row.reviews += 1
        if link.year is not None:
            row.first_year = link.year if row.first_year is None else min(row.first_year, link.year)
            row.last_year = link.year if row.last_year is None else max(row.last_year, link.year)
    for theme, learning in cross_cutting.items():
        rows[theme].learning += learning
    return dict(rows)


def pairs_from_links(links: dict[tuple[int, int], LinkRow]) -> dict[tuple[int, int], int]:
    """The ``ThemePair`` counts computed from link rows in memory (for checking the kept ones)."""
    themes: dict[int, set[int]] = defaultdict(set)
    for (theme, review), link in links.items():
        if link.published:
            themes[review].add(theme)
    pairs: dict[tuple[int, int], int] = defaultdict(int)
    for found in themes.values():
        for theme in found:
            for other in found - {theme}:
                pairs[theme, other] += 1
    return dict(pairs)

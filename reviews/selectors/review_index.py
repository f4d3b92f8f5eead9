"""The review index, filtered by partnership, type, year, theme and tag."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page
from django.db.models import Exists, OuterRef, Subquery
from taggit.models import Tag

from ..models import Partnership, Review, Theme
from .common import review_cards, review_order, reviews_about


@dataclass
class ReviewFilter:
    """One filter of the review index: its query-string name, options and chosen value."""

    name: str
    label: str
    any_label: str
    options: list[tuple[str, str]]  # (value, label)
    value: str = ""
    chosen_label: str = ""


@dataclass
class ReviewIndex:
    """The filters (with their options and chosen values), a page of reviews, and what was ignored."""

    filters: list[ReviewFilter]
    page: Page
    ignored: list[str] = field(default_factory=list)  # messages about values not recognised

    @property
    def active(self) -> list[ReviewFilter]:
        return [item for item in self.filters if item.value]


def _filter_options(user) -> list[ReviewFilter]:
    """The values each filter can take: only those that find a review the user may see (5 queries)."""
    visible = Review.objects.visible_to(user)
    review_types = dict(Review.ReviewType.choices)
    used_types = set(visible.order_by().values_list("review_type", flat=True).distinct())
    years = visible.order_by("-year").filter(year__isnull=False).values_list("year", flat=True).distinct()
    themes = Theme.objects.filter(Exists(reviews_about(OuterRef("pk"), among=visible))).order_by("name")
    return [
        ReviewFilter(
            name="partnership",
            label="Partnership",
            any_label="All partnerships",
            options=list(
                Partnership.objects.filter(Exists(visible.filter(partnership=OuterRef("pk"))))
                .order_by("name")
                .values_list("slug", "name")
            ),
        ),
        ReviewFilter(
            name="type",
            label="Type of review",
            any_label="All types",
            options=[(value, label) for value, label in review_types.items() if value in used_types],
        ),
        ReviewFilter(
            name="year",
            label="Year",
            any_label="All years",
            options=[(str(year), str(year)) for year in years],
        ),
        ReviewFilter(
            name="theme", label="Theme", any_label="All themes", options=list(themes.values_list("slug", "name"))
        ),
        ReviewFilter(
            name="tag",
            label="Tag",
            any_label="All tags",
            options=list(
                Tag.objects.filter(review__in=visible).distinct().order_by("name").values_list("slug", "name")
            ),
        ),
    ]


def review_index(user, params, *, page_number: Any = 1) -> ReviewIndex:
    """The review index filtered by the query string.

    A value that is not one of a filter's options (a mistyped theme, a year
    with no reviews, a partnership that has none) is ignored, and a message
    says so, rather than giving an error or an empty page.
    """
    filters = _filter_options(user)
    ignored = []
    reviews = Review.objects.visible_to(user)
    for item in filters:
        raw = (params.get(item.name) or "").strip()
        if not raw:
            continue
        labels = dict(item.options)
        if raw not in labels:
            ignored.append(f"No reviews match the {item.label.lower()} “{raw[:60]}”, so that filter was ignored.")
            continue
        item.value, item.chosen_label = raw, labels[raw]
        if item.name == "partnership":
            reviews = reviews.filter(partnership__slug=raw)
        elif item.name == "type":
            reviews = reviews.filter(review_type=raw)
        elif item.name == "year":
            reviews = reviews.filter(year=int(raw))
        elif item.name == "theme":
            reviews = reviews_about(Subquery(Theme.objects.filter(slug=raw).values("pk")[:1]), among=reviews)
        elif item.name == "tag":
            reviews = reviews.filter(pk__in=Review.objects.filter(tags__slug=raw).values("pk"))
    page = review_cards(reviews.order_by(*review_order()), page_number=page_number)
    return ReviewIndex(filters=filters, page=page, ignored=ignored)

"""The review index, filtered by partnership, type, year, theme, tag and the agency entries are addressed to."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FullResultSet
from django.core.paginator import Page
from django.db import connection
from django.db.models import Exists, OuterRef, Q, Subquery
from taggit.models import Tag

from ..models import Action, Agency, Partnership, Recommendation, Review, TaggedReview, Theme
from .common import kept_links, review_cards, review_order, reviews_about


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
    """The filters (with their options and chosen values) and a page of reviews."""

    filters: list[ReviewFilter]
    page: Page

    @property
    def active(self) -> list[ReviewFilter]:
        return [item for item in self.filters if item.value]


def review_filters(user) -> list[ReviewFilter]:
    """The values each filter can take: only those that find a review the user may see (6 queries).

    A theme is an option when one ``EXISTS`` probe of the kept links finds a
    review of it, rather than running the rule over every entry per theme.
    """
    visible = Review.objects.visible_to(user)
    review_types = dict(Review.ReviewType.choices)
    used_types = set(_distinct_values(user, "review_type"))
    years = _distinct_values(user, "year")
    themes = Theme.objects.filter(Exists(kept_links(user).filter(theme=OuterRef("pk")))).order_by("name")
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
                Tag.objects.filter(Exists(TaggedReview.objects.filter(tag=OuterRef("pk"), content_object__in=visible)))
                .order_by("name")
                .values_list("slug", "name")
            ),
        ),
        ReviewFilter(
            name="agency",
            label="Addressed to",
            any_label="Any agency",
            options=list(
                Agency.objects.filter(_addressed_to(Recommendation, visible) | _addressed_to(Action, visible))
                .order_by("position", "name")
                .values_list("slug", "name")
            ),
        ),
    ]


# The distinct values of a column of the reviews a user may see, highest first, by skipping through the
# column's index (a "loose index scan"): one probe per value (a dozen years, a few types) rather than a pass
# over every review (20,000 at national scale: a few milliseconds each, issue 14). SQLite runs it too.
_DISTINCT_VALUES = """
WITH RECURSIVE found(value) AS (
    SELECT MAX({column}) FROM {table} WHERE {visible}
    UNION ALL
    SELECT (SELECT MAX({column}) FROM {table} WHERE {visible} AND {column} < found.value)
    FROM found WHERE found.value IS NOT NULL
)
SELECT value FROM found WHERE value IS NOT NULL
"""


def _distinct_values(user, field_name: str) -> list:
    """The distinct non-null values of ``field_name`` among the reviews ``user`` may see
    (``Review.objects.visible_to``), highest first. One query."""
    quote = connection.ops.quote_name
    # The rule as ``visible_to`` writes it, compiled: e.g. ``"reviews_review"."status" = %s``, or none for staff.
    query = Review.objects.visible_to(user).query
    try:
        visible, where_params = query.get_compiler(connection=connection).compile(query.where)
        params = [*where_params, *where_params]
    except FullResultSet:
        visible, params = "1 = 1", []
    sql = _DISTINCT_VALUES.format(
        column=quote(Review._meta.get_field(field_name).column), table=quote(Review._meta.db_table), visible=visible
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _addressed_to(model, reviews) -> Q:
    """Agencies the knowledge base reads an entry of ``model`` of one of ``reviews`` as addressed to."""
    return Q(Exists(model.objects.filter(agencies=OuterRef("pk"), review__in=reviews)))


def _addressing(agency_slug: str):
    """The reviews with a recommendation or action the knowledge base reads as addressed to the agency."""
    return Q(Exists(Recommendation.objects.filter(review=OuterRef("pk"), agencies__slug=agency_slug))) | Q(
        Exists(Action.objects.filter(review=OuterRef("pk"), agencies__slug=agency_slug))
    )


def review_index(
    user,
    *,
    chosen: Mapping[str, str] | None = None,
    filters: list[ReviewFilter] | None = None,
    page_number: Any = 1,
) -> ReviewIndex:
    """The review index, narrowed by the ``chosen`` value of each filter, by name.

    The values come from ``ReviewIndexForm`` (``reviews/forms.py``), which
    keeps only those that are one of the filter's options; pass the same
    ``filters`` (``review_filters(user)``) the form checked them against, or
    they are read again (5 queries).
    """
    filters = review_filters(user) if filters is None else filters
    chosen = chosen or {}
    reviews = Review.objects.visible_to(user)
    for item in filters:
        value = chosen.get(item.name)
        if not value:
            continue
        item.value, item.chosen_label = value, dict(item.options).get(value, value)
        if item.name == "partnership":
            reviews = reviews.filter(partnership__slug=value)
        elif item.name == "type":
            reviews = reviews.filter(review_type=value)
        elif item.name == "year":
            reviews = reviews.filter(year=int(value))
        elif item.name == "theme":
            reviews = reviews_about(Subquery(Theme.objects.filter(slug=value).values("pk")[:1]), among=reviews)
        elif item.name == "tag":
            reviews = reviews.filter(pk__in=Review.objects.filter(tags__slug=value).values("pk"))
        elif item.name == "agency":
            reviews = reviews.filter(_addressing(value))
    page = review_cards(reviews.order_by(*review_order()), page_number=page_number)
    return ReviewIndex(filters=filters, page=page)

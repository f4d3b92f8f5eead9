"""The API's endpoints: for each, the form, selector, record and CSV columns that make it.

``/api/v1/<name>/`` lists an endpoint's records, ``/api/v1/<name>/<id>/`` is
one of them, ``/api/v1/<name>.csv`` downloads every matching one. Endpoints
are listed in ``ENDPOINTS`` in the order ``/api/v1/`` shows them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from ..addresses import Links
from .csv import (
    ACTION_COLUMNS,
    AGENCY_COLUMNS,
    LEARNING_POINT_COLUMNS,
    NATIONAL_THEME_COLUMNS,
    RECOMMENDATION_COLUMNS,
    REVIEW_COLUMNS,
    THEME_COLUMNS,
)
from .params import ActionParams, LearningPointParams, ListParams, RecommendationParams, ReviewParams
from .records import (
    action_record,
    agency_record,
    learning_point_record,
    national_theme_record,
    recommendation_record,
    review_record,
    theme_record,
)
from .selectors import (
    actions_listed,
    actions_total,
    agencies_listed,
    attach_review_themes,
    attach_theme_guides,
    learning_points_listed,
    learning_points_total,
    national_themes_listed,
    published_reviews_total,
    recommendations_listed,
    recommendations_total,
    reviews_listed,
    themes_listed,
)


@dataclass(frozen=True)
class Endpoint:
    name: str  # the URL segment, e.g. "learning-points"
    label: str
    params: type[ListParams]  # the form that reads a list's query string
    select: Callable[..., QuerySet]  # the published objects, narrowed by the form's ``filters()``
    record: Callable[[Any, Links], dict]
    csv_columns: tuple[str, ...]
    # Loads what records need beyond the queryset, for the objects about to be shown.
    after_page: Callable[[list], None] | None = None
    # How many objects there are with no filter, without counting them (``None``: count them).
    total: Callable[[], int] | None = None

    @property
    def filter_help(self) -> dict[str, str]:
        return self.params.filter_help()


ENDPOINTS: dict[str, Endpoint] = {
    endpoint.name: endpoint
    for endpoint in (
        Endpoint(
            name="reviews",
            label="Reviews",
            params=ReviewParams,
            select=reviews_listed,
            record=review_record,
            csv_columns=REVIEW_COLUMNS,
            after_page=attach_review_themes,
            total=published_reviews_total,
        ),
        Endpoint(
            name="themes",
            label="Themes",
            params=ListParams,
            select=themes_listed,
            record=theme_record,
            csv_columns=THEME_COLUMNS,
            after_page=attach_theme_guides,
        ),
        Endpoint(
            name="national-themes",
            label="National themes",
            params=ListParams,
            select=national_themes_listed,
            record=national_theme_record,
            csv_columns=NATIONAL_THEME_COLUMNS,
        ),
        Endpoint(
            name="learning-points",
            label="Learning points",
            params=LearningPointParams,
            select=learning_points_listed,
            record=learning_point_record,
            csv_columns=LEARNING_POINT_COLUMNS,
            total=learning_points_total,
        ),
        Endpoint(
            name="recommendations",
            label="Recommendations",
            params=RecommendationParams,
            select=recommendations_listed,
            record=recommendation_record,
            csv_columns=RECOMMENDATION_COLUMNS,
            total=recommendations_total,
        ),
        Endpoint(
            name="actions",
            label="Actions",
            params=ActionParams,
            select=actions_listed,
            record=action_record,
            csv_columns=ACTION_COLUMNS,
            total=actions_total,
        ),
        Endpoint(
            name="agencies",
            label="Agencies (professions)",
            params=ListParams,
            select=agencies_listed,
            record=agency_record,
            csv_columns=AGENCY_COLUMNS,
        ),
    )
}

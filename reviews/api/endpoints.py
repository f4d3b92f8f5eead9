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

from .csv import ACTION_COLUMNS, LEARNING_POINT_COLUMNS, RECOMMENDATION_COLUMNS, REVIEW_COLUMNS, THEME_COLUMNS
from .params import ActionParams, EntryParams, LearningPointParams, ListParams, ReviewParams
from .records import Absolute, action_record, learning_point_record, recommendation_record, review_record, theme_record
from .selectors import (
    actions_listed,
    attach_review_themes,
    learning_points_listed,
    recommendations_listed,
    reviews_listed,
    themes_listed,
)


@dataclass(frozen=True)
class Endpoint:
    name: str  # the URL segment, e.g. "learning-points"
    label: str
    params: type[ListParams]  # the form that reads a list's query string
    select: Callable[..., QuerySet]  # the published objects, narrowed by the form's ``filters()``
    record: Callable[[Any, Absolute], dict]
    csv_columns: tuple[str, ...]
    # Loads what records need beyond the queryset, for the objects about to be shown.
    after_page: Callable[[list], None] | None = None

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
        ),
        Endpoint(
            name="themes",
            label="Themes",
            params=ListParams,
            select=themes_listed,
            record=theme_record,
            csv_columns=THEME_COLUMNS,
        ),
        Endpoint(
            name="learning-points",
            label="Learning points",
            params=LearningPointParams,
            select=learning_points_listed,
            record=learning_point_record,
            csv_columns=LEARNING_POINT_COLUMNS,
        ),
        Endpoint(
            name="recommendations",
            label="Recommendations",
            params=EntryParams,
            select=recommendations_listed,
            record=recommendation_record,
            csv_columns=RECOMMENDATION_COLUMNS,
        ),
        Endpoint(
            name="actions",
            label="Actions",
            params=ActionParams,
            select=actions_listed,
            record=action_record,
            csv_columns=ACTION_COLUMNS,
        ),
    )
}

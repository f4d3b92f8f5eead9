"""The API's queries: each endpoint's published objects, filtered, and a page, every record or one of them.

Each list selector takes the cleaned filters of its endpoint's form
(``params.py``) as keyword arguments and returns a queryset in id order with
what its records need loaded in a fixed number of queries
(``tests/test_api.py`` pins them). Counts go through the shared helpers of
``reviews.selectors.common``, so the API counts as the pages do.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, Q, QuerySet

from ..forms import MAX_ID
from ..models import Action, LearningPoint, Partnership, Recommendation, Review, Source, Theme
from ..selectors.common import reviews_about, with_review_counts, with_theme_counts
from ..selectors.history import with_kept_last_updated

if TYPE_CHECKING:
    from .endpoints import Endpoint


def reviews_listed(
    *,
    theme: Theme | None = None,
    partnership: Partnership | None = None,
    year: int | None = None,
    review_type: str | None = None,
) -> QuerySet[Review]:
    """Published reviews with their counts of entries, partnership, tags and published sources.

    ``theme``: the reviews it is in (``reviews_about``). ``year``: of publication, else commissioning.
    """
    reviews = (
        with_review_counts(with_kept_last_updated(Review.objects.published()))
        .select_related("partnership")
        .prefetch_related(
            "tags", Prefetch("sources", queryset=Source.objects.published().select_related("partnership"))
        )
        .order_by("pk")
    )
    if theme is not None:
        reviews = reviews_about(theme, among=reviews)
    if partnership is not None:
        reviews = reviews.filter(partnership=partnership)
    if year is not None:
        reviews = reviews.filter(year=year)
    if review_type is not None:
        reviews = reviews.filter(review_type=review_type)
    return reviews


def themes_listed() -> QuerySet[Theme]:
    """Every public theme (``Theme.objects.public()``) with its aliases, public related
    themes and public counts (``with_theme_counts``)."""
    themes = Theme.objects.public().prefetch_related(
        "aliases", Prefetch("related_themes", queryset=Theme.objects.public().order_by("slug"))
    )
    return with_theme_counts(themes).order_by("pk")


def _entries(
    model,
    *,
    theme: Theme | None,
    partnership: Partnership | None,
    year: int | None,
    review_id: int | None,
) -> QuerySet:
    """Published entries of ``model`` with their review, source, partnerships, section and themes."""
    entries = (
        model.objects.published()
        .select_related("review", "review__partnership", "source", "source__partnership", "section__parent__parent")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("name")))
        .order_by("pk")
    )
    if theme is not None:
        entries = entries.filter(themes=theme)
    if partnership is not None:
        # The partnership's reviews, and entries whose wording comes from a briefing it
        # published: Child M's review is Oxfordshire's, its briefing Swindon's, and both
        # partnerships find its learning.
        entries = entries.filter(Q(review__partnership=partnership) | Q(source__partnership=partnership))
    if year is not None:
        entries = entries.filter(review__year=year)
    if review_id is not None:
        entries = entries.filter(review_id=review_id)
    return entries


def learning_points_listed(
    *,
    theme: Theme | None = None,
    partnership: Partnership | None = None,
    year: int | None = None,
    review_id: int | None = None,
    kind: str | None = None,
) -> QuerySet[LearningPoint]:
    points = _entries(LearningPoint, theme=theme, partnership=partnership, year=year, review_id=review_id)
    return points if kind is None else points.filter(kind=kind)


def recommendations_listed(
    *,
    theme: Theme | None = None,
    partnership: Partnership | None = None,
    year: int | None = None,
    review_id: int | None = None,
) -> QuerySet[Recommendation]:
    """Published recommendations, with the ids of the actions that answer them."""
    return _entries(
        Recommendation, theme=theme, partnership=partnership, year=year, review_id=review_id
    ).prefetch_related(Prefetch("actions", queryset=Action.objects.order_by("pk")))


def actions_listed(
    *,
    theme: Theme | None = None,
    partnership: Partnership | None = None,
    year: int | None = None,
    review_id: int | None = None,
    status: str | None = None,
) -> QuerySet[Action]:
    actions = _entries(Action, theme=theme, partnership=partnership, year=year, review_id=review_id)
    return actions if status is None else actions.filter(status=status)


def attach_review_themes(reviews: list[Review]) -> None:
    """Set ``review.api_themes``: the themes of a review's published entries (three queries)."""
    by_review: dict[int, dict[int, Theme]] = defaultdict(dict)
    ids = [review.pk for review in reviews]
    if ids:
        for model, prefix in (
            (LearningPoint, "learningpoint"),
            (Recommendation, "recommendation"),
            (Action, "action"),
        ):
            rows = model.themes.through.objects.filter(**{f"{prefix}__review__in": ids}).values_list(
                f"{prefix}__review_id", "theme_id", "theme__slug", "theme__name"
            )
            for review_id, theme_id, slug, name in rows:
                by_review[review_id][theme_id] = Theme(pk=theme_id, slug=slug, name=name)
    for review in reviews:
        review.api_themes = sorted(by_review[review.pk].values(), key=lambda theme: theme.name.lower())


# ---------------------------------------------------------------------------
# Any endpoint: a page, every record, one record
# ---------------------------------------------------------------------------


def _loaded(endpoint: Endpoint, objects: list) -> list:
    if endpoint.after_page:
        endpoint.after_page(objects)
    return objects


def endpoint_page(
    endpoint: Endpoint, *, filters: dict[str, Any], number: int, size: int
) -> tuple[Paginator, Page | None]:
    """Page ``number`` of the endpoint's objects, ready for their records.

    The page is None if there is no such page; the paginator, whose count
    is already known, still says how many there are.
    """
    paginator = Paginator(endpoint.select(**filters), size)
    if number > paginator.num_pages:
        return paginator, None
    page = paginator.page(number)
    page.object_list = _loaded(endpoint, list(page.object_list))
    return paginator, page


def endpoint_objects(endpoint: Endpoint, *, filters: dict[str, Any]) -> list:
    """Every one of the endpoint's objects that the filters find (a CSV download), ready for their records."""
    return _loaded(endpoint, list(endpoint.select(**filters)))


def endpoint_object(endpoint: Endpoint, *, pk: int):
    """The endpoint's published object ``pk``, ready for its record, or None."""
    obj = endpoint.select().filter(pk=pk).first() if pk <= MAX_ID else None
    return None if obj is None else _loaded(endpoint, [obj])[0]

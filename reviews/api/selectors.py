"""The API's queries: each endpoint's published objects, filtered, and a page, every record or one of them.

Each list selector takes the cleaned filters of its endpoint's form
(``params.py``) as keyword arguments and returns a queryset in id order with
what its records need loaded in a fixed number of queries
(``tests/test_api.py`` pins them). Counts go through the shared helpers of
``reviews.selectors.common``, so the API counts as the pages do.

Related rows are prefetched into plain lists (``to_attr="api_..."``): into a
manager's cache instead, Django builds a manager and a filtered queryset for
every object, which cost more than making its record. Only the columns the
records read are loaded (``only()``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from ..forms import MAX_ID
from ..kept.pending import flush as kept_flush
from ..models import (
    Action,
    ActionUpdate,
    Agency,
    LearningPoint,
    NationalTheme,
    Partnership,
    Recommendation,
    RecommendationLink,
    Review,
    ReviewFigures,
    Source,
    Theme,
    ThemeNationalLink,
)
from ..selectors.common import SubqueryCount, kept_links, reviews_about, with_review_counts, with_theme_counts
from ..selectors.history import with_kept_last_updated
from ..selectors.national import national_theme_links
from ..selectors.theme_guide import theme_guides
from ..usage.selectors import use_count_of_learning_point, use_count_of_review, use_count_of_theme

if TYPE_CHECKING:
    from .endpoints import Endpoint

# A list's ``count`` is exact up to this many matches; past it, ``null`` (counting every match of a
# filter would read them all), unless no filter is given (the kept totals say).
COUNT_LIMIT = 10_000
# Records a CSV download reads at a time.
CSV_CHUNK = 1000


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
        .annotate(use_count=use_count_of_review())
        .select_related("partnership")
        .prefetch_related(
            Prefetch("tags", to_attr="api_tags"),
            Prefetch(
                "sources",
                queryset=Source.objects.published().select_related("partnership").only(*SOURCE_FIELDS),
                to_attr="api_sources",
            ),
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
    themes, the national themes it falls under and public counts (``with_theme_counts``)."""
    themes = Theme.objects.public().prefetch_related(
        "aliases",
        Prefetch("related_themes", queryset=Theme.objects.public().order_by("slug")),
        national_theme_links(),
    )
    return with_theme_counts(themes).annotate(use_count=use_count_of_theme()).order_by("pk")


def attach_theme_guides(themes: list[Theme]) -> None:
    """Set ``theme.api_guide``: its published guide as the public sees it (``theme_guides``), or None;
    five queries for any number of themes (one when none has a guide)."""
    guides = theme_guides(None, themes)
    for theme in themes:
        theme.api_guide = guides.get(theme.pk)


def national_themes_listed() -> QuerySet[NationalTheme]:
    """Every national theme with its framework and the public local themes under it (with why)."""
    links = ThemeNationalLink.objects.filter(theme__in=Theme.objects.public().values("pk")).select_related("theme")
    return (
        NationalTheme.objects.select_related("framework")
        .prefetch_related(Prefetch("local_links", queryset=links.order_by("theme__slug"), to_attr="public_links"))
        .order_by("pk")
    )


# The columns records read (``records.py``), and no others: a source's whole briefing text and import
# report, a review's summary or a theme's would otherwise be read again with each of its entries. A field
# left out here that a record reads would cost a query per record (``tests/test_api_links.py`` checks
# that making records runs none).
ENTRY_FIELDS = (
    "ref",
    "text",
    "wording_edited",
    "updated_at",
    "review",
    "source",
    "section",
    # A section's heading and role, and the headings of the sections it is in (``heading_path``).
    "section__heading",
    "section__role",
    "section__parent",
    "section__parent__heading",
    "section__parent__parent",
    "section__parent__parent__heading",
    "section__parent__parent__parent",
)
SOURCE_FIELDS = (
    "slug",
    "title",
    "publisher_as_stated",
    "partnership",
    "published_on",
    "published_precision",
    "original_url",
    "original_url_origin",
    "partnership__slug",
    "partnership__name",
)
REVIEW_REF_FIELDS = ("slug", "title", "year", "partnership", "partnership__slug", "partnership__name")


def _by_id(model) -> QuerySet:
    """A review or source with its partnership, for the entries that name it (unordered: found by id)."""
    return model.objects.select_related("partnership").order_by()


def _named_themes() -> QuerySet[Theme]:
    """Themes as an entry's record names them: slug and name, by name."""
    return Theme.objects.only("slug", "name").order_by("name")


def _entries(
    model,
    *,
    theme: Theme | None,
    partnership: Partnership | None,
    year: int | None,
    review_id: int | None,
    fields: tuple[str, ...],
) -> QuerySet:
    """Published entries of ``model`` with their review, source, partnerships, section and themes: the
    columns their records read (``ENTRY_FIELDS`` and the model's own ``fields``); four queries."""
    # Reviews and sources in queries of their own: the entries of a page share a few of them, and each
    # is then made once, not once for each of its entries (joined in, they cost more than the records).
    entries = (
        model.objects.published()
        .select_related("section__parent__parent")
        .only(*ENTRY_FIELDS, *fields)
        .prefetch_related(
            Prefetch("review", queryset=_by_id(Review).only(*REVIEW_REF_FIELDS)),
            Prefetch("source", queryset=_by_id(Source).only(*SOURCE_FIELDS)),
            Prefetch("themes", queryset=_named_themes(), to_attr="api_themes"),
        )
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
    points = _entries(
        LearningPoint, theme=theme, partnership=partnership, year=year, review_id=review_id, fields=("kind", "repeats")
    )
    points = points.annotate(use_count=use_count_of_learning_point())
    return points if kind is None else points.filter(kind=kind)


def _with_agencies(entries: QuerySet, agency: Agency | None) -> QuerySet:
    """Entries with the agencies the knowledge base reads them as addressed to; only those it
    reads as addressed to ``agency``, if given (exactly: ``all-agencies`` is an agency of its own)."""
    agencies = Agency.objects.order_by("position", "name")
    entries = entries.prefetch_related(Prefetch("agencies", queryset=agencies, to_attr="api_agencies"))
    return entries if agency is None else entries.filter(agencies=agency)


def recommendations_listed(
    *,
    theme: Theme | None = None,
    partnership: Partnership | None = None,
    year: int | None = None,
    review_id: int | None = None,
    agency: Agency | None = None,
) -> QuerySet[Recommendation]:
    """Published recommendations, with the ids of the actions that answer them and their agencies."""
    recommendations = _entries(
        Recommendation,
        theme=theme,
        partnership=partnership,
        year=year,
        review_id=review_id,
        fields=("number", "addressed_to"),
    ).prefetch_related(
        Prefetch("actions", queryset=Action.objects.only("recommendation").order_by("pk"), to_attr="api_actions"),
        # The earlier recommendations each repeats or replaces, and the later ones repeating or replacing
        # it: published ones only (a link's both ends), one query each.
        Prefetch(
            "earlier_links",
            queryset=RecommendationLink.objects.published().select_related("earlier__review").order_by("pk"),
            to_attr="public_earlier_links",
        ),
        Prefetch(
            "later_links",
            queryset=RecommendationLink.objects.published().select_related("later__review").order_by("pk"),
            to_attr="public_later_links",
        ),
    )
    return _with_agencies(recommendations, agency)


def actions_listed(
    *,
    theme: Theme | None = None,
    partnership: Partnership | None = None,
    year: int | None = None,
    review_id: int | None = None,
    status: str | None = None,
    agency: Agency | None = None,
) -> QuerySet[Action]:
    """Published actions with their agencies and their dated status reports (the tracker's public part)."""
    fields = (
        "owner",
        "status",
        "target_date_as_stated",
        "target_date",
        "target_date_precision",
        "evidence_of_impact",
        "recommendation",
        "closing_judgement",
        "judged_on",
        "judged_by",
        "closing_reason",
        "superseded_by_action",
        "superseded_by_recommendation",
    )
    actions = _with_agencies(
        _entries(Action, theme=theme, partnership=partnership, year=year, review_id=review_id, fields=fields), agency
    ).prefetch_related(
        # Oldest first, as ``Action.status_reports``.
        Prefetch("updates", queryset=ActionUpdate.objects.order_by("reported_on", "pk"), to_attr="api_updates")
    )
    return actions if status is None else actions.filter(status=status)


def agencies_listed() -> QuerySet[Agency]:
    """Every agency, with its counts of published recommendations and actions (as the profession pages count)."""
    published_recommendations = Recommendation.objects.published().filter(agencies=OuterRef("pk"))
    published_actions = Action.objects.published().filter(agencies=OuterRef("pk"))
    return Agency.objects.annotate(
        recommendation_count=SubqueryCount(published_recommendations),
        action_count=SubqueryCount(published_actions),
    ).order_by("pk")


def attach_review_themes(reviews: list[Review]) -> None:
    """Set ``review.api_themes``: the themes of a review's published learning points, recommendations and
    actions (its kept ``ThemeLink`` rows that count any of those), by name; one query."""
    by_review: dict[int, list[Theme]] = defaultdict(list)
    ids = [review.pk for review in reviews]
    if ids:
        rows = (
            kept_links()
            .filter(review__in=ids)
            .filter(Q(learning_points__gt=0) | Q(recommendations__gt=0) | Q(actions__gt=0))
            .values_list("review_id", "theme_id", "theme__slug", "theme__name")
        )
        themes: dict[int, Theme] = {}  # each made once, however many reviews it is in
        for review_id, theme_id, slug, name in rows:
            theme = themes.get(theme_id)
            if theme is None:
                theme = themes[theme_id] = Theme(pk=theme_id, slug=slug, name=name)
            by_review[review_id].append(theme)
    for review in reviews:
        review.api_themes = sorted(by_review[review.pk], key=lambda theme: theme.name.lower())


# ---------------------------------------------------------------------------
# Any endpoint: a page, every record, one record
# ---------------------------------------------------------------------------


def _loaded(endpoint: Endpoint, objects: list) -> list:
    if endpoint.after_page:
        endpoint.after_page(objects)
    return objects


@dataclass
class ListPage:
    """A page of an endpoint's objects, ready for their records."""

    objects: list
    count: int | None  # how many match; None when over ``COUNT_LIMIT`` (and not kept)
    has_next: bool

    @property
    def last_id(self) -> int | None:
        return self.objects[-1].pk if self.objects else None


def endpoint_page(
    endpoint: Endpoint, *, filters: dict[str, Any], number: int, size: int, after: int | None = None
) -> ListPage:
    """Page ``number`` of the endpoint's objects (in id order), or the ``size`` after id ``after``.

    Bounded whatever the data: a page by number reads at most ``MAX_OFFSET``
    records before it (``ListParams`` refuses deeper ones), a page after an id
    reads only its own from the primary key, and the count is the kept total
    when no filter is given, else counted up to ``COUNT_LIMIT``. A page number
    past the last has no objects.
    """
    matching = endpoint.select(**filters)
    rows, offset = (matching, (number - 1) * size) if after is None else (matching.filter(pk__gt=after), 0)
    found = list(rows[offset : offset + size + 1])
    objects = _loaded(endpoint, found[:size])
    if not filters and endpoint.total is not None:
        count = endpoint.total()
    else:
        count = matching.order_by().values("pk")[: COUNT_LIMIT + 1].count()
        count = count if count <= COUNT_LIMIT else None
    return ListPage(objects=objects, count=count, has_next=len(found) > size)


def endpoint_fits_one_chunk(endpoint: Endpoint, *, filters: dict[str, Any]) -> bool:
    """Whether the objects the filters find are ``CSV_CHUNK`` at most: the kept total when no filter
    is given, else counted as far as one more than a chunk (one query, reading no more than that)."""
    if not filters and endpoint.total is not None:
        return endpoint.total() <= CSV_CHUNK
    return endpoint.select(**filters).order_by().values("pk")[: CSV_CHUNK + 1].count() <= CSV_CHUNK


def endpoint_chunks(endpoint: Endpoint, *, filters: dict[str, Any], one_chunk: bool = False) -> Iterator[list]:
    """Every one of the endpoint's objects that the filters find (a CSV download), ready for their
    records, in chunks of ``CSV_CHUNK``: each chunk the objects after the last one read (the lists are
    in id order), so memory stays flat however many there are and no query reads more than a chunk.
    Nothing is read before the first chunk is asked for. ``one_chunk``: there are no more than a chunk
    (``endpoint_fits_one_chunk``), read in one query with no LIMIT, which PostgreSQL plans more quickly."""
    objects = endpoint.select(**filters)
    if one_chunk:
        yield _loaded(endpoint, list(objects))
        return
    chunk = list(objects[:CSV_CHUNK])
    yield _loaded(endpoint, chunk)
    while len(chunk) == CSV_CHUNK:
        chunk = list(objects.filter(pk__gt=chunk[-1].pk)[:CSV_CHUNK])
        if chunk:
            yield _loaded(endpoint, chunk)


# Totals of whole endpoints, from the kept figures (no filter given: nothing to count but everything).


def published_reviews_total() -> int:
    return Review.objects.published().count()


def _kept_sum(field: str, *, plus=None) -> int:
    """The sum of a kept ``ReviewFigures`` count over published reviews (and ``plus``), in one query."""
    kept_flush()
    total = Coalesce(Sum(field), 0)
    return ReviewFigures.objects.published().aggregate(total=total + plus if plus is not None else total)["total"]


def learning_points_total() -> int:
    """Published learning points: of published reviews (kept), and tied to no review."""
    return _kept_sum(
        "learning_points", plus=SubqueryCount(LearningPoint.objects.published().filter(review__isnull=True))
    )


def recommendations_total() -> int:
    return _kept_sum("recommendations")


def actions_total() -> int:
    return _kept_sum("actions")


def endpoint_object(endpoint: Endpoint, *, pk: int):
    """The endpoint's published object ``pk``, ready for its record, or None."""
    obj = endpoint.select().filter(pk=pk).first() if pk <= MAX_ID else None
    return None if obj is None else _loaded(endpoint, [obj])[0]

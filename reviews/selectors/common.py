"""Building blocks shared by the page selectors: counting, ordering, and loading items for display."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery

from ..models import (
    THEMED_ENTRIES,
    Action,
    LearningPoint,
    PublicationStatus,
    Recommendation,
    Resource,
    Review,
    Theme,
)

REVIEWS_PER_PAGE = 20
# How many of the most recent reviews the home page's recurring-themes grid
# shows as columns: enough to see patterns, few enough to read on one screen.
GRID_REVIEWS = 12
RECENT_REVIEWS = 5
RELATED_REVIEWS = 5
RELATED_THEMES = 6


class SubqueryCount(Subquery):
    """``COUNT(*)`` of a queryset as an annotation, without a ``GROUP BY`` on the outer query."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _count)"
    output_field = IntegerField()

    def __init__(self, queryset, **extra):
        super().__init__(queryset.order_by().values("pk"), **extra)


def review_order() -> list:
    """Newest first by the year used for browsing, then by exact date, then title."""
    return [F("year").desc(nulls_last=True), F("published_on").desc(nulls_last=True), "title"]


def is_public(obj) -> bool:
    """Whether the public may see ``obj``, from objects already loaded.

    The same rules as the models' ``published()`` querysets; callers load
    ``review`` and ``source`` with ``select_related`` so this costs nothing.
    A theme is public through its entries (``Theme.objects.public()``), which
    only a query can tell: not from a theme alone, so never here.
    """
    if obj is None or isinstance(obj, Theme):
        return False
    if isinstance(obj, Review):
        return obj.status == PublicationStatus.PUBLISHED
    if isinstance(obj, LearningPoint) and obj.review_id is None:
        return obj.source.status == PublicationStatus.PUBLISHED
    if isinstance(obj, (LearningPoint, Recommendation, Action)):
        return obj.review.status == PublicationStatus.PUBLISHED
    return False


def visible_points(user) -> QuerySet[LearningPoint]:
    """Learning points the user may see (staff also see those of drafts)."""
    return LearningPoint.objects.visible_to(user)


def _deeper(ref):
    """The same outer reference, seen from one subquery further in."""
    return OuterRef(ref) if isinstance(ref, F) else ref


# The entries whose themes put a theme "in" their review. This is the one rule
# for "this theme is in this review", and everything that asks (theme counts
# and years, the theme page's reviews and co-occurring themes, the review
# index's theme filter and its cards, the home page's grid, related reviews)
# goes through ``theme_links`` below, so no two pages can disagree. The same
# entries make a theme public (``Theme.objects.public()``).


def theme_links(**filters) -> list[QuerySet]:
    """Links between a review and a theme, one queryset per kind of entry.

    Each row is one entry's link to one theme, with ``theme_id`` and the
    entry's ``review_id`` (``None`` for learning tied to no one review);
    ``filters`` apply to those two names, e.g. ``theme_links(review_id__in=ids)``.
    Publication is left to the caller: filter the reviews.
    """
    links = []
    for model in THEMED_ENTRIES:
        through = model.themes.through
        entry = model._meta.model_name
        links.append(through.objects.annotate(review_id=F(f"{entry}__review_id")).filter(**filters))
    return links


def reviews_about(theme_ref, *, among: QuerySet[Review] | None = None) -> QuerySet[Review]:
    """The reviews a theme is in: those with a learning point, recommendation or action on it.

    ``among`` defaults to the published reviews; pass ``Review.objects.visible_to(user)``
    to list what a user may see. ``theme_ref`` is a theme, its pk, or
    ``OuterRef("pk")`` inside a theme annotation.
    """
    return _reviews_linked(theme_links(theme=_deeper(theme_ref)), among)


def reviews_about_any(theme_ids, *, among: QuerySet[Review] | None = None) -> QuerySet[Review]:
    """The reviews any of the themes is in, by the same rule as ``reviews_about``."""
    return _reviews_linked(theme_links(theme_id__in=theme_ids), among)


def _reviews_linked(links: list[QuerySet], among: QuerySet[Review] | None) -> QuerySet[Review]:
    among = Review.objects.published() if among is None else among
    found = Q()
    for rows in links:
        found |= Q(pk__in=rows.values("review_id"))
    return among.filter(found)


def themes_in(review_ref) -> Q:
    """A condition on themes: in the review (its pk, or ``OuterRef("pk")`` inside a review annotation)."""
    review = _deeper(review_ref)
    found = Q()
    for links in theme_links(review_id=review):
        found |= Q(pk__in=links.values("theme_id"))
    return found


def distinct_learning_about(theme_ref) -> QuerySet[LearningPoint]:
    """Published learning points on a theme, leaving out repeats of one already counted for it."""
    repeat_of_counted = LearningPoint.objects.published().filter(pk=OuterRef("repeats_id"), themes=_deeper(theme_ref))
    return LearningPoint.objects.published().filter(themes=theme_ref).filter(~Exists(repeat_of_counted))


def with_theme_counts(themes: QuerySet[Theme]) -> QuerySet[Theme]:
    """Annotate themes with their public counts, in the same single query.

    ``learning_count`` (distinct published learning points),
    ``recommendation_count``, ``review_count`` (the published reviews it is
    in, ``reviews_about``) and ``first_year``/``last_year`` of those reviews.
    """
    theme = OuterRef("pk")
    dated = reviews_about(theme).filter(year__isnull=False)
    return themes.annotate(
        learning_count=SubqueryCount(distinct_learning_about(theme)),
        recommendation_count=SubqueryCount(Recommendation.objects.published().filter(themes=theme)),
        review_count=SubqueryCount(reviews_about(theme)),
        first_year=Subquery(dated.order_by("year").values("year")[:1]),
        last_year=Subquery(dated.order_by("-year").values("year")[:1]),
    )


def public_totals() -> dict[str, int]:
    """What the knowledge base holds, for the home page's opening line."""
    return Review.objects.published().aggregate(
        reviews=Count("pk"),
        partnerships=Count("partnership", distinct=True),
    ) | {
        "learning_points": LearningPoint.objects.published()
        .filter(Q(repeats__isnull=True) | ~Q(repeats__in=LearningPoint.objects.published()))
        .count()
    }


def with_review_counts(reviews: QuerySet[Review]) -> QuerySet[Review]:
    """Annotate reviews with how many learning points and recommendations they hold."""
    return reviews.annotate(
        learning_count=SubqueryCount(LearningPoint.objects.filter(review=OuterRef("pk"))),
        recommendation_count=SubqueryCount(Recommendation.objects.filter(review=OuterRef("pk"))),
    )


def theme_link_rows(*fields: str, every: bool = False, **filters) -> QuerySet:
    """``theme_links`` of every kind of entry as rows of ``fields``, in one query (a UNION).

    Rows are distinct unless ``every`` is true, which keeps one row per entry (for counting).
    """
    first, *rest = (links.values_list(*fields) for links in theme_links(**filters))
    return first.union(*rest, all=every)


def themes_by_review(review_ids) -> dict[int, list[Theme]]:
    """The themes each review is in (``theme_links``), by name, in 1 query."""
    found: dict[int, list[Theme]] = defaultdict(list)
    if review_ids:
        rows = theme_link_rows("review_id", "theme_id", "theme__slug", "theme__name", review_id__in=review_ids)
        for review_id, theme_id, slug, name in rows:
            found[review_id].append(Theme(pk=theme_id, slug=slug, name=name))
    return {review_id: sorted(themes, key=lambda theme: theme.name.lower()) for review_id, themes in found.items()}


def attach_themes(reviews: list[Review]) -> list[Review]:
    """Set ``review.theme_list``: the themes each review is in (1 query)."""
    themes = themes_by_review([review.pk for review in reviews])
    for review in reviews:
        review.theme_list = themes.get(review.pk, [])
    return reviews


def review_cards(reviews: QuerySet[Review], *, page_number: Any = 1, per_page: int = REVIEWS_PER_PAGE) -> Page:
    """A page of reviews ready to list: partnership, counts, tags and themes (4 queries)."""
    reviews = with_review_counts(reviews.select_related("partnership").prefetch_related("tags"))
    page = Paginator(reviews, per_page).get_page(page_number)
    attach_themes(list(page.object_list))
    return page


def learning_points_for_page(user) -> QuerySet[LearningPoint]:
    """Learning points with what their display needs: review, source, section (its
    heading), themes, resources and the visible copies of the same paragraph either way."""
    visible = visible_points(user).select_related("review", "source")
    return (
        visible_points(user)
        .select_related("review", "source", "section__parent")
        .prefetch_related(
            Prefetch("themes", queryset=Theme.objects.order_by("name")),
            _resources(),
            Prefetch("repeats", queryset=visible, to_attr="visible_repeat_of"),
            Prefetch("repeated_in", queryset=visible.order_by("pk"), to_attr="visible_repeats"),
        )
        .order_by("position", "pk")
    )


def _resources() -> Prefetch:
    """The resources an item names, with their source (their address is on the source page)."""
    return Prefetch("resources", queryset=Resource.objects.select_related("source"))


def recommendations_for_page(user, *, answer_themes: bool = False) -> QuerySet[Recommendation]:
    """Recommendations with their source, section, themes, resources and the actions that answer them
    (with the actions' themes too if ``answer_themes``: one more query)."""
    answers = Action.objects.select_related("source", "review", "section__parent").prefetch_related(
        _resources(), "updates"
    )
    if answer_themes:
        answers = answers.prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("name")))
    return (
        Recommendation.objects.visible_to(user)
        .select_related("review", "source", "section__parent")
        .prefetch_related(
            Prefetch("themes", queryset=Theme.objects.order_by("name")),
            _resources(),
            Prefetch("actions", queryset=answers.order_by("position", "pk")),
        )
        .order_by("position", "pk")
    )


def actions_for_page(user) -> QuerySet[Action]:
    """Actions with their source, section, themes and resources."""
    return (
        Action.objects.visible_to(user)
        .select_related("review", "source", "section__parent")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("name")), _resources(), "updates")
        .order_by("position", "pk")
    )

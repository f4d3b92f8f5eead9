"""Building blocks shared by the page selectors: counting, ordering, and loading items for display."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery

from ..models import Action, LearningPoint, Recommendation, Resource, Review, Theme

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


def visible_points(user) -> QuerySet[LearningPoint]:
    """Learning points the user may see (staff also see those of drafts)."""
    return LearningPoint.objects.visible_to(user)


def _deeper(theme_ref):
    """The same theme, referred to from one subquery further in."""
    return OuterRef(theme_ref) if isinstance(theme_ref, F) else theme_ref


def published_reviews_about(theme_ref) -> QuerySet[Review]:
    """Published reviews with a learning point, recommendation or action on the theme.

    ``theme_ref`` is a theme, its pk, or ``OuterRef("pk")`` inside a theme annotation.
    """
    inner = _deeper(theme_ref)
    return Review.objects.published().filter(
        Q(pk__in=LearningPoint.objects.filter(themes=inner).values("review_id"))
        | Q(pk__in=Recommendation.objects.filter(themes=inner).values("review_id"))
        | Q(pk__in=Action.objects.filter(themes=inner).values("review_id"))
    )


def distinct_learning_about(theme_ref) -> QuerySet[LearningPoint]:
    """Published learning points on a theme, leaving out repeats of one already counted for it."""
    repeat_of_counted = LearningPoint.objects.published().filter(pk=OuterRef("repeats_id"), themes=_deeper(theme_ref))
    return LearningPoint.objects.published().filter(themes=theme_ref).filter(~Exists(repeat_of_counted))


def with_theme_counts(themes: QuerySet[Theme]) -> QuerySet[Theme]:
    """Annotate themes with their public counts, in the same single query.

    ``learning_count`` (distinct published learning points),
    ``recommendation_count``, ``review_count`` (published reviews with any
    item on the theme) and ``first_year``/``last_year`` of those reviews.
    """
    theme = OuterRef("pk")
    dated = published_reviews_about(theme).filter(year__isnull=False)
    return themes.annotate(
        learning_count=SubqueryCount(distinct_learning_about(theme)),
        recommendation_count=SubqueryCount(Recommendation.objects.published().filter(themes=theme)),
        review_count=SubqueryCount(published_reviews_about(theme)),
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


def attach_themes(reviews: list[Review]) -> list[Review]:
    """Set ``review.theme_list``: the themes of each review's learning and recommendations (2 queries)."""
    by_review: dict[int, dict[int, Theme]] = defaultdict(dict)
    if reviews:
        ids = [review.pk for review in reviews]
        learning = LearningPoint.themes.through.objects.filter(learningpoint__review__in=ids)
        recommendations = Recommendation.themes.through.objects.filter(recommendation__review__in=ids)
        for rows, review_field in (
            (learning, "learningpoint__review_id"),
            (recommendations, "recommendation__review_id"),
        ):
            for review_id, theme_id, slug, name in rows.values_list(
                review_field, "theme_id", "theme__slug", "theme__name"
            ).distinct():
                by_review[review_id][theme_id] = Theme(pk=theme_id, slug=slug, name=name)
    for review in reviews:
        review.theme_list = sorted(by_review[review.pk].values(), key=lambda theme: theme.name.lower())
    return reviews


def review_cards(reviews: QuerySet[Review], *, page_number: Any = 1, per_page: int = REVIEWS_PER_PAGE) -> Page:
    """A page of reviews ready to list: partnership, counts, tags and themes (5 queries)."""
    reviews = with_review_counts(reviews.select_related("partnership").prefetch_related("tags"))
    page = Paginator(reviews, per_page).get_page(page_number)
    attach_themes(list(page.object_list))
    return page


def learning_points_for_page(user) -> QuerySet[LearningPoint]:
    """Learning points with what their display needs: review, source, themes,
    resources and the visible copies of the same paragraph either way."""
    visible = visible_points(user).select_related("review", "source")
    return (
        visible_points(user)
        .select_related("review", "source")
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


def recommendations_for_page(user) -> QuerySet[Recommendation]:
    """Recommendations with their source, themes, resources and the actions that answer them."""
    answers = (
        Action.objects.select_related("source", "review").prefetch_related(_resources()).order_by("position", "pk")
    )
    return (
        Recommendation.objects.visible_to(user)
        .select_related("review", "source")
        .prefetch_related(
            Prefetch("themes", queryset=Theme.objects.order_by("name")),
            _resources(),
            Prefetch("actions", queryset=answers),
        )
        .order_by("position", "pk")
    )


def actions_for_page(user) -> QuerySet[Action]:
    """Actions with their source, themes and resources."""
    return (
        Action.objects.visible_to(user)
        .select_related("review", "source")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("name")), _resources())
        .order_by("position", "pk")
    )

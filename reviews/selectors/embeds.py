"""Embeddable cards (``/embed/...``) and what oEmbed addresses point to.

Embeds leave the site, so they show published content only, for everyone.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..models import LearningPoint, Partnership, Review, Theme
from ..models.editorial import find_by_slug
from .common import kept_links, review_order, reviews_about, with_theme_counts

THEME_CARD_REVIEWS = 3


def embeddable_learning_point(**lookup) -> LearningPoint:
    """A published learning point, by ``pk`` or ``ref``, with what its card shows (one query).

    Raises ``LearningPoint.DoesNotExist`` for an unknown or unpublished one.
    """
    return (
        LearningPoint.objects.published()
        .select_related("review", "review__partnership", "source", "source__partnership")
        .get(**lookup)
    )


def learning_point_on_review_page(*, review_slug: str, ref: str) -> LearningPoint | None:
    """The published learning point a review page's ``#lp-<ref>`` anchor shows, or None
    if there is none or it is not on that (published) review. The review may be
    named by an old slug, as its page may. Two queries (three for an old slug).
    """
    try:
        point = embeddable_learning_point(ref=ref)
    except LearningPoint.DoesNotExist:
        return None
    review = find_by_slug(Review.objects.published(), review_slug)
    return point if review is not None and point.review_id == review.pk else None


def embeddable_theme(*, slug: str | None = None, pk: int | None = None) -> Theme | None:
    """A public theme (``Theme.objects.public()``) by ``pk``, or by ``slug`` (the one
    it has, or one it had before a rename), or None. One query (two for an old slug).
    """
    themes = Theme.objects.public()
    if pk is not None:
        return themes.filter(pk=pk).first()
    return find_by_slug(themes, slug)


@dataclass
class ThemeCard:
    """What a theme's card shows: its public counts and its most recent reviews."""

    theme: Theme
    learning_count: int
    reviews: list[Review]
    review_count: int
    partnership_count: int


def theme_card(*, slug: str) -> ThemeCard:
    """A public theme with its public counts and its most recent reviews (three queries).

    The counts are the theme page's (``with_theme_counts``) and the reviews
    those the theme is in, by the one rule (``reviews_about``, as kept), newest
    first (``review_order``). Raises ``Theme.DoesNotExist``, also for a theme
    that is not public (``Theme.objects.public()``).
    """
    theme = with_theme_counts(Theme.objects.public()).get(slug=slug)
    # The kept links carry their review's order (``review_order``), so the newest come from an index.
    links = kept_links().published().filter(theme=theme).select_related("review__partnership")
    recent = links.order_by(*review_order(), "review_id")[:THEME_CARD_REVIEWS]
    return ThemeCard(
        theme=theme,
        learning_count=theme.learning_count,
        reviews=[link.review for link in recent],
        review_count=theme.review_count,
        partnership_count=Partnership.objects.filter(reviews__in=reviews_about(theme)).distinct().count(),
    )

"""Collections, partnerships, tags and the list of source briefings."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.core.paginator import Page
from django.db.models import Count, F, OuterRef, Q, QuerySet
from taggit.models import Tag

from ..models import Collection, Partnership, Review, Source, Theme, ThemeAlias
from ..text import name_key
from .common import SubqueryCount, review_cards, review_order


def collection_detail(user, slug: str) -> tuple[Collection, Page] | None:
    """A collection (e.g. one newsletter covering several children) and its reviews."""
    collection = (
        Collection.objects.filter(source__in=Source.objects.visible_to(user))
        .select_related("source", "source__partnership")
        .filter(slug=slug)
        .first()
    )
    if collection is None:
        return None
    reviews = Review.objects.visible_to(user).filter(collection=collection).order_by("title")
    return collection, review_cards(reviews, per_page=100)


def partnership_list(user) -> QuerySet[Partnership]:
    """Partnerships the user may see (``Partnership.objects.visible_to``) with something
    the user may see, with their counts."""
    visible_reviews = Review.objects.visible_to(user)
    visible_sources = Source.objects.visible_to(user)
    return (
        Partnership.objects.visible_to(user)
        .annotate(
            review_count=SubqueryCount(visible_reviews.filter(partnership=OuterRef("pk"))),
            source_count=SubqueryCount(visible_sources.filter(partnership=OuterRef("pk"))),
        )
        .filter(Q(review_count__gt=0) | Q(source_count__gt=0))
        .order_by("name")
    )


def partnership_detail(user, slug: str, *, page_number: Any = 1) -> tuple[Partnership, Page, list[Source]] | None:
    """A partnership, a page of its reviews and the briefings it published; None for one
    the user may not see (``Partnership.objects.visible_to``: the public sees a
    partnership once it has a published review or source)."""
    partnership = Partnership.objects.visible_to(user).filter(slug=slug).first()
    if partnership is None:
        return None
    reviews = Review.objects.visible_to(user).filter(partnership=partnership).order_by(*review_order())
    sources = list(source_list(user).filter(partnership=partnership))
    return partnership, review_cards(reviews, page_number=page_number), sources


def tag_list(user) -> QuerySet[Tag]:
    """Tags used by reviews the user may see, with how many."""
    visible = Review.objects.visible_to(user)
    return (
        Tag.objects.filter(review__in=visible)
        .annotate(review_count=Count("review", filter=Q(review__in=visible), distinct=True))
        .order_by("name")
    )


def tag_detail(user, slug: str, *, page_number: Any = 1) -> tuple[Tag, Page] | None:
    """A tag and a page of the reviews the user may see that carry it; None if there are none."""
    visible = Review.objects.visible_to(user)
    tag = Tag.objects.filter(slug=slug, review__in=visible).distinct().first()
    if tag is None:
        return None
    reviews = visible.filter(pk__in=Review.objects.filter(tags=tag).values("pk")).order_by(*review_order())
    return tag, review_cards(reviews, page_number=page_number)


def themes_by_name_key(themes) -> dict[str, set[Theme]]:
    """Each ``name_key`` of the themes' names and aliases, with the themes that have it
    (two queries): how a tag's name is compared with themes."""
    themes = list(themes)
    by_key: dict[str, set[Theme]] = defaultdict(set)
    by_pk = {theme.pk: theme for theme in themes}
    for theme in themes:
        by_key[name_key(theme.name)].add(theme)
    for theme_id, alias in ThemeAlias.objects.filter(theme__in=themes).values_list("theme_id", "name"):
        by_key[name_key(alias)].add(by_pk[theme_id])
    return by_key


def folded_tag_theme(user, slug: str) -> Theme | None:
    """The theme a tag at ``slug`` was folded into, for its old address to lead there: the one
    theme the user may see whose name or alias is the tag's words (``services.tag_folding``).
    Two queries; asked only when no review the user may see carries a tag at ``slug``."""
    themes = themes_by_name_key(Theme.objects.visible_to(user).only("slug", "name")).get(name_key(slug), set())
    return next(iter(themes)) if len(themes) == 1 else None


def source_list(user) -> QuerySet[Source]:
    """Source briefings the user may see, newest first."""
    return (
        Source.objects.visible_to(user)
        .select_related("partnership")
        .order_by(F("published_on").desc(nulls_last=True), "title")
    )

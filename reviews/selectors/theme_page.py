"""The theme page: what each review found and recommended on one theme."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q, prefetch_related_objects

from ..models import (
    Action,
    CaseFact,
    LearningPoint,
    LearningUse,
    Recommendation,
    Review,
    Source,
    Theme,
    ThemeAlias,
    ThemeGuide,
    ThemeNationalLink,
    ThemePair,
)
from ..usage.selectors import UseSummary, attach_uses, uses_of_theme
from .common import (
    RELATED_THEMES,
    kept_links,
    review_order,
    visible_themes,
    with_theme_counts,
)
from .national import national_theme_links
from .recommendation_links import (
    RecurringRecommendation,
    attach_recommendation_links,
    links_on_theme,
    recurring_on_theme,
)
from .review_entries import as_prefetched
from .theme_entries import theme_entries
from .theme_guide import GuideView, theme_guide

# A theme page lists everything each of its reviews says on the theme (six entries a review on
# average at national scale): ten reviews a page keep the largest theme's page within the time
# the issue asks of every page (docs/BENCHMARKS.md, issue 14). The review list shows 20 cards.
THEME_REVIEWS_PER_PAGE = 10


@dataclass
class ReviewOnTheme:
    """What one review says about a theme."""

    review: Review
    case_facts: list[CaseFact] = field(default_factory=list)  # facts the briefing states, filed under the theme
    learning_points: list[LearningPoint] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)  # answering no recommendation listed here


@dataclass
class ThemePage:
    """Everything the theme page shows."""

    theme: Theme
    page: Page  # of reviews the theme was found in, newest first
    reviews: list[ReviewOnTheme]
    cross_cutting: list[LearningPoint]  # learning on the theme tied to no one review
    co_occurring: list[Theme]  # sharing published reviews, not already related; with ``shared_reviews``
    sources: list[Source]
    uses: UseSummary = field(default_factory=UseSummary)  # how often its learning was used, as staff recorded
    guide: GuideView | None = None  # the editors' overview and practice points, each citing its entries
    # Recommendations made more than once (linked as repeating or replacing), on every page of the theme.
    recurring: list[RecurringRecommendation] = field(default_factory=list)

    @property
    def co_occurring_first(self) -> list[Theme]:
        """The themes sharing the most reviews, shown first."""
        return self.co_occurring[:RELATED_THEMES]

    @property
    def co_occurring_more(self) -> list[Theme]:
        """The others, shown on request: none is left out."""
        return self.co_occurring[RELATED_THEMES:]


def theme_detail(user, slug: str, *, page_number: Any = 1) -> ThemePage | None:
    """Everything the theme page shows, in a fixed number of queries (14 to 22: tests/test_queries.py).

    None for a theme the user may not see (``visible_themes``: the public
    sees a theme once published content uses it). Related themes are those
    the user may see too.
    """
    visible = visible_themes(user)
    theme = with_theme_counts(visible.filter(slug=slug)).annotate(**_has_lists(user)).first()
    if theme is None:
        return None
    _read_lists(theme, visible)
    paginator = Paginator(_reviews_in_order(user, theme), THEME_REVIEWS_PER_PAGE)
    if not getattr(user, "is_staff", False):
        # The public's reviews on the theme are the published ones its kept figures count: not counted again.
        paginator.count = theme.review_count
    page = paginator.get_page(page_number)
    # The page's reviews, read by id once the kept links have said which (and in what order) they are.
    found = Review.objects.select_related("partnership").in_bulk(list(page.object_list))
    page.object_list = [found[pk] for pk in page.object_list if pk in found]
    blocks = {review.pk: ReviewOnTheme(review=review) for review in page.object_list}

    # Learning tied to no one review is listed on the first page, from the same query.
    entries = theme_entries(
        user, theme, {pk: block.review for pk, block in blocks.items()}, cross_cutting=page.number == 1
    )
    cross_cutting = [point for point in entries.points if point.review_id is None]
    for point in entries.points:
        if point.review_id is not None:
            blocks[point.review_id].learning_points.append(point)
    attach_uses(entries.points, any_used=theme.has_uses)
    recommendations = entries.recommendations
    for recommendation in recommendations:
        blocks[recommendation.review_id].recommendations.append(recommendation)
    # The theme's links hold every link of its recommendations: one query for the entries' links and the chains.
    links = links_on_theme(theme, user)
    attach_recommendation_links(recommendations, user, links=links)
    recurring = recurring_on_theme(theme, user, links=links)
    listed = {recommendation.pk for recommendation in recommendations}
    for action in entries.actions:
        if action.recommendation_id not in listed:
            blocks[action.review_id].actions.append(action)
    # Case facts on the theme put it in their review too (``THEMED_ENTRIES``): shown, so no review is listed empty.
    for fact in entries.case_facts:
        blocks[fact.review_id].case_facts.append(fact)

    curated = [other.pk for other in theme.related_themes.all()]
    # Kept in ``ThemePair``: the published reviews each other theme shares with this one.
    co_occurring = []
    pairs = ThemePair.objects.filter(theme=theme).exclude(other__in=curated).select_related("other")
    for pair in pairs.order_by("-reviews", "other__name"):
        pair.other.shared_reviews = pair.reviews
        co_occurring.append(pair.other)

    sources: dict[int, Source] = {}
    answers = [action for recommendation in recommendations for action in recommendation.actions.all()]
    for block in blocks.values():
        for item in [*block.case_facts, *block.learning_points, *block.recommendations, *block.actions]:
            sources.setdefault(item.source_id, item.source)
    linked = [recommendation for chain in recurring for recommendation in chain.recommendations]
    for item in [*answers, *cross_cutting, *linked]:
        sources.setdefault(item.source_id, item.source)

    return ThemePage(
        theme=theme,
        page=page,
        reviews=list(blocks.values()),
        cross_cutting=cross_cutting,
        co_occurring=co_occurring,
        sources=sorted(sources.values(), key=lambda source: source.title.lower()),
        uses=uses_of_theme(theme, user) if theme.has_uses else UseSummary(),
        guide=theme_guide(user, theme) if theme.has_guide else None,
        recurring=recurring,
    )


def _has_lists(user) -> dict:
    """Whether a theme has each of the lists its page shows beside its reviews (aliases, related themes,
    national themes, a guide the user may see, uses recorded), as annotations of its query: most
    themes have few of them, and a list it does not have then costs no query of its own."""
    theme = OuterRef("pk")
    return {
        "has_aliases": Exists(ThemeAlias.objects.filter(theme=theme)),
        "has_related": Exists(Theme.related_themes.through.objects.filter(from_theme=theme)),
        "has_national": Exists(ThemeNationalLink.objects.filter(theme=theme)),
        "has_guide": Exists(ThemeGuide.objects.visible_to(user).filter(theme=theme)),
        # Uses of the theme or of any learning point on it (``uses_of_theme`` counts those the user may see).
        "has_uses": Exists(LearningUse.objects.filter(Q(theme=theme) | Q(learning_point__themes=theme))),
    }


def _read_lists(theme: Theme, visible) -> None:
    """Read the theme's aliases, related themes (those the user may see) and national themes, as
    ``prefetch_related`` would, each only where ``_has_lists`` found one; the others are empty."""
    lists = {
        "aliases": (theme.has_aliases, "aliases", ThemeAlias),
        "related_themes": (
            theme.has_related,
            Prefetch("related_themes", queryset=visible.order_by("name")),
            Theme,
        ),
        "national_links": (theme.has_national, national_theme_links(), ThemeNationalLink),
    }
    prefetch_related_objects([theme], *(lookup for has, lookup, _model in lists.values() if has))
    for name, (has, _lookup, model) in lists.items():
        if not has:
            as_prefetched(theme, name, model, [])


def _reviews_in_order(user, theme: Theme):
    """The ids of the reviews the user may see that the theme is in, newest first (``review_order``),
    from the kept links alone (which carry their review's year, date and title): any page of them, and
    their count, without reading the reviews (on PostgreSQL the published ones in order from an index)."""
    links = kept_links(user).filter(theme=theme)
    return links.order_by(*review_order(), "review_id").values_list("review_id", flat=True)

"""The review page: the briefing's sections in its order (the default view), or its learning by theme.

Both views show the same entries from the same queries: ``sections`` (the
briefing's headings, each entry under its own: ``review_sections``) and
``groups`` (``group_by_theme``), with the case facts, good practice, key
facts, recommendations and actions apart.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch

from ..models import Action, CaseFact, LearningPoint, Recommendation, Resource, Review, Source, Theme
from ..usage.selectors import UseSummary, attach_uses, uses_of_review
from .common import (
    RELATED_REVIEWS,
    actions_for_page,
    kept_links,
    learning_points_for_page,
    recommendations_for_page,
    review_order,
    themes_by_review,
)
from .recommendation_links import attach_recommendation_links
from .review_sections import SectionBlock, passages_for, place_in_sections, sections_for


@dataclass
class ThemeGroup:
    """A review's learning on one theme.

    Each learning point is listed once, under the theme the review says most
    about among its themes. Every other theme the review touches still gets a
    group, whose ``elsewhere`` points to its items listed under another theme,
    with good practice, or with the recommendations, so that ``#theme-<slug>``
    always leads somewhere useful.
    """

    theme: Theme | None
    points: list[LearningPoint] = field(default_factory=list)
    elsewhere: list = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"theme-{self.theme.slug}" if self.theme else "theme-none"


@dataclass
class ReviewPage:
    """Everything the review page shows."""

    review: Review
    case_facts: list[CaseFact]
    groups: list[ThemeGroup]
    good_practice: list[LearningPoint]
    key_facts: list[LearningPoint]
    recommendations: list[Recommendation]
    other_actions: list[Action]  # actions that answer no recommendation
    related: list[Review]  # annotated with ``shared_themes`` (a list of themes)
    sources: list[Source]
    sections: list[SectionBlock] = field(default_factory=list)  # the briefing's sections, in its order
    passages: list[Resource] = field(default_factory=list)  # resources given as passages of their own
    uses: UseSummary = field(default_factory=UseSummary)  # how often its learning was used, as staff recorded

    @property
    def themes(self) -> list[Theme]:
        return [group.theme for group in self.groups if group.theme]

    @property
    def has_learning(self) -> bool:
        """Whether the briefing gives learning of its own (learning points, good practice or key facts)."""
        return bool(self.good_practice or self.key_facts or any(group.points for group in self.groups))

    @property
    def source_kinds(self) -> list[str]:
        """What the review's briefings are, in words ("board response to recommendations"), each once."""
        return list(dict.fromkeys(source.get_kind_display().lower() for source in self.sources))

    @property
    def lists_learning_by_theme(self) -> bool:
        """Whether any theme group lists learning (rather than only pointing elsewhere on the page)."""
        return any(group.points for group in self.groups)


def group_by_theme(points: list[LearningPoint], others: list) -> list[ThemeGroup]:
    """Group a review's learning points by theme, each point once, in the briefing's order.

    ``others`` are the review's other entries (good practice, key facts, recommendations, actions,
    case facts):
    their themes get a group too, pointing to them.
    """
    weight = Counter(theme.pk for item in [*points, *others] for theme in item.themes.all())
    groups: dict[int | None, ThemeGroup] = {}
    for point in points:
        themes = list(point.themes.all())
        primary = min(themes, key=lambda theme: (-weight[theme.pk], theme.name.lower())) if themes else None
        groups.setdefault(primary.pk if primary else None, ThemeGroup(theme=primary)).points.append(point)
        point.primary_theme = primary
    for item in [*points, *others]:
        for theme in item.themes.all():
            if theme != getattr(item, "primary_theme", None):
                groups.setdefault(theme.pk, ThemeGroup(theme=theme)).elsewhere.append(item)
    # Themes with learning listed under them first, in the briefing's order;
    # themes found only elsewhere next; learning with no theme last.
    return sorted(groups.values(), key=lambda group: (group.theme is None, not group.points))


def review_detail(user, slug: str) -> ReviewPage | None:
    """Everything the review page shows, in either view, in a fixed number of queries (about 20)."""
    review = (
        Review.objects.visible_to(user)
        .select_related("partnership", "collection", "summary_source")
        .prefetch_related("tags", Prefetch("sources", queryset=Source.objects.visible_to(user).order_by("title")))
        .filter(slug=slug)
        .first()
    )
    if review is None:
        return None
    points = list(learning_points_for_page(user).filter(review=review))
    attach_uses(points)
    learning = [point for point in points if point.kind == LearningPoint.Kind.LEARNING]
    good_practice = [point for point in points if point.kind == LearningPoint.Kind.GOOD_PRACTICE]
    key_facts = [point for point in points if point.kind == LearningPoint.Kind.KEY_FACT]
    # Actions count among a review's themes too (see ``theme_links``), answers included.
    recommendations = list(recommendations_for_page(user, answer_themes=True).filter(review=review))
    attach_recommendation_links(recommendations, user)
    answers = [action for recommendation in recommendations for action in recommendation.actions.all()]
    other_actions = list(actions_for_page(user).filter(review=review, recommendation__isnull=True))
    # Case facts' themes put a theme in the review too (``THEMED_ENTRIES``).
    case_facts = list(
        CaseFact.objects.filter(review=review)
        .select_related("review", "source", "section__parent")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("name")))
        .order_by("position", "pk")
    )
    entries = [*points, *recommendations, *answers, *other_actions, *case_facts]
    theme_ids = {theme.pk for item in entries for theme in item.themes.all()}
    sources = list(review.sources.all())
    source_ids = {source.pk for source in sources} | {item.source_id for item in entries}
    passages = passages_for(user, review, source_ids)
    sections = place_in_sections(
        sections_for(review, source_ids),
        [*case_facts, *points, *recommendations, *other_actions, *passages],
        recommendations,
    )
    return ReviewPage(
        review=review,
        case_facts=case_facts,
        groups=group_by_theme(
            learning, [*good_practice, *key_facts, *recommendations, *answers, *other_actions, *case_facts]
        ),
        good_practice=good_practice,
        key_facts=key_facts,
        recommendations=recommendations,
        other_actions=other_actions,
        related=related_reviews(user, review, theme_ids),
        sources=sources,
        sections=sections,
        passages=passages,
        uses=uses_of_review(review, user),
    )


def related_reviews(user, review: Review, theme_ids: set[int], *, limit: int = RELATED_REVIEWS) -> list[Review]:
    """Other reviews that share the most themes with this one, with the themes they share (3 queries).

    Themes are shared by the one rule (``theme_links``, as kept in
    ``ThemeLink``): the other review has a case fact, learning point,
    recommendation or action on the theme. One ``GROUP BY`` over the kept
    links of this review's themes, read from their index.
    """
    if not theme_ids:
        return []
    ranked = (
        kept_links(user)
        .filter(theme__in=theme_ids)
        .exclude(review=review)
        .values("review_id", "year", "published_on", "title")
        .annotate(shared_count=Count("pk"))
        .order_by("-shared_count", *review_order(), "review_id")
        .values_list("review_id", flat=True)[:limit]
    )
    ids = list(ranked)
    found = Review.objects.select_related("partnership").in_bulk(ids)
    related = [found[pk] for pk in ids if pk in found]
    themes = themes_by_review(ids)
    for other in related:
        other.shared_themes = [theme for theme in themes.get(other.pk, []) if theme.pk in theme_ids]
    return related

"""The review page: the briefing's sections in its order (the default view), or its learning by theme.

Both views show the same entries from the same queries: ``sections`` (the
briefing's headings, each entry under its own: ``review_sections``) and
``groups`` (``group_by_theme``), with the case facts, good practice, key
facts, recommendations and actions apart.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Prefetch

from ..models import Action, CaseFact, LearningPoint, Recommendation, Resource, Review, Source, Theme
from ..usage.selectors import UseSummary, attach_uses, uses_of_review
from .recommendation_links import attach_recommendation_links
from .related_reviews import RELATED_CANDIDATES_PER_THEME, related_reviews
from .review_entries import attach_loaded, review_entries
from .review_sections import SectionBlock, passages_for, place_in_sections, sections_for, unshown


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
    def related_candidates(self) -> int:
        """On each of its themes, how many of the most recent reviews are looked at for related reviews."""
        return RELATED_CANDIDATES_PER_THEME

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
    items = [*points, *others]
    themes_of = [list(item.themes.all()) for item in items]
    weight = Counter(theme.pk for themes in themes_of for theme in themes)
    groups: dict[int | None, ThemeGroup] = {}
    for point, themes in zip(points, themes_of, strict=False):
        primary = min(themes, key=lambda theme: (-weight[theme.pk], theme.name.lower())) if themes else None
        groups.setdefault(primary.pk if primary else None, ThemeGroup(theme=primary)).points.append(point)
        point.primary_theme = primary
    for item, themes in zip(items, themes_of, strict=True):
        for theme in themes:
            if theme != getattr(item, "primary_theme", None):
                groups.setdefault(theme.pk, ThemeGroup(theme=theme)).elsewhere.append(item)
    # Themes with learning listed under them first, in the briefing's order;
    # themes found only elsewhere next; learning with no theme last.
    return sorted(groups.values(), key=lambda group: (group.theme is None, not group.points))


def review_detail(user, slug: str) -> ReviewPage | None:
    """Everything the review page shows, in either view, in a fixed number of queries (about 16).

    The entries are read with their own columns only (``review_entries``): the page has the review,
    reads its briefings and their sections anyway, and attaches them to each entry (``attach_loaded``).
    """
    found = (
        Review.objects.visible_to(user)
        .select_related("partnership", "collection", "summary_source")
        .defer(*unshown("summary_source__"))
        .prefetch_related(
            "tags",
            Prefetch("sources", queryset=Source.objects.visible_to(user).defer(*unshown()).order_by("title")),
        )
        .filter(slug=slug)
        .order_by()[:1]  # the slug is unique: no order to compile
    )
    review = next(iter(found), None)
    if review is None:
        return None
    entries = review_entries(user, review)
    points, recommendations, case_facts = entries.points, entries.recommendations, entries.case_facts
    answers, other_actions = entries.answers, entries.other_actions
    attach_uses(points)
    learning = [point for point in points if point.kind == LearningPoint.Kind.LEARNING]
    good_practice = [point for point in points if point.kind == LearningPoint.Kind.GOOD_PRACTICE]
    key_facts = [point for point in points if point.kind == LearningPoint.Kind.KEY_FACT]
    attach_recommendation_links(recommendations, user)
    sources = list(review.sources.all())
    source_ids = {source.pk for source in sources} | {item.source_id for item in entries.all}
    passages = passages_for(user, review, source_ids)
    briefing_sections = sections_for(review, source_ids)
    attach_loaded(entries.all, reviews={review.pk: review}, sources=sources, sections=briefing_sections)
    sections = place_in_sections(
        briefing_sections,
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
        related=related_reviews(user, review, entries.theme_ids),
        sources=sources,
        sections=sections,
        passages=passages,
        uses=uses_of_review(review, user),
    )

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

from ..models import Action, CaseFact, LearningPoint, Recommendation, Resource, Review, Section, Source, Theme
from ..usage.selectors import UseSummary, attach_uses, uses_of_review
from .recommendation_links import attach_recommendation_links
from .related_reviews import RELATED_CANDIDATES_PER_THEME, related_reviews
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


# An entry's themes as every entry shows them: by name, with what their links need.
_THEMES = Prefetch("themes", queryset=Theme.objects.only("name", "slug").order_by("name"))


def _resources() -> Prefetch:
    """The resources an entry names, with their briefing (their address is on its page)."""
    return Prefetch("resources", queryset=Resource.objects.select_related("source").defer(*unshown("source__")))


def review_detail(user, slug: str) -> ReviewPage | None:
    """Everything the review page shows, in either view, in a fixed number of queries (about 20).

    The entries are read without their review, briefing and section joined to every row: the page
    has the review, reads its briefings' sections anyway (``sections_for``), and its entries' briefings
    are its own (``attach_loaded``), so each entry's query selects its own columns only.
    """
    review = (
        Review.objects.visible_to(user)
        .select_related("partnership", "collection", "summary_source")
        .defer(*unshown("summary_source__"))
        .prefetch_related(
            "tags",
            Prefetch("sources", queryset=Source.objects.visible_to(user).defer(*unshown()).order_by("title")),
        )
        .filter(slug=slug)
        .first()
    )
    if review is None:
        return None
    # The review is one the user may see, so all its entries are (``ReviewItemQuerySet``).
    visible_points = (
        LearningPoint.objects.visible_to(user).select_related("review", "source").defer(*unshown("source__"))
    )
    points = list(
        LearningPoint.objects.filter(review=review)
        .prefetch_related(
            _THEMES,
            _resources(),
            Prefetch("repeats", queryset=visible_points, to_attr="visible_repeat_of"),
            Prefetch("repeated_in", queryset=visible_points.order_by("pk"), to_attr="visible_repeats"),
        )
        .order_by("position", "pk")
    )
    attach_uses(points)
    learning = [point for point in points if point.kind == LearningPoint.Kind.LEARNING]
    good_practice = [point for point in points if point.kind == LearningPoint.Kind.GOOD_PRACTICE]
    key_facts = [point for point in points if point.kind == LearningPoint.Kind.KEY_FACT]
    recommendations = list(
        Recommendation.objects.filter(review=review).prefetch_related(_THEMES, _resources()).order_by("position", "pk")
    )
    attach_recommendation_links(recommendations, user)
    # Every action of the review in one query: those answering a recommendation go with it, the others apart.
    # Actions count among a review's themes too (see ``theme_links``), answers included.
    actions = list(
        Action.objects.filter(review=review)
        .prefetch_related(_THEMES, _resources(), "updates")
        .order_by("position", "pk")
    )
    answers = attach_answers(recommendations, actions)
    other_actions = [action for action in actions if action.recommendation_id is None]
    # Case facts' themes put a theme in the review too (``THEMED_ENTRIES``).
    case_facts = list(CaseFact.objects.filter(review=review).prefetch_related(_THEMES).order_by("position", "pk"))
    entries = [*points, *recommendations, *answers, *other_actions, *case_facts]
    theme_ids = {theme.pk for item in entries for theme in item.themes.all()}
    sources = list(review.sources.all())
    source_ids = {source.pk for source in sources} | {item.source_id for item in entries}
    passages = passages_for(user, review, source_ids)
    briefing_sections = sections_for(review, source_ids)
    attach_loaded(entries, review=review, sources=sources, sections=briefing_sections)
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
        related=related_reviews(user, review, theme_ids),
        sources=sources,
        sections=sections,
        passages=passages,
        uses=uses_of_review(review, user),
    )


def attach_answers(recommendations: list[Recommendation], actions: list[Action]) -> list[Action]:
    """Give each recommendation the actions answering it (``recommendation.actions.all()``, in the
    briefing's order, as ``prefetch_related`` would) from the review's actions; return those answers."""
    by_recommendation: dict[int, list[Action]] = {}
    for action in actions:
        if action.recommendation_id is not None:
            by_recommendation.setdefault(action.recommendation_id, []).append(action)
    answers = []
    for recommendation in recommendations:
        answering = by_recommendation.get(recommendation.pk, [])
        for action in answering:
            Action.recommendation.field.set_cached_value(action, recommendation)
        queryset = recommendation.actions.all()
        queryset._result_cache, queryset._prefetch_done = answering, True
        recommendation._prefetched_objects_cache = {
            **getattr(recommendation, "_prefetched_objects_cache", {}),
            Action.recommendation.field.remote_field.cache_name: queryset,
        }
        answers.extend(answering)
    return answers


def attach_loaded(entries: list, *, review: Review, sources: list[Source], sections: list[Section]) -> None:
    """Give each entry its review, briefing and section from those the page has loaded, as ``select_related``
    would. A briefing or section the page has not loaded (an entry from a briefing the user may not see,
    or in a section ``sections_for`` does not hold) is read in one more query for all."""
    known_sources = {source.pk: source for source in sources}
    known_sections = {section.pk: section for section in sections}
    missing_sources = {entry.source_id for entry in entries} - known_sources.keys()
    if missing_sources:
        known_sources |= Source.objects.defer(*unshown()).in_bulk(missing_sources)
    missing_sections = {entry.section_id for entry in entries if entry.section_id} - known_sections.keys()
    if missing_sections:
        known_sections |= Section.objects.select_related("parent").in_bulk(missing_sections)
    for entry in entries:
        fields = type(entry)._meta
        fields.get_field("review").set_cached_value(entry, review)
        fields.get_field("source").set_cached_value(entry, known_sources[entry.source_id])
        if entry.section_id:
            fields.get_field("section").set_cached_value(entry, known_sections[entry.section_id])

"""Printed 7-minute briefings of a review or a theme: what they print, in order.

A review's briefing is a 7-minute briefing in seven parts, built from the
roles of the briefing's sections (``Part``, ``part_for``): 1 background,
2 the case, 3 what the review found, 4 why it matters, 5 what went well,
6 what to do, 7 questions and further information. Within each part the
entries keep the briefing's headings and order; parts with nothing in them
are left out. A theme's briefing lists the theme's learning, then its
recommendations and actions, by review.

Each selector runs a fixed number of queries whatever the size of the data
(the tests pin them) and hands the briefing to ``layout.fit_on_two_pages``,
which chooses what is printed in full. A briefing is handed out beyond the
site, so it shows **published content only**, except that staff may print a
draft review's briefing (it is marked as a draft).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import Prefetch, Q, QuerySet
from django.utils.text import capfirst

from ..models import (
    Action,
    CaseFact,
    LearningPoint,
    PublicationStatus,
    Recommendation,
    ReflectionQuestion,
    Resource,
    Review,
    Section,
    Source,
    Theme,
)
from ..models.sections import KEY_FACT, RESOURCE
from ..selectors.history import with_last_updated
from ..selectors.review_sections import passages_for
from .layout import Reference, fit_on_two_pages

# Printed when a review names no publishing board.
NO_BOARD = "Publishing board not named in the briefing"


@dataclass
class ReviewGroup:
    """A theme briefing's entries from one review: all of them, and the ones
    printed in full (``fit_on_two_pages``); the others are printed as references."""

    review: Review | None
    learning_points: list[LearningPoint] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    printed_learning_points: list[LearningPoint] = field(default_factory=list)
    printed_recommendations: list[Recommendation] = field(default_factory=list)
    printed_actions: list[Action] = field(default_factory=list)

    @property
    def has_printed_learning(self) -> bool:
        return bool(self.printed_learning_points)

    @property
    def has_printed_recommendations(self) -> bool:
        return bool(self.printed_recommendations or self.printed_actions)

    @property
    def meta(self) -> str:
        """What the group's heading prints after the review's title: its board and date.

        The layout estimate measures this same string.
        """
        if self.review is None:
            return ""
        board = self.review.partnership.name if self.review.partnership else ""
        return " · ".join(part for part in (board, self.review.date_label) if part)


# The parts of a 7-minute briefing, in order: (key, title). The titles are the
# format's, not the board's; under them the briefing's own headings and words.
PARTS = [
    ("background", "Background"),
    ("case", "The case"),
    ("found", "What the review found"),
    ("matters", "Why it matters"),
    ("went_well", "What went well"),
    ("to_do", "What to do"),
    ("further", "Questions and further information"),
]
# The part each role's entries go in, when the role holds the entry's kind.
ROLE_PARTS = {
    Section.Role.BACKGROUND: "background",
    Section.Role.CASE: "case",
    Section.Role.LEARNING: "found",
    Section.Role.GOOD_PRACTICE: "went_well",
    Section.Role.RECOMMENDATIONS: "to_do",
    Section.Role.RESPONSE: "to_do",
    Section.Role.QUESTIONS: "further",
    Section.Role.FURTHER_INFORMATION: "further",
}
# The part an entry goes in by its kind: where its section has no role that
# holds it (an action reported within learning, a signpost closing a section
# of learning, good practice within the account of the review), or no section.
KIND_PARTS = {
    "case fact": "case",
    "fact about the review": "background",
    "learning": "found",
    KEY_FACT: "matters",
    "good practice": "went_well",
    "recommendation": "to_do",
    "action": "to_do",
    RESOURCE: "further",
}
# Parts whose entries may be cut to fit two pages (and referenced instead), most important first.
CUTTABLE_PARTS = ("found", "matters", "went_well", "to_do")


def part_for(entry) -> str:
    """The part of a review's 7-minute briefing an entry is printed in.

    By its section's role, when the role holds the entry's kind; by its kind
    otherwise. Key facts (research and figures the briefing cites) are why the
    learning matters, wherever the briefing gives them.
    """
    kind = RESOURCE if isinstance(entry, Resource) else entry.section_kind
    if kind == KEY_FACT:
        return "matters"
    section = entry.section if entry.section_id else None
    if section is not None and section.holds(kind) and section.role in ROLE_PARTS:
        return ROLE_PARTS[section.role]
    return KIND_PARTS[kind]


@dataclass
class PrintedSection:
    """A run of a part's entries under one heading of the briefing, in its order."""

    section: Section | None
    entries: list = field(default_factory=list)
    printed: list = field(default_factory=list)  # the entries printed in full (set by ``_mark_printed_parts``)

    @property
    def heading(self) -> str:
        """The heading as printed in the briefing, with a table cell's row ("" for none)."""
        return self.section.heading_in_context if self.section is not None else ""


@dataclass
class Part:
    """One of the seven parts of a review's 7-minute briefing."""

    number: int
    key: str
    title: str
    sections: list[PrintedSection] = field(default_factory=list)
    more: list[Reference] = field(default_factory=list)  # entries with no room, referenced here

    @property
    def entries(self) -> list:
        return [entry for section in self.sections for entry in section.entries]

    @property
    def printed_sections(self) -> list[PrintedSection]:
        return [section for section in self.sections if section.printed]

    @property
    def is_printed(self) -> bool:
        return bool(self.printed_sections or self.more)


def seven_parts(entries) -> list[Part]:
    """The entries in the seven parts (``part_for``), each part's entries under their headings in the
    briefing's order; every part, empty ones included (they are not printed). Sets each entry's
    ``print_part``."""
    in_order = sorted(entries, key=lambda entry: (entry.position, entry.pk))
    for entry in in_order:
        entry.print_part = part_for(entry)
    parts = []
    for number, (key, title) in enumerate(PARTS, start=1):
        part = Part(number=number, key=key, title=title)
        mine = [entry for entry in in_order if entry.print_part == key]
        for _section, run in groupby(mine, key=lambda entry: entry.section_id):
            run = list(run)
            section = run[0].section if run[0].section_id else None
            part.sections.append(PrintedSection(section=section, entries=run))
        parts.append(part)
    return parts


@dataclass
class Briefing:
    """Everything a printed 7-minute briefing shows, in the order it shows it."""

    title: str
    kind_label: str
    page_url: str
    permalink: str
    last_updated: datetime.datetime
    questions: list[ReflectionQuestion]
    sources: list[Source]
    review: Review | None = None
    theme: Theme | None = None
    groups: list[ReviewGroup] = field(default_factory=list)
    case_facts: list[CaseFact] = field(default_factory=list)
    # A review's briefing: its seven parts (``seven_parts``), and the resources it gives as passages.
    parts: list[Part] = field(default_factory=list)
    passages: list[Resource] = field(default_factory=list)

    @property
    def learning_points(self) -> list[LearningPoint]:
        return [point for group in self.groups for point in group.learning_points]

    @property
    def recommendations(self) -> list[Recommendation]:
        return [rec for group in self.groups for rec in group.recommendations]

    @property
    def actions(self) -> list[Action]:
        return [action for group in self.groups for action in group.actions]

    # Sources printed whatever is cut: a review's own, and those of its case facts.
    fixed_sources: list[Source] = field(default_factory=list)
    # Set by fit_on_two_pages: the denser layout, and what is printed as references.
    is_long: bool = False
    more_learning: list[Reference] = field(default_factory=list)
    more_recommendations: list[Reference] = field(default_factory=list)
    unlisted_count: int = 0
    printed_sources: list[Source] = field(default_factory=list)
    unprinted_source_count: int = 0

    @property
    def printed_parts(self) -> list[Part]:
        """The parts printed, in order: those with anything in them (part 7 has the questions)."""
        return [part for part in self.parts if part.is_printed or (part.key == "further" and self.questions)]

    @property
    def is_draft(self) -> bool:
        return self.review is not None and not self.review.is_published

    @property
    def review_meta(self) -> str:
        """The line under a review briefing's title: board, date and child ('' for a theme).

        The layout estimate measures this same string.
        """
        if self.review is None:
            return ""
        review = self.review
        board = review.partnership.name if review.partnership else NO_BOARD
        return " · ".join(part for part in (board, capfirst(review.date_label), review.children) if part)

    @property
    def printed_learning_points(self) -> list[LearningPoint]:
        return [point for group in self.groups for point in group.printed_learning_points]

    @property
    def has_printed_recommendations(self) -> bool:
        return any(group.has_printed_recommendations for group in self.groups)

    @property
    def referenced_count(self) -> int:
        """Entries printed as references or counted as not listed, rather than in full."""
        return len(self.more_learning) + len(self.more_recommendations) + self.unlisted_count


# Each entry with its source's partnership: the briefing lists its sources with their publishers.
def _learning_points() -> QuerySet[LearningPoint]:
    return LearningPoint.objects.select_related(
        "review", "review__partnership", "source", "source__partnership", "section__parent"
    ).order_by("position", "pk")


def _recommendations(actions: QuerySet[Action]) -> QuerySet[Recommendation]:
    return (
        Recommendation.objects.select_related(
            "review", "review__partnership", "source", "source__partnership", "section__parent"
        )
        .prefetch_related(Prefetch("actions", queryset=actions))
        .order_by("position", "pk")
    )


def _actions() -> QuerySet[Action]:
    return Action.objects.select_related("review", "source", "source__partnership", "section__parent").order_by(
        "position", "pk"
    )


def _sources_of(items, extra=()) -> list[Source]:
    """The distinct briefings a set of entries came from, newest first."""
    seen: dict[int, Source] = {source.pk: source for source in extra}
    for item in items:
        seen.setdefault(item.source_id, item.source)
    return sorted(
        seen.values(),
        key=lambda source: (source.published_on or datetime.date.min, source.title),
        reverse=True,
    )


def _with_answering_actions(items, recommendations: list[Recommendation]) -> list:
    """The entries, and the actions that answer the recommendations (already prefetched)."""
    items = list(items)
    for recommendation in recommendations:
        items.extend(recommendation.actions.all())
    return items


def review_briefing(*, slug: str, user) -> Briefing:
    """A review's printed 7-minute briefing, in seven parts (``seven_parts``). Staff may print a draft
    (it is marked); others get ``Review.DoesNotExist`` for a draft, as for an unknown slug. Nine queries."""
    review = (
        with_last_updated(Review.objects.visible_to(user))
        .select_related("partnership", "summary_source")
        .get(slug=slug)
    )
    actions = _actions()
    points = list(_learning_points().filter(review=review))
    recommendations = list(_recommendations(actions).filter(review=review))
    loose_actions = list(actions.filter(review=review, recommendation__isnull=True))
    case_facts = list(
        CaseFact.objects.filter(review=review).select_related("source", "section__parent").order_by("position", "pk")
    )
    sources = list(review.sources.visible_to(user).select_related("partnership"))
    all_items = _with_answering_actions([*points, *recommendations, *loose_actions, *case_facts], recommendations)
    source_ids = {source.pk for source in sources} | {item.source_id for item in all_items}
    passages = passages_for(user, review, source_ids, related=("source__partnership", "section__parent"))
    parts = seven_parts([*case_facts, *points, *recommendations, *loose_actions, *passages])
    by_part = {part.key: part.entries for part in parts}
    # What may be cut to fit, in the order it is printed: the learning of parts 3 to 5, then part 6.
    learning = [entry for key in ("found", "matters", "went_well") for entry in by_part[key]]
    to_do = by_part["to_do"]
    briefing = Briefing(
        title=review.title,
        kind_label=review.get_review_type_display(),
        page_url=review.get_absolute_url(),
        permalink=review.get_permalink(),
        last_updated=review.last_updated,
        questions=list(ReflectionQuestion.objects.general()),
        sources=_sources_of(all_items, extra=sources),
        fixed_sources=_sources_of([*case_facts, *passages], extra=sources),
        review=review,
        groups=[
            ReviewGroup(
                review=review,
                learning_points=learning,
                recommendations=[entry for entry in to_do if isinstance(entry, Recommendation)],
                actions=[entry for entry in to_do if isinstance(entry, Action)],
            )
        ],
        case_facts=case_facts,
        parts=parts,
        passages=passages,
    )
    return _mark_printed_parts(fit_on_two_pages(briefing))


def _mark_printed_parts(briefing: Briefing) -> Briefing:
    """Record on each part what ``fit_on_two_pages`` printed in full: every entry of the parts printed
    whole (1, 2, 7), the chosen ones of the others; and where the references to the others go."""
    (group,) = briefing.groups
    printed = {id(entry) for entry in [*group.printed_learning_points, *group.printed_recommendations]}
    printed |= {id(entry) for entry in group.printed_actions}
    for part in briefing.parts:
        for section in part.sections:
            section.printed = [
                entry for entry in section.entries if part.key not in CUTTABLE_PARTS or id(entry) in printed
            ]
    # References follow the part they were cut from: learning after the last of parts 3 to 5 with entries.
    learning_parts = [part for part in briefing.parts if part.key in ("found", "matters", "went_well") and part.entries]
    if learning_parts:
        learning_parts[-1].more = briefing.more_learning
    to_do = next(part for part in briefing.parts if part.key == "to_do")
    to_do.more = briefing.more_recommendations
    return briefing


def _leave_out_repeats(points: list[LearningPoint]) -> list[LearningPoint]:
    """The points to print: each repeat of a point already on the list is left out,
    and noted on the point it repeats (``also_published_in``, its sources)."""
    shown_points = {point.pk for point in points}
    repeats_by_original: dict[int, list[LearningPoint]] = defaultdict(list)
    for point in points:
        if point.repeats_id in shown_points:
            repeats_by_original[point.repeats_id].append(point)
    for point in points:
        point.also_published_in = [repeat.source for repeat in repeats_by_original.get(point.pk, [])]
    return [point for point in points if point.repeats_id not in shown_points]


def _newest_first(group: ReviewGroup):
    review = group.review
    if review is None:
        return (1, 0, datetime.date.min, "")
    return (0, -(review.year or 0), review.published_on or datetime.date.min, review.title)


def _group_by_review(points, recommendations, actions) -> list[ReviewGroup]:
    """The entries in one group per review (learning tied to no review in a last group), newest first."""
    groups: dict[int | None, ReviewGroup] = {}

    def group_for(item) -> ReviewGroup:
        key = item.review_id
        if key not in groups:
            groups[key] = ReviewGroup(review=item.review)
        return groups[key]

    for point in points:
        group_for(point).learning_points.append(point)
    for recommendation in recommendations:
        group_for(recommendation).recommendations.append(recommendation)
    for action in actions:
        group_for(action).actions.append(action)
    return sorted(groups.values(), key=_newest_first)


def theme_briefing(*, slug: str, user=None) -> Briefing:
    """A theme's printed briefing: its published learning, recommendations and
    actions, grouped by review (newest first). Seven queries.

    A learning point that repeats another one already shown (the same
    paragraph published again in a later briefing) is printed once, with a
    note of where else it appeared. Raises ``Theme.DoesNotExist``, also for a
    theme the user may not see (``Theme.objects.visible_to``; without a user,
    public themes only).
    """
    theme = Theme.objects.visible_to(user).get(slug=slug)
    actions = _actions().filter(Q(review__status=PublicationStatus.PUBLISHED))
    points = list(_learning_points().published().filter(themes=theme))
    recommendations = list(_recommendations(actions).published().filter(themes=theme))
    shown_recommendations = {rec.pk for rec in recommendations}
    # An action whose recommendation is in the briefing is printed under it, not again on its own.
    loose_actions = [
        action for action in actions.filter(themes=theme) if action.recommendation_id not in shown_recommendations
    ]
    groups = _group_by_review(_leave_out_repeats(points), recommendations, loose_actions)
    all_items = _with_answering_actions([*points, *recommendations, *loose_actions], recommendations)
    changes = [theme.updated_at, *(item.updated_at for item in all_items)]
    changes.extend(group.review.updated_at for group in groups if group.review is not None)
    briefing = Briefing(
        title=theme.name,
        kind_label="Theme",
        page_url=theme.get_absolute_url(),
        permalink=theme.get_permalink(),
        last_updated=max(changes),
        questions=list(ReflectionQuestion.objects.for_theme(theme)),
        sources=_sources_of(all_items),
        theme=theme,
        groups=groups,
    )
    return fit_on_two_pages(briefing)

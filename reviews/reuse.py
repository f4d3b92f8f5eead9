"""Reads for trainers and reuse: printed briefings, course packs, embeds, feeds.

Each selector runs a fixed number of queries whatever the size of the data
(the tests pin them). Everything here is for handing out or publishing
beyond the site, so it shows **published content only**, for everyone,
except where a function says that staff may preview a draft.
"""

from __future__ import annotations

import datetime
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import (
    DateTimeField,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Greatest

from .markdown import strip_markdown
from .models import (
    Action,
    CaseFact,
    CoursePack,
    CoursePackItem,
    LearningPoint,
    Partnership,
    PublicationStatus,
    Recommendation,
    ReflectionQuestion,
    Review,
    Source,
    Theme,
)

# ---------------------------------------------------------------------------
# When a review last changed
# ---------------------------------------------------------------------------

_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def _latest_item_change(model) -> Subquery:
    return Subquery(
        model.objects.filter(review=OuterRef("pk"))
        .order_by()
        .values("review")
        .annotate(latest=Max("updated_at"))
        .values("latest")[:1]
    )


def with_last_updated(reviews: QuerySet[Review]) -> QuerySet[Review]:
    """Annotate ``last_updated``: the latest change to a review or any of its entries.

    A review's own ``updated_at`` does not move when one of its learning
    points is corrected, but its printed briefing and its feed entry have
    changed. ``Coalesce`` keeps ``Greatest`` working on SQLite, where a
    single NULL argument would make the whole result NULL.
    """
    epoch = Value(_EPOCH, output_field=DateTimeField())
    return reviews.annotate(
        last_updated=Greatest(
            F("updated_at"),
            *(
                Coalesce(_latest_item_change(model), epoch)
                for model in (LearningPoint, Recommendation, Action, CaseFact)
            ),
        )
    )


def _one_level_deeper(theme):
    """Inside one more subquery, an ``OuterRef`` must reach one level further out."""
    return OuterRef(theme) if isinstance(theme, OuterRef) else theme


def published_reviews_about(theme) -> QuerySet[Review]:
    """Published reviews with a learning point, recommendation or action filed under the theme.

    ``theme`` is a theme, or ``OuterRef("pk")`` inside a theme annotation.
    """
    inner = _one_level_deeper(theme)
    return Review.objects.published().filter(
        Q(pk__in=LearningPoint.objects.filter(themes=inner).values("review_id"))
        | Q(pk__in=Recommendation.objects.filter(themes=inner).values("review_id"))
        | Q(pk__in=Action.objects.filter(themes=inner).values("review_id"))
    )


class SubqueryCount(Subquery):
    """``COUNT(*)`` of a queryset as an annotation, without a ``GROUP BY`` on the outer query."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _count)"
    output_field = IntegerField()

    def __init__(self, queryset, **extra):
        super().__init__(queryset.order_by().values("pk"), **extra)


def distinct_learning_about(theme) -> QuerySet[LearningPoint]:
    """Published learning points on a theme, leaving out repeats of one already on it
    (the same paragraph published again in a later briefing is counted once).

    ``theme`` is a theme, or ``OuterRef("pk")`` inside a theme annotation.
    """
    published = LearningPoint.objects.published()
    repeat_of_counted = published.filter(pk=OuterRef("repeats_id"), themes=_one_level_deeper(theme))
    return published.filter(themes=theme).filter(~Exists(repeat_of_counted))


# ---------------------------------------------------------------------------
# Is a piece of content public?
# ---------------------------------------------------------------------------


def is_public(obj) -> bool:
    """Whether the public may see ``obj``, from objects already loaded.

    The same rules as the models' ``published()`` querysets; callers load
    ``review`` and ``source`` with ``select_related`` so this costs nothing.
    """
    if obj is None:
        return False
    if isinstance(obj, Theme):
        return True
    if isinstance(obj, Review):
        return obj.status == PublicationStatus.PUBLISHED
    if isinstance(obj, LearningPoint) and obj.review_id is None:
        return obj.source.status == PublicationStatus.PUBLISHED
    if isinstance(obj, (LearningPoint, Recommendation, Action)):
        return obj.review.status == PublicationStatus.PUBLISHED
    return False


def deletion_of(model, **lookup):
    """The edit-history record of an object's deletion, or None if it was never
    deleted or is back (django-simple-history's ``history_type "-"``).

    ``lookup`` is ``pk=...`` or, for a page addressed by slug, ``slug=...``.
    Two queries at most; only asked once an object was not found.
    """
    history_lookup = {"id": lookup["pk"]} if "pk" in lookup else lookup
    deleted = model.history.filter(history_type="-", **history_lookup).order_by("-history_date").first()
    if deleted is None or model._default_manager.filter(**lookup).exists():
        return None
    return deleted


# ---------------------------------------------------------------------------
# Printed 7-minute briefings
# ---------------------------------------------------------------------------


# Each entry with its source's partnership: the briefing lists its sources with their publishers.
def _learning_points() -> QuerySet[LearningPoint]:
    return LearningPoint.objects.select_related(
        "review", "review__partnership", "source", "source__partnership"
    ).order_by("position", "pk")


def _recommendations(actions: QuerySet[Action]) -> QuerySet[Recommendation]:
    return (
        Recommendation.objects.select_related("review", "review__partnership", "source", "source__partnership")
        .prefetch_related(Prefetch("actions", queryset=actions))
        .order_by("position", "pk")
    )


def _actions() -> QuerySet[Action]:
    return Action.objects.select_related("review", "source", "source__partnership").order_by("position", "pk")


@dataclass
class ReviewGroup:
    """A theme briefing's entries from one review: all of them, and the ones
    printed in full (``fit_on_two_pages``); the others are printed as references."""

    review: Review
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


@dataclass(frozen=True)
class Reference:
    """An entry a briefing had no room for: what it is, where from, its opening words
    and its permanent link, so that nothing is left out without a trace."""

    label: str
    where: str
    opening: str
    permalink: str
    is_action_of_recommendation: bool = False


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
    def is_draft(self) -> bool:
        return self.review is not None and not self.review.is_published

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


def review_briefing(*, slug: str, user) -> Briefing:
    """A review's printed briefing. Staff may print a draft (it is marked); others get
    ``Review.DoesNotExist`` for a draft, as for an unknown slug. Nine queries."""
    review = (
        with_last_updated(Review.objects.visible_to(user))
        .select_related("partnership", "summary_source")
        .get(slug=slug)
    )
    actions = _actions()
    points = list(_learning_points().filter(review=review))
    recommendations = list(_recommendations(actions).filter(review=review))
    loose_actions = list(actions.filter(review=review, recommendation__isnull=True))
    case_facts = list(CaseFact.objects.filter(review=review).select_related("source").order_by("position", "pk"))
    sources = list(review.sources.visible_to(user).select_related("partnership"))
    all_items = [*points, *recommendations, *loose_actions, *case_facts]
    for recommendation in recommendations:
        all_items.extend(recommendation.actions.all())
    briefing = Briefing(
        title=review.title,
        kind_label=review.get_review_type_display(),
        page_url=review.get_absolute_url(),
        permalink=review.get_permalink(),
        last_updated=review.last_updated,
        questions=list(ReflectionQuestion.objects.general()),
        sources=_sources_of(all_items, extra=sources),
        fixed_sources=_sources_of(case_facts, extra=sources),
        review=review,
        groups=[
            ReviewGroup(review=review, learning_points=points, recommendations=recommendations, actions=loose_actions)
        ],
        case_facts=case_facts,
    )
    return fit_on_two_pages(briefing)


def theme_briefing(*, slug: str) -> Briefing:
    """A theme's printed briefing: its published learning, recommendations and
    actions, grouped by review (newest first). Seven queries.

    A learning point that repeats another one already shown (the same
    paragraph published again in a later briefing) is printed once, with a
    note of where else it appeared.
    """
    theme = Theme.objects.get(slug=slug)
    actions = _actions().filter(Q(review__status=PublicationStatus.PUBLISHED))
    points = list(_learning_points().published().filter(themes=theme))
    recommendations = list(_recommendations(actions).published().filter(themes=theme))
    shown_recommendations = {rec.pk for rec in recommendations}
    loose_actions = [
        action for action in actions.filter(themes=theme) if action.recommendation_id not in shown_recommendations
    ]

    shown_points = {point.pk for point in points}
    repeats_by_original: dict[int, list[LearningPoint]] = defaultdict(list)
    for point in points:
        if point.repeats_id in shown_points:
            repeats_by_original[point.repeats_id].append(point)
    for point in points:
        point.also_published_in = [repeat.source for repeat in repeats_by_original.get(point.pk, [])]
    printed_points = [point for point in points if point.repeats_id not in shown_points]

    groups: dict[int | None, ReviewGroup] = {}

    def group_for(item) -> ReviewGroup:
        key = item.review_id
        if key not in groups:
            groups[key] = ReviewGroup(review=item.review)
        return groups[key]

    for point in printed_points:
        group_for(point).learning_points.append(point)
    for recommendation in recommendations:
        group_for(recommendation).recommendations.append(recommendation)
    for action in loose_actions:
        group_for(action).actions.append(action)

    def newest_first(group: ReviewGroup):
        review = group.review
        if review is None:
            return (1, 0, datetime.date.min, "")
        return (0, -(review.year or 0), review.published_on or datetime.date.min, review.title)

    ordered = sorted(groups.values(), key=newest_first)
    all_items = [*points, *recommendations, *loose_actions]
    for recommendation in recommendations:
        all_items.extend(recommendation.actions.all())
    changes = [theme.updated_at, *(item.updated_at for item in all_items)]
    changes.extend(group.review.updated_at for group in ordered if group.review is not None)
    briefing = Briefing(
        title=theme.name,
        kind_label="Theme",
        page_url=theme.get_absolute_url(),
        permalink=theme.get_permalink(),
        last_updated=max(changes),
        questions=list(ReflectionQuestion.objects.for_theme(theme)),
        sources=_sources_of(all_items),
        theme=theme,
        groups=ordered,
    )
    return fit_on_two_pages(briefing)


# ---------------------------------------------------------------------------
# Fitting a briefing on two A4 pages
# ---------------------------------------------------------------------------
#
# A 7-minute briefing is one or two A4 pages (issue 7). The print view cannot
# measure what the browser will lay out, so it estimates: every part of the
# briefing costs some lines of one of its two columns, from its length in
# characters and the layout in static/reuse/briefing.css. The constants were
# measured in Chromium and err on the side of cutting: a briefing that fits
# is printed whole. One that does not prints the key learning first, then
# recommendations and actions, as far as they fit; every entry beyond that is
# listed as a short reference with its permanent link ("and 12 more
# learning points, online: ..."), and if even the references do not all fit,
# the briefing says how many more there are and where to find them.


@dataclass(frozen=True)
class PrintMetrics:
    """What a layout holds, in lines of one column (both columns of a page hold the same)."""

    chars_per_line: int
    lines_per_column: float


# 9.5pt on 1.3 lines and 9pt on 1.22 (briefing.css), in a 90mm column of a
# page with 273mm of height to print on. Characters per line are Arial's
# average width for English text, less a margin for words that do not fit.
NORMAL_PRINT = PrintMetrics(chars_per_line=54, lines_per_column=62)
LONG_PRINT = PrintMetrics(chars_per_line=57, lines_per_column=70)
PRINT_PAGES = 2
PRINT_COLUMNS = 2

# An entry longer than this may run on into the next column (the
# ``kb-briefing__item--breakable`` class). Shorter ones move whole to the next
# column, which leaves at most this much empty at the foot of a column.
BREAKABLE_LINES = 10
# Where a column ends: the first two columns and the first page.
COLUMN_BREAKS = PRINT_PAGES * PRINT_COLUMNS - 1
# With too many entries to list them all, this much of the room is for
# entries printed in full, the rest for references.
FULL_TEXT_SHARE = 0.6

REFERENCE_OPENING_WORDS = 10
# A reference's permanent link as printed, e.g. "https://kb.example.org/lp/123/": the
# host is not known here, so this allows for a long one.
PERMALINK_CHARACTERS = 50
_BLOCK_SPLIT = re.compile(r"\n\s*\n|\n(?=\s*(?:[-*+]|\d+[.)])\s)")


def _text_lines(text: str, chars_per_line: int) -> float:
    """Lines a stored Markdown text takes: each paragraph or list item wraps on its own."""
    lines = 0.0
    for block in _BLOCK_SPLIT.split(text.strip()):
        plain = strip_markdown(block)
        if plain:
            lines += math.ceil(len(plain) / chars_per_line) + 0.3
    return lines


class _Costs:
    """The lines each part of a briefing takes in one layout."""

    def __init__(self, metrics: PrintMetrics):
        self.cpl = metrics.chars_per_line
        self.capacity = PRINT_PAGES * PRINT_COLUMNS * metrics.lines_per_column

    def text(self, text: str, indent: int = 0) -> float:
        return _text_lines(text, self.cpl - indent)

    def line(self, text: str, *, indent: int = 0, scale: float = 1.0) -> float:
        return math.ceil(max(len(text), 1) * scale / (self.cpl - indent))

    def full_width(self, text: str) -> float:
        """The header and footer span both columns: each of their lines costs two."""
        return 2 * math.ceil(max(len(strip_markdown(text)), 1) / (2 * self.cpl))

    # Sections printed whole whatever the room -----------------------------

    section_heading = 2.4

    def header(self, briefing: Briefing) -> float:
        lines = 2 * 1.2  # label
        lines += 2 * 2.1 * math.ceil(len(briefing.title) / self.cpl)  # the title, 18pt
        if briefing.review is not None:
            review = briefing.review
            meta = f"{review.partnership or ''} · Published {review.published_display} · {review.children}"
            lines += self.full_width(meta)
            if review.summary:
                lines += 2 + sum(self.full_width(block) + 0.6 for block in _BLOCK_SPLIT.split(review.summary))
        else:
            if briefing.theme.summary:
                lines += 2 + self.full_width(briefing.theme.summary) + 0.6
            lines += 2  # "Learning from N reviews ..."
        if briefing.is_draft:
            lines += 2 * 2
        return lines + 2 * 2.5  # rule, padding and margin

    def case_facts(self, facts: list[CaseFact]) -> float:
        kinds = {fact.kind for fact in facts}
        return len(kinds) * self.section_heading + sum(self.text(fact.text, indent=2) + 0.4 for fact in facts)

    def questions(self, questions: list[ReflectionQuestion]) -> float:
        if not questions:
            return 0.0
        lines = self.section_heading + 2 + 2  # heading, who wrote them, the box
        return lines + sum(self.line(question.text, indent=3) + 0.25 for question in questions)

    def source(self, source: Source) -> float:
        return self.line(f"{source.title}. {source.publisher_display}, {source.published_display}.", indent=2)

    def sources(self, sources: list[Source]) -> float:
        return self.section_heading + sum(self.source(source) for source in sources) + 0.5

    footer = 2 * 3.5

    # Entries, printed whole or as references -------------------------------

    def group_heading(self, group: ReviewGroup) -> float:
        review = group.review
        title = f"{review.title} · {review.partnership or ''} · {review.published_display}" if review else "x" * 40
        return 1.1 * self.line(title, scale=1.1) + 0.9  # 10pt on 1.25 lines, and its margins

    def learning_point(self, point: LearningPoint) -> float:
        lines = self.text(point.text, indent=2) + 0.4
        if point.kind != LearningPoint.Kind.LEARNING:
            lines += 1.1
        if getattr(point, "also_published_in", None):
            lines += self.line("Also published in " + "; ".join(s.title for s in point.also_published_in), indent=2)
        return lines

    def action(self, action: Action) -> float:
        label = f"Action · {action.owner} · {action.get_status_display()} · target: {action.target_date_as_stated}"
        lines = self.line(label, indent=4) + self.text(action.text, indent=4) + 0.5
        if action.evidence_of_impact:
            lines += 1 + self.text(action.evidence_of_impact, indent=4)
        return lines

    def recommendation(self, recommendation: Recommendation) -> float:
        label = f"Recommendation {recommendation.number} · for {recommendation.addressed_to}"
        lines = self.line(label, indent=2) + self.text(recommendation.text, indent=2) + 0.4
        return lines + sum(self.action(action) for action in recommendation.actions.all())

    def reference(self, reference: Reference) -> float:
        text = f"{reference.label}, {reference.where}: {reference.opening} " + "x" * PERMALINK_CHARACTERS
        return self.line(text, indent=4 if reference.is_action_of_recommendation else 2) + 0.2

    more_heading = 1.5
    group_heading_lines = 2.5


@dataclass
class _Unit:
    """What is printed or referenced together: an entry, or a recommendation with its actions."""

    group: ReviewGroup
    kind: str  # "learning", "recommendation" or "action"
    item: LearningPoint | Recommendation | Action
    cost: float
    references: list[Reference]

    @property
    def sources(self) -> list[Source]:
        items = [self.item, *(self.item.actions.all() if self.kind == "recommendation" else ())]
        return [item.source for item in items]


def _reference(item, *, where: str, is_action_of_recommendation: bool = False) -> Reference:
    if isinstance(item, LearningPoint):
        label = "Learning point" if item.kind == LearningPoint.Kind.LEARNING else item.get_kind_display()
    elif isinstance(item, Recommendation):
        label = f"Recommendation {item.number}" if item.number else "Recommendation"
    else:
        label = f"Action · {item.owner}" if item.owner else "Action"
    words = strip_markdown(item.text).split()
    opening = " ".join(words[:REFERENCE_OPENING_WORDS]) + ("…" if len(words) > REFERENCE_OPENING_WORDS else "")
    return Reference(
        label=label,
        where=where,
        opening=opening,
        permalink=item.get_permalink(),
        is_action_of_recommendation=is_action_of_recommendation,
    )


def _units(briefing: Briefing, costs: _Costs) -> list[_Unit]:
    """Everything that may be cut, most important first: the key learning, then
    recommendations with their actions, then the other actions."""

    def where(item) -> str:
        return item.review.title if item.review_id else item.source.title

    units = []
    for group in briefing.groups:
        for point in group.learning_points:
            references = [_reference(point, where=where(point))]
            units.append(_Unit(group, "learning", point, costs.learning_point(point), references))
    for group in briefing.groups:
        for recommendation in group.recommendations:
            references = [_reference(recommendation, where=where(recommendation))]
            references += [
                _reference(action, where=where(action), is_action_of_recommendation=True)
                for action in recommendation.actions.all()
            ]
            cost = costs.recommendation(recommendation)
            units.append(_Unit(group, "recommendation", recommendation, cost, references))
        for action in group.actions:
            references = [_reference(action, where=where(action))]
            units.append(_Unit(group, "action", action, costs.action(action), references))
    return units


def _fixed_lines(briefing: Briefing, costs: _Costs, units: list[_Unit]) -> float:
    """Lines of everything printed whatever the room: header, headings, case facts, questions, sources, footer."""
    lines = costs.header(briefing) + costs.footer + costs.section_heading  # "1 Key learning" is always there
    if briefing.recommendations or briefing.actions:
        lines += costs.section_heading
    lines += costs.case_facts(briefing.case_facts) + costs.questions(briefing.questions)
    lines += costs.sources(briefing.fixed_sources)  # the entries' own sources are counted with them
    # At a column break, what may not be split (an entry shorter than
    # BREAKABLE_LINES, with a heading kept with it, or the questions' box)
    # moves whole to the next column and leaves the foot of this one empty:
    # allow for the tallest such thing at one break and half of it at the others
    # (measured: more is never lost).
    tallest = max([min(unit.cost, BREAKABLE_LINES) for unit in units], default=0) + costs.group_heading_lines
    return lines + max(tallest, costs.questions(briefing.questions)) + (COLUMN_BREAKS - 1) * tallest / 2


def _section(unit: _Unit) -> str:
    return "learning" if unit.kind == "learning" else "recommendations"


def _choose(briefing: Briefing, units: list[_Unit], costs: _Costs, room: float) -> tuple[int, int]:
    """How many units to print in full, and how many of the others' references to list.

    The most units that fit with a reference to every other one. When there
    are too many others for that to leave much printed in full, the units
    that fit in FULL_TEXT_SHARE of the room are printed, the references that
    fit in the rest are listed, and a last line says how many more there are
    and where they all are.
    """
    references = [reference for unit in units for reference in unit.references]
    # Prefix sums, so that each choice is weighed in constant time.
    reference_lines = [0.0]
    for reference in references:
        reference_lines.append(reference_lines[-1] + costs.reference(reference))
    unit_lines, first_reference = [0.0], [0]
    headings: set[tuple[int, str]] = set()
    listed_sources = {source.pk for source in briefing.fixed_sources}
    for unit in units:
        cost = unit.cost
        heading = (id(unit.group), _section(unit))
        if briefing.theme is not None and heading not in headings:
            # Theme briefings print a heading for each review in each section it has entries printed in.
            headings.add(heading)
            cost += costs.group_heading(unit.group)
        for source in unit.sources:
            # Source briefings lists the sources of the entries printed in full.
            if source.pk not in listed_sources:
                listed_sources.add(source.pk)
                cost += costs.source(source)
        unit_lines.append(unit_lines[-1] + cost)
        first_reference.append(first_reference[-1] + len(unit.references))
    # The sections with references in them, each under its own "And N more" line.
    later_sections = [0] * (len(units) + 1)
    seen: set[str] = set()
    for printed in range(len(units) - 1, -1, -1):
        seen.add(_section(units[printed]))
        later_sections[printed] = len(seen)

    def lines(printed: int, listed: int) -> float:
        start = first_reference[printed]
        total = unit_lines[printed] + reference_lines[start + listed] - reference_lines[start]
        total += later_sections[printed] * costs.more_heading
        if start + listed < len(references):
            total += 2 * costs.more_heading  # "And N more entries ... all online at ..."
        if printed < len(units):
            total += 2 * costs.more_heading  # the sources of the entries not printed in full
        return total

    def all_listed(printed: int) -> int:
        return len(references) - first_reference[printed]

    with_every_reference = next(
        (printed for printed in range(len(units), -1, -1) if lines(printed, all_listed(printed)) <= room), None
    )
    in_share = next(
        (printed for printed in range(len(units), -1, -1) if lines(printed, 0) <= room * FULL_TEXT_SHARE), 0
    )
    if with_every_reference is not None and with_every_reference >= in_share:
        return with_every_reference, all_listed(with_every_reference)
    listed = all_listed(in_share)
    while listed > 0 and lines(in_share, listed) > room:
        listed -= 1
    return in_share, listed


def fit_on_two_pages(briefing: Briefing) -> Briefing:
    """Choose what a printed briefing prints in full, so that it fits two A4 pages.

    The whole briefing at 9.5pt if it fits, else at 9pt; if it does not fit
    even then, the entries that fit in order of importance, the others as
    references. Sets the groups' ``printed_*`` lists and the briefing's
    ``is_long``, ``more_learning``, ``more_recommendations``,
    ``unlisted_count``, ``printed_sources`` (those of the entries printed in
    full, and the review's own) and ``unprinted_source_count``. Runs no query.
    """
    for metrics, is_long in ((NORMAL_PRINT, False), (LONG_PRINT, True)):
        costs = _Costs(metrics)
        units = _units(briefing, costs)
        room = costs.capacity - _fixed_lines(briefing, costs, units)
        printed, listed = _choose(briefing, units, costs, room)
        if printed == len(units):
            break
    briefing.is_long = is_long
    for group in briefing.groups:
        group.printed_learning_points, group.printed_recommendations, group.printed_actions = [], [], []
    for unit in units:
        unit.item.print_breakable = unit.cost > BREAKABLE_LINES
    for unit in units[:printed]:
        printed_list = {
            "learning": unit.group.printed_learning_points,
            "recommendation": unit.group.printed_recommendations,
            "action": unit.group.printed_actions,
        }[unit.kind]
        printed_list.append(unit.item)
    references = [(_section(unit), reference) for unit in units[printed:] for reference in unit.references]
    briefing.more_learning = [reference for section, reference in references[:listed] if section == "learning"]
    briefing.more_recommendations = [
        reference for section, reference in references[:listed] if section == "recommendations"
    ]
    briefing.unlisted_count = len(references) - listed
    printed_sources = {source.pk for source in briefing.fixed_sources}
    printed_sources.update(source.pk for unit in units[:printed] for source in unit.sources)
    briefing.printed_sources = [source for source in briefing.sources if source.pk in printed_sources]
    briefing.unprinted_source_count = len(briefing.sources) - len(briefing.printed_sources)
    return briefing


# ---------------------------------------------------------------------------
# Course packs
# ---------------------------------------------------------------------------


@dataclass
class PackStep:
    """One step of a course pack as shown: the live content, or a removed marker."""

    item: CoursePackItem
    content: object | None

    @property
    def is_note(self) -> bool:
        return self.item.kind == CoursePackItem.Kind.NOTE

    @property
    def is_removed(self) -> bool:
        return not self.is_note and self.content is None

    @property
    def kind(self) -> str:
        return self.item.kind

    @property
    def kind_label(self) -> str:
        return self.item.get_kind_display()

    @property
    def removed_label(self) -> str:
        """What a removed step was: its snapshot, which already names the kind for entries."""
        snapshot = self.item.label_snapshot
        if self.kind in (CoursePackItem.Kind.THEME, CoursePackItem.Kind.REVIEW) or not snapshot:
            return f"{self.kind_label}: {snapshot}" if snapshot else self.kind_label
        return snapshot


def course_pack_items() -> QuerySet[CoursePackItem]:
    """Pack items with every kind of content and what it needs to show (one query)."""
    return CoursePackItem.objects.select_related(
        "theme",
        "review",
        "review__partnership",
        "review__summary_source",
        "learning_point",
        "learning_point__review",
        "learning_point__review__partnership",
        "learning_point__source",
        "recommendation",
        "recommendation__review",
        "recommendation__review__partnership",
        "recommendation__source",
        "action",
        "action__review",
        "action__review__partnership",
        "action__source",
    ).order_by("position", "pk")


def course_pack(*, slug: str, user) -> tuple[CoursePack, list[PackStep]]:
    """A course pack and its steps (two queries). Staff may see a draft pack.

    Content that was deleted, or that is no longer published, is shown as
    removed with the label it had: never as a broken page, and never with
    its unpublished text.
    """
    pack = CoursePack.objects.visible_to(user).select_related("owner").get(slug=slug)
    steps = []
    for item in course_pack_items().filter(pack=pack):
        content = item.target
        steps.append(PackStep(item=item, content=content if is_public(content) else None))
    return pack, steps


# ---------------------------------------------------------------------------
# Embeddable cards
# ---------------------------------------------------------------------------


def embeddable_learning_point(**lookup) -> LearningPoint:
    """A published learning point, by ``pk`` or ``ref``, with what its card shows (one query)."""
    return (
        LearningPoint.objects.published()
        .select_related("review", "review__partnership", "source", "source__partnership")
        .get(**lookup)
    )


@dataclass
class ThemeCard:
    theme: Theme
    learning_count: int
    reviews: list[Review]
    review_count: int
    partnership_count: int


THEME_CARD_REVIEWS = 3


def theme_card(*, slug: str) -> ThemeCard:
    """A theme with its public counts and its most recent reviews (five queries)."""
    theme = Theme.objects.get(slug=slug)
    reviews = published_reviews_about(theme)
    return ThemeCard(
        theme=theme,
        learning_count=distinct_learning_about(theme).count(),
        reviews=list(
            reviews.select_related("partnership").order_by(F("year").desc(nulls_last=True), "title")[
                :THEME_CARD_REVIEWS
            ]
        ),
        review_count=reviews.count(),
        partnership_count=Partnership.objects.filter(reviews__in=reviews).distinct().count(),
    )

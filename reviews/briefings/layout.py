"""Fitting a printed briefing on two A4 pages.

A 7-minute briefing is one or two A4 pages (issue 7). The print view cannot
measure what the browser will lay out, so it estimates: every part of the
briefing costs some lines of one of its two columns, from its length in
characters and the layout in static/reuse/briefing.css. The constants were
measured in Chromium and err on the side of cutting: a briefing that fits
is printed whole. One that does not prints the key learning first, then
recommendations and actions, as far as they fit; every entry beyond that is
listed as a short reference with its permanent link ("and 12 more
learning points, online: ..."), and if even the references do not all fit,
the briefing says how many more there are and where to find them.

Where the page prints a line built from data (the header's board and date, a
review's heading in a theme briefing), the estimate measures the very string
the template prints (``Briefing.review_meta``, ``ReviewGroup.meta``), so the
two cannot drift apart. ``tests/browser/test_reuse.py`` checks the page count
in Chromium.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..markdown import strip_markdown
from ..models import Action, CaseFact, LearningPoint, Recommendation, ReflectionQuestion, Resource, Source

if TYPE_CHECKING:
    from .selectors import Briefing, ReviewGroup


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

# What a review's briefing prints that is not measured from data: the line in
# its header saying whose the part headings are, and the notes under a
# recommendation (reviews/print/review_briefing.html prints these same strings).
PARTS_NOTE = (
    "The seven numbered headings are this site’s, for a 7-minute briefing; under them, the briefing’s "
    "own headings and words, in its order."
)
NO_RESPONSE = "No response to this recommendation in this briefing."
UNANSWERED_INTRO = "No response in this briefing to these parts (the site’s reading):"
# Parts of a review's briefing printed whole, whatever the room.
FIXED_PARTS = ("background", "case", "further")

REFERENCE_OPENING_WORDS = 10
# A reference's permanent link as printed, e.g. "https://kb.example.org/lp/123/": the
# host is not known here, so this allows for a long one.
PERMALINK_CHARACTERS = 50
_BLOCK_SPLIT = re.compile(r"\n\s*\n|\n(?=\s*(?:[-*+]|\d+[.)])\s)")


def action_label(action: Action) -> str:
    """The line over a printed action: its owner, its status as reported and its target date, as given
    (reviews/print/action.html prints it)."""
    status = "status not stated" if action.status == Action.Status.NOT_STATED else action.get_status_display()
    target = f"target: {action.target_date_as_stated}" if action.target_date_as_stated else ""
    return " · ".join(part for part in ("Action", action.owner, status, target) if part)


@dataclass(frozen=True)
class Reference:
    """An entry a briefing had no room for: what it is, where from, its opening words
    and its permanent link, so that nothing is left out without a trace."""

    label: str
    where: str
    opening: str
    permalink: str
    is_action_of_recommendation: bool = False


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
            lines += self.full_width(briefing.review_meta)
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

    # A review's seven parts --------------------------------------------------

    def sub_heading(self, heading: str) -> float:
        """A heading of the briefing within a part (1.05em bold on 1.25 lines, and its margins)."""
        return self.line(heading, scale=1.15) + 0.6 if heading else 0.0

    def fact(self, fact: CaseFact) -> float:
        return self.text(fact.text, indent=2) + 0.4

    def resource(self, resource: Resource) -> float:
        lines = self.text(resource.passage or resource.name, indent=2) + 0.4
        details = " · ".join(part for part in (resource.details_as_stated, resource.url) if part)
        lines += self.line(details, indent=2) if details else 0.0
        if resource.has_changed:  # "Changed since this briefing: …", as the template prints it
            change = f"Changed since this briefing: {resource.changed_to} ({resource.changed_display}). "
            lines += self.text(f"{change}{resource.change_note} Noted by the knowledge base.", indent=2)
        return lines

    def fixed_parts(self, briefing: Briefing) -> float:
        """The part headings, and the parts printed whole (1, 2 and 7's further information) with their
        headings; the seven-part line in the header."""
        lines = self.full_width(PARTS_NOTE)
        for part in briefing.parts:
            if not part.entries and not (part.key == "further" and briefing.questions):
                continue
            lines += self.section_heading
            if part.key in FIXED_PARTS:
                for section in part.sections:
                    lines += self.sub_heading(section.heading)
                    for entry in section.entries:
                        lines += self.resource(entry) if isinstance(entry, Resource) else self.fact(entry)
        return lines

    def questions(self, questions: list[ReflectionQuestion]) -> float:
        if not questions:
            return 0.0
        lines = self.section_heading + 2 + 2  # heading, who wrote them, the box
        return lines + sum(self.line(question.text, indent=3) + 0.25 for question in questions)

    def source(self, source: Source) -> float:
        original = f" Read the original briefing: {source.original_url} (address added by the knowledge base)"
        return self.line(
            f"{source.title}. {source.publisher_display}, {source.published_display}."
            + (original if source.original_url else ""),
            indent=2,
        )

    def sources(self, sources: list[Source]) -> float:
        return self.section_heading + sum(self.source(source) for source in sources) + 0.5

    footer = 2 * 3.5

    # Entries, printed whole or as references -------------------------------

    def group_heading(self, group: ReviewGroup) -> float:
        # The review's title and what reviews/print/group_heading.html prints after it.
        title = " · ".join(part for part in (group.review.title, group.meta) if part) if group.review else "x" * 40
        return 1.1 * self.line(title, scale=1.1) + 0.9  # 10pt on 1.25 lines, and its margins

    def learning_point(self, point: LearningPoint) -> float:
        lines = self.text(point.text, indent=2) + 0.4
        if point.kind != LearningPoint.Kind.LEARNING:
            lines += 1.1
        if getattr(point, "also_published_in", None):
            lines += self.line("Also published in " + "; ".join(s.title for s in point.also_published_in), indent=2)
        return lines

    def action(self, action: Action) -> float:
        label = action_label(action)
        lines = self.line(label, indent=4) + self.text(action.text, indent=4) + 0.5
        if action.evidence_of_impact:
            lines += 1 + self.text(action.evidence_of_impact, indent=4)
        return lines

    def recommendation(self, recommendation: Recommendation, *, with_notes: bool = False) -> float:
        """A recommendation and its actions; ``with_notes``: and, as a review's briefing prints them, the
        notes on what the briefing does not answer."""
        label = f"Recommendation {recommendation.number} · for {recommendation.addressed_to}"
        lines = self.line(label, indent=2) + self.text(recommendation.text, indent=2) + 0.4
        actions = recommendation.actions.all()
        if not with_notes:
            return lines + sum(self.action(action) for action in actions)
        if not actions:
            lines += self.line(NO_RESPONSE, indent=2)
        parts = [part for part in recommendation.unanswered_parts.splitlines() if part.strip()]
        if parts:
            lines += self.line(UNANSWERED_INTRO, indent=2) + sum(self.line(f"“{part}”", indent=4) for part in parts)
        return lines + sum(self.action(action) for action in actions)

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

    @property
    def section(self) -> str:
        return "learning" if self.kind == "learning" else "recommendations"


def _reference(item, *, where: str, is_action_of_recommendation: bool = False) -> Reference:
    label = f"{item.label} · {item.owner}" if getattr(item, "owner", "") else item.label
    words = strip_markdown(item.text).split()
    opening = " ".join(words[:REFERENCE_OPENING_WORDS]) + ("…" if len(words) > REFERENCE_OPENING_WORDS else "")
    return Reference(
        label=label,
        where=where,
        opening=opening,
        permalink=item.get_permalink(),
        is_action_of_recommendation=is_action_of_recommendation,
    )


def _where(item) -> str:
    return item.review.title if item.review_id else item.source.title


def _units(briefing: Briefing, costs: _Costs) -> list[_Unit]:
    """Everything that may be cut, most important first: the key learning, then
    recommendations with their actions, then the other actions."""
    units = []
    for group in briefing.groups:
        for point in group.learning_points:
            references = [_reference(point, where=_where(point))]
            units.append(_Unit(group, "learning", point, costs.learning_point(point), references))
    for group in briefing.groups:
        for recommendation in group.recommendations:
            references = [_reference(recommendation, where=_where(recommendation))]
            references += [
                _reference(action, where=_where(action), is_action_of_recommendation=True)
                for action in recommendation.actions.all()
            ]
            cost = costs.recommendation(recommendation, with_notes=bool(briefing.parts))
            units.append(_Unit(group, "recommendation", recommendation, cost, references))
        for action in group.actions:
            references = [_reference(action, where=_where(action))]
            units.append(_Unit(group, "action", action, costs.action(action), references))
    return units


def _fixed_lines(briefing: Briefing, costs: _Costs, units: list[_Unit]) -> float:
    """Lines of everything printed whatever the room: header, headings, case facts (a review's parts 1, 2
    and 7), questions, sources, footer."""
    lines = costs.header(briefing) + costs.footer
    if briefing.parts:
        lines += costs.fixed_parts(briefing)
    else:
        lines += costs.section_heading  # "1 Key learning" is always there
        if briefing.recommendations or briefing.actions:
            lines += costs.section_heading
        lines += costs.case_facts(briefing.case_facts)
    lines += costs.questions(briefing.questions)
    lines += costs.sources(briefing.fixed_sources)  # the entries' own sources are counted with them
    # At a column break, what may not be split (an entry shorter than
    # BREAKABLE_LINES, with a heading kept with it, or the questions' box)
    # moves whole to the next column and leaves the foot of this one empty:
    # allow for the tallest such thing at one break and half of it at the others
    # (measured: more is never lost).
    tallest = max([min(unit.cost, BREAKABLE_LINES) for unit in units], default=0) + costs.group_heading_lines
    return lines + max(tallest, costs.questions(briefing.questions)) + (COLUMN_BREAKS - 1) * tallest / 2


@dataclass
class _Tally:
    """Running totals over the units in order, so that each choice is weighed in constant time.

    Index ``n`` of each list is for the first ``n`` units printed in full.
    """

    costs: _Costs
    unit_lines: list[float]  # their lines, with the headings and sources they bring
    first_reference: list[int]  # the index of the first reference of the units not printed
    reference_lines: list[float]  # index n: the lines of the first n references
    later_sections: list[int]  # sections with references in them, each under its own "And N more"
    reference_count: int
    unit_count: int

    def all_listed(self, printed: int) -> int:
        return self.reference_count - self.first_reference[printed]

    def lines(self, printed: int, listed: int) -> float:
        start = self.first_reference[printed]
        total = self.unit_lines[printed] + self.reference_lines[start + listed] - self.reference_lines[start]
        total += self.later_sections[printed] * self.costs.more_heading
        if start + listed < self.reference_count:
            total += 2 * self.costs.more_heading  # "And N more entries ... all online at ..."
        if printed < self.unit_count:
            total += 2 * self.costs.more_heading  # the sources of the entries not printed in full
        return total


def _tally(briefing: Briefing, units: list[_Unit], costs: _Costs) -> _Tally:
    references = [reference for unit in units for reference in unit.references]
    reference_lines = [0.0]
    for reference in references:
        reference_lines.append(reference_lines[-1] + costs.reference(reference))
    unit_lines, first_reference = [0.0], [0]
    headings: set[tuple] = set()
    listed_sources = {source.pk for source in briefing.fixed_sources}
    for unit in units:
        cost = unit.cost
        heading = (id(unit.group), unit.section)
        if briefing.theme is not None and heading not in headings:
            # Theme briefings print a heading for each review in each section it has entries printed in.
            headings.add(heading)
            cost += costs.group_heading(unit.group)
        part = getattr(unit.item, "print_part", None)
        if briefing.parts and part and (part, unit.item.section_id) not in headings:
            # A review's briefing prints the briefing's heading over each run of a part's entries under it.
            headings.add((part, unit.item.section_id))
            section = unit.item.section if unit.item.section_id else None
            cost += costs.sub_heading(section.heading_in_context if section is not None else "")
        for source in unit.sources:
            # Source briefings lists the sources of the entries printed in full.
            if source.pk not in listed_sources:
                listed_sources.add(source.pk)
                cost += costs.source(source)
        unit_lines.append(unit_lines[-1] + cost)
        first_reference.append(first_reference[-1] + len(unit.references))
    later_sections = [0] * (len(units) + 1)
    seen: set[str] = set()
    for printed in range(len(units) - 1, -1, -1):
        seen.add(units[printed].section)
        later_sections[printed] = len(seen)
    return _Tally(costs, unit_lines, first_reference, reference_lines, later_sections, len(references), len(units))


def _choose(briefing: Briefing, units: list[_Unit], costs: _Costs, room: float) -> tuple[int, int]:
    """How many units to print in full, and how many of the others' references to list.

    The most units that fit with a reference to every other one. When there
    are too many others for that to leave much printed in full, the units
    that fit in FULL_TEXT_SHARE of the room are printed, the references that
    fit in the rest are listed, and a last line says how many more there are
    and where they all are.
    """
    tally = _tally(briefing, units, costs)
    with_every_reference = next(
        (printed for printed in range(len(units), -1, -1) if tally.lines(printed, tally.all_listed(printed)) <= room),
        None,
    )
    in_share = next(
        (printed for printed in range(len(units), -1, -1) if tally.lines(printed, 0) <= room * FULL_TEXT_SHARE), 0
    )
    if with_every_reference is not None and with_every_reference >= in_share:
        return with_every_reference, tally.all_listed(with_every_reference)
    listed = tally.all_listed(in_share)
    while listed > 0 and tally.lines(in_share, listed) > room:
        listed -= 1
    return in_share, listed


def _mark_printed(briefing: Briefing, units: list[_Unit], printed: int, listed: int) -> None:
    """Record on the briefing what ``_choose`` decided: the first ``printed`` units in
    full, then ``listed`` references, then a count of the rest."""
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
    references = [(unit.section, reference) for unit in units[printed:] for reference in unit.references]
    briefing.more_learning = [reference for section, reference in references[:listed] if section == "learning"]
    briefing.more_recommendations = [
        reference for section, reference in references[:listed] if section == "recommendations"
    ]
    briefing.unlisted_count = len(references) - listed
    printed_sources = {source.pk for source in briefing.fixed_sources}
    printed_sources.update(source.pk for unit in units[:printed] for source in unit.sources)
    briefing.printed_sources = [source for source in briefing.sources if source.pk in printed_sources]
    briefing.unprinted_source_count = len(briefing.sources) - len(briefing.printed_sources)


def fit_on_two_pages(briefing: Briefing) -> Briefing:
    """Choose what a printed briefing prints in full, so that it fits two A4 pages.

    The whole briefing at 9.5pt if it fits, else at 9pt; if it does not fit
    even then, the entries that fit in order of importance, the others as
    references. Sets the groups' ``printed_*`` lists and the briefing's
    ``is_long``, ``more_learning``, ``more_recommendations``,
    ``unlisted_count``, ``printed_sources`` (those of the entries printed in
    full, and the review's own) and ``unprinted_source_count``. Runs no query.
    """
    for metrics in (NORMAL_PRINT, LONG_PRINT):
        costs = _Costs(metrics)
        units = _units(briefing, costs)
        room = costs.capacity - _fixed_lines(briefing, costs, units)
        printed, listed = _choose(briefing, units, costs, room)
        if printed == len(units):
            break
    # The denser layout if the normal one did not fit everything (or nothing fits).
    briefing.is_long = metrics is LONG_PRINT
    _mark_printed(briefing, units, printed, listed)
    return briefing

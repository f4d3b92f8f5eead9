"""How much of each briefing the knowledge base represents, and whether its
entries keep the briefing's wording.

A briefing is split into *units*: paragraphs, bullet items, table cells and
the ``•`` bullets inside a cell. Each unit is normalised the way entries may
legitimately differ from the briefing (see ``fixtures/README.md``): Markdown
emphasis and ``[text](#)`` link placeholders become their text, HTML such as
the ``<u>`` underlines of lost hyperlinks or the ``<ul>`` inside a table cell
is dropped, list markers and whitespace are normalised. Units and entries
are normalised alike, with ``reviews.text.plain_text`` (built on
``reviews.markdown.strip_markdown``, the function search indexes with).

A unit is *represented* when every letter and digit in it is accounted for by

- the text of an entry drawn from that briefing (case fact, learning point,
  recommendation, action), a collection introduction or a review summary
  quoted from it, or a passage deliberately excluded with a reason; each of
  these accounts for one occurrence of its text;
- structure taken from it: the source's title and publisher, review and
  collection titles, the headings of its sections (including a table's
  caption, row headings and column headings), theme aliases taken from it,
  recommendation addressees (these account for a unit, or the start of one,
  wherever they occur);
- the name or contact details of a resource it names, and the passage
  (a signpost line) that gives a resource, where one is recorded.

Whatever is left (punctuation, a dash, a semicolon after a heading) does not
count. ``manage.py kb_coverage`` prints the result; the tests require 100%.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .text import plain_text

_BLOCK_SEPARATOR = re.compile(r"\n[ \t]*\n")
_BULLET_LINE = re.compile(r"^\s*(?:[-*+•])\s+")


@dataclass
class Unit:
    """One paragraph, bullet or table cell of a briefing."""

    kind: str  # "paragraph", "bullet" or "cell"
    raw: str
    text: str  # normalised
    start: int = 0  # span in the normalised full text
    end: int = 0
    represented: bool = False
    covered_by: list[str] = field(default_factory=list)


def split_units(original_text: str) -> list[Unit]:
    """Split a briefing into paragraphs, bullets and table cells, in order."""
    units: list[Unit] = []
    for block in _BLOCK_SEPARATOR.split(original_text.replace("\r\n", "\n")):
        lines = [line for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        if any("\t" in line for line in lines):
            for line in lines:
                for cell in line.split("\t"):
                    _add_cell(units, cell)
        elif all(_BULLET_LINE.match(line) for line in lines):
            for line in lines:
                _add(units, "bullet", line)
        elif any(_BULLET_LINE.match(line) for line in lines):
            # Bullets with wrapped continuation lines.
            current: list[str] = []
            for line in lines:
                if _BULLET_LINE.match(line) and current:
                    _add(units, "bullet", "\n".join(current))
                    current = []
                current.append(line)
            _add(units, "bullet", "\n".join(current))
        else:
            _add(units, "paragraph", "\n".join(lines))
    return units


def _add_cell(units: list[Unit], cell: str) -> None:
    before, *bullets = cell.split("•")
    _add(units, "cell", before)
    for bullet in bullets:
        _add(units, "bullet", bullet)


def _add(units: list[Unit], kind: str, raw: str) -> None:
    text = plain_text(raw)
    if text:
        units.append(Unit(kind=kind, raw=raw.strip(), text=text))


@dataclass
class NormalisedSource:
    """A briefing's units and their normalised text joined by single spaces."""

    units: list[Unit]
    text: str
    unit_starts: frozenset[int]

    @classmethod
    def from_text(cls, original_text: str) -> NormalisedSource:
        units = split_units(original_text)
        parts, position = [], 0
        for unit in units:
            unit.start, unit.end = position, position + len(unit.text)
            parts.append(unit.text)
            position = unit.end + 1
        return cls(units=units, text=" ".join(parts), unit_starts=frozenset(u.start for u in units))

    def occurrences(self, needle: str) -> list[int]:
        """Start offsets where ``needle`` occurs on word boundaries."""
        if not needle:
            return []
        found, start = [], 0
        while (index := self.text.find(needle, start)) != -1:
            end = index + len(needle)
            before_ok = index == 0 or not (self.text[index - 1].isalnum() and needle[0].isalnum())
            after_ok = end == len(self.text) or not (self.text[end].isalnum() and needle[-1].isalnum())
            if before_ok and after_ok:
                found.append(index)
            start = index + 1
        return found

    def contains(self, text: str) -> bool:
        """Whether an entry's text is found word for word (after normalisation)."""
        return bool(self.occurrences(plain_text(text)))

    def longest_matching_start(self, text: str) -> str:
        """The longest beginning of ``text`` that is found: where a mismatch starts."""
        needle = plain_text(text)
        low, high = 0, len(needle)
        while low < high:
            middle = (low + high + 1) // 2
            if needle[:middle] in self.text:
                low = middle
            else:
                high = middle - 1
        return needle[:low]


@dataclass
class CoveringTexts:
    """What accounts for a briefing's text; each entry is ``(label, text)``."""

    content: list[tuple[str, str]] = field(default_factory=list)
    structure: list[tuple[str, str]] = field(default_factory=list)
    anywhere: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class CoverageReport:
    source: str
    units: list[Unit]
    unplaced: list[tuple[str, str]]  # covering texts not found at all

    @property
    def total(self) -> int:
        return len(self.units)

    @property
    def represented(self) -> int:
        return sum(unit.represented for unit in self.units)

    @property
    def missing(self) -> list[Unit]:
        return [unit for unit in self.units if not unit.represented]

    @property
    def percent(self) -> float:
        return 100.0 if not self.units else 100.0 * self.represented / self.total


def compute_coverage(source_label: str, original_text: str, covering: CoveringTexts) -> CoverageReport:
    """Mark which units of ``original_text`` the covering texts account for."""
    normalised = NormalisedSource.from_text(original_text)
    marks: list[str | None] = [None] * len(normalised.text)
    unplaced: list[tuple[str, str]] = []

    def mark(start: int, length: int, label: str) -> None:
        for index in range(start, start + length):
            if marks[index] is None:
                marks[index] = label

    def fully_marked(start: int, length: int) -> bool:
        return all(marks[i] is not None or not normalised.text[i].isalnum() for i in range(start, start + length))

    # Structure first: it may repeat (the same heading over several sections).
    for label, text in covering.structure:
        needle = plain_text(text)
        for start in normalised.occurrences(needle):
            if start in normalised.unit_starts:
                mark(start, len(needle), label)
    for label, text in covering.anywhere:
        needle = plain_text(text)
        for start in normalised.occurrences(needle):
            mark(start, len(needle), label)
    # Entries account for one occurrence each: a paragraph printed twice needs
    # two entries (or an exclusion) to be fully represented.
    for label, text in covering.content:
        needle = plain_text(text)
        starts = normalised.occurrences(needle)
        if not starts:
            unplaced.append((label, text))
            continue
        free = [start for start in starts if not fully_marked(start, len(needle))]
        mark(free[0] if free else starts[0], len(needle), label)

    for unit in normalised.units:
        span = range(unit.start, unit.end)
        unit.represented = all(marks[i] is not None or not normalised.text[i].isalnum() for i in span)
        unit.covered_by = list(dict.fromkeys(marks[i] for i in span if marks[i] is not None))
    return CoverageReport(source=source_label, units=normalised.units, unplaced=unplaced)


def covering_texts_for(source) -> CoveringTexts:
    """Everything in the database that accounts for a ``Source``'s text."""
    from .models import Action, CaseFact, LearningPoint, Recommendation, Review, ThemeAlias

    covering = CoveringTexts()
    for model, label in (
        (CaseFact, "case fact"),
        (LearningPoint, "learning point"),
        (Recommendation, "recommendation"),
        (Action, "action"),
    ):
        for item in model.objects.filter(source=source).order_by("position", "id"):
            covering.content.append((f"{label} {item.ref}", item.text))
            if model is Recommendation:
                if item.addressed_to:
                    covering.structure.append((f"addressee of {label} {item.ref}", item.addressed_to))
                if item.number:
                    covering.structure.append((f"number of {label} {item.ref}", item.number))
    for section in source.sections.all():
        if section.heading:
            covering.structure.append((f"section {section.ref}", section.heading))
    for collection in source.collections.all():
        covering.structure.append((f"collection {collection.slug}", collection.title))
        if collection.introduction:
            covering.content.append((f"introduction of collection {collection.slug}", collection.introduction))
    for review in Review.objects.filter(sources=source):
        covering.structure.append((f"review {review.slug}", review.title))
    for review in Review.objects.filter(summary_source=source):
        covering.content.append((f"summary of review {review.slug}", review.summary))
    for number, passage in enumerate(source.excluded_passages or [], start=1):
        covering.content.append((f"excluded passage {number}", passage.get("text", "")))
    for resource in source.resources.all():
        covering.anywhere.append((f"resource {resource.ref}", resource.name))
        if resource.passage:
            covering.content.append((f"passage of resource {resource.ref}", resource.passage))
        if resource.details_as_stated:
            covering.anywhere.append((f"resource {resource.ref}", resource.details_as_stated))
    for alias in ThemeAlias.objects.filter(source=source).select_related("theme"):
        covering.structure.append((f"theme {alias.theme.slug}", alias.name))
    covering.structure.append((f"source {source.slug}", source.title))
    if source.partnership_id:
        covering.structure.append((f"partnership {source.partnership.slug}", source.partnership.name))
    if source.publisher_as_stated:
        covering.structure.append((f"source {source.slug}", source.publisher_as_stated))
    return covering


def source_coverage(source) -> CoverageReport:
    """Coverage of one ``Source`` by what the database holds."""
    return compute_coverage(source.slug, source.original_text, covering_texts_for(source))

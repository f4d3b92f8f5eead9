"""Where each section and entry of a briefing is: the order check, and the positions.

For one briefing, ``BriefingLayout``

1. finds each section's heading word for word where a paragraph, bullet or
   table cell starts, in the order the file lists them, each after the one
   before: a table's rows in order within the table, a cell's heading (its
   column heading, "Good Practice") in the table's header;
2. finds each entry's text under its own section: after the section's
   heading and before the next heading at the same level (the next text
   section or table for an entry under a heading; the next row for one in a
   table's row), and, for an entry in a table cell, in that row's cell under
   that column heading;
3. numbers everything found (sections, entries, and resources: where the
   briefing gives one as a passage of its own, else where it names it) in
   the order of the briefing, one sequence for the whole briefing. These
   are the positions stored: they are never written by hand.

Texts are compared as ``NormalisedSource`` compares them (``coverage.py``):
Markdown, link placeholders and HTML removed, whitespace normalised.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..coverage import NormalisedSource
from ..text import plain_text
from .reader import Item

TEXT, TABLE, ROW, CELL = "text", "table", "row", "cell"
_BLOCK_SEPARATOR = re.compile(r"\n[ \t]*\n")


@dataclass
class Region:
    """A stretch of the normalised briefing: where a section's entries may be."""

    start: int
    end: int
    next_heading: str  # the heading that ends it, for messages ("" at the end of the briefing)


@dataclass
class Located:
    """A section found in the briefing."""

    item: Item
    start: int = 0  # where its heading starts
    end: int = 0  # where its heading ends
    region: Region | None = None
    column: int | None = None  # a cell's column in its table
    children: list[Located] = field(default_factory=list)


def _shown(text: str) -> str:
    return f"“{text}”" if text else "(no heading)"


def raw_tables(original_text: str) -> list[list[list[str]]]:
    """The briefing's tab-separated tables, as the coverage check splits them: rows of raw cells."""
    tables = []
    for block in _BLOCK_SEPARATOR.split(original_text.replace("\r\n", "\n")):
        lines = [line for line in block.split("\n") if line.strip()]
        if lines and any("\t" in line for line in lines):
            tables.append([line.split("\t") for line in lines])
    return tables


class BriefingLayout:
    """One briefing's sections located in order, and where each entry, resource and section sits."""

    def __init__(
        self,
        *,
        normalised: NormalisedSource,
        original_text: str,
        file_name: str,
        sections: list[Item],
        problem: Callable[[str], None],
    ):
        self.normalised = normalised
        self.text = normalised.text
        self.tables = raw_tables(original_text)
        self.file_name = file_name
        self.sections = sections
        self.problem = problem
        self.located: dict[str, Located] = {}
        self.claimed: set[int] = set()  # where entries already found start
        self.keys: list[tuple[tuple, Item]] = []  # (sort key, item) of everything found, for the positions

    # -- sections -------------------------------------------------------------

    def locate_sections(self) -> bool:
        """Find every section's heading in order; whether all were found."""
        found = True
        top = [s for s in self.sections if s.data.get("layout", TEXT) in (TEXT, TABLE)]
        by_parent: dict[str, list[Item]] = {}
        for section in self.sections:
            if section.data.get("parent"):
                by_parent.setdefault(section.data["parent"], []).append(section)
        cursor, previous = 0, None
        for index, section in enumerate(top):
            located = self._heading(section, start=cursor, end=len(self.text), previous=previous, first=index == 0)
            if located is None:
                return False
            self.located[section.data["ref"]] = located
            cursor, previous = located.end, section
        for index, section in enumerate(top):
            located = self.located[section.data["ref"]]
            following = top[index + 1] if index + 1 < len(top) else None
            end = self.located[following.data["ref"]].start if following else len(self.text)
            located.region = Region(located.end, end, following.data["heading"] if following else "")
            self.keys.append(((located.start, 0, 0), section))
            for row in by_parent.get(section.data["ref"], []):
                found &= self._row(row, table=located, cells=by_parent.get(row.data["ref"], []))
        return found

    def _heading(self, section: Item, *, start: int, end: int, previous: Item | None, first: bool) -> Located | None:
        """A heading found where a unit starts, between ``start`` and ``end``; None (and a problem) if not."""
        heading = section.data["heading"]
        if not heading.strip():
            if first:
                return Located(section, start=start, end=start)
            self.problem(
                f"{section.where}: only the first section may have an empty heading (an opening with no "
                "heading); give this one its heading as the briefing prints it"
            )
            return None
        needle = plain_text(heading)
        starts = [i for i in self.normalised.occurrences(needle) if i in self.normalised.unit_starts]
        after = [i for i in starts if start <= i and i + len(needle) <= end]
        if after:
            return Located(section, start=after[0], end=after[0] + len(needle))
        if previous is not None and any(i < start for i in starts):
            before = f"'{previous.data['ref']}' ({_shown(previous.data['heading'])})"
            where = f"after the heading of the section listed before it, {before}"
        else:
            where = "where a paragraph, bullet or table cell starts"
        self.problem(
            f"{section.where}: heading {_shown(heading)} not found word for word in the briefing "
            f"{self.file_name} {where}"
        )
        return None

    def _row(self, row: Item, *, table: Located, cells: list[Item]) -> bool:
        region = table.region
        rows = table.children
        start = rows[-1].end if rows else region.start
        previous = rows[-1].item if rows else table.item
        located = self._heading(row, start=start, end=region.end, previous=previous, first=False)
        if located is None:
            return False
        if rows:
            rows[-1].region = Region(rows[-1].end, located.start, row.data["heading"])
        located.region = Region(located.end, region.end, region.next_heading)
        rows.append(located)
        self.located[row.data["ref"]] = located
        self.keys.append(((located.start, 0, 0), row))
        found = True
        for cell in cells:
            found &= self._cell(cell, table=table, row=located)
        return found

    def _cell(self, cell: Item, *, table: Located, row: Located) -> bool:
        """A cell's heading is its column heading, found in the table's header row."""
        heading = cell.data["heading"]
        column = self._column(row.item.data["heading"], heading)
        if column is None:
            self.problem(
                f"{cell.where}: no column headed {_shown(heading)} found word for word in the table with a row "
                f"headed {_shown(row.item.data['heading'])} in the briefing {self.file_name}"
            )
            return False
        located = Located(cell, start=row.end, end=row.end, region=None, column=column)
        row.children.append(located)
        self.located[cell.data["ref"]] = located
        self.keys.append(((row.end, 1, column), cell))
        return True

    def _table_row(self, row_heading: str) -> tuple[list[str], list[str]] | None:
        """The header and the raw cells of the table row headed ``row_heading``."""
        wanted = plain_text(row_heading)
        for table in self.tables:
            for cells in table[1:]:
                if plain_text(cells[0]) == wanted:
                    return table[0], cells
        return None

    def _column(self, row_heading: str, column_heading: str) -> int | None:
        found = self._table_row(row_heading)
        if found is None:
            return None
        header = [plain_text(cell) for cell in found[0]]
        wanted = plain_text(column_heading)
        return header.index(wanted) if wanted and wanted in header else None

    def region_of(self, ref: str) -> Region | None:
        located = self.located.get(ref)
        if located is None:
            return None
        if located.column is not None:  # a cell: its row's stretch
            parent = self.located[located.item.data["parent"]]
            return parent.region
        return located.region

    # -- entries and resources ---------------------------------------------------

    def locate_entry(self, item: Item, order: int) -> None:
        """Find an entry's text under its section; record a problem if it is elsewhere."""
        ref = item.data["section"]
        region = self.region_of(ref)
        if region is None:
            return
        needle = plain_text(item.data["text"])
        starts = self.normalised.occurrences(needle)
        if not starts:
            return  # not in the briefing at all: reported by the word-for-word check
        inside = [i for i in starts if region.start <= i and i + len(needle) <= region.end]
        free = [i for i in inside if i not in self.claimed]
        if not free:
            section = self.located[ref].item
            until = f" and before the next one ({_shown(region.next_heading)})" if region.next_heading else ""
            self.problem(
                f"{item.where}: text found in the briefing {self.file_name}, but not under its section "
                f"'{ref}': it must come after that section's heading ({_shown(section.data['heading'])}){until}"
            )
            return
        located = self.located[ref]
        if located.column is not None and not self._in_cell(item, located):
            return
        start = free[0]
        self.claimed.add(start)
        item.span = (start, start + len(needle))
        self.keys.append(((start, 2, order), item))

    def _in_cell(self, item: Item, cell: Located) -> bool:
        row = self.located[cell.item.data["parent"]]
        found = self._table_row(row.item.data["heading"])
        cells = found[1] if found else []
        text = cells[cell.column] if cell.column is not None and cell.column < len(cells) else ""
        if NormalisedSource.from_text(text).contains(item.data["text"]):
            return True
        self.problem(
            f"{item.where}: text not found in the cell of the row {_shown(row.item.data['heading'])} under the "
            f"column {_shown(cell.item.data['heading'])} (its section '{cell.item.data['ref']}')"
        )
        return False

    def locate_passage_resource(self, item: Item, order: int) -> None:
        """A resource the briefing gives as a passage of its own: the passage (when it is given),
        else its name or its details, under its section."""
        ref = item.data["section"]
        region = self.region_of(ref)
        if region is None:
            return
        passage = item.data.get("passage", "")
        for text in (passage,) if passage else (item.data["name"], item.data.get("details_as_stated", "")):
            needle = plain_text(text)
            inside = [
                i for i in self.normalised.occurrences(needle) if region.start <= i and i + len(needle) <= region.end
            ]
            if needle and inside:
                self.keys.append(((inside[0], 3, order), item))
                return
        section = self.located[ref].item
        what = "its passage is not" if passage else "neither its name nor its details are"
        self.problem(
            f"{item.where}: {what} found under its section '{ref}' "
            f"({_shown(section.data['heading'])}) in the briefing {self.file_name}"
        )

    def locate_named_resource(self, item: Item, order: int, naming_entries: list[Item]) -> None:
        """A resource named within entries: where the first entry naming it names it, else its first mention."""
        needle = plain_text(item.data["name"])
        starts = self.normalised.occurrences(needle)
        spans = sorted(entry.span for entry in naming_entries if getattr(entry, "span", None))
        for span_start, span_end in spans:
            within = [i for i in starts if span_start <= i < span_end]
            if within:
                self.keys.append(((within[0], 3, order), item))
                return
        start = spans[0][0] if spans else (starts[0] if starts else 0)
        self.keys.append(((start, 3, order), item))

    # -- positions ------------------------------------------------------------

    def number(self) -> None:
        """Give everything found its place in the briefing: 1, 2, 3... in the briefing's order."""
        for position, (_key, item) in enumerate(sorted(self.keys, key=lambda pair: pair[0]), start=1):
            item.position = position

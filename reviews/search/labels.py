"""Columns of short separate values: theme names and aliases, tags, who a recommendation is for.

Written into one index column, such values must not run together: a
recommendation filed under "Escalation and professional challenge" and
"Policies and procedures" must not match the phrase "escalation policy"
(``...challenge Escalation | Policies and...``). So between two values comes
a gap that no phrase can cross, on each database its own way (``value_gap``):
on PostgreSQL a run of common words between two private-use marks (it drops
the common words but counts their positions, so the words either side are
several positions apart); on SQLite one private-use mark, which FTS5's
tokenizer indexes as a word of its own (private-use characters are word
characters to it), so the two are not neighbours either. A longer gap there
would only lengthen every entry for ``bm25()``, which ranks long entries lower.

Each value also starts with a private-use mark saying what it is (a theme's
name, one of its aliases, a tag...), so that the search page can say why a
result matched ("theme Multi-agency working, also known as *Interagency
Working*"). The marks are stripped from content before indexing (see
``indexing._clean``), are never searched for (queries hold only letters and
digits) and never reach the page (``decode`` splits on them).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import Enum

VALUE_MARK = "\ue002"
# Six common words: a phrase would need six of them in a row to cross the gap.
VALUE_GAP = f" {VALUE_MARK} and and and and and and {VALUE_MARK} "
SQLITE_VALUE_GAP = f" {VALUE_MARK} "


def value_gap(vendor: str) -> str:
    """The gap between two values in this database's index."""
    return SQLITE_VALUE_GAP if vendor == "sqlite" else VALUE_GAP


class Label(Enum):
    """What a value is, with its mark in the index and its name on the page."""

    THEME = ("\ue010", "theme")
    ALIAS = ("\ue011", "also known as")
    TAG = ("\ue012", "tag")
    PARTNERSHIP = ("\ue013", "partnership")
    AREA = ("\ue014", "area")
    ADDRESSED_TO = ("\ue015", "addressed to")
    OWNER = ("\ue016", "owner")
    KIND = ("\ue017", "type")
    ANSWERS = ("\ue018", "answers")
    HEADING = ("\ue019", "section")
    NUMBER = ("\ue01a", "number")
    NAME_KEY = ("\ue01b", "name")

    def __init__(self, mark: str, description: str):
        self.mark = mark
        self.description = description


_BY_MARK = {label.mark: label for label in Label}
_SPLIT = re.compile("([" + "".join(_BY_MARK) + "])")


def encode(values: Iterable[tuple[Label, str]], *, gap: str = VALUE_GAP) -> str:
    """One column's text: each non-empty value with its mark, with a gap before and after
    each. The first gap keeps the values apart from the end of the previous column too:
    PostgreSQL's vector runs the columns on (``schema.py``), FTS5 keeps them apart itself."""
    text = "".join(f"{label.mark} {value}{gap}" for label, value in values if value)
    return gap.lstrip() + text if text else ""


def decode(text: str | None) -> list[tuple[Label, str]]:
    """The values of a column written by ``encode`` (or a database's highlighted copy of
    it), in order; text outside any value (the gaps) is dropped."""
    values = []
    parts = _SPLIT.split(text or "")
    for mark, value in zip(parts[1::2], parts[2::2], strict=True):
        value = value.split(VALUE_MARK, 1)[0].strip()
        if value:
            values.append((_BY_MARK[mark], value))
    return values


def name_key_pattern(key: str) -> str:
    """A LIKE pattern for a theme entry whose names include this key (see ``indexing``)."""
    # Keys hold only letters, digits and spaces (``query.theme_name_key``): nothing to escape.
    return f"%{Label.NAME_KEY.mark} {key} {VALUE_MARK}%"

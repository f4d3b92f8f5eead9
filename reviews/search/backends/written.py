r"""Phrases as written, for PostgreSQL: what its English configuration cannot say.

The English configuration drops common words, also at either end of a
phrase, so ``"follow through"`` would be just ``'follow'``; and ts_headline
marks each word of a query wherever it stands, also a phrase's words apart,
while it never marks the phrase's common words. Both are mended here with
regular expressions built from the words searched for and their stems:
``term_patterns`` gives one for PostgreSQL (``\mfollo\w*[^\w]+through\M``, to
check the text as written on the rows the index found) and the same for
Python, which ``refine_marks`` uses on highlighted fragments.

A word that is not a common word is matched by the part it shares with its
stem, less the stem's last letter, and any ending: Snowball stems end in "i"
where words end in "y" or "ies" ("polici"), so "polic" covers policy and
policies alike. Words hold only letters and digits (``query.py``), so there
is nothing in them to escape.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ...text import STOP_WORDS
from ..indexing import HIGHLIGHT_START, HIGHLIGHT_STOP
from ..labels import VALUE_MARK
from ..query import Term

# A shared part shorter than this, and the word itself is used, with any ending.
MIN_PREFIX = 3
# Between two words of a phrase: anything but letters, digits and a value mark.
_BETWEEN = rf"[^\w{VALUE_MARK}]+"
_MARK_SPLIT = re.compile(f"([{HIGHLIGHT_START}{HIGHLIGHT_STOP}])")


def _common_prefix(word: str, stem: str) -> str:
    size = 0
    for a, b in zip(word, stem, strict=False):
        if a != b:
            break
        size += 1
    return word[:size]


def term_patterns(term: Term, stems: dict[str, str]) -> tuple[str, re.Pattern]:
    """The term as a PostgreSQL regular expression over the text as written, and the
    same as a Python one, for highlights."""
    pieces = []
    for word in term.words:
        if word in STOP_WORDS or word.isdigit():
            pieces.append(word)
        else:
            stem = stems.get(word) or word
            prefix = _common_prefix(word, stem)[: max(MIN_PREFIX, len(stem) - 1)]
            pieces.append((prefix if len(prefix) >= MIN_PREFIX else word) + r"\w*")
    # Words hold only letters and digits (query.py): nothing in them to escape.
    body = _BETWEEN.join(pieces)
    return rf"\m{body}\M", re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE)


def refine_marks(fragment: str | None, words: Sequence[re.Pattern], phrases: Sequence[re.Pattern]) -> str:
    """ts_headline marks every word of the query wherever it is, also a phrase's
    words apart ("Information *sharing*" for "bed sharing"), and leaves a phrase's
    common words unmarked. Keep the marks that are a word searched for on its own
    or lie in a phrase; mark each phrase whole."""
    if not fragment or HIGHLIGHT_START not in fragment:
        return fragment or ""  # A phrase's other words would be marked: none is here.
    parts, marks, start, length, inside = [], [], 0, 0, False
    for part in _MARK_SPLIT.split(fragment):
        if part == HIGHLIGHT_START:
            start, inside = length, True
        elif part == HIGHLIGHT_STOP:
            if inside:
                marks.append((start, length))
            inside = False
        else:
            parts.append(part)
            length += len(part)
    text = "".join(parts)
    found = [match.span() for pattern in phrases for match in pattern.finditer(text)]
    kept = [
        (start, end)
        for start, end in marks
        if any(pattern.fullmatch(text, start, end) for pattern in words)
        or any(first <= start and end <= last for first, last in found)
    ]
    merged: list[list[int]] = []
    for start, end in sorted(kept + found):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, last = [], 0
    for start, end in merged:
        out += [text[last:start], HIGHLIGHT_START, text[start:end], HIGHLIGHT_STOP]
        last = end
    out.append(text[last:])
    return "".join(out)

"""What the readers share: list markers, whitespace, and telling when a
document gave no text at all."""

from __future__ import annotations

import re

from ..decoding import BriefingFileError
from ..document import Document

# Bullets as fonts print them: the common glyphs, and Symbol and Wingdings
# bullets as Word's PDFs carry them (private-use characters).
BULLETS = frozenset("•●▪■◦○◆◇►▶➢➤✓✔-–—*·\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf06e\uf0a8")
# "1.", "12)", "a.", "b)", "iv." and "(a)" at the start of a line.
NUMBER_MARKER = re.compile(r"^(\(?(?:\d{1,3}|[a-z]|[ivx]{1,5})[.)])\s+(?=\S)", re.I)
_SPACES = re.compile(r"[ \t\r\n\u00a0\u2009\u202f\u200b]+")


def squeezed(text: str) -> str:
    """Runs of spaces, tabs, line breaks and no-break spaces as one space, trimmed."""
    return _SPACES.sub(" ", text).strip()


def joined_lines(lines: list[str]) -> str:
    """Lines a paragraph was wrapped into, joined: with a space, or with nothing
    after a hyphen that ends a line in a word ("well-" and "being") and after a
    dash or slash between numbers ("2024–" and "25")."""
    text = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if not text:
            text = line
        elif len(text) > 1 and text.endswith("-") and text[-2].isalpha() and line[:1].isalpha():
            text += line
        elif len(text) > 1 and text.endswith(("–", "-", "/")) and text[-2].isdigit() and line[:1].isdigit():
            text += line  # a range or a year broken at its dash ("2024–" and "25"): one word again
        else:
            text += " " + line
    return text


def refuse_empty(document: Document, name: str, what: str) -> Document:
    """``document``, unless nothing was read from it."""
    if not any(block.text.strip() or block.rows for block in document.blocks):
        raise BriefingFileError(f"“{name}” has no text to import: {what} Check you chose the right file.")
    return document


def title_or_nothing(raw, name: str) -> str:
    """The title in a file's properties, unless it is only a file or program's name
    (Word's PDFs often carry "Microsoft Word - briefing v3.docx")."""
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", errors="ignore")
    title = squeezed(str(raw or "")).strip("\ufeff")
    stem = name.rsplit(".", 1)[0].lower()
    lowered = title.lower()
    if (
        len(title) < 4
        or lowered in {"untitled", "title", "document", "slide 1", "powerpoint presentation"}
        or lowered.startswith(("microsoft word -", "microsoft powerpoint -"))
        or re.search(r"\.(docx?|pdf|indd|pub|pptx?)$", lowered)
        or lowered == stem
        or not re.search(r"[a-z]{3}", lowered)
    ):
        return ""
    return title


def roman_numeral(value: int) -> str:
    """``value`` in lower-case Roman numerals, as lists number items ("iv")."""
    numerals = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ]
    out = ""
    for number, letters in numerals:
        while value >= number:
            out += letters
            value -= number
    return out

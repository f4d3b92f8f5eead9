"""A Word document (.docx) read into blocks, with python-docx.

The body is read in document order:

- a paragraph in a heading style ("Title", "Heading 1", "Heading 2"...,
  or a style based on one) is a heading; levels are ranked as the document
  uses them (Title, then Heading 1, then Heading 2: 1, 2, 3); a heading
  Word numbers ("1. Background") has its number as its ``marker``;
- a paragraph in a list (numbering of its own or from its style, such as
  "List Bullet") is a list item; its marker is worked out as Word prints it
  ("1.", "a)", "iv.") for numbered lists, and is the bullet for the others;
- a paragraph whose every word is bold is marked bold;
- a table is a table block (the first row is its header when it is marked
  "repeat as header row" or set wholly in bold); a table of one column (a
  box drawn as a table) is read as the blocks inside it, as a box;
- a text box is read where it is anchored, its paragraphs numbered as a box.

Deleted text of tracked changes is left out; inserted text is kept.
"""

from __future__ import annotations

import io
import logging
import re

from docx import Document as open_docx
from docx.oxml.ns import qn

from ..decoding import BriefingFileError
from ..document import HEADING, ITEM, PARAGRAPH, TABLE, Block, Document
from .common import refuse_empty, roman_numeral, squeezed, title_or_nothing

logger = logging.getLogger(__name__)

_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_HEADING_STYLE = re.compile(r"^heading\s*([1-9])$", re.I)
# Word stores the bullets of Symbol and Wingdings fonts as private-use characters.
_PRINTED_BULLET = {"o": "◦", "§": "▪", "Ø": "➢", "ü": "✓"}


def read_docx(name: str, data: bytes) -> Document:
    try:
        word = open_docx(io.BytesIO(data))
        reader = _Reader(word)
        reader.read(word.element.body)
        title = word.core_properties.title or ""
    except BriefingFileError:
        raise
    except Exception as error:  # python-docx and lxml raise many kinds of error for a damaged file
        logger.warning("Could not read %s", name, exc_info=True)  # a damaged file, or a reader's fault
        raise BriefingFileError(
            f"“{name}” cannot be read as a Word document: the file is damaged or not really a .docx. "
            "Open it in Word, save it again as a Word document (.docx) and upload the new copy."
        ) from error
    blocks = reader.blocks
    ranks = sorted({block.level for block in blocks if block.kind == HEADING})
    for block in blocks:
        if block.kind == HEADING:
            block.level = ranks.index(block.level) + 1
    document = Document(blocks=blocks, title=title_or_nothing(title, name), notes=reader.notes)
    return refuse_empty(document, name, "the document holds no words (a picture of a page cannot be read).")


class _Reader:
    def __init__(self, word):
        self.word = word
        self.blocks: list[Block] = []
        self.notes: list[str] = []
        self.box: int | None = None
        self.boxes = 0
        self.counters: dict[tuple[str, int], int] = {}
        self.styles = {style.style_id: style for style in word.styles}
        try:
            numbering_part = word.part.numbering_part
        except (KeyError, NotImplementedError, AttributeError):
            numbering_part = None
        self.numbering = numbering_part.element if numbering_part is not None else None

    # -- the body, in order -------------------------------------------------

    def read(self, container) -> None:
        for child in container.iterchildren():
            if child.tag == qn("w:p"):
                self.paragraph(child)
            elif child.tag == qn("w:tbl"):
                self.table(child)
            elif child.tag == qn("w:sdt"):
                content = child.find(qn("w:sdtContent"))
                if content is not None:
                    self.read(content)
            elif child.tag in (qn("w:ins"), qn("w:customXml"), qn("w:smartTag")):
                self.read(child)

    def in_box(self, container) -> None:
        outer = self.box
        self.boxes += 1
        self.box = self.boxes
        self.read(container)
        self.box = outer

    def paragraph(self, p) -> None:
        text = squeezed(_text(p))
        if text:
            self.blocks.append(self.paragraph_block(p, text))
        for box in _text_boxes(p):
            self.in_box(box)

    def paragraph_block(self, p, text: str) -> Block:
        style_id = _val(p.find(qn("w:pPr")), "w:pStyle")
        heading = self.heading_rank(style_id, p)
        if heading is not None:
            # A numbered heading ("1. Background" with the number from Word's numbering) keeps its number.
            number = self.list_marker(p, style_id, by_style_name=False)
            marker = number[0] if number and number[0] not in ("•", "-") else ""
            return Block(HEADING, text=text, level=heading, marker=marker, box=self.box)
        number = self.list_marker(p, style_id)
        if number is not None:
            marker, depth = number
            return Block(ITEM, text=text, marker=marker, level=depth, box=self.box)
        return Block(PARAGRAPH, text=text, bold=self.wholly_bold(p, style_id), box=self.box)

    # -- styles ---------------------------------------------------------------

    def style_chain(self, style_id):
        style = self.styles.get(style_id) if style_id else None
        seen = set()
        while style is not None and style.style_id not in seen:
            seen.add(style.style_id)
            yield style
            style = style.base_style

    def heading_rank(self, style_id, p) -> int | None:
        """0 for a title, n for "Heading n", None for other paragraphs."""
        for style in self.style_chain(style_id):
            name = (style.name or "").strip()
            if name.lower() == "title":
                return 0
            match = _HEADING_STYLE.match(name)
            if match:
                return int(match.group(1))
        outline = _val(p.find(qn("w:pPr")), "w:outlineLvl")
        if outline is not None and outline.isdigit() and int(outline) < 9:
            return int(outline) + 1
        return None

    def wholly_bold(self, p, style_id) -> bool:
        style_bold = next(
            (style.font.bold for style in self.style_chain(style_id) if style.font.bold is not None), False
        )
        runs = [run for run in _runs(p) if squeezed(_run_text(run))]
        if not runs:
            return False
        for run in runs:
            bold = _on_off(run.find(qn("w:rPr")), "w:b")
            if bold is None:
                char_style = _val(run.find(qn("w:rPr")), "w:rStyle")
                bold = next(
                    (style.font.bold for style in self.style_chain(char_style) if style.font.bold is not None),
                    None,
                )
            if not (style_bold if bold is None else bold):
                return False
        return True

    # -- lists ----------------------------------------------------------------

    def list_marker(self, p, style_id, by_style_name: bool = True) -> tuple[str, int] | None:
        num_id, level = _numbering_of(p.find(qn("w:pPr")))
        style_names = []
        for style in self.style_chain(style_id):
            style_names.append((style.name or "").lower())
            if num_id is None:
                style_num, style_level = _numbering_of(style.element.find(qn("w:pPr")))
                if style_num is not None:
                    num_id, level = style_num, level if level is not None else style_level
        level = level or 0
        if num_id in (None, "0"):
            if not by_style_name:
                return None
            if any(name.startswith("list bullet") for name in style_names):
                return "•", 0
            if any(name.startswith("list number") for name in style_names):
                return "-", 0
            return None
        return self.numbered_marker(num_id, level), level

    def numbered_marker(self, num_id: str, level: int) -> str:
        definition = self.level_definition(num_id, level)
        if definition is None:
            return "-"
        fmt, text, start = definition
        if fmt == "bullet" or fmt == "none":
            return _printed_bullet(text)
        self.counters[(num_id, level)] = self.counters.get((num_id, level), start - 1) + 1
        for deeper in [key for key in self.counters if key[0] == num_id and key[1] > level]:
            del self.counters[deeper]

        def number(match):
            n = int(match.group(1)) - 1
            lvl = self.level_definition(num_id, n)
            value = self.counters.get((num_id, n), lvl[2] if lvl else 1)
            return _formatted(value, lvl[0] if lvl else "decimal")

        return re.sub(r"%([1-9])", number, text).strip() or "-"

    def level_definition(self, num_id: str, level: int):
        if self.numbering is None:
            return None
        num = next((n for n in self.numbering.findall(qn("w:num")) if n.get(qn("w:numId")) == num_id), None)
        if num is None:
            return None
        abstract_id = _val(num, "w:abstractNumId")
        start_override = None
        for override in num.findall(qn("w:lvlOverride")):
            if override.get(qn("w:ilvl")) == str(level):
                start_override = _val(override, "w:startOverride")
        abstract = next(
            (a for a in self.numbering.findall(qn("w:abstractNum")) if a.get(qn("w:abstractNumId")) == abstract_id),
            None,
        )
        if abstract is None:
            return None
        lvl = next((item for item in abstract.findall(qn("w:lvl")) if item.get(qn("w:ilvl")) == str(level)), None)
        if lvl is None:
            return None
        start = start_override or _val(lvl, "w:start") or "1"
        return (_val(lvl, "w:numFmt") or "decimal", _val(lvl, "w:lvlText") or "", int(start) if start.isdigit() else 1)

    # -- tables ---------------------------------------------------------------

    def table(self, tbl) -> None:
        rows = []
        for tr in tbl.findall(qn("w:tr")):
            cells = []
            for tc in tr.findall(qn("w:tc")):
                if _val(tc.find(qn("w:tcPr")), "w:vMerge") == "continue":
                    cells.append("")
                    continue
                cells.append(tc)
            rows.append((tr, cells))
        if rows and all(len(cells) == 1 for _, cells in rows):
            # A table of one column is a box drawn as a table: read what is in it.
            outer = self.box
            self.boxes += 1
            self.box = self.boxes
            for _, cells in rows:
                if not isinstance(cells[0], str):
                    self.read(cells[0])
            self.box = outer
            return
        texts = [[self.cell_text(cell) for cell in cells] for _, cells in rows]
        filled = [text for row in texts for text in row if text]
        if not filled:
            return
        real_cells = [cell for _, cells in rows for cell in cells if not isinstance(cell, str)]
        if any(self.holds_structure(cell) for cell in real_cells) or sum(map(len, filled)) / len(filled) > 200:
            # A table that lays out the page (a 7-minute briefing made as a table): each cell a box.
            for cell in real_cells:
                if self.cell_text(cell):
                    self.in_box(cell)
            return
        header_rows = 0
        first_tr, first_cells = rows[0]
        trPr = first_tr.find(qn("w:trPr"))
        if (trPr is not None and _on_off(trPr, "w:tblHeader")) or (
            len(rows) > 1
            and all(isinstance(cell, str) or self.cell_bold(cell) for cell in first_cells)
            and any(texts[0])
        ):
            header_rows = 1
        self.blocks.append(Block(TABLE, rows=texts, header_rows=header_rows, box=self.box))

    def holds_structure(self, tc) -> bool:
        """Whether a cell holds headings or list items, as a box of a page would."""
        for p in tc.iter(qn("w:p")):
            style_id = _val(p.find(qn("w:pPr")), "w:pStyle")
            if squeezed(_text(p)) and (self.heading_rank(style_id, p) is not None or self.listed(p, style_id)):
                return True
        return False

    def listed(self, p, style_id) -> bool:
        """Whether a paragraph is in a list, by its own numbering or its style's (without counting it)."""
        if _numbering_of(p.find(qn("w:pPr")))[0] not in (None, "0"):
            return True
        for style in self.style_chain(style_id):
            if _numbering_of(style.element.find(qn("w:pPr")))[0] not in (None, "0"):
                return True
            if (style.name or "").lower().startswith(("list bullet", "list number")):
                return True
        return False

    def cell_text(self, tc) -> str:
        if isinstance(tc, str):
            return tc
        paragraphs = [squeezed(_text(p)) for p in tc.iter(qn("w:p"))]
        return "\n".join(text for text in paragraphs if text)

    def cell_bold(self, tc) -> bool:
        paragraphs = [p for p in tc.iter(qn("w:p")) if squeezed(_text(p))]
        return all(self.wholly_bold(p, _val(p.find(qn("w:pPr")), "w:pStyle")) for p in paragraphs)


# ---------------------------------------------------------------------------
# The XML
# ---------------------------------------------------------------------------


def _val(element, tag):
    if element is None:
        return None
    child = element.find(qn(tag))
    return child.get(qn("w:val")) if child is not None else None


def _on_off(element, tag):
    """A run property such as bold: True, False, or None when not set here."""
    if element is None:
        return None
    child = element.find(qn(tag))
    if child is None:
        return None
    return child.get(qn("w:val"), "true").lower() not in {"0", "false", "off", "none"}


def _numbering_of(pPr):
    if pPr is None:
        return None, None
    numPr = pPr.find(qn("w:numPr"))
    if numPr is None:
        return None, None
    level = _val(numPr, "w:ilvl")
    return _val(numPr, "w:numId"), int(level) if level and level.isdigit() else None


def _runs(p):
    """The runs of a paragraph, in hyperlinks and insertions too, not in text boxes."""
    for element in _walk(p):
        if element.tag == qn("w:r"):
            yield element


def _walk(element):
    for child in element.iterchildren():
        if child.tag in (qn("w:txbxContent"), _FALLBACK, qn("w:del"), qn("w:pPr"), qn("w:rPr")):
            continue
        yield child
        yield from _walk(child)


def _text(p) -> str:
    return "".join(_run_text(run) for run in _runs(p))


def _run_text(run) -> str:
    parts = []
    for child in run.iterchildren():
        tag = child.tag
        if tag == qn("w:t"):
            parts.append(child.text or "")
        elif tag in (qn("w:tab"), qn("w:br"), qn("w:cr")):
            parts.append(" ")
        elif tag == qn("w:noBreakHyphen"):
            parts.append("-")
        elif tag == qn("w:sym"):
            parts.append("")
    return "".join(parts)


def _text_boxes(p):
    """The text boxes anchored in a paragraph (each once: Word also writes a
    fallback copy of each for older programs)."""
    found = []

    def search(element):
        for child in element.iterchildren():
            if child.tag == _FALLBACK:
                continue
            if child.tag == qn("w:txbxContent"):
                found.append(child)
                continue
            search(child)

    search(p)
    return found


def _printed_bullet(text: str) -> str:
    text = text.strip()
    if not text:
        return "•"
    if text in _PRINTED_BULLET:
        return _PRINTED_BULLET[text]
    if "\ue000" <= text[0] <= "\uf8ff":
        return "•"
    return text


def _formatted(value: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letters = ""
        n = value
        while n > 0:
            n, remainder = divmod(n - 1, 26)
            letters = chr(ord("a") + remainder) + letters
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt in ("lowerRoman", "upperRoman"):
        roman = roman_numeral(value)
        return roman.upper() if fmt == "upperRoman" else roman
    return str(value)

"""A briefing document as read from its file, before it is understood.

Every reader (``readers``: PDF, Word, web page, text and Markdown) turns a
file into a ``Document``: its blocks in reading order, each a heading, a
paragraph, a list item or a table, with the words exactly as printed (lines a
PDF or a copy from a web page wrapped are joined; nothing else is changed).
``structure`` then reads the blocks into sections and candidate entries.

What a reader knows from the format it records; what only the words can tell
(is this short bold line a heading? is "1. The Background" a heading or a
numbered point?) is left to ``structure``:

- ``heading`` blocks are what the format marks as headings (a Word heading
  style, an HTML ``<h2>``, a Markdown ``#`` line, a PDF line set larger than
  the body text); ``level`` is 1 for the largest;
- ``bold`` marks a paragraph set wholly in bold (a heading in a document
  without styles, or a run-in label);
- ``box`` numbers the boxes of a page laid out in boxes (the seven boxes of a
  7-minute briefing), in reading order, so that a box's text is never joined
  to its neighbour's;
- ``marker`` is a list item's bullet or number as printed ("1.", "a)", "•").
"""

from __future__ import annotations

from dataclasses import dataclass, field

HEADING = "heading"
PARAGRAPH = "paragraph"
ITEM = "item"
TABLE = "table"

BLOCK_KINDS = (HEADING, PARAGRAPH, ITEM, TABLE)


@dataclass
class Block:
    kind: str
    text: str = ""
    level: int = 0  # a heading's level (1 the largest); a list item's depth (0 the outermost)
    marker: str = ""  # a list item's bullet or number as printed
    bold: bool = False  # the whole paragraph is set in bold
    rows: list[list[str]] = field(default_factory=list)  # a table's cells, row by row
    header_rows: int = 0  # how many of ``rows`` are the table's column headings
    box: int | None = None  # the box of a boxed page layout it sits in, numbered in reading order
    page: int | None = None  # the page it starts on, for documents with pages

    def __post_init__(self):
        if self.kind not in BLOCK_KINDS:
            raise ValueError(f"Unknown block kind {self.kind!r}; expected one of {', '.join(BLOCK_KINDS)}.")


@dataclass
class Document:
    blocks: list[Block] = field(default_factory=list)
    title: str = ""  # the title the file's own properties give (PDF info, Word core properties, HTML <title>)
    file_name: str = ""
    format: str = ""  # "pdf", "docx", "html", "txt" or "md"
    notes: list[str] = field(default_factory=list)  # what the reader left out or could not read, in plain words

    def as_text(self) -> str:
        """The document as Markdown: what is kept as the source's full text and
        shown to editors beside the entries drawn from it."""
        parts: list[str] = []
        for block in self.blocks:
            if block.kind == HEADING:
                parts.append(f"{'#' * min(max(block.level, 1) + 1, 6)} {block.text}")
            elif block.kind == ITEM:
                parts.append(f"{'  ' * block.level}{block.marker or '-'} {block.text}")
            elif block.kind == TABLE:
                parts.append(_table_as_markdown(block))
            elif block.bold:
                parts.append(f"**{block.text}**")
            else:
                parts.append(block.text)
        text = ""
        for index, part in enumerate(parts):
            if index:
                # List items follow one another without a blank line; everything else is a paragraph.
                same_list = self.blocks[index].kind == ITEM and self.blocks[index - 1].kind == ITEM
                text += "\n" if same_list else "\n\n"
            text += part
        return text + "\n" if text else ""


def _table_as_markdown(block: Block) -> str:
    rows = [[cell.replace("|", "\\|").replace("\n", "<br>") for cell in row] for row in block.rows]
    if not rows:
        return ""
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    header = rows[0] if block.header_rows else [""] * width
    body = rows[1:] if block.header_rows else rows
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * width]
    lines += ["| " + " | ".join(row) + " |" for row in body]
    return "\n".join(lines)

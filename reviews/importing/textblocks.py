"""Plain text and Markdown (a .txt or .md file, or text pasted into a form)
read into a ``Document`` of blocks, with the words exactly as written.

What the text's own marks say is recorded; what only the words can tell is
left to ``structure``:

- ``#`` lines and setext underlines (``===``, ``---``) are headings, their
  level from the marks (the ``#`` are never part of the heading's text);
- bullets (``-``, ``*``, ``•``…) and numbered or lettered lines (``1.``,
  ``2)``, ``a)``, ``(iv)``) are list items with their marker as printed; a
  numbered line may still be a heading ("1. The Background"): ``structure``
  decides;
- a line wholly in ``**bold**`` is a bold paragraph;
- a pasted HTML table and a run of tab-separated or ``|``-separated lines are
  tables;
- lines broken inside a paragraph (what a copy from a PDF or a web page gives)
  are joined with a space, except where the next line starts a list item or
  the lines so far read as a heading (short, no sentence punctuation) and the
  next line as the text under it (longer, starting a sentence), or where a
  line ends a sentence well short of the lines around it, or every line of the
  paragraph is a sentence of its own.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from .document import HEADING, ITEM, PARAGRAPH, TABLE, Block, Document

_ATX = re.compile(r"^\s{0,3}(?P<marks>#{1,6})\s+(?P<text>.*?)(?:\s+#+)?\s*$")
_SETEXT = re.compile(r"^\s{0,3}(?P<mark>=+|-+)\s*$")
_BULLET = re.compile(r"^(?P<indent>\s*)(?P<marker>[-*+•·▪●◦‣–])\s+(?P<text>\S.*)$")
_NUMBER = re.compile(
    r"^(?P<indent>\s*)(?P<marker>\(?(?:\d{1,2}|[a-z]|(?:i|ii|iii|iv|v|vi|vii|viii|ix|x))[.)])\s+(?P<text>\S.*)$"
)
_BOLD_LINE = re.compile(r"^\s*(?:\*\*|__)(?P<text>[^*_].*?)(?:\*\*|__)\s*$", re.S)
_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_PIPE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_SENTENCE_END = re.compile(r"[.!?…][)\"'’”]*$")
_NOT_HEADING_END = re.compile(r"[.,;…]$|\b(?:the|of|and|to|a|an|for|in|on|with|from|by|or|that|at|as|is|are)$", re.I)
_STARTS_SENTENCE = re.compile(r"^[\"'‘“(\[]?[A-Z0-9]")
# A line opening an inline list or a labelled recommendation: a paragraph of its own.
_LIST_LABEL = re.compile(
    r"^[A-Z][\w ,'’-]{2,60}?\b(?:include|includes|included|including)\s*:|^Recommendations?(?:\s+\d+)?\s*:"
    r"|^(?:Learning|Key learning|Good practice|What went well|Response|Our response|Actions?|Lead|Owner|Timescale"
    r"|Questions?)\s*:",
)
# A line giving the document's date ("Date: Tuesday, 25th Jul 2023 | Category: Children",
# "Thursday, January 12, 2017"): always a line of its own.
_DATE_LINE = re.compile(
    r"^(?:Date|Published|Updated|Last updated|Publication date)\s*[:;].{0,100}$"
    r"|^(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?(?:\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?)?"
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+(?:\d{1,2}(?:st|nd|rd|th)?,?\s+)?(?:19|20)\d\d$",
    re.I,
)


# "Engaging with families Research and evidence shows...": a heading run into the text, once the
# copy lost the line break. Words that make the opening a clause rather than a heading.
_CLAUSE_WORDS = frozenset(
    re.findall(
        r"\w+",
        "is are was were be been being has have had do does did not will would can could should must may "
        "might shall told saw said made took gave went came found knew thought felt became left met got kept "
        "held brought began heard showed",
    )
)
_ENDS_IN_FUNCTION_WORD = re.compile(
    r"\b(?:the|of|and|or|to|a|an|for|in|on|with|from|by|at|as|that|this|his|her|their|its|our|who|which|when)$",
    re.I,
)
# The heading in sentence case (a capital, then two to seven words in lower case), then a sentence
# starting with a capitalised word and a word in lower case: "The multi-agency Early Help Board..."
# (a name in capitals) is no run-in heading.
RUN_IN_START = re.compile(
    r"^(?P<heading>[A-Z][a-z’'-]+(?:\s+[a-z][a-z’'-]*){1,6})\s+(?P<text>[A-Z][a-z’']*\s+[a-z].*)$", re.S
)

_CASE_NAME_START = re.compile(r"^(?:Child|Baby|Infant|Adult|Young person|Sibling)\b")
# A part of a briefing named on a line of its own ("Background", "Key learning"): never the
# second line of a wrapped heading, even after a line that reads as a heading too.
_SECTION_NAME_LINE = re.compile(
    r"^(?:background|introduction|summary|overview|the case|case summary|findings|key findings|key learning|"
    r"learning|key messages|lessons learned|what went well|good practice|recommendations?|actions?|next steps|"
    r"conclusions?|further information|resources|useful links|contacts?)\s*:?$",
    re.I,
)


# The parts briefings name most often, as their headings are written: run into the first sentence
# of their text ("Background Ezra was nine months old ...", "What went well The ambulance crew ..."),
# they are headings even where the next word is a name or the heading holds a verb.
_KNOWN_SECTION_RUN_IN = re.compile(
    r"^(?P<heading>(?i:background|introduction|findings|key findings|recommendations|conclusions?|what happened|"
    r"the case|case summary|summary of the case|key learning|learning points|lessons learned|lessons learnt|"
    r"what went well|what worked well|good practice|what we found|what needs to (?:happen|change)|next steps|"
    r"reflective questions|questions to consider|questions for practitioners|points to consider|"
    r"further information|why it matters|what to do|what you can do))"
    r"\s+(?P<text>[\"'‘“]?[A-Z][\w’'-]*\s+\S.*)$",
    re.S,
)
# A page's footer or header line ("Page 1 of 2", "- 3 -"): a line of its own.
_PAGE_LINE = re.compile(r"^(?:page\s+\d+(?:\s+of\s+\d+)?|-\s*\d+\s*-|\d+\s*/\s*\d+)$", re.I)
# A line ending in a web or email address: the end of what it says, whatever comes next.
_ENDS_IN_ADDRESS = re.compile(r"(?:\bwww\.|https?://|@)\S+$", re.I)
# A number alone on a line: a box's number in a copy of a 7-minute briefing (or a bare page
# number). It ends the text above and starts a new part; the number itself carries no words.
_BOX_NUMBER = re.compile(r"^\s*\d{1,2}\s*$")


def _is_capitals_line(text: str) -> bool:
    """A line in capitals ("LEARNING BRIEF"): a heading on a line of its own."""
    letters = [char for char in text if char.isalpha()]
    return len(letters) >= 4 and not any(char.islower() for char in letters) and len(text.split()) <= 10


_SMALL_WORDS = frozenset(
    ["a", "an", "and", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with", "–", "-", "&"]
)


def _is_title_case_line(text: str) -> bool:
    """A short line with every word capitalised and no sentence punctuation ("Brackenbury Safeguarding
    Children Partnership"): a title or a name on a line of its own."""
    words = text.split()
    if not 2 <= len(words) <= 8 or re.search(r"[.,;:!?]$", text):
        return False
    return all(word[:1].isupper() or word[:1].isdigit() or word.lower() in _SMALL_WORDS for word in words)


def _is_name_line(text: str) -> bool:
    """A title-case line, a dash between its parts allowed ("Learning Review – Mrs J")."""
    return _is_title_case_line(re.sub(r"\s[–—-]\s", " ", text))


def run_in_heading(text: str, *, min_words: int = 12) -> tuple[str, str] | None:
    """(heading, text) when a passage starts with a short heading run into its first sentence,
    as a copy from a PDF gives it; None otherwise. The text must have ``min_words`` words and a
    full stop (a line of a wrapped paragraph: fewer words, no full stop needed)."""
    if re.search(r"[*_\[\]<>]", text):
        return None  # emphasis, links or tags: not a plain copied line
    known = _KNOWN_SECTION_RUN_IN.match(text)
    if known and len(known.group("text").split()) >= min(min_words, 4):
        return known.group("heading"), known.group("text")
    match = RUN_IN_START.match(text)
    if not match:
        return None
    heading, rest = match.group("heading"), match.group("text")
    words = heading.split()
    lowered = [word.lower() for word in words]
    if any(word in _CLAUSE_WORDS or word.endswith("ed") for word in lowered[1:]) or lowered[0] in _CLAUSE_WORDS:
        return None
    if _ENDS_IN_FUNCTION_WORD.search(heading) or _CASE_NAME_START.match(heading):
        return None
    if len(rest.split()) < min_words or (min_words >= 12 and not re.search(r"[.!?]", rest)):
        return None
    return heading, rest


def read_text(text: str, *, name: str = "", format: str = "txt") -> Document:
    """A text or Markdown document (``format`` "txt" or "md") as blocks."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    blocks: list[Block] = []
    # Pasted HTML tables may contain blank lines: take them out whole first.
    for piece in re.split(r"(<table\b.*?</table>)", text, flags=re.S | re.I):
        if re.match(r"<table\b", piece, re.I):
            blocks.append(_html_table(piece))
            continue
        for chunk in re.split(r"\n[ \t]*\n", piece):
            blocks.extend(_chunk_blocks(chunk))
    return Document(blocks=[b for b in blocks if b.text or b.rows], file_name=name, format=format)


# ---------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------


class _TableParser(HTMLParser):
    """Rows of cells from a pasted HTML table; a cell's list items are kept apart by "•"."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self.header_cells: list[bool] = []  # per row: all its cells are <th>
        self._cell: list[str] | None = None
        self._cell_is_th = False

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
            self.header_cells.append(True)
        elif tag in ("td", "th"):
            self._cell = []
            self._cell_is_th = tag == "th"
        elif tag == "li" and self._cell is not None:
            self._cell.append(" • ")
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            if not self.rows:
                self.rows.append([])
                self.header_cells.append(True)
            self.rows[-1].append(re.sub(r"\s+", " ", "".join(self._cell)).strip())
            self.header_cells[-1] = self.header_cells[-1] and self._cell_is_th
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _html_table(html: str) -> Block:
    parser = _TableParser()
    parser.feed(html)
    kept = [(row, th) for row, th in zip(parser.rows, parser.header_cells, strict=False) if any(c for c in row)]
    rows = [row for row, _ in kept]
    header_rows = 1 if kept and kept[0][1] else _guess_header_rows(rows)
    return Block(TABLE, text="", rows=rows, header_rows=header_rows)


def _guess_header_rows(rows: list[list[str]]) -> int:
    """1 when the first row reads as column headings (short, no sentences; an empty corner allowed)."""
    if len(rows) < 2:
        return 0
    first = rows[0]
    filled = [cell for cell in first if cell.strip()]
    if not filled:
        return 0
    looks = all(len(cell.split()) <= 6 and not _SENTENCE_END.search(cell.strip()) for cell in filled)
    return 1 if looks else 0


def _tab_table(lines: list[str]) -> Block:
    rows = [[cell.strip() for cell in line.split("\t")] for line in lines]
    return Block(TABLE, rows=rows, header_rows=_guess_header_rows(rows))


def _pipe_table(lines: list[str]) -> Block:
    rows: list[list[str]] = []
    header_rows = 0
    for index, line in enumerate(lines):
        if _PIPE_RULE.match(line):
            header_rows = 1 if index == 1 else header_rows
            continue
        cells = re.split(r"(?<!\\)\|", line.strip().strip("|"))
        rows.append([cell.replace("\\|", "|").replace("<br>", "\n").strip() for cell in cells])
    if header_rows and rows and not any(rows[0]):
        # A table written without column headings (``Document.as_text``'s empty header row).
        rows, header_rows = rows[1:], 0
    return Block(TABLE, rows=rows, header_rows=header_rows)


# ---------------------------------------------------------------------------
# Paragraphs, headings and list items
# ---------------------------------------------------------------------------


def _chunk_blocks(chunk: str) -> list[Block]:
    lines = [line.rstrip() for line in chunk.split("\n") if line.strip()]
    if not lines:
        return []
    tabbed = [line for line in lines if "\t" in line.lstrip(" ")]
    if len(tabbed) >= 2 and len(tabbed) * 2 >= len(lines):
        return [_tab_table(lines)]
    if any(_PIPE_ROW.match(line) for line in lines):
        return _with_pipe_tables(lines)

    blocks: list[Block] = []
    paragraph: list[str] = []
    plain_runs = _plain_runs(lines)
    text_width = max(len(line.strip()) for line in lines)

    def flush():
        if paragraph:
            blocks.append(_paragraph(" ".join(paragraph)))
            paragraph.clear()

    for index, line in enumerate(lines):
        atx = _ATX.match(line)
        if atx and atx.group("text").strip():
            flush()
            blocks.append(Block(HEADING, text=atx.group("text").strip(), level=len(atx.group("marks"))))
            continue
        if _SETEXT.match(line) and paragraph and len(line.strip()) >= 2:
            # The line (or lines) above, underlined: a heading.
            heading = " ".join(paragraph)
            paragraph.clear()
            blocks.append(Block(HEADING, text=_without_bold(heading), level=1 if "=" in line else 2))
            continue
        if _SETEXT.match(line) or re.fullmatch(r"\s*(?:\*\s*){3,}|\s*(?:_\s*){3,}", line):
            flush()
            continue  # a rule between parts
        listed = _BULLET.match(line) or _NUMBER.match(line)
        if listed:
            flush()
            indent = len(listed.group("indent").expandtabs(4))
            blocks.append(
                Block(ITEM, text=listed.group("text").strip(), marker=listed.group("marker"), level=indent // 2)
            )
            continue
        stripped = line.strip()
        if _BOX_NUMBER.match(stripped):
            flush()
            blocks.append(Block(PARAGRAPH, text=stripped))  # left out, with its reason, by ``structure``
            continue
        if _BOLD_LINE.match(stripped):
            flush()
            blocks.append(_paragraph(stripped))
            continue
        if not paragraph and _continues(blocks) and not _starts_new_block(stripped, blocks[-1].text):
            # An item running on to the next line.
            blocks[-1].text += " " + stripped
            continue
        if paragraph:
            # Whether the lines of this paragraph from its first on are each a sentence, and
            # how wide the run of plain lines it is in is (where its lines were wrapped).
            run = plain_runs[index]
            first = index - len(paragraph)
            every_line_a_sentence = all(_SENTENCE_END.search(_plain(text)) for text in run[0][first - run[1] :])
            widest = max(len(text) for text in run[0])
            if _breaks_between(paragraph, stripped, every_line_a_sentence, widest, text_width):
                flush()
        paragraph.append(stripped)
    flush()
    return blocks


def _is_plain_line(line: str) -> bool:
    return not (
        _ATX.match(line)
        or _SETEXT.match(line)
        or _BULLET.match(line)
        or _NUMBER.match(line)
        or _BOLD_LINE.match(line.strip())
        or _BOX_NUMBER.match(line)
    )


def _plain_runs(lines: list[str]) -> dict[int, tuple[list[str], int]]:
    """For each plain line (not a heading, item or bold line), the run of plain lines it is
    in (as lines) and the index of the run's first line."""
    runs: dict[int, tuple[list[str], int]] = {}
    start = 0
    while start < len(lines):
        if not _is_plain_line(lines[start]):
            start += 1
            continue
        end = start
        while end < len(lines) and _is_plain_line(lines[end]):
            end += 1
        run = [line.strip() for line in lines[start:end]]
        for index in range(start, end):
            runs[index] = (run, start)
        start = end
    return runs


def _with_pipe_tables(lines: list[str]) -> list[Block]:
    """A chunk holding a ``|`` table among other lines: the table apart, the rest read as text."""
    blocks: list[Block] = []
    run: list[str] = []
    kind = None
    for line in [*lines, None]:
        is_row = line is not None and bool(_PIPE_ROW.match(line) or (run and kind == TABLE and _PIPE_RULE.match(line)))
        line_kind = TABLE if is_row else PARAGRAPH
        if run and (line is None or line_kind != kind):
            if kind == TABLE and len(run) >= 2:
                blocks.append(_pipe_table(run))
            else:
                blocks.extend(_chunk_blocks("\n".join(run)) if kind != TABLE else [_paragraph(" ".join(run))])
            run = []
        if line is not None:
            run.append(line)
            kind = line_kind
    return blocks


def _continues(blocks: list[Block]) -> bool:
    """Whether the last block is a list item a following plain line may run on from."""
    return bool(blocks) and blocks[-1].kind == ITEM


def _starts_new_block(line: str, item_text: str) -> bool:
    """A plain line after a list item starts a paragraph of its own when the item is complete
    and the line starts a sentence, or reads as a heading."""
    if _STARTS_SENTENCE.match(line) and (
        _SENTENCE_END.search(_plain(item_text)) or _looks_like_heading_line(item_text)
    ):
        return True
    return _looks_like_heading_line(line)


def _breaks_between(
    paragraph: list[str], line: str, every_line_a_sentence: bool, widest: int, text_width: int = 0
) -> bool:
    """Whether ``line`` starts a new paragraph after the lines ``paragraph``; ``widest`` is the
    width of the run of plain lines it is in, ``text_width`` that of the whole text."""
    if _DATE_LINE.match(_plain(line)) or _DATE_LINE.match(_plain(paragraph[-1])) or _LIST_LABEL.match(line):
        return True
    if _PAGE_LINE.match(_plain(line)) or _PAGE_LINE.match(_plain(paragraph[-1])):
        return True  # a page's footer: never part of the text around it
    if _is_capitals_line(_plain(line)) != _is_capitals_line(_plain(paragraph[-1])):
        return True  # "LEARNING BRIEF": a heading in capitals (perhaps over two lines), apart from the rest
    if not _STARTS_SENTENCE.match(line):
        return False  # a line starting in lower case continues a sentence
    last = _plain(paragraph[-1])
    if _ENDS_IN_ADDRESS.search(last):
        return True  # "... procedure: www.example.org.uk/page" then a sentence: the link ended its line
    if _is_name_line(last) and _is_name_line(_plain(line)) and len(last) < 0.6 * max(widest, text_width):
        return True  # "Brackenbury Safeguarding Adults Board" then "Review of Mr T": two names, each a line
    if _SECTION_NAME_LINE.match(_plain(line)) or _SECTION_NAME_LINE.match(_plain(" ".join(paragraph))):
        return True  # "Background" on its own line: a heading, not the end of the title above it
    if _SENTENCE_END.search(last) and run_in_heading(_plain(line), min_words=4):
        return True  # "Working with housing Temporary moves...": a new part, its heading run in
    if _KNOWN_SECTION_RUN_IN.match(_plain(line)) and run_in_heading(_plain(line), min_words=4):
        return True  # "What went well The ambulance crew ...": a part of the briefing, whatever came before
    if _SENTENCE_END.search(last) and _is_title_case_line(_plain(line)) and len(line) < 0.8 * widest:
        return True  # "... not a real case." then "Brackenbury Safeguarding Children Partnership"
    if _SENTENCE_END.search(last):
        # A sentence ends the line: a new paragraph when every line is a sentence of its
        # own, or when the line ended well short of the text's width (where it was wrapped).
        return every_line_a_sentence or len(paragraph[-1]) < 0.8 * widest
    return _breaks_after(" ".join(paragraph), line)


def _breaks_after(so_far: str, line: str) -> bool:
    """The lines so far read as a heading and ``line`` as the text under it."""
    if not (_looks_like_heading_line(so_far) and _STARTS_SENTENCE.match(line)):
        return False
    reads_as_text = len(line.split()) >= 6 or _SENTENCE_END.search(_plain(line)) is not None
    return reads_as_text and (
        len(line) >= 1.3 * len(so_far) or (_SENTENCE_END.search(line) and len(line) > len(so_far))
    )


def _looks_like_heading_line(text: str) -> bool:
    plain = _plain(text)
    words = plain.split()
    if not words or len(words) > 15 or len(plain) > 110:
        return False
    if not _STARTS_SENTENCE.match(plain):
        return False
    if plain.endswith("?"):
        return len(words) <= 12
    return not _NOT_HEADING_END.search(plain) and not re.search(r"[.!?]\s+[A-Z]", plain)


def _plain(text: str) -> str:
    return text.replace("**", "").replace("__", "").strip()


def _without_bold(text: str) -> str:
    match = _BOLD_LINE.match(text)
    return match.group("text").strip() if match else text


def _paragraph(text: str) -> Block:
    match = _BOLD_LINE.match(text)
    if match and "**" not in match.group("text"):
        return Block(PARAGRAPH, text=match.group("text").strip(), bold=True)
    return Block(PARAGRAPH, text=text)

"""A text PDF, as partnerships publish their briefings, read into blocks.

pdfplumber gives each word with its position, size and font, and the
rectangles and curves drawn on the page. From these:

1. Words inside a drawn box (a bordered or shaded rectangle, a circle: the
   boxes of a 7-minute briefing) belong to that box; the others to the page.
2. Words on one line are split into fragments where a gap wider than a
   letter's height separates them (a column gutter, the space between boxes).
3. The page is read in the order a reader would: rows of boxes left to
   right; text in columns column by column (a run of lines that keeps a
   gutter free is cut into columns); other text top to bottom. Every box and
   column is numbered (``Block.box``) and no text is joined across them.
4. Lines repeated at the top or bottom of most pages (running headers and
   footers) and page numbers are left out, and ``Document.notes`` says so.
5. Lines become blocks: a line set clearly larger than the body text is a
   heading (level by size, largest first); a line starting with a bullet
   (printed, or drawn as a small shape) or a number ("1.", "a)") is a list
   item; the other lines are joined into paragraphs until a gap wider than
   the document's usual line spacing, a change of font weight or size, a
   new item, or a short line ending a sentence; a paragraph set wholly in
   bold is marked bold. A paragraph that runs on to the next page is joined
   when it breaks mid-sentence and goes on in lower case.

Text set sideways and letters printed twice over (a cheap bold) are read
once, or not at all for sideways text. What a PDF made only of pictures (a
scan), protected by a password, damaged, or with fonts that give no letters
cannot give is refused with a ``BriefingFileError`` saying what to do.

A table ruled with lines (pdfplumber finds it by them) is a table block,
its first row the header when set in bold; a ruled table whose cells hold
lists or long passages lays out the page (a 7-minute briefing made as a
table), and each of its cells is read as a box.

Known limits: a short line right under two columns, not reaching across
the gutter, is read as the end of the left column; boxes with no border or
shading laid out in a grid are read column by column, not row by row; a
table without rules is read as lines of text.
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from math import ceil

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from ..decoding import MAX_PDF_PAGES, BriefingFileError
from ..document import HEADING, ITEM, PARAGRAPH, TABLE, Block, Document
from .common import BULLETS, NUMBER_MARKER, joined_lines, refuse_empty, title_or_nothing

logger = logging.getLogger(__name__)

# A line this much larger than the body text is a heading.
HEADING_RATIO = 1.15
# Running headers and footers sit in this share of the page's height at its top or bottom.
MARGIN_SHARE = 0.12
# A drawn shape is a box if it is at least this large (in points) and holds words.
MIN_BOX_WIDTH, MIN_BOX_HEIGHT = 40, 20
_PAGE_NUMBER = re.compile(r"^(page\s+)?\d{1,4}(\s*(of|/)\s*\d{1,4})?$|^-\s*\d{1,4}\s*-$", re.I)
_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi", re.I)


@dataclass
class _Line:
    """Words on one line of one box or column, left to right."""

    words: list[dict]
    page: int
    container: int | None  # the drawn box the words are in, if any
    marker: str = ""  # a bullet drawn as a shape just left of the line

    @property
    def x0(self):
        return self.words[0]["x0"]

    @property
    def x1(self):
        return max(word["x1"] for word in self.words)

    @property
    def top(self):
        return min(word["top"] for word in self.words)

    @property
    def bottom(self):
        return max(word["bottom"] for word in self.words)

    @property
    def text(self):
        text = ""
        for index, word in enumerate(self.words):
            previous = self.words[index - 1] if index else None
            if previous is not None and not (_raised(word, previous) and word["x0"] - previous["x1"] < 1.5):
                text += " "
            text += word["text"]
        return text

    @property
    def size(self):
        return round(max(word["size"] for word in self.words) * 2) / 2

    @property
    def bold(self):
        return all(_BOLD_FONT.search(word.get("fontname", "")) for word in self.words)


def _raised(word, before) -> bool:
    """A footnote mark: smaller than the word before it and raised above its baseline,
    printed against it ("agencies¹"), so joined to it without a space."""
    return word["size"] < 0.85 * before["size"] and word["bottom"] < before["bottom"] - 0.15 * before["size"]


@dataclass
class _Atom:
    """What the page's reading order is worked out from: a drawn box with its
    lines, or one line outside any box."""

    x0: float
    top: float
    x1: float
    bottom: float
    lines: list[_Line]
    is_box: bool
    table: Block | None = None


@dataclass
class _Region:
    lines: list[_Line]
    boxed: bool  # a drawn box or a column: numbered, and never joined to its neighbours
    table: Block | None = None


@dataclass
class _Builder:
    body_size: float
    heading_levels: dict[float, int]
    line_gap: float = 0.0  # the usual space between the lines of a paragraph
    blocks: list[Block] = field(default_factory=list)


def read_pdf(name: str, data: bytes) -> Document:
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return _read(name, pdf)
    except BriefingFileError:
        raise
    except (PDFPasswordIncorrect, PDFEncryptionError) as error:
        raise _protected(name) from error
    except PdfminerException as error:
        if isinstance(error.args[0] if error.args else None, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise _protected(name) from error
        raise _damaged(name) from error
    except Exception as error:  # pdfminer raises many kinds of error for a damaged file
        logger.warning("Could not read %s", name, exc_info=True)  # a damaged file, or a reader's fault
        raise _damaged(name) from error


def _protected(name):
    return BriefingFileError(
        f"“{name}” cannot be read: this PDF is protected by a password. Ask the publisher for a copy "
        "without a password, or open it, copy the text into a .txt file and upload that."
    )


def _damaged(name):
    return BriefingFileError(
        f"“{name}” cannot be read: the PDF is damaged (it may not have finished downloading). Download "
        "it again and upload the new copy; if that fails, open it, copy the text into a .txt file and "
        "upload that."
    )


def _read(name: str, pdf) -> Document:
    pages = pdf.pages
    if len(pages) > MAX_PDF_PAGES:
        raise BriefingFileError(
            f"“{name}” has {len(pages)} pages; the importer reads PDFs of up to {MAX_PDF_PAGES}. A "
            "briefing is rarely more than 20: if it is part of a larger report, copy its pages into a "
            "new PDF or its text into a .txt file and upload that."
        )
    notes: list[str] = []
    page_lines = []
    pages_without_text = []
    for number, page in enumerate(pages, start=1):
        lines, boxes, tables = _page_lines(page, number)
        if not lines and not tables:
            pages_without_text.append(number)
        page_lines.append((page, lines, boxes, tables))
    if len(pages_without_text) == len(pages):
        if any(page.images for page in pages):
            raise BriefingFileError(
                f"“{name}” cannot be read: this PDF has no text: it looks like a scan (pictures of pages). "
                "Ask the publisher for a text PDF or Word version, or copy the text into a .txt file and "
                "upload that."
            )
        raise BriefingFileError(f"“{name}” has no text to import: its pages are blank. Check you chose the right file.")
    words = [word["text"] for _, lines, _, _ in page_lines for line in lines for word in line.words]
    if sum(1 for word in words if "(cid:" in word) > len(words) / 5:
        raise BriefingFileError(
            f"“{name}” cannot be read: the PDF's fonts do not say which letters they print, so its text "
            "comes out as codes. Ask the publisher for a Word version, or open it, copy the text into a "
            ".txt file and upload that."
        )
    if pages_without_text:
        notes.append(
            f"Page{'s' if len(pages_without_text) > 1 else ''} {_list(pages_without_text)} had no text "
            "(a picture or a scan?) and could not be read."
        )
    page_lines = _without_running_lines(page_lines, notes)
    regions = []
    for _page, lines, boxes, tables in page_lines:
        regions += _reading_order(lines, boxes, tables)
    document = Document(
        blocks=_blocks(regions, [line for _, lines, _, _ in page_lines for line in lines]),
        title=title_or_nothing(pdf.metadata.get("Title"), name),
        notes=notes,
    )
    return refuse_empty(document, name, "its pages hold no words.")


def _list(numbers):
    numbers = [str(number) for number in numbers]
    return numbers[0] if len(numbers) == 1 else ", ".join(numbers[:-1]) + " and " + numbers[-1]


# ---------------------------------------------------------------------------
# Words into lines, boxes and bullets
# ---------------------------------------------------------------------------


def _page_lines(page, number: int):
    # Some programs print bold by printing each letter twice, a little apart: once is enough.
    # (pdfplumber's own dedupe_chars takes seconds a page: a set of positions does it at once.)
    words = pdfplumber.utils.extract_words(_once(page.chars), extra_attrs=["size", "fontname"], keep_blank_chars=False)
    # Text set sideways (a label up the side of a box) is not part of the reading.
    words = [word for word in words if word["text"].strip() and word.get("upright", True)]
    all_shapes = list(page.rects) + list(page.curves)
    bullets = [
        shape
        for shape in all_shapes
        if 1.5 <= shape["width"] <= 8 and 1.5 <= shape["height"] <= 8 and shape["width"] < 2.5 * shape["height"]
    ]
    tables, cells = _tables(page, words, number, bullets)
    words = [word for word in words if not any(_inside(word, bbox) for bbox, _ in tables)]
    shapes = [
        shape
        for shape in all_shapes
        if not any(_contains(bbox, (shape["x0"], shape["top"], shape["x1"], shape["bottom"])) for bbox, _ in tables)
    ]
    boxes = _boxes(shapes + cells, words, page)
    by_container = defaultdict(list)
    for word in words:
        by_container[_container(word, boxes)].append(word)
    lines = []
    for container, its_words in by_container.items():
        lines += [_Line(fragment, number, container) for fragment in _fragments(its_words)]
    for line in lines:
        line.marker = _drawn_bullet(line, bullets)
    return lines, boxes, tables


def _once(chars):
    """The characters of a page, each letter printed twice at (nearly) the same place once."""
    seen = set()
    kept = []
    for char in chars:
        key = (char["text"], round(char["x0"]), round(char["top"]))
        if key not in seen:
            seen.add(key)
            kept.append(char)
    return kept


def _tables(page, words, number: int, bullets):
    """The ruled tables of a page (pdfplumber finds them by their lines), as table blocks
    with their place; and the cells of tables that only lay out the page (cells holding
    lists or long passages, such as a 7-minute briefing made as a table), as boxes."""
    tables, cells = [], []
    for table in page.find_tables():
        rows = table.extract()
        if len(rows) < 2 or max(len(row) for row in rows) < 2:
            continue
        texts = [[joined_lines((cell or "").split("\n")) for cell in row] for row in rows]
        filled = [text for row in texts for text in row if text]
        if not filled:
            continue
        bulleted = any(_inside(bullet, table.bbox) for bullet in bullets) or any(
            line.strip()[:1] in BULLETS for row in rows for cell in row for line in (cell or "").split("\n")
        )
        if bulleted or sum(len(text) for text in filled) / len(filled) > 200:
            cells += [
                {"x0": x0, "top": top, "x1": x1, "bottom": bottom, "width": x1 - x0, "height": bottom - top}
                for row in table.rows
                for x0, top, x1, bottom in (cell for cell in row.cells if cell)
            ]
            continue
        first_row = [word for word in words if _inside(word, table.rows[0].bbox)]
        header_rows = 1 if first_row and all(_BOLD_FONT.search(word.get("fontname", "")) for word in first_row) else 0
        tables.append((table.bbox, Block(TABLE, rows=texts, header_rows=header_rows, page=number)))
    return tables, cells


def _boxes(shapes, words, page):
    """The drawn boxes holding words, innermost first: a shape holding two or
    more other boxes is a frame around them, not a box; a shape as large as
    the page is its background."""
    page_area = float(page.width) * float(page.height)
    candidates = []
    for shape in shapes:
        bbox = (shape["x0"], shape["top"], shape["x1"], shape["bottom"])
        if shape["width"] < MIN_BOX_WIDTH or shape["height"] < MIN_BOX_HEIGHT:
            continue
        if shape["width"] * shape["height"] > 0.8 * page_area:
            continue
        if not any(_inside(word, bbox) for word in words):
            continue
        if any(all(abs(a - b) < 3 for a, b in zip(bbox, other, strict=True)) for other in candidates):
            continue  # the same box drawn twice (filled, then stroked)
        candidates.append(bbox)
    boxes = [
        bbox
        for bbox in candidates
        if sum(1 for other in candidates if other is not bbox and _contains(bbox, other)) < 2
    ]
    # Innermost first, so that a word goes to the smallest box around it.
    return sorted(boxes, key=lambda bbox: (bbox[2] - bbox[0]) * (bbox[3] - bbox[1]))


def _inside(word, bbox) -> bool:
    x = (word["x0"] + word["x1"]) / 2
    y = (word["top"] + word["bottom"]) / 2
    return bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3]


def _contains(outer, inner) -> bool:
    return (
        outer[0] <= inner[0] + 1 and outer[1] <= inner[1] + 1 and outer[2] >= inner[2] - 1 and outer[3] >= inner[3] - 1
    )


def _container(word, boxes):
    return next((index for index, bbox in enumerate(boxes) if _inside(word, bbox)), None)


def _fragments(words):
    """Words grouped into lines (by their vertical middle), each line cut where
    a gap wider than the letters' height separates two words."""
    rows: list[list[dict]] = []
    for word in sorted(words, key=lambda word: (word["top"], word["x0"])):
        middle = (word["top"] + word["bottom"]) / 2
        for row in rows:
            first = row[0]
            first_middle = (first["top"] + first["bottom"]) / 2
            # On one line: the middles close, or one's middle within the other's height
            # (a superscript, or a word in a smaller size on the same baseline).
            if (
                abs(first_middle - middle) <= 0.35 * max(first["size"], word["size"])
                or first["top"] <= middle <= first["bottom"]
                or word["top"] <= first_middle <= word["bottom"]
            ):
                row.append(word)
                break
        else:
            rows.append([word])
    fragments = []
    for row in rows:
        row.sort(key=lambda word: word["x0"])
        current = [row[0]]
        for word in row[1:]:
            gap = word["x0"] - current[-1]["x1"]
            if gap > 1.0 * max(word["size"], current[-1]["size"]):
                fragments.append(current)
                current = [word]
            else:
                current.append(word)
        fragments.append(current)
    return fragments


def _drawn_bullet(line: _Line, bullets) -> str:
    middle = (line.top + line.bottom) / 2
    for shape in bullets:
        shape_middle = (shape["top"] + shape["bottom"]) / 2
        if abs(shape_middle - middle) <= (line.bottom - line.top) / 2 and 0 <= line.x0 - shape["x1"] <= 20:
            return "•"
    return ""


# ---------------------------------------------------------------------------
# Running headers, footers and page numbers
# ---------------------------------------------------------------------------


def _without_running_lines(page_lines, notes):
    """Leave out page numbers, and lines in the top or bottom margin repeated
    on most pages (digits aside: "Page 2 of 5" repeats as "Page # of #").
    Only the two first and two last rows of text of a page can be such lines,
    so that a line of the text repeated on many pages is never lost."""
    edge_rows = {}
    for page, lines, _, _ in page_lines:
        rows = sorted({round(line.top) for line in lines if line.container is None})
        edge_rows[id(page)] = set(rows[:2] + rows[-2:])

    def in_margin(page, line):
        height = float(page.height)
        return (
            line.container is None
            and round(line.top) in edge_rows[id(page)]
            and (line.bottom < MARGIN_SHARE * height or line.top > (1 - MARGIN_SHARE) * height)
        )

    def key(line):
        # Running headers and footers keep their place on the page.
        return re.sub(r"\d+", "#", line.text.lower()), round(line.top / 4)

    pages_with = Counter()
    for page, lines, _, _ in page_lines:
        pages_with.update({key(line) for line in lines if in_margin(page, line)})
    n_pages = len(page_lines)
    repeated = {text for text, count in pages_with.items() if n_pages >= 2 and count >= max(2, ceil(n_pages / 2))}
    dropped_repeats: dict[str, str] = {}
    dropped_numbers = 0
    kept = []
    for page, lines, boxes, tables in page_lines:
        keep = []
        for line in lines:
            if in_margin(page, line) and _PAGE_NUMBER.match(line.text.strip()):
                dropped_numbers += 1
            elif in_margin(page, line) and key(line) in repeated:
                dropped_repeats.setdefault(key(line), line.text)
            else:
                keep.append(line)
        kept.append((page, keep, boxes, tables))
    for text in dict.fromkeys(dropped_repeats.values()):
        notes.append(f"Left out “{text}”, repeated at the top or bottom of the pages.")
    if dropped_numbers:
        notes.append("Left out the page numbers.")
    return kept


# ---------------------------------------------------------------------------
# Reading order
# ---------------------------------------------------------------------------


def _reading_order(lines: list[_Line], boxes, tables) -> list[_Region]:
    atoms = [_Atom(*bbox, [], is_box=True, table=table) for bbox, table in tables]
    inside = defaultdict(list)
    for line in lines:
        if line.container is None:
            atoms.append(_Atom(line.x0, line.top, line.x1, line.bottom, [line], is_box=False))
        else:
            inside[line.container].append(line)
    for container, its_lines in inside.items():
        x0, top, x1, bottom = boxes[container]
        atoms.append(_Atom(x0, top, x1, bottom, _top_to_bottom(its_lines), is_box=True))
    return _order(atoms)


def _top_to_bottom(lines):
    return sorted(lines, key=lambda line: (round(line.top), line.x0))


def _order(atoms: list[_Atom]) -> list[_Region]:
    """The regions of ``atoms`` in reading order.

    The atoms are cut into strips (atoms that overlap vertically). A strip of
    boxes is read left to right; runs of strips that keep a gutter free of
    text are read column by column; the rest top to bottom.
    """
    regions: list[_Region] = []
    flow: list[_Line] = []

    def flush():
        if flow:
            regions.append(_Region(list(flow), boxed=False))
            flow.clear()

    for group in _groups(_strips(atoms)):
        cuts = _gutters(group) if len(_strips(group)) > 1 or any(atom.is_box for atom in group) else []
        if not cuts:
            for atom in sorted(group, key=lambda atom: (atom.top, atom.x0)):
                if atom.table is not None:
                    flush()
                    regions.append(_Region([], boxed=False, table=atom.table))
                elif atom.is_box:
                    flush()
                    regions.append(_Region(atom.lines, boxed=True))
                else:
                    flow.extend(atom.lines)
            continue
        flush()
        for column in _columns(group, cuts):
            inner = _order(column)
            if all(not region.boxed and region.table is None for region in inner):
                regions.append(_Region([line for region in inner for line in region.lines], boxed=True))
            else:
                regions += inner
    flush()
    return regions


def _strips(atoms):
    strips: list[list[_Atom]] = []
    bottom = None
    for atom in sorted(atoms, key=lambda atom: atom.top):
        if strips and atom.top < bottom - 1:
            strips[-1].append(atom)
            bottom = max(bottom, atom.bottom)
        else:
            strips.append([atom])
            bottom = atom.bottom
    return strips


def _groups(strips):
    """Consecutive strips that share a gutter, as one group; a strip of boxes alone."""
    groups: list[list[_Atom]] = []
    for strip in strips:
        all_boxes = all(atom.is_box for atom in strip)
        if groups and not all_boxes and not all(atom.is_box for atom in groups[-1]):
            last = groups[-1]
            merged = last + strip
            if _gutters(merged) or (not _gutters(last) and not _gutters(strip)):
                groups[-1] = merged
                continue
        groups.append(list(strip))
    return groups


def _gutters(atoms) -> list[float]:
    """The x positions of vertical gaps, at least a letter wide, that no atom crosses."""
    if len(atoms) < 2:
        return []
    spans = sorted((atom.x0, atom.x1) for atom in atoms)
    gap_needed = 6
    cuts = []
    reach = spans[0][1]
    for x0, x1 in spans[1:]:
        if x0 - reach >= gap_needed:
            cuts.append((reach + x0) / 2)
        reach = max(reach, x1)
    return cuts


def _columns(atoms, cuts):
    columns = [[] for _ in range(len(cuts) + 1)]
    for atom in atoms:
        columns[sum(1 for cut in cuts if atom.x0 > cut)].append(atom)
    return [column for column in columns if column]


# ---------------------------------------------------------------------------
# Lines into blocks
# ---------------------------------------------------------------------------


def _blocks(regions: list[_Region], all_lines: list[_Line]) -> list[Block]:
    sizes = Counter()
    for line in all_lines:
        for word in line.words:
            sizes[round(word["size"] * 2) / 2] += len(word["text"])
    body_size = sizes.most_common(1)[0][0] if sizes else 0
    heading_sizes = sorted({size for size in sizes if size >= body_size * HEADING_RATIO}, reverse=True)
    builder = _Builder(body_size, {size: level for level, size in enumerate(heading_sizes, start=1)})
    builder.line_gap = _usual_line_gap(regions)
    box = 0
    for region in regions:
        if region.table is not None:
            builder.blocks.append(region.table)
            continue
        number = None
        if region.boxed:
            box += 1
            number = box
        _region_blocks(builder, region.lines, number)
    return _joined_over_pages(builder.blocks)


def _joined_over_pages(blocks: list[Block]) -> list[Block]:
    """A paragraph or list item that runs on to the next page, joined: the
    block before the page break does not end a sentence and the one after
    starts in lower case."""
    joined: list[Block] = []
    for block in blocks:
        last = joined[-1] if joined else None
        if (
            last is not None
            and block.kind == PARAGRAPH
            and last.kind in (PARAGRAPH, ITEM)
            and last.box is None
            and block.box is None
            and last.page is not None
            and block.page == last.page + 1
            and block.bold == last.bold
            and not re.search(r"[.!?:;)\]\"”’]$", last.text)
            and block.text[:1].islower()
        ):
            last.text = joined_lines([last.text, block.text])
            continue
        joined.append(block)
    return joined


def _wrapped(line: _Line, lines: list[_Line]) -> bool:
    """Whether ``line`` reaches (nearly) as far right as the widest line of its page in ``lines``."""
    same_page = [other for other in lines if other.page == line.page]
    left = min(other.x0 for other in same_page)
    right = max(other.x1 for other in same_page)
    return line.x1 >= left + 0.75 * (right - left)


def _usual_line_gap(regions: list[_Region]) -> float:
    """The most common space between two lines of one paragraph: a document set with
    double line spacing has wide gaps between lines that are no paragraph breaks."""
    gaps = Counter()
    for region in regions:
        for above, below in zip(region.lines, region.lines[1:], strict=False):
            gap = below.top - above.bottom
            # Only after a line that was wrapped (it reaches the right edge), so the next one goes on.
            if (
                _wrapped(above, region.lines)
                and above.page == below.page
                and above.size == below.size
                and 0 <= gap < 2 * (above.bottom - above.top)
            ):
                gaps[round(gap * 2) / 2] += 1
    return gaps.most_common(1)[0][0] if gaps else 0.0


def _region_blocks(builder: _Builder, lines: list[_Line], box: int | None) -> None:
    current: Block | None = None
    parts: list[str] = []
    previous: _Line | None = None
    text_x0 = 0.0  # where the text of the current list item starts
    marker_x0s: list[float] = []

    def finish():
        nonlocal current
        if current is not None:
            current.text = joined_lines(parts)
            if current.text:
                builder.blocks.append(current)
        current = None
        parts.clear()

    for line in lines:
        text = line.text
        heading_level = builder.heading_levels.get(line.size)
        marker, rest, rest_x0 = _marker(line)
        gap = line.top - previous.bottom if previous is not None else 0
        height = line.bottom - line.top
        same_flow = (
            current is not None
            and previous is not None
            and previous.page == line.page
            and -height < gap <= max(0.6 * height, builder.line_gap + 0.3 * height)
        )
        if heading_level:
            if current is not None and current.kind == HEADING and current.level == heading_level and same_flow:
                parts.append(text)
            else:
                finish()
                current = Block(HEADING, level=heading_level, page=line.page, box=box)
                parts.append(text)
        elif marker:
            finish()
            depth_x = line.x0
            marker_x0s = [x for x in marker_x0s if x < depth_x - 3] + [depth_x]
            current = Block(ITEM, marker=marker, level=len(marker_x0s) - 1, page=line.page, box=box)
            parts.append(rest)
            text_x0 = rest_x0
        elif (
            current is not None
            and current.kind == ITEM
            and same_flow
            and line.x0 >= text_x0 - 2
            and line.bold == previous.bold
        ) or (
            current is not None
            and current.kind == PARAGRAPH
            and same_flow
            and line.bold == current.bold
            and line.size == previous.size
            # A short line ending a sentence ends its paragraph, even with no space after it.
            and not (previous.text.rstrip().endswith((".", "!", "?", ":")) and not _wrapped(previous, lines))
        ):
            parts.append(text)
        else:
            finish()
            marker_x0s = []
            current = Block(PARAGRAPH, bold=line.bold, page=line.page, box=box)
            parts.append(text)
        previous = line
    finish()


def _marker(line: _Line):
    """A list item's marker, its text without it, and where that text starts."""
    if line.marker:
        return line.marker, line.text, line.x0
    first = line.words[0]["text"]
    if first in BULLETS and len(line.words) > 1:
        return first, " ".join(word["text"] for word in line.words[1:]), line.words[1]["x0"]
    if first[:1] in BULLETS - {"-", "–", "—", "*"} and len(first) > 1 and first[1].isalnum():
        return first[0], line.text[1:].lstrip(), line.words[0]["x0"] + 1
    match = NUMBER_MARKER.match(line.text)
    if match and not line.bold:
        rest = line.text[match.end() :]
        rest_x0 = line.words[1]["x0"] if len(line.words) > 1 else line.x0
        return match.group(1), rest, rest_x0
    return "", line.text, line.x0

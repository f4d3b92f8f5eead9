"""A web page saved from a partnership's site, read into blocks with lxml.

Only the page's main content is read: the ``<main>`` element, else the
element with ``role="main"``, else the one ``<article>``, else the page's
body. Left out wherever they are: navigation, the site's header and footer
(a ``<header>`` inside the main content is kept: it often holds the title),
side panels, scripts, styles, forms (site search), hidden elements, and the
parts of a page that are the site's rather than the briefing's, found by
their class, id or label: cookie banners, skip links, breadcrumbs, "share
this page", related links.

In the main content, in order: ``<h1>``-``<h6>`` are headings; ``<p>`` (and
text loose in a ``<div>``) paragraphs, marked bold when every word is in
``<strong>`` or ``<b>``; ``<li>`` list items, their marker as the page
numbers them ("1.", "c.", "iv.") or "•"; ``<table>`` a table (its ``<thead>``
rows, or leading rows of ``<th>`` cells, its header); a ``<dt>`` a bold
paragraph. A single ``<br>`` inside a paragraph is read as a space (a copy
from a page wraps lines the same way); two in a row end the paragraph.
"""

from __future__ import annotations

import codecs
import re

import lxml.html
from lxml import etree

from ..decoding import BriefingFileError
from ..document import HEADING, ITEM, PARAGRAPH, TABLE, Block, Document
from .common import refuse_empty, roman_numeral, squeezed, title_or_nothing

_DROPPED_TAGS = {
    "head": None,  # the page's <title> is read as its title, not as content
    "title": None,
    "script": None,
    "style": None,
    "noscript": None,
    "template": None,
    "svg": None,
    "iframe": None,
    "object": None,
    "canvas": None,
    "button": None,
    "select": None,
    "textarea": None,
    "input": None,
    "form": "a form (such as the site search)",
    "nav": "the navigation",
    "aside": "side panels",
}
_SITE_PARTS = [
    (re.compile(r"cookie|consent|gdpr", re.I), "the cookie banner"),
    (re.compile(r"skip[-_ ]?(link|to|nav|main)|skiplink", re.I), "skip links"),
    (re.compile(r"breadcrumb", re.I), "breadcrumbs"),
    (re.compile(r"\bshare|social|addthis|sharethis", re.I), "“share this page” links"),
    (re.compile(r"\b(related|see-also|newsletter|feedback|back-to-top|print-page|page-rating)", re.I), "related links"),
    (re.compile(r"\b(site-search|search-form|searchbox)", re.I), "a form (such as the site search)"),
]
_ROLES = {
    "navigation": "the navigation",
    "banner": "the site's header",
    "contentinfo": "the site's footer",
    "complementary": "side panels",
    "search": "a form (such as the site search)",
}
_BLOCK_TAGS = {
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "ul",
    "center",
    "tbody",
    "thead",
    "tfoot",
    "tr",
}
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_SITE_NAME = re.compile(r"partnership|board|council|safeguarding|\bnhs\b|\btrust\b|\.gov|\.org|\.co\.uk", re.I)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([a-z0-9_-]+)""", re.I)


def read_html(name: str, data: bytes) -> Document:
    try:
        root = lxml.html.document_fromstring(_decoded(data))
    except (etree.ParserError, ValueError) as error:
        raise BriefingFileError(
            f"“{name}” cannot be read as a web page. Open it in a browser, choose 'Save page as' and "
            "'Web page, HTML only', and upload the new copy."
        ) from error
    title = _page_title(root)
    main, where = _main_content(root)
    left_out = _strip_site_parts(main)
    reader = _Walker()
    reader.container(main)
    notes = [f"Read the page's main content ({where}); what is around it, such as the site's navigation, was left out."]
    if left_out:
        notes.append("Left out " + _listed(left_out) + ".")
    document = Document(blocks=reader.blocks, title=title_or_nothing(title, name), notes=notes)
    return refuse_empty(document, name, "the page's main content holds no words.")


def _decoded(data: bytes) -> str:
    """The page's text: UTF-8 unless a byte order mark or the page's own
    ``<meta charset>`` says otherwise; Windows-1252 for old pages that say nothing."""
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    match = _CHARSET.search(data[:4096])
    if match:
        try:
            return data.decode(match.group(1).decode("ascii"), errors="replace")
        except LookupError:
            pass
    return data.decode("cp1252", errors="replace")


def _page_title(root) -> str:
    """<title> without the site's name after it ("Learning from Child W | Test Partnership")."""
    element = root.find(".//title")
    title = squeezed(element.text_content()) if element is not None else ""
    if not title:
        meta = root.xpath("//meta[@property='og:title']/@content")
        title = squeezed(meta[0]) if meta else ""
    if " | " in title:
        title = title.split(" | ")[0]
    parts = re.split(r"\s[-–—]\s", title)
    if len(parts) > 1 and _SITE_NAME.search(parts[-1]):
        title = title[: title.rfind(parts[-1])].rstrip(" -–—")
    return title.strip()


def _main_content(root):
    for xpath, where in (
        ("//main", "<main>"),
        ("//*[@role='main']", "the part marked as main"),
        ("//article", "<article>"),
        ("//*[@id='content' or @id='main-content' or @id='maincontent']", "the page's content"),
    ):
        found = [element for element in root.xpath(xpath) if squeezed(element.text_content())]
        if len(found) == 1:
            return found[0], where
    body = root.find("body")
    return (body if body is not None else root), "the page's body, without its header, footer and navigation"


def _strip_site_parts(main) -> list[str]:
    """Remove from ``main`` what belongs to the site, not the briefing; return what was removed."""
    removed: list[str] = []
    for element in list(main.iter()):
        if not isinstance(element.tag, str) or element is main or element.getparent() is None:
            continue
        if _is_inside_removed(element, main):
            continue
        reason = _site_part(element, main)
        if reason is not False:
            if reason and reason not in removed:
                removed.append(reason)
            element.drop_tree()
    return removed


def _is_inside_removed(element, main) -> bool:
    node = element
    while node is not None and node is not main:
        node = node.getparent()
    return node is None


def _site_part(element, main):
    """Why ``element`` is the site's (a reason, or None for scripts and the like), or False."""
    tag = element.tag.lower() if isinstance(element.tag, str) else ""
    if tag in _DROPPED_TAGS:
        return _DROPPED_TAGS[tag]
    if tag in ("header", "footer") and not _inside_article(element, main):
        return "the site's header" if tag == "header" else "the site's footer"
    role = (element.get("role") or "").lower()
    if role in _ROLES:
        return _ROLES[role]
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return None
    if re.search(r"display\s*:\s*none|visibility\s*:\s*hidden", element.get("style") or "", re.I):
        return None
    label = " ".join(filter(None, (element.get("class"), element.get("id"), element.get("aria-label"))))
    if label and tag not in _HEADINGS:
        for pattern, reason in _SITE_PARTS:
            if pattern.search(label):
                return reason
    own_text = element.text or ""
    if tag in ("div", "p", "section") and re.match(r"^\s*share (this|on)\b", own_text, re.I):  # noqa: SIM102
        if len(squeezed(element.text_content())) < 120:
            return "“share this page” links"
    return False


def _inside_article(element, main) -> bool:
    """A <header> or <footer> inside the main content's <article>, or inside <main> itself."""
    node = element.getparent()
    while node is not None:
        if node.tag in ("article", "main") or node.get("role") == "main":
            return True
        if node is main:
            return main.tag in ("article", "main") or main.get("role") == "main"
        node = node.getparent()
    return False


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


class _Walker:
    def __init__(self):
        self.blocks: list[Block] = []
        self.depth = -1  # the depth of the list being read

    def container(self, element) -> None:
        """Read an element holding blocks, gathering loose text and inline elements into paragraphs."""
        pieces: list[tuple[str, bool]] = []  # (text, in bold)

        def flush():
            self.paragraph_from(pieces)
            pieces.clear()

        if element.text:
            pieces.append((element.text, False))
        for child in element.iterchildren():
            if not isinstance(child.tag, str):
                if child.tail:
                    pieces.append((child.tail, False))
                continue
            tag = child.tag.lower()
            if tag in _BLOCK_TAGS:
                flush()
                self.block(child, tag)
            elif tag == "br":
                if pieces and pieces[-1] == ("\n", False):
                    flush()
                else:
                    pieces.append(("\n", False))
            else:
                pieces += _inline_pieces(child, bold=False)
            if child.tail:
                pieces.append((child.tail, False))
        flush()

    def paragraph_from(self, pieces, bold_tag=False) -> None:
        text = squeezed("".join(text for text, _ in pieces))
        if not text:
            return
        bold = bold_tag or all(bold for piece, bold in pieces if piece.strip())
        self.blocks.append(Block(PARAGRAPH, text=text, bold=bold))

    def block(self, element, tag: str) -> None:
        if tag in _HEADINGS:
            text = squeezed(element.text_content())
            if text:
                self.blocks.append(Block(HEADING, text=text, level=_HEADINGS[tag]))
        elif tag in ("ul", "ol"):
            self.list(element, tag)
        elif tag == "table":
            self.table(element)
        elif tag == "dt":
            self.paragraph_from([(element.text_content(), True)], bold_tag=True)
        elif tag == "hr":
            return
        elif tag == "li":  # a list item outside a list
            self.item(element, "•")
        else:
            self.container(element)

    def list(self, element, tag: str) -> None:
        self.depth += 1
        number = _int(element.get("start"), 1)
        style = element.get("type") or "1"
        for child in element.iterchildren():
            if not isinstance(child.tag, str):
                continue
            if child.tag.lower() == "li":
                number = _int(child.get("value"), number)
                marker = f"{_numbered(number, style)}." if tag == "ol" else "•"
                self.item(child, marker)
                number += 1
            elif child.tag.lower() in _BLOCK_TAGS:
                self.block(child, child.tag.lower())
        self.depth -= 1

    def item(self, li, marker: str) -> None:
        pieces: list[tuple[str, bool]] = []
        nested = []
        if li.text:
            pieces.append((li.text, False))
        for child in li.iterchildren():
            if isinstance(child.tag, str) and child.tag.lower() in ("ul", "ol", "table"):
                nested.append(child)
            elif isinstance(child.tag, str) and child.tag.lower() in _BLOCK_TAGS:
                pieces.append((" ", False))
                pieces += _inline_pieces(child, bold=False)
                pieces.append((" ", False))
            elif isinstance(child.tag, str):
                pieces += _inline_pieces(child, bold=False)
            if child.tail:
                pieces.append((child.tail, False))
        text = squeezed("".join(text for text, _ in pieces))
        if text:
            self.blocks.append(Block(ITEM, text=text, marker=marker, level=max(self.depth, 0)))
        for child in nested:
            self.block(child, child.tag.lower())

    def table(self, table) -> None:
        rows: list[list[str]] = []
        header_rows = 0
        in_head = True
        for tr in table.iter("tr"):
            if tr.getparent() is not table and _closest_table(tr) is not table:
                continue  # a row of a table inside this one
            cells = [child for child in tr.iterchildren() if isinstance(child.tag, str) and child.tag in ("td", "th")]
            texts = [squeezed(cell.text_content()) for cell in cells]
            if not any(texts):
                continue
            is_head = tr.getparent().tag == "thead" or all(cell.tag == "th" for cell in cells)
            if in_head and is_head:
                header_rows += 1
            else:
                in_head = False
            rows.append(texts)
        if not rows:
            return
        if all(len(row) == 1 for row in rows) and any(_has_blocks(cell) for cell in table.iter("td", "th")):
            # A table used to lay out the page: read what is in it.
            for cell in table.iter("td", "th"):
                if _closest_table(cell) is table:
                    self.container(cell)
            return
        self.blocks.append(Block(TABLE, rows=rows, header_rows=header_rows))


def _inline_pieces(element, bold: bool) -> list[tuple[str, bool]]:
    """The text of an inline element, each piece with whether it is in bold."""
    tag = element.tag.lower() if isinstance(element.tag, str) else ""
    if tag == "br":
        return [(" ", bold)]
    if tag in ("img", "wbr"):
        return []
    bold = (
        bold
        or tag in ("b", "strong")
        or bool(re.search(r"font-weight\s*:\s*(bold|[6-9]00)", element.get("style") or ""))
    )
    pieces = []
    if element.text:
        pieces.append((element.text, bold))
    for child in element.iterchildren():
        if isinstance(child.tag, str):
            pieces += _inline_pieces(child, bold)
        if child.tail:
            pieces.append((child.tail, bold))
    return pieces


def _closest_table(element):
    node = element.getparent()
    while node is not None and node.tag != "table":
        node = node.getparent()
    return node


def _has_blocks(cell) -> bool:
    return (
        any(isinstance(child.tag, str) and child.tag in _HEADINGS for child in cell.iter())
        or len(cell.findall(".//p")) > 1
    )


def _int(value, default: int) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default


def _numbered(number: int, style: str) -> str:
    if style in ("a", "A"):
        letters = ""
        n = number
        while n > 0:
            n, remainder = divmod(n - 1, 26)
            letters = chr(ord("a") + remainder) + letters
        return letters.upper() if style == "A" else letters
    if style in ("i", "I"):
        roman = roman_numeral(number)
        return roman.upper() if style == "I" else roman
    return str(number)

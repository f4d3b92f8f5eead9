"""The one place where stored text becomes HTML.

Content is Markdown written by board staff or copied from briefings. It is
rendered with Python-Markdown and then sanitised with nh3 (an allow-list HTML
sanitiser), so a ``<script>``, a ``javascript:`` link or an ``onclick`` in the
content renders inert. Nothing else in the project may mark content as safe.

Then the glossary's abbreviations (reviews/glossary.py) are expanded where they
are first used: ``<abbr title="Serious Case Review">SCR</abbr>``. Only the
sanitised HTML's text is looked at, never inside a link, code or an existing
``<abbr>``, and nothing is added to the text itself, so a verbatim entry stays
word for word. Within a page (``abbreviations_once_per_page``, which
``reviews.middleware.AbbreviationsOncePerPageMiddleware`` opens for each
request) only an abbreviation's first use on the page is expanded; outside one,
its first use in each text.
"""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

# What Markdown content may produce: text structure, emphasis, lists, links,
# simple tables. No images (no tracking pixels), no raw layout elements.
ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "u", "code", "blockquote",
    "ul", "ol", "li", "a", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td", "abbr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}, "ol": {"start"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}

# Search highlights: plain text with the matched words marked, nothing else.
HIGHLIGHT_TAGS = {"mark"}


_converters = threading.local()


def _converter() -> markdown_lib.Markdown:
    """This thread's Markdown converter, made once: making one (loading its extensions and registering
    their processors) cost more than converting an entry (a theme page converts hundreds)."""
    converter = getattr(_converters, "markdown", None)
    if converter is None:
        converter = _converters.markdown = markdown_lib.Markdown(
            extensions=["sane_lists", "tables"], output_format="html"
        )
    return converter


def render_markdown(text: str) -> SafeString:
    """Render Markdown to sanitised HTML, safe to put in a template, abbreviations expanded at first use."""
    if not text:
        return mark_safe("")
    return mark_safe(_with_abbreviations(_rendered(text), _page_abbreviations.get()))


# The HTML depends on nothing but the text (and this code), so each process keeps the most recent
# texts' HTML: a page built again after an edit elsewhere converts only what changed. A theme page
# shows a few hundred texts; 8,192 of a few hundred bytes each is a few megabytes.
@lru_cache(maxsize=8192)
def _rendered(text: str) -> str:
    # reset(): no state of the previous text (references, footnotes) carries over, as with a new converter.
    rendered = _converter().reset().convert(text)
    cleaned = nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        # Dropped elements lose their content too, so no script text leaks into the page.
        clean_content_tags={"script", "style"},
    )
    return cleaned


# The abbreviations already expanded on the page being rendered (None: no page, so each text's first use).
_page_abbreviations: ContextVar[set[str] | None] = ContextVar("kb_page_abbreviations", default=None)


@contextmanager
def abbreviations_once_per_page() -> Iterator[None]:
    """Within this block (one request's page), expand each abbreviation at its first use only."""
    token = _page_abbreviations.set(set())
    try:
        yield
    finally:
        _page_abbreviations.reset(token)


@lru_cache(maxsize=1)
def _abbreviations() -> tuple[re.Pattern, dict[str, str]]:
    """The glossary's abbreviations as one pattern (longest first) and {abbreviation: expansion}.

    As the briefings write them (case matters: "SMART", not "smart"), as whole words, or
    followed by a plural "s" ("GPs": the abbreviation is "GP")."""
    from .glossary import TERMS

    expansions = {term.term: term.expansion for term in TERMS if term.expansion}
    alternatives = "|".join(re.escape(term) for term in sorted(expansions, key=len, reverse=True))
    return re.compile(rf"(?<![\w&#])({alternatives})(?=s?(?!\w))"), expansions


# A tag of the sanitised HTML, quoted attribute values (which may hold ">") included.
_HTML_TAG = re.compile(r"""<(/?)([a-zA-Z0-9]+)(?:[^>"']|"[^"]*"|'[^']*')*>""")
# Text inside these is never expanded: a link's words are its own, code is literal, an abbr is expanded already.
_NOT_EXPANDED_IN = {"a", "code", "abbr"}


@lru_cache(maxsize=8192)
def _abbreviation_sites(rendered: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, abbreviation) of each abbreviation's first use in the text of this HTML, in order."""
    pattern, _expansions = _abbreviations()
    sites = []
    found = set()
    inside = 0  # how many elements whose text is not expanded are open here
    position = 0
    for tag in [*_HTML_TAG.finditer(rendered), None]:
        end = tag.start() if tag else len(rendered)
        if not inside:
            for match in pattern.finditer(rendered, position, end):
                if match.group(1) not in found:
                    found.add(match.group(1))
                    sites.append((match.start(1), match.end(1), match.group(1)))
        if tag is None:
            break
        if tag.group(2).lower() in _NOT_EXPANDED_IN:
            inside += -1 if tag.group(1) else 1
            inside = max(inside, 0)
        position = tag.end()
    return tuple(sites)


def _with_abbreviations(rendered: str, seen: set[str] | None) -> str:
    """The HTML with each abbreviation's first use wrapped in <abbr title="its expansion">.

    ``seen``: the abbreviations already expanded on this page (updated here), or None for a text on its own.
    """
    sites = _abbreviation_sites(rendered)
    if not sites:
        return rendered
    _pattern, expansions = _abbreviations()
    parts = []
    position = 0
    for start, end, abbreviation in sites:
        if seen is not None:
            if abbreviation in seen:
                continue
            seen.add(abbreviation)
        title = html.escape(expansions[abbreviation], quote=True)
        parts += [rendered[position:start], f'<abbr title="{title}">', rendered[start:end], "</abbr>"]
        position = end
    parts.append(rendered[position:])
    return "".join(parts)


def sanitise_highlight(fragment: str) -> SafeString:
    """Sanitise a search snippet in which the database marked matches with <mark>.

    The snippet comes from stored content, so anything but ``<mark>`` is
    escaped or removed.
    """
    cleaned = nh3.clean(fragment or "", tags=HIGHLIGHT_TAGS, attributes={}, clean_content_tags={"script", "style"})
    return mark_safe(cleaned)


_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")
_MD_LINE_PREFIX = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)", re.MULTILINE)
_TAG = re.compile(r"<[^>]+>")
_WHITESPACE = re.compile(r"\s+")


def strip_markdown(text: str) -> str:
    """Plain text of Markdown content, whitespace normalised.

    Used to index content for search and to check that fixture texts are
    found word for word in their source briefing.
    """
    if not text:
        return ""
    plain = _MD_LINK.sub(r"\1", text)
    plain = _MD_LINE_PREFIX.sub("", plain)
    previous = None
    while previous != plain:
        previous, plain = plain, _MD_EMPHASIS.sub(r"\2", plain)
    plain = html.unescape(_TAG.sub("", plain))
    return _WHITESPACE.sub(" ", plain).strip()


@lru_cache(maxsize=8192)
def first_words(text: str, count: int = 8) -> str:
    """The first ``count`` words of a Markdown text, as plain text, with " …" after them when there are
    more: how an entry's tools name it to a screen reader. Kept like the rendering (``_rendered``): a
    page names every entry it lists."""
    return Truncator(strip_markdown(text)).words(count, truncate=" …")

"""The one place where stored text becomes HTML.

Content is Markdown written by board staff or copied from briefings. It is
rendered with Python-Markdown and then sanitised with nh3 (an allow-list HTML
sanitiser), so a ``<script>``, a ``javascript:`` link or an ``onclick`` in the
content renders inert. Nothing else in the project may mark content as safe.
"""

from __future__ import annotations

import html
import re
import threading
from functools import lru_cache

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

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
    """Render Markdown to sanitised HTML, safe to put in a template."""
    if not text:
        return mark_safe("")
    return mark_safe(_rendered(text))


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

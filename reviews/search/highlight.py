"""Turning database highlights into safe HTML.

``ts_headline`` and FTS5's ``snippet()``/``highlight()`` return the stored
text as it is, with matches wrapped in the markers we asked for: any ``<``
in the content would reach the page unescaped. So the markers are
private-use characters that the indexer strips from content, the whole
fragment is HTML-escaped, the markers become ``<mark>``, and the result goes
through ``reviews.markdown.sanitise_highlight`` (only ``<mark>`` survives).
"""

from __future__ import annotations

import html
import re

from django.utils.safestring import SafeString

from ..markdown import sanitise_highlight
from .indexing import HIGHLIGHT_START, HIGHLIGHT_STOP

_ADJACENT = re.compile(r"</mark>([ \-‐–’']{1,3})<mark>")
_MARKED = re.compile(r"<mark>(.*?)</mark>", re.DOTALL)
_WORD = re.compile(r"[^\W_]+")


def highlighted(fragment: str | None) -> SafeString:
    """Safe HTML for a fragment whose matches the database marked."""
    escaped = html.escape(fragment or "", quote=False)
    if HIGHLIGHT_START not in escaped:
        # Escaped text with no marks has no tags: nothing for the sanitiser to do.
        return SafeString(escaped.replace(HIGHLIGHT_STOP, ""))
    marked = escaped.replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_STOP, "</mark>")
    # Neighbouring matches ("safe sleep", "co-sleeping") read better as one highlight.
    marked = _ADJACENT.sub(r"\1", marked)
    return sanitise_highlight(marked)


def marked_words(html: str) -> set[str]:
    """The words (lower case) inside the marks of a highlighted fragment."""
    return {word.lower() for fragment in _MARKED.findall(str(html)) for word in _WORD.findall(fragment)}

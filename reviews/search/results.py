"""One search result as the page shows it: a title that tells it apart, the
briefing heading it sits under, a snippet, and why it matched.

Titles and snippets come highlighted from the backend (``Highlights``). An
item is titled by the start of its text, so a snippet that only repeats the
title is dropped. When neither shows the words that matched, the result
names the values it matched through, from its column of separate values
(``labels.py``): "theme Multi-agency working, also known as *Interagency
Working*", "tag *co-sleeping*". A theme shows its aliases, the matched ones
marked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

from ..models import Partnership, Review, SearchEntry, Theme
from .backends.base import Compiled, Highlights
from .highlight import highlighted, marked_words
from .indexing import HIGHLIGHT_START, HIGHLIGHT_STOP
from .labels import Label, decode

Kind = SearchEntry.Kind
MAX_THEMES_SHOWN = 5
# At most this many of the values a result matched through are named ("Why it was found: theme ...").
MAX_MATCHED_SHOWN = 3
# The index text stays in the database: the page shows the highlights.
ENTRY_TEXT = ("text_a", "text_b", "text_c", "text_d", "search_vector")
_MARK_TAG = re.compile(r"</?mark>")


@dataclass
class Result:
    """One result as the page shows it.

    ``subtitle``: a short detail line (a theme's other names, an item's kind
    or owner); ``section``: the briefing heading an item sits under;
    ``matched``: the themes, aliases, tags and the like it matched through,
    when the title and snippet do not already show those words.
    """

    entry: SearchEntry
    title: SafeString
    snippet: SafeString
    themes: list[Theme]
    more_themes: int = 0
    subtitle: SafeString = field(default_factory=lambda: SafeString(""))
    section: SafeString = field(default_factory=lambda: SafeString(""))
    matched: list[SafeString] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return self.entry.get_kind_display()

    @property
    def is_draft(self) -> bool:
        return not self.entry.is_published

    @property
    def url(self) -> str:
        return self.entry.url

    @property
    def snippet_is_editorial(self) -> bool:
        """The snippet is the knowledge base's own description, not a briefing's words:
        every theme summary, and a review summary not quoted from a source."""
        if self.entry.kind == Kind.THEME:
            return True
        if self.entry.kind == Kind.REVIEW and self.entry.review is not None:
            return self.entry.review.summary_source_id is None
        return False

    @property
    def review(self) -> Review | None:
        # A review's own entry does not need to name itself.
        return self.entry.review if self.entry.kind != Kind.REVIEW else None

    @property
    def partnership(self) -> Partnership | None:
        return self.entry.partnership


def _matched_values(values: list[tuple[Label, str]], shown: set[str]) -> list[SafeString]:
    """The values that have matches, described ("theme Multi-agency working, also known as
    <mark>Interagency Working</mark>"), unless the title and snippet already show those words.
    A theme is named once: by its name if that matched, else by its first alias that did."""
    found: list[SafeString] = []
    theme_name, theme_named = "", False
    for label, value in values:
        if label is Label.THEME:
            theme_name, theme_named = value.replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_STOP, ""), False
        if HIGHLIGHT_START not in value:
            continue  # Nothing matched in it (and a review may have dozens).
        html = highlighted(value)
        words = marked_words(html)
        if not words or words <= shown or (label is Label.ALIAS and theme_named):
            continue
        if label is Label.ALIAS and theme_name:
            description = conditional_escape(f"theme {theme_name}, also known as ")
        else:
            description = conditional_escape(f"{label.description} " if label.description else "")
        theme_named = theme_named or label in (Label.THEME, Label.ALIAS)
        found.append(SafeString(description + html))
    return list(dict.fromkeys(found))[:MAX_MATCHED_SHOWN]


def _result(entry: SearchEntry, found: Highlights) -> Result:
    title = highlighted(found.title or entry.title)
    snippet = highlighted(found.snippet)
    subtitle, section, matched = conditional_escape(entry.subtitle), SafeString(""), []
    if entry.kind == Kind.THEME:
        aliases = [highlighted(value) for label, value in decode(found.values) if label is Label.ALIAS]
        subtitle = SafeString("Also known as: " + "; ".join(aliases)) if aliases else SafeString("")
    else:
        if entry.kind != Kind.REVIEW:
            # The heading it sits under; in a table, its row's and its column's ("Transition Issues › Good Practice").
            headings = [value for label, value in decode(found.heading) if label is Label.HEADING]
            section = SafeString(" › ".join(highlighted(heading) for heading in headings[-2:]))
            # An item's title is the start of its text: a snippet that only repeats it goes.
            if not marked_words(snippet) or _plain_text(snippet).strip(" …") in _plain_text(title):
                snippet = SafeString("")
        if HIGHLIGHT_START in (found.values or ""):
            shown = marked_words(title) | marked_words(snippet) | marked_words(section)
            matched = _matched_values(decode(found.values), shown)
    # A theme's own entry is filed under itself: not worth saying.
    own = entry.object_id if entry.kind == Kind.THEME else None
    themes = sorted((theme for theme in entry.themes.all() if theme.pk != own), key=lambda theme: theme.name.lower())
    return Result(
        entry=entry,
        title=title,
        snippet=snippet,
        themes=themes[:MAX_THEMES_SHOWN],
        more_themes=max(len(themes) - MAX_THEMES_SHOWN, 0),
        subtitle=subtitle,
        section=section,
        matched=matched,
    )


def load_results(backend, compiled: Compiled, ids: list[int]) -> list[Result]:
    """The page's results in rank order: highlights for the shown page only, then its
    entries with their reviews, partnerships and themes (three queries)."""
    highlights = backend.highlights(compiled, ids)
    entries = (
        SearchEntry.objects.filter(pk__in=ids)
        .select_related("review", "partnership")
        .prefetch_related("themes")
        .defer(*ENTRY_TEXT, "review__summary")
    )
    by_id = {entry.pk: entry for entry in entries}
    return [
        _result(by_id[pk], highlights.get(pk) or Highlights(title=by_id[pk].title))
        for pk in ids
        if pk in by_id  # Not deleted between ranking and loading.
    ]


def _plain_text(html: SafeString) -> str:
    """A highlighted fragment without its marks (the only tags it has), still escaped."""
    return " ".join(_MARK_TAG.sub("", str(html)).split())

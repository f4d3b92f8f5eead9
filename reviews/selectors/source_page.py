"""The source page: a briefing's original text, passage by passage, with what was drawn from each."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..markdown import strip_markdown
from ..models import Action, CaseFact, Collection, Recommendation, Review, Source
from .common import review_order, visible_points


@dataclass
class Passage:
    """One passage of a source's original text (text between blank lines), as received."""

    number: int
    text: str
    items: list = field(default_factory=list)  # entries whose wording comes from this passage
    excluded: list[dict] = field(default_factory=list)  # deliberately left out, with the reason
    markdown: str = ""  # the text to render on the page (``passage_markdown``)

    @property
    def anchor(self) -> str:
        return f"passage-{self.number}"


@dataclass
class SourcePage:
    """Everything the source page shows."""

    source: Source
    passages: list[Passage]
    unplaced: list  # entries whose wording could not be found in a single passage
    unplaced_exclusions: list[dict]
    reviews: list[Review]
    collections: list[Collection]
    resources: list
    aliases: list

    @property
    def item_count(self) -> int:
        return sum(len(passage.items) for passage in self.passages) + len(self.unplaced)


_BLANK_LINES = re.compile(r"\n[ \t]*\n")


def split_passages(text: str) -> list[Passage]:
    """Split an original text into passages at blank lines, keeping each passage's own line breaks."""
    chunks = (chunk.strip("\n") for chunk in _BLANK_LINES.split(text.replace("\r\n", "\n")))
    return [Passage(number=number, text=chunk) for number, chunk in enumerate((c for c in chunks if c.strip()), 1)]


# ``[text](#)``: a link the briefing gave without an address.
_PLACEHOLDER_LINK = re.compile(r"\[([^\[\]]+)\]\(\s*#?\s*\)")
# Any ``<`` but one opening or closing inline emphasis the sanitiser keeps (``<u>``, ``</b>``...).
_NOT_EMPHASIS_TAG = re.compile(r"<(?!/?(?:u|b|i|em|strong)>)", re.IGNORECASE)
# A line end, unless the next line starts a list item (which begins a new line anyway).
_LINE_BREAK = re.compile(r"[ \t]*\n(?![ \t]*(?:[-*+]|\d+[.)])[ \t])")


def passage_markdown(text: str) -> str:
    """A passage as Markdown for the one renderer (``reviews.markdown``), changed only
    where rendering it as it stands would mislead or lose what was received:

    - Its emphasis (Markdown, or ``<u>``/``<b>``/``<i>`` tags) is formatting and is
      rendered; any other HTML in the text (a pasted table's ``<ul style=…>``) is
      shown as text, as received: rendered, it would wrap bare text in list markup.
    - Its line breaks are kept (Markdown would join the lines of a pasted table).
    - A link with no address (``[text](#)``) would lead nowhere: it is plain text
      (the resources the briefing names are listed on the page after it).
    - Leading indentation would make Markdown show the passage as code.
    """

    markdown = _PLACEHOLDER_LINK.sub(r"\1", _NOT_EMPHASIS_TAG.sub("&lt;", text))
    return _LINE_BREAK.sub("  \n", markdown.lstrip())


def _plain(text: str) -> str:
    """Words to compare: Markdown stripped, whitespace normalised, case folded."""
    return strip_markdown(text).casefold()


def place_in_passages(passages: list[Passage], items: list) -> list:
    """Attach each item to the passage its wording comes from; return the ones not found.

    Items keep the briefing's wording (Markdown stripped, whitespace
    normalised), so a plain substring match finds their passage. When the
    whole text is not in one passage (an item joining two), its opening words
    decide.
    """
    plains = [_plain(passage.text) for passage in passages]
    unplaced = []
    for item in items:
        wanted = _plain(item.text)
        found = next((i for i, plain in enumerate(plains) if wanted and wanted in plain), None)
        if found is None and len(wanted) > 40:
            opening = wanted[:60]
            found = next((i for i, plain in enumerate(plains) if opening in plain), None)
        if found is None:
            unplaced.append(item)
        else:
            passages[found].items.append(item)
    return unplaced


def _place_exclusions(passages: list[Passage], exclusions: list) -> list[dict]:
    """Attach each deliberately excluded passage to where it is in the text; return those not found."""
    plains = [_plain(passage.text) for passage in passages]
    unplaced = []
    for entry in exclusions:
        if not isinstance(entry, dict):
            continue
        wanted = _plain(str(entry.get("text", "")))
        found = next((i for i, plain in enumerate(plains) if wanted and wanted in plain), None)
        if found is None:
            unplaced.append(entry)
        else:
            passages[found].excluded.append(entry)
    return unplaced


def source_detail(user, slug: str) -> SourcePage | None:
    """The source page: its passages with the entries drawn from each (about 10 queries)."""
    source = Source.objects.visible_to(user).select_related("partnership").filter(slug=slug).first()
    if source is None:
        return None
    items = [
        *CaseFact.objects.visible_to(user).filter(source=source).select_related("review"),
        *visible_points(user).filter(source=source).select_related("review", "source"),
        *Recommendation.objects.visible_to(user).filter(source=source).select_related("review"),
        *Action.objects.visible_to(user).filter(source=source).select_related("review", "recommendation"),
    ]
    passages = split_passages(source.original_text)
    unplaced = place_in_passages(passages, items)
    unplaced_exclusions = _place_exclusions(passages, source.excluded_passages or [])
    resources = list(source.resources.all())
    for passage in passages:
        passage.markdown = passage_markdown(passage.text)
    return SourcePage(
        source=source,
        passages=passages,
        unplaced=unplaced,
        unplaced_exclusions=unplaced_exclusions,
        reviews=list(source.reviews.visible_to(user).select_related("partnership").order_by(*review_order())),
        collections=list(source.collections.all()),
        resources=resources,
        aliases=list(source.theme_aliases.select_related("theme").order_by("name")),
    )

"""'Cite this': how to reference an item of the knowledge base.

A citation names what was cited (title), who published it, when (only as
precisely as the publisher says), the permanent address, and the date it was
accessed. The reference is written in the author-date (Harvard) style most UK
social work and health courses ask for.

Who and when depend on whose words they are:

- a review is cited by its own partnership and publication date;
- an entry (learning point, recommendation, action, case fact) is cited by
  the briefing its words come from: that briefing's publisher and date. The
  two can differ: Oxfordshire published the Child M review, but Swindon
  Safeguarding Partnership wrote the briefing of September 2019 whose words
  the entries keep;
- a course pack is cited by its author (the trainer recorded as its owner)
  and the date it last changed.

Nothing here is invented: a missing publisher or date is left out and
written "n.d." (no date), never guessed or borrowed from another document.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils import timezone

from .models import (
    Action,
    CaseFact,
    CoursePack,
    DatePrecision,
    LearningPoint,
    Partnership,
    Recommendation,
    Review,
    Source,
    Theme,
    format_partial_date,
)

SITE_NAME = "Learning from case reviews"


@dataclass(frozen=True)
class Citation:
    title: str
    board: str
    date: str
    url: str
    accessed: datetime.date
    # How 'Cite this' names the author, and what it says when none is known.
    board_label: str = "Board"
    board_missing: str = "Not named in the briefing"

    @property
    def accessed_display(self) -> str:
        return f"{self.accessed.day} {self.accessed.strftime('%B %Y')}"

    @property
    def text(self) -> str:
        """The reference as one line, e.g. ``Board (2019) Title. Learning from case
        reviews. Available at: URL (Accessed: 5 May 2025).``"""
        author = self.board or SITE_NAME
        container = "" if author == SITE_NAME else f" {SITE_NAME}."
        return (
            f"{author} ({self.date or 'n.d.'}) {self.title}.{container} "
            f"Available at: {self.url} (Accessed: {self.accessed_display})."
        )


def _partnership_name(obj, names: Mapping[int, str] | None) -> str:
    """The name of ``obj``'s partnership: from the partnership read with it (``select_related``), else
    from ``names`` when given (no query per object), else read."""
    if not obj.partnership_id:
        return ""
    if names is None or type(obj).partnership.is_cached(obj):
        return obj.partnership.name
    return names.get(obj.partnership_id, "")


def _source_publisher(source: Source, names: Mapping[int, str] | None) -> str:
    """Who published a briefing, as it names itself, else its partnership."""
    return source.publisher_as_stated or _partnership_name(source, names)


def _pack_author(pack: CoursePack) -> str:
    """The pack's owner by the name recorded for them. Not their login name, which
    may be an e-mail address and is not for publishing."""
    return pack.owner.get_full_name().strip() if pack.owner_id else ""


def _item_title(item) -> str:
    where = item.review.title if item.review_id else item.source.title
    if isinstance(item, LearningPoint):
        label = item.get_kind_display().lower() if item.kind != LearningPoint.Kind.LEARNING else "learning point"
    elif isinstance(item, Recommendation):
        label = f"recommendation {item.number}" if item.number else "recommendation"
    elif isinstance(item, Action):
        label = "action"
    elif isinstance(item, CaseFact):
        label = "case fact"
    else:
        label = "entry"
    return f"{where}: {label}"


def citation_for(
    obj,
    *,
    absolute_url: str,
    accessed: datetime.date | None = None,
    partnership_names: Mapping[int, str] | None = None,
) -> Citation:
    """The citation of a review, theme, course pack or review entry.

    ``absolute_url`` is the permanent address with scheme and host (the view
    or template tag knows the request, this module does not).
    ``partnership_names`` (id to name), when given, is used instead of loading
    each partnership, so a page citing many entries runs no query per entry.
    """
    accessed = accessed or timezone.localdate()
    if isinstance(obj, Review):
        board = _partnership_name(obj, partnership_names)
        return Citation(obj.title, board, obj.published_display, absolute_url, accessed)
    if isinstance(obj, Theme):
        return Citation(f"{obj.name} [theme]", "", "", absolute_url, accessed)
    if isinstance(obj, CoursePack):
        changed = format_partial_date(timezone.localdate(obj.updated_at), DatePrecision.DAY) if obj.updated_at else ""
        return Citation(
            f"{obj.title} [course pack]",
            _pack_author(obj),
            changed,
            absolute_url,
            accessed,
            board_label="Author",
            board_missing="Not recorded",
        )
    source = obj.source
    board = _source_publisher(source, partnership_names)
    return Citation(_item_title(obj), board, source.published_display, absolute_url, accessed)


def partnership_names() -> dict[int, str]:
    """Every partnership's name by id, in one query: a few dozen rows at most."""
    return dict(Partnership.objects.values_list("pk", "name"))

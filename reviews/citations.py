"""'Cite this': how to reference an item of the knowledge base.

A citation names what was cited (title), who published the learning (the
board or partnership, as the briefing names it), when (only as precisely as
the briefing says), the permanent address, and the date it was accessed.
The reference is written in the author-date (Harvard) style most UK social
work and health courses ask for.

Nothing here is invented: a missing publisher or date is left out and
written "n.d." (no date), never guessed.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils import timezone

from .models import Action, CaseFact, CoursePack, LearningPoint, Partnership, Recommendation, Review, Source, Theme

SITE_NAME = "Learning from case reviews"


@dataclass(frozen=True)
class Citation:
    title: str
    board: str
    date: str
    url: str
    accessed: datetime.date

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


def _publisher(review: Review | None, source: Source | None, names: Mapping[int, str] | None) -> str:
    def name_of(obj) -> str:
        if not obj.partnership_id:
            return ""
        return names.get(obj.partnership_id, "") if names is not None else obj.partnership.name

    if review is not None and review.partnership_id:
        return name_of(review)
    if source is not None:
        return source.publisher_as_stated or name_of(source)
    return ""


def _date(review: Review | None, source: Source | None) -> str:
    if review is not None and review.published_display:
        return review.published_display
    if source is not None:
        return source.published_display
    return ""


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
        board = _publisher(obj, None, partnership_names)
        return Citation(obj.title, board, obj.published_display, absolute_url, accessed)
    if isinstance(obj, Theme):
        return Citation(f"{obj.name} [theme]", "", "", absolute_url, accessed)
    if isinstance(obj, CoursePack):
        return Citation(f"{obj.title} [course pack]", "", "", absolute_url, accessed)
    review = obj.review if getattr(obj, "review_id", None) else None
    source = obj.source
    board = _publisher(review, source, partnership_names)
    return Citation(_item_title(obj), board, _date(review, source), absolute_url, accessed)


def partnership_names() -> dict[int, str]:
    """Every partnership's name by id, in one query: a few dozen rows at most."""
    return dict(Partnership.objects.values_list("pk", "name"))

"""The Atom feed of new and updated reviews."""

from __future__ import annotations

from ..models import Review
from ..models.common import has_page_address
from .history import with_kept_last_updated


def recently_updated_reviews(*, limit: int) -> list[Review]:
    """The ``limit`` published reviews changed most recently, counting a change to
    any of their entries (``with_last_updated``, as kept), newest change first, with
    their partnership, leaving out any whose slug no page address can have
    (``has_page_address``). One query, read in order from the kept figures' index.
    """
    return list(
        with_kept_last_updated(Review.objects.published().filter(has_page_address()))
        .filter(figures__published=True)
        .select_related("partnership")
        .order_by("-figures__last_updated", "-figures__review")[:limit]
    )

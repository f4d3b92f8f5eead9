"""The Atom feed of new and updated reviews."""

from __future__ import annotations

from ..models import Review
from .history import with_last_updated


def recently_updated_reviews(*, limit: int) -> list[Review]:
    """The ``limit`` published reviews changed most recently, counting a change to
    any of their entries (``with_last_updated``), newest change first, with their
    partnership. One query.
    """
    return list(
        with_last_updated(Review.objects.published())
        .select_related("partnership")
        .order_by("-last_updated", "-pk")[:limit]
    )

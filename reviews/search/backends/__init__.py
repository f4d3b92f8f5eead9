"""Full-text search backends, one per database vendor.

Both answer the same questions about a ``ParsedQuery`` (which entries match,
their facet counts, the best page of them, their highlighted snippets, and
words or themes to suggest), so everything above them is shared.
"""

from __future__ import annotations

from django.db import connection

from .base import Backend, Filters, SearchRun
from .postgresql import PostgreSQLBackend
from .sqlite import SQLiteBackend

__all__ = ["Backend", "Filters", "SearchRun", "get_backend"]

_BACKENDS = {"postgresql": PostgreSQLBackend, "sqlite": SQLiteBackend}


def get_backend(*, published_only: bool = True) -> Backend:
    """The backend for the default database, searching for the public (published
    entries only) or, with ``published_only=False``, for staff (drafts too)."""
    try:
        return _BACKENDS[connection.vendor](published_only=published_only)
    except KeyError:
        raise NotImplementedError(f"Search supports PostgreSQL and SQLite, not {connection.vendor}.") from None

"""Changes to the kept rows are collected while a transaction runs, and written once.

As for the search index (``reviews/search/pending.py``, whose design this
follows): the signal receivers only *mark* what changed, each mark an
on-commit callback, and the marks are written together

- when the transaction that made the changes commits (at once when there is
  none), then the content version is replaced so that no page built in the
  meantime is served;
- before a page reads kept rows (``flush()``, called by the selectors that
  read them), so that a read inside the same transaction (a test, a staff
  preview) sees the changes too.

A flush inside a transaction leaves the marks in place, as its writes may
still be rolled back with a savepoint: it registers a do-nothing on-commit
"receipt" in the current savepoint; while that is still registered the
writes stand and the next flush skips those marks. Writing reads the
content as it is then and compares it with the rows kept, so repeating it
is always safe.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection, transaction


@dataclass(eq=False)  # compared by identity: receipts and groups hold marks
class _Mark:
    """What changed (see ``writing.affected``); an on-commit callback."""

    reviews: frozenset[int] = frozenset()
    themes: frozenset[int] = frozenset()
    points: frozenset[int] = frozenset()
    sources: frozenset[int] = frozenset()
    done: bool = False
    receipt: _Receipt | None = None
    group: list[_Mark] = field(default_factory=list, repr=False)

    def __post_init__(self):
        # The marks of the same transaction, this one included: the first to run on commit writes them all.
        latest = next((func for _, func, _ in reversed(connection.run_on_commit) if isinstance(func, _Mark)), None)
        self.group = latest.group if latest is not None else []
        self.group.append(self)

    def __call__(self):
        if not self.done:
            _write([mark for mark in self.group if not mark.done])


class _Receipt:
    """Registered on commit by a flush; gone if the savepoint it was written in is rolled back."""

    def __call__(self):
        pass


def _waiting() -> list[_Mark]:
    """Marks whose writes do not stand, in the current transaction's surviving savepoints."""
    callbacks = [func for _, func, _ in connection.run_on_commit]
    receipts = {id(func) for func in callbacks if isinstance(func, _Receipt)}
    return [
        func
        for func in callbacks
        if isinstance(func, _Mark) and not func.done and (func.receipt is None or id(func.receipt) not in receipts)
    ]


def _frozen(values) -> frozenset[int]:
    return frozenset(value for value in values if value is not None)


def mark(*, reviews=(), themes=(), points=(), sources=()) -> None:
    """Mark reviews, themes, learning points or sources whose kept rows may be out of date."""
    changed = {
        "reviews": _frozen(reviews),
        "themes": _frozen(themes),
        "points": _frozen(points),
        "sources": _frozen(sources),
    }
    if any(changed.values()):
        # robust: a failure after commit is logged rather than turning a saved change into
        # an error page; ``manage.py rebuild_kept_figures`` repairs it.
        transaction.on_commit(_Mark(**changed), robust=True)


def has_pending() -> bool:
    return bool(_waiting())


def flush() -> None:
    """Write every pending mark now (inside a transaction they are written again on commit)."""
    marks = _waiting()
    if marks:
        _write(marks, final=False)
        if connection.in_atomic_block:
            receipt = _Receipt()
            transaction.on_commit(receipt)
            for item in marks:
                item.receipt = receipt


def _write(marks: list[_Mark], *, final: bool = True) -> None:
    # Imported here: the selectors import this module, and writing reads the content through them.
    from .writing import refresh

    refresh(
        reviews=set().union(*(item.reviews for item in marks)),
        themes=set().union(*(item.themes for item in marks)),
        points=set().union(*(item.points for item in marks)),
        sources=set().union(*(item.sources for item in marks)),
    )
    if final:
        for item in marks:
            item.done = True

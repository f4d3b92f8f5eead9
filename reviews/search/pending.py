"""Index changes are collected while a transaction runs, and written once.

Saving one learning point touches its own entry and its review's; loading a
briefing saves a review, then each of its items, then their themes. Writing
the index on every signal would rewrite the same entries many times, so the
signal receivers only *mark* what changed, and the marks are written
together:

- when the transaction that made the changes commits, or at once when there
  is no transaction;
- before any search (``flush()``), so that a search inside the same
  transaction (a test, a staff preview) sees the changes too.

Each mark is a ``transaction.on_commit`` callback. Django already keeps those
per savepoint (a rolled-back savepoint drops its marks, a rolled-back
transaction drops them all) and runs them on commit, so the marks that are
pending are exactly the ones still waiting in ``connection.run_on_commit``.
The marks of one transaction share a group: the first to run on commit
writes the whole group, and the rest find nothing left to do.

A flush inside a transaction leaves the marks in place, because its writes
may still be rolled back with a savepoint. It registers a do-nothing
on-commit "receipt" in the current savepoint and notes it on the marks it
wrote: while the receipt is still registered, those writes stand and the
next flush skips them; once a rollback has dropped it, they are written
again. Writing reads the content as it is at that moment, so it can always
be repeated safely (a mark from a rolled-back savepoint only costs a
rewrite).
"""

from __future__ import annotations

from collections import defaultdict

from django.db import connection, transaction

from . import indexing

Kind = indexing.Kind


class _Mark:
    """Something to (re)index; an on-commit callback."""

    def __init__(self, kind: str, ids: frozenset[int], *, with_items: bool = False):
        self.kind = kind
        self.ids = ids
        # A review or theme whose change reaches its items (publication, name...).
        self.with_items = with_items
        self.done = False
        # The receipt of the flush that last wrote this mark inside the transaction.
        self.receipt: _Receipt | None = None
        # The marks of the same transaction, this one included.
        latest = next((func for _, func, _ in reversed(connection.run_on_commit) if isinstance(func, _Mark)), None)
        self.group: list[_Mark] = latest.group if latest is not None else []
        self.group.append(self)

    def __call__(self):
        if not self.done:
            _write([item for item in self.group if not item.done])


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


def mark(model_or_kind, ids, *, with_items: bool = False) -> None:
    """Mark objects whose entries must be rewritten (or removed, if they are gone)."""
    kind = indexing.KIND_OF_MODEL.get(model_or_kind, model_or_kind)
    ids = frozenset(pk for pk in ids if pk is not None)
    if ids:
        # robust: a failure after commit is logged rather than turning a saved
        # change into an error page; ``manage.py rebuild_search_index`` repairs it.
        transaction.on_commit(_Mark(kind, ids, with_items=with_items), robust=True)


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
    objects: dict[str, set[int]] = defaultdict(set)
    reviews, themes = set(), set()
    for item in marks:
        objects[item.kind].update(item.ids)
        if item.with_items and item.kind == Kind.REVIEW:
            reviews.update(item.ids)
        if item.with_items and item.kind == Kind.THEME:
            themes.update(item.ids)
    expansions = []
    if reviews:
        expansions.append(indexing.item_ids_for_reviews(reviews))
    if themes:
        expansions.append(indexing.items_for_themes(themes))
    for expansion in expansions:
        for kind, ids in expansion.items():
            objects[kind].update(ids)
    # A theme is public through its published entries: any entry rewritten may have changed that.
    objects[Kind.THEME].update(indexing.themes_of_items(objects))
    for kind in Kind.values:
        if objects.get(kind):
            indexing.index(kind, objects[kind])
    if final:
        for item in marks:
            item.done = True

"""``manage.py rebuild_search_index``: rebuild the full-text search index from the content."""

import time

from django.core.management.base import BaseCommand

from reviews import search
from reviews.management.database import analyze, lift_statement_timeout, require_migrated_database
from reviews.search.indexing import BATCH_SIZE


class Command(BaseCommand):
    help = (
        "Rebuild the search index from every review, theme, learning point, recommendation and action, "
        "in one transaction, and repair the database's index structures (PostgreSQL trigger and GIN index, "
        "SQLite FTS5 tables: every entry, and published entries only). Saves in the admin and by load_kb keep "
        "the index current on their own: run this after bulk writes that send no signals (QuerySet.update(), "
        "bulk_create(), loaddata of raw rows). "
        "On PostgreSQL it then runs VACUUM (ANALYZE), so that the planner has statistics for the new rows. "
        "Every cached "
        "page is out of date afterwards."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size", type=int, default=BATCH_SIZE, help=f"Objects indexed per batch (default {BATCH_SIZE})."
        )

    def handle(self, *args, batch_size=BATCH_SIZE, verbosity=1, **options):
        require_migrated_database()
        lift_statement_timeout()
        started = time.monotonic()
        progress = (lambda message: self.stdout.write(f"  {message}")) if verbosity > 1 else None
        counts = search.rebuild(batch_size=max(batch_size, 1), progress=progress)
        summary = ", ".join(
            f"{count} {kind.replace('-', ' ')}{'' if count == 1 else 's'}" for kind, count in counts.items()
        )
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt in {time.monotonic() - started:.1f} s: {summary}."))
        started = time.monotonic()
        if statement := analyze():
            self.stdout.write(
                f"Ran {statement} on the whole database in {time.monotonic() - started:.1f} s "
                "(fresh statistics for the query planner)."
            )

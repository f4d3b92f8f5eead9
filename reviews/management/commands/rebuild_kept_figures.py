"""``manage.py rebuild_kept_figures``: make the kept counts and relations again from the content."""

import time

from django.core.management.base import BaseCommand

from reviews.kept import writing
from reviews.management.database import analyze, lift_statement_timeout, require_migrated_database


class Command(BaseCommand):
    help = (
        "Make the kept counts and relations (which themes are in which reviews, each theme's and review's "
        "figures, the reviews two themes share) again from the content, in one transaction. Saves in the admin, "
        "load_kb, imports, merges and publishing keep them current on their own, as migrate fills them the "
        "first time: run this after bulk writes that send no signals (QuerySet.update(), bulk_create(), raw "
        "SQL), or with --check to see whether they are current. On PostgreSQL it then runs VACUUM (ANALYZE). "
        "Every cached "
        "page is out of date afterwards."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size",
            type=int,
            default=writing.BATCH_SIZE,
            help=f"Reviews read per batch (default {writing.BATCH_SIZE}).",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only compare the kept rows with the content, write nothing; exit 1 if they differ.",
        )

    def handle(self, *args, batch_size=writing.BATCH_SIZE, check=False, verbosity=1, **options):
        require_migrated_database()
        lift_statement_timeout()
        started = time.monotonic()
        if check:
            differences = writing.differences()
            for line in differences[:20]:
                self.stdout.write(f"  {line}")
            if differences:
                self.stderr.write(f"{len(differences)} kept row(s) differ from the content.")
                raise SystemExit(1)
            self.stdout.write(self.style.SUCCESS(f"Kept rows match the content ({time.monotonic() - started:.1f} s)."))
            return
        progress = (lambda message: self.stdout.write(f"  {message}")) if verbosity > 1 else None
        counts = writing.rebuild(batch_size=max(batch_size, 1), progress=progress)
        summary = ", ".join(f"{count:,} {name}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Kept rows rebuilt in {time.monotonic() - started:.1f} s: {summary}."))
        started = time.monotonic()
        if statement := analyze():
            self.stdout.write(
                f"Ran {statement} on the whole database in {time.monotonic() - started:.1f} s "
                "(fresh statistics for the query planner)."
            )

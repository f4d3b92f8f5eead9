"""``manage.py load_kb``: load the knowledge base content from ``fixtures/``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reviews.kb_loading import DEFAULT_FIXTURES_DIR, FixtureError, load_knowledge_base
from reviews.management.database import require_migrated_database


class Command(BaseCommand):
    help = (
        "Load the partnerships, briefings, themes, reviews, learning points, recommendations and actions "
        "from fixtures/. Everything is validated first and written in one transaction: a fault stops the "
        "load with a message naming the file and the object, and the database is left as it was. Running "
        "it again changes nothing, and it never undoes what editors changed or deleted in the admin "
        "(unless --overwrite-edits)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Validate the fixtures and report what loading would change, then roll back.",
        )
        parser.add_argument(
            "--prune",
            action="store_true",
            help="Delete rows that came from a fixture source but are no longer in the fixtures "
            "(by default they are only listed).",
        )
        parser.add_argument(
            "--overwrite-edits",
            action="store_true",
            help="Put the fixtures' version back on rows editors changed in the admin, and create again "
            "rows they deleted (by default editors' work is kept and listed).",
        )
        parser.add_argument(
            "--fixtures-dir",
            type=Path,
            default=DEFAULT_FIXTURES_DIR,
            help="Where the fixtures are (default: the project's fixtures/ folder).",
        )

    def handle(
        self, *args, check=False, prune=False, overwrite_edits=False, fixtures_dir=DEFAULT_FIXTURES_DIR, **options
    ):
        require_migrated_database()
        try:
            report = load_knowledge_base(
                fixtures_dir=fixtures_dir, dry_run=check, prune=prune, overwrite_edits=overwrite_edits
            )
        except FixtureError as error:
            raise CommandError(str(error)) from error
        if check:
            self.stdout.write("The fixtures are valid. Loading them would give:")
        self.stdout.write(report.summary())
        if report.stale and not prune:
            self.stdout.write(
                self.style.WARNING(
                    f"{len(report.stale)} row(s) came from a fixture source but are no longer in the fixtures; "
                    "kept (run with --prune to delete them):"
                )
            )
            for description in report.stale:
                self.stdout.write(f"  {description}")

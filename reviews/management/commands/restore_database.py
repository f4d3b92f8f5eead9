"""``manage.py restore_database FILE``: replace the database with a backup from backup_database."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from reviews import caching
from reviews.management import backup


class Command(BaseCommand):
    help = (
        "Replace the database (from DATABASE_URL) with a backup made by backup_database: a pg_dump archive "
        "on PostgreSQL (restored with pg_restore, in one transaction), a database copy on SQLite. A database "
        "that already holds content is only replaced with --yes. Stop the app servers first."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The backup file.")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Replace the database even if it already holds content (reviews, accounts, history).",
        )

    def handle(self, *args, file, yes=False, **options):
        connection = connections[DEFAULT_DB_ALIAS]
        try:
            lines = backup.restore(connection, file, replace=yes)
        except DatabaseError as error:
            hint = ""
            if "does not exist" in str(error):
                hint = " Create it first (an empty database owned by the site's role), then restore into it."
            raise CommandError(f"Could not use the database: {str(error).strip()}{hint}") from error
        # Every page cached before holds the old content.
        caching.replace_content_version()
        if connection.vendor == "sqlite":
            self.stdout.write(backup.SQLITE_NOTE)
        self.stdout.write(self.style.SUCCESS(f"{lines[0]}."))
        for line in lines[1:]:
            self.stdout.write(self.style.WARNING(line))

"""``manage.py backup_database``: a backup of the whole database, edit history included."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from reviews.management import backup


class Command(BaseCommand):
    help = (
        "Back up the whole database, every edit's history included. On PostgreSQL this runs pg_dump "
        "(custom format) with the connection from DATABASE_URL; on SQLite it writes a consistent copy of "
        "the database file. Restore with restore_database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            "-o",
            type=Path,
            help="The file to write (default: kb-backup-<UTC date and time>.pgdump, or .sqlite3 on SQLite, "
            "in the current folder). An existing file is never overwritten.",
        )

    def handle(self, *args, output=None, **options):
        connection = connections[DEFAULT_DB_ALIAS]
        output = output or Path(backup.default_filename(connection.vendor))
        try:
            written = backup.backup(connection, output)
        except DatabaseError as error:
            raise CommandError(f"Could not read the database: {str(error).strip()}") from error
        if connection.vendor == "sqlite":
            self.stdout.write(backup.SQLITE_NOTE)
        self.stdout.write(self.style.SUCCESS(f"Backed up to {written}."))

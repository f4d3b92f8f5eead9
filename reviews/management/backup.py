"""Backups of the whole database, edit history included.

- PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore``, which copy every
  table, sequence, index, trigger and extension exactly as they are. The
  connection comes from ``settings.DATABASES``; the password goes to the
  programs in ``PGPASSWORD`` (through Django's own ``dbshell`` helper), never
  on their command line, where other users of the machine could read it.
- SQLite (one person's machine): a consistent copy of the database, made
  with SQLite's online backup API, and restored the same way.

``manage.py dumpdata`` is not a backup (see the README): these are.

Used by ``manage.py backup_database`` and ``manage.py restore_database``.
"""

from __future__ import annotations

import datetime
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.core.management.base import CommandError
from django.db.backends.postgresql.client import DatabaseClient
from django.db.migrations.executor import MigrationExecutor
from simple_history.models import HistoricalChanges

# The first bytes of each kind of file.
PG_CUSTOM_MAGIC = b"PGDMP"
SQLITE_MAGIC = b"SQLite format 3\x00"

SQLITE_NOTE = (
    "SQLite is for one person's machine: its backup is a copy of the database file, "
    "made here with SQLite's online backup API so that it is consistent even while the site runs. "
    "A site that others use runs on PostgreSQL, whose backups are pg_dump archives (see the README)."
)
INSTALL_CLIENT = (
    "Install PostgreSQL's client programs (Debian/Ubuntu: apt-get install postgresql-client), "
    "of the server's major version or newer, and run this again."
)

# What "holds content" means for a restore: the knowledge base, its editors, and its history.
CONTENT_MODELS = [
    ("reviews", "Review", "review"),
    ("reviews", "LearningPoint", "learning point"),
    ("reviews", "Theme", "theme"),
    ("reviews", "Source", "source"),
    ("reviews", "Partnership", "partnership"),
    ("auth", "User", "user account"),
]


def default_filename(vendor: str, now: datetime.datetime | None = None) -> str:
    stamp = (now or datetime.datetime.now(datetime.UTC)).strftime("%Y%m%d-%H%M%SZ")
    return f"kb-backup-{stamp}.{'pgdump' if vendor == 'postgresql' else 'sqlite3'}"


def backup(connection, output: Path) -> str:
    """Back up the database behind ``connection`` to ``output``; returns what was written, for the log."""
    output = Path(output)
    if output.exists():
        raise CommandError(f"{output} already exists: choose another file name (a backup never overwrites one).")
    if not output.parent.is_dir():
        raise CommandError(f"The folder {output.parent} does not exist: create it first.")
    if connection.vendor == "postgresql":
        backup_postgresql(connection.settings_dict, output)
    elif connection.vendor == "sqlite":
        backup_sqlite(connection, output)
    else:
        raise CommandError(f"Backups are made for PostgreSQL and SQLite only, not {connection.vendor}.")
    return f"{output} ({output.stat().st_size:,} bytes): {content_summary(connection)}"


def restore(connection, path: Path, *, replace: bool) -> list[str]:
    """Replace the database behind ``connection`` with the backup at ``path``.

    Refuses a database that holds content unless ``replace``. Returns lines to report.
    """
    path = Path(path)
    kind = identify(path)
    if connection.vendor == "postgresql":
        if kind == "sqlite":
            raise CommandError(
                f"{path} is an SQLite database (a backup of a local SQLite site), but this site runs on "
                "PostgreSQL: restore it where DATABASE_URL is unset, or move content with load_kb instead."
            )
        # Read the archive's table of contents before touching the database: a damaged file stops here.
        pg_restore = require_program("pg_restore")
        listed = subprocess.run([pg_restore, "--list", str(path)], capture_output=True, text=True)
        if listed.returncode != 0:
            raise CommandError(f"{path} is not a readable pg_dump archive: {listed.stderr.strip()}")
        has_tables = refuse_content(connection, replace=replace)
        connection.close()  # pg_restore needs the tables without this process's connection in the way.
        restore_postgresql(connection.settings_dict, path, clean=has_tables)
    elif connection.vendor == "sqlite":
        if kind == "postgresql":
            raise CommandError(
                f"{path} is a PostgreSQL archive (pg_dump), but this site runs on SQLite: set DATABASE_URL to "
                "the PostgreSQL database to restore it into."
            )
        check_sqlite_backup(path)
        refuse_content(connection, replace=replace)
        restore_sqlite(connection, path)
    else:
        raise CommandError(f"Backups are restored for PostgreSQL and SQLite only, not {connection.vendor}.")
    return [f"Restored {path}: {content_summary(connection)}", *migration_notes(connection)]


# Files -------------------------------------------------------------------------------------------


def identify(path: Path) -> str:
    """``postgresql`` or ``sqlite``; anything else stops with what the file seems to be."""
    if not path.is_file():
        raise CommandError(f"{path} does not exist or is not a file.")
    with path.open("rb") as file:
        head = file.read(64)
    if head.startswith(PG_CUSTOM_MAGIC):
        return "postgresql"
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    text = head.decode("utf-8", "replace").lstrip()
    if text.startswith(("[", "{")):
        hint = (
            "It looks like JSON, such as `manage.py dumpdata` output, which is not a backup "
            "(load it with `manage.py loaddata` into a freshly migrated database if you must)."
        )
    elif text.startswith("--"):
        hint = "It looks like a plain-SQL pg_dump: restore that with psql, or make backups with backup_database."
    elif not head:
        hint = "It is empty."
    else:
        hint = "It is neither a pg_dump custom-format archive nor an SQLite database."
    raise CommandError(f"{path} is not a backup made by backup_database. {hint}")


def check_sqlite_backup(path: Path) -> None:
    try:
        source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            # Some CHECK constraints call functions that only Django's SQLite connections define.
            source.execute("PRAGMA ignore_check_constraints = ON")
            (status,) = source.execute("PRAGMA quick_check").fetchone()
            tables = {row[0] for row in source.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            source.close()
    except sqlite3.DatabaseError as error:
        raise CommandError(f"{path} is a damaged SQLite database: {error}.") from error
    if status != "ok":
        raise CommandError(f"{path} is a damaged SQLite database: {status}.")
    if "django_migrations" not in tables or "reviews_review" not in tables:
        raise CommandError(f"{path} is an SQLite database, but not one of this site's (it has no reviews table).")


# PostgreSQL --------------------------------------------------------------------------------------


def require_program(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise CommandError(f"{name} was not found on the PATH. {INSTALL_CLIENT}")
    return found


def pg_connection(settings_dict: dict) -> tuple[list[str], dict[str, str]]:
    """Connection options for pg_dump/pg_restore, and their environment (password, TLS, service)."""
    settings_dict = {"OPTIONS": {}, **settings_dict}
    _, extra_env = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    args = []
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            args.append(f"{option}={settings_dict[key]}")
    # Never prompt for a password: a scheduled backup would wait for ever.
    args.append("--no-password")
    return args, {**os.environ, **(extra_env or {})}


def database_name(settings_dict: dict) -> str:
    name = settings_dict.get("NAME")
    if not name:
        raise CommandError("settings.DATABASES['default'] names no database (DATABASE_URL has no database name).")
    return str(name)


def run(args: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        message = result.stderr.strip() or f"exit status {result.returncode}"
        hint = ""
        if "server version mismatch" in message:
            hint = f" {INSTALL_CLIENT}"
        raise CommandError(f"{what} failed: {message}{hint}")


def backup_postgresql(settings_dict: dict, output: Path) -> None:
    pg_dump = require_program("pg_dump")
    args, env = pg_connection(settings_dict)
    partial = output.with_name(output.name + ".partial")
    try:
        run(
            [pg_dump, *args, "--format=custom", f"--file={partial}", f"--dbname={database_name(settings_dict)}"],
            env,
            "pg_dump",
        )
        # Only a finished dump gets the name asked for: an interrupted one is never mistaken for a backup.
        partial.rename(output)
    finally:
        partial.unlink(missing_ok=True)


def restore_postgresql(settings_dict: dict, path: Path, *, clean: bool) -> None:
    pg_restore = require_program("pg_restore")
    args, env = pg_connection(settings_dict)
    options = [
        # All or nothing: a failure leaves the database as it was.
        "--single-transaction",
        "--exit-on-error",
        # The restored tables belong to the role in DATABASE_URL, whoever made the dump.
        "--no-owner",
        "--no-privileges",
    ]
    if clean:
        # Drop what the archive holds before creating it again.
        options += ["--clean", "--if-exists"]
    run([pg_restore, *args, *options, f"--dbname={database_name(settings_dict)}", str(path)], env, "pg_restore")


# SQLite ------------------------------------------------------------------------------------------


def backup_sqlite(connection, output: Path) -> None:
    connection.ensure_connection()
    partial = output.with_name(output.name + ".partial")
    try:
        target = sqlite3.connect(partial)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        partial.rename(output)
    finally:
        partial.unlink(missing_ok=True)


def restore_sqlite(connection, path: Path) -> None:
    if connection.in_atomic_block:
        raise CommandError("An SQLite database cannot be restored inside a transaction.")
    connection.ensure_connection()
    source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        # Page by page into the open database, replacing all of it in one step.
        source.backup(connection.connection)
    finally:
        source.close()


# What a database holds ---------------------------------------------------------------------------


@dataclass
class Counts:
    has_tables: bool
    content: list[tuple[str, int]]
    history_rows: int

    @property
    def empty(self) -> bool:
        return not any(count for _, count in self.content) and not self.history_rows


def count_content(connection) -> Counts:
    tables = set(connection.introspection.table_names())
    quote = connection.ops.quote_name
    content, history_rows = [], 0
    with connection.cursor() as cursor:

        def count(table: str) -> int:
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # a model's own table name
            return cursor.fetchone()[0]

        for app_label, model_name, label in CONTENT_MODELS:
            table = apps.get_model(app_label, model_name)._meta.db_table
            if table in tables:
                content.append((label, count(table)))
        for model in apps.get_models():
            if issubclass(model, HistoricalChanges) and model._meta.db_table in tables:
                history_rows += count(model._meta.db_table)
    return Counts(has_tables=bool(tables), content=content, history_rows=history_rows)


def describe(counts: Counts) -> str:
    parts = [f"{number:,} {label}{'' if number == 1 else 's'}" for label, number in counts.content]
    parts.append(f"{counts.history_rows:,} history row{'' if counts.history_rows == 1 else 's'}")
    return ", ".join(parts)


def content_summary(connection) -> str:
    return describe(count_content(connection))


def refuse_content(connection, *, replace: bool) -> bool:
    """Stop unless the database is empty or ``replace``; returns whether it has tables."""
    counts = count_content(connection)
    if not counts.empty and not replace:
        raise CommandError(
            f"The database {connection.settings_dict.get('NAME')} already holds content ({describe(counts)}). "
            "Restoring replaces all of it with the backup. Back it up first if in doubt, then run again with --yes."
        )
    return counts.has_tables


def migration_notes(connection) -> list[str]:
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    known = set(executor.loader.graph.nodes)
    unknown = sorted(key for key in executor.loader.applied_migrations if key not in known)
    notes = []
    if pending:
        notes.append(
            f"The backup is from an earlier version of the site: {len(pending)} migration(s) are not applied. "
            "Run `manage.py migrate` now."
        )
    if unknown:
        notes.append(
            f"The backup is from a later version of the site ({len(unknown)} migration(s) this code does not "
            f"know, e.g. {'.'.join(unknown[0])}): run that version's code against it."
        )
    return notes

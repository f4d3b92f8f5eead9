"""A clear message instead of a "no such table" traceback when a command runs before ``migrate``."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor


def require_migrated_database(using: str = DEFAULT_DB_ALIAS) -> None:
    """Stop with a plain instruction if the database lacks any migration.

    Commands that read or write content call this first: on a fresh database
    they would otherwise fail deep inside with "no such table" (SQLite) or
    "relation does not exist" (PostgreSQL).
    """
    connection = connections[using]
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        name = connection.settings_dict.get("NAME")
        raise CommandError(
            f"The database ({name}) is not set up yet: {len(pending)} migration(s) have not been applied. "
            "Run `.venv/bin/python manage.py migrate` first (`make run` does it for the local database)."
        )


def lift_statement_timeout(using: str = DEFAULT_DB_ALIAS) -> None:
    """No statement timeout for the rest of this command's database session.

    ``KB_DB_STATEMENT_TIMEOUT_MS`` protects the app servers; bulk work such as
    rebuilding the search index at national scale runs for minutes, in
    statements longer than any page's.
    """
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 0")


def analyze(using: str = DEFAULT_DB_ALIAS) -> str:
    """``VACUUM (ANALYZE)`` the whole database on PostgreSQL (``ANALYZE`` alone inside a transaction,
    where ``VACUUM`` cannot run); which of them ran, or "" (other databases).

    After a bulk write the planner's statistics are out of date until
    autovacuum gathers new ones, and with none (or autovacuum off) plans go
    wrong by orders of magnitude: a review page at 20,000 reviews took over
    30 s without statistics, 0.9 s with them (docs/BENCHMARKS.md). ``VACUUM``
    also marks the pages just written all-visible, as autovacuum would, so
    that lists paged from an index (the review list, a theme's reviews) read
    the index alone rather than every row before the page.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        return ""
    statement = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        cursor.execute(statement)
    return statement

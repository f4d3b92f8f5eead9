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

"""System checks for deployment (``manage.py check --deploy``)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.database, deploy=True)
def production_database(app_configs, **kwargs):
    """SQLite is for one person's machine: production needs PostgreSQL (and its full-text search)."""
    engines = {db["ENGINE"] for db in settings.DATABASES.values()}
    if any("sqlite" in engine for engine in engines):
        return [
            Warning(
                "The database is SQLite. In production use PostgreSQL: set DATABASE_URL, "
                "e.g. postgres://kb@db.internal:5432/kb.",
                hint="SQLite cannot be shared by several app servers, and search uses PostgreSQL's full-text index.",
                id="kb.W001",
            )
        ]
    return []

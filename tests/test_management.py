"""Commands run before ``migrate`` say what to do instead of failing with "no such table"."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "command",
    [
        ["generate_demo_data", "--reviews", "1"],
        ["rebuild_search_index"],
        ["load_kb"],
        ["import_briefing", "fixtures/briefings/000_061062a55a416d00.txt"],
        ["kb_coverage"],
    ],
    ids=lambda command: command[0],
)
def test_a_command_on_a_database_without_migrations_says_to_migrate(tmp_path, command):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "KB_")) and k != "DATABASE_URL"}
    env.update({"DJANGO_DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"})
    result = subprocess.run(
        [sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 1
    assert "is not set up yet" in result.stderr
    assert "manage.py migrate` first" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.django_db
@pytest.mark.parametrize("command", [["rebuild_search_index"], ["generate_demo_data", "--reviews", "2"]])
def test_bulk_commands_analyze_the_database_on_postgresql(command):
    """With autovacuum late or off, the planner would have no statistics for the rows just written."""
    from io import StringIO

    from django.core.management import call_command
    from django.db import connection

    from .support.factories import make_learning_point, make_review

    if command[0] == "rebuild_search_index":
        make_learning_point(review=make_review(slug="synthetic-test-review"))
    output = StringIO()
    call_command(*command, stdout=output)
    if connection.vendor != "postgresql":
        assert "ANALYZE" not in output.getvalue()
        return
    assert "Ran ANALYZE on the whole database" in output.getvalue()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stats WHERE tablename = 'reviews_review'")
        assert cursor.fetchone()[0] > 0
        # The bulk work ran without the app servers' statement timeout.
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "0"


@pytest.mark.django_db(transaction=True)
def test_analyze_vacuums_outside_a_transaction_on_postgresql():
    """Outside a transaction the bulk commands' ``analyze`` also vacuums, as autovacuum would: pages
    marked all-visible let lists paged from an index read the index alone."""
    from django.db import connection

    from reviews.management.database import analyze

    if connection.vendor != "postgresql":
        assert analyze() == ""
        return
    assert analyze() == "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_vacuum IS NOT NULL FROM pg_stat_user_tables WHERE relname = 'reviews_review'")
        assert cursor.fetchone()[0]

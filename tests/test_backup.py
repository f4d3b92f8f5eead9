"""Backups: pg_dump/pg_restore on PostgreSQL, a consistent file copy on SQLite, history included.

The round trip through a fresh PostgreSQL database runs in the suite's
PostgreSQL pass (CI runs the suite on SQLite and on PostgreSQL); the SQLite
copy in the SQLite pass. The error messages are checked in both.
"""

import io
import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from reviews.management import backup
from reviews.models import ReflectionQuestion, Review

from .support.factories import make_learning_point, make_review, make_theme

ROOT = Path(settings.BASE_DIR)
POSTGRESQL = connection.vendor == "postgresql"
on_postgresql = pytest.mark.skipif(
    not POSTGRESQL,
    reason="pg_dump/pg_restore back up PostgreSQL; this pass runs on SQLite (the PostgreSQL pass runs it: "
    "DATABASE_URL=postgres://...)",
)
on_sqlite = pytest.mark.skipif(
    POSTGRESQL, reason="the SQLite file copy; this pass runs on PostgreSQL (the SQLite pass runs it)"
)
FAKE_POSTGRESQL = {
    "NAME": "kb",
    "USER": "kb",
    "PASSWORD": "not-on-the-command-line-4821",
    "HOST": "db.internal",
    "PORT": 5433,
    "OPTIONS": {"sslmode": "require"},
}


def table_counts(cursor, tables) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
    return counts


def edit_a_review(title_suffix: str) -> Review:
    """An edit through the ORM, as the admin makes it: one history row, with a reason and a tag."""
    review = Review.objects.order_by("pk").first()
    review.title = f"{review.title} {title_suffix}"
    review._change_reason = f"Backup test: {title_suffix}"
    review.save()
    review.tags.add(f"backup-test-{title_suffix.lower()}")
    return review


def history_rows(cursor, review_id: int) -> list[tuple]:
    cursor.execute("SELECT * FROM reviews_historicalreview WHERE id = %s ORDER BY history_id", [review_id])
    rows = cursor.fetchall()
    cursor.execute(
        "SELECT t.* FROM reviews_historicaltaggedreview t JOIN reviews_historicalreview h "
        "ON t.history_id = h.history_id WHERE h.id = %s ORDER BY t.m2m_history_id",
        [review_id],
    )
    return rows + cursor.fetchall()


def history_count() -> int:
    return sum(model.objects.count() for model in apps.get_models() if model.__name__.startswith("Historical"))


# PostgreSQL: back up, restore into a fresh database, compare ------------------------------------


@pytest.fixture
def fresh_postgresql_database():
    """An empty database of its own on the test server, dropped afterwards: the restore's target."""
    import psycopg2

    settings_dict = connection.settings_dict
    name = f"kb_restore_test_{uuid.uuid4().hex[:12]}"
    params = {
        "dbname": "postgres",
        "user": settings_dict.get("USER") or None,
        "password": settings_dict.get("PASSWORD") or None,
        "host": settings_dict.get("HOST") or None,
        "port": settings_dict.get("PORT") or None,
    }
    admin = psycopg2.connect(**params)
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        target = psycopg2.connect(**{**params, "dbname": name})
        try:
            yield name, target, params
        finally:
            target.close()
            with admin.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.close()


def database_url(params: dict, name: str) -> str:
    credentials = quote(params["user"] or "", safe="")
    if params["password"]:
        credentials += ":" + quote(params["password"], safe="")
    return f"postgres://{credentials}@{params['host'] or ''}:{params['port'] or 5432}/{name}"


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_postgresql_backup_restores_every_table_and_the_edit_history_exactly(
    loaded_kb, tmp_path, fresh_postgresql_database
):
    review = edit_a_review("Edited")
    output = tmp_path / "kb.pgdump"
    out = io.StringIO()
    call_command("backup_database", output=output, stdout=out)
    assert output.read_bytes().startswith(b"PGDMP")
    assert f"Backed up to {output}" in out.getvalue()
    assert not list(tmp_path.glob("*.partial"))

    # The real command, as an operator runs it, against the fresh database.
    name, target, params = fresh_postgresql_database
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kb.settings",
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": database_url(params, name),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "restore_database", str(output)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "Restored" in result.stdout
    assert "migration" not in result.stdout  # same code, same migrations: nothing to report

    tables = set(connection.introspection.table_names())
    assert {"reviews_historicalreview", "reviews_historicallearningpoint", "reviews_searchentry"} <= tables
    with connection.cursor() as source, target.cursor() as restored:
        restored.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        assert {row[0] for row in restored.fetchall()} == tables
        before = table_counts(source, tables)
        assert before["reviews_review"] > 0 and before["reviews_historicalreview"] > before["reviews_review"]
        assert table_counts(restored, tables) == before

        # The edited review's whole history, row for row, with its tags' history.
        edited = history_rows(source, review.pk)
        assert [row for row in edited if "Backup test: Edited" in row]
        assert history_rows(restored, review.pk) == edited

        # The sequences go on from where they were: the next edit gets a new history number.
        query = "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1"
        source.execute(query)
        restored.execute(query)
        assert restored.fetchall() == source.fetchall()

        # The search index (and its trigger) came back too.
        restored.execute("SELECT COUNT(*) FROM reviews_searchentry WHERE search_vector IS NOT NULL")
        assert restored.fetchone()[0] == before["reviews_searchentry"]


# Restoring over content: --yes, then the backup's state exactly (both databases) ----------------


@pytest.mark.django_db(transaction=True)
def test_restoring_over_content_needs_yes_and_then_puts_back_the_state_at_the_backup(loaded_kb, tmp_path):
    review = edit_a_review("Kept")
    output = tmp_path / "kb.backup"
    call_command("backup_database", output=output, stdout=io.StringIO())
    counts_at_backup = history_count()
    title_at_backup = Review.objects.get(pk=review.pk).title

    edit_a_review("Later")
    assert history_count() > counts_at_backup

    with pytest.raises(CommandError) as refused:
        call_command("restore_database", output, stdout=io.StringIO())
    message = str(refused.value)
    assert "already holds content" in message and "reviews" in message and "history rows" in message
    assert "--yes" in message
    assert Review.objects.get(pk=review.pk).title.endswith("Later")  # nothing was touched

    out = io.StringIO()
    call_command("restore_database", output, yes=True, stdout=out)
    assert "Restored" in out.getvalue()
    assert Review.objects.get(pk=review.pk).title == title_at_backup
    assert history_count() == counts_at_backup
    tags = set(Review.objects.get(pk=review.pk).tags.names())
    assert "backup-test-kept" in tags and "backup-test-later" not in tags


# SQLite: the backup is a valid SQLite database with the same rows --------------------------------


@on_sqlite
@pytest.mark.django_db(transaction=True)
def test_an_sqlite_backup_is_a_valid_sqlite_database_with_the_same_counts(loaded_kb, tmp_path):
    edit_a_review("Edited")
    output = tmp_path / "kb.sqlite3"
    out = io.StringIO()
    call_command("backup_database", output=output, stdout=out)
    assert "SQLite is for one person's machine" in out.getvalue()
    assert "copy of the database file" in out.getvalue()

    copy = sqlite3.connect(output)
    try:
        # Some CHECK constraints call functions that only Django's SQLite connections define.
        copy.execute("PRAGMA ignore_check_constraints = ON")
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        tables = set(connection.introspection.table_names())
        copied = {row[0] for row in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert tables <= copied
        with connection.cursor() as cursor:
            before = table_counts(cursor, tables)
        assert before["reviews_historicalreview"] > before["reviews_review"] > 0
        assert table_counts(copy.cursor(), tables) == before
    finally:
        copy.close()


# loaddata of a whole-site dump keeps the history as dumped ------------------------------------------


@pytest.mark.django_db(transaction=True)  # flush, as in a fresh database, needs no open transaction
def test_loaddata_of_a_whole_site_dump_writes_no_history_of_its_own(tmp_path):
    """The security probe's finding: a dump loaded into a fresh PostgreSQL database failed, because
    the history row written when loaddata set a theme's deferred related themes took a number
    the dumped history already had (on SQLite it was added after the dumped ones).

    This makes loaddata load the history as dumped; it does not make dumpdata a backup (README):
    --natural-primary gives objects new numbers wherever the original had gaps, while history
    rows and the search index refer to objects by number."""
    # Three related themes: the first two refer to themes further on in the dump, so loaddata
    # sets their related themes at the very end, after the dumped history, and the first one
    # then gains its link to the second.
    theme, second, third = make_theme(), make_theme(), make_theme()
    theme.related_themes.add(second, third)
    second.related_themes.add(third)
    review = make_review()
    point = make_learning_point(review=review, themes=[theme])
    review.tags.add("neglect")
    review.title = "Test review, edited"
    review.save()
    point.themes.add(make_theme())
    dump = tmp_path / "site.json"
    call_command("dumpdata", natural_foreign=True, natural_primary=True, output=str(dump), verbosity=0)
    # Every table but the search index, which loaddata's saves write anew (rebuild_search_index).
    models = [
        model
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy and not model.__name__.startswith("SearchEntry")
    ]
    before = {model._meta.label: model.objects.count() for model in models}
    review_history = Review.history.model.objects.order_by("history_id").values_list("history_type", "title")
    history_before = list(review_history)
    assert ("~", "Test review, edited") in history_before

    # A fresh database: every table emptied (sequences restarted), then what migrate seeds.
    call_command("flush", interactive=False, verbosity=0)
    # The reflection questions a data migration seeds have no natural key: the dump has them under
    # the numbers this test database gave them (earlier tests' flushes renumber them).
    ReflectionQuestion.objects.all().delete()
    call_command("loaddata", str(dump), verbosity=0)

    assert {model._meta.label: model.objects.count() for model in models} == before
    assert list(review_history) == history_before


# Error messages --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'[{"model": "reviews.review", "fields": {}}]', "dumpdata` output, which is not a backup"),
        (b"--\n-- PostgreSQL database dump\n--\n", "plain-SQL pg_dump"),
        (b"", "It is empty."),
        (b"Minutes of the board meeting", "neither a pg_dump custom-format archive nor an SQLite database"),
    ],
)
def test_restoring_a_file_that_is_not_a_backup_says_what_it_is(tmp_path, content, expected):
    path = tmp_path / "backup"
    path.write_bytes(content)
    with pytest.raises(CommandError) as error:
        call_command("restore_database", path, yes=True)
    assert f"{path} is not a backup made by backup_database" in str(error.value)
    assert expected in str(error.value)


def test_restoring_a_missing_file_says_so(tmp_path):
    with pytest.raises(CommandError, match="does not exist or is not a file"):
        call_command("restore_database", tmp_path / "nowhere.pgdump", yes=True)


@pytest.mark.django_db
def test_a_backup_of_the_other_database_kind_is_refused_with_what_to_do(tmp_path):
    if POSTGRESQL:
        path = tmp_path / "kb.sqlite3"
        sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.close()
        expected = "is an SQLite database (a backup of a local SQLite site), but this site runs on PostgreSQL"
    else:
        path = tmp_path / "kb.pgdump"
        path.write_bytes(b"PGDMP\x01\x0e\x00")
        expected = "is a PostgreSQL archive (pg_dump), but this site runs on SQLite"
    with pytest.raises(CommandError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        call_command("restore_database", path, yes=True)


@on_postgresql
@pytest.mark.django_db
def test_a_damaged_postgresql_archive_is_refused_before_the_database_is_touched(tmp_path):
    path = tmp_path / "kb.pgdump"
    path.write_bytes(b"PGDMP" + b"\x00" * 200)
    with pytest.raises(CommandError, match="is not a readable pg_dump archive: pg_restore: error"):
        call_command("restore_database", path, yes=True)


@on_sqlite
@pytest.mark.django_db
def test_an_sqlite_database_that_is_not_this_sites_is_refused(tmp_path):
    path = tmp_path / "other.sqlite3"
    sqlite3.connect(path).execute("CREATE TABLE notes (text)").connection.close()
    with pytest.raises(CommandError, match="is an SQLite database, but not one of this site's"):
        call_command("restore_database", path, yes=True)


@pytest.mark.parametrize("program", ["pg_dump", "pg_restore"])
def test_a_missing_postgresql_client_program_says_what_to_install(tmp_path, monkeypatch, program):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(CommandError) as error:
        if program == "pg_dump":
            backup.backup_postgresql(FAKE_POSTGRESQL, tmp_path / "kb.pgdump")
        else:
            backup.restore_postgresql(FAKE_POSTGRESQL, tmp_path / "kb.pgdump", clean=False)
    assert f"{program} was not found on the PATH" in str(error.value)
    assert "apt-get install postgresql-client" in str(error.value)
    assert not (tmp_path / "kb.pgdump").exists()


def test_pg_dump_gets_the_connection_from_the_settings_and_the_password_only_in_its_environment(tmp_path, monkeypatch):
    calls = []

    def fake_run(args, env, capture_output, text):
        calls.append((args, env))
        Path(next(arg for arg in args if arg.startswith("--file=")).removeprefix("--file=")).write_bytes(b"PGDMP")
        return subprocess.CompletedProcess(args, 0, "", "")

    monkeypatch.setattr(backup.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(backup.subprocess, "run", fake_run)
    output = tmp_path / "kb.pgdump"
    backup.backup_postgresql(FAKE_POSTGRESQL, output)

    ((args, env),) = calls
    assert args[0] == "/usr/bin/pg_dump"
    assert {"--host=db.internal", "--port=5433", "--username=kb", "--dbname=kb", "--format=custom"} <= set(args)
    assert "--no-password" in args  # a scheduled backup never waits at a prompt
    assert not any(FAKE_POSTGRESQL["PASSWORD"] in arg for arg in args)
    assert env["PGPASSWORD"] == FAKE_POSTGRESQL["PASSWORD"]
    assert env["PGSSLMODE"] == "require"
    assert output.read_bytes() == b"PGDMP"  # the finished dump, renamed from its .partial
    assert not list(tmp_path.glob("*.partial"))


def test_a_failed_pg_dump_leaves_no_file_and_reports_its_error(tmp_path, monkeypatch):
    def fake_run(args, env, capture_output, text):
        Path(next(arg for arg in args if arg.startswith("--file=")).removeprefix("--file=")).write_bytes(b"PGD")
        return subprocess.CompletedProcess(args, 1, "", "pg_dump: error: server version: 17.2; pg_dump version: 15")

    monkeypatch.setattr(backup.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(backup.subprocess, "run", fake_run)
    with pytest.raises(CommandError, match=r"pg_dump failed: pg_dump: error: server version: 17\.2"):
        backup.backup_postgresql(FAKE_POSTGRESQL, tmp_path / "kb.pgdump")
    assert list(tmp_path.iterdir()) == []


def test_a_backup_never_overwrites_a_file(tmp_path):
    existing = tmp_path / "kb.pgdump"
    existing.write_bytes(b"an earlier backup")
    with pytest.raises(CommandError, match="already exists: choose another file name"):
        call_command("backup_database", output=existing)
    assert existing.read_bytes() == b"an earlier backup"


def test_the_default_backup_name_says_when_and_what(tmp_path):
    import datetime

    when = datetime.datetime(2025, 3, 9, 2, 30, 5, tzinfo=datetime.UTC)
    assert backup.default_filename("postgresql", when) == "kb-backup-20250309-023005Z.pgdump"
    assert backup.default_filename("sqlite", when) == "kb-backup-20250309-023005Z.sqlite3"


def test_make_backup_and_restore_call_the_commands_with_the_environment_as_given():
    def dry_run(*args):
        # Without the variables of a make that runs this suite (`make test`), whose
        # sub-make would print "Entering directory".
        env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
        result = subprocess.run(
            ["make", "-n", "--no-print-directory", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
        )
        return result.returncode, result.stdout.strip().splitlines()

    assert dry_run("backup") == (0, [".venv/bin/python manage.py backup_database"])
    assert dry_run("backup", "FILE=/backups/kb.pgdump") == (
        0,
        ['.venv/bin/python manage.py backup_database --output "/backups/kb.pgdump"'],
    )
    assert dry_run("restore", "FILE=kb.pgdump", "YES=1")[1][-1] == (
        '.venv/bin/python manage.py restore_database "kb.pgdump" --yes'
    )
    # Without a file: a usage line, and nothing run.
    result = subprocess.run(["make", "restore"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "Usage: make restore FILE=" in result.stdout

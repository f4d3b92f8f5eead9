"""Production settings fail fast; development defaults are safe."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_django(
    env_overrides,
    code="import django; django.setup(); from django.conf import settings; print(settings.DEBUG)",
    *,
    local=True,
):
    """Start Django with the real settings and only ``env_overrides`` set.

    ``local`` sets ``DJANGO_DEBUG=1`` first, as ``make run`` does (overrides win).
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "KB_")) and k != "DATABASE_URL"}
    env.update({"DJANGO_SETTINGS_MODULE": "kb.settings", **({"DJANGO_DEBUG": "1"} if local else {}), **env_overrides})
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_production_without_secret_key_refuses_to_start():
    result = run_django({"DJANGO_DEBUG": "0", "DJANGO_ALLOWED_HOSTS": "kb.example.org"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_production_without_allowed_hosts_refuses_to_start():
    result = run_django({"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "x" * 60})
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS is not set" in result.stderr


def test_unreadable_debug_value_is_reported():
    result = run_django({"DJANGO_DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be one of" in result.stderr


def test_debug_is_off_unless_asked_for():
    # A deployment that forgets DJANGO_DEBUG must not run with debug pages:
    # with nothing set, the site refuses to start (no secret key) and says
    # how to run it locally.
    result = run_django({}, local=False)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr
    assert "For local development, set DJANGO_DEBUG=1" in result.stderr
    result = run_django({"DJANGO_SECRET_KEY": "k" * 60, "DJANGO_ALLOWED_HOSTS": "kb.example.org"}, local=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_local_development_starts_with_debug_on_and_sqlite():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DEBUG, settings.DATABASES['default']['ENGINE'], settings.ALLOWED_HOSTS)"
    )
    result = run_django({}, code)
    assert result.returncode == 0, result.stderr
    assert "True django.db.backends.sqlite3" in result.stdout
    assert "localhost" in result.stdout


PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "a-long-random-test-key-" + "z9" * 30,
    "DJANGO_ALLOWED_HOSTS": "kb.example.org",
    "DATABASE_URL": "postgres://kb@db.internal:5432/kb",
}
DEPLOY_CHECK = (
    "import sys; from django.core.management import execute_from_command_line; "
    "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])"
)


def test_production_on_sqlite_fails_the_deploy_check():
    env = {key: value for key, value in PRODUCTION.items() if key != "DATABASE_URL"}
    result = run_django(env, DEPLOY_CHECK)
    assert result.returncode != 0
    assert "kb.W001" in result.stderr and "In production use PostgreSQL" in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = run_django(PRODUCTION, DEPLOY_CHECK)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_use_hashed_static_files_and_secure_cookies():
    env = {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "k" * 60, "DJANGO_ALLOWED_HOSTS": "kb.example.org"}
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.STORAGES['staticfiles']['BACKEND'], s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_SSL_REDIRECT)"
    )
    result = run_django(env, code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["whitenoise.storage.CompressedManifestStaticFilesStorage", "True", "True", "True"]


def test_whitenoise_comes_straight_after_security_middleware():
    from django.conf import settings

    middleware = list(settings.MIDDLEWARE)
    security = middleware.index("django.middleware.security.SecurityMiddleware")
    assert middleware[security + 1] == "whitenoise.middleware.WhiteNoiseMiddleware"


def test_shared_cache_url_gives_redis_cache_and_cached_sessions():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.CACHES['default']['BACKEND'], s.CACHES['default']['LOCATION'], s.SESSION_ENGINE)"
    )
    result = run_django({"KB_CACHE_URL": "redis://127.0.0.1:6379/3"}, code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "kb.cache.RedisCache",
        "redis://127.0.0.1:6379/3",
        "django.contrib.sessions.backends.cached_db",
    ]


def test_without_a_shared_cache_sessions_stay_in_the_database():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.CACHES['default']['BACKEND'], s.SESSION_ENGINE)"
    )
    result = run_django({}, code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.core.cache.backends.locmem.LocMemCache",
        "django.contrib.sessions.backends.db",
    ]


def test_a_cache_url_that_is_not_redis_is_refused():
    result = run_django({"KB_CACHE_URL": "memcached://127.0.0.1:11211"})
    assert result.returncode != 0
    assert "KB_CACHE_URL must be a Redis URL" in result.stderr


def test_the_redis_cache_works_when_a_server_answers():
    """Against the Redis server at 127.0.0.1:6379 (CI has one); skipped locally without it."""
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        if os.environ.get("CI") == "true":
            pytest.fail("CI expects a Redis server at 127.0.0.1:6379")
        pytest.skip("no Redis server at 127.0.0.1:6379")
    code = (
        "import django; django.setup(); from django.core.cache import cache; "
        "cache.set('kb-settings-test', 'shared', 30); print(cache.get('kb-settings-test')); "
        "cache.delete('kb-settings-test')"
    )
    result = run_django({"KB_CACHE_URL": "redis://127.0.0.1:6379/15"}, code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "shared"


@pytest.mark.parametrize("name", ["DJANGO_CONN_MAX_AGE", "KB_LOGIN_FAILURE_LIMIT", "KB_TRUSTED_PROXY_COUNT"])
def test_a_number_that_is_not_a_number_is_reported_by_name(name):
    result = run_django({name: "sixty"})
    assert result.returncode != 0
    assert f"{name} must be a whole number" in result.stderr


def test_hsts_seconds_that_are_not_a_number_are_reported():
    result = run_django(
        {
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "k" * 60,
            "DJANGO_ALLOWED_HOSTS": "kb.example.org",
            "DJANGO_SECURE_HSTS_SECONDS": "1 year",
        }
    )
    assert result.returncode != 0
    assert "DJANGO_SECURE_HSTS_SECONDS must be a whole number" in result.stderr


# PostgreSQL's statement timeout, below gunicorn's --timeout 30 (README) --------------------------

PRINT_DATABASE_OPTIONS = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(repr(s.DATABASES['default'].get('OPTIONS', {})))"
)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"DATABASE_URL": "postgres://kb@db.internal:5432/kb"}, "{'options': '-c jit=off -c statement_timeout=25000'}"),
        (
            {"DATABASE_URL": "postgres://kb@db.internal:5432/kb", "KB_DB_STATEMENT_TIMEOUT_MS": "10000"},
            "{'options': '-c jit=off -c statement_timeout=10000'}",
        ),
        (
            {"DATABASE_URL": "postgres://kb@db.internal:5432/kb", "KB_DB_STATEMENT_TIMEOUT_MS": "0"},
            "{'options': '-c jit=off'}",
        ),
        ({}, "{}"),  # SQLite has no such setting
    ],
    ids=["postgresql-default", "postgresql-set", "postgresql-none", "sqlite"],
)
def test_postgresql_connections_stop_statements_before_the_app_server_kills_its_worker(env, expected):
    result = run_django(env, PRINT_DATABASE_OPTIONS)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_a_statement_timeout_that_is_not_a_number_is_reported():
    result = run_django({"KB_DB_STATEMENT_TIMEOUT_MS": "25s"})
    assert result.returncode != 0
    assert "KB_DB_STATEMENT_TIMEOUT_MS must be a whole number" in result.stderr


def test_manage_py_commands_run_without_a_statement_timeout_unless_given_one():
    """migrate on a large table, or a restore, may take longer than any page."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "KB_")) and k != "DATABASE_URL"}
    env.update(DJANGO_DEBUG="1", DATABASE_URL="postgres://kb@db.internal:5432/kb")
    code = "from django.conf import settings as s; print(repr(s.DATABASES['default'].get('OPTIONS', {})))"
    shell = [sys.executable, "manage.py", "shell", "-c", code]
    result = subprocess.run(shell, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    # (The shell may first list what it imports.)
    assert result.stdout.strip().splitlines()[-1] == "{'options': '-c jit=off'}"
    env["KB_DB_STATEMENT_TIMEOUT_MS"] = "25000"
    result = subprocess.run(shell, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.stdout.strip().splitlines()[-1] == "{'options': '-c jit=off -c statement_timeout=25000'}"


@pytest.mark.django_db
def test_the_database_connection_has_the_statement_timeout():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("statement_timeout is a PostgreSQL setting (run the suite with DATABASE_URL=postgres://...)")
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "25s"
        # Short queries only: the JIT compiler once took over a second to compile a 14 ms one.
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


# The page cache -----------------------------------------------------------------------------------


def test_the_page_cache_is_on_by_default_with_a_short_max_age_and_can_be_turned_off():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.KB_PAGE_CACHE, s.KB_PAGE_MAX_AGE, s.CACHES['default'].get('KEY_PREFIX'))"
    )
    assert run_django({}, code).stdout.split() == ["True", "60", "None"]
    result = run_django(
        {"KB_PAGE_CACHE": "0", "KB_PAGE_MAX_AGE": "0", "KB_CACHE_URL": "redis://127.0.0.1:6379/3"}, code
    )
    assert result.stdout.split() == ["False", "0", "kb"], result.stderr
    result = run_django({"KB_CACHE_URL": "redis://127.0.0.1:6379/3", "KB_CACHE_KEY_PREFIX": "kb-staging"}, code)
    assert result.stdout.split() == ["True", "60", "kb-staging"], result.stderr
    result = run_django({"KB_PAGE_MAX_AGE": "a minute"})
    assert result.returncode != 0
    assert "KB_PAGE_MAX_AGE must be a whole number" in result.stderr


def test_the_page_cache_comes_before_sessions_csrf_and_authentication():
    from django.conf import settings

    middleware = list(settings.MIDDLEWARE)
    cache = middleware.index("reviews.caching.PublicPageCacheMiddleware")
    assert middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") < cache
    for name in (
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "reviews.middleware_http.SignedInNoStoreMiddleware",
    ):
        assert cache < middleware.index(name), name

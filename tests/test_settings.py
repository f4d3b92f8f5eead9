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
        "django.core.cache.backends.redis.RedisCache",
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

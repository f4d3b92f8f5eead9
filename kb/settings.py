"""Settings for the "Learning from case reviews" knowledge base.

One module, read from the environment (https://12factor.net/config):

- ``DATABASE_URL``: any URL dj-database-url understands; defaults to a SQLite
  file in the project, so a fresh clone runs with no setup.
- ``DJANGO_SECRET_KEY``: required when debug is off; start-up stops without it.
- ``DJANGO_DEBUG``: off unless set to ``1``/``true``. ``make run`` sets it for
  local development; a deployment that forgets it runs without debug pages.
- ``DJANGO_ALLOWED_HOSTS``: comma-separated host names.
- ``KB_EMBED_ALLOWED_ORIGINS``: comma-separated origins allowed to frame the
  embeddable cards.
- ``KB_CACHE_URL``: a Redis URL for the cache shared by several app servers.
- ``KB_PAGE_CACHE``, ``KB_PAGE_MAX_AGE``: public responses kept whole in the
  cache (on unless ``0``), and how long browsers and proxies may keep them.
- ``KB_DB_STATEMENT_TIMEOUT_MS``: PostgreSQL's ``statement_timeout``.

Defaults are safe: debug is off unless asked for (and then only serves
localhost), and without debug the site refuses to start rather than run with
a guessable key or any host name.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    value = value.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0/true/false/yes/no/on/off, not {value!r}.")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        number = minimum - 1
    if number < minimum:
        raise ImproperlyConfigured(f"{name} must be a whole number of at least {minimum}, not {value!r}.")
    return number


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. With DJANGO_DEBUG off the site will not start "
            "without a secret key: set DJANGO_SECRET_KEY to a long random string, e.g. from "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`. "
            "For local development, set DJANGO_DEBUG=1 instead (make run does)."
        )
    # Development only: a fixed, obviously insecure key so sessions survive restarts.
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS is not set. With DJANGO_DEBUG off, list the host names the site "
        "answers to, separated by commas (e.g. DJANGO_ALLOWED_HOSTS=kb.example.org). "
        "For local development, set DJANGO_DEBUG=1 instead (make run does)."
    )
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "taggit",
    "simple_history",
    "axes",
    "reviews",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Content-Security-Policy on every page; the embeddable cards set their own.
    "reviews.middleware_csp.ContentSecurityPolicyMiddleware",
    # Anonymous GET/HEAD answered from the cache, before sessions, CSRF and
    # authentication: a cached page runs no query (reviews/caching.py).
    "reviews.caching.PublicPageCacheMiddleware",
    # 405 for a method an address does not answer (pages: GET and HEAD), before the CSRF check.
    "reviews.middleware_http.AllowedMethodsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # A blank ?_to_field= or a NUL in an admin request is a 400 before Django's admin fails on it.
    "reviews.middleware_http.AdminInputMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "kb.signin.SessionTimeoutMiddleware",
    # Cache-Control: private, no-store on whatever signed-in staff see (drafts among it).
    "reviews.middleware_http.SignedInNoStoreMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # The glossary's abbreviations expanded (<abbr title>) at their first use on a page only.
    "reviews.middleware.AbbreviationsOncePerPageMiddleware",
    # Acts on 404s only: an old slug answers 301 to the page's current address.
    "reviews.middleware.OldSlugRedirectMiddleware",
    # django-axes wants to be last.
    "axes.middleware.AxesMiddleware",
]
if DEBUG:
    # Local development shows the site's own "page not found" (with its
    # suggestions), as visitors see it, instead of Django's debug 404.
    MIDDLEWARE.append("reviews.middleware.SiteNotFoundPageMiddleware")

ROOT_URLCONF = "kb.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "kb.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}

# PostgreSQL stops any statement that runs longer than this, so that a query
# still running when gunicorn kills its worker (--timeout 30, README) does not
# go on using the database. Below the app server's timeout; 0 for no limit.
# manage.py commands run without a limit unless the variable is set for them
# (manage.py), and the bulk ones (rebuild_search_index, generate_demo_data)
# lift it for their own work.
KB_DB_STATEMENT_TIMEOUT_MS = env_int("KB_DB_STATEMENT_TIMEOUT_MS", 25_000)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiler is for long analytical queries: the planner overestimated a page's
    # (/api/v1/themes/, 14 ms to run) and spent 0.6-1.4 s compiling it (docs/BENCHMARKS.md, issue 14).
    # This site's queries are short, so it is off for its connections.
    options = ["-c jit=off"]
    if KB_DB_STATEMENT_TIMEOUT_MS:
        options.append(f"-c statement_timeout={KB_DB_STATEMENT_TIMEOUT_MS}")
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = " ".join(options)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Sign-in is protected against password guessing (django-axes): after
# AXES_FAILURE_LIMIT failed attempts for one user name from one address, that
# pair is locked out for AXES_COOLOFF_TIME hours, with a page saying so
# (templates/admin/locked_out.html); `manage.py axes_reset` unlocks at once.
# The pair, rather than the address alone, so that colleagues behind one
# office address or proxy are not locked out together; rather than the name
# alone, so that nobody can lock an editor out from elsewhere. Tests that call
# `client.login()` must pass `request=HttpRequest()` (axes needs a request);
# `client.force_login()` is unaffected.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # A second, higher limit per account from any address (kb/signin.py).
    "kb.signin.AccountLockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("KB_LOGIN_FAILURE_LIMIT", 5, minimum=1)
KB_ACCOUNT_FAILURE_LIMIT = env_int("KB_ACCOUNT_FAILURE_LIMIT", 20, minimum=1)
# Signed-in sessions (only staff sign in) end after this long without a
# request, and in any case this long after signing in (kb/signin.py).
KB_SESSION_IDLE_HOURS = env_int("KB_SESSION_IDLE_HOURS", 8, minimum=1)
KB_SESSION_MAX_DAYS = env_int("KB_SESSION_MAX_DAYS", 14, minimum=1)
SESSION_COOKIE_AGE = KB_SESSION_MAX_DAYS * 24 * 60 * 60
AXES_COOLOFF_TIME = 1  # hours; templates/admin/locked_out.html says "one hour"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
# Behind reverse proxies, the address comes from X-Forwarded-For (kb/client_ip.py).
KB_TRUSTED_PROXY_COUNT = env_int("KB_TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "kb.client_ip.client_ip"
AXES_VERBOSE = False  # failures and lock-outs are still logged; this only drops the start-up banner

# The admin page of a drafted briefing posts a few fields per entry; Django's
# default of 1,000 would cap an import at under a hundred entries
# (reviews/importing/decoding.py keeps every import saveable under this limit).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 4000

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

TAGGIT_CASE_INSENSITIVE = True

# The cache. One process can keep it in its own memory; several app servers
# must share one (KB_CACHE_URL, a Redis URL), so that each sees the same
# sessions. Sessions are read through the cache only when it is shared: a
# per-process cache would keep a signed-out session alive in the others.
KB_CACHE_URL = os.environ.get("KB_CACHE_URL", "").strip()
if KB_CACHE_URL:
    if urlsplit(KB_CACHE_URL).scheme not in ("redis", "rediss", "unix"):
        raise ImproperlyConfigured(
            f"KB_CACHE_URL must be a Redis URL such as redis://127.0.0.1:6379/0, not {KB_CACHE_URL!r}."
        )
    CACHES = {
        "default": {
            # Django's, keeping its redis-py client (kb/cache.py).
            "BACKEND": "kb.cache.RedisCache",
            "LOCATION": KB_CACHE_URL,
            # Several sites may share one Redis, each with its own prefix.
            "KEY_PREFIX": os.environ.get("KB_CACHE_KEY_PREFIX", "").strip() or "kb",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Public responses kept whole in that cache (reviews/caching.py): anonymous
# GET and HEAD of any address outside the admin, keyed on the full URL and a
# content version that every write replaces, so never out of date. Without
# KB_CACHE_URL each process keeps its own pages and the version is a file
# the processes of one machine share (KB_CONTENT_VERSION_FILE, default in
# the temporary folder); several app servers need KB_CACHE_URL.
KB_PAGE_CACHE = env_bool("KB_PAGE_CACHE", True)
# Cache-Control: public, max-age=... on those responses: how long a browser
# or proxy may show one without asking again (then ETag gives a quick 304).
KB_PAGE_MAX_AGE = env_int("KB_PAGE_MAX_AGE", 60)
# How long an entry stays in the cache at most: only bounds its memory, as
# an edit makes it unreachable at once.
KB_PAGE_CACHE_TIMEOUT = env_int("KB_PAGE_CACHE_TIMEOUT", 24 * 60 * 60, minimum=1)
KB_PAGE_CACHE_MAX_BYTES = env_int("KB_PAGE_CACHE_MAX_BYTES", 10 * 1024 * 1024, minimum=1)
# After an edit, one request builds each out-of-date page and the others
# asking for it meanwhile wait for it, up to this many seconds (0: each builds its own).
KB_PAGE_CACHE_WAIT = env_int("KB_PAGE_CACHE_WAIT", 10)
KB_CONTENT_VERSION_FILE = os.environ.get("KB_CONTENT_VERSION_FILE", "").strip()

# Production hardening. Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}


def env_origins(name: str) -> list[str]:
    """Origins (``scheme://host[:port]``) from a comma-separated variable.

    They go into a Content-Security-Policy header, so anything else (a path,
    a space, a quote, a semicolon that would start a new directive) stops
    start-up instead of silently weakening or breaking the policy.
    """
    # A trailing slash is a common way of writing an origin; it is not part of one.
    origins = [origin.removesuffix("/") for origin in env_list(name)]
    for origin in origins:
        parts = urlsplit(origin)
        if (
            parts.scheme not in ("http", "https")
            or not parts.hostname
            or parts.path
            or parts.query
            or parts.fragment
            or parts.username
            or any(character in origin for character in " ;'\"")
        ):
            raise ImproperlyConfigured(
                f"{name} must list origins such as https://learning.example.org or "
                f"https://moodle.example.ac.uk:8443, separated by commas, without paths; not {origin!r}."
            )
    return origins


# Origins (scheme://host[:port]) allowed to show the embeddable cards
# (/embed/...) in a frame, e.g. a learning platform or an intranet.
KB_EMBED_ALLOWED_ORIGINS = env_origins("KB_EMBED_ALLOWED_ORIGINS")

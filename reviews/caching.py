"""Whole public responses kept in the cache, never stale.

What is cached: the answer to an anonymous GET (HEAD is answered from it) of
any address outside the admin, whose response is a 200 with no cookie, no
``private``/``no-store``/``no-cache`` and nothing personal in it: the pages,
search results, the API and its CSV, the feed, the sitemap, embeds and
oEmbed, printed briefings. The key is the full URL (scheme, host, path and
query string) and the release (a digest of the code, the templates and the
static files' manifest, so a new release never serves the previous one's
pages); an entry is served only if it was built from the current **content
version**.

The content version is a token every write replaces:

- ``post_save``, ``post_delete`` and ``m2m_changed`` of every model of the
  ``reviews`` app (the history and the many-to-many tables included) and of
  django-taggit's; the search index, which is written with ``bulk_create``,
  replaces it itself (``reviews/search/indexing.py``), as do the services
  that write with ``QuerySet.update()`` (``reviews/services/``), the bulk
  commands and ``migrate``;
- inside a transaction it is replaced when the transaction commits (once
  however many rows it wrote), so no other request can cache what it read
  before the commit under the new version.

The version lives where every app server sees it: in the shared cache
(Redis, ``KB_CACHE_URL``), or, when each process has its own cache in
memory, in a small file that all the processes of one machine read
(``KB_CONTENT_VERSION_FILE``). Each request reads it together with the
page (one Redis ``MGET``), and a page is served only if it was built from
the current version, so an edit, a publication or a merge shows at once on
every app server. An out-of-date page is built again and replaces the old
one; pages nobody asks for expire (``KB_PAGE_CACHE_TIMEOUT``).

Headers: a cacheable response says ``Cache-Control: public,
max-age=KB_PAGE_MAX_AGE`` (browsers and proxies may keep it that long),
``ETag`` (a digest of the body) and ``Last-Modified`` (when the content
version was made), and a conditional request (``If-None-Match``,
``If-Modified-Since``) that matches gets a 304 without the page being built.
Text is kept gzipped and sent so to clients that accept it (``Entry``).

Never cached: anything to a request with a session cookie (only staff sign
in; their responses say ``private, no-store``, see ``middleware_http.py``),
the admin, methods other than GET and HEAD, responses that set a cookie (the
CSRF token's among them, so no form's token is ever shared), errors and
redirects. ``KB_PAGE_CACHE=0`` turns it off.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import os
import re
import secrets
import tempfile
import time
import zlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

logger = logging.getLogger(__name__)

VERSION_KEY = "content-version"
ADMIN_PREFIX = "/admin/"
# Models whose rows are derived from the content and written in bulk (no
# signals): the search index replaces the version itself when it writes.
DERIVED_MODELS = {
    "SearchEntry",
    "SearchEntryTheme",
    "SearchWord",
    "SearchIndexState",
    # The kept counts and relations (``reviews/kept/``), which replace it after writing.
    "ThemeLink",
    "ThemeFigures",
    "ThemePair",
    "ReviewFigures",
}
# Cookies that may change what a page shows; a request with one is not answered from the cache.
PERSONAL_COOKIES = ("messages",)
# Cache-Control directives that forbid a shared cache to keep a response.
NOT_SHARED = ("private", "no-store", "no-cache")
# Smaller bodies are kept as they are (gzip's header alone is 18 bytes; a few hundred gain little).
MIN_COMPRESSED_BYTES = 1024
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
# A claim to build a page lapses after this long (longer than gunicorn's --timeout 30).
CLAIM_SECONDS = 40
WAIT_STEP_SECONDS = 0.05


# The content version ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ContentVersion:
    token: str
    made_at: int  # whole seconds since the epoch: the pages' Last-Modified

    def dump(self) -> str:
        return f"{self.token} {self.made_at}"

    @classmethod
    def load(cls, text) -> ContentVersion | None:
        try:
            token, made_at = str(text).split()
            return cls(token, int(made_at))
        except (TypeError, ValueError):
            return None

    @classmethod
    def new(cls) -> ContentVersion:
        now = time.time_ns()
        return cls(f"{now:x}{secrets.token_hex(4)}", now // 1_000_000_000)


class CacheVersionStore:
    """The version as one key of the shared cache (Redis): every app server reads the same."""

    def __init__(self, cache_alias: str = "default"):
        self.cache = caches[cache_alias]

    def get(self) -> ContentVersion:
        version = ContentVersion.load(self.cache.get(VERSION_KEY))
        if version is None:
            # None yet (a new or emptied cache): the first to ask makes one.
            self.cache.add(VERSION_KEY, ContentVersion.new().dump(), timeout=None)
            version = ContentVersion.load(self.cache.get(VERSION_KEY)) or ContentVersion.new()
        return version

    def replace(self) -> ContentVersion:
        version = ContentVersion.new()
        self.cache.set(VERSION_KEY, version.dump(), timeout=None)
        return version

    def read(self, key: str):
        """(the version, the value under ``key``) in one round trip to Redis."""
        values = self.cache.get_many([VERSION_KEY, key])
        version = ContentVersion.load(values.get(VERSION_KEY))
        if version is None:
            return self.get(), None  # a new version: nothing can be cached under it yet
        return version, values.get(key)


class FileVersionStore:
    """The version in a small file, for a cache kept in each process's memory.

    The processes of one machine (gunicorn's workers) share it, so a write
    in one worker is seen by all. A file is replaced whole (``os.replace``),
    so a reader never sees half of one.
    """

    def __init__(self, path: Path):
        self.path = path

    def get(self) -> ContentVersion:
        try:
            version = ContentVersion.load(self.path.read_text())
        except OSError:
            version = None
        return version or self.replace()

    def replace(self) -> ContentVersion:
        version = ContentVersion.new()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(f"{self.path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        partial.write_text(version.dump())
        os.replace(partial, self.path)
        return version

    def read(self, key: str):
        """(the version, the value under ``key`` in this process's cache)."""
        return self.get(), caches["default"].get(key)


def default_version_file() -> Path:
    """One file per database, in the temporary folder: the processes of one site share it."""
    database = settings.DATABASES["default"]
    where = f"{database.get('HOST', '')}:{database.get('PORT', '')}/{database.get('NAME', '')}"
    return Path(tempfile.gettempdir()) / f"kb-content-version-{hashlib.sha256(where.encode()).hexdigest()[:16]}"


def version_store() -> CacheVersionStore | FileVersionStore:
    if isinstance(caches["default"], LocMemCache | DummyCache):
        path = getattr(settings, "KB_CONTENT_VERSION_FILE", "")
        return FileVersionStore(Path(path) if path else default_version_file())
    return CacheVersionStore()


def content_version() -> ContentVersion:
    """The current content version (made if there is none yet)."""
    return version_store().get()


def replace_content_version() -> ContentVersion:
    """A new content version now: every page cached so far is out of date."""
    return version_store().replace()


class _Group:
    done = False


class _Replace:
    """An on-commit callback. The callbacks of one transaction share a group, and
    the first of them to run replaces the version once for all of them."""

    def __init__(self, group: _Group | None = None):
        self.group = group or _Group()

    def __call__(self):
        if self.group.done:
            return
        self.group.done = True
        try:
            replace_content_version()
        except Exception:
            # After the commit the change is saved whatever happens here; say so loudly.
            logger.exception("Could not replace the content version: cached pages may be out of date.")


def content_changed() -> None:
    """Call after writing content in a way that sends no signal (``QuerySet.update()``, bulk writes, raw SQL).

    Inside a transaction the version is replaced when it commits (nothing if
    it is rolled back); otherwise at once.
    """
    if not connection.in_atomic_block:
        _Replace()()
        return
    savepoints = set(connection.savepoint_ids)
    latest = next(
        ((sids, func) for sids, func, _ in reversed(connection.run_on_commit) if isinstance(func, _Replace)), None
    )
    group = None
    if latest is not None and not latest[1].group.done:
        if latest[0] == savepoints:
            return  # one is waiting already, and a rollback would drop both together
        group = latest[1].group
    transaction.on_commit(_Replace(group))


def _content_changed_receiver(sender, **kwargs):
    content_changed()


def _m2m_changed_receiver(sender, action, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"}:
        content_changed()


def _migrated_receiver(sender, **kwargs):
    if sender.label == "reviews":  # once per migrate, after every app
        try:
            replace_content_version()
        except Exception:
            logger.exception("Could not replace the content version after migrate.")


def content_models():
    """Every model whose rows the public pages show: the ``reviews`` app's (history and
    many-to-many tables included) and django-taggit's, less the derived search index."""
    for label in ("reviews", "taggit"):
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model.__name__ not in DERIVED_MODELS:
                yield model


def connect() -> None:
    """Connect the receivers (idempotent). Called from ``ReviewsConfig.ready()``."""
    for model in content_models():
        label = model._meta.label_lower
        post_save.connect(_content_changed_receiver, sender=model, dispatch_uid=f"content-version-saved-{label}")
        post_delete.connect(_content_changed_receiver, sender=model, dispatch_uid=f"content-version-deleted-{label}")
        # Sent with the through model as sender; a model that is none never sends it.
        m2m_changed.connect(_m2m_changed_receiver, sender=model, dispatch_uid=f"content-version-m2m-{label}")
    post_migrate.connect(_migrated_receiver, dispatch_uid="content-version-migrated")


# The release ------------------------------------------------------------------------------------


@cache
def release() -> str:
    """A digest of what renders the pages: the code, the templates, the requirements and
    the static files' manifest. Computed once per process (a few milliseconds)."""
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    files = []
    for folder in ("kb", "reviews", "templates"):
        files += [path for path in (base / folder).rglob("*") if path.is_file() and "__pycache__" not in path.parts]
    files += [base / "requirements.txt", Path(settings.STATIC_ROOT) / "staticfiles.json"]
    for path in sorted(files):
        try:
            content = path.read_bytes()
        except OSError:
            continue
        digest.update(str(path.relative_to(base) if path.is_relative_to(base) else path.name).encode())
        digest.update(hashlib.sha256(content).digest())
    return digest.hexdigest()[:16]


# The middleware ---------------------------------------------------------------------------------


def page_key(request) -> str:
    """One key per address and release; the entry says which content version it was built from."""
    url = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    return f"page:{release()}:{url}"


def _may_answer_from_cache(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.path_info.startswith(ADMIN_PREFIX)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not any(name in request.COOKIES for name in PERSONAL_COOKIES)
    )


def _may_keep(request, response, *, streaming: bool = False) -> bool:
    if response.status_code != 200 or response.streaming != streaming or response.has_header("Content-Encoding"):
        return False
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(directive in cache_control for directive in NOT_SHARED):
        return False
    vary = {value.strip().lower() for value in response.get("Vary", "").split(",") if value.strip()}
    # Cookie: the only cookie that changes a page (the session's) is never sent to a cached one.
    return vary <= {"cookie", "accept-encoding"}


def _compressible(response) -> bool:
    media_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    return (
        media_type.startswith("text/")
        or media_type in ("application/json", "application/xml", "application/javascript")
        or media_type.endswith(("+json", "+xml"))
    )


def _accepts_gzip(request) -> bool:
    # As django.middleware.gzip.GZipMiddleware reads the header.
    return bool(ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")))


@dataclass(frozen=True)
class Entry:
    """A response as kept in the cache: its body gzipped if that makes it smaller.

    Kept gzipped, a large page (a theme's: 400 kB of HTML) costs a tenth of
    the memory and of the time to read from Redis, and is sent as it is to
    every browser (they all accept gzip). Compressing public pages is safe
    from BREACH-style attacks: a cached page holds no secret (no CSRF token,
    nothing of a session) for a reflected guess to reveal.
    """

    version: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    gzipped: bool

    @classmethod
    def of(cls, response, version: ContentVersion) -> Entry:
        body, gzipped = response.content, False
        if len(body) >= MIN_COMPRESSED_BYTES and _compressible(response):
            compressed = gzip.compress(body, compresslevel=6, mtime=0)
            if len(compressed) < len(body):
                body, gzipped = compressed, True
        headers = [(name, value) for name, value in response.items() if name.lower() != "content-length"]
        return cls(version.token, response.status_code, headers, body, gzipped)

    def response(self, request, content: bytes | None = None) -> HttpResponse:
        """The response for ``request``: gzipped if it may be, else as built (``content``, if at hand)."""
        if self.gzipped and _accepts_gzip(request):
            response = HttpResponse(self.body, status=self.status)
            response["Content-Encoding"] = "gzip"
        elif self.gzipped:
            response = HttpResponse(content if content is not None else gzip.decompress(self.body), status=self.status)
        else:
            response = HttpResponse(self.body, status=self.status)
        for name, value in self.headers:
            response[name] = value
        response["Content-Length"] = str(len(response.content))
        return response


def _mark_shareable(response, version: ContentVersion) -> None:
    patch_cache_control(response, public=True, max_age=settings.KB_PAGE_MAX_AGE)
    patch_vary_headers(response, ["Accept-Encoding"])
    response["Last-Modified"] = http_date(version.made_at)


def _kept_while_streaming(response, chunks, key: str, version: ContentVersion, claim: str | None):
    """Send a streaming response's chunks as they come, and keep a gzipped copy once all are sent.

    Memory holds only the compressed copy, and only while it stays under
    ``KB_PAGE_CACHE_MAX_BYTES`` (past that it is dropped and the rest only
    sent), so a large CSV download is streamed as flat as without the cache.
    A download cut short keeps nothing.
    """
    compressor = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)  # gzip
    digest = hashlib.md5(usedforsecurity=False)
    kept: list[bytes] | None = []
    size = 0
    try:
        for chunk in chunks:
            yield chunk
            digest.update(chunk)
            if kept is not None:
                kept.append(compressor.compress(chunk))
                size += len(kept[-1])
                if size > settings.KB_PAGE_CACHE_MAX_BYTES:
                    kept = None
        if kept is not None:
            kept.append(compressor.flush())
            headers = [(name, value) for name, value in response.items() if name.lower() != "x-cache"]
            headers.append(("ETag", f'W/"{digest.hexdigest()}"'))
            entry = Entry(version.token, response.status_code, headers, b"".join(kept), gzipped=True)
            if len(entry.body) <= settings.KB_PAGE_CACHE_MAX_BYTES:
                try:
                    caches["default"].set(key, entry, timeout=settings.KB_PAGE_CACHE_TIMEOUT)
                except Exception:
                    logger.exception("The page cache could not be written.")
    finally:
        _release(claim)


def _claim_or_wait(key: str, version: ContentVersion) -> tuple[Entry | None, str | None]:
    """Claim the building of an out-of-date page, or wait for the request building it already.

    After an edit every page is out of date at once, and the slowest take
    seconds to build: without this, each request for a popular page in those
    seconds would build it again, all at once. The first claims it (a key
    that ``add`` sets only if absent) and the others wait, up to
    ``KB_PAGE_CACHE_WAIT`` seconds, for its entry, which is of the current
    version, so never stale. Returns (the entry, None) after waiting, or
    (None, the claim to release) when this request is to build the page.
    """
    wait = settings.KB_PAGE_CACHE_WAIT
    if wait <= 0:
        return None, None
    cache = caches["default"]
    claim = f"{key}:building:{version.token}"
    try:
        if cache.add(claim, os.getpid(), timeout=CLAIM_SECONDS):
            return None, claim
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            time.sleep(WAIT_STEP_SECONDS)
            found = cache.get_many([key, claim])
            entry = found.get(key)
            if isinstance(entry, Entry) and entry.version == version.token:
                return entry, None
            if claim not in found:
                break  # built but not kept (an error, too large...), or given up: build it here
    except Exception:
        logger.exception("The page cache could not be read; answering without it.")
    return None, None


def _release(claim: str | None) -> None:
    if claim is not None:
        try:
            caches["default"].delete(claim)
        except Exception:
            logger.exception("The page cache could not be written.")


def _etag(content: bytes) -> str:
    # Weak: the same page gzipped or not is the same resource (as GZipMiddleware does).
    return f'W/"{hashlib.md5(content, usedforsecurity=False).hexdigest()}"'


class PublicPageCacheMiddleware:
    """Answers anonymous GET and HEAD requests from the cache, and keeps what may be shared.

    Placed after WhiteNoise (static files never reach it) and before the
    session, CSRF and authentication middleware: a page from the cache costs
    no database query, and on the way out it sees the cookies they set.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.KB_PAGE_CACHE or not _may_answer_from_cache(request):
            return self.get_response(request)
        try:
            key = page_key(request)
            version, stored = version_store().read(key)
        except Exception:
            # The cache is down: serve the page as if there were none.
            logger.exception("The page cache could not be read; answering without it.")
            return self.get_response(request)
        building = None
        if not (isinstance(stored, Entry) and stored.version == version.token):
            stored, building = _claim_or_wait(key, version)
        if stored is not None:
            response = stored.response(request)
            outcome = "hit"
        else:
            try:
                response = self.get_response(request)
                if response.streaming and _may_keep(request, response, streaming=True):
                    # Kept as it is sent (a CSV download): the claim is released once it is all sent.
                    _mark_shareable(response, version)
                    chunks = response.streaming_content
                    response.streaming_content = _kept_while_streaming(response, chunks, key, version, building)
                    building = None
                    response["X-Cache"] = "miss"
                    return response
                if not _may_keep(request, response):
                    return response
                _mark_shareable(response, version)
                response["ETag"] = _etag(response.content)
                entry = Entry.of(response, version)
                if len(entry.body) <= settings.KB_PAGE_CACHE_MAX_BYTES:
                    try:
                        caches["default"].set(key, entry, timeout=settings.KB_PAGE_CACHE_TIMEOUT)
                    except Exception:
                        logger.exception("The page cache could not be written.")
            finally:
                # After the entry is written: whoever waits sees one or the other gone.
                _release(building)
            response = entry.response(request, content=response.content)
            outcome = "miss"
        response = get_conditional_response(
            request, etag=response["ETag"], last_modified=version.made_at, response=response
        )
        response["X-Cache"] = outcome
        return response

#!/usr/bin/env python
"""Two app servers behind one address, sharing PostgreSQL and Redis: checks that they act as one site.

Sets up its own database (``kb_two_servers`` on the PostgreSQL server of
``DATABASE_URL``, or of 127.0.0.1:5432; dropped and made again each run),
migrates it, adds a published review, an administrator and an editor, then
starts two ``gunicorn kb.wsgi`` servers (A and B) with production settings,
the same secret key and the same Redis (``KB_CACHE_URL``, under a key prefix
of this run's own), and a small round-robin HTTP proxy in front of them on
loopback, as a load balancer would be. The proxy sends request 1 to A,
request 2 to B and so on, appends the client to ``X-Forwarded-For``
(``KB_TRUSTED_PROXY_COUNT=1``) and says which server answered
(``X-Backend``); the client below sends one request at a time, so it knows
which server each request reaches. It checks that:

1. an anonymous page is served from the cache by both servers;
2. a session signed in on A is signed in on B (sessions in the database,
   read through the shared cache);
3. an edit made through A (an editor unpublishing a review in the admin)
   shows at once on B, which had the page cached, and publishing it again
   through B shows at once on A;
4. a write by a management command (a third process) shows at once on both;
5. failed sign-ins counted on A lock the user name out on B;
6. signing out on B ends the session on A;
7. what staff see is never cached, on either server.

    .venv/bin/python bench/two_servers.py
    DATABASE_URL=postgres://postgres@127.0.0.1:54329/kb_ci KB_CACHE_URL=redis://127.0.0.1:6379/1 \\
        .venv/bin/python bench/two_servers.py

Exits 0 if every check passes, 1 otherwise; tests/test_two_servers.py runs
it on PostgreSQL. See README ("Production") and docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import http.client
import http.server
import itertools
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
DEFAULT_DATABASE = "kb_two_servers"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS = "redis://127.0.0.1:6379/7"
FAILURE_LIMIT = 3
REVIEW_SLUG = "two-servers-review"
REVIEW_TITLE = "Two servers test review"
HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade"}


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


# The database ------------------------------------------------------------------------------------


def database_url(server_url: str, name: str) -> str:
    parts = urlsplit(server_url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", ""))


def recreate_database(url: str, *, create: bool = True) -> None:
    """Drop the database if it exists (and make it again, empty)."""
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(
        dbname="postgres", host=parts.hostname, port=parts.port or 5432, user=parts.username, password=parts.password
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def server_env(url: str, redis_url: str, prefix: str, static_root: Path, secret: str) -> dict[str, str]:
    """Production settings, the same for both servers (and the commands)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "KB_")) and k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="kb.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secret,
        DJANGO_ALLOWED_HOSTS=HOST,
        DJANGO_SECURE_SSL_REDIRECT="0",  # no TLS on loopback; the proxy stands in for the one that has it
        DJANGO_STATIC_ROOT=str(static_root),
        DJANGO_LOG_LEVEL="WARNING",
        DATABASE_URL=url,
        KB_CACHE_URL=redis_url,
        KB_CACHE_KEY_PREFIX=prefix,
        KB_TRUSTED_PROXY_COUNT="1",
        KB_LOGIN_FAILURE_LIMIT=str(FAILURE_LIMIT),
    )
    return env


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args[:2])} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


SETUP = f"""
import datetime
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from reviews.models import LearningPoint, PublicationStatus, Review, Source
User = get_user_model()
User.objects.create_superuser("two-servers-admin", "admin@example.org", {{admin!r}})
editor = User.objects.create_user("two-servers-editor", password={{editor!r}}, is_staff=True)
editor.groups.add(Group.objects.get(name="Editor"))
source = Source.objects.create(slug="two-servers-source", title="Two servers briefing", original_text="Text.",
                               status=PublicationStatus.PUBLISHED)
review = Review.objects.create(slug={REVIEW_SLUG!r}, title={REVIEW_TITLE!r}, status=PublicationStatus.PUBLISHED,
                               review_type=Review.ReviewType.SERIOUS_CASE_REVIEW,
                               published_on=datetime.date(2020, 1, 1), published_precision="year")
review.sources.add(source)
LearningPoint.objects.create(review=review, source=source, text="Two servers learning point.")
print(review.pk)
"""


# The proxy ---------------------------------------------------------------------------------------


class RoundRobinProxy(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, backends: dict[str, int]):
        super().__init__((HOST, 0), ProxyHandler)
        self.backends = itertools.cycle(backends.items())
        self.lock = threading.Lock()

    def next_backend(self) -> tuple[str, int]:
        with self.lock:
            return next(self.backends)


class ProxyHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # quiet
        pass

    def forward(self):
        name, port = self.server.next_backend()
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {key: value for key, value in self.headers.items() if key.lower() not in HOP_BY_HOP}
        forwarded = self.headers.get("X-Forwarded-For")
        headers["X-Forwarded-For"] = f"{forwarded}, {self.client_address[0]}" if forwarded else self.client_address[0]
        upstream = http.client.HTTPConnection(HOST, port, timeout=60)
        try:
            upstream.request(self.command, self.path, body=body, headers=headers)
            response = upstream.getresponse()
            content = response.read()
            self.send_response(response.status, response.reason)
            for key, value in response.getheaders():
                if key.lower() not in HOP_BY_HOP and key.lower() != "content-length":
                    self.send_header(key, value)
            self.send_header("X-Backend", name)
            self.send_header("Content-Length", str(len(content)))
            self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(content)
        except OSError as error:
            self.send_error(502, f"server {name} did not answer: {error}")
        finally:
            upstream.close()
            self.close_connection = True

    do_GET = do_HEAD = do_POST = forward


# The client --------------------------------------------------------------------------------------


class Browser:
    """One visitor: cookies, one request at a time through the proxy, landing on the server asked for."""

    def __init__(self, port: int, counter: list[int]):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.counter = counter  # requests sent through the proxy by every browser (it alternates A, B, A...)

    def request(self, method: str, path: str, *, on: str, data: dict | None = None):
        # The proxy alternates: request 0 goes to A, 1 to B... Skip one if need be.
        if "AB"[self.counter[0] % 2] != on:
            Browser(self.port, self.counter).raw("GET", "/api/v1/")
        status, headers, body = self.raw(method, path, data=data)
        if headers.get("x-backend") != on:
            raise AssertionError(f"{method} {path} reached {headers.get('x-backend')}, not {on}")
        return status, headers, body

    def raw(self, method: str, path: str, *, data: dict | None = None):
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{key}={value}" for key, value in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(HOST, self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read().decode("utf-8", "replace")
            self.counter[0] += 1
            for value in response.headers.get_all("Set-Cookie") or []:
                cookie = SimpleCookie()
                cookie.load(value)
                for key, morsel in cookie.items():
                    if morsel["max-age"] == "0" or not morsel.value:
                        self.cookies.pop(key, None)
                    else:
                        self.cookies[key] = morsel.value
            return response.status, {k.lower(): v for k, v in response.getheaders()}, content
        finally:
            connection.close()

    def sign_in(self, username: str, password: str, *, on: str):
        self.request("GET", "/admin/login/", on=on)
        token = self.cookies["csrftoken"]
        data = {"username": username, "password": password, "csrfmiddlewaretoken": token, "next": "/admin/"}
        return self.request("POST", "/admin/login/?next=/admin/", data=data, on=on)

    def csrf_token(self, path: str, *, on: str) -> str:
        _, _, page = self.request("GET", path, on=on)
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if not found:
            raise AssertionError(f"no CSRF token on {path}")
        return found.group(1)


# The checks --------------------------------------------------------------------------------------


class Checks:
    def __init__(self):
        self.results: list[tuple[str, bool, str]] = []

    def check(self, name: str, passed: bool, detail: str = "") -> None:
        self.results.append((name, passed, detail))
        print(f"  {'PASS' if passed else 'FAIL'}  {name}{'' if passed else ': ' + detail}", flush=True)

    @property
    def failed(self) -> int:
        return sum(not passed for _, passed, _ in self.results)


def run_checks(port: int, env: dict[str, str], review_pk: int, passwords: dict[str, str]) -> Checks:
    checks = Checks()
    counter = [0]
    page = f"/reviews/{REVIEW_SLUG}/"

    # 1. The anonymous page from the cache on both servers.
    public = Browser(port, counter)
    for server in "ABAB":
        public.request("GET", page, on=server)
    statuses = {server: public.request("GET", page, on=server) for server in "AB"}
    checks.check(
        "an anonymous page is served from the shared cache by A and by B",
        all(status == 200 and headers.get("x-cache") == "hit" for status, headers, _ in statuses.values()),
        repr({server: (status, headers.get("x-cache")) for server, (status, headers, _) in statuses.items()}),
    )

    # 2. Signed in on A, signed in on B.
    editor = Browser(port, counter)
    status, headers, _ = editor.sign_in("two-servers-admin", passwords["admin"], on="A")
    signed_in = status == 302 and "sessionid" in editor.cookies
    status_b, _, admin_b = editor.request("GET", "/admin/", on="B")
    checks.check(
        "a session signed in on A is signed in on B",
        signed_in and status_b == 200 and "two-servers-admin" in admin_b,
        f"sign-in {status} {headers.get('location')}, /admin/ on B {status_b}",
    )

    # 7. Staff pages are never cached, on either server.
    staff_pages = [editor.request("GET", page, on=server) for server in "AB"]
    checks.check(
        "what staff see is never cached (private, no-store; not from the cache) on A or B",
        all(
            status == 200 and "x-cache" not in headers and "no-store" in headers.get("cache-control", "")
            for status, headers, _ in staff_pages
        ),
        repr([(status, headers.get("cache-control"), headers.get("x-cache")) for status, headers, _ in staff_pages]),
    )

    # 3. An edit through A shows at once on B, and one through B at once on A.
    changelist = "/admin/reviews/review/"

    def admin_action(action: str, server: str) -> int:
        token = editor.csrf_token(changelist, on=server)
        data = {
            "action": action,
            "_selected_action": str(review_pk),
            "index": "0",
            "select_across": "0",
            "csrfmiddlewaretoken": token,
        }
        return editor.request("POST", changelist, data=data, on=server)[0]

    unpublished = admin_action("unpublish_selected", "A")
    status_b, _, _ = public.request("GET", page, on="B")
    checks.check(
        "a review unpublished through A is gone at once from B (which had it cached)",
        unpublished == 302 and status_b == 404,
        f"action on A {unpublished}, page on B {status_b}",
    )
    published = admin_action("publish_selected", "B")
    status_a, headers_a, body_a = public.request("GET", page, on="A")
    checks.check(
        "published again through B, it is back at once on A",
        published == 302 and status_a == 200 and REVIEW_TITLE in body_a,
        f"action on B {published}, page on A {status_a} ({headers_a.get('x-cache')})",
    )

    # 4. A write by a management command.
    for server in "ABAB":
        public.request("GET", page, on=server)
    manage(
        env,
        "shell",
        "-c",
        f"from reviews.models import Review; review = Review.objects.get(slug={REVIEW_SLUG!r}); "
        "review.title = 'Two servers test review, renamed by a command'; review.save()",
    )
    renamed = [public.request("GET", page, on=server) for server in "AB"]
    checks.check(
        "a write by a management command shows at once on A and B",
        all(status == 200 and "renamed by a command" in body for status, _, body in renamed),
        repr([(status, headers.get("x-cache")) for status, headers, _ in renamed]),
    )

    # 5. Failed sign-ins counted on A lock the user name out on B.
    guesser = Browser(port, counter)
    for _ in range(FAILURE_LIMIT):
        guesser.sign_in("two-servers-editor", "not-the-password", on="A")
    status, _, body = guesser.sign_in("two-servers-editor", passwords["editor"], on="B")
    checks.check(
        f"{FAILURE_LIMIT} failed sign-ins on A lock the user name out on B, even with the right password",
        "Signing in is paused" in body and "sessionid" not in guesser.cookies,
        f"sign-in on B answered {status}",
    )

    # 6. Signing out on B ends the session on A.
    token = editor.csrf_token("/admin/", on="B")
    editor_session = editor.cookies.get("sessionid")
    editor.request("POST", "/admin/logout/", data={"csrfmiddlewaretoken": token}, on="B")
    stale = Browser(port, counter)
    stale.cookies = {"sessionid": editor_session or ""}
    status_a, headers_a, _ = stale.request("GET", "/admin/", on="A")
    checks.check(
        "signing out on B ends the session on A",
        status_a == 302 and "/admin/login/" in headers_a.get("location", ""),
        f"/admin/ on A with the old session: {status_a} {headers_a.get('location')}",
    )
    return checks


# Running -----------------------------------------------------------------------------------------


def start_server(env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "kb.wsgi",
        f"--bind={HOST}:{port}",
        "--workers=2",
        "--timeout=30",
        "--error-logfile=-",
        "--log-level=warning",
    ]
    with log.open("w") as output:
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )


def wait_until_ready(server: subprocess.Popen, port: int, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped (exit {server.returncode}):\n{log.read_text()}")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=5)
            connection.request("GET", "/api/v1/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            connection.close()
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer within {timeout:.0f} s:\n{log.read_text()}")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


def stop_requested(signum, frame):
    raise KeyboardInterrupt


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database", default=DEFAULT_DATABASE, help=f"Database to (re)create (default {DEFAULT_DATABASE})."
    )
    parser.add_argument("--keep-database", action="store_true", help="Leave the database in place afterwards.")
    args = parser.parse_args()
    server_url = os.environ.get("DATABASE_URL") or DEFAULT_SERVER
    if not urlsplit(server_url).scheme.startswith("postgres"):
        raise SystemExit("Two app servers share a PostgreSQL database: DATABASE_URL must be a postgres:// URL.")
    redis_url = os.environ.get("KB_CACHE_URL") or DEFAULT_REDIS
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", args.database):
        parser.error("--database: lower-case letters, digits and underscores")
    url = database_url(server_url, args.database)
    prefix = f"kb-two-servers-{uuid.uuid4().hex[:8]}"
    workdir = Path(tempfile.mkdtemp(prefix="kb-two-servers-"))
    servers: list[subprocess.Popen] = []
    proxy = None
    signal.signal(signal.SIGTERM, stop_requested)
    started = time.monotonic()
    try:
        passwords = {"admin": secrets.token_urlsafe(16), "editor": secrets.token_urlsafe(16)}
        env = server_env(url, redis_url, prefix, workdir / "static", secrets.token_urlsafe(50))
        print(
            f"database {args.database} on {urlsplit(url).hostname}:{urlsplit(url).port or 5432}; "
            f"Redis {redis_url} (prefix {prefix})"
        )
        recreate_database(url)
        manage(env, "migrate", "--noinput", "-v", "0")
        review_pk = int(manage(env, "shell", "-c", SETUP.format(**passwords)).split()[-1])
        manage(env, "collectstatic", "--noinput", "-v", "0")
        ports = {"A": free_port(), "B": free_port()}
        for name, port in ports.items():
            log = workdir / f"gunicorn-{name}.log"
            servers.append(start_server(env, port, log))
        for (name, port), server in zip(ports.items(), servers, strict=True):
            wait_until_ready(server, port, workdir / f"gunicorn-{name}.log")
        proxy = RoundRobinProxy(ports)
        threading.Thread(target=proxy.serve_forever, daemon=True).start()
        proxy_port = proxy.server_address[1]
        print(
            f"servers A on {HOST}:{ports['A']}, B on {HOST}:{ports['B']} (2 workers each); "
            f"round-robin proxy on {HOST}:{proxy_port}; ready after {time.monotonic() - started:.1f} s"
        )
        checks = run_checks(proxy_port, env, review_pk, passwords)
        errors = [log.name for log in workdir.glob("gunicorn-*.log") if "Traceback" in log.read_text()]
        if errors:
            checks.check("no server logged an error", False, ", ".join(errors))
        print(
            f"{len(checks.results) - checks.failed} of {len(checks.results)} checks passed "
            f"in {time.monotonic() - started:.1f} s"
        )
        return 1 if checks.failed else 0
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        if proxy is not None:
            proxy.shutdown()
        for server in servers:
            stop_server(server)
        shutil.rmtree(workdir, ignore_errors=True)
        try:
            import redis

            connection = redis.Redis.from_url(redis_url)
            for key in connection.scan_iter(f"{prefix}:*"):
                connection.delete(key)
        except Exception:
            pass
        if not args.keep_database:
            try:
                recreate_database(url, create=False)
            except Exception as error:
                print(f"could not drop {args.database}: {error}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())

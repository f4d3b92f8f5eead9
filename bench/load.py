#!/usr/bin/env python
"""Load: many concurrent clients against the site under gunicorn, with production settings, on loopback.

Starts ``gunicorn kb.wsgi`` on a free port of 127.0.0.1 with production
settings (``DJANGO_DEBUG=0``, a generated secret key, the hashed and
compressed static files from ``collectstatic`` into a temporary folder,
HTTPS redirect off because there is no proxy), drives N concurrent clients
(threads, each with its own connection, one request after another) for a
bounded time over a mix of public pages, then stops the server and prints,
per kind of page: requests, errors (anything but 2xx/3xx, and requests that
got no answer), p50/p95/p99 latency and throughput; also the load average
before and after, and the gunicorn workers with the CPU time each used.

    .venv/bin/python bench/load.py                       # 100 clients, 30 s, 4 workers, database kb_load
    .venv/bin/python bench/load.py --clients 50 --duration 10 --workers 2
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kb_bench .venv/bin/python bench/load.py

Without DATABASE_URL it uses a PostgreSQL database ``kb_load`` on
127.0.0.1:5432 (user postgres), which it creates, migrates, loads with
``load_kb`` and analyses; a database given in DATABASE_URL is used as it is.
Exits 1 if any request got a 5xx or no answer. See docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/kb_load"
HOST = "127.0.0.1"

# What visitors ask for, and how often (weights): practitioners land on the
# home page or a search, read themes and reviews; machines read the API, the
# CSV download and the feed; every page brings its static files (most from
# the browser's cache, so fewer than pages).
MIX = {
    "home": 10,
    "themes": 8,
    "theme page": 16,
    "reviews": 8,
    "review page": 18,
    "search": 14,
    "api list": 6,
    "csv": 3,
    "feed": 5,
    "static": 12,
}
SEARCHES = [
    "neglect",
    "co-sleeping",
    "escalation policy",
    '"professional curiosity"',
    "information sharing",
    "dad not known to services",
    "domestic abuse -alcohol",
    "missed appointments",
]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(fraction * (len(ordered) - 1))))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def loadavg() -> str:
    return "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


# Setting up ----------------------------------------------------------------------------------------


def production_env(database_url: str, static_root: Path, cache_url: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "KB_")) and key not in ("DATABASE_URL",)
    }
    env.update(
        DJANGO_SETTINGS_MODULE="kb.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS=HOST,
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_STATIC_ROOT=str(static_root),
        DJANGO_LOG_LEVEL="WARNING",
        DATABASE_URL=database_url,
    )
    if cache_url:
        env["KB_CACHE_URL"] = cache_url
    return env


def manage(env: dict[str, str], *args: str) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900
    )
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")


def prepare_default_database(env: dict[str, str]) -> None:
    """Create kb_load if need be, migrate it, load the content (idempotent), and analyse it."""
    import psycopg2

    parts = urlsplit(DEFAULT_DATABASE_URL)
    params = {"host": parts.hostname, "port": parts.port, "user": parts.username}
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(dbname="postgres", **params)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            print(f"creating database {name}")
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    print(f"migrating and loading {name} (load_kb)")
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "load_kb", "-v", "0")
    # The machine's server runs without autovacuum: give the planner statistics.
    database = psycopg2.connect(dbname=name, **params)
    database.autocommit = True
    with database.cursor() as cursor:
        cursor.execute("ANALYZE")
    database.close()


def start_server(env: dict[str, str], port: int, workers: int, log: Path, *, root: Path = ROOT) -> subprocess.Popen:
    """``gunicorn kb.wsgi`` on ``port`` with production's flags, serving the code in ``root``."""
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "kb.wsgi",
        f"--bind={HOST}:{port}",
        f"--workers={workers}",
        "--timeout=30",
        "--error-logfile=-",
        "--log-level=warning",
    ]
    with log.open("w") as output:
        # Its own session: a Ctrl-C in the terminal reaches this script, which stops the server.
        return subprocess.Popen(
            command, cwd=root, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    server.terminate()  # gunicorn's graceful shutdown of its workers
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=10)


def get(port: int, path: str, timeout: float = 30) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def wait_until_ready(server: subprocess.Popen, port: int, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped (exit {server.returncode}):\n{log.read_text()}")
        try:
            status, _ = get(port, "/", timeout=5)
            if status < 500:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer within {timeout:.0f} s:\n{log.read_text()}")


def discover(port: int) -> dict[str, list[str]]:
    """The paths of each kind of page, from the running site itself."""

    def json_results(path):
        status, body = get(port, path)
        if status != 200:
            raise SystemExit(f"{path} answered {status}: is there content in the database?")
        return json.loads(body)["results"]

    themes = [f"/themes/{item['slug']}/" for item in json_results("/api/v1/themes/")]
    reviews = [f"/reviews/{item['slug']}/" for item in json_results("/api/v1/reviews/")]
    if not themes or not reviews:
        raise SystemExit("No themes or reviews: load content first (manage.py migrate, then manage.py load_kb).")
    _, home = get(port, "/")
    static = sorted(set(re.findall(rb'(?:href|src)="(/static/[^"]+\.(?:css|js))"', home)))
    if not static:
        raise SystemExit("The home page links no static CSS or JavaScript.")
    return {
        "home": ["/"],
        "themes": ["/themes/"],
        "theme page": themes,
        "reviews": ["/reviews/"],
        "review page": reviews,
        "search": ["/search/?" + urlencode({"q": q}) for q in SEARCHES],
        "api list": ["/api/v1/reviews/", "/api/v1/themes/", "/api/v1/learning-points/"],
        "csv": ["/api/v1/reviews.csv", "/api/v1/learning-points.csv"],
        "feed": ["/feeds/reviews.atom"],
        "static": [path.decode() for path in static],
    }


# The gunicorn processes ----------------------------------------------------------------------------


def worker_pids(master: int) -> list[int]:
    try:
        return sorted(int(pid) for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split())
    except OSError:
        return []


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def database_backends(database_url: str) -> list[int]:
    """The PostgreSQL server processes serving the site's database, if the server runs on this machine."""
    parts = urlsplit(database_url)
    if not parts.scheme.startswith("postgres") or parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        return []
    import psycopg2

    try:
        connection = psycopg2.connect(
            dbname=parts.path.lstrip("/"),
            host=parts.hostname,
            port=parts.port or 5432,
            user=parts.username,
            password=parts.password,
        )
    except psycopg2.Error:
        return []
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            return [pid for (pid,) in cursor.fetchall() if Path(f"/proc/{pid}").exists()]
    finally:
        connection.close()


# The clients ---------------------------------------------------------------------------------------


class Results:
    def __init__(self):
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.statuses: dict[int | str, int] = defaultdict(int)
        self.examples: dict[str, str] = {}

    def merge(self, other: Results) -> None:
        for kind, values in other.latencies.items():
            self.latencies[kind] += values
        for kind, count in other.errors.items():
            self.errors[kind] += count
        for status, count in other.statuses.items():
            self.statuses[status] += count
        for key, example in other.examples.items():
            self.examples.setdefault(key, example)


def client(port: int, paths: dict[str, list[str]], start: threading.Barrier, deadline: list[float], seed: int):
    rng = random.Random(seed)
    kinds, weights = list(MIX), list(MIX.values())
    results = Results()
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    headers = {"Accept-Encoding": "gzip", "User-Agent": "kb-bench-load"}
    start.wait()
    while time.monotonic() < deadline[0]:
        kind = rng.choices(kinds, weights)[0]
        path = rng.choice(paths[kind])
        started = time.perf_counter()
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as error:
            status = type(error).__name__
            connection.close()
            connection = http.client.HTTPConnection(HOST, port, timeout=30)
        elapsed = (time.perf_counter() - started) * 1000
        results.statuses[status] += 1
        if isinstance(status, int) and status < 400:
            results.latencies[kind].append(elapsed)
        else:
            results.errors[kind] += 1
            results.latencies[kind].append(elapsed)
            results.examples.setdefault(f"{status} {path}", kind)
    connection.close()
    return results


def run_clients(port: int, paths: dict[str, list[str]], clients: int, duration: float) -> tuple[Results, float]:
    start = threading.Barrier(clients + 1)
    deadline = [float("inf")]
    collected: list[Results] = []
    lock = threading.Lock()

    def run(seed):
        results = client(port, paths, start, deadline, seed)
        with lock:
            collected.append(results)

    threads = [threading.Thread(target=run, args=(seed,), daemon=True) for seed in range(clients)]
    for thread in threads:
        thread.start()
    deadline[0] = time.monotonic() + duration
    began = time.monotonic()
    start.wait()
    for thread in threads:
        # A request in flight at the deadline finishes (or times out after 30 s).
        thread.join(timeout=duration + 60)
    elapsed = time.monotonic() - began
    total = Results()
    for results in collected:
        total.merge(results)
    return total, elapsed


def warm_up(port: int, paths: dict[str, list[str]], workers: int) -> None:
    """Every path a few times, so each worker has loaded the code and the first queries are not timed."""
    for _ in range(workers * 2):
        for kind_paths in paths.values():
            for path in kind_paths:
                get(port, path)


# Report --------------------------------------------------------------------------------------------


def report(results: Results, elapsed: float) -> list[dict]:
    header = f"{'page':<12} {'requests':>8} {'errors':>6} {'p50':>8} {'p95':>8} {'p99':>8} {'req/s':>7}"
    print(header)
    print("-" * len(header))
    rows = []
    everything: list[float] = []
    for kind in MIX:
        latencies = results.latencies.get(kind, [])
        everything += latencies
        if not latencies:
            continue
        rows.append(
            {
                "page": kind,
                "requests": len(latencies),
                "errors": results.errors.get(kind, 0),
                "p50_ms": statistics.median(latencies),
                "p95_ms": percentile(latencies, 0.95),
                "p99_ms": percentile(latencies, 0.99),
                "per_second": len(latencies) / elapsed,
            }
        )
    total_errors = sum(results.errors.values())
    if everything:
        rows.append(
            {
                "page": "all",
                "requests": len(everything),
                "errors": total_errors,
                "p50_ms": statistics.median(everything),
                "p95_ms": percentile(everything, 0.95),
                "p99_ms": percentile(everything, 0.99),
                "per_second": len(everything) / elapsed,
            }
        )
    for row in rows:
        if row["page"] == "all":
            print("-" * len(header))
        print(
            f"{row['page']:<12} {row['requests']:>8,} {row['errors']:>6,} {row['p50_ms']:>6.0f}ms "
            f"{row['p95_ms']:>6.0f}ms {row['p99_ms']:>6.0f}ms {row['per_second']:>7.1f}"
        )
    return rows


def stop_requested(signum, frame):
    raise KeyboardInterrupt


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=100, help="Concurrent clients (default 100).")
    parser.add_argument("--duration", type=float, default=30, help="Seconds of load (default 30, at most 600).")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4).")
    parser.add_argument(
        "--cache-url",
        default="",
        help="KB_CACHE_URL for the server, e.g. redis://127.0.0.1:6379/15 (default: each worker's own memory; "
        "public pages use no cache either way).",
    )
    args = parser.parse_args()
    if not 1 <= args.clients <= 1000 or not 0 < args.duration <= 600 or not 1 <= args.workers <= 32:
        parser.error("--clients 1–1000, --duration up to 600 s, --workers 1–32")

    database_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    workdir = Path(tempfile.mkdtemp(prefix="kb-load-"))
    server = None
    # A stop request (kill, Ctrl-C) still runs the clean-up below.
    signal.signal(signal.SIGTERM, stop_requested)
    try:
        env = production_env(database_url, workdir / "static", args.cache_url)
        if not os.environ.get("DATABASE_URL"):
            prepare_default_database(env)
        print("collecting static files (production storage) into a temporary folder")
        manage(env, "collectstatic", "--noinput", "-v", "0")

        port = free_port()
        log = workdir / "gunicorn.log"
        server = start_server(env, port, args.workers, log)
        wait_until_ready(server, port, log)
        paths = discover(port)
        warm_up(port, paths, args.workers)
        workers_before = worker_pids(server.pid)
        cpu_before = {pid: cpu_seconds(pid) for pid in workers_before}
        # Each worker keeps its database connection (DJANGO_CONN_MAX_AGE): their server processes.
        backends = database_backends(database_url)
        backends_cpu_before = sum(cpu_seconds(pid) for pid in backends)

        print(
            f"\n{args.clients} clients for {args.duration:.0f} s against gunicorn kb.wsgi "
            f"({args.workers} sync workers) on {HOST}:{port}; database {urlsplit(database_url).path.lstrip('/')}; "
            f"cache {'Redis' if args.cache_url else 'per process'}; {os.cpu_count()} CPUs, shared with this client"
        )
        print(f"load average before: {loadavg()}\n")
        own_cpu = os.times()
        results, elapsed = run_clients(port, paths, args.clients, args.duration)
        own_cpu_used = (os.times().user - own_cpu.user) + (os.times().system - own_cpu.system)
        load_after = loadavg()
        workers_after = worker_pids(server.pid)
        rows = report(results, elapsed)

        print(f"\nelapsed {elapsed:.1f} s; load average after: {load_after}")
        print(f"status codes: {dict(sorted(results.statuses.items(), key=str))}")
        used = ", ".join(f"{pid}: {cpu_seconds(pid) - cpu_before.get(pid, 0):.1f} s CPU" for pid in workers_after)
        print(f"gunicorn workers: {len(workers_after)} ({used})")
        if backends:
            backends_cpu = sum(cpu_seconds(pid) for pid in backends) - backends_cpu_before
            print(f"PostgreSQL server processes for those connections: {len(backends)}, {backends_cpu:.1f} s CPU")
        if workers_after != workers_before:
            print(f"  workers changed during the run (restarted or timed out): before {workers_before}")
        print(f"this client ({args.clients} threads, same machine): {own_cpu_used:.1f} s CPU")
        for example in list(results.examples)[:10]:
            print(f"  error: {example}")
        timeouts = log.read_text().count("WORKER TIMEOUT")
        if timeouts:
            print(f"gunicorn log: {timeouts} worker timeout(s)")

        results_dir = ROOT / "bench" / "results"
        results_dir.mkdir(exist_ok=True)
        out = results_dir / f"load-{time.strftime('%Y%m%d-%H%M%S')}.json"
        out.write_text(json.dumps({"args": vars(args), "elapsed": elapsed, "rows": rows}, indent=1))
        print(f"raw figures: {out.relative_to(ROOT)}")

        failed = sum(
            count for status, count in results.statuses.items() if not isinstance(status, int) or status >= 500
        )
        if failed:
            print(f"FAILED: {failed} request(s) got a server error or no answer", file=sys.stderr)
            return 1
        return 0
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        if server is not None:
            stop_server(server)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

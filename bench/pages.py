#!/usr/bin/env python
"""Pages at national scale: each page type uncached and cached, under gunicorn as in production.

Uses the PostgreSQL database ``kb_bench`` filled by ``manage.py
generate_demo_data --reviews 20000`` (made here if it does not exist: that
takes several minutes; an existing one is reused, migrated, and analysed if
the planner has no statistics for it). Then starts two ``gunicorn kb.wsgi``
servers with production settings (``DJANGO_DEBUG=0``, hashed static files,
4 sync workers, ``--timeout 30``, the statement timeout of the settings, the
Redis cache): one with the page cache off (``KB_PAGE_CACHE=0``), one with it
on, each under a key prefix of its own. For each page type it prints:

- uncached and cached p50/p95 response times, one request at a time, over
  loopback (so server time plus well under a millisecond);
- throughput with 8 concurrent connections (``wrk`` if installed, else
  Python threads), in turns with a static file (the hashed CSS every page
  links) served by the same server, as a ratio to it: the figure for cached
  pages to compare with the target of 0.5;
- the load average before and after (the machine is shared: compare ratios
  within one run, never absolute times across runs).

    .venv/bin/python bench/pages.py                    # about 25 minutes on 2 cores
    .venv/bin/python bench/pages.py --cached-only --only home,review,csv
    .venv/bin/python bench/pages.py --only "theme (largest),review" --database postgres://…/kb_other

Every request asks for gzip, as browsers do (the static file is then sent
gzipped by WhiteNoise, cached pages by the page cache; uncached pages are
not compressed).

Needs PostgreSQL on 127.0.0.1:5432 (user postgres) and Redis on
127.0.0.1:6379. Exits 1 if a cached page answers anything but 200. See
docs/BENCHMARKS.md; raw figures go to bench/results/.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import quote, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import (
    HOST,
    ROOT,
    free_port,
    get,
    loadavg,
    manage,
    percentile,
    production_env,
    start_server,
    stop_server,
)

DATABASE_URL = "postgres://postgres@127.0.0.1:5432/kb_bench"
REDIS_URL = "redis://127.0.0.1:6379/6"
REVIEWS = 20_000
WORKERS = 4
CONNECTIONS = 8
# Uncached pages slower than this get no throughput figure (see below).
SLOW_MS = 500
# Turns of the page and the static file in each throughput figure.
ROUNDS = 4

# The largest synthetic theme (generate_demo_data weighs neglect heaviest), a partnership and a tag.
THEME = "synthetic-neglect"
PARTNERSHIP = "synthetic-partnership-7"
TAG = "synthetic-sofa"


# The database -------------------------------------------------------------------------------------


def prepare_database(env: dict[str, str], database_url: str = DATABASE_URL) -> None:
    import psycopg2

    parts = urlsplit(database_url)
    params = {"host": parts.hostname, "port": parts.port, "user": parts.username}
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(dbname="postgres", **params)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = cursor.fetchone() is not None
        if not exists:
            print(f"creating database {name}")
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    print(f"migrating {name}")
    manage(env, "migrate", "--noinput", "-v", "0")
    database = psycopg2.connect(dbname=name, **params)
    database.autocommit = True
    with database.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM reviews_review")
        reviews = cursor.fetchone()[0]
    if reviews == 0:
        print(f"generating {REVIEWS:,} synthetic reviews (several minutes; it runs VACUUM (ANALYZE) at the end)")
        started = time.monotonic()
        manage(env, "generate_demo_data", "--reviews", str(REVIEWS))
        print(f"  done in {time.monotonic() - started:.0f} s")
    else:
        print(f"reusing {name}: {reviews:,} reviews")
        with database.cursor() as cursor:
            # As autovacuum would have by now (this server may run with it off): statistics for the
            # planner, and pages marked all-visible so that index-only scans read no rows.
            cursor.execute(
                "SELECT count(*) FROM pg_stat_user_tables WHERE relname LIKE 'reviews_%%' AND n_live_tup > 0 "
                "AND ((last_analyze IS NULL AND last_autoanalyze IS NULL) "
                "OR (last_vacuum IS NULL AND last_autovacuum IS NULL))"
            )
            if cursor.fetchone()[0]:
                print("  some tables were never analysed or vacuumed: VACUUM (ANALYZE)")
                cursor.execute("VACUUM (ANALYZE)")
    with database.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        print(f"autovacuum: {cursor.fetchone()[0]}")
    database.close()


def wait_until_ready(server: subprocess.Popen, port: int, log: Path, timeout: float = 120) -> None:
    """Until the server answers a cheap address (the home page may take seconds uncached)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped (exit {server.returncode}):\n{log.read_text()}")
        try:
            if get(port, "/api/v1/", timeout=30)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer within {timeout:.0f} s:\n{log.read_text()}")


# What to ask for ---------------------------------------------------------------------------------


def discover(port: int) -> dict[str, str]:
    """One address per page type, found through the running site."""

    def first(path):
        status, body = get(port, path, timeout=120)
        if status != 200:
            raise SystemExit(f"{path} answered {status}")
        return json.loads(body)["results"][0]

    def last_page(path):
        status, body = get(port, path, timeout=120)
        if status != 200:
            raise SystemExit(f"{path} answered {status}")
        numbers = [int(n) for n in re.findall(rb'aria-label="Page (\d+)"', body)]
        return max(numbers, default=1)

    review = first("/api/v1/reviews/")
    point = first("/api/v1/learning-points/")
    theme = f"/themes/{THEME}/"
    filtered = f"/reviews/?theme={THEME}&type=scr"
    return {
        "home": "/",
        "themes": "/themes/",
        "theme (largest)": theme,
        "theme last page": f"{theme}?page={last_page(theme)}",
        "review": f"/reviews/{review['slug']}/",
        "reviews": "/reviews/",
        "reviews filtered last page": f"{filtered}&page={last_page(filtered)}",
        "partnership": f"/partnerships/{PARTNERSHIP}/",
        "tag": f"/tags/{TAG}/",
        "search": "/search/?q=neglect",
        "api list": "/api/v1/learning-points/",
        "api detail": f"/api/v1/reviews/{review['id']}/",
        "csv": "/api/v1/reviews.csv",
        "sitemap": "/sitemap.xml",
        "sitemap page": "/sitemap-reviews.xml?p=20",
        "feed": "/feeds/reviews.atom",
        "embed": f"/embed/lp/{point['id']}/",
        # The page to describe must be on the host asked: filled in per server.
        "oembed": "/oembed/?url=" + quote(f"http://{{origin}}/themes/{THEME}/", safe="{}"),
    }


def static_path(port: int) -> str:
    _, home = get(port, "/", timeout=120)
    found = re.findall(rb'href="(/static/[^"]+\.css)"', home)
    if not found:
        raise SystemExit("The home page links no CSS.")
    return found[0].decode()


# Measuring ---------------------------------------------------------------------------------------


def on(port: int, path: str) -> str:
    """The path as asked of the server on ``port`` (an address in its query names the server)."""
    return path.replace("{origin}", quote(f"{HOST}:{port}"))


def timed(port: int, path: str) -> tuple[float, int, int, str]:
    """(milliseconds, status, bytes, X-Cache) of one request on a new connection, as a browser's first."""
    path = on(port, path)
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    started = time.perf_counter()
    try:
        connection.request("GET", path, headers={"Accept-Encoding": "gzip"})  # as every browser
        response = connection.getresponse()
        body = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        return elapsed, response.status, len(body), response.getheader("X-Cache", "")
    except (OSError, http.client.HTTPException):
        return (time.perf_counter() - started) * 1000, 0, 0, ""
    finally:
        connection.close()


def latencies(port: int, path: str, *, samples: int, budget: float, minimum: int = 3) -> dict:
    times, statuses, size, cache = [], {}, 0, set()
    deadline = time.monotonic() + budget
    while len(times) < samples and (len(times) < minimum or time.monotonic() < deadline):
        elapsed, status, size, x_cache = timed(port, path)
        times.append(elapsed)
        statuses[status] = statuses.get(status, 0) + 1
        cache.add(x_cache)
    return {
        "n": len(times),
        "p50_ms": statistics.median(times),
        "p95_ms": percentile(times, 0.95),
        "statuses": statuses,
        "bytes": size,
        "x_cache": sorted(cache),
    }


def throughput(port: int, path: str, duration: float) -> dict:
    """Requests per second with CONNECTIONS concurrent connections for ``duration`` seconds."""
    if shutil.which("wrk"):
        result = subprocess.run(
            [
                "wrk",
                "-t",
                "2",
                "-c",
                str(CONNECTIONS),
                "-d",
                f"{max(duration, 1):.0f}s",
                "--timeout",
                "40s",
                "-H",
                "Accept-Encoding: gzip",
                f"http://{HOST}:{port}{on(port, path)}",
            ],
            capture_output=True,
            text=True,
            timeout=duration + 120,
        )
        rate = re.search(r"Requests/sec:\s+([\d.]+)", result.stdout)
        bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", result.stdout)
        errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", result.stdout)
        return {
            "per_second": float(rate.group(1)) if rate else 0.0,
            "errors": (int(bad.group(1)) if bad else 0) + (sum(map(int, errors.groups())) if errors else 0),
            "client": "wrk",
        }
    done, errors = [0], [0]
    lock = threading.Lock()
    deadline = time.monotonic() + duration

    def run():
        while time.monotonic() < deadline:
            _, status, _, _ = timed(port, path)
            with lock:
                done[0] += 1
                errors[0] += status != 200

    threads = [threading.Thread(target=run) for _ in range(CONNECTIONS)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"per_second": done[0] / (time.monotonic() - started), "errors": errors[0], "client": "python threads"}


def alternating(port: int, path: str, static: str, duration: float, rounds: int = ROUNDS) -> dict:
    """The page's and the static file's throughput, in ``rounds`` turns of ``duration / rounds`` seconds each."""
    page_rates, static_rates, errors = [], [], 0
    for _ in range(rounds):
        for target, rates in ((static, static_rates), (path, page_rates)):
            result = throughput(port, target, duration / rounds)
            rates.append(result["per_second"])
            errors += result["errors"]
    return {
        "per_second": statistics.mean(page_rates),
        "static_per_second": statistics.mean(static_rates),
        "turns": list(zip(page_rates, static_rates, strict=True)),
        "errors": errors,
        "client": result["client"],
    }


# Report ------------------------------------------------------------------------------------------


def fmt_ms(value: float) -> str:
    if value != value:  # NaN: not measured
        return "-"
    return f"{value / 1000:.2f}s" if value >= 1000 else f"{value:.1f}ms"


def fmt_rate(value: float) -> str:
    return "-" if value != value else f"{value:.1f}"


def report(rows: list[dict], static: dict) -> None:
    header = (
        f"{'page':<30} {'kB sent':>7} {'uncached p50':>12} {'p95':>8} {'cached p50':>10} {'p95':>7} "
        f"{'req/s uncached':>14} {'cached':>7} {'ratio to static':>15}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        uncached, cached = row["uncached"], row["cached"]
        statuses = set(uncached["statuses"]) - {200}
        note = f"  uncached statuses {uncached['statuses']}" if statuses else ""
        ratio = f"{row['cached_ratio']:.2f}"
        if row["uncached_ratio"] == row["uncached_ratio"]:
            ratio += f" ({row['uncached_ratio']:.3f})"
        print(
            f"{row['page']:<30} {cached['bytes'] / 1000:>7.1f} {fmt_ms(uncached['p50_ms']):>12} "
            f"{fmt_ms(uncached['p95_ms']):>8} {fmt_ms(cached['p50_ms']):>10} {fmt_ms(cached['p95_ms']):>7} "
            f"{fmt_rate(row['uncached_rate']['per_second']):>14} {row['cached_rate']['per_second']:>7.0f} "
            f"{ratio:>15}{note}"
        )
    print("-" * len(header))
    latency = static["latency"]
    print(
        f"{'static file (CSS)':<30} {latency['bytes'] / 1000:>7.1f} {'':>12} {'':>8} "
        f"{fmt_ms(latency['p50_ms']):>10} {fmt_ms(latency['p95_ms']):>7} {'':>14} {static['per_second']:>7.0f} "
        f"{'1.00':>15}"
    )
    print(
        "(kB sent: gzipped, as asked; ratio to static: the cached page's req/s ÷ the static file's, in turns on the "
        "same server; the uncached server's in brackets, for pages under 0.5 s)"
    )


def stop_requested(signum, frame):
    raise KeyboardInterrupt


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=10, help="Uncached requests per page (default 10).")
    parser.add_argument("--budget", type=float, default=20, help="Seconds at most per uncached page (default 20).")
    parser.add_argument("--cached-samples", type=int, default=100, help="Cached requests per page (default 100).")
    parser.add_argument(
        "--duration", type=float, default=8, help="Seconds of load per throughput figure (default 8, in 4 turns)."
    )
    parser.add_argument("--only", default="", help="Comma-separated page names (default: all).")
    parser.add_argument("--cached-only", action="store_true", help="Skip the uncached figures (minutes at 20k).")
    parser.add_argument(
        "--database", default=DATABASE_URL, help=f"The 20k database, made if missing (default {DATABASE_URL})."
    )
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="kb-pages-"))
    servers: list[subprocess.Popen] = []
    signal.signal(signal.SIGTERM, stop_requested)
    prefix = f"kb-bench-{uuid.uuid4().hex[:8]}"
    try:
        base_env = production_env(args.database, workdir / "static", REDIS_URL)
        base_env["KB_CACHE_KEY_PREFIX"] = prefix
        prepare_database(base_env, args.database)
        print("collecting static files (production storage) into a temporary folder")
        manage(base_env, "collectstatic", "--noinput", "-v", "0")

        ports = {}
        for name, page_cache in (("uncached", "0"), ("cached", "1")):
            env = {**base_env, "KB_PAGE_CACHE": page_cache, "KB_CACHE_KEY_PREFIX": f"{prefix}-{name}"}
            ports[name] = free_port()
            log = workdir / f"gunicorn-{name}.log"
            servers.append(start_server(env, ports[name], WORKERS, log))
            wait_until_ready(servers[-1], ports[name], log, timeout=120)

        pages = discover(ports["uncached"])
        if args.only:
            wanted = {name.strip() for name in args.only.split(",")}
            pages = {name: path for name, path in pages.items() if name in wanted}
        static = static_path(ports["cached"])
        database = urlsplit(args.database).path.lstrip("/")
        print(
            f"\n{len(pages)} page types; 20k database {database}; gunicorn kb.wsgi, {WORKERS} sync workers each, "
            f"--timeout 30; {os.cpu_count()} CPUs shared with this client and other work"
        )
        load_before = loadavg()
        print(f"load average before: {load_before}")

        print("warming up (every page on every worker of each server)")
        for path in pages.values():
            timed(ports["cached"], path)  # one builds the cached page: the others then read it
            for port in ports.values() if not args.cached_only else [ports["cached"]]:
                warmers = [threading.Thread(target=timed, args=(port, path)) for _ in range(WORKERS)]
                for thread in warmers:
                    thread.start()
                for thread in warmers:
                    thread.join()

        rows = []
        static_rates = []
        for name, path in pages.items():
            print(f"  {name}: {path}", flush=True)
            if args.cached_only:
                uncached = {"n": 0, "p50_ms": float("nan"), "p95_ms": float("nan"), "statuses": {}, "bytes": 0}
            else:
                uncached = latencies(ports["uncached"], path, samples=args.samples, budget=args.budget)
            timed(ports["cached"], path)  # fill the cache
            cached = latencies(ports["cached"], path, samples=args.cached_samples, budget=args.budget, minimum=10)
            # The page and the static file in turns, on the same server: the load of the
            # machine (shared) changes within seconds, so each ratio is of neighbours.
            cached_rate = alternating(ports["cached"], path, static, args.duration)
            static_rates.append(cached_rate["static_per_second"])
            if args.cached_only:
                uncached_rate = {"per_second": float("nan"), "errors": 0, "client": "not measured"}
            elif uncached["p50_ms"] < SLOW_MS:
                uncached_rate = throughput(ports["uncached"], path, args.duration)
                time.sleep(1.5)  # let requests still in flight finish before the next figure
            else:
                # Requests left in flight would hold the workers into the next figure; the latency says it.
                uncached_rate = {"per_second": float("nan"), "errors": 0, "client": "not measured"}
            rows.append(
                {
                    "page": name,
                    "path": path,
                    "uncached": uncached,
                    "cached": cached,
                    "cached_rate": cached_rate,
                    "uncached_rate": uncached_rate,
                }
            )
        static_rate = statistics.mean(static_rates)
        for row in rows:
            row["cached_ratio"] = row["cached_rate"]["per_second"] / row["cached_rate"]["static_per_second"]
            row["uncached_ratio"] = row["uncached_rate"]["per_second"] / row["cached_rate"]["static_per_second"]
        static_info = {
            "path": static,
            "per_second": static_rate,
            "runs": static_rates,
            "latency": latencies(ports["cached"], static, samples=args.cached_samples, budget=args.budget),
        }
        load_after = loadavg()

        print()
        report(rows, static_info)
        print(f"static file req/s, measured beside each page: {min(static_rates):.0f} to {max(static_rates):.0f}")
        print(f"load average before: {load_before}; after: {load_after}")
        client = rows[0]["cached_rate"]["client"] if rows else "-"
        print(
            f"throughput: {CONNECTIONS} connections, {args.duration:.0f} s per page in {ROUNDS} turns with the static "
            f"file ({client})"
        )

        failures = [
            row["page"]
            for row in rows
            if set(row["cached"]["statuses"]) != {200} or row["cached"]["x_cache"] != ["hit"]
        ]
        results_dir = ROOT / "bench" / "results"
        results_dir.mkdir(exist_ok=True)
        out = results_dir / f"pages-{time.strftime('%Y%m%d-%H%M%S')}.json"
        out.write_text(
            json.dumps(
                {
                    "args": vars(args),
                    "load_before": load_before,
                    "load_after": load_after,
                    "static": static_info,
                    "rows": rows,
                },
                indent=1,
            )
        )
        print(f"raw figures: {out.relative_to(ROOT)}")
        for log in sorted(workdir.glob("gunicorn-*.log")):
            timeouts = log.read_text().count("WORKER TIMEOUT")
            if timeouts:
                print(f"{log.name}: {timeouts} worker timeout(s)")
        if failures:
            print(f"FAILED: not served from the cache with a 200: {', '.join(failures)}", file=sys.stderr)
            return 1
        return 0
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        for server in servers:
            stop_server(server)
        shutil.rmtree(workdir, ignore_errors=True)
        try:
            import redis

            connection = redis.Redis.from_url(REDIS_URL)
            for key in connection.scan_iter(f"{prefix}*"):
                connection.delete(key)
        except Exception:
            pass


if __name__ == "__main__":
    sys.exit(main())

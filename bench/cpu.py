"""CPU time of the site's pages, in one process, as production builds them (no page cache).

A machine shared with other work makes wall-clock figures mostly waiting for
a CPU; the CPU time a process spends on a request (``time.process_time``)
moves far less with the load. This script sets up Django with the production
settings (DEBUG off, the page cache off) on a database of your choosing
(``kb_bench``, the 20k database ``bench/pages.py`` makes, by default), asks
the test client for each page ``--samples`` times after one warm-up, and
prints the p50 and p95 CPU time and wall time of each page, the queries it
ran and the size of its HTML. ``--profile`` prints the functions that took
the most time on one page instead.

    .venv/bin/python bench/cpu.py                                  # every page type, kb_bench
    .venv/bin/python bench/cpu.py --only "theme (largest),review" --samples 30
    .venv/bin/python bench/cpu.py --profile "theme (largest)"
    .venv/bin/python bench/cpu.py --queries "theme last page"      # its queries, slowest first
    .venv/bin/python bench/cpu.py --database sqlite:///db.sqlite3 --only review

The database server's own time is not CPU time of this process: the "wall"
column includes it (and waiting for a CPU). See docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The production static storage's files and manifest, made once (collectstatic) if missing.
STATIC_ROOT = Path("/tmp/kb-bench-cpu-static")
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/kb_bench"

# The same page types as bench/pages.py, found in the database rather than through a server.
THEME = "synthetic-neglect"
PARTNERSHIP = "synthetic-partnership-7"
TAG = "synthetic-sofa"


def configure(database_url: str) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="kb.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="bench-cpu-" + "x" * 50,
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_LOG_LEVEL="ERROR",
        DATABASE_URL=database_url,
        KB_PAGE_CACHE="0",
        DJANGO_STATIC_ROOT=str(STATIC_ROOT),
    )
    os.environ.pop("KB_CACHE_URL", None)  # the local-memory cache: nothing shared is read or written
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    if not (STATIC_ROOT / "staticfiles.json").exists():  # production storage needs its manifest
        from django.core.management import call_command

        call_command("collectstatic", interactive=False, verbosity=0)


def last_page(client, path: str) -> int:
    import re

    body = client.get(path).content
    return max((int(n) for n in re.findall(rb'aria-label="Page (\d+)"', body)), default=1)


def pages(client) -> dict[str, str]:
    from reviews.models import LearningPoint, Review

    review = Review.objects.published().order_by("-pk").first()
    point = LearningPoint.objects.published().order_by("-pk").first()
    theme = f"/themes/{THEME}/"
    filtered = f"/reviews/?theme={THEME}&type=scr"
    return {
        "home": "/",
        "themes": "/themes/",
        "theme (largest)": theme,
        "theme last page": f"{theme}?page={last_page(client, theme)}",
        "review": f"/reviews/{review.slug}/",
        "reviews": "/reviews/",
        "reviews filtered last page": f"{filtered}&page={last_page(client, filtered)}",
        "partnership": f"/partnerships/{PARTNERSHIP}/",
        "tag": f"/tags/{TAG}/",
        "search": "/search/?q=neglect",
        "api list": "/api/v1/learning-points/",
        "api detail": f"/api/v1/reviews/{review.pk}/",
        "sitemap": "/sitemap.xml",
        "sitemap page": "/sitemap-reviews.xml?p=20",
        "feed": "/feeds/reviews.atom",
        "embed": f"/embed/lp/{point.pk}/",
    }


def measure(client, path: str, samples: int) -> dict:
    from django.db import connection, reset_queries

    connection.force_debug_cursor = True
    cpu, wall, queries, size = [], [], 0, 0
    for sample in range(samples + 1):
        reset_queries()
        started_cpu, started = time.process_time(), time.perf_counter()
        response = client.get(path)
        body = b"".join(response) if response.streaming else response.content
        elapsed_cpu, elapsed = time.process_time() - started_cpu, time.perf_counter() - started
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
        if sample:  # the first is the warm-up
            cpu.append(elapsed_cpu * 1000)
            wall.append(elapsed * 1000)
        queries, size = len(connection.queries), len(body)
    connection.force_debug_cursor = False

    def p95(values):
        return sorted(values)[max(0, round(0.95 * len(values)) - 1)]

    return {
        "cpu_p50": statistics.median(cpu),
        "cpu_p95": p95(cpu),
        "wall_p50": statistics.median(wall),
        "wall_p95": p95(wall),
        "queries": queries,
        "kb": size / 1024,
    }


def print_queries(client, path: str) -> int:
    """Each query of one request (after a warm-up), slowest first: its time as the client saw it
    (the server's work plus the round trip) and the start of its SQL."""
    from django.db import connection, reset_queries

    client.get(path)
    connection.force_debug_cursor = True
    reset_queries()
    started = time.perf_counter()
    client.get(path)
    elapsed = (time.perf_counter() - started) * 1000
    connection.force_debug_cursor = False
    queries = [(float(query["time"]) * 1000, query["sql"]) for query in connection.queries]
    print(f"{path}: {len(queries)} queries, {sum(t for t, _ in queries):.1f} ms of {elapsed:.1f} ms")
    for taken, sql in sorted(queries, reverse=True):
        print(f"{taken:7.1f}ms  {sql[:160]}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=DEFAULT_DATABASE, help=f"default {DEFAULT_DATABASE}")
    parser.add_argument("--only", default="", help="Comma-separated page names, or paths starting with /.")
    parser.add_argument("--samples", type=int, default=15, help="Requests per page after one warm-up (default 15).")
    parser.add_argument("--profile", default="", help="A page name or path: print its profile instead.")
    parser.add_argument("--top", type=int, default=35, help="Functions in the profile (default 35).")
    parser.add_argument("--queries", default="", help="A page name or path: print its queries, slowest first.")
    args = parser.parse_args()

    configure(args.database)
    from django.test import Client

    client = Client()
    found = pages(client)
    if args.profile:
        path = found.get(args.profile, args.profile)
        client.get(path)  # warm-up
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.samples):
            client.get(path)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(args.top)
        print(f"{path}: {args.samples} requests\n{out.getvalue()}")
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(args.top)
        print(out.getvalue())
        return 0

    if args.queries:
        return print_queries(client, found.get(args.queries, args.queries))

    if args.only:
        wanted = [name.strip() for name in args.only.split(",") if name.strip()]
        found = {name: found.get(name, name) for name in wanted}
    print(f"load average before: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    print(f"{'page':<28} {'CPU p50':>9} {'CPU p95':>9} {'wall p50':>9} {'wall p95':>9} {'queries':>8} {'kB':>7}")
    for name, path in found.items():
        row = measure(client, path, args.samples)
        print(
            f"{name[:28]:<28} {row['cpu_p50']:>7.1f}ms {row['cpu_p95']:>7.1f}ms {row['wall_p50']:>7.1f}ms "
            f"{row['wall_p95']:>7.1f}ms {row['queries']:>8} {row['kb']:>7.1f}",
            flush=True,
        )
    print(f"load average after: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python
"""Search latency at national scale, on PostgreSQL.

Runs a fixed set of realistic searches (the words practitioners use, phrases,
a phrase ending in a common word, exclusions, facets, a deep page, a
misspelling) against a database filled by ``manage.py generate_demo_data``,
and prints for each the number of results,
the number of SQL queries, and the p50/p95 latency of

- ``search``: the whole search as the page runs it (compile, facet counts,
  ranking, highlights for the shown page, loading the entries, their themes
  and the facet labels), and
- ``page``: the same through the Django view, template rendering included;

then the ``EXPLAIN (ANALYZE, BUFFERS)`` plans of the search statement (the
one that counts, facets and ranks) for a few searches, and checks that they
use the GIN index. See docs/BENCHMARKS.md.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kb_bench .venv/bin/python bench/search.py

Timings are never asserted in tests; this script is where they are measured.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings")
# The test client's requests go to "testserver".
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.http import QueryDict  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from reviews.models import Action, LearningPoint, Recommendation, Review, SearchEntry  # noqa: E402
from reviews.search import search_knowledge_base  # noqa: E402
from reviews.search.backends import get_backend  # noqa: E402
from reviews.search.params import parse_request  # noqa: E402

# What practitioners type (see issue 5), and what the page's links produce.
QUERIES: list[tuple[str, dict]] = [
    ("co-sleeping", {"q": "co-sleeping"}),
    ("safe sleep", {"q": "safe sleep"}),
    ('"escalation policy"', {"q": '"escalation policy"'}),
    ("escalation policy", {"q": "escalation policy"}),
    ("dad not known to services", {"q": "dad not known to services"}),
    ("neglect", {"q": "neglect"}),
    ("domestic abuse -alcohol", {"q": "domestic abuse -alcohol"}),
    ("information sharing GP school", {"q": "information sharing GP school"}),
    ("mental health or substance misuse", {"q": "mental health or substance misuse"}),
    ("missed health appointments", {"q": "missed health appointments"}),
    ("professional curiosity", {"q": "professional curiosity"}),
    ("home education", {"q": "home education"}),
    ("respite care", {"q": "respite care"}),
    ("online grooming -images", {"q": "online grooming -images"}),
    ('"county lines"', {"q": '"county lines"'}),
    # A phrase ending in a common word: PostgreSQL checks the text as written
    # on the rows its index finds for "aware"; unquoted, the same check ranks.
    ('"aware of"', {"q": '"aware of"'}),
    ("step down", {"q": "step down"}),
    ("synthetic child 4242", {"q": "synthetic child 4242"}),
    ("neglect + type + year", {"q": "neglect", "type": "learning-point", "year": "2019"}),
    ("neglect + theme", {"q": "neglect", "theme": "synthetic-neglect"}),
    ("neglect + partnership", {"q": "neglect", "partnership": "synthetic-partnership-7"}),
    ('"county lines" + year', {"q": '"county lines"', "year": "2015"}),
    ("neglect, page 5", {"q": "neglect", "page": "5"}),
    ("negelct (misspelt)", {"q": "negelct"}),
]
PLANS = [
    {"q": "neglect"},
    {"q": '"escalation policy"'},
    {"q": "neglect", "theme": "synthetic-neglect"},
    {"q": '"aware of"'},
]
GIN_INDEX = "searchentry_vector_gin"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def run_search(params: dict):
    return search_knowledge_base(request=parse_request(QueryDict(urlencode(params))), user=AnonymousUser())


def measure(repeat: int) -> list[dict]:
    client = Client()
    rows = []
    for label, params in QUERIES:
        for _ in range(2):  # Warm the caches: the figures are for a running site.
            run_search(params)
            client.get("/search/?" + urlencode(params))
        reset_queries()  # With DEBUG on, a full query log would hide what is captured.
        with CaptureQueriesContext(connection) as captured:
            page = run_search(params)
        search_times, page_times = [], []
        for _ in range(repeat):
            started = time.perf_counter()
            run_search(params)
            search_times.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            response = client.get("/search/?" + urlencode(params))
            page_times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (label, response.status_code)
        rows.append(
            {
                "query": label,
                "results": page.total,
                "relaxed": page.relaxed,
                "capped": page.capped,
                "sql_queries": len(captured.captured_queries),
                "search_ms": search_times,
                "page_ms": page_times,
            }
        )
    return rows


def explain(params: dict) -> tuple[str, bool]:
    """The plans of a search's statements, run as the search runs them, and whether they use the GIN index."""
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        run_search(params)
    statements = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("WITH m AS")]
    output, uses_gin = [], bool(statements)
    with get_backend().planner_settings(), connection.cursor() as cursor:
        for sql in statements:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            uses_gin = uses_gin and GIN_INDEX in plan
            output.append(plan)
    return "\n\n".join(output), uses_gin


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=30, help="Timed runs per query (default 30).")
    parser.add_argument("--no-plans", action="store_true", help="Skip the EXPLAIN ANALYZE output.")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("bench/search.py measures PostgreSQL: set DATABASE_URL=postgres://…/kb_bench", file=sys.stderr)
        return 2

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0]
        cursor.execute(
            "SELECT pg_size_pretty(pg_total_relation_size('reviews_searchentry')), "
            f"pg_size_pretty(pg_relation_size('{GIN_INDEX}'))"
        )
        table_size, index_size = cursor.fetchone()
    sizes = {
        "reviews": Review.objects.count(),
        "learning_points": LearningPoint.objects.count(),
        "recommendations": Recommendation.objects.count(),
        "actions": Action.objects.count(),
        "search_entries": SearchEntry.objects.count(),
    }
    print(f"{version.split(',')[0]} on {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(", ".join(f"{count:,} {name.replace('_', ' ')}" for name, count in sizes.items()))
    print(f"search entries table {table_size} (with TOAST and indexes), GIN index {index_size}")
    # The machine may be shared: say how busy it was.
    print("load average before: {:.2f} {:.2f} {:.2f}\n".format(*os.getloadavg()))

    rows = measure(args.repeat)
    header = f"{'query':<36} {'results':>10} {'SQL':>4} {'search p50':>11} {'p95':>7} {'page p50':>9} {'p95':>7}"
    print(header)
    print("-" * len(header))
    all_search, all_page = [], []
    for row in rows:
        all_search += row["search_ms"]
        all_page += row["page_ms"]
        results = ("over 1,000" if row["capped"] else f"{row['results']:,}") + ("*" if row["relaxed"] else "")
        print(
            f"{row['query']:<36} {results:>10} {row['sql_queries']:>4} "
            f"{statistics.median(row['search_ms']):>9.1f}ms {percentile(row['search_ms'], 0.95):>5.1f}ms "
            f"{statistics.median(row['page_ms']):>7.1f}ms {percentile(row['page_ms'], 0.95):>5.1f}ms"
        )
    print("-" * len(header))
    search_p95, page_p95 = percentile(all_search, 0.95), percentile(all_page, 0.95)
    print(
        f"{'all queries':<36} {'':>10} {'':>4} {statistics.median(all_search):>9.1f}ms {search_p95:>5.1f}ms "
        f"{statistics.median(all_page):>7.1f}ms {page_p95:>5.1f}ms"
    )
    print("(over 1,000: capped to the most recent matches; * no result had all the words: relaxed to at least half)")
    print("load average after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    print(f"\nTarget p95 < 50 ms for the search: {'met' if search_p95 < 50 else 'NOT met'} ({search_p95:.1f} ms)")

    plans_ok = True
    if not args.no_plans:
        for params in PLANS:
            plan, uses_gin = explain(params)
            plans_ok = plans_ok and uses_gin
            print(f"\n=== EXPLAIN (ANALYZE, BUFFERS): {urlencode(params)} ===\n{plan}")
        print(f"\nGIN index {GIN_INDEX} used by every plan: {'yes' if plans_ok else 'NO'}")

    results_dir = ROOT / "bench" / "results"
    results_dir.mkdir(exist_ok=True)
    out = results_dir / f"search-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps({"sizes": sizes, "version": version, "rows": rows}, indent=1))
    print(f"\nRaw timings: {out.relative_to(ROOT)}")
    return 0 if plans_ok else 1


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python
"""Two versions of the code under gunicorn at once, their requests interleaved: before against after.

On a shared machine whose speed moves by a quarter within minutes, two runs of
``bench/pages.py`` one after the other compare the machine as much as the code.
This script serves an earlier commit (checked out into a temporary ``git
worktree``, sharing this checkout's ``.venv`` and built front end) and the
working tree side by side, each with ``gunicorn kb.wsgi`` as production runs it
(4 sync workers, DEBUG off, the Redis cache, the page cache off), on the same
database. For each path it asks both in turn, A B then B A, ``--samples`` times,
so that a slow moment falls on both, and prints for each:

- p50, p95 and mean response time over loopback (server time plus well under a millisecond);
- the CPU time its gunicorn workers used per request (from ``/proc``), which
  moves less with the machine's load than the time does.

    .venv/bin/python bench/compare.py HEAD~3 /themes/synthetic-neglect/ /reviews/synthetic-review-1/
    .venv/bin/python bench/compare.py 9cafd97 --samples 300 /themes/synthetic-neglect/

Uses ``kb_bench`` (``bench/pages.py`` makes it) unless ``--database`` says
otherwise; both versions must run on its migrations. See docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import ROOT, free_port, get, loadavg, percentile, production_env, start_server, stop_server
from pages import DATABASE_URL, REDIS_URL, WORKERS, wait_until_ready

WARM_UP = 12  # requests per path and server before measuring: every worker has built the page


def worktree(ref: str, into: Path) -> Path:
    """``ref`` checked out into ``into``, with this checkout's virtualenv and built front end."""
    subprocess.run(["git", "worktree", "add", "--detach", "-q", str(into), ref], cwd=ROOT, check=True)
    (into / ".venv").symlink_to(ROOT / ".venv")
    (into / "static" / "build").symlink_to(ROOT / "static" / "build")
    return into


def serve(root: Path, env: dict[str, str], log: Path) -> tuple[subprocess.Popen, int]:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=root, env=env, check=True
    )
    port = free_port()
    server = start_server(env, port, WORKERS, log, root=root)
    wait_until_ready(server, port, log)
    return server, port


def workers_cpu(master: int) -> float:
    """Seconds of CPU used so far by the worker processes of a gunicorn master."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def compare(servers: dict[str, tuple[subprocess.Popen, int]], path: str, samples: int) -> None:
    names = list(servers)
    for _server, port in servers.values():
        for _ in range(WARM_UP):
            get(port, path)
    times: dict[str, list[float]] = {name: [] for name in names}
    used = {name: workers_cpu(server.pid) for name, (server, _) in servers.items()}
    for sample in range(samples):
        for name in names if sample % 2 == 0 else reversed(names):
            started = time.perf_counter()
            status, _ = get(servers[name][1], path)
            times[name].append((time.perf_counter() - started) * 1000)
            if status != 200:
                raise SystemExit(f"{name}: {path} answered {status}")
    for name, (server, _) in servers.items():
        cpu = (workers_cpu(server.pid) - used[name]) / samples * 1000
        values = times[name]
        print(
            f"{path[:44]:<44} {name:<8} {statistics.median(values):7.1f} {percentile(values, 0.95):7.1f} "
            f"{statistics.mean(values):7.1f} {cpu:9.1f}",
            flush=True,
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", help="A commit (or branch, tag) to compare the working tree with.")
    parser.add_argument("paths", nargs="+", help="Paths to ask both for, e.g. /themes/synthetic-neglect/.")
    parser.add_argument("--samples", type=int, default=200, help="Requests per path and version (default 200).")
    parser.add_argument("--database", default=DATABASE_URL, help=f"default {DATABASE_URL}")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="kb-compare-"))
    before = workdir / "before"
    servers: dict[str, tuple[subprocess.Popen, int]] = {}
    try:
        worktree(args.before, before)
        for name, root in (("before", before), ("after", ROOT)):
            env = production_env(args.database, workdir / f"static-{name}", REDIS_URL)
            env.update(KB_PAGE_CACHE="0", KB_CACHE_KEY_PREFIX=f"kb-compare-{uuid.uuid4().hex[:8]}")
            servers[name] = serve(root, env, workdir / f"gunicorn-{name}.log")
        print(f"before: {args.before}; after: the working tree; {WORKERS} workers each; load average {loadavg()}")
        print(f"{'path':<44} {'version':<8} {'p50 ms':>7} {'p95 ms':>7} {'mean':>7} {'CPU/req':>9}")
        for path in args.paths:
            compare(servers, path, args.samples)
        print(f"load average after: {loadavg()}")
    finally:
        for server, _ in servers.values():
            stop_server(server)
        if before.exists():
            subprocess.run(["git", "worktree", "remove", "--force", str(before)], cwd=ROOT, check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())

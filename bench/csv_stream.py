#!/usr/bin/env python
"""The CSV of every learning point at national scale: streamed without error, memory flat.

Starts one ``gunicorn kb.wsgi`` worker with production settings on the 20k
database ``kb_bench`` (``bench/pages.py`` makes it), without the page cache,
downloads ``/api/v1/learning-points.csv`` (or ``--path``) over loopback and,
while it streams, samples the worker's resident memory (``VmRSS``) twice a
second. Prints the rows and bytes received, the time to the first byte and to
the last, and the worker's memory before the request and at each tenth of the
download: flat memory means the last tenth is about what the first was.

    .venv/bin/python bench/csv_stream.py                          # gthread worker (the default here)
    .venv/bin/python bench/csv_stream.py --worker-class sync      # see README: a sync worker is killed at --timeout
    .venv/bin/python bench/csv_stream.py --path /api/v1/reviews.csv --port 8130

Exits 1 if the download is cut short, the status is not 200, or the worker
was restarted. See docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import HOST, ROOT, free_port, loadavg, manage, production_env, stop_server

DATABASE_URL = "postgres://postgres@127.0.0.1:5432/kb_bench"


def children(pid: int) -> list[int]:
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--path", default="/api/v1/learning-points.csv")
    parser.add_argument("--worker-class", default="gthread", help="gunicorn worker class (default gthread)")
    parser.add_argument("--timeout", type=int, default=30, help="gunicorn --timeout (default 30)")
    parser.add_argument("--port", type=int, default=0, help="port to serve on (default: a free one)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="kb-csv-") as folder:
        static_root = Path(folder) / "static"
        env = production_env(DATABASE_URL, static_root, cache_url="")
        env["KB_PAGE_CACHE"] = "0"
        manage(env, "collectstatic", "--noinput", "-v", "0")
        port = args.port or free_port()
        log = Path(folder) / "gunicorn.log"
        command = [
            sys.executable, "-m", "gunicorn", "kb.wsgi", f"--bind={HOST}:{port}", "--workers=1",
            f"--worker-class={args.worker_class}", "--threads=2", f"--timeout={args.timeout}",
            "--error-logfile=-", "--log-level=warning",
        ]  # fmt: skip
        with log.open("w") as output:
            server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while not children(server.pid) and time.monotonic() < deadline:
                time.sleep(0.2)
            time.sleep(2)
            connection = http.client.HTTPConnection(HOST, port, timeout=300)
            connection.request("GET", "/api/v1/")  # the worker loads the site before the memory is read
            connection.getresponse().read()
            (worker,) = children(server.pid)
            before = rss_mb(worker)
            print(f"{args.path} from one gunicorn {args.worker_class} worker (--timeout {args.timeout}) on kb_bench")
            print(f"load average before: {loadavg()}")

            samples: list[tuple[float, int, float]] = []  # (seconds, bytes so far, MB)
            received = [0]
            done = threading.Event()

            def sample():
                started = time.monotonic()
                while not done.is_set():
                    with contextlib.suppress(OSError):
                        samples.append((time.monotonic() - started, received[0], rss_mb(worker)))
                    time.sleep(0.5)

            sampler = threading.Thread(target=sample)
            started = time.monotonic()
            sampler.start()
            connection.request("GET", args.path)
            response = connection.getresponse()
            first_byte, rows, tail = None, 0, b""
            complete = True
            try:
                while chunk := response.read(64 * 1024):
                    first_byte = first_byte or time.monotonic() - started
                    received[0] += len(chunk)
                    rows += chunk.count(b"\n")
                    tail = chunk[-200:]
            except (OSError, http.client.HTTPException) as error:
                complete = False
                print(f"download cut short: {error!r}")
            elapsed = time.monotonic() - started
            done.set()
            sampler.join()
            restarted = children(server.pid) != [worker]
        finally:
            stop_server(server)
        print(
            f"status {response.status}; {rows - 1:,} rows, {received[0] / 1e6:.1f} MB in {elapsed:.1f} s "
            f"(first byte after {first_byte or float('nan'):.2f} s)"
        )
        print(f"worker memory: {before:.0f} MB before the request")
        total = max(received[0], 1)
        for tenth in range(1, 11):
            at = next((mb for _, got, mb in samples if got >= total * tenth / 10), samples[-1][2] if samples else 0)
            print(f"  after {tenth * 10:>3}% of the bytes: {at:.0f} MB")
        peak = max((mb for _, _, mb in samples), default=float("nan"))
        print(f"  peak {peak:.0f} MB; load average after: {loadavg()}")
        problems = log.read_text().strip()
        if problems:
            print("gunicorn log:\n" + problems)
        ok = complete and response.status == 200 and not restarted and tail.endswith(b"\n")
        print("OK: streamed completely" if ok else "FAILED: the download did not complete")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""bench/compare.py's own workings (not its figures): the two versions are asked in turns, A B then
B A, and a gunicorn master's workers' CPU time is read from /proc."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import compare

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")


class _Server:
    def __init__(self, pid):
        self.pid = pid


def test_the_versions_are_asked_in_turns_and_each_figure_printed(monkeypatch, capsys):
    asked = []
    monkeypatch.setattr(compare, "get", lambda port, path: asked.append(port) or (200, b""))
    monkeypatch.setattr(compare, "workers_cpu", lambda master: 0.0)
    compare.compare({"before": (_Server(1), 1001), "after": (_Server(2), 1002)}, "/themes/x/", samples=4)

    measured = asked[2 * compare.WARM_UP :]
    assert measured == [1001, 1002, 1002, 1001, 1001, 1002, 1002, 1001]
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[:2] for line in lines] == [["/themes/x/", "before"], ["/themes/x/", "after"]]


def test_a_page_that_fails_stops_the_comparison(monkeypatch):
    monkeypatch.setattr(compare, "get", lambda port, path: (500, b""))
    monkeypatch.setattr(compare, "workers_cpu", lambda master: 0.0)
    monkeypatch.setattr(compare, "WARM_UP", 0)
    with pytest.raises(SystemExit, match="before: /broken/ answered 500"):
        compare.compare({"before": (_Server(1), 1001), "after": (_Server(2), 1002)}, "/broken/", samples=2)


def test_the_cpu_of_a_masters_workers_is_counted():
    # A "master" whose one "worker" spins until the master is killed (its process group with it).
    worker = "while True: pass"
    master = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import subprocess, sys, time; subprocess.Popen([sys.executable, '-c', {worker!r}]); time.sleep(60)",
        ],
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while compare.workers_cpu(master.pid) < 0.2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert compare.workers_cpu(master.pid) >= 0.2
    finally:
        os.killpg(master.pid, signal.SIGKILL)
        master.wait()

"""Two app servers behind one address act as one site: bench/two_servers.py, on PostgreSQL with Redis.

The script sets up a database of its own on the server of ``DATABASE_URL``
(the test database lives inside pytest's transaction, which other processes
cannot see), starts two gunicorn servers and a round-robin proxy, and checks
sessions, the sign-in lock-out and the page cache across them. It takes about
15 s, so it runs in the PostgreSQL pass only; SQLite is one machine's
database.
"""

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_two_app_servers_share_sessions_lockouts_and_the_page_cache():
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        pytest.skip(
            "two app servers share a PostgreSQL database: runs in the PostgreSQL pass (DATABASE_URL=postgres://...)"
        )
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        if os.environ.get("CI") == "true":
            pytest.fail("CI expects a Redis server at 127.0.0.1:6379")
        pytest.skip("no Redis server at 127.0.0.1:6379: two app servers share one")
    env = {**os.environ, "DATABASE_URL": database_url}
    env.setdefault("KB_CACHE_URL", "redis://127.0.0.1:6379/7")
    result = subprocess.run(
        [sys.executable, "bench/two_servers.py", "--database", f"test_kb_two_servers_{os.getpid()}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "FAIL" not in result.stdout
    passed = re.search(r"(\d+) of (\d+) checks passed", result.stdout)
    assert passed and passed.group(1) == passed.group(2) and int(passed.group(1)) >= 8, result.stdout

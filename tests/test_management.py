"""Commands run before ``migrate`` say what to do instead of failing with "no such table"."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "command",
    [
        ["generate_demo_data", "--reviews", "1"],
        ["rebuild_search_index"],
        ["load_kb"],
        ["import_briefing", "fixtures/briefings/000_061062a55a416d00.txt"],
        ["kb_coverage"],
    ],
    ids=lambda command: command[0],
)
def test_a_command_on_a_database_without_migrations_says_to_migrate(tmp_path, command):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "KB_")) and k != "DATABASE_URL"}
    env.update({"DJANGO_DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"})
    result = subprocess.run(
        [sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 1
    assert "is not set up yet" in result.stderr
    assert "manage.py migrate` first" in result.stderr
    assert "Traceback" not in result.stderr

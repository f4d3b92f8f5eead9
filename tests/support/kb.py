"""Helpers for tests of loading the knowledge base."""

import io
import json
import shutil

from django.conf import settings
from django.core.management import call_command


def dump_database() -> str:
    """Every row of the app (history included) and of the tags, primary keys and all."""
    out = io.StringIO()
    call_command("dumpdata", "reviews", "taggit", indent=1, stdout=out)
    return out.getvalue()


def copy_fixtures(tmp_path):
    """A copy of the real fixtures, to break or change."""
    target = tmp_path / "fixtures"
    shutil.copytree(settings.BASE_DIR / "fixtures", target)
    return target


def edit_json(path, change):
    """Change one fixture file: ``change`` gets its data and changes it in place."""
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def find(items, ref):
    """The fixture object with this ref in a list of them."""
    return next(item for item in items if item["ref"] == ref)


def load_fixtures(fixtures_dir, **options) -> str:
    """``manage.py load_kb`` from ``fixtures_dir``; what it printed."""
    out = io.StringIO()
    call_command("load_kb", fixtures_dir=fixtures_dir, stdout=out, **options)
    return out.getvalue()

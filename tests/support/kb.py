"""Helpers for tests of loading the knowledge base."""

import io

from django.core.management import call_command


def dump_database() -> str:
    """Every row of the app (history included) and of the tags, primary keys and all."""
    out = io.StringIO()
    call_command("dumpdata", "reviews", "taggit", indent=1, stdout=out)
    return out.getvalue()

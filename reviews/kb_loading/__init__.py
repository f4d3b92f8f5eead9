"""Load the knowledge base content from ``fixtures/`` (``manage.py load_kb``).

The fixtures are the reviewed record of what the five briefings say; the
format and the editorial rules are in ``fixtures/README.md``. Loading happens
in two steps:

1. **Validate** everything without touching the database: JSON syntax, unknown
   or missing keys, choices and dates, references between files (themes,
   partnerships, sources, resources, repeated learning), duplicate keys, and
   that every text is found word for word in its briefing.
2. **Write** inside one transaction, upserting by natural key with ordinary
   ``save()`` calls (search indexing and history listen to those signals) and
   ``full_clean()`` before each save. Anything that goes wrong rolls the whole
   load back, so the database is exactly as it was.

Objects whose fields already match are not saved again, so a second load
changes nothing: no new history rows, no ``updated_at`` bumps.

Rows that came from a fixture source but are no longer in the fixtures are
reported, and deleted only with ``prune=True``: editors may have added them in
the admin on purpose.

Editors' work is never undone by a load. A row whose latest history entry was
made by a person (the admin records who) is left as they left it, and a row
they deleted is not created again; both are reported. A page whose slug an
editor changed, or a theme they merged into another, is found under its new
slug. ``overwrite_edits=True`` (``load_kb --overwrite-edits``) puts the
fixtures' version back instead.

Modules:

- ``schema``: the format (keys, types, partial dates);
- ``reader``: the files into ``Item`` objects, checked against the format;
- ``validator``: checks across the files, one method per model;
- ``writer``: the upserts, one method per model, leaving editors' work alone;
- ``report``: ``LoadReport``, what a load did;
- ``errors``: ``FixtureError``;
- ``load``: ``read_fixtures`` and ``load_knowledge_base``.
"""

from .errors import FixtureError
from .load import load_knowledge_base, read_fixtures
from .reader import DEFAULT_FIXTURES_DIR, Fixtures, Item
from .report import LoadReport
from .schema import parse_partial_date

__all__ = [
    "DEFAULT_FIXTURES_DIR",
    "FixtureError",
    "Fixtures",
    "Item",
    "LoadReport",
    "load_knowledge_base",
    "parse_partial_date",
    "read_fixtures",
]

"""The two entry points: read and validate the fixtures, and load them in one transaction."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from .errors import FixtureError
from .reader import DEFAULT_FIXTURES_DIR, FixtureReader, Fixtures
from .report import LoadReport
from .validator import FixtureValidator
from .writer import FixtureWriter


class _RollBack(Exception):
    pass


def read_fixtures(fixtures_dir: Path | str = DEFAULT_FIXTURES_DIR) -> Fixtures:
    """Read and validate every fixture file; raise ``FixtureError`` listing all faults."""
    reader = FixtureReader(Path(fixtures_dir))
    fixtures = reader.read()
    # Cross-file checks on a partial read would only report knock-on faults.
    if not reader.problems:
        FixtureValidator(fixtures, reader.problems, reader.excluded_items).validate()
    if reader.problems:
        raise FixtureError(reader.problems)
    return fixtures


def load_knowledge_base(
    *,
    fixtures_dir: Path | str = DEFAULT_FIXTURES_DIR,
    dry_run: bool = False,
    prune: bool = False,
    overwrite_edits: bool = False,
) -> LoadReport:
    """Validate the fixtures, then load them in one transaction.

    Raises ``FixtureError`` (and changes nothing) on any fault. With
    ``dry_run`` everything is written and then rolled back, so the report says
    what a real load would do. Rows editors changed or deleted are left as
    they are unless ``overwrite_edits``.
    """
    fixtures = read_fixtures(fixtures_dir)
    report = LoadReport()
    try:
        with transaction.atomic():
            writer = FixtureWriter(fixtures, report, overwrite_edits=overwrite_edits)
            writer.write()
            for description, obj in writer.stale_rows():
                report.stale.append(description)
                if prune:
                    obj.delete()
                    report.pruned[type(obj)] += 1
            if dry_run:
                raise _RollBack
    except _RollBack:
        pass
    return report

"""The uses of learning as CSV for the board's annual report: one row per use,
every cell made safe for a spreadsheet (``csv_safe``)."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterator

from ..api.csv import csv_safe
from ..models import LearningUse

COLUMNS = (
    "date_used",
    "how_used",
    "agency_or_team",
    "people",
    "what_was_used",
    "kind_of_thing_used",
    "review",
    "address",
    "note",
    "recorded_by",
)


def uses_between(start: datetime.date | None, end: datetime.date | None):
    """The uses from ``start`` to ``end`` (both included; either may be open), oldest first."""
    uses = LearningUse.objects.select_related("learning_point__review", "theme", "review", "recorded_by")
    if start:
        uses = uses.filter(used_on__gte=start)
    if end:
        uses = uses.filter(used_on__lte=end)
    return uses.order_by("used_on", "pk")


def _row(use: LearningUse, absolute) -> list[str]:
    used = use.used
    if use.learning_point_id:
        kind, review = "learning point", use.learning_point.review
    elif use.theme_id:
        kind, review = "theme", None
    else:
        kind, review = "review", use.review
    cells = [
        use.used_on.isoformat(),
        use.get_kind_display(),
        use.agency,
        str(use.people),
        use.used_label,
        kind,
        review.title if review is not None else "",
        absolute(used.get_absolute_url()),
        use.note,
        use.recorded_by.get_username() if use.recorded_by_id else "",
    ]
    return [csv_safe(cell) for cell in cells]


def csv_lines(uses, absolute) -> Iterator[str]:
    """The header line, then one line per use."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for use in uses.iterator(chunk_size=500):
        writer.writerow(_row(use, absolute))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()

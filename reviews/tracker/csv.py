"""The board view as CSV for a board meeting: one row per action, every cell made safe
for a spreadsheet by the API's ``csv_safe`` (a cell starting "=" is shown, never run)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from ..api.csv import csv_safe
from ..models import Action
from .quality import action_checklist, recommendation_checklist
from .selectors import TrackerRow

COLUMNS = (
    "owner",
    "review",
    "review_status",
    "recommendation",
    "action",
    "state",
    "current_status",
    "status_reported_by",
    "status_reported_on",
    "target_date_as_written",
    "target_date",
    "closing_judgement",
    "closing_reason",
    "judged_by",
    "judged_on",
    "latest_evidence_of_impact",
    "evidence_reported_by",
    "evidence_reported_on",
    "reference",
    "action_checklist",
    "recommendation_checklist",
)


def _row(row: TrackerRow) -> list[str]:
    action, latest, evidence = row.action, row.latest_update, row.evidence
    recommendation = action.recommendation
    cells = [
        action.owner,
        action.review.title,
        action.review.get_status_display(),
        recommendation.label if recommendation else "",
        action.text,
        row.state_label,
        Action.Status(action.current_status).label,
        latest.reported_by if latest else "the briefing",
        latest.reported_on.isoformat() if latest else "",
        action.target_date_as_stated,
        action.target_date.isoformat() if action.target_date else "",
        action.get_closing_judgement_display(),
        action.closing_reason,
        action.judged_by,
        action.judged_on.isoformat() if action.judged_on else "",
        evidence.text if evidence else "",
        (evidence.reported_by or "the briefing") if evidence else "",
        evidence.reported_on.isoformat() if evidence and evidence.reported_on else "",
        action.ref,
        # A rough guide (``quality``): "owner: yes; date: no; measurable: no".
        action_checklist(action).summary(),
        recommendation_checklist(recommendation).summary() if recommendation else "",
    ]
    return [csv_safe(cell) for cell in cells]


def tracker_csv_rows(rows: Iterable[TrackerRow]) -> Iterator[list[str]]:
    yield list(COLUMNS)
    for row in rows:
        yield _row(row)


def tracker_csv(rows: Iterable[TrackerRow]) -> str:
    """The whole file, with a byte-order mark so that Excel reads UTF-8."""
    out = io.StringIO()
    out.write("\ufeff")
    csv.writer(out).writerows(tracker_csv_rows(rows))
    return out.getvalue()

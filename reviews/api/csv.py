"""The API's CSV: each endpoint's columns, records flattened into rows, and course packs as rows.

A row is a JSON record flattened (``flatten``), so the CSV can never say
something the JSON does not; every cell goes through ``csv_safe`` so that a
spreadsheet shows it rather than running it, and no control character stored
by a bulk update reaches the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ..addresses import Absolute
from ..citations import citation_for
from ..courses.selectors import PackStep
from ..models import Review, Theme
from ..text_cleaning import clean_text

# ---------------------------------------------------------------------------
# Each endpoint's columns
# ---------------------------------------------------------------------------

REVIEW_COLUMNS = (
    "id",
    "slug",
    "title",
    "review_type",
    "review_type_label",
    "partnership_slug",
    "partnership_name",
    "children",
    "summary",
    "summary_is_editorial",
    "published",
    "published_on",
    "published_precision",
    "year",
    "tags",
    "themes",
    "counts_learning_points",
    "counts_recommendations",
    "counts_actions",
    "counts_uses_recorded",
    "sources",
    "url",
    "permalink",
    "print_url",
    "first_published_at",
    "updated_at",
)

THEME_COLUMNS = (
    "id",
    "slug",
    "name",
    "summary",
    "summary_is_editorial",
    "aliases",
    "related",
    "national_themes",
    "counts_learning_points",
    "counts_recommendations",
    "counts_actions",
    "counts_reviews",
    "counts_uses_recorded",
    "url",
    "permalink",
    "print_url",
    "embed_url",
)

AGENCY_COLUMNS = (
    "id",
    "slug",
    "name",
    "description",
    "description_is_editorial",
    "counts_recommendations",
    "counts_actions",
    "url",
)

NATIONAL_THEME_COLUMNS = (
    "id",
    "slug",
    "name",
    "framework_slug",
    "framework_name",
    "framework_publisher",
    "report_title",
    "report_period",
    "report_url",
    "description",
    "description_is_editorial",
    "local_themes",
    "url",
)

# What learning points, recommendations and actions have in common; each adds its own after "section_within".
ENTRY_COLUMNS = (
    "id",
    "ref",
    "heading",
    "section_heading",
    "section_role",
    "section_within",
    "text",
    "review_id",
    "review_title",
    "review_url",
    "partnership_slug",
    "partnership_name",
    "year",
    "themes",
    "source_id",
    "source_title",
    "source_publisher",
    "source_partnership_slug",
    "source_partnership_name",
    "source_published",
    "source_url",
    "url",
    "permalink",
    "updated_at",
)

LEARNING_POINT_COLUMNS = (*ENTRY_COLUMNS[:6], "kind", *ENTRY_COLUMNS[6:], "repeats_id", "uses_recorded", "embed_url")

RECOMMENDATION_COLUMNS = (
    *ENTRY_COLUMNS[:6],
    "number",
    "addressed_to",
    "agencies",
    "agencies_are_editorial",
    *ENTRY_COLUMNS[6:],
    "action_ids",
)

ACTION_COLUMNS = (
    *ENTRY_COLUMNS[:6],
    "owner",
    "agencies",
    "agencies_are_editorial",
    "status",
    "status_label",
    "target_date_as_stated",
    "target_date",
    "target_date_precision",
    "evidence_of_impact",
    "recommendation_id",
    # The tracker: the latest status reported (the full dated history is in the JSON's ``status_history``).
    "status_reported_status",
    "status_reported_status_label",
    "status_reported_reported_on",
    "status_reported_reported_by",
    "closing_judgement_judgement",
    "closing_judgement_label",
    "closing_judgement_judged_on",
    "closing_judgement_judged_by",
    "closing_judgement_reason",
    *ENTRY_COLUMNS[6:],
)


# ---------------------------------------------------------------------------
# Records as rows
# ---------------------------------------------------------------------------


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(_list_entry(entry) for entry in value)
    return str(value)


def _list_entry(entry) -> str:
    if isinstance(entry, dict):
        for key in ("slug", "title", "name", "id"):
            if entry.get(key) not in (None, ""):
                return str(entry[key])
        return ""
    return str(entry)


def flatten(record: dict) -> dict[str, str]:
    """One CSV row from a JSON record: nested objects become ``<key>_<field>``
    columns (``source_partnership_slug``), lists are joined with '; ' (themes
    and sources by slug)."""
    row: dict[str, str] = {}
    _flatten_into(row, "", record)
    return row


def _flatten_into(row: dict[str, str], prefix: str, record: dict) -> None:
    for key, value in record.items():
        if type(value) is str:  # most cells, as they are (``_cell`` would give the same)
            row[f"{prefix}{key}"] = value
        elif isinstance(value, dict):
            _flatten_into(row, f"{prefix}{key}_", value)
        else:
            row[f"{prefix}{key}"] = _cell(value)


# Spreadsheets run a cell starting with one of these as a formula (OWASP,
# "CSV injection": https://owasp.org/www-community/attacks/CSV_Injection),
# also after leading spaces or line breaks, and some (with a Japanese or Chinese
# input method) in their full-width forms; a leading apostrophe makes them show
# it as text instead.
FORMULA_CHARACTERS = "=+-@\uff1d\uff0b\uff0d\uff20"  # = + - @, then full-width ＝ ＋ － ＠
# A tab or carriage return first, or a formula character after any whitespace (``\s`` is what
# ``str.lstrip()`` strips).
_GUARDED_START = re.compile(rf"[\t\r]|\s*[{re.escape(FORMULA_CHARACTERS)}]")


def csv_safe(value: str) -> str:
    """``value`` as a spreadsheet cell: without control characters (``clean_text``), and
    shown as text, never run, if it starts like a formula once leading whitespace is
    skipped, or starts with a tab or carriage return. The JSON keeps the wording exactly."""
    value = clean_text(value)
    return f"'{value}" if _GUARDED_START.match(value) else value


def csv_rows(columns: tuple[str, ...], records: Iterable[dict]) -> Iterator[list[str]]:
    """The header, then one row per record: its flattened cells in ``columns`` order, made safe."""
    yield list(columns)
    for record in records:
        row = flatten(record)
        yield [csv_safe(row.get(column, "")) for column in columns]


# ---------------------------------------------------------------------------
# Course packs as rows (the pack's CSV export)
# ---------------------------------------------------------------------------


# Whose words a course-pack step's ``text`` is, for the CSV's ``wording`` column.
WORDING_QUOTED = "Quoted word for word from the briefing"
WORDING_KNOWLEDGE_BASE = "Knowledge base description (not the board's words)"


def pack_step_row(step: PackStep, *, number: int, absolute: Absolute) -> dict[str, str]:
    """One course-pack step as a CSV row; a removed item says only that it is no longer available.

    ``wording`` says whose words ``text`` is: a theme's summary is always the
    knowledge base's own, a review's summary is unless it was taken from a
    briefing (``summary_source``), and an entry is quoted from its briefing,
    whose section's heading it sat under is ``section_heading``.
    """
    row = {
        "step": str(number),
        "kind": step.kind,
        "status": "note" if step.is_note else ("removed" if step.is_removed else "included"),
        "title": "",
        "text": "",
        "wording": "",
        "board": "",
        "date": "",
        "source_briefing": "",
        "section_heading": "",
        "url": "",
        "trainer_notes": step.item.notes,
    }
    if step.is_removed:
        row["title"] = step.removed_label
        return row
    content = step.content
    if content is None:
        return row
    citation = citation_for(content, absolute_url=absolute(content.get_permalink()))
    row.update(board=citation.board, date=citation.date, url=citation.url)
    if isinstance(content, Theme):
        row.update(title=content.name, text=content.summary)
        if content.summary:
            row["wording"] = WORDING_KNOWLEDGE_BASE
    elif isinstance(content, Review):
        row.update(title=content.title, text=content.summary)
        if content.summary:
            row["wording"] = WORDING_KNOWLEDGE_BASE if content.summary_is_editorial else WORDING_QUOTED
            if not content.summary_is_editorial:
                row["source_briefing"] = content.summary_source.title
    else:
        row.update(title=citation.title, text=content.text, wording=WORDING_QUOTED)
        row["source_briefing"] = content.source.title
        row["section_heading"] = content.heading_in_context
    return row

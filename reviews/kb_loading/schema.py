"""The fixture format: the keys each kind of object may have (and which are
required), their types, and the partial dates (``YYYY``, ``YYYY-MM`` or
``YYYY-MM-DD``) the briefings give. ``fixtures/README.md`` explains each key."""

from __future__ import annotations

import datetime
import re

from ..models import DatePrecision

# Allowed keys (True = required) and their types.
STR, OPT_STR, LIST, BOOL, DICT = "string", "string or null", "list", "true/false", "object"

SCHEMAS: dict[str, dict[str, tuple[bool, str]]] = {
    "partnership": {
        "slug": (True, STR),
        "name": (True, STR),
        "short_name": (False, STR),
        "area": (True, STR),
        "website": (False, STR),
    },
    "agency": {"slug": (True, STR), "name": (True, STR), "description": (True, STR)},
    "theme": {
        "slug": (True, STR),
        "name": (True, STR),
        "summary": (True, STR),
        "aliases": (False, LIST),
        "related": (False, LIST),
        "former_slugs": (False, LIST),
    },
    "alias": {"name": (True, STR), "source": (False, OPT_STR)},
    # ``national_themes.json``: national theme frameworks, and the local themes under their themes.
    "national themes file": {"frameworks": (True, LIST), "links": (True, LIST)},
    "framework": {
        "slug": (True, STR),
        "name": (True, STR),
        "publisher": (True, STR),
        "url": (False, STR),
        "description": (False, STR),
        "themes": (True, LIST),
    },
    "national theme": {
        "slug": (True, STR),
        "name": (True, STR),
        "report_title": (True, STR),
        "report_period": (False, STR),
        "report_url": (False, STR),
        "description": (False, STR),
    },
    "national theme link": {
        "theme": (True, STR),
        "framework": (True, STR),
        "national_theme": (True, STR),
        "justification": (True, STR),
    },
    # ``theme_guides.json``: each theme's overview and practice points, in the knowledge base's words.
    "theme guides file": {"guides": (True, LIST)},
    "theme guide": {"theme": (True, STR), "claims": (True, LIST)},
    "guide claim": {"ref": (True, STR), "kind": (True, STR), "text": (True, STR), "cites": (True, LIST)},
    "file": {
        "source": (True, DICT),
        "sections": (False, LIST),
        "excluded_passages": (False, LIST),
        "resources": (False, LIST),
        "collections": (False, LIST),
        "reviews": (False, LIST),
        "learning_points": (False, LIST),
    },
    "source": {
        "slug": (True, STR),
        "file": (True, STR),
        "title": (True, STR),
        "partnership": (False, OPT_STR),
        "publisher_as_stated": (False, STR),
        "kind": (True, STR),
        "published": (False, OPT_STR),
        "original_url": (False, STR),
        "original_url_origin": (False, STR),
    },
    "section": {
        "ref": (True, STR),
        "heading": (True, STR),
        "role": (True, STR),
        "layout": (False, STR),
        "review": (False, OPT_STR),
        "parent": (False, OPT_STR),
    },
    "excluded passage": {"text": (True, STR), "reason": (True, STR)},
    "resource": {
        "ref": (True, STR),
        "name": (True, STR),
        "kind": (True, STR),
        "url": (False, STR),
        "details_as_stated": (False, STR),
        "note": (False, STR),
        "section": (False, STR),
        "passage": (False, STR),
        "kind_note": (False, STR),
        "replaces": (False, STR),
        "changed_to": (False, STR),
        "changed_to_url": (False, STR),
        "changed_on": (False, OPT_STR),
        "change_note": (False, STR),
    },
    "collection": {"slug": (True, STR), "title": (True, STR), "introduction": (False, STR)},
    "review": {
        "slug": (True, STR),
        "title": (True, STR),
        "review_type": (True, STR),
        "partnership": (False, OPT_STR),
        "collection": (False, OPT_STR),
        "children": (False, STR),
        "summary": (False, STR),
        "summary_source": (False, OPT_STR),
        "published": (False, OPT_STR),
        "commissioned": (False, OPT_STR),
        "tags": (False, LIST),
        "case_facts": (False, LIST),
        "learning_points": (False, LIST),
        "recommendations": (False, LIST),
        "actions": (False, LIST),
    },
    "case fact": {
        "ref": (True, STR),
        "kind": (False, STR),
        "section": (True, STR),
        "kind_note": (False, STR),
        "replaces": (False, STR),
        "text": (True, STR),
        "themes": (False, LIST),
    },
    "learning point": {
        "ref": (True, STR),
        "kind": (False, STR),
        "section": (True, STR),
        "kind_note": (False, STR),
        "replaces": (False, STR),
        "text": (True, STR),
        "themes": (True, LIST),
        "resources": (False, LIST),
        "repeats": (False, OPT_STR),
    },
    "recommendation": {
        "ref": (True, STR),
        "number": (False, STR),
        "addressed_to": (False, STR),
        "section": (True, STR),
        "kind_note": (False, STR),
        "replaces": (False, STR),
        "text": (True, STR),
        "unanswered_parts": (False, LIST),
        "agencies": (False, LIST),
        "themes": (True, LIST),
        "resources": (False, LIST),
        "actions": (False, LIST),
    },
    "action": {
        "ref": (True, STR),
        "owner": (False, STR),
        "status": (True, STR),
        "target_date_as_stated": (False, STR),
        "section": (True, STR),
        "kind_note": (False, STR),
        "replaces": (False, STR),
        "text": (True, STR),
        "agencies": (False, LIST),
        "themes": (True, LIST),
        "resources": (False, LIST),
        "evidence_of_impact": (False, STR),
    },
}

# Keys the format no longer has, and what to write instead.
RETIRED_KEYS: dict[str, str] = {
    "heading": "an entry no longer gives its heading: give 'section', the ref of the section it sits under "
    "(listed in the file's 'sections', with the heading as the briefing prints it)",
}

TYPE_CHECKS = {
    STR: lambda v: isinstance(v, str),
    OPT_STR: lambda v: v is None or isinstance(v, str),
    LIST: lambda v: isinstance(v, list),
    BOOL: lambda v: isinstance(v, bool),
    DICT: lambda v: isinstance(v, dict),
}

_DATE_FORMATS = (
    (re.compile(r"^\d{4}-\d{2}-\d{2}$"), "%Y-%m-%d", DatePrecision.DAY),
    (re.compile(r"^\d{4}-\d{2}$"), "%Y-%m", DatePrecision.MONTH),
    (re.compile(r"^\d{4}$"), "%Y", DatePrecision.YEAR),
)


def parse_partial_date(value: str | None) -> tuple[datetime.date | None, str]:
    """``"2019-09"`` → (1 September 2019, month); ``None`` → (None, unknown)."""
    if value is None:
        return None, DatePrecision.UNKNOWN
    for pattern, fmt, precision in _DATE_FORMATS:
        if pattern.match(value):
            return datetime.datetime.strptime(value, fmt).date(), precision
    raise ValueError(f"date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD (or null when not given)")


# A ref reads <review>-<kind>-<nn> (``fixtures/README.md``): what each kind marker names.
_REF_KIND_MARKERS = {
    "lp": "learning_point",
    "gp": "learning_point",
    "rec": "recommendation",
    "act": "action",
    "fact": "case_fact",
    "res": "resource",
}
_REF_KIND = re.compile(r"-(" + "|".join(_REF_KIND_MARKERS) + r")-")


def kind_of_ref(ref: str) -> str | None:
    """The kind of entry a ref names by the refs' convention (``MovedEntry.Kind``), or None:
    ``"s-and-d-lp-05"`` → ``"learning_point"``. Used for a moved entry this database never held."""
    match = _REF_KIND.search(ref)
    return _REF_KIND_MARKERS[match.group(1)] if match else None

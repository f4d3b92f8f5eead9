"""The search page's URL parameters, read leniently.

Everything about a search lives in its URL so it can be shared, bookmarked
and linked from a course: ``q`` (the words), ``type``, ``theme``, ``review``,
``partnership`` and ``year`` (each may repeat; values are kinds, slugs and
years) and ``page``. A value that is malformed is ignored with a notice
rather than an error; whether a slug names something is checked later,
against what the person may see.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import QueryDict

from ..models import SearchEntry

FACET_PARAMS = ("type", "theme", "review", "partnership", "year")
# More values than this per parameter are ignored (no one ticks 50 boxes).
MAX_VALUES = 20
MAX_SLUG_LENGTH = 120
MIN_YEAR, MAX_YEAR = 1900, 2100
MAX_PAGE = 10_000


@dataclass
class SearchRequest:
    text: str = ""
    kinds: tuple[str, ...] = ()
    theme_slugs: tuple[str, ...] = ()
    review_slugs: tuple[str, ...] = ()
    partnership_slugs: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    page: int | None = 1
    notices: list[str] = field(default_factory=list)

    @property
    def has_filters(self) -> bool:
        return any((self.kinds, self.theme_slugs, self.review_slugs, self.partnership_slugs, self.years))


def _values(data: QueryDict, name: str, notices: list[str]) -> list[str]:
    values = [value.strip() for value in data.getlist(name) if value.strip()]
    unique = list(dict.fromkeys(values))
    if len(unique) > MAX_VALUES:
        notices.append(f"Only the first {MAX_VALUES} values of the “{name}” filter were used.")
    return unique[:MAX_VALUES]


def _slugs(data: QueryDict, name: str, label: str, notices: list[str]) -> tuple[str, ...]:
    kept = []
    for value in _values(data, name, notices):
        if len(value) <= MAX_SLUG_LENGTH and value.replace("-", "").replace("_", "").isalnum() and value.isascii():
            kept.append(value.lower())
        else:
            notices.append(f"There is no {label} called “{value[:60]}”, so that filter was ignored.")
    return tuple(kept)


def parse_request(data: QueryDict) -> SearchRequest:
    """Read a search from query parameters. Never raises."""
    notices: list[str] = []
    kinds = []
    valid_kinds = set(SearchEntry.Kind.values)
    for value in _values(data, "type", notices):
        if value in valid_kinds:
            kinds.append(value)
        else:
            notices.append(f"There is no type of result called “{value[:60]}”, so that filter was ignored.")
    years = []
    for value in _values(data, "year", notices):
        if value.isascii() and value.isdigit() and len(value) == 4 and MIN_YEAR <= int(value) <= MAX_YEAR:
            years.append(int(value))
        else:
            notices.append(f"“{value[:60]}” is not a year, so that filter was ignored.")
    raw_page = (data.get("page") or "1").strip()
    is_number = raw_page.isascii() and raw_page.isdigit() and len(raw_page) <= len(str(MAX_PAGE))
    page = int(raw_page) if is_number and 1 <= int(raw_page) <= MAX_PAGE else None
    return SearchRequest(
        text=data.get("q", ""),
        kinds=tuple(kinds),
        theme_slugs=_slugs(data, "theme", "theme", notices),
        review_slugs=_slugs(data, "review", "review", notices),
        partnership_slugs=_slugs(data, "partnership", "partnership", notices),
        years=tuple(years),
        page=page,
        notices=notices,
    )

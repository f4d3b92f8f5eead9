"""The search page's URL parameters, read leniently.

Everything about a search lives in its URL so it can be shared, bookmarked
and linked from a course: ``q`` (the words), ``type``, ``theme``, ``review``,
``partnership`` and ``year`` (each may repeat; values are kinds, slugs and
years) and ``page``. A value that is malformed is ignored with a notice
rather than an error; whether a slug names something is checked later,
against what the person may see. ``SearchForm`` reads them, with the fields
the API and the review index use too (``reviews/forms.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.http import QueryDict

from ..forms import BoundedIntegerField, MultipleValuesField, SingleValueField, parse_bounded_int
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


class SearchForm(forms.Form):
    """The search page's query string. Never invalid as a whole: a value it
    cannot use is left out, and ``notices`` says so in the order given here."""

    q = SingleValueField(strip=False, default="")
    type = MultipleValuesField()
    year = MultipleValuesField()
    # Blank or absent is the first page; anything else that is not a page
    # number (spaces included) is a page that does not exist.
    page = BoundedIntegerField(minimum=1, maximum=MAX_PAGE, max_length=len(str(MAX_PAGE)), strip=False, default=1)
    theme = MultipleValuesField()
    review = MultipleValuesField()
    partnership = MultipleValuesField()

    def __init__(self, data: QueryDict):
        super().__init__(data)
        self.notices: list[str] = []

    def _first_values(self, name: str) -> list[str]:
        values = self.cleaned_data[name]
        if len(values) > MAX_VALUES:
            self.notices.append(f"Only the first {MAX_VALUES} values of the “{name}” filter were used.")
        return values[:MAX_VALUES]

    def _kept(self, name: str, keep, notice: str) -> tuple:
        kept = []
        for value in self._first_values(name):
            cleaned = keep(value)
            if cleaned is None:
                self.notices.append(notice.format(value=value[:60]))
            else:
                kept.append(cleaned)
        return tuple(kept)

    def _slugs(self, name: str) -> tuple[str, ...]:
        return self._kept(name, _slug, f"There is no {name} called “{{value}}”, so that filter was ignored.")

    def clean_type(self) -> tuple[str, ...]:
        kinds = set(SearchEntry.Kind.values)
        return self._kept(
            "type",
            lambda value: value if value in kinds else None,
            "There is no type of result called “{value}”, so that filter was ignored.",
        )

    def clean_year(self) -> tuple[int, ...]:
        return self._kept(
            "year",
            lambda value: parse_bounded_int(value, minimum=MIN_YEAR, maximum=MAX_YEAR, max_length=4),
            "“{value}” is not a year, so that filter was ignored.",
        )

    def clean_theme(self) -> tuple[str, ...]:
        return self._slugs("theme")

    def clean_review(self) -> tuple[str, ...]:
        return self._slugs("review")

    def clean_partnership(self) -> tuple[str, ...]:
        return self._slugs("partnership")

    def search_request(self) -> SearchRequest:
        self.is_valid()  # cleans the form, once; only ``page`` can be invalid, and is then a missing page
        cleaned = self.cleaned_data
        return SearchRequest(
            text=cleaned["q"],
            kinds=cleaned["type"],
            theme_slugs=cleaned["theme"],
            review_slugs=cleaned["review"],
            partnership_slugs=cleaned["partnership"],
            years=cleaned["year"],
            page=cleaned.get("page"),
            notices=self.notices,
        )


def _slug(value: str) -> str | None:
    """A value that could be a slug, lower-cased; whether it names something is checked later."""
    if len(value) <= MAX_SLUG_LENGTH and value.replace("-", "").replace("_", "").isalnum() and value.isascii():
        return value.lower()
    return None


def parse_request(data: QueryDict) -> SearchRequest:
    """Read a search from query parameters. Never raises."""
    return SearchForm(data).search_request()

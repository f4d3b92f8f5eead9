"""Forms that read query strings, and the fields they share.

A query string is not a submitted form: anyone can edit it, a parameter may be
missing, repeated or blank, and numbers arrive as text. Three places read one
(the open-data API in ``reviews.api.params``, the search page in
``reviews.search.params`` and the review index here), each with its own
manners (the API answers a bad value with a 400, the pages ignore it with a
notice), but they read a value the same way, through these fields:

- ``SingleValueField``: one parameter's value, stripped, or its ``default``
  when absent or blank. The last of repeated values counts, as with
  ``QueryDict.get``; with ``once=True`` a repeated or blank parameter, or a
  value with a control character (``control_character``) or too long, is an
  error instead.
- ``BoundedIntegerField``: that value as a whole number in a range.
- ``ChoiceValueField``: that value, one of a list of choices.
- ``MultipleValuesField``: every value of a parameter that may repeat.

Views pass ``request.GET`` to a form; selectors get its cleaned values, never
a ``QueryDict``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError

if TYPE_CHECKING:
    from .selectors.review_index import ReviewFilter

# Ids are ``BigAutoField`` (``DEFAULT_AUTO_FIELD`` in kb/settings.py): a signed
# 64-bit integer on SQLite and PostgreSQL alike. A larger number cannot be an
# id, and would overflow the database driver (OverflowError on SQLite,
# DataError on PostgreSQL) if it reached a query.
MAX_ID = 2**63 - 1

# No value a query string gives the API (a slug of at most 120 characters, a
# number, a choice) is longer than this: a longer one is refused unread.
MAX_VALUE_LENGTH = 200
# C0 and C1 control characters (NUL among them: PostgreSQL refuses it in any
# query) and the non-characters U+FFFE/U+FFFF: never part of a real value.
_CONTROL_CHARACTER = re.compile("[\x00-\x1f\x7f-\x9f\ufffe\uffff]")


def control_character(value: str) -> str | None:
    """The first control character in ``value``, written "U+0000" for a message, or None."""
    found = _CONTROL_CHARACTER.search(value)
    return f"U+{ord(found.group()):04X}" if found else None


def parse_bounded_int(value: str, *, minimum: int, maximum: int, max_length: int | None = None) -> int | None:
    """``value`` as a whole number from ``minimum`` to ``maximum``, or None.

    ASCII digits only (``int()`` would take "٣", " 3" or "1_000"), and the
    length is checked before converting, so a ten-thousand-digit value costs
    nothing and never reaches Python's limit on converting long strings.
    ``max_length`` also limits the characters given, leading zeros included.
    """
    if not (value.isascii() and value.isdigit()):
        return None
    if max_length is not None and len(value) > max_length:
        return None
    digits = value.lstrip("0") or "0"
    if len(digits) > len(str(maximum)):
        return None
    number = int(digits)
    return number if minimum <= number <= maximum else None


class QueryStringInput(forms.Widget):
    """Every value a query string gives a parameter (``getlist``), for the field to choose from."""

    def value_from_datadict(self, data, files, name) -> list[str]:
        if hasattr(data, "getlist"):
            return data.getlist(name)
        return [data[name]] if name in data else []


class SingleValueField(forms.Field):
    """One value of a query-string parameter.

    Stripped of surrounding whitespace (unless ``strip=False``); absent or
    blank, it is ``default``. With ``once=True`` (the API's rule) a repeated
    parameter, a blank one, one with a control character and one longer than
    ``max_value_length`` are errors (codes ``repeated``, ``blank``,
    ``control_character`` and ``too_long``; the last two messages may use
    ``%(character)s``, e.g. "U+0000", and ``%(maximum)s``), found before the
    value is converted, so that no such value reaches a query; otherwise the
    last value counts, as with ``QueryDict.get``. Subclasses convert the value
    in ``convert``.
    """

    widget = QueryStringInput
    max_value_length: int | None = MAX_VALUE_LENGTH
    default_error_messages = {
        "repeated": "Give this parameter once.",
        "blank": "This parameter is empty. Leave it out, or give a value.",
        "control_character": "This parameter contains a control character (%(character)s). Remove it.",
        "too_long": "This parameter is too long: give at most %(maximum)s characters.",
    }

    def __init__(self, *, once: bool = False, strip: bool = True, default: Any = None, **kwargs):
        self.once = once
        self.strip = strip
        self.default = default
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, values: list[str]) -> Any:
        if not values:
            return self.default
        if self.once and len(values) > 1:
            raise ValidationError(self.error_messages["repeated"], code="repeated")
        value = values[-1].strip() if self.strip else values[-1]
        if value == "":
            if self.once:
                raise ValidationError(self.error_messages["blank"], code="blank")
            return self.default
        if self.once:
            self.check_printable(value)
        return self.convert(value)

    def check_printable(self, value: str) -> None:
        """Refuse a value with a control character, or longer than ``max_value_length``."""
        character = control_character(value)
        if character:
            raise ValidationError(
                self.error_messages["control_character"], code="control_character", params={"character": character}
            )
        maximum = self.max_value_length
        if maximum is not None and len(value) > maximum:
            raise ValidationError(self.error_messages["too_long"], code="too_long", params={"maximum": maximum})

    def convert(self, value: str) -> Any:
        return value


class BoundedIntegerField(SingleValueField):
    """A whole number from ``minimum`` to ``maximum`` (``parse_bounded_int``), else error ``invalid``.

    Surrounding whitespace is ignored even with ``strip=False``, as by Django's
    ``IntegerField``; ``strip=False`` only makes a value of spaces invalid
    rather than absent. The message may use ``%(value)s``.
    """

    default_error_messages = {"invalid": "Enter a whole number from %(minimum)s to %(maximum)s."}
    # ``convert`` refuses a number too long to be in range, saying what the number must be.
    max_value_length = None

    def __init__(self, *, minimum: int = 1, maximum: int = MAX_ID, max_length: int | None = None, **kwargs):
        self.minimum, self.maximum, self.max_length = minimum, maximum, max_length
        super().__init__(**kwargs)

    def convert(self, value: str) -> int:
        number = parse_bounded_int(
            value.strip(), minimum=self.minimum, maximum=self.maximum, max_length=self.max_length
        )
        if number is None:
            raise ValidationError(
                self.error_messages["invalid"],
                code="invalid",
                params={"value": value, "minimum": self.minimum, "maximum": self.maximum},
            )
        return number


class ChoiceValueField(SingleValueField):
    """One of ``choices`` (value, label) pairs, else error ``invalid_choice``; the message may use ``%(value)s``."""

    default_error_messages = {"invalid_choice": "“%(value)s” is not one of the choices."}

    def __init__(self, *, choices: Iterable[tuple[str, str]] = (), **kwargs):
        self.choices = list(choices)
        super().__init__(**kwargs)

    def convert(self, value: str) -> str:
        if value not in {choice for choice, _label in self.choices}:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})
        return value


class MultipleValuesField(forms.Field):
    """Every value of a parameter that may repeat: stripped, blanks left out, each once, in order."""

    widget = QueryStringInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, values: list[str]) -> list[str]:
        return list(dict.fromkeys(value.strip() for value in values if value.strip()))


class ReviewIndexForm(forms.Form):
    """The review index's query string: ``page`` and a value for each filter
    (``partnership``, ``type``, ``year``, ``theme``, ``tag``, ``agency``).

    ``filters`` are the selector's (``selectors.review_filters``), with the
    options each may take for this user. A value that is not one of them (a
    mistyped theme, a year with no reviews, a partnership that has none) is
    not an error: it is ignored, and ``ignored`` says so, rather than giving
    an error or an empty page.
    """

    # Given as it is to ``Paginator.get_page``, which reads it leniently: not a
    # number is the first page, beyond the last is the last.
    page = SingleValueField()

    def __init__(self, data, *, filters: list[ReviewFilter]):
        super().__init__(data)
        self.filter_names = [item.name for item in filters]
        for item in filters:
            self.fields[item.name] = ChoiceValueField(
                choices=item.options,
                error_messages={
                    "invalid_choice": f"No reviews match the {item.label.lower()} “%(value).60s”, "
                    "so that filter was ignored."
                },
            )

    def _cleaned(self) -> dict[str, Any]:
        self.is_valid()  # cleans the form, once; a value that is not an option is ignored, not fatal
        return self.cleaned_data

    @property
    def chosen(self) -> dict[str, str]:
        """The filters given a value that is one of their options, by name."""
        cleaned = self._cleaned()
        return {name: cleaned[name] for name in self.filter_names if cleaned.get(name)}

    @property
    def ignored(self) -> list[str]:
        """A message for each filter given a value that is not one of its options, in filter order."""
        return [message for name in self.filter_names for message in self.errors.get(name, [])]

    @property
    def page_number(self) -> str | None:
        return self._cleaned()["page"]


class ReviewPageForm(forms.Form):
    """The review page's query string: ``view``.

    ``view=themes`` groups the review's entries by theme; without it the page
    follows the briefing, its sections in order. Any other value is not an
    error: the page is shown in the briefing's order, as without one.
    """

    BRIEFING, THEMES = "briefing", "themes"
    view = ChoiceValueField(choices=[(BRIEFING, "In the briefing's order"), (THEMES, "Grouped by theme")])

    @property
    def by_theme(self) -> bool:
        return self.is_valid() and self.cleaned_data["view"] == self.THEMES

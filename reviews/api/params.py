"""The API's query parameters, read and validated by Django forms.

Each list endpoint has a form (``ReviewParams``, ``LearningPointParams``...):
``format``, ``page`` and ``page_size``, and the endpoint's filters, each with
the help text ``/api/v1/`` lists. A single record is read by ``RecordParams``,
which takes only ``format``. Cleaned, a theme or partnership filter is the
``Theme`` or ``Partnership`` its slug names (an old slug still names it, as
its old page address redirects), a number is an ``int``.

Every parameter is given at most once, never blank, without control
characters (NUL among them, which PostgreSQL refuses in a query) and no longer
than ``reviews.forms.MAX_VALUE_LENGTH`` (a number: than its range allows), and
an unknown parameter or a bad value is a 400 naming it: ``check()`` raises
the ``ApiError`` for the first, in the order the API has always reported them.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from ..forms import MAX_ID, BoundedIntegerField, ChoiceValueField, SingleValueField
from ..models import Action, Agency, LearningPoint, Partnership, Review, Theme
from ..models.editorial import find_by_slug
from .errors import ApiError

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
# ``page`` reaches this many records at most: a deeper page would read every record before it.
# Beyond, ``next`` goes on with ``after`` (the last id read), which reads only its own page.
MAX_OFFSET = 10_000
FORMATS = ("json", "csv")
PAGINATION = ("page", "page_size", "after")


def _messages(name: str, **more: str) -> dict[str, str]:
    """Error messages naming the parameter, for a field read once (``once=True``)."""
    return {
        "repeated": f"Give '{name}' once.",
        "blank": f"'{name}' is empty. Leave it out, or give a value.",
        "control_character": f"'{name}' contains a control character (%(character)s), which no value has. Remove it.",
        "too_long": f"'{name}' is too long: no value is longer than %(maximum)s characters.",
        **more,
    }


def whole_number(
    name: str, *, minimum: int = 1, maximum: int = MAX_ID, expected: str = "", default: int | None = None, **kwargs
) -> BoundedIntegerField:
    expected = expected or f"a whole number from {minimum} to {maximum}"
    messages = _messages(name, invalid=f"'{name}' must be {expected}, not '%(value).40s'.")
    return BoundedIntegerField(
        once=True, minimum=minimum, maximum=maximum, default=default, error_messages=messages, **kwargs
    )


def one_of(name: str, choices, **kwargs) -> ChoiceValueField:
    allowed = ", ".join(choice for choice, _label in choices)
    messages = _messages(name, invalid_choice=f"'{name}' must be one of: {allowed}.")
    return ChoiceValueField(once=True, choices=choices, error_messages=messages, **kwargs)


class NamedBySlugField(SingleValueField):
    """The public ``model`` object a slug names now, or named before a rename; else error
    ``invalid_choice``, as for a slug that names nothing (``public()``: a theme or
    partnership only drafts use is unknown to the API)."""

    def __init__(self, *, model, **kwargs):
        self.model = model
        super().__init__(once=True, **kwargs)

    def convert(self, value: str):
        found = find_by_slug(self.model.objects.public(), value)
        if found is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})
        return found


def theme_field(help_text: str) -> NamedBySlugField:
    message = "There is no theme '%(value).60s'. The themes are listed at /api/v1/themes/."
    return NamedBySlugField(model=Theme, help_text=help_text, error_messages=_messages("theme", invalid_choice=message))


def partnership_field(help_text: str) -> NamedBySlugField:
    message = "There is no partnership '%(value).60s'. Use the slug given in each record's 'partnership'."
    return NamedBySlugField(
        model=Partnership, help_text=help_text, error_messages=_messages("partnership", invalid_choice=message)
    )


def agency_field(help_text: str) -> NamedBySlugField:
    message = "There is no agency '%(value).60s'. The agencies are listed at /api/v1/agencies/."
    return NamedBySlugField(
        model=Agency, help_text=help_text, error_messages=_messages("agency", invalid_choice=message)
    )


def year_field(help_text: str) -> BoundedIntegerField:
    return whole_number(
        "year", minimum=1000, maximum=9999, expected="a four-digit year, e.g. 2019", help_text=help_text
    )


class ApiParams(forms.Form):
    """What every API request accepts: ``format`` (``default_format`` unless given)."""

    format = one_of("format", [(name, name) for name in FORMATS])

    unknown_message = "Unknown parameter '%(parameter)s'."

    def __init__(self, data, *, default_format: str = "json"):
        super().__init__(data)
        self.fields["format"].default = default_format

    def clean(self):
        unknown = sorted(set(self.data) - set(self.fields))
        if unknown:
            raise ValidationError(
                self.unknown_message,
                code="unknown",
                params={"parameter": unknown[0][:40], "accepted": ", ".join(sorted(self.fields))},
            )
        return self.cleaned_data

    @property
    def response_format(self) -> str:
        return self.cleaned_data["format"]

    def error_order(self) -> list[str]:
        """The parameters in the order their errors are reported (``NON_FIELD_ERRORS``: an unknown one)."""
        raise NotImplementedError

    def check(self) -> None:
        """Raise the ``ApiError`` for the first bad parameter, if any."""
        errors = self.errors.as_data()
        for name in self.error_order():
            if name in errors:
                error = errors[name][0]
                parameter = error.params["parameter"] if name == NON_FIELD_ERRORS else name
                raise ApiError(self.errors[name][0], parameter=parameter)


class RecordParams(ApiParams):
    """A single record's query string: ``format`` only."""

    unknown_message = "Unknown parameter '%(parameter)s'. A single record takes none."

    def error_order(self) -> list[str]:
        return [NON_FIELD_ERRORS, "format"]


class ListParams(ApiParams):
    """A list's query string: ``format``, ``page``, ``page_size`` and the filters subclasses declare."""

    page = whole_number("page", default=1)
    page_size = whole_number("page_size", maximum=MAX_PAGE_SIZE, default=DEFAULT_PAGE_SIZE)
    after = whole_number("after", minimum=0, expected=f"a record's id (0 to {MAX_ID})")

    unknown_message = "Unknown parameter '%(parameter)s'. This endpoint accepts: %(accepted)s."
    # The selectors' keyword for a filter whose parameter name would read badly in Python.
    keywords = {"type": "review_type", "review": "review_id"}

    @classmethod
    def filter_names(cls) -> list[str]:
        return [name for name in cls.base_fields if name not in ("format", *PAGINATION)]

    @classmethod
    def filter_help(cls) -> dict[str, str]:
        """Each filter's help text, for the API index."""
        return {name: cls.base_fields[name].help_text for name in cls.filter_names()}

    def clean(self):
        cleaned = super().clean()
        page, size = cleaned.get("page"), cleaned.get("page_size")
        if "page" in self.data and "after" in self.data:
            self.add_error("page", "Give 'page' or 'after', not both.")
        elif page is not None and size is not None and (page - 1) * size >= MAX_OFFSET:
            last = -(-MAX_OFFSET // size)
            self.add_error(
                "page",
                f"'page' reaches the first {MAX_OFFSET:,} records ({last:,} pages of {size}). To read further, "
                "follow 'next' from the last page: it gives 'after', the last id read, and goes on from there.",
            )
        return cleaned

    def error_order(self) -> list[str]:
        # A CSV download has every matching record: its page parameters are never read.
        pagination = ["page_size", "page", "after"] if self.cleaned_data.get("format") != "csv" else []
        return ["format", NON_FIELD_ERRORS, *self.filter_names(), *pagination]

    def filters(self) -> dict[str, Any]:
        """The filters given, as keyword arguments for the endpoint's selector."""
        return {
            self.keywords.get(name, name): self.cleaned_data[name]
            for name in self.filter_names()
            if self.cleaned_data.get(name) is not None
        }


class ReviewParams(ListParams):
    theme = theme_field("theme slug: reviews with a learning point, recommendation or action on it")
    partnership = partnership_field("partnership slug")
    year = year_field("four-digit year (publication, else commissioning)")
    type = one_of("type", Review.ReviewType.choices, help_text="review type code")


class EntryParams(ListParams):
    """The filters of learning points, recommendations and actions."""

    theme = theme_field("theme slug")
    partnership = partnership_field(
        "partnership slug: of the entry's review, or of the briefing its wording comes from"
    )
    year = year_field("four-digit year of the review")
    review = whole_number("review", expected=f"a review's id (1 to {MAX_ID})", help_text="review id")


class LearningPointParams(EntryParams):
    kind = one_of("kind", LearningPoint.Kind.choices, help_text="learning, good_practice or key_fact")


AGENCY_HELP = (
    "agency slug: entries the knowledge base reads as addressed to it (its reading of the briefing's words; "
    "'all-agencies' for those addressed to everyone)"
)


class RecommendationParams(EntryParams):
    agency = agency_field(AGENCY_HELP)


class ActionParams(EntryParams):
    status = one_of("status", Action.Status.choices, help_text="planned, in_progress, done or not_stated")
    agency = agency_field(AGENCY_HELP)

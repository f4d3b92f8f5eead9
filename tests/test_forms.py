"""The forms that read query strings, and the fields they share (``reviews/forms.py``)."""

import datetime

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict

from reviews import selectors
from reviews.forms import (
    BoundedIntegerField,
    ChoiceValueField,
    MultipleValuesField,
    ReviewIndexForm,
    SingleValueField,
    parse_bounded_int,
)

from .support.factories import make_learning_point, make_review, make_theme


class ExampleForm(forms.Form):
    lenient = SingleValueField()
    strict = SingleValueField(once=True)
    number = BoundedIntegerField(minimum=1, maximum=99, default=1)
    four = BoundedIntegerField(minimum=1900, maximum=2100, max_length=4)
    spaced = BoundedIntegerField(strip=False, default=1)
    choice = ChoiceValueField(choices=[("a", "A"), ("b", "B")])
    many = MultipleValuesField()


def clean(query: str) -> tuple[dict, dict]:
    form = ExampleForm(QueryDict(query))
    form.is_valid()
    return form.cleaned_data, {name: errors.as_data()[0].code for name, errors in form.errors.items()}


@pytest.mark.parametrize(
    ("query", "name", "expected"),
    [
        ("", "lenient", None),
        ("lenient=x&lenient=y", "lenient", "y"),  # the last, as QueryDict.get
        ("lenient=%20x%20", "lenient", "x"),
        ("lenient=%20", "lenient", None),
        ("strict=x", "strict", "x"),
        ("", "number", 1),
        ("number=007", "number", 7),
        ("number=99", "number", 99),
        ("four=2019", "four", 2019),
        ("spaced=%202", "spaced", 2),
        ("spaced=", "spaced", 1),
        ("choice=b", "choice", "b"),
        ("many=x&many=%20&many=y&many=x", "many", ["x", "y"]),
    ],
)
def test_fields_read_a_value(query, name, expected):
    cleaned, errors = clean(query)
    assert not errors
    assert cleaned[name] == expected


@pytest.mark.parametrize(
    ("query", "name", "code"),
    [
        ("strict=x&strict=y", "strict", "repeated"),
        ("strict=", "strict", "blank"),
        ("strict=%20", "strict", "blank"),
        ("number=0", "number", "invalid"),
        ("number=100", "number", "invalid"),
        ("number=-1", "number", "invalid"),
        ("number=1e2", "number", "invalid"),
        ("number=%D9%A3", "number", "invalid"),  # an Arabic-Indic digit three
        ("number=" + "9" * 5000, "number", "invalid"),  # past Python's limit on int() of a string
        ("four=02019", "four", "invalid"),
        ("four=1899", "four", "invalid"),
        ("spaced=%20", "spaced", "invalid"),  # not blank: spaces are not a number
        ("choice=c", "choice", "invalid_choice"),
    ],
)
def test_fields_reject_a_bad_value_with_a_code(query, name, code):
    cleaned, errors = clean(query)
    assert errors == {name: code}
    assert name not in cleaned


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", 1), ("0001", 1), ("9223372036854775807", 2**63 - 1), ("9223372036854775808", None), ("", None)],
)
def test_parse_bounded_int(value, expected):
    assert parse_bounded_int(value, minimum=1, maximum=2**63 - 1) == expected


# ---------------------------------------------------------------------------
# The review index's form
# ---------------------------------------------------------------------------


def index_form(query: str) -> ReviewIndexForm:
    return ReviewIndexForm(QueryDict(query), filters=selectors.review_filters(AnonymousUser()))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "chosen", "ignored"),
    [
        ("year=2021&theme=test-theme", {"year": "2021", "theme": "test-theme"}, []),
        ("year=%202021%20", {"year": "2021"}, []),
        ("year=1999&year=2021", {"year": "2021"}, []),  # the last value, as the page always read it
        ("year=&theme=%20", {}, []),
        ("year=2020", {}, ["No reviews match the year “2020”, so that filter was ignored."]),
        ("year=" + "9" * 5000, {}, [f"No reviews match the year “{'9' * 60}”, so that filter was ignored."]),
        (
            "type=nope&theme=no-such-theme&year=twenty",
            {},
            [
                "No reviews match the type of review “nope”, so that filter was ignored.",
                "No reviews match the year “twenty”, so that filter was ignored.",
                "No reviews match the theme “no-such-theme”, so that filter was ignored.",
            ],
        ),
    ],
)
def test_the_review_index_form_keeps_options_and_explains_the_rest(query, chosen, ignored):
    theme = make_theme(slug="test-theme", name="Test theme")
    make_learning_point(review=make_review(published_on=datetime.date(2021, 1, 1)), themes=[theme])
    form = index_form(query)
    assert form.chosen == chosen
    assert form.ignored == ignored


@pytest.mark.django_db
@pytest.mark.parametrize("year", ["9" * 5000, "%00", "2021.0", "-2021", "<b>2021</b>"])
def test_a_bad_year_on_the_review_index_is_a_helpful_page_not_an_error(client, year):
    make_review(published_on=datetime.date(2021, 1, 1))
    response = client.get(f"/reviews/?year={year}&page=abc")
    assert response.status_code == 200
    html = response.content.decode()
    assert "so that filter was ignored." in html
    assert "1 review" in html and "Clear filters" in html

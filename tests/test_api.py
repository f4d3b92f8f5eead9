"""The read-only open-data API: schema, filters, pagination, errors, CSV (issue 7)."""

import csv
import datetime
import io
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews.api import params as api_params
from reviews.api import selectors as api_selectors
from reviews.api.csv import csv_safe, flatten
from reviews.api.endpoints import ENDPOINTS
from reviews.api.params import MAX_PAGE_SIZE
from reviews.forms import MAX_ID
from reviews.kept.pending import flush as kept_flush
from reviews.models import (
    Action,
    LearningPoint,
    NationalTheme,
    PublicationStatus,
    Recommendation,
    Review,
    ThemeFramework,
    ThemeNationalLink,
)
from reviews.views import api as api_views

from .support.factories import (
    make_action,
    make_learning_point,
    make_partnership,
    make_recommendation,
    make_review,
    make_source,
    make_theme,
)
from .support.responses import body

pytestmark = pytest.mark.django_db

ENDPOINT_NAMES = ["reviews", "themes", "national-themes", "learning-points", "recommendations", "actions", "agencies"]


def list_url(endpoint):
    return reverse("reviews:api-list", kwargs={"endpoint": endpoint})


def get_json(client, url, expect=200, **params):
    response = client.get(url, params)
    assert response.status_code == expect, body(response)[:500]
    assert response["Content-Type"] == "application/json"
    return response.json()


@pytest.fixture
def data():
    """Two partnerships, two published reviews in different years, and a draft."""
    north = make_partnership(name="Test North Partnership", slug="test-north")
    south = make_partnership(name="Test South Partnership", slug="test-south")
    sharing = make_theme(slug="test-sharing", name="Test sharing")
    sleeping = make_theme(slug="test-sleeping", name="Test sleeping")
    source = make_source(title="Test briefing north", partnership=north, slug="test-briefing-north")
    old = make_review(
        title="Test review 2018", partnership=north, published_on=datetime.date(2018, 1, 1), slug="test-review-2018"
    )
    old.sources.add(source)
    new = make_review(
        title="Test review 2021", partnership=south, published_on=datetime.date(2021, 1, 1), slug="test-review-2021"
    )
    draft = make_review(title="Test draft review", partnership=north, status=PublicationStatus.DRAFT)
    points = [
        make_learning_point(
            review=old, source=source, themes=[sharing], text="Test old learning.", heading="Test north heading"
        ),
        make_learning_point(review=new, themes=[sleeping], text="Test new learning.", kind="good_practice"),
        make_learning_point(review=draft, themes=[sharing], text="Test draft learning."),
    ]
    rec_old = make_recommendation(
        review=old, source=source, themes=[sharing], number="1", text="Test old rec.", heading="Test north heading"
    )
    rec_draft = make_recommendation(review=draft, themes=[sharing], text="Test draft rec.")
    actions = [
        make_action(
            recommendation=rec_old, text="Test action done.", status=Action.Status.DONE, heading="Test north heading"
        ),
        make_action(review=new, text="Test action planned.", status=Action.Status.PLANNED),
        make_action(recommendation=rec_draft, text="Test draft action.", status=Action.Status.DONE),
    ]
    framework = ThemeFramework.objects.create(slug="test-framework", name="Test framework", publisher="Test panel")
    national = NationalTheme.objects.create(
        framework=framework, slug="test-national", name="Test national theme", report_title="Test report"
    )
    ThemeNationalLink.objects.create(theme=sleeping, national_theme=national, justification="Test reason.")
    return {
        "north": north,
        "south": south,
        "sharing": sharing,
        "sleeping": sleeping,
        "old": old,
        "new": new,
        "draft": draft,
        "points": points,
        "rec_old": rec_old,
        "actions": actions,
        "source": source,
    }


def test_index_lists_every_endpoint(client):
    data = get_json(client, reverse("reviews:api-index"))
    assert list(data["endpoints"]) == ENDPOINT_NAMES
    assert data["endpoints"]["actions"]["url"] == "http://testserver/api/v1/actions/"
    assert data["endpoints"]["actions"]["csv_url"] == "http://testserver/api/v1/actions.csv"
    assert "status" in data["endpoints"]["actions"]["filters"]


def test_review_record_schema(client, data):
    record = get_json(client, list_url("reviews"), page_size=1)["results"][0]
    old = data["old"]
    assert record["id"] == old.pk
    assert record["title"] == "Test review 2018"
    assert record["partnership"] == {
        "slug": "test-north",
        "name": "Test North Partnership",
        "url": "http://testserver/partnerships/test-north/",
    }
    assert record["published"] == "2018"
    assert record["year"] == 2018
    assert record["themes"] == [{"slug": "test-sharing", "name": "Test sharing"}]
    assert record["counts"] == {"learning_points": 1, "recommendations": 1, "actions": 1, "uses_recorded": 0}
    assert record["sources"][0]["title"] == "Test briefing north"
    assert record["sources"][0]["url"] == "http://testserver/sources/test-briefing-north/"
    assert record["url"] == "http://testserver/reviews/test-review-2018/"
    assert record["permalink"] == f"http://testserver/r/{old.pk}/"
    assert record["print_url"] == "http://testserver/reviews/test-review-2018/print/"
    assert record["api_url"] == f"http://testserver/api/v1/reviews/{old.pk}/"


def test_item_records_carry_their_source_briefing_and_urls(client, data):
    point = data["points"][0]
    record = get_json(client, reverse("reviews:api-learning-point-detail", kwargs={"pk": point.pk}))
    assert record["text"] == "Test old learning."
    assert record["kind"] == "learning"
    assert record["review"]["id"] == data["old"].pk
    assert record["partnership"]["slug"] == "test-north"
    assert record["source"]["title"] == "Test briefing north"
    assert record["source"]["publisher"] == "Test North Partnership"
    assert record["themes"] == [{"slug": "test-sharing", "name": "Test sharing"}]
    assert record["url"] == f"http://testserver/reviews/test-review-2018/#lp-{point.ref}"
    assert record["permalink"] == f"http://testserver/lp/{point.pk}/"
    assert record["embed_url"] == f"http://testserver/embed/lp/{point.pk}/"

    rec = get_json(client, reverse("reviews:api-recommendation-detail", kwargs={"pk": data["rec_old"].pk}))
    assert rec["number"] == "1"
    assert rec["action_ids"] == [data["actions"][0].pk]

    action = get_json(client, reverse("reviews:api-action-detail", kwargs={"pk": data["actions"][0].pk}))
    assert action["status"] == "done"
    assert action["status_label"] == "Done"
    assert action["recommendation_id"] == data["rec_old"].pk


def test_theme_records_count_published_content_only(client, data):
    results = get_json(client, list_url("themes"))["results"]
    sharing = next(record for record in results if record["slug"] == "test-sharing")
    assert sharing["counts"] == {
        "learning_points": 1,
        "recommendations": 1,
        "actions": 0,
        "reviews": 1,
        "uses_recorded": 0,
    }
    assert sharing["summary_is_editorial"] is True
    assert sharing["embed_url"] == "http://testserver/embed/theme/test-sharing/"
    # A theme's summary is always the knowledge base's own words, in the CSV too.
    response = client.get(reverse("reviews:api-list-csv", kwargs={"endpoint": "themes"}))
    rows = list(csv.DictReader(io.StringIO(body(response).decode("utf-8-sig"))))
    assert {row["summary_is_editorial"] for row in rows} == {"true"}


@pytest.mark.parametrize("endpoint", ["reviews", "learning-points", "recommendations", "actions"])
def test_drafts_never_appear(client, data, endpoint):
    listed = get_json(client, list_url(endpoint))
    text = str(listed)
    assert "draft" not in text.lower().replace('"status": "draft"', "")
    csv_text = body(client.get(reverse("reviews:api-list-csv", kwargs={"endpoint": endpoint}))).decode()
    assert "Test draft" not in csv_text


def test_a_draft_is_not_found_by_id(client, data):
    draft_point = data["points"][2]
    for name, pk in (("review", data["draft"].pk), ("learning-point", draft_point.pk)):
        error = get_json(client, reverse(f"reviews:api-{name}-detail", kwargs={"pk": pk}), expect=404)
        assert error["error"]["status"] == 404


@pytest.mark.parametrize(
    ("endpoint", "params", "expected"),
    [
        ("reviews", {"theme": "test-sharing"}, ["Test review 2018"]),
        ("reviews", {"theme": "test-sleeping"}, ["Test review 2021"]),
        ("reviews", {"partnership": "test-south"}, ["Test review 2021"]),
        ("reviews", {"year": "2018"}, ["Test review 2018"]),
        ("reviews", {"year": "2019"}, []),
        ("reviews", {"type": "scr"}, ["Test review 2018", "Test review 2021"]),
        ("learning-points", {"theme": "test-sharing"}, ["Test old learning."]),
        ("learning-points", {"partnership": "test-south"}, ["Test new learning."]),
        ("learning-points", {"year": "2021"}, ["Test new learning."]),
        ("learning-points", {"kind": "good_practice"}, ["Test new learning."]),
        ("recommendations", {"theme": "test-sharing"}, ["Test old rec."]),
        ("actions", {"status": "done"}, ["Test action done."]),
        ("actions", {"status": "planned"}, ["Test action planned."]),
        ("actions", {"status": "planned", "partnership": "test-north"}, []),
        ("actions", {"year": "2018", "status": "done"}, ["Test action done."]),
    ],
)
def test_filters(client, data, endpoint, params, expected):
    results = get_json(client, list_url(endpoint), **params)["results"]
    assert [record.get("title") or record.get("text") for record in results] == expected


def test_review_filter_on_items(client, data):
    results = get_json(client, list_url("learning-points"), review=str(data["new"].pk))["results"]
    assert [record["text"] for record in results] == ["Test new learning."]


def test_pagination(client):
    review = make_review()
    points = [make_learning_point(review=review, text=f"Test point {n}.") for n in range(5)]
    first = get_json(client, list_url("learning-points"), page_size=2)
    assert (first["count"], first["num_pages"], first["page"], first["page_size"]) == (5, 3, 1, 2)
    assert [record["id"] for record in first["results"]] == [points[0].pk, points[1].pk]
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/learning-points/?page_size=2&page=2"
    last = get_json(client, list_url("learning-points"), page_size=2, page=3)
    assert [record["id"] for record in last["results"]] == [points[4].pk]
    assert last["next"] is None
    assert last["previous"] == "http://testserver/api/v1/learning-points/?page_size=2&page=2"
    assert get_json(client, list_url("learning-points"))["page_size"] == 50


def test_an_empty_list_is_one_empty_page(client):
    data = get_json(client, list_url("actions"))
    assert (data["count"], data["num_pages"], data["results"]) == (0, 1, [])


@pytest.mark.parametrize(
    ("endpoint", "query", "parameter"),
    [
        ("reviews", "page=0", "page"),
        ("reviews", "page=abc", "page"),
        ("reviews", "page=2", "page"),
        ("reviews", "page=%EF%BC%92", "page"),  # a full-width digit two
        ("reviews", "page_size=0", "page_size"),
        ("reviews", f"page_size={MAX_PAGE_SIZE + 1}", "page_size"),
        ("reviews", "page_size=1e3", "page_size"),
        ("reviews", "year=19", "year"),
        ("reviews", "year=twenty", "year"),
        ("reviews", "theme=test-no-such-theme", "theme"),
        ("reviews", "partnership=test-nobody", "partnership"),
        ("reviews", "type=gossip", "type"),
        ("reviews", "status=done", "status"),
        ("reviews", "theme=", "theme"),
        ("reviews", "year=2018&year=2019", "year"),
        ("reviews", "format=xml", "format"),
        ("themes", "theme=test-sharing", "theme"),
        ("learning-points", "kind=rumour", "kind"),
        ("learning-points", "review=abc", "review"),
        ("learning-points", "review=-1", "review"),
        ("learning-points", "review=%D9%A3", "review"),  # an Arabic-Indic digit three
        ("actions", "status=finished", "status"),
        ("actions", "colour=blue", "colour"),
    ],
)
def test_bad_parameters_are_400_with_a_json_error(client, data, endpoint, query, parameter):
    response = client.get(f"{list_url(endpoint)}?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    error = response.json()["error"]
    assert error["status"] == 400
    assert error["parameter"] == parameter
    assert error["message"]


ACCEPTED_BY_REVIEWS = "after, format, page, page_size, partnership, theme, type, year"


@pytest.mark.parametrize(
    ("endpoint", "query", "parameter", "message"),
    [
        ("reviews", "page=2&page=3", "page", "Give 'page' once."),
        ("reviews", "theme=", "theme", "'theme' is empty. Leave it out, or give a value."),
        ("reviews", "page_size=0", "page_size", "'page_size' must be a whole number from 1 to 200, not '0'."),
        ("reviews", "year=19", "year", "'year' must be a four-digit year, e.g. 2019, not '19'."),
        ("reviews", "page=3", "page", "There is no page 3: there is 1 page."),
        (
            "reviews",
            "type=gossip",
            "type",
            "'type' must be one of: scr, cspr, rapid, spr, thematic, sar, dhr, appreciative, other.",
        ),
        (
            "reviews",
            "theme=test-nothing",
            "theme",
            "There is no theme 'test-nothing'. The themes are listed at /api/v1/themes/.",
        ),
        (
            "reviews",
            "partnership=test-nobody",
            "partnership",
            "There is no partnership 'test-nobody'. Use the slug given in each record's 'partnership'.",
        ),
        (
            "learning-points",
            "review=abc",
            "review",
            f"'review' must be a review's id (1 to {MAX_ID}), not 'abc'.",
        ),
        # With more than one problem: format first, then an unknown parameter, then the filters in order.
        ("reviews", "colour=blue&format=xml", "format", "'format' must be one of: json, csv."),
        (
            "reviews",
            "theme=test-nothing&colour=blue",
            "colour",
            f"Unknown parameter 'colour'. This endpoint accepts: {ACCEPTED_BY_REVIEWS}.",
        ),
        ("reviews", "page=abc&year=twenty", "year", "'year' must be a four-digit year, e.g. 2019, not 'twenty'."),
        (
            "reviews",
            "year=twenty&theme=test-nothing",
            "theme",
            "There is no theme 'test-nothing'. The themes are listed at /api/v1/themes/.",
        ),
    ],
)
def test_error_messages_say_what_is_wrong(client, data, endpoint, query, parameter, message):
    error = get_json(client, f"{list_url(endpoint)}?{query}", expect=400)["error"]
    assert (error["parameter"], error["message"]) == (parameter, message)


def test_a_single_record_reports_an_unknown_parameter_before_a_bad_format(client, data):
    url = reverse("reviews:api-review-detail", kwargs={"pk": data["old"].pk})
    error = get_json(client, f"{url}?colour=blue&format=xml", expect=400)["error"]
    assert error["parameter"] == "colour"
    assert error["message"] == "Unknown parameter 'colour'. A single record takes none."


def test_a_csv_download_has_every_record_whatever_the_page_parameters(client, data):
    response = client.get(list_url("reviews"), {"format": "csv", "page": "abc", "page_size": "0"})
    assert response.status_code == 200
    assert len(list(csv.DictReader(io.StringIO(body(response).decode("utf-8-sig"))))) == 2


HUGE = "99999999999999999999"  # more than any 64-bit id


@pytest.mark.parametrize(
    ("endpoint", "query", "parameter"),
    [
        # Beyond a 64-bit integer: OverflowError on SQLite, DataError on PostgreSQL, if it reached a query.
        ("learning-points", f"review={HUGE}", "review"),
        ("recommendations", f"review={HUGE}", "review"),
        ("actions", f"review={HUGE}", "review"),
        ("learning-points", f"review={MAX_ID + 1}", "review"),
        ("learning-points", "review=0", "review"),
        ("learning-points", "review=" + "9" * 5000, "review"),  # past Python's limit on int() of a string
        ("reviews", f"page={HUGE}", "page"),
        ("reviews", "page=" + "9" * 5000, "page"),
        ("reviews", f"page_size={HUGE}", "page_size"),
        ("reviews", f"year={HUGE}", "year"),
        ("reviews", "year=0999", "year"),
        ("actions", f"year={HUGE}", "year"),
    ],
)
def test_numbers_out_of_range_are_400_naming_the_parameter(client, data, endpoint, query, parameter):
    response = client.get(f"{list_url(endpoint)}?{query}")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["parameter"] == parameter
    assert f"'{parameter}' must be" in error["message"]


def test_the_largest_possible_id_is_a_valid_filter(client, data):
    assert get_json(client, list_url("learning-points"), review=str(MAX_ID))["results"] == []


@pytest.mark.parametrize("endpoint", ENDPOINT_NAMES)
@pytest.mark.parametrize("pk", [HUGE, str(MAX_ID + 1), str(MAX_ID), "9" * 5000])
def test_a_record_number_out_of_range_is_a_json_404(client, endpoint, pk):
    response = client.get(f"/api/v1/{endpoint}/{pk}/")
    assert response.status_code == 404
    assert response.json()["error"]["status"] == 404


def test_unknown_addresses_are_json_errors(client):
    assert get_json(client, "/api/v1/people/", expect=404)["error"]["status"] == 404
    assert get_json(client, "/api/v2/reviews/", expect=404)["error"]["status"] == 404
    assert get_json(client, "/api/v1/reviews/999999/", expect=404)["error"]["status"] == 404


FILTERED_LISTS = ["reviews", "learning-points", "recommendations", "actions"]


@pytest.mark.parametrize("parameter", ["theme", "partnership"])
@pytest.mark.parametrize("endpoint", FILTERED_LISTS)
@pytest.mark.parametrize("csv_download", [False, True], ids=["json", "csv"])
def test_a_nul_in_a_filter_is_a_400_naming_it(client, data, endpoint, parameter, csv_download):
    """PostgreSQL refuses a NUL in any query: it must never reach one (it was a 500)."""
    name = "api-list-csv" if csv_download else "api-list"
    url = f"{reverse(f'reviews:{name}', kwargs={'endpoint': endpoint})}?{parameter}=a%00b"
    error = get_json(client, url, expect=400)["error"]
    assert error == {
        "status": 400,
        "parameter": parameter,
        "message": f"'{parameter}' contains a control character (U+0000), which no value has. Remove it.",
    }


@pytest.mark.parametrize(
    ("endpoint", "query", "parameter", "character"),
    [
        ("reviews", "type=s%0Bcr", "type", "U+000B"),
        ("reviews", "year=20%1B19", "year", "U+001B"),
        ("reviews", "theme=test-sharing%7F", "theme", "U+007F"),
        ("reviews", "format=js%C2%85on", "format", "U+0085"),
        ("learning-points", "kind=learning%EF%BF%BF", "kind", "U+FFFF"),
        ("learning-points", "review=1%00", "review", "U+0000"),
        ("actions", "status=%01done", "status", "U+0001"),
        ("recommendations", "page=1%0A2", "page", "U+000A"),
    ],
)
def test_a_control_character_in_any_parameter_is_a_400_naming_it(client, data, endpoint, query, parameter, character):
    error = get_json(client, f"{list_url(endpoint)}?{query}", expect=400)["error"]
    assert error["parameter"] == parameter
    message = f"'{parameter}' contains a control character ({character}), which no value has. Remove it."
    assert error["message"] == message


def test_a_single_record_refuses_a_control_character_too(client, data):
    url = reverse("reviews:api-review-detail", kwargs={"pk": data["old"].pk})
    error = get_json(client, f"{url}?format=csv%00", expect=400)["error"]
    assert (error["parameter"], error["message"]) == (
        "format",
        "'format' contains a control character (U+0000), which no value has. Remove it.",
    )


@pytest.mark.parametrize("parameter", ["theme", "partnership", "type"])
def test_an_absurdly_long_value_is_a_400_naming_it(client, data, parameter):
    error = get_json(client, list_url("reviews"), expect=400, **{parameter: "a" * 201})["error"]
    assert (error["parameter"], error["message"]) == (
        parameter,
        f"'{parameter}' is too long: no value is longer than 200 characters.",
    )
    # The longest value a slug can have is still looked up.
    assert get_json(client, list_url("reviews"), expect=400, theme="a" * 200)["error"]["message"].startswith(
        "There is no theme"
    )


def test_an_unexpected_fault_is_a_json_500(data, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("Test fault in a selector")

    monkeypatch.setattr("reviews.views.api.endpoint_page", broken)
    response = Client(raise_request_exception=False).get(list_url("reviews"))
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "error": {
            "status": 500,
            "message": "Something went wrong on our side and the request was not answered. Please try again later.",
        }
    }
    assert "Test fault in a selector" not in response.content.decode()
    # Logged with its traceback, as Django logs the faults it answers itself.
    (record,) = [record for record in caplog.records if record.name == "django.request"]
    assert record.levelname == "ERROR" and record.exc_info[1].args == ("Test fault in a selector",)


def test_too_many_parameters_is_a_json_400(client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    response = client.get(list_url("reviews") + "?" + "&".join(f"p{number}=1" for number in range(6)))
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["status"] == 400


def test_a_request_refused_before_the_api_is_reached_is_still_json(client):
    """An unknown host name is refused by Django's middleware, before any view runs."""
    response = client.get(list_url("reviews"), HTTP_HOST="attacker.example")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["status"] == 400
    # The pages keep Django's own 400 page.
    assert client.get("/", HTTP_HOST="attacker.example")["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writing_is_a_json_405_even_with_csrf_checks(data, method):
    """A real client (a script, curl) sends no CSRF token: it must see the JSON
    405, not Django's HTML 403 CSRF page. The test client skips CSRF checks
    unless told otherwise."""
    client = Client(enforce_csrf_checks=True)
    urls = [
        reverse("reviews:api-index"),
        list_url("reviews"),
        reverse("reviews:api-list-csv", kwargs={"endpoint": "actions"}),
        reverse("reviews:api-learning-point-detail", kwargs={"pk": data["points"][0].pk}),
        "/api/v2/reviews/",
    ]
    for url in urls:
        response = getattr(client, method)(url, data="{}", content_type="application/json")
        assert response.status_code == 405, url
        assert response["Content-Type"] == "application/json"
        assert response.json()["error"]["status"] == 405
        assert response["Allow"] == "GET, HEAD"


def test_detail_rejects_list_parameters(client, data):
    url = reverse("reviews:api-review-detail", kwargs={"pk": data["old"].pk})
    assert get_json(client, url, expect=400, page="2")["error"]["parameter"] == "page"


@pytest.mark.parametrize("endpoint", ENDPOINT_NAMES)
def test_csv_has_the_same_records(client, data, endpoint):
    for response in (
        client.get(reverse("reviews:api-list-csv", kwargs={"endpoint": endpoint})),
        client.get(list_url(endpoint), {"format": "csv"}),
    ):
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"] == f'attachment; filename="{endpoint}.csv"'
        rows = list(csv.DictReader(io.StringIO(body(response).decode("utf-8-sig"))))
        records = get_json(client, list_url(endpoint))["results"]
        assert [int(row["id"]) for row in rows] == [record["id"] for record in records]
        assert list(rows[0]) == list(ENDPOINTS[endpoint].csv_columns)


@pytest.mark.parametrize("endpoint", ENDPOINT_NAMES)
def test_every_csv_column_comes_from_the_record(client, data, endpoint):
    record = get_json(client, list_url(endpoint))["results"][0]
    assert set(ENDPOINTS[endpoint].csv_columns) <= set(flatten(record))


def test_csv_filters_and_flattening(client, data):
    response = client.get(
        reverse("reviews:api-list-csv", kwargs={"endpoint": "learning-points"}), {"theme": "test-sharing"}
    )
    rows = list(csv.DictReader(io.StringIO(body(response).decode("utf-8-sig"))))
    assert len(rows) == 1
    assert rows[0]["themes"] == "test-sharing"
    assert rows[0]["partnership_slug"] == "test-north"
    assert rows[0]["source_title"] == "Test briefing north"


def test_csv_guards_against_spreadsheet_formulas(client):
    make_learning_point(review=make_review(), text="- a list item that a spreadsheet would read as a formula")
    response = client.get(reverse("reviews:api-list-csv", kwargs={"endpoint": "learning-points"}))
    rows = list(csv.DictReader(io.StringIO(body(response).decode("utf-8-sig"))))
    assert rows[0]["text"] == "'- a list item that a spreadsheet would read as a formula"
    # The JSON keeps the stored wording exactly.
    assert get_json(client, list_url("learning-points"))["results"][0]["text"].startswith("- a list item")


@pytest.mark.parametrize(
    "text",
    [
        "\uff1d1+1",  # full-width ＝
        "\uff0bcmd",  # full-width ＋
        "\uff0d2+3",  # full-width －
        "\uff20SUM(A1:A9)",  # full-width ＠
        " =1+1",
        "   +cmd",
        '\n=HYPERLINK("https://example.org")',
        "\r\n@SUM(A1)",
        "\t-2",
        " \u3000\uff1d1",  # an ideographic space, then a full-width ＝
    ],
)
def test_csv_guards_against_disguised_formulas(client, text):
    make_learning_point(review=make_review(), text=text)
    response = client.get(reverse("reviews:api-list-csv", kwargs={"endpoint": "learning-points"}))
    rows = list(csv.DictReader(io.StringIO(body(response).decode("utf-8-sig"))))
    assert rows[0]["text"] == f"'{text}"
    # The JSON keeps the stored wording exactly.
    assert get_json(client, list_url("learning-points"))["results"][0]["text"] == text


@pytest.mark.parametrize("text", ["Plain learning.", "a = b", "Email @ the office", " spaced", "", "\uff21"])
def test_csv_leaves_text_that_is_no_formula_alone(text):
    assert csv_safe(text) == text


def test_single_record_as_csv(client, data):
    response = client.get(reverse("reviews:api-review-detail", kwargs={"pk": data["old"].pk}), {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(body(response).decode("utf-8-sig"))))
    assert [row["title"] for row in rows] == ["Test review 2018"]


def test_open_to_other_sites(client):
    assert client.get(list_url("themes"))["Access-Control-Allow-Origin"] == "*"


def _grow(extra):
    theme = make_theme()
    for _ in range(extra):
        review = make_review(partnership=make_partnership())
        review.sources.add(make_source())
        rec = make_recommendation(review=review, themes=[theme])
        make_action(recommendation=rec)
        make_learning_point(review=review, themes=[theme])


@pytest.mark.parametrize(
    ("endpoint", "queries"),
    [
        # count (a kept total, or a bounded count), page, then prefetches: reviews (tags, sources,
        # their themes from the kept links), themes (aliases, related), items (their reviews and their
        # sources, each with its partnership, one query each rather than joined: a page's entries share
        # a few, made once each; themes; recommendations also actions; recommendations and actions their
        # agencies)
        ("reviews", 5),
        ("themes", 6),  # + the national themes each falls under, + the guides (none here: one query)
        ("learning-points", 5),
        # recommendations: + the earlier ones each repeats or replaces, and the later ones (one query each)
        ("recommendations", 9),
        ("actions", 7),  # + their dated status reports
    ],
)
def test_query_count_does_not_grow_with_the_data(client, django_assert_num_queries, endpoint, queries):
    _grow(2)
    kept_flush()  # as the commit of those writes would, before any request reads the kept counts
    with django_assert_num_queries(queries):
        small = client.get(list_url(endpoint))
    _grow(4)
    kept_flush()
    with django_assert_num_queries(queries):
        large = client.get(list_url(endpoint))
    assert small.status_code == large.status_code == 200
    assert len(large.json()["results"]) > len(small.json()["results"]) > 0


def test_learning_point_not_tied_to_a_review(client):
    partnership = make_partnership(slug="test-cross")
    source = make_source(partnership=partnership)
    point = make_learning_point(review=None, source=source, text="Test cross-cutting learning.")
    record = get_json(client, list_url("learning-points"), partnership="test-cross")["results"][0]
    assert record["id"] == point.pk
    assert record["review"] is None
    assert record["partnership"]["slug"] == "test-cross"
    assert LearningPoint.objects.published().filter(pk=point.pk).exists()


def test_every_example_in_the_readme_works(client, loaded_kb):
    """The README's 'Open data' examples, run against the real content."""
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    section = readme.split("## Open data", 1)[1].split("\n## ", 1)[0]
    urls = re.findall(r"curl (?:-o \S+ )?'https://kb\.example\.org([^']+)'", section)
    assert len(urls) >= 4
    # Ids in the examples are illustrative; a test database numbers rows its own way.
    first_point = LearningPoint.objects.published().order_by("pk").first()
    urls = [re.sub(r"/learning-points/\d+/", f"/learning-points/{first_point.pk}/", url) for url in urls]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        if ".csv" in url:
            assert len(list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))) > 1, url
        else:
            found = response.json()
            assert found.get("count", 1) > 0, url


def test_a_draft_source_of_a_published_review_is_not_listed(client, data):
    hidden = make_source(title="Test draft source", status=PublicationStatus.DRAFT)
    data["old"].sources.add(hidden)
    record = get_json(client, reverse("reviews:api-review-detail", kwargs={"pk": data["old"].pk}))
    assert [source["title"] for source in record["sources"]] == ["Test briefing north"]


def _rename(obj, slug):
    obj.slug = slug
    obj.save()


@pytest.mark.parametrize(
    ("endpoint", "params", "expected"),
    [
        ("learning-points", {"theme": "test-sharing"}, ["Test old learning."]),
        ("reviews", {"theme": "test-sharing"}, ["Test review 2018"]),
        ("recommendations", {"theme": "test-sharing"}, ["Test old rec."]),
        ("reviews", {"partnership": "test-north"}, ["Test review 2018"]),
        ("learning-points", {"partnership": "test-south"}, ["Test new learning."]),
        ("actions", {"partnership": "test-south"}, ["Test action planned."]),
    ],
)
def test_an_old_slug_still_filters_after_a_rename(client, data, endpoint, params, expected):
    """Links in slides keep working in the API as the renamed pages' addresses do (301)."""
    _rename(data["sharing"], "test-sharing-renamed")
    _rename(data["north"], "test-north-renamed")
    _rename(data["south"], "test-south-renamed")
    results = get_json(client, list_url(endpoint), **params)["results"]
    assert [record.get("title") or record.get("text") for record in results] == expected


def test_a_slug_never_used_is_still_a_400(client, data):
    _rename(data["sharing"], "test-sharing-renamed")
    error = get_json(client, list_url("learning-points"), expect=400, theme="test-never")["error"]
    assert error["parameter"] == "theme"


@pytest.fixture
def briefed_elsewhere():
    """Like Child M: a review published by one partnership, its briefing written by another."""
    publisher = make_partnership(name="Test Reviewing Partnership", slug="test-reviewing")
    writer = make_partnership(name="Test Briefing Partnership", slug="test-briefing")
    source = make_source(title="Test briefing by another partnership", partnership=writer)
    review = make_review(title="Test review briefed elsewhere", partnership=publisher)
    review.sources.add(source)
    point = make_learning_point(review=review, source=source, text="Test learning briefed elsewhere.")
    recommendation = make_recommendation(review=review, source=source, text="Test rec briefed elsewhere.")
    action = make_action(recommendation=recommendation, text="Test action briefed elsewhere.")
    return {"point": point, "recommendation": recommendation, "action": action}


@pytest.mark.parametrize("endpoint", ["learning-points", "recommendations", "actions"])
@pytest.mark.parametrize("partnership", ["test-reviewing", "test-briefing"])
def test_entries_are_found_by_the_review_partnership_or_the_briefing_partnership(
    client, briefed_elsewhere, endpoint, partnership
):
    make_learning_point(review=make_review(partnership=make_partnership()), text="Test learning elsewhere.")
    results = get_json(client, list_url(endpoint), partnership=partnership)["results"]
    assert len(results) == 1
    assert "briefed elsewhere" in results[0]["text"]


def test_entry_records_name_the_partnership_of_their_briefing(client, briefed_elsewhere):
    point = briefed_elsewhere["point"]
    record = get_json(client, reverse("reviews:api-learning-point-detail", kwargs={"pk": point.pk}))
    assert record["partnership"]["slug"] == "test-reviewing"
    assert record["source"]["partnership"] == {
        "slug": "test-briefing",
        "name": "Test Briefing Partnership",
        "url": "http://testserver/partnerships/test-briefing/",
    }
    assert record["source"]["publisher"] == "Test Briefing Partnership"

    response = client.get(reverse("reviews:api-list-csv", kwargs={"endpoint": "actions"}))
    rows = list(csv.DictReader(io.StringIO(body(response).decode("utf-8-sig"))))
    assert (rows[0]["partnership_slug"], rows[0]["source_partnership_slug"]) == ("test-reviewing", "test-briefing")
    assert rows[0]["source_partnership_name"] == "Test Briefing Partnership"


def test_a_briefing_with_no_partnership_leaves_its_columns_empty(client):
    make_learning_point(review=make_review(), source=make_source())
    rows = list(
        csv.DictReader(
            io.StringIO(
                body(client.get(reverse("reviews:api-list-csv", kwargs={"endpoint": "learning-points"}))).decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert (rows[0]["source_partnership_slug"], rows[0]["source_partnership_name"]) == ("", "")
    assert get_json(client, list_url("learning-points"))["results"][0]["source"]["partnership"] is None


# ---------------------------------------------------------------------------
# Bounded lists: pages as far as MAX_OFFSET, then on by id; counts bounded
# ---------------------------------------------------------------------------


def _points(count):
    review, source, theme = make_review(), make_source(), make_theme(slug="test-bounded")
    return [make_learning_point(review=review, source=source, themes=[theme]) for _ in range(count)]


def test_next_goes_on_by_id_past_the_records_pages_reach(client, monkeypatch):
    monkeypatch.setattr(api_views, "MAX_OFFSET", 4)
    monkeypatch.setattr(api_params, "MAX_OFFSET", 4)
    points = _points(7)
    first = get_json(client, list_url("learning-points"), page_size=2)
    assert first["count"] == 7 and first["num_pages"] == 4
    assert first["next"].endswith("page=2&page_size=2") or "page=2" in first["next"]
    second = get_json(client, first["next"])
    # Page 3 would start past the first 4 records: 'next' goes on from the last id read instead.
    assert "after=" in second["next"] and "page=" not in second["next"]
    ids = [record["id"] for record in first["results"] + second["results"]]
    response = second
    while response["next"]:
        response = get_json(client, response["next"])
        assert response["page"] is None and response["previous"] is None
        ids += [record["id"] for record in response["results"]]
    assert ids == [point.pk for point in points]
    error = get_json(client, list_url("learning-points"), expect=400, page_size=2, page=3)["error"]
    assert error["parameter"] == "page" and "'after'" in error["message"]


def test_page_and_after_are_not_given_together(client):
    error = get_json(client, list_url("learning-points"), expect=400, page=2, after=5)["error"]
    assert (error["parameter"], error["message"]) == ("page", "Give 'page' or 'after', not both.")


def test_a_filtered_count_is_exact_up_to_the_limit_then_null(client, monkeypatch):
    _points(5)
    monkeypatch.setattr(api_selectors, "COUNT_LIMIT", 4)
    found = get_json(client, list_url("learning-points"), theme="test-bounded", page_size=2)
    assert (found["count"], found["num_pages"], len(found["results"])) == (None, None, 2)
    assert found["next"]
    monkeypatch.setattr(api_selectors, "COUNT_LIMIT", 5)
    assert get_json(client, list_url("learning-points"), theme="test-bounded")["count"] == 5


@pytest.mark.parametrize("endpoint", ["reviews", "learning-points", "recommendations", "actions"])
def test_an_unfiltered_count_is_the_kept_total(client, data, endpoint, monkeypatch):
    monkeypatch.setattr(api_selectors, "COUNT_LIMIT", 0)  # never counted: kept
    make_learning_point(review=None, source=make_source(), text="Test learning tied to no review.")
    model = {
        "reviews": Review,
        "learning-points": LearningPoint,
        "recommendations": Recommendation,
        "actions": Action,
    }[endpoint]
    assert get_json(client, list_url(endpoint))["count"] == model.objects.published().count() > 0


def test_a_csv_download_of_more_than_a_chunk_is_streamed(client, data, monkeypatch):
    url = reverse("reviews:api-list-csv", kwargs={"endpoint": "learning-points"})
    published = LearningPoint.objects.published().count()
    whole = client.get(url)
    assert whole.status_code == 200 and not whole.streaming  # one chunk: sent whole, as before
    monkeypatch.setattr(api_selectors, "CSV_CHUNK", published - 1)
    streamed = client.get(url)
    assert streamed.status_code == 200 and streamed.streaming
    assert streamed["Content-Type"] == whole["Content-Type"] == "text/csv; charset=utf-8"
    assert body(streamed) == whole.content
    assert len(list(csv.DictReader(io.StringIO(whole.content.decode("utf-8-sig"))))) == published


def test_a_csv_download_reads_its_records_in_chunks(client, monkeypatch):
    """Memory stays flat: records are read a chunk at a time, each chunk with its own prefetches,
    as the response is sent (not all before it)."""
    monkeypatch.setattr(api_selectors, "CSV_CHUNK", 2)
    _points(7)
    kept_flush()  # as the commit of those writes would
    with CaptureQueriesContext(connection) as answered:
        response = client.get(reverse("reviews:api-list-csv", kwargs={"endpoint": "learning-points"}))
    pieces = iter(response.streaming_content)
    with CaptureQueriesContext(connection) as header:
        first = next(pieces)
    assert first == ("\ufeff" + ",".join(ENDPOINTS["learning-points"].csv_columns) + "\r\n").encode()
    assert not header.captured_queries  # the first byte before the first query
    with CaptureQueriesContext(connection) as sent:
        rows = list(csv.reader(io.StringIO(b"".join([first, *pieces]).decode("utf-8-sig"))))
    assert len(rows) == 1 + 7

    def theme_lookups(queries):
        return [query for query in queries if "_prefetch_related_val_learningpoint_id" in query["sql"]]

    assert len(theme_lookups(answered.captured_queries + sent.captured_queries)) == 4  # chunks of 2, 2, 2 and 1
    # None is read before the answer starts (the first byte at once: a count of at most one more than a
    # chunk tells whether it is more than one), every chunk as it is sent.
    assert len(theme_lookups(sent.captured_queries)) == 4
    assert len(answered.captured_queries) == 1

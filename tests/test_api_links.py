"""The API's addresses made quickly (``reviews/addresses.py``) are the ones ``reverse()`` makes.

Each kind of address a record holds is reversed once per request and then
filled in; these tests check that the filled-in address is exactly
``build_absolute_uri(reverse(...))`` for every URL name the records use, for
the odd values too (which go the slow way, or fail as ``reverse()`` fails),
and that every record of the real knowledge base, JSON and CSV, is the same
either way.
"""

import pytest
from django.test import RequestFactory
from django.urls import NoReverseMatch, clear_script_prefix, reverse, set_script_prefix

from reviews.addresses import Links, path_to
from reviews.api import records
from reviews.api.csv import csv_rows
from reviews.api.endpoints import ENDPOINTS
from reviews.api.selectors import endpoint_chunks
from reviews.models import (
    Action,
    Agency,
    LearningPoint,
    NationalTheme,
    Partnership,
    Recommendation,
    Review,
    Source,
    Theme,
)

from .support.factories import make_learning_point, make_review, make_source

# Every URL name a record reverses, with its argument's name.
BY_SLUG = [
    "reviews:partnership-detail",
    "reviews:source-detail",
    "reviews:review-detail",
    "reviews:review-print",
    "reviews:theme-detail",
    "reviews:theme-print",
    "reviews:theme-embed",
    "reviews:agency-detail",
]
BY_ID = [
    "reviews:review-permalink",
    "reviews:theme-permalink",
    "reviews:learning-point-permalink",
    "reviews:recommendation-permalink",
    "reviews:action-permalink",
    "reviews:learning-point-embed",
    *(f"reviews:api-{name}-detail" for name in ("review", "theme", "national-theme", "learning-point")),
    *(f"reviews:api-{name}-detail" for name in ("recommendation", "action", "agency")),
]

SLUGS = [
    "a",
    "test-theme",
    "Under_score-9",
    "9",
    "kbLinkPlaceholder0X",
    # Not slugs the site makes, but a bulk update could store them: the slow way, as before.
    "café",
    "with space",
    "a.b",
    "..",
    "a/b",
    "100%",
    "",
]
IDS = [0, 1, 42, 9_876_543_210_000, -1, "42", "x", True]
FRAGMENTS = ["", "lp-test-ref", "rec-Ref_9", "lp-café", "a b", "a#b", "x/../y"]


def slow(absolute, name, fragment="", **kwargs):
    """The address as the records made it before: ``reverse()``, then ``build_absolute_uri``."""
    path = reverse(name, kwargs=kwargs)
    return absolute(f"{path}#{fragment}" if fragment else path)


def outcome(make, *args, **kwargs):
    """What ``make(*args, **kwargs)`` gives, or ``NoReverseMatch`` if it raises that."""
    try:
        return make(*args, **kwargs)
    except NoReverseMatch:
        return NoReverseMatch


@pytest.fixture(params=["http://testserver", "https://testserver:8443"])
def absolute(request):
    scheme, host = request.param.split("://")
    return RequestFactory().get("/api/v1/", secure=scheme == "https", HTTP_HOST=host).build_absolute_uri


@pytest.mark.parametrize("name", BY_SLUG)
def test_an_address_by_slug_is_what_reverse_makes(absolute, name):
    links = Links(absolute)
    for slug in SLUGS:
        for fragment in FRAGMENTS:
            expected = outcome(slow, absolute, name, fragment, slug=slug)
            assert outcome(links.url, name, fragment=fragment, slug=slug) == expected, (slug, fragment)


@pytest.mark.parametrize("name", BY_ID)
def test_an_address_by_id_is_what_reverse_makes(absolute, name):
    links = Links(absolute)
    for pk in IDS:
        expected = outcome(slow, absolute, name, pk=pk)
        assert outcome(links.url, name, pk=pk) == expected, pk


def test_an_address_with_two_arguments_is_what_reverse_makes(absolute):
    links = Links(absolute)
    for framework in SLUGS:
        for slug in SLUGS:
            expected = outcome(slow, absolute, "reviews:national-theme-detail", framework=framework, slug=slug)
            made = outcome(links.url, "reviews:national-theme-detail", framework=framework, slug=slug)
            assert made == expected, (framework, slug)
    # Given in the other order, or with an argument missing or unknown, still what reverse() does.
    assert links.url("reviews:national-theme-detail", slug="b", framework="a") == slow(
        absolute, "reviews:national-theme-detail", framework="a", slug="b"
    )
    for kwargs in ({"slug": "b"}, {"framework": "a", "slug": "b", "other": "c"}):
        assert outcome(links.url, "reviews:national-theme-detail", **kwargs) is NoReverseMatch


def test_the_first_value_may_be_one_that_goes_the_slow_way(absolute):
    links = Links(absolute)
    assert outcome(links.url, "reviews:review-detail", slug="café") is NoReverseMatch
    assert outcome(links.url, "reviews:review-permalink", pk="x") is NoReverseMatch
    assert links.url("reviews:review-detail", slug="a-b") == slow(absolute, "reviews:review-detail", slug="a-b")
    assert links.url("reviews:review-permalink", pk=7) == slow(absolute, "reviews:review-permalink", pk=7)


def test_the_site_served_under_a_prefix(absolute):
    set_script_prefix("/kb/")
    try:
        links = Links(absolute)
        made = links.url("reviews:review-detail", fragment="lp-x", slug="a")
        assert made == slow(absolute, "reviews:review-detail", "lp-x", slug="a")
        assert "/kb/reviews/a/#lp-x" in made
    finally:
        clear_script_prefix()


@pytest.mark.parametrize("name", BY_SLUG)
def test_a_path_by_slug_is_what_reverse_makes(name):
    for slug in SLUGS:
        assert outcome(path_to, name, slug=slug) == outcome(reverse, name, kwargs={"slug": slug}), slug


@pytest.mark.parametrize("name", BY_ID)
def test_a_path_by_id_is_what_reverse_makes(name):
    for pk in IDS:
        assert outcome(path_to, name, pk=pk) == outcome(reverse, name, kwargs={"pk": pk}), pk


def test_a_path_follows_the_script_prefix():
    """The pages' paths (``path_to``) are reversed once for each prefix the site is served under."""
    before = path_to("reviews:review-detail", slug="a")
    set_script_prefix("/kb/")
    try:
        assert path_to("reviews:review-detail", slug="a") == reverse("reviews:review-detail", kwargs={"slug": "a"})
        assert path_to("reviews:learning-point-permalink", pk=3) == "/kb/lp/3/"
    finally:
        clear_script_prefix()
    assert path_to("reviews:review-detail", slug="a") == before == "/reviews/a/"


def test_the_models_addresses_are_what_reverse_makes(db):
    review = make_review()
    source = make_source()
    point = make_learning_point(review=review, source=source)
    assert review.get_absolute_url() == reverse("reviews:review-detail", kwargs={"slug": review.slug})
    assert review.get_permalink() == reverse("reviews:review-permalink", kwargs={"pk": review.pk})
    assert source.get_absolute_url() == reverse("reviews:source-detail", kwargs={"slug": source.slug})
    assert point.get_permalink() == reverse("reviews:learning-point-permalink", kwargs={"pk": point.pk})


def test_links_is_the_requests_build_absolute_uri(absolute):
    assert Links(absolute)("/api/v1/reviews/?page=2") == absolute("/api/v1/reviews/?page=2")


# ---------------------------------------------------------------------------
# The real knowledge base: every address, every record
# ---------------------------------------------------------------------------


@pytest.fixture
def knowledge_base(loaded_kb_module, db):
    # A learning point tied to no review is found in its briefing's page.
    make_learning_point(review=None, source=make_source(slug="test-briefing-alone"), ref="lp-test-alone")


# (model, the records' helper, the model's own method)
PAGES = [
    (Partnership, records.partnership_url, "get_absolute_url"),
    (Source, records.source_url, "get_absolute_url"),
    (Review, records.review_url, "get_absolute_url"),
    (Review, records.review_permalink, "get_permalink"),
    (Theme, records.theme_url, "get_absolute_url"),
    (Theme, records.theme_permalink, "get_permalink"),
    (Agency, records.agency_url, "get_absolute_url"),
    (NationalTheme, records.national_theme_url, "get_absolute_url"),
    (LearningPoint, records.entry_url, "get_absolute_url"),
    (LearningPoint, records.entry_permalink, "get_permalink"),
    (Recommendation, records.entry_url, "get_absolute_url"),
    (Recommendation, records.entry_permalink, "get_permalink"),
    (Action, records.entry_url, "get_absolute_url"),
    (Action, records.entry_permalink, "get_permalink"),
]


@pytest.mark.parametrize(("model", "helper", "method"), PAGES, ids=lambda value: getattr(value, "__name__", value))
def test_the_records_addresses_are_the_models_own(knowledge_base, absolute, model, helper, method):
    links = Links(absolute)
    objects = list(model.objects.all())
    assert objects
    for obj in objects:
        assert helper(obj, links) == absolute(getattr(obj, method)()), obj.pk


def _everything(endpoint, links):
    rows = []
    for chunk in endpoint_chunks(endpoint, filters={}):
        rows.extend(endpoint.record(obj, links) for obj in chunk)
    return rows


@pytest.mark.parametrize("name", list(ENDPOINTS))
def test_every_record_is_the_same_made_quickly(knowledge_base, absolute, name):
    """JSON and CSV: the records of the whole knowledge base, each address filled in or reversed."""
    endpoint = ENDPOINTS[name]
    quick = _everything(endpoint, Links(absolute))
    reversed_ = _everything(endpoint, Links(absolute, fast=False))
    assert quick
    assert quick == reversed_
    columns = endpoint.csv_columns
    assert list(csv_rows(columns, quick)) == list(csv_rows(columns, reversed_))


@pytest.mark.parametrize("name", list(ENDPOINTS))
def test_making_records_runs_no_query(knowledge_base, absolute, name, django_assert_num_queries):
    """Records read only the columns their selectors load (``only()``): a column left out would
    cost a query per record."""
    endpoint = ENDPOINTS[name]
    links = Links(absolute)
    for chunk in endpoint_chunks(endpoint, filters={}):
        with django_assert_num_queries(0):
            for obj in chunk:
                endpoint.record(obj, links)

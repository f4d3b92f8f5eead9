""" "Read the original briefing" (a source's published original, given in the briefing
or added by the knowledge base) and resources changed since a briefing (noted by the
knowledge base, flagged wherever the resource is shown)."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from reviews.importing.metadata import own_address_in
from reviews.models import DatePrecision, OriginalAddressOrigin, Resource, Source
from reviews.services import briefing_import

from .support.factories import make_learning_point, make_review, make_section, make_source
from .support.kb import copy_fixtures, edit_json, find, load_fixtures

pytestmark = pytest.mark.django_db

GIVEN_ADDRESS = "https://example.org/briefings/test-briefing.pdf"
ADDED_ADDRESS = "https://example.org/board/publications/test-briefing"


def review_with_source(**source_fields):
    source = make_source(**source_fields)
    review = make_review()
    review.sources.add(source)
    make_learning_point(review=review, source=source)
    return review, source


# -- the database's rules ------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "origin"),
    [
        (GIVEN_ADDRESS, ""),  # an address that does not say who gives it
        ("", OriginalAddressOrigin.GIVEN),  # an origin without an address
        ("", OriginalAddressOrigin.ADDED),
        (GIVEN_ADDRESS, "guessed"),  # not one of the choices
        ("javascript:alert(1)", OriginalAddressOrigin.GIVEN),
    ],
)
def test_the_database_refuses_an_original_address_without_its_origin_or_the_reverse(address, origin):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_source(original_url=address, original_url_origin=origin)


@pytest.mark.parametrize(
    ("address", "origin"),
    [("", ""), (GIVEN_ADDRESS, OriginalAddressOrigin.GIVEN), (ADDED_ADDRESS, OriginalAddressOrigin.ADDED)],
)
def test_an_address_with_its_origin_or_neither_is_kept(address, origin):
    source = make_source(original_url=address, original_url_origin=origin)
    source.refresh_from_db()
    assert (source.original_url, source.original_url_origin) == (address, origin)


@pytest.mark.parametrize(
    "fields",
    [
        {"changed_to_url": "https://example.org/new"},  # an address with no name of what replaced it
        {"change_note": "Replaced."},
        {"changed_on": datetime.date(2023, 1, 1), "changed_precision": DatePrecision.YEAR},
        {"changed_to": "New guidance", "changed_to_url": "ftp://example.org/new"},
        {"changed_to": "New guidance", "changed_on": datetime.date(2023, 12, 15), "changed_precision": "month"},
        {"changed_to": "New guidance", "changed_on": datetime.date(2023, 12, 1)},  # a date with precision unknown
    ],
)
def test_the_database_refuses_a_change_that_does_not_name_what_replaced_it_or_a_bad_date(fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        Resource.objects.create(name="Test guidance 2015", source=make_source(), **fields)


def test_a_change_is_kept_in_the_resources_history():
    resource = Resource.objects.create(name="Test guidance 2015", source=make_source())
    resource.changed_to = "Test guidance 2023"
    resource.changed_on, resource.changed_precision = datetime.date(2023, 12, 1), DatePrecision.MONTH
    resource.save()
    resource.changed_to = "Test guidance 2024"
    resource.save()
    names = [record.changed_to for record in resource.history.order_by("history_date")]
    assert names == ["", "Test guidance 2023", "Test guidance 2024"]
    assert resource.changed_display == "December 2023"


# -- pages -------------------------------------------------------------------------------


def test_the_review_page_offers_the_original_the_briefing_gives(client):
    review, _source = review_with_source(original_url=GIVEN_ADDRESS, original_url_origin=OriginalAddressOrigin.GIVEN)
    page = client.get(review.get_absolute_url()).content.decode()
    assert f'href="{GIVEN_ADDRESS}"' in page
    assert "Read the original briefing" in page
    assert "added by the knowledge base" not in page


def test_an_address_the_knowledge_base_added_says_so(client):
    review, source = review_with_source(original_url=ADDED_ADDRESS, original_url_origin=OriginalAddressOrigin.ADDED)
    for url in (review.get_absolute_url(), source.get_absolute_url()):
        page = client.get(url).content.decode()
        assert f'href="{ADDED_ADDRESS}"' in page
        assert "address added by the knowledge base: the briefing does not give it" in page


def test_no_address_shows_nothing(client):
    review, source = review_with_source()
    for url in (
        review.get_absolute_url(),
        source.get_absolute_url(),
        reverse("reviews:review-print", args=[review.slug]),
    ):
        assert "Read the original" not in client.get(url).content.decode()


def test_the_source_page_and_the_printed_briefing_give_the_original(client):
    review, source = review_with_source(original_url=GIVEN_ADDRESS, original_url_origin=OriginalAddressOrigin.GIVEN)
    assert f'href="{GIVEN_ADDRESS}"' in client.get(source.get_absolute_url()).content.decode()
    printed = client.get(reverse("reviews:review-print", args=[review.slug])).content.decode()
    assert f"Read the original briefing: {GIVEN_ADDRESS}" in printed


def test_the_api_gives_the_original_and_who_gives_it(client):
    review, _source = review_with_source(original_url=ADDED_ADDRESS, original_url_origin=OriginalAddressOrigin.ADDED)
    record = client.get(reverse("reviews:api-review-detail", kwargs={"pk": review.pk})).json()
    assert record["sources"][0]["original_url"] == ADDED_ADDRESS
    assert record["sources"][0]["original_url_origin"] == "added"
    bare = make_review()
    bare.sources.add(make_source())
    record = client.get(reverse("reviews:api-review-detail", kwargs={"pk": bare.pk})).json()
    assert record["sources"][0]["original_url"] is None
    assert record["sources"][0]["original_url_origin"] is None


def changed_resource(source, **overrides):
    fields = {
        "name": "Test Together 2015",
        "source": source,
        "changed_to": "Test Together 2023",
        "changed_to_url": "https://example.org/test-together-2023",
        "changed_on": datetime.date(2023, 12, 1),
        "changed_precision": DatePrecision.MONTH,
        "change_note": "The statutory guidance was replaced by a new edition.",
    }
    fields.update(overrides)
    return Resource.objects.create(**fields)


def test_a_changed_resource_is_flagged_on_the_source_page(client):
    source = make_source()
    make_review().sources.add(source)
    changed_resource(source)
    Resource.objects.create(name="Unchanged protocol", source=source)
    page = client.get(source.get_absolute_url()).content.decode()
    assert page.count("Changed since this briefing") == 1
    assert '<a class="govuk-link" href="https://example.org/test-together-2023"' in page
    assert "(December 2023). The statutory guidance was replaced by a new edition." in page
    assert "Noted by the knowledge base." in page


def test_a_changed_resource_is_flagged_where_an_entry_names_it_and_where_the_briefing_gives_it(client):
    review = make_review()
    source = make_source()
    review.sources.add(source)
    named = changed_resource(source)
    point = make_learning_point(review=review, source=source)
    point.resources.add(named)
    section = make_section(source=source, heading="Further information", role="further_information")
    changed_resource(
        source,
        name="Test signpost",
        section=section,
        changed_to="Test signpost 2024",
        changed_on=None,
        changed_precision=DatePrecision.UNKNOWN,
        change_note="",
        changed_to_url="",
    )
    page = client.get(review.get_absolute_url()).content.decode()
    flag = (
        "(<strong>changed since this briefing:</strong> Test Together 2023, December 2023; noted by the knowledge base)"
    )
    assert flag in page
    assert 'Test signpost 2024 <span class="kb-muted">Noted by the knowledge base.</span>' in page


def test_an_unchanged_resource_has_no_flag(client):
    review = make_review()
    source = make_source()
    review.sources.add(source)
    point = make_learning_point(review=review, source=source)
    point.resources.add(Resource.objects.create(name="Test protocol", source=source))
    for url in (review.get_absolute_url(), source.get_absolute_url()):
        page = client.get(url).content.decode()
        assert "Test protocol" in page
        assert "hanged since this briefing" not in page


# -- admin --------------------------------------------------------------------------------


def test_editors_give_the_original_and_its_origin_in_the_admin(editor_client):
    source = make_source()
    page = editor_client.get(reverse("admin:reviews_source_change", args=[source.pk])).content.decode()
    assert "Web address of the published original" in page
    assert "Where the address comes from" in page
    assert "Given in the briefing" in page and "Added by the knowledge base" in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"original_url": GIVEN_ADDRESS}, "Say where the web address of the published original comes from"),
        ({"original_url_origin": "added"}, "Say where the web address of the published original comes from"),
    ],
)
def test_full_clean_says_what_is_missing(fields, message):
    source = make_source()
    for name, value in fields.items():
        setattr(source, name, value)
    with pytest.raises(ValidationError) as raised:
        source.full_clean()
    assert message in str(raised.value)
    resource = Resource(name="Test guidance", source=source, change_note="Replaced.")
    with pytest.raises(ValidationError) as raised:
        resource.full_clean()
    assert "Give the name of what replaced it" in str(raised.value)


def test_editors_record_a_change_on_a_resource_in_the_admin(editor_client):
    resource = Resource.objects.create(name="Test guidance 2015", source=make_source())
    url = reverse("admin:reviews_resource_change", args=[resource.pk])
    page = editor_client.get(url).content.decode()
    assert "Changed since the briefing" in page
    assert "Changed since: what replaced it" in page


# -- the importer ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("This briefing is available at https://example.org/b.pdf.", "https://example.org/b.pdf"),
        (
            "This 7 minute briefing can be downloaded from [our website](https://example.org/7mb).",
            "https://example.org/7mb",
        ),
        ("Read this briefing online at: http://example.org/a?b=1;", "http://example.org/a?b=1"),
        # Another document's address, not the briefing's own.
        ("The full report is available at https://example.org/report.pdf", ""),
        ("The briefing on neglect is published at https://example.org/neglect.pdf", ""),
        # No scheme: the importer does not guess one.
        ("This briefing is available at www.example.org/b.pdf", ""),
    ],
)
def test_the_importer_reads_only_an_address_a_document_gives_for_itself(text, address):
    assert own_address_in(["Test title", text]) == address


def test_an_imported_briefing_proposes_the_address_it_gives_as_given():
    text = (
        "Test Safeguarding Partnership 7 Minute Briefing\n\n"
        "Learning\n\nProfessionals should share information early.\n\n"
        "This briefing is available at https://example.org/test-7mb.pdf\n"
    )
    source = briefing_import(text=text, file_name="test-original.txt").source
    assert source.original_url == "https://example.org/test-7mb.pdf"
    assert source.original_url_origin == OriginalAddressOrigin.GIVEN
    assert source.status == "draft"
    assert any(
        warning.get("code") == "original_url_given" and "https://example.org/test-7mb.pdf" in warning["message"]
        for warning in source.import_report["warnings"]
    )
    bare = briefing_import(
        text=text.replace("https://example.org/test-7mb.pdf", "our website"), file_name="test-original-2.txt"
    ).source
    assert (bare.original_url, bare.original_url_origin) == ("", "")


# -- the fixtures ---------------------------------------------------------------------------------


def test_none_of_the_seed_briefings_gives_the_address_of_its_original(loaded_kb):
    """None of the five briefings gives its own web address (their links are "(#)"):
    the fixtures record none, and invent none."""
    assert Source.objects.count() == 5
    assert not Source.objects.exclude(original_url="").exists()
    assert not Resource.objects.exclude(changed_to="").exists()


def test_the_fixtures_refuse_a_given_address_that_is_not_in_the_briefing(tmp_path):
    fixtures = copy_fixtures(tmp_path)
    edit_json(
        fixtures / "sources" / "swindon-2019-child-m.json",
        lambda data: data["source"].update(original_url=GIVEN_ADDRESS, original_url_origin="given"),
    )
    with pytest.raises(Exception) as raised:
        load_fixtures(fixtures)
    assert f"'original_url' '{GIVEN_ADDRESS}' is not in the briefing's text" in str(raised.value)


def test_the_fixtures_refuse_a_change_without_what_replaced_it(tmp_path):
    fixtures = copy_fixtures(tmp_path)
    edit_json(
        fixtures / "sources" / "hampshire-child-k-response.json",
        lambda data: find(data["resources"], "child-k-res-working-together-2015").update(change_note="Replaced."),
    )
    with pytest.raises(Exception) as raised:
        load_fixtures(fixtures)
    assert "'change_note' needs 'changed_to'" in str(raised.value)


def test_the_fixtures_load_an_added_address_and_a_change(tmp_path):
    fixtures = copy_fixtures(tmp_path)

    def change(data):
        data["source"].update(original_url=ADDED_ADDRESS, original_url_origin="added")
        find(data["resources"], "child-k-res-working-together-2015").update(
            changed_to="Test Together 2023", changed_on="2023-12", change_note="Test note."
        )

    edit_json(fixtures / "sources" / "hampshire-child-k-response.json", change)
    load_fixtures(fixtures)
    source = Source.objects.get(slug="hampshire-child-k-response")
    assert (source.original_url, source.original_url_origin) == (ADDED_ADDRESS, "added")
    resource = source.resources.get(ref="child-k-res-working-together-2015")
    assert (resource.changed_to, resource.changed_display, resource.change_note) == (
        "Test Together 2023",
        "December 2023",
        "Test note.",
    )
    assert json.loads(json.dumps(resource.changed_on.isoformat())) == "2023-12-01"

"""Stored web addresses are http(s) only, whatever writes them, and pages never link another scheme."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template import Context, Template

from reviews.models import Partnership, Resource

from .support.factories import make_partnership, make_review, make_source

pytestmark = pytest.mark.django_db

HOSTILE = [
    "javascript:alert(1)",
    "JAVASCRIPT:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "ftp://example.org/x",
    " vbscript:x",
]


@pytest.mark.parametrize("address", HOSTILE)
def test_the_database_refuses_another_scheme_from_any_writer(address):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_partnership(website=address)
    with pytest.raises(IntegrityError), transaction.atomic():
        Resource.objects.create(name="A leaflet", source=make_source(), url=address)
    partnership = make_partnership()
    with pytest.raises(IntegrityError), transaction.atomic():
        Partnership.objects.filter(pk=partnership.pk).update(website=address)


@pytest.mark.parametrize("address", HOSTILE)
def test_forms_and_full_clean_say_what_is_wrong(address):
    resource = Resource(name="A leaflet", source=make_source(), url=address)
    with pytest.raises(ValidationError) as error:
        resource.full_clean()
    assert "Enter a web address starting https:// or http://." in error.value.message_dict["url"]


@pytest.mark.parametrize("address", ["", "https://www.example.org/", "http://example.org/a?b=c", "HTTPS://EXAMPLE.ORG"])
def test_web_addresses_are_kept(address):
    partnership = make_partnership(website=address)
    partnership.refresh_from_db()
    assert partnership.website == address


@pytest.mark.parametrize(
    ("stored", "shown"), [("javascript:alert(1)", ""), ("https://example.org/", "https://example.org/")]
)
def test_the_template_filter_never_gives_another_scheme(stored, shown):
    rendered = Template("{% load kb %}[{{ value|web_address }}]").render(Context({"value": stored}))
    assert rendered == f"[{shown}]"


def test_the_partnership_page_links_its_website(client):
    partnership = make_partnership(website="https://example.org/board/")
    make_review(partnership=partnership)
    page = client.get(partnership.get_absolute_url()).content.decode()
    assert '<a class="govuk-link" href="https://example.org/board/" rel="noopener noreferrer">' in page

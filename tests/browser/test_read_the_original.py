""" "Read the original briefing" and a resource changed since its briefing, in a real browser:
visible wide and narrow, axe finds no WCAG 2.2 A/AA violations, nothing fails to load.

The addresses and the change are test data: none of the seed briefings gives its own
address, and the fixtures record no change (see tests/test_original_and_changes.py)."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from ..support.browser import screenshot
from .test_accessibility import AXE_OPTIONS, describe

pytestmark = pytest.mark.django_db(transaction=True)

ADDRESS = "https://example.org/test-original-briefing.pdf"


@pytest.fixture
def with_original_and_change(loaded_kb):
    from reviews.models import OriginalAddressOrigin, Resource, Source

    Source.objects.filter(slug="swindon-2018-scrs-s-and-d").update(
        original_url=ADDRESS, original_url_origin=OriginalAddressOrigin.ADDED
    )
    resource = Resource.objects.get(ref="s-and-d-res-south-west-cp-procedures")
    resource.changed_to = "Test replacement procedures"
    resource.change_note = "Test note in the knowledge base's words."
    resource.save()


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_the_review_and_source_pages_offer_the_original(
    live_server, with_original_and_change, request, viewport, page_problems
):
    page = request.getfixturevalue(viewport)
    width = "375" if viewport == "phone_page" else "1280"
    for path, name in (
        ("/reviews/scrs-s-and-d/", "review"),
        ("/sources/swindon-2018-scrs-s-and-d/", "source"),
    ):
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        # The briefing's title is in the link's name for screen readers (visually hidden).
        link = page.get_by_role(
            "link", name=re.compile(r"^Read the original briefing\W+Serious Case Review Briefing; May 2018$")
        )
        assert link.is_visible()
        assert link.get_attribute("href") == ADDRESS
        assert page.get_by_text("address added by the knowledge base").first.is_visible()
        flag = page.locator(".kb-resource-changed").first
        flag.scroll_into_view_if_needed()
        assert flag.is_visible()
        assert "Test replacement procedures" in flag.inner_text()
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
        results = Axe().run(page, options=AXE_OPTIONS)
        assert results.violations_count == 0, describe(results.response["violations"])
        screenshot(page, f"read-original-{name}-{width}")
    page_problems.assert_none()

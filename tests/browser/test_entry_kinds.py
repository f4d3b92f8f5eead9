"""In Chromium: an entry's kind changed from its admin page (the confirmation form), and the public marker
on an entry whose words were edited; axe at 0 violations at 1280 and 375 px.
Screenshots: tests/artifacts/entry-kind-*.png, wording-edited-*.png."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from reviews.models import Action, LearningPoint, MovedEntry

from ..support.browser import DESKTOP, PHONE, screenshot
from ..support.factories import make_learning_point, make_recommendation, make_review, make_section, make_source
from .test_accessibility import AXE_OPTIONS, describe
from .test_admin_review_form import _session_cookie

pytestmark = pytest.mark.django_db(transaction=True)

BRIEFING = (
    "Learning\n\nTest practitioners should record every unannounced visit to the family home.\n\n"
    "Recommendations\n\nTest recommendation 1: the partnership will audit visit records.\n"
)
WORDS = "Test practitioners should record every unannounced visit to the family home."
MARKER = "Wording edited by the knowledge base"


def check_axe(page):
    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, describe(results.response["violations"])


def fits(page, viewport):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"the page is {width} px wide on a {viewport['width']} px screen"


@pytest.fixture
def published():
    source = make_source(original_text=BRIEFING, title="Test briefing on home visits")
    review = make_review(title="Test review of home visits")
    review.sources.add(source)
    section = make_section(source=source, heading="Learning", position=1)
    point = make_learning_point(review=review, source=source, section=section, position=2, text=WORDS)
    recommendation = make_recommendation(
        review=review, source=source, number="1", position=4, text="the partnership will audit visit records."
    )
    return {"review": review, "point": point, "recommendation": recommendation, "source": source}


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "375"])
def test_changing_a_published_entrys_kind_through_the_form(live_server, browser, editor, published, viewport):
    point = published["point"]
    context = browser.new_context(viewport=viewport, is_mobile=viewport is PHONE, has_touch=viewport is PHONE)
    context.add_cookies([_session_cookie(live_server, editor)])
    page = context.new_page()
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))

    page.goto(f"{live_server.url}/admin/reviews/learningpoint/{point.pk}/change/")
    page.get_by_role("link", name="Change kind").click()
    page.wait_for_url(re.compile(r"/kind/$"))
    assert page.get_by_text("The review is published").is_visible()
    assert page.get_by_label("Action", exact=True).is_visible()
    name = "1280" if viewport is DESKTOP else "375"
    screenshot(page, f"entry-kind-{name}")
    fits(page, viewport)
    check_axe(page)

    # Without a reason nothing changes, and the form says why.
    page.get_by_label("Action", exact=True).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Change its kind").click()
    assert page.get_by_text("This field is required.").is_visible()
    assert LearningPoint.objects.filter(pk=point.pk).exists()
    check_axe(page)

    page.get_by_label("Action", exact=True).check()
    page.get_by_label("The recommendation it answers (for an action only)").select_option(
        str(published["recommendation"].pk)
    )
    page.get_by_label("Why its kind changes").fill("Test: the board's action")
    with page.expect_navigation():
        page.get_by_role("button", name="Change its kind").click()
    action = Action.objects.get(text=WORDS)
    assert page.url.endswith(f"/admin/reviews/action/{action.pk}/change/")
    assert page.get_by_text("Recorded as action.").is_visible()
    assert action.recommendation == published["recommendation"]
    assert MovedEntry.objects.get(old_pk=point.pk).object_id == action.pk

    # Its history starts with the change and links to the learning point's.
    page.get_by_role("link", name="History").click()
    page.wait_for_url(re.compile(r"/history/$"))
    assert page.get_by_text("Test: the board's action").first.is_visible()
    check_axe(page)  # (not its width: the history's table of versions scrolls sideways on a phone, as before)
    screenshot(page, f"entry-kind-history-{name}")
    with page.expect_navigation():
        page.get_by_role("link", name="History of the learning point it was").click()
    assert page.url.endswith(f"/admin/reviews/learningpoint/{point.pk}/history/")
    assert not problems
    context.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "375"])
def test_the_marker_on_an_edited_entry(live_server, browser, published, viewport):
    point = published["point"]
    point.text = WORDS.replace("the family home", "the home")
    point.save()
    context = browser.new_context(viewport=viewport, is_mobile=viewport is PHONE, has_touch=viewport is PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}{published['review'].get_absolute_url()}")
    entry = page.locator(f"#{point.anchor}")
    assert entry.get_by_text(MARKER).is_visible()
    # The recommendation keeps the briefing's words: no marker.
    assert page.get_by_text(MARKER).count() == 1
    fits(page, viewport)
    check_axe(page)
    name = "1280" if viewport is DESKTOP else "375"
    entry.scroll_into_view_if_needed()
    screenshot(page, f"wording-edited-{name}")
    with page.expect_navigation():
        entry.get_by_role("link", name=re.compile("see the original")).click()
    assert page.url.endswith(f"{published['source'].get_absolute_url()}#original-text")
    assert page.get_by_role("heading", name="The briefing as received").is_visible()
    context.close()

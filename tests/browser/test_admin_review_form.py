"""The review's change form in Chromium, wide and on a phone: sections that
fold, wide text boxes, whole titles, plain labels, and axe at 0 violations.
Screenshots go to tests/artifacts/admin-review-form-*.png."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from reviews.models import PublicationStatus

from ..support.browser import ARTIFACTS, DESKTOP, PHONE, screenshot
from ..support.factories import make_action, make_learning_point, make_recommendation, make_review, make_source
from .test_accessibility import AXE_OPTIONS, describe

pytestmark = pytest.mark.django_db(transaction=True)

LONG_TITLE = (
    "Test serious case review: Child M, a baby of four months, and the learning for every agency "
    "from the multi-agency response to neglect"
)


@pytest.fixture
def draft_review():
    review = make_review(title=LONG_TITLE, children="Child M", status=PublicationStatus.DRAFT)
    source = make_source(status=PublicationStatus.DRAFT)
    review.sources.add(source)
    make_learning_point(review=review, source=source, text="Test learning: " + "information was not shared. " * 12)
    recommendation = make_recommendation(review=review, source=source, text="Test recommendation: audit it.")
    make_action(recommendation=recommendation, review=review, text="Test action: the audit was done.")
    return review


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_review_form_folds_reads_plainly_and_passes_axe(live_server, browser, editor, draft_review, viewport):
    size = DESKTOP if viewport == "desktop" else PHONE
    context = browser.new_context(viewport=size)
    context.add_cookies([_session_cookie(live_server, editor)])
    page = context.new_page()
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.goto(live_server.url + reverse("admin:reviews_review_change", args=[draft_review.pk]))

    # Folded at first: the review's own fields are open, the rest are closed sections.
    details = page.locator("#content-main details")
    assert details.count() >= 8
    assert page.locator("summary", has_text="Dates").is_visible()
    assert not page.get_by_label("How exact is this date?").first.is_visible()
    screenshot(page, f"admin-review-form-folded-{viewport}")
    folded_height = page.evaluate("document.documentElement.scrollHeight")

    # The title is shown whole: it wraps in its box, which needs no scrolling, and the page is no wider than the screen.
    title = page.locator("textarea[name=title]")
    assert title.input_value() == LONG_TITLE
    assert title.evaluate("el => el.scrollHeight <= el.clientHeight + 1 && el.scrollWidth <= el.clientWidth + 1")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # Open every section: plain labels, the note on Markdown once, wide text boxes.
    for summary in page.locator("#content-main details > summary").all():
        summary.click()
    page.wait_for_timeout(100)
    for label in ("Web address", "Type of review", "Child or children", "Summary quoted from", "Published"):
        assert page.locator("label", has_text=f"{label}:").first.is_visible(), label
    assert page.get_by_label("How exact is this date?").count() == 2
    assert page.locator(".kb-markdown-note").count() == 1
    assert "Slug" not in page.locator("#content-main").inner_text()
    # The review's name above the form is not covered by the buttons beside it.
    heading, tools = page.locator("#content > h2").bounding_box(), page.locator(".object-tools").bounding_box()
    assert heading["y"] + heading["height"] <= tools["y"] or heading["x"] + heading["width"] <= tools["x"]
    box = page.locator("textarea[name=learning_points-0-text]")
    width = box.bounding_box()["width"]
    assert width >= (700 if viewport == "desktop" else 300), width  # Django's own box is 610 px
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.evaluate("document.documentElement.scrollHeight") > folded_height
    screenshot(page, f"admin-review-form-open-{viewport}")
    # Close-ups, legible at a phone's width: the review's own fields and an entry.
    for part in ("fieldset:first-of-type", "#learning_points-group"):
        name = "fields" if part.startswith("fieldset") else "entry"
        page.locator(f"#content-main {part}").first.screenshot(
            path=str(ARTIFACTS / f"admin-review-form-{name}-{viewport}.png")
        )

    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, describe(results.response["violations"])
    assert not problems, problems
    context.close()


def _session_cookie(live_server, user):
    """A signed-in session for ``user`` (the sign-in page itself is tested in test_admin.py)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }

"""The recommendation tracker's board view in Chromium, wide and on a phone: states by
agency, a target given in words shown as written, and axe at 0 violations.
Screenshots go to tests/artifacts/tracker-*.png (and /tmp/shots-tracker/)."""

import datetime
import shutil
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from reviews.models import ActionUpdate

from ..support.browser import DESKTOP, PHONE, screenshot
from ..support.factories import make_action, make_recommendation, make_review
from .test_accessibility import AXE_OPTIONS, describe
from .test_admin_review_form import _session_cookie

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path("/tmp/shots-tracker")


@pytest.fixture
def tracked():
    review = make_review(title="Test serious case review: Child T")
    recommendation = make_recommendation(review=review, number="1", text="Test recommendation: audit records.")
    overdue = make_action(
        recommendation=recommendation,
        owner="Health Visiting service",
        target_date_as_stated="January 2020",
        text="Test action: audit the records of every family seen.",
    )
    ActionUpdate.objects.create(
        action=overdue,
        reported_on=datetime.date(2020, 3, 1),
        status="in_progress",
        reported_by="Health Visiting service",
        evidence_of_impact="Test evidence: 20 records audited.",
    )
    make_action(review=review, owner="Police", target_date_as_stated="later this year", text="Test action: train.")
    make_action(review=review, owner="Police", status="done", text="Test action: a new protocol.")


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_board_view_reads_by_agency_and_passes_axe(live_server, browser, editor, tracked, viewport):
    context = browser.new_context(viewport=DESKTOP if viewport == "desktop" else PHONE)
    context.add_cookies([_session_cookie(live_server, editor)])
    page = context.new_page()
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.goto(live_server.url + reverse("admin:reviews_action_tracker"))

    assert page.get_by_role("heading", name="Health Visiting service").is_visible()
    assert page.get_by_role("heading", name="Police").is_visible()
    assert page.locator(".kb-state--overdue").inner_text() == "Overdue"
    assert page.get_by_text("target as written: later this year").is_visible()
    assert page.get_by_text("3 actions:").is_visible()
    # A phone: each action a card with its fields labelled, nothing to scroll sideways; wide: a table.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    card = page.locator("tr.kb-tracker-row").first
    label = card.locator(".kb-tracker-label", has_text="Status as reported")
    column = page.locator("thead th", has_text="Status as reported").first
    if viewport == "phone":
        # The columns' headings stay for screen readers only (visually hidden: a box of 1 pixel).
        assert label.is_visible() and page.locator(".kb-tracker-table thead").first.bounding_box()["width"] <= 1
        assert card.evaluate("el => getComputedStyle(el).display") == "block"
        region = page.locator(".kb-tracker-table").first
        assert region.evaluate("el => el.scrollWidth <= el.clientWidth")
    else:
        assert column.is_visible() and not label.is_visible()
        assert card.evaluate("el => getComputedStyle(el).display") == "table-row"
    path = screenshot(page, f"tracker-{viewport}")
    SHOTS.mkdir(exist_ok=True)
    shutil.copy(path, SHOTS / path.name)

    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, describe(results.response["violations"])

    page.get_by_label("State").select_option("overdue")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**state=overdue**")
    assert page.get_by_text("1 action:").is_visible()
    assert not problems
    context.close()

"""The publication safety check in Chromium, wide and on a phone: "Save and
publish" leads to the check, each finding is shown with its passage and a
box to tick, publishing goes ahead once all are ticked; axe at 0 violations.
Screenshots go to tests/artifacts/safety-*.png. Every name and number is invented."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from reviews.models import PublicationStatus, Review, SafetyConfirmation

from ..support.browser import DESKTOP, PHONE, PageProblems, screenshot
from ..support.factories import make_learning_point, make_review, make_source
from .test_accessibility import AXE_OPTIONS, describe
from .test_admin_review_form import _session_cookie

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def draft():
    review = make_review(title="Test serious case review: Child T", status=PublicationStatus.DRAFT, children="Child T")
    source = make_source(
        status=PublicationStatus.DRAFT,
        original_text="Test briefing. Child T (Oliwia Testowa) lived at 23 Hazelmere Road, SN3 4QT.",
    )
    review.sources.add(source)
    make_learning_point(
        review=review,
        source=source,
        text="Test learning: Mrs Kowalczyk's mobile, 07700 900482, was often switched off, so visits were missed.",
    )
    return review


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_publishing_asks_the_editor_to_confirm_each_finding(live_server, browser, editor, draft, viewport):
    context = browser.new_context(viewport=DESKTOP if viewport == "desktop" else PHONE)
    context.add_cookies([_session_cookie(live_server, editor)])
    page = context.new_page()
    problems = PageProblems()
    problems.attach(page)

    page.goto(live_server.url + reverse("admin:reviews_review_change", args=[draft.pk]))
    page.get_by_role("button", name="Save and publish").first.click()
    page.wait_for_url(f"**{reverse('admin:reviews_review_safety', args=[draft.pk])}?publish=1")
    assert "not yet published" in page.locator(".messagelist").inner_text()
    assert page.get_by_role("heading", name="To check: 5 findings").is_visible()
    boxes = page.get_by_label("I have checked this: it does not identify anyone")
    assert boxes.count() == 5
    assert page.locator(".kb-finding mark", has_text="07700 900482").is_visible()
    screenshot(page, f"safety-check-{viewport}")
    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, describe(results.response["violations"])

    # Four of five: publishing waits, and says why.
    for i in range(4):
        boxes.nth(i).check()
    page.get_by_role("button", name="Confirm and publish").click()
    page.wait_for_load_state()
    assert page.locator(".errornote").is_visible()
    assert "Publishing waits until every finding is confirmed" in page.locator(".errornote").inner_text()
    assert Review.objects.get(pk=draft.pk).status == PublicationStatus.DRAFT
    screenshot(page, f"safety-check-error-{viewport}")
    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, describe(results.response["violations"])

    boxes.nth(4).check()
    page.get_by_role("button", name="Confirm and publish").click()
    page.wait_for_url(f"**{reverse('admin:reviews_review_change', args=[draft.pk])}")
    assert "is published" in page.locator(".messagelist").inner_text()
    assert Review.objects.get(pk=draft.pk).status == PublicationStatus.PUBLISHED
    assert SafetyConfirmation.objects.filter(review=draft, confirmed_by=editor).count() == 5

    # The check stays open to read: what was confirmed, by whom.
    page.get_by_role("link", name="Check for identifying details").click()
    assert page.get_by_role("heading", name="Already checked: 5 findings").is_visible()
    screenshot(page, f"safety-checked-{viewport}")
    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, describe(results.response["violations"])
    problems.assert_none()
    context.close()

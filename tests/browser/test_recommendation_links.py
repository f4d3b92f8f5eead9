"""Recommendations made more than once, and the checklist, in Chromium wide (1280 px) and on a phone
(375 px): the theme page's "Recommended more than once" block and an entry's note, the admin's inline
(the earlier recommendation chosen by typing) and checklist panel, each with axe at 0 violations.
Screenshots go to tests/artifacts/recurring-*.png and recommendation-admin-*.png."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from reviews.models import RecommendationLink

from ..support.browser import DESKTOP, PHONE, PageProblems, screenshot
from ..support.factories import make_action, make_recommendation, make_review, make_theme
from .test_accessibility import AXE_OPTIONS, describe
from .test_admin_review_form import _session_cookie

pytestmark = pytest.mark.django_db(transaction=True)

VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}


@pytest.fixture
def chain():
    theme = make_theme(name="Test neglect")
    made = []
    for year, name in [(2016, "Test review Anna"), (2018, "Test review Ben"), (2023, "Test review Cara")]:
        review = make_review(title=name, published_on=datetime.date(year, 1, 1), published_precision="year")
        made.append(
            make_recommendation(
                review=review,
                number="1",
                addressed_to="All agencies",
                themes=[theme],
                text=f"Test recommendation of {year}: use the neglect toolkit.",
            )
        )
    RecommendationLink.objects.create(later=made[1], earlier=made[0], note="Test note: the same toolkit.")
    RecommendationLink.objects.create(later=made[2], earlier=made[1], relation="replaces")
    make_action(recommendation=made[2], owner="HSCB", target_date_as_stated="later this year", text="Audit 20 files.")
    return {"theme": theme, "recommendations": made}


def _page(browser, viewport, live_server=None, user=None):
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    if user is not None:
        context.add_cookies([_session_cookie(live_server, user)])
    page = context.new_page()
    problems = PageProblems()
    problems.attach(page)
    return context, page, problems


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_the_theme_page_shows_recommendations_made_more_than_once(live_server, browser, chain, viewport):
    context, page, problems = _page(browser, viewport)
    page.goto(live_server.url + chain["theme"].get_absolute_url())
    block = page.locator(".kb-recurring")
    assert block.get_by_role("heading", name="Recommended more than once").is_visible()
    assert block.get_by_role("heading", name="Recommended in 2016, 2018 and 2023").is_visible()
    assert block.get_by_role("link").all_inner_texts() == [
        "Test review Anna, recommendation 1",
        "Test review Ben, recommendation 1",
        "Test review Cara, recommendation 1",
    ]
    block.scroll_into_view_if_needed()
    screenshot(page, f"recurring-theme-{viewport}")
    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, describe(results.response["violations"])

    # From the block to the entry, which says where it was made before.
    block.get_by_role("link", name="Test review Ben, recommendation 1").click()
    page.wait_for_load_state()
    note = page.locator(".kb-made-before")
    assert "This recommendation was made before, in Test review Anna, recommendation 1 (2016)." in note.inner_text()
    assert "It was replaced by a later recommendation, in Test review Cara, recommendation 1 (2023)." in (
        note.inner_text()
    )
    screenshot(page, f"recurring-entry-{viewport}")
    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, describe(results.response["violations"])
    problems.assert_none()
    context.close()


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_the_admin_checklist_is_plain_and_passes_axe(live_server, browser, editor, chain, viewport):
    context, page, problems = _page(browser, viewport, live_server, editor)
    latest = chain["recommendations"][2]
    page.goto(live_server.url + reverse("admin:reviews_recommendation_change", args=[latest.pk]))
    panel = page.locator(".kb-checklist")
    assert "A rough guide" in panel.inner_text()
    assert "Has an owner? Yes" in panel.inner_text()
    assert "Has a date? Yes" in panel.inner_text()  # its action's "later this year", as written
    assert "later this year" in panel.inner_text()
    panel.scroll_into_view_if_needed()
    screenshot(page, f"recommendation-admin-{viewport}")
    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, describe(results.response["violations"])
    action = latest.actions.get()
    page.goto(live_server.url + reverse("admin:reviews_action_change", args=[action.pk]))
    assert "Something measurable? Yes" in page.locator(".kb-checklist").inner_text()
    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, describe(results.response["violations"])
    problems.assert_none()
    context.close()


def test_an_editor_links_a_recommendation_to_an_earlier_one_by_typing(live_server, browser, editor, chain):
    newest = make_recommendation(
        review=make_review(title="Test review Dev", published_on=datetime.date(2024, 1, 1), published_precision="year"),
        text="Test recommendation of 2024: the toolkit once more.",
    )
    context, page, problems = _page(browser, "desktop", live_server, editor)
    page.goto(live_server.url + reverse("admin:reviews_recommendation_change", args=[newest.pk]))
    page.locator("#earlier_links-group .add-row a").click()  # "Add another Earlier recommendation it ..."
    field = page.locator("#earlier_links-group .field-earlier")
    field.locator(".select2-selection").click()
    page.locator(".select2-results__option:not(.loading-results)").first.wait_for()
    with page.expect_response(lambda response: "/admin/autocomplete/" in response.url and "term=" in response.url):
        page.locator(".select2-container--open .select2-search__field").fill("Test review Anna")
    page.locator(".select2-results__option", has_text="Test recommendation of 2016").click()
    page.get_by_role("button", name="Save and continue editing").click()
    page.wait_for_load_state()
    link = RecommendationLink.objects.get(later=newest)
    assert (link.earlier, link.relation, link.recorded_by) == (chain["recommendations"][0], "repeats", editor)
    assert "Checklist (a rough guide): not found" in page.locator(".messagelist").inner_text()
    problems.assert_none()
    context.close()

"""Search in Chromium, on the real knowledge base: from the header box to the learning point's anchor."""

import re
from urllib.parse import parse_qs, urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from ..support.browser import DESKTOP, PageProblems, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

# In the Swindon SCRs S & D briefing: "... challenge decision-making via the LSCB Escalation Policy".
ESCALATION_POINT = "/reviews/scrs-s-and-d/#lp-s-and-d-lp-09"


def test_search_from_the_header_box_to_the_learning_points_anchor(live_server, loaded_kb, page, page_problems):
    page.goto(live_server.url + "/")
    box = page.locator("header").get_by_role("searchbox")
    box.fill("escalation policy")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=escalation\+policy"))

    assert page.locator("h1").inner_text() == "Search"
    assert page.locator("#search-q").input_value() == "escalation policy"
    result = page.locator(".kb-search-result", has=page.locator(f'a[href="{ESCALATION_POINT}"]'))
    expect(result).to_be_visible()
    highlighted = [text.lower() for text in result.locator("mark").all_inner_texts()]
    assert "escalation policy" in highlighted
    assert "Learning point" in result.locator(".govuk-tag").first.inner_text()
    assert "Serious Case Reviews S & D" in result.locator(".kb-search-result__meta").inner_text()

    result.locator(f'a[href="{ESCALATION_POINT}"]').click()
    page.wait_for_url(f"**{ESCALATION_POINT}")
    anchor = page.locator("#lp-s-and-d-lp-09")
    expect(anchor).to_be_in_viewport()
    assert "LSCB Escalation Policy" in anchor.inner_text()
    page_problems.assert_none()


def test_search_page_at_desktop_and_phone_widths(live_server, loaded_kb, page, phone_page, page_problems):
    url = live_server.url + "/search/?q=sleeping"
    for current, name in ((page, "search-desktop"), (phone_page, "search-phone")):
        current.goto(url)
        expect(current.locator(".kb-search-result").first).to_be_visible()
        overflow = current.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px"
        assert Axe().run(current).violations_count == 0
        screenshot(current, name)
    # Nothing found: suggestions instead.
    page.goto(live_server.url + "/search/?q=negelct")
    expect(page.get_by_role("link", name="neglect", exact=True).first).to_be_visible()
    assert Axe().run(page).violations_count == 0
    screenshot(page, "search-suggestion-desktop")
    page_problems.assert_none()


def test_the_page_says_why_results_matched_and_what_was_left_out(
    live_server, loaded_kb, page, phone_page, page_problems
):
    # Child K's action 4b is filed under "Safe sleeping" but never says "sleep".
    page.goto(live_server.url + "/search/?q=co-sleeping")
    first = page.locator(".kb-search-result").first
    expect(first.locator("a").first).to_have_attribute("href", "/reviews/scrs-s-and-d/")
    action = page.locator(".kb-search-result", has=page.locator('a[href="/reviews/child-k/#act-child-k-act-4b"]'))
    expect(action.locator(".kb-search-result__matched")).to_have_text("Why it was found: theme Safe sleeping")
    assert action.locator(".kb-search-result__matched mark").inner_text() == "Safe sleeping"
    expect(page.locator(".kb-search__broader")).to_contain_text("“safe sleeping” or “sleep”")

    # A board's own name for a theme: the theme first, the alias marked.
    page.goto(live_server.url + "/search/?q=Interagency+Working")
    first = page.locator(".kb-search-result").first
    expect(first.locator(".kb-search-result__subtitle")).to_have_text("Also known as: Interagency Working")
    assert first.locator(".kb-search-result__subtitle mark").inner_text() == "Interagency Working"

    # "through" is left out, the page says so and offers the phrase, which keeps it.
    for current, name in ((page, "search-common-word-desktop"), (phone_page, "search-common-word-phone")):
        current.goto(live_server.url + "/search/?q=follow+through")
        notices = current.locator(".kb-search__notices")
        expect(notices).to_contain_text("“through” is too common a word to search for, so it was left out.")
        overflow = current.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px"
        assert Axe().run(current).violations_count == 0
        screenshot(current, name)
    notices.get_by_role("link", name='"follow through"').click()
    phone_page.wait_for_url(re.compile(r"q=%22follow(%20|\+)through%22"))
    expect(phone_page.locator("#kb-results-title")).to_contain_text("2 results")
    assert set(phone_page.locator(".kb-search-result mark").all_inner_texts()) == {"Follow Through"}
    page_problems.assert_none()


def test_filters_work_without_javascript(live_server, loaded_kb, browser):
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    page = context.new_page()
    problems = PageProblems()
    problems.attach(page)
    try:
        page.goto(live_server.url + "/search/?q=sleeping")
        total = int(re.match(r"\d+", page.locator("#kb-results-title").inner_text()).group(0))
        page.get_by_label(re.compile(r"^Learning points \(\d+\)")).check()
        page.get_by_role("button", name="Apply filters").click()
        page.wait_for_url(re.compile(r"type=learning-point"))
        query = parse_qs(urlparse(page.url).query)
        assert query["q"] == ["sleeping"] and query["type"] == ["learning-point"]
        narrowed = int(re.match(r"\d+", page.locator("#kb-results-title").inner_text()).group(0))
        assert 0 < narrowed < total
        tags = page.locator(".kb-search-result .govuk-tag").all_inner_texts()
        assert tags and set(tags) == {"Learning point"}
        page.get_by_role("link", name=re.compile("^Remove")).click()
        page.wait_for_url(re.compile(r"/search/\?q=sleeping$"))
        problems.assert_none()
    finally:
        context.close()

"""A review page leads with the case and its learning (issue 15, item 5: less clutter).

- on a phone the column beside (contents, printing, its themes, citing) comes
  after the learning, in the source as on screen;
- on a wide screen it stands beside the learning, to its right;
- facts about the review (who commissioned it, how) are folded away, readable
  with the fold opened, without JavaScript too; an address pointing inside the
  fold opens it;
- axe finds no violations at 1280 px and 375 px, fold closed and open.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from ..support.browser import screenshot
from .test_accessibility import AXE_OPTIONS, describe

pytestmark = pytest.mark.django_db(transaction=True)

# Child K's briefing opens with four paragraphs about the review, then its recommendations.
REVIEW = "/reviews/child-k/"
FOLDED_FACT = "fact-child-k-fact-02"
FIRST_LEARNING = "#rec-child-k-rec-1"


def box(page, selector):
    return page.locator(selector).first.bounding_box()


def test_on_a_phone_the_column_beside_follows_the_learning(live_server, loaded_kb, phone_page, page_problems):
    page = phone_page
    page.goto(live_server.url + REVIEW)
    # In the source: the main column (the case and the learning) before the column beside it.
    order = page.evaluate(
        """() => [...document.querySelectorAll('.kb-review-layout > *')].map(element => element.className)"""
    )
    assert ["kb-review-layout__main" in order[0], "kb-review-layout__aside" in order[1]] == [True, True]
    # On screen: the first recommendation well above the contents, the themes and "Cite this".
    learning = box(page, FIRST_LEARNING)
    for selector in (".kb-contents", ".kb-page-themes", ".kb-print-choice"):
        assert box(page, selector)["y"] > learning["y"] + learning["height"], selector
    # The learning starts within the first two screens, not after the page's themes.
    assert learning["y"] < 2 * page.viewport_size["height"]
    screenshot(page, "review-layout-phone")
    page_problems.assert_none()


def test_on_a_wide_screen_the_column_beside_stands_to_the_right(live_server, loaded_kb, page, page_problems):
    page.goto(live_server.url + REVIEW)
    main, aside = box(page, ".kb-review-layout__main"), box(page, ".kb-review-layout__aside")
    assert aside["x"] >= main["x"] + main["width"] - 1
    assert abs(aside["y"] - main["y"]) < 5
    expect(page.get_by_role("navigation", name="On this page")).to_be_in_viewport()
    screenshot(page, "review-layout-desktop")
    page_problems.assert_none()


@pytest.mark.parametrize("view", ["", "?view=themes"])
def test_facts_about_the_review_are_folded_and_open_on_request(live_server, loaded_kb, page, page_problems, view):
    page.goto(live_server.url + REVIEW + view)
    fold = page.locator("details[data-kb-process]")
    expect(fold).to_have_count(1)
    fact = page.locator(f"#{FOLDED_FACT}")
    expect(fact).to_be_hidden()
    # The case or the learning is what shows first after the fold.
    expect(page.locator(FIRST_LEARNING)).to_be_visible()
    page.locator("details[data-kb-process] > summary").click()
    expect(fact).to_be_visible()
    expect(fact).to_contain_text("Working Together 2015 allowed LSCBs")
    page_problems.assert_none()


def test_an_address_inside_the_fold_opens_it(live_server, loaded_kb, page, page_problems):
    page.goto(live_server.url + REVIEW + "#" + FOLDED_FACT)
    expect(page.locator(f"#{FOLDED_FACT}")).to_be_visible()
    expect(page.locator(f"#{FOLDED_FACT}")).to_be_in_viewport()
    # And from a link on the page, to another folded paragraph.
    page.goto(live_server.url + REVIEW)
    expect(page.locator("#fact-child-k-fact-03")).to_be_hidden()
    page.evaluate("location.hash = '#fact-child-k-fact-03'")
    expect(page.locator("#fact-child-k-fact-03")).to_be_visible()
    page_problems.assert_none()


def test_without_javascript_the_fold_still_opens(live_server, loaded_kb, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 812})
    page = context.new_page()
    try:
        page.goto(live_server.url + REVIEW)
        fact = page.locator(f"#{FOLDED_FACT}")
        expect(fact).to_be_hidden()
        page.locator("details[data-kb-process] > summary").click()
        expect(fact).to_be_visible()
    finally:
        context.close()


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_axe_finds_no_violations_fold_closed_and_open(live_server, loaded_kb, request, viewport, page_problems):
    page = request.getfixturevalue(viewport)
    axe = Axe()
    failures = {}
    for view in ("", "?view=themes"):
        page.goto(live_server.url + REVIEW + view)
        page.wait_for_load_state("networkidle")
        for state in ("closed", "open"):
            if state == "open":
                page.locator("details[data-kb-process] > summary").click()
            results = axe.run(page, options=AXE_OPTIONS)
            if results.violations_count:
                failures[f"{view or 'briefing order'}, fold {state}"] = describe(results.response["violations"])
    assert not failures, "\n".join(f"{name}:\n{report}" for name, report in failures.items())
    page_problems.assert_none()

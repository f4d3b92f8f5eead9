"""Issue 15 (items 2, 3 and 6) in Chromium, on the real knowledge base, at 1280 px and 375 px: what the
site holds, the review list's cards, the recurring-themes grid and its phone list, and themes over time.
Each page has axe at 0 violations and a screenshot under tests/artifacts/."""

import re
from itertools import pairwise

import pytest
from axe_playwright_python.sync_playwright import Axe

from reviews.models import Review

from ..support.browser import DESKTOP, PHONE, PageProblems, screenshot
from .test_accessibility import AXE_OPTIONS, describe

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = {"desktop": DESKTOP, "phone": PHONE}


@pytest.fixture(params=list(WIDTHS))
def sized_page(request, browser):
    """A page at 1280 px or 375 px (a phone: touch, twice the pixels), failing on console errors."""
    name = request.param
    if name == "phone":
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    else:
        context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    problems = PageProblems()
    problems.attach(page)
    yield name, page, problems
    context.close()


def no_axe_violations(page):
    results = Axe().run(page, options=AXE_OPTIONS)
    assert not results.violations_count, describe(results.response["violations"])


def no_sideways_scrolling(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


def test_home_says_what_the_site_holds_and_the_grid_reads_at_both_widths(live_server, loaded_kb, sized_page):
    width, page, problems = sized_page
    page.goto(live_server.url + "/")
    holdings = page.locator(".kb-national-picture__holdings").inner_text()
    assert re.search(
        r"holds \d+ learning points from \d+ published reviews .* by \d+ safeguarding partnerships or boards, "
        r"published or commissioned from \d{4} to \d{4}",
        holdings,
    ), holdings
    if width == "desktop":
        table = page.locator(".kb-recurrence__table")
        assert table.is_visible()
        headers = page.locator(".kb-recurrence__review")
        # Full column headings: every review's partnership is written under its name.
        with_partnership = Review.objects.published().exclude(partnership=None).count()
        assert page.locator(".kb-recurrence__review .kb-recurrence__partnership").count() == min(
            with_partnership, headers.count()
        )
        assert page.get_by_role("columnheader", name=re.compile("Thematic reviews")).first.is_visible()
    else:
        # The phone list: every review link is a target at least 24 px high (WCAG 2.2, 2.5.8).
        links = page.locator(".kb-recurrence--list > .kb-recurrence__entries .kb-recurrence__review-link")
        assert links.count() > 3
        heights = [box["height"] for box in (links.nth(i).bounding_box() for i in range(links.count()))]
        assert min(heights) >= 24, heights
        # Two links never sit closer than their own height: one review to a line.
        tops = [links.nth(i).bounding_box()["y"] for i in range(min(6, links.count()))]
        assert all(later - earlier >= 24 for earlier, later in pairwise(tops)), tops
    no_sideways_scrolling(page)
    no_axe_violations(page)
    screenshot(page, f"lists-home-{width}")
    problems.assert_none()


def test_review_list_tells_each_review_in_a_few_lines(live_server, loaded_kb, sized_page):
    width, page, problems = sized_page
    page.goto(live_server.url + "/reviews/")
    cards = page.locator(".kb-card")
    assert cards.count() == Review.objects.published().count()
    # The label said once, above the list.
    assert page.locator(".kb-label", has_text="Knowledge base description").count() == 1
    for i in range(cards.count()):
        card = cards.nth(i)
        title = card.locator(".kb-card__title").inner_text()
        review = Review.objects.get(title=title)
        if review.summary:
            # The summary as stored (its first words, whatever the Markdown around them).
            assert review.summary.split()[0] in card.locator(".kb-card__summary").inner_text()
        themes = card.locator(".kb-card__themes .kb-theme-link")
        assert 1 <= themes.count() <= 3, title
    assert page.get_by_text(re.compile(r"and \d+ more")).first.is_visible()
    no_sideways_scrolling(page)
    no_axe_violations(page)
    screenshot(page, f"lists-reviews-{width}")
    problems.assert_none()


def test_themes_over_time_chart_and_table(live_server, loaded_kb, sized_page):
    width, page, problems = sized_page
    page.goto(live_server.url + "/themes/over-time/")
    chart = page.get_by_role("img", name="Themes over time: reviews that found each theme, by year")
    assert chart.is_visible()
    # Drawn at its own size, never shrunk to fit: its text stays readable on a phone.
    drawn = chart.bounding_box()
    assert drawn["width"] == float(chart.get_attribute("width"))
    assert chart.locator("text.kb-chart__count").first.evaluate("e => e.getBoundingClientRect().height") >= 12
    # If it is wider than the screen, it scrolls inside its own region, which the keyboard reaches.
    region = page.get_by_role("region", name="Reviews per theme, year by year")
    assert region.get_attribute("tabindex") == "0"
    page.keyboard.press("Tab")
    for _ in range(40):
        if region.evaluate("e => e === document.activeElement"):
            break
        page.keyboard.press("Tab")
    assert region.evaluate("e => e === document.activeElement"), "the chart's region takes the focus"
    table = page.get_by_role("table", name=re.compile("Reviews that found each theme, by year"))
    assert table.locator("th[scope=row]").count() == chart.locator(".kb-chart__row").count()
    no_sideways_scrolling(page)
    no_axe_violations(page)
    screenshot(page, f"lists-themes-over-time-{width}")
    problems.assert_none()

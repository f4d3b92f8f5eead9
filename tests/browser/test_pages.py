"""The practitioner pages in Chromium, on the real knowledge base (``load_kb``).

- a practitioner's path: home → a theme → a learning point on its review →
  another theme through a cross-link → back;
- every page type at 1280 px and 375 px: no console errors, no failed
  requests, no sideways scrolling, a screenshot under tests/artifacts/;
- 200% zoom; the phone menu and grid; "Copy link" with and without JavaScript;
  filters; printing.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from reviews.models import LearningPoint, Source

from ..support.browser import PHONE, PageProblems, screenshot
from .page_types import busiest_theme, page_type_urls

pytestmark = pytest.mark.django_db(transaction=True)


def no_sideways_scrolling(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


def test_practitioners_path_home_theme_review_other_theme_and_back(live_server, loaded_kb, page, page_problems):
    theme = busiest_theme()
    point = next(
        candidate
        for candidate in LearningPoint.objects.published()
        .filter(themes=theme, review__isnull=False, repeats__isnull=True)
        .select_related("review")
        .prefetch_related("themes")
        .order_by("review__title", "position")
        if len(candidate.themes.all()) > 1
    )
    other = next(other for other in point.themes.all() if other != theme)

    # Home: what the site is, and the themes with their counts.
    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text() == "Learning from case reviews"
    card = page.locator(".kb-theme-card", has=page.get_by_role("link", name=theme.name, exact=True))
    assert re.search(r"\d+ learning points? .*from \d+ reviews?", card.inner_text())

    # A theme: its description, its reviews, and the learning point.
    card.get_by_role("link", name=theme.name, exact=True).click()
    page.wait_for_url(f"**{theme.get_absolute_url()}")
    assert page.locator("h1").inner_text() == theme.name
    assert page.get_by_text("Knowledge base description").first.is_visible()
    assert page.get_by_text(re.compile(r"Found in \d+ reviews?")).is_visible()
    on_theme = page.locator(f"#{point.anchor}")
    assert on_theme.is_visible()

    # The learning point on its review's page, at its anchor.
    on_theme.get_by_role("link", name=re.compile("^Read it in the review")).click()
    page.wait_for_url(f"**{point.review.get_absolute_url()}#{point.anchor}")
    assert page.locator("h1").inner_text() == point.review.title
    item = page.locator(f"#{point.anchor}")
    assert item.is_visible()
    assert item.evaluate("element => element.matches(':target')")
    top = item.evaluate("element => element.getBoundingClientRect().top")
    assert 0 <= top < page.viewport_size["height"], "the learning point is scrolled into view"

    # Another theme, through the learning point's cross-link.
    item.get_by_role("link", name=other.name, exact=True).click()
    page.wait_for_url(f"**{other.get_absolute_url()}")
    assert page.locator("h1").inner_text() == other.name
    assert page.locator(f"#{point.anchor}").is_visible(), "the same learning point is listed on the other theme"

    # Back to the review, at the same learning point.
    page.go_back()
    page.wait_for_url(f"**{point.review.get_absolute_url()}#{point.anchor}")
    assert page.locator("h1").inner_text() == point.review.title
    page.wait_for_load_state("networkidle")
    page_problems.assert_none()


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_every_page_type_loads_cleanly_and_is_screenshot(live_server, loaded_kb, browser, page_problems, viewport):
    if viewport == "desktop":
        context = browser.new_context(viewport={"width": 1280, "height": 900})
    else:
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page = context.new_page()
    page_problems.attach(page)
    urls = page_type_urls()
    not_found = urls.pop("not-found")
    try:
        for name, path in urls.items():
            response = page.goto(live_server.url + path)
            assert response.status == 200, name
            page.wait_for_load_state("networkidle")
            assert page.locator("h1").count() == 1, f"{name}: one h1"
            no_sideways_scrolling(page)
            screenshot(page, f"pages-{name}-{viewport}")
        page_problems.assert_none()

        # The 404 page: the one failure is the page itself, and it still has what it needs.
        problems = PageProblems()
        missing = context.new_page()
        problems.attach(missing)
        response = missing.goto(live_server.url + not_found)
        missing.wait_for_load_state("networkidle")
        assert response.status == 404
        assert missing.locator("h1").inner_text() == "Page not found"
        no_sideways_scrolling(missing)
        screenshot(missing, f"pages-not-found-{viewport}")
        assert problems.failed_requests == [f"{live_server.url}{not_found} answered 404"]
        assert len(problems.console_errors) == 1 and "404" in problems.console_errors[0]
    finally:
        context.close()


def test_pages_reflow_at_200_percent_zoom(live_server, loaded_kb, browser, page_problems):
    # A 1280 px window zoomed to 200% lays pages out in 640 CSS pixels.
    context = browser.new_context(viewport={"width": 640, "height": 450}, device_scale_factor=2)
    page = context.new_page()
    page_problems.attach(page)
    try:
        for name, path in page_type_urls().items():
            if name == "not-found":
                continue
            page.goto(live_server.url + path)
            no_sideways_scrolling(page)
            assert page.locator(".kb-header__search-input").is_visible(), name
        page.goto(live_server.url + "/")
        # The grid is given as a list at this width, not as a table to scroll.
        assert page.locator(".kb-recurrence--list").is_visible()
        assert not page.locator(".kb-recurrence__table").is_visible()
        screenshot(page, "pages-home-zoom-200")
        page_problems.assert_none()
    finally:
        context.close()


def test_phone_menu_opens_and_the_grid_becomes_a_list(live_server, loaded_kb, phone_page, page_problems):
    page = phone_page
    page.goto(live_server.url + "/")
    toggle = page.get_by_role("button", name="Menu")
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    menu_link = page.locator("#kb-navigation").get_by_role("link", name="Themes", exact=True)
    assert not menu_link.is_visible()
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert menu_link.is_visible()
    assert page.locator(".kb-recurrence--list").is_visible()
    assert not page.locator(".kb-recurrence__table").is_visible()
    # What the phone shows is introduced as the list it is, not as a grid of rows and columns.
    shown = page.locator("#recurring-themes ~ .kb-recurrence:visible > p").first.inner_text()
    assert "column" not in shown and "found in more than one single review" in shown
    page_problems.assert_none()


def test_the_grid_on_a_wide_screen_is_introduced_as_a_grid(live_server, loaded_kb, page, page_problems):
    page.goto(live_server.url + "/")
    assert page.locator(".kb-recurrence__table").is_visible()
    shown = page.locator("#recurring-themes ~ .kb-recurrence:visible > p").first.inner_text()
    assert shown.startswith("Each row is a theme and each column a review")
    page_problems.assert_none()


def test_a_source_is_shown_in_the_body_font_with_its_formatting(live_server, loaded_kb, page, page_problems):
    source = Source.objects.published().filter(original_text__contains="](#)").order_by("slug").first()
    page.goto(live_server.url + source.get_absolute_url())
    passages = page.locator(".kb-passage__text")
    assert passages.count() > 1
    body_font = page.locator("main p.govuk-body").first.evaluate("element => getComputedStyle(element).fontFamily")
    assert passages.first.evaluate("element => getComputedStyle(element).fontFamily") == body_font
    text = page.locator(".kb-passages").inner_text()
    assert "**" not in text and "](#)" not in text
    assert page.locator(".kb-passage__text strong").first.is_visible()
    # A name the briefing gave as a link without an address is plain text, not a link.
    assert page.locator(".kb-passage__text a[href^='#']").count() == 0
    page_problems.assert_none()


def test_copy_link_copies_the_permanent_link_and_says_so(live_server, loaded_kb, page, page_problems):
    point = LearningPoint.objects.published().filter(review__isnull=False).select_related("review").first()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto(live_server.url + point.review.get_absolute_url())
    item = page.locator(f"#{point.anchor}")
    assert not item.get_by_role("link", name=re.compile("^Copy link")).is_visible(), "folded in 'Share or cite'"
    item.locator("summary", has_text="Share or cite").click()
    item.get_by_role("link", name=re.compile("^Copy link")).click()

    permalink = live_server.url + point.get_permalink()
    status = item.locator("[data-kb-copy-status]")
    status.wait_for(state="visible")
    assert status.inner_text() == f"Link copied: {permalink}"
    assert page.url == live_server.url + point.review.get_absolute_url(), "copying does not navigate"
    assert page.evaluate("navigator.clipboard.readText()") == permalink
    # A locator assertion, not wait_for_function: the site's CSP (no 'unsafe-eval') refuses the
    # string Playwright would evaluate when it has to poll.
    expect(page.locator("#kb-announcer")).to_have_text(re.compile(r"^Link copied"))
    page_problems.assert_none()


def test_copy_link_without_javascript_is_a_link_to_the_item(live_server, loaded_kb, browser):
    point = LearningPoint.objects.published().filter(review__isnull=False).select_related("review").first()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + point.review.get_absolute_url())
        page.locator(f"#{point.anchor} summary", has_text="Share or cite").click()
        page.locator(f"#{point.anchor}").get_by_role("link", name=re.compile("^Copy link")).click()
        page.wait_for_url(f"**{point.review.get_absolute_url()}#{point.anchor}")
        assert page.locator(f"#{point.anchor}").is_visible()
    finally:
        context.close()


def test_filtering_reviews_keeps_the_filters_in_the_address(live_server, loaded_kb, page, page_problems):
    theme = busiest_theme()
    page.goto(live_server.url + reverse("reviews:review-index"))
    page.get_by_label("Theme").select_option(theme.slug)
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(rf"theme={theme.slug}"))
    heading = page.locator("#kb-results-title").inner_text()
    assert re.match(rf"{theme.review_count} reviews? matching", heading)

    page.goto(live_server.url + reverse("reviews:review-index") + "?theme=no-such-theme")
    assert page.get_by_text("No reviews match the theme “no-such-theme”, so that filter was ignored.").is_visible()
    page_problems.assert_none()


def test_on_a_phone_the_review_filters_fold_behind_one_button(live_server, loaded_kb, page, phone_page):
    theme = busiest_theme()
    address = live_server.url + reverse("reviews:review-index") + f"?theme={theme.slug}"
    # Wide screen: the filters show and the fold's button does not.
    page.goto(address)
    assert page.get_by_label("Theme").is_visible()
    assert not page.locator(".kb-filters-fold__summary").is_visible()
    # Phone: the results come first; one button, saying how many filters apply, opens the filters.
    phone_page.goto(address)
    button = phone_page.locator(".kb-filters-fold__summary")
    assert button.inner_text() == "Filter reviews (1 applied)"
    assert not phone_page.get_by_label("Theme").is_visible()
    assert phone_page.locator("#kb-results-title").is_visible()
    button.click()
    assert phone_page.get_by_label("Theme").is_visible()
    phone_page.get_by_label("Theme").select_option("")
    phone_page.get_by_role("button", name="Apply filters").click()
    phone_page.wait_for_url(re.compile(r"/reviews/\?"))
    assert phone_page.locator(".kb-filters-fold__summary").inner_text() == "Filter reviews"


@pytest.mark.parametrize("page_type", ["review", "theme"])
def test_a_review_or_theme_prints_without_navigation_and_with_full_addresses(
    live_server, loaded_kb, page, page_problems, page_type
):
    path = page_type_urls()[page_type]
    page.goto(live_server.url + path)
    page.emulate_media(media="print")
    for hidden in (
        ".kb-header",
        ".kb-service-navigation",
        ".govuk-breadcrumbs",
        ".kb-footer",
        ".kb-item-tools",
        ".kb-print-button",
        "#kb-header-search",
    ):
        assert not page.locator(hidden).first.is_visible(), hidden
    printed_from = page.locator(".kb-print-only")
    assert printed_from.is_visible() and live_server.url + path in printed_from.inner_text()
    assert page.locator("h1").is_visible()
    assert page.locator(".kb-item").first.evaluate("element => getComputedStyle(element).breakInside") == "avoid"
    # Full addresses are printed after content links (a relative one means
    # nothing on paper), none after theme cross-links or other links to the site.
    review_link = page.locator(".kb-summary-list a, .kb-review-block__title a").first
    printed = review_link.evaluate("element => getComputedStyle(element, '::after').content")
    assert printed == f'" ({live_server.url}{review_link.get_attribute("href")})"'
    theme_link = page.locator("a.kb-theme-link").first
    assert theme_link.evaluate("element => getComputedStyle(element, '::after').content") in ("none", "normal")
    for link in page.locator("main a[href^='/']").all():
        if link.is_visible():
            after = link.evaluate("element => getComputedStyle(element, '::after').content")
            assert "(/" not in after, link.get_attribute("href")
    # Boxes that only lead elsewhere are left off the paper.
    for box in (".kb-related", ".kb-contents"):
        if page.locator(box).count():
            assert not page.locator(box).is_visible(), box
    screenshot(page, f"pages-{page_type}-print")
    assert page.pdf(format="A4").startswith(b"%PDF")
    page_problems.assert_none()


def test_keyboard_users_can_skip_to_the_content_and_see_where_they_are(live_server, loaded_kb, page, page_problems):
    page.goto(live_server.url + page_type_urls()["review"])
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.evaluate("element => element === document.activeElement")
    assert skip.is_visible() and skip.bounding_box()["y"] >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"

    # Focus is shown clearly: GOV.UK Frontend's yellow focus state on links.
    page.keyboard.press("Tab")
    focused_background = page.evaluate("getComputedStyle(document.activeElement).backgroundColor")
    assert focused_background == "rgb(255, 221, 0)"
    page_problems.assert_none()

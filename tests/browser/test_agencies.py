"""The profession pages in a real browser: axe finds nothing wide or narrow, and printing
hides the site's header, navigation and links that lead elsewhere (issue 17)."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from ..support.browser import PHONE
from .test_accessibility import AXE_OPTIONS, describe

pytestmark = pytest.mark.django_db(transaction=True)

PATHS = ["/for/", "/for/police/", "/for/safeguarding-partnership/", "/for/early-help/", "/for/police/print/"]


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_axe_finds_no_violations_on_the_profession_pages(live_server, loaded_kb, browser, viewport):
    if viewport == "desktop":
        context = browser.new_context(viewport={"width": 1280, "height": 900})
    else:
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page = context.new_page()
    axe = Axe()
    failures = {}
    try:
        for path in PATHS:
            response = page.goto(live_server.url + path)
            assert response.status == 200, path
            page.wait_for_load_state("networkidle")
            results = axe.run(page, options=AXE_OPTIONS)
            if results.violations_count:
                failures[path] = describe(results.response["violations"])
    finally:
        context.close()
    assert not failures, "\n".join(f"{path}:\n{report}" for path, report in failures.items())


def test_the_printed_page_is_the_content_only(live_server, loaded_kb, page):
    page.goto(live_server.url + "/for/police/print/")
    page.emulate_media(media="print")
    for selector in (".govuk-service-navigation", ".govuk-breadcrumbs", ".kb-item-tools", ".kb-footer"):
        for element in page.locator(selector).all():
            assert not element.is_visible(), selector
    assert page.get_by_role("heading", name="Police", level=1).is_visible()
    assert page.get_by_text("Why it is here").first.is_visible()
    # Every review addressing the police or all agencies is on the one printed page.
    assert page.locator("section.kb-review-block").count() == 3

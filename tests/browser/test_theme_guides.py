"""A theme's guide in a real browser: axe finds no WCAG 2.2 A/AA violations wide or narrow,
the guide is on screen before the reviews' own words, labelled as the editors', and a
practitioner follows a citation to the entry it rests on."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from .test_accessibility import AXE_OPTIONS, describe

pytestmark = pytest.mark.django_db(transaction=True)

GUIDED_THEMES = ["/themes/neglect/", "/themes/information-sharing/"]


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_axe_finds_no_violations_on_theme_pages_with_a_guide(live_server, loaded_kb, request, viewport, page_problems):
    page = request.getfixturevalue(viewport)
    axe = Axe()
    failures = {}
    for path in GUIDED_THEMES:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        assert page.locator("#kb-guide").is_visible()
        # The list of the entries cited, opened, is checked too.
        page.locator(".kb-guide__sources summary").click()
        results = axe.run(page, options=AXE_OPTIONS)
        if results.violations_count:
            failures[path] = describe(results.response["violations"])
    assert not failures, "\n".join(f"{path}:\n{report}" for path, report in failures.items())
    page_problems.assert_none()


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_the_guide_leads_the_page_and_a_citation_leads_to_its_entry(live_server, loaded_kb, request, viewport):
    page = request.getfixturevalue(viewport)
    page.goto(live_server.url + "/themes/neglect/")
    guide = page.locator("#kb-guide")
    assert guide.get_by_text("Written by the knowledge base’s editors").is_visible()
    assert guide.get_by_role("heading", name="What reviews keep finding").is_visible()
    assert guide.get_by_role("heading", name="What to do differently").is_visible()
    guide_top = guide.bounding_box()["y"]
    assert guide_top < page.locator("#by-review").bounding_box()["y"]
    # Nothing of the guide is wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]

    point = guide.get_by_role("listitem").filter(has_text="Document evidence of neglect or physical injury")
    citation = point.get_by_role("link", name="learning point, Special Practice Review: Child Three")
    assert citation.is_visible()
    citation.click()
    page.wait_for_load_state()
    assert "/reviews/" in page.url and page.url.endswith("#lp-child-three-lp-03")
    target = page.locator("#lp-child-three-lp-03")
    assert "Evidence of neglect and/or physical injury needs to be well documented and robust." in target.inner_text()
    page.screenshot(path=f"tests/artifacts/theme-guide-citation-{viewport}.png")

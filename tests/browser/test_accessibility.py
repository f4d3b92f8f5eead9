"""axe-core finds no WCAG 2.2 A/AA violations on any page type, wide or narrow.

axe runs from the copy bundled with axe-playwright-python (no network). It
cannot judge everything (reading order, meaningful link text in context), so
the pages also follow GOV.UK Frontend's accessible components and the other
browser tests check keyboard-visible states, reflow and zoom.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

from ..support.browser import PHONE
from .page_types import page_type_urls

pytestmark = pytest.mark.django_db(transaction=True)

# Everything axe checks for WCAG 2.0, 2.1 and 2.2 at levels A and AA, plus its best practices.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"],
    }
}


def describe(violations) -> str:
    return "\n".join(
        f"- {violation['id']} ({violation['impact']}): {violation['help']}\n    "
        + "\n    ".join(node["target"][0] if node["target"] else "?" for node in violation["nodes"][:5])
        for violation in violations
    )


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_axe_finds_no_violations_on_any_page_type(live_server, loaded_kb, browser, viewport):
    if viewport == "desktop":
        context = browser.new_context(viewport={"width": 1280, "height": 900})
    else:
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page = context.new_page()
    axe = Axe()
    failures = {}
    checked = []
    try:
        for name, path in page_type_urls().items():
            page.goto(live_server.url + path)
            page.wait_for_load_state("networkidle")
            results = axe.run(page, options=AXE_OPTIONS)
            checked.append(name)
            if results.violations_count:
                failures[name] = describe(results.response["violations"])
    finally:
        context.close()
    assert checked == list(page_type_urls())
    assert not failures, "\n".join(f"{name}:\n{report}" for name, report in failures.items())


def test_axe_finds_no_violations_on_every_review_page_in_both_views(live_server, loaded_kb, browser):
    """Each review page follows its own briefing (headings, a table's rows and cells side by side,
    signposts, notes), so each is checked, in the briefing's order and grouped by theme."""
    from reviews.models import Review

    paths = [review.get_absolute_url() for review in Review.objects.published().order_by("slug")]
    paths += [path + "?view=themes" for path in paths]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    axe = Axe()
    failures = {}
    try:
        for path in paths:
            page.goto(live_server.url + path)
            page.wait_for_load_state("networkidle")
            results = axe.run(page, options=AXE_OPTIONS)
            if results.violations_count:
                failures[path] = describe(results.response["violations"])
    finally:
        context.close()
    assert len(paths) == 14
    assert not failures, "\n".join(f"{path}:\n{report}" for path, report in failures.items())


def test_axe_finds_no_violations_on_every_source_and_on_404_pages_with_suggestions(live_server, loaded_kb, browser):
    """Every briefing's text is rendered (pasted tables, lists, links), so each is checked; and
    404 pages that suggest pages of their kind."""
    from reviews.models import Source

    paths = [source.get_absolute_url() for source in Source.objects.published().order_by("slug")]
    paths += ["/themes/safe-sleep/", "/reviews/child-n/", "/sources/swindon-2019/"]
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page = context.new_page()
    axe = Axe()
    failures = {}
    try:
        for path in paths:
            page.goto(live_server.url + path)
            page.wait_for_load_state("networkidle")
            results = axe.run(page, options=AXE_OPTIONS)
            if results.violations_count:
                failures[path] = describe(results.response["violations"])
        page.goto(live_server.url + "/themes/safe-sleep/")
        assert page.get_by_role("link", name="Safe sleeping", exact=True).is_visible()
    finally:
        context.close()
    assert not failures, "\n".join(f"{path}:\n{report}" for path, report in failures.items())

"""The national themes pages in a real browser: axe finds no WCAG 2.2 A/AA violations wide or
narrow, nothing fails to load, and a practitioner gets from a theme to its national theme and back."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from .test_accessibility import AXE_OPTIONS, describe

pytestmark = pytest.mark.django_db(transaction=True)


def national_paths() -> list[str]:
    from reviews.models import NationalTheme

    busiest = NationalTheme.objects.get(framework__slug="cspr-panel", slug="whole-family-approach")
    return [reverse("reviews:national-theme-index"), busiest.get_absolute_url()]


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_axe_finds_no_violations_on_the_national_themes_pages(live_server, loaded_kb, request, viewport, page_problems):
    page = request.getfixturevalue(viewport)
    axe = Axe()
    failures = {}
    for path in national_paths():
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        results = axe.run(page, options=AXE_OPTIONS)
        if results.violations_count:
            failures[path] = describe(results.response["violations"])
    assert not failures, "\n".join(f"{path}:\n{report}" for path, report in failures.items())
    page_problems.assert_none()


def test_from_a_theme_to_its_national_theme_and_back(live_server, loaded_kb, page, page_problems):
    page.goto(live_server.url + "/themes/think-family/")
    block = page.locator(".kb-national-themes")
    assert block.get_by_role("heading", name="National themes").is_visible()
    block.get_by_role("link", name="The importance of a whole family approach to risk assessment and support").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "The importance of a whole family approach to risk assessment and support"
    )
    assert page.get_by_text("Both are about seeing the whole family").is_visible()
    page.get_by_role("heading", name="Think family: whole-family working", level=3).first.get_by_role("link").click()
    page.wait_for_load_state()
    assert page.url.endswith("/themes/think-family/")
    page_problems.assert_none()

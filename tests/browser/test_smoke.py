import pytest

from ..support.browser import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_page_opens_in_chromium_without_errors(live_server, page, page_problems):
    response = page.goto(live_server.url + "/")
    assert response.status == 200
    assert page.locator("h1").first.inner_text() == "Learning from case reviews"
    assert page.title().startswith("Learning from case reviews")
    page.wait_for_load_state("networkidle")
    screenshot(page, "smoke-home-desktop")
    page_problems.assert_none()

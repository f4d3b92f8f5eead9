"""Headless Chromium (Debian's package) driven by Playwright.

Never ``playwright install``: it downloads a browser, and this project runs
offline. Without Chromium the browser tests are skipped locally but fail
under CI (``CI=true``), so a missing browser can never pass unnoticed.
"""

import os
import shutil

import pytest

from ..support.browser import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE, PageProblems


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        message = f"Chromium not found at {CHROMIUM}: install Debian's 'chromium' package."
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(message + " Browser tests are required under CI.")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page_problems():
    return PageProblems()


@pytest.fixture
def page(browser, page_problems):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page_problems.attach(page)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, page_problems):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page = context.new_page()
    page_problems.attach(page)
    yield page
    context.close()

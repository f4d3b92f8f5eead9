"""Headless Chromium (Debian's package) driven by Playwright.

Never ``playwright install``: it downloads a browser, and this project runs
offline. Without Chromium the browser tests are skipped locally but fail
under CI (``CI=true``), so a missing browser can never pass unnoticed.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("KB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}


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


class PageProblems:
    """Console errors and failed requests seen while a page was open."""

    def __init__(self):
        self.console_errors = []
        self.failed_requests = []

    def attach(self, page):
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.console_errors.append(f"page error: {error}"))
        page.on("requestfailed", self._on_request_failed)
        page.on("response", self._on_response)

    def _on_request_failed(self, request):
        # ERR_ABORTED is Chromium cancelling what a page was still loading when it navigated
        # away (an admin icon as a form is submitted): not a fault of the page. A missing
        # file is a response of 404, caught below; a blocked one (CSP, no server) another error.
        if request.failure == "net::ERR_ABORTED":
            return
        self.failed_requests.append(f"{request.url} ({request.failure})")

    def _on_console(self, message):
        if message.type == "error":
            self.console_errors.append(message.text)

    def _on_response(self, response):
        if response.status >= 400 and not getattr(response.request, "_kb_expected_error", False):
            self.failed_requests.append(f"{response.url} answered {response.status}")

    def assert_none(self):
        assert not self.console_errors, f"console errors: {self.console_errors}"
        assert not self.failed_requests, f"failed requests: {self.failed_requests}"


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


def screenshot(page, name):
    """Write a full-page screenshot under tests/artifacts/ for people to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path

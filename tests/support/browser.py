"""What browser tests share: page sizes, a collector of page problems, screenshots."""

import os
from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
# Debian's Chromium, and how every test launches it (never ``playwright install``: it downloads).
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


def screenshot(page, name):
    """Write a full-page screenshot under tests/artifacts/ for people to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path

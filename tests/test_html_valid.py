"""Every public page type is valid HTML: the Nu HTML Checker finds no errors.

The pages are rendered with the test client from the real knowledge base, written
to a temporary folder and checked in one run of the checker (``vnu.jar`` from npm's
``vnu-jar``, installed by ``make``; it needs Java, which ``make`` installs as root):
the JVM takes seconds to start, so one run checks every file. Without Java or the
jar the test is skipped locally but fails under CI (``CI=true``), as the browser
tests do, so a missing checker never passes unnoticed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from reviews.models import CoursePack, CoursePackItem, LearningPoint, NationalTheme, PublicationStatus, Review

from .browser.page_types import busiest_theme, page_type_urls

pytestmark = [pytest.mark.django_db, pytest.mark.html_checker]

VNU_JAR = Path(__file__).resolve().parent.parent / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# What the checker's CSS parser does not know yet, though browsers do: each message exactly, with why.
CHECKER_GAPS = {
    # CSS Basic User Interface Level 4 (https://drafts.csswg.org/css-ui-4/#field-sizing), in Chromium
    # since 123; the admin's one-line text boxes use it (templates/admin/kb/styles.html).
    "CSS: \u201cfield-sizing\u201d: Property \u201cfield-sizing\u201d doesn't exist.",
}


@pytest.fixture(scope="module")
def checker_command() -> list[str]:
    """The command that runs the checker, asked for first: no content is loaded for a skip."""
    java = shutil.which("java")
    missing = [what for what, found in (("Java ('java')", java), (str(VNU_JAR), VNU_JAR.exists())) if not found]
    if missing:
        message = (
            f"The Nu HTML Checker cannot run: {' and '.join(missing)} not found. "
            "`make install-dev` installs both (Java with apt-get as root: default-jre-headless)."
        )
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(message + " The HTML check is required under CI.")
        pytest.skip(message)
    return [java, "-Xss2m", "-jar", str(VNU_JAR), "--format", "json", "--errors-only"]


def course_pack_with_steps() -> CoursePack:
    """A course pack of real entries (there are none in the fixtures), obviously a test's."""
    review = Review.objects.published().order_by("slug").first()
    point = LearningPoint.objects.published().filter(review=review).order_by("position").first()
    pack = CoursePack.objects.create(
        slug="test-pack",
        title="Test course pack",
        introduction="Test introduction.",
        status=PublicationStatus.PUBLISHED,
    )
    steps = [
        {"kind": "theme", "theme": busiest_theme(), "notes": "Test note after the theme."},
        {"kind": "review", "review": review},
        {"kind": "note", "notes": "Test note between steps."},
        {"kind": "learning_point", "learning_point": point},
    ]
    for position, fields in enumerate(steps, start=1):
        CoursePackItem.objects.create(pack=pack, position=position, **fields)
    return pack


def every_page_type() -> dict[str, str]:
    """{name: path} for each public page type, from the loaded content."""
    pages = page_type_urls()
    theme = busiest_theme()
    review = Review.objects.published().get(pk=_review_pk(pages["review"]))
    point = LearningPoint.objects.published().filter(review=review).order_by("position").first()
    national = NationalTheme.objects.order_by("framework__slug", "slug").first()
    pack = course_pack_with_steps()
    pages.update(
        {
            "search": reverse("reviews:search") + "?q=" + theme.name.split()[0],
            "search-no-results": reverse("reviews:search") + "?q=zzzzqqq",
            "national-theme-index": reverse("reviews:national-theme-index"),
            "national-theme": national.get_absolute_url(),
            "profession-print": reverse("reviews:agency-print", args=["police"]),
            "review-print": reverse("reviews:review-print", args=[review.slug]),
            "theme-print": reverse("reviews:theme-print", args=[theme.slug]),
            "coursepack-index": reverse("reviews:coursepack-index"),
            "coursepack": pack.get_absolute_url(),
            "coursepack-print": reverse("reviews:coursepack-print", args=[pack.slug]),
            "embed-learning-point": reverse("reviews:learning-point-embed", args=[point.pk]),
            "embed-theme": reverse("reviews:theme-embed", args=[theme.slug]),
            "embed-not-found": reverse("reviews:learning-point-embed", args=[999999]),
            "sign-in": reverse("admin:login"),
        }
    )
    return pages


def _review_pk(path: str) -> int:
    slug = path.rstrip("/").rsplit("/", 1)[-1]
    return Review.objects.get(slug=slug).pk


def describe(messages: list[dict], names: dict[str, str]) -> str:
    lines = []
    for message in messages:
        file_name = message.get("url", "?").rsplit("/", 1)[-1]
        column = message.get("firstColumn", message.get("lastColumn", "?"))
        where = f"line {message.get('lastLine', '?')}, column {column}"
        lines.append(
            f"- {names.get(file_name, file_name)}: {where}: {message.get('message')}\n"
            f"    {message.get('extract', '').strip()}"
        )
    return "\n".join(lines)


def test_every_page_type_is_valid_html(checker_command, client, loaded_kb, tmp_path):
    names = {}
    for name, path in every_page_type().items():
        response = client.get(path)
        expected = 404 if "not-found" in name else 200
        assert response.status_code == expected, f"{name} ({path}) answered {response.status_code}"
        file_name = f"{name}.html"
        (tmp_path / file_name).write_bytes(response.content)
        names[file_name] = f"{name} ({path})"

    result = subprocess.run(
        [*checker_command, *sorted(str(file) for file in tmp_path.glob("*.html"))],
        capture_output=True,
        text=True,
        timeout=300,
    )
    # The checker writes its JSON report to standard error; it exits 1 when it found errors.
    report = json.loads(result.stderr)
    errors = [
        message
        for message in report["messages"]
        if message.get("type") in {"error", "non-document-error"} and message.get("message") not in CHECKER_GAPS
    ]
    assert len(names) >= 30
    assert not errors, f"The Nu HTML Checker found {len(errors)} errors:\n" + describe(errors, names)

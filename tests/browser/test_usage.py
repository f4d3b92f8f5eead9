"""Uses of learning on the public pages, in a real browser: the counts read as a sentence,
nothing about who or which team, and axe finds no WCAG 2.2 A/AA violations wide or narrow."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe

from .page_types import busiest_theme
from .test_accessibility import AXE_OPTIONS, describe

pytestmark = pytest.mark.django_db(transaction=True)


def record_uses():
    """Two uses of the busiest theme's first learning point and one of its review; the paths to check."""
    from reviews.models import LearningPoint, LearningUse

    theme = busiest_theme()
    point = LearningPoint.objects.published().filter(themes=theme, review__isnull=False).order_by("pk").first()
    for kind, day in (("team_briefing", 3), ("team_briefing", 10)):
        LearningUse.objects.create(
            kind=kind, used_on=datetime.date(2026, 3, day), agency="Test North team", people=8, learning_point=point
        )
    LearningUse.objects.create(
        kind="supervision", used_on=datetime.date(2026, 4, 1), agency="Test team", people=1, review=point.review
    )
    return [point.review.get_absolute_url(), theme.get_absolute_url()]


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_use_counts_read_plainly_and_pass_axe(live_server, loaded_kb, request, viewport, page_problems):
    paths = record_uses()
    page = request.getfixturevalue(viewport)
    axe = Axe()
    failures = {}
    for path in paths:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        assert page.get_by_text("Used in 2 team briefings since March 2026").first.is_visible()
        assert "Test North team" not in page.content()
        results = axe.run(page, options=AXE_OPTIONS)
        if results.violations_count:
            failures[path] = describe(results.response["violations"])
    assert not failures, "\n".join(f"{path}:\n{report}" for path, report in failures.items())
    page_problems.assert_none()

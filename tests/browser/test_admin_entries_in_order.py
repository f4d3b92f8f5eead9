"""A review's entries in the briefing's order, in Chromium, wide and on a phone: each entry editable in
its section, the live Markdown preview (sanitised HTML from the server, no console error under the site's
Content Security Policy), the verbatim guard on this path, and axe at 0 violations.
Screenshots go to tests/artifacts/admin-entries-in-order-*.png."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from reviews.models import LearningPoint, PublicationStatus

from ..support.browser import DESKTOP, PHONE, PageProblems, screenshot
from ..support.factories import (
    make_action,
    make_learning_point,
    make_recommendation,
    make_review,
    make_section,
    make_source,
)
from .test_accessibility import AXE_OPTIONS, describe
from .test_admin_review_form import _session_cookie

pytestmark = pytest.mark.django_db(transaction=True)

BRIEFING = (
    "Learning\n\nPractitioners should share information promptly with partner agencies.\n\n"
    "Recommendations\n\nThe board should audit records.\n\nHealth visitors will audit records.\n"
)
WORDS = "Practitioners should share information promptly with partner agencies."


@pytest.fixture
def briefed():
    review = make_review(title="Test review of Baby T", status=PublicationStatus.DRAFT)
    source = make_source(original_text=BRIEFING, status=PublicationStatus.DRAFT)
    review.sources.add(source)
    learning = make_section(source=source, heading="Test learning", role="learning", position=1)
    recommendations = make_section(source=source, heading="Test recommendations", role="recommendations", position=2)
    point = make_learning_point(review=review, source=source, section=learning, text=WORDS, position=1)
    recommendation = make_recommendation(
        review=review,
        source=source,
        section=recommendations,
        number="1",
        text="The board should audit records.",
        position=2,
    )
    make_action(
        recommendation=recommendation, section=recommendations, text="Health visitors will audit records.", position=3
    )
    return {"review": review, "point": point}


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_entries_in_briefing_order_edit_preview_and_pass_axe(live_server, browser, editor, briefed, viewport):
    context = browser.new_context(viewport=DESKTOP if viewport == "desktop" else PHONE)
    context.add_cookies([_session_cookie(live_server, editor)])
    page = context.new_page()
    problems = PageProblems()
    problems.attach(page)
    review, point = briefed["review"], briefed["point"]

    # From the review's page.
    page.goto(live_server.url + reverse("admin:reviews_review_change", args=[review.pk]))
    page.get_by_role("link", name="Edit the entries in the briefing’s order").click()
    page.wait_for_url("**/entries/")

    legends = page.locator("fieldset.kb-in-order-entry > legend").all_inner_texts()
    assert [legend.split(" (")[0].split(",")[0] for legend in legends] == [
        "Learning point",
        "Recommendation 1",
        "Action",
    ]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # The live preview: typed Markdown shown as the site will show it; a script typed in is not run or shown.
    box = page.locator(f"#id_learningpoint-{point.pk}-text")
    box.fill(WORDS + "\n\n- a **bold** point <script>window.kbPwned = 1</script>")
    preview = page.get_by_role("region", name="Preview of Text")
    preview.locator("strong", has_text="bold").wait_for()
    assert preview.locator("li").count() == 1
    assert preview.locator("script").count() == 0
    assert page.evaluate("window.kbPwned === undefined")
    screenshot(page, f"admin-entries-in-order-{viewport}")

    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, describe(results.response["violations"])

    # The guard applies here too: the briefing's words changed without a reason are not saved.
    box.fill(WORDS.replace("promptly", "quickly"))
    page.get_by_role("button", name="Save the changes").click()
    page.get_by_text("Nothing was saved").wait_for()
    assert page.get_by_text("These words are no longer the briefing’s.").is_visible()
    assert LearningPoint.objects.get(pk=point.pk).text == WORDS
    screenshot(page, f"admin-entries-in-order-refused-{viewport}")
    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, describe(results.response["violations"])

    # With a reason (its box is open now, beside the words) it is saved.
    page.get_by_label("Why the wording differs from the briefing").first.fill("Test: a reason")
    page.get_by_role("button", name="Save the changes").click()
    page.get_by_text("Saved 1 entry").wait_for()
    assert LearningPoint.objects.get(pk=point.pk).text == WORDS.replace("promptly", "quickly")
    problems.assert_none()
    context.close()

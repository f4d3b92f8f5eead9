"""The triage screen end to end in Chromium: a briefing printed to PDF by Chromium, imported through the
admin's form, then on the screen one kind changed by mouse and one by keyboard alone, one entry split, a theme
accepted, the review published; axe at 0 violations at 1280 and 375 px. Screenshots: tests/artifacts/triage-*.png.
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from reviews.models import CaseFact, LearningPoint, PublicationStatus, Review, Theme

from ..support.browser import DESKTOP, PHONE, screenshot
from .test_accessibility import AXE_OPTIONS, describe
from .test_admin_review_form import _session_cookie

pytestmark = pytest.mark.django_db(transaction=True)

BRIEFING = """# Test Safeguarding Partnership: learning from the review of Baby T (test material)

## Background

Baby T lived with his mother and her partner in temporary accommodation. The family moved three times in six months.

## Key learning

Practitioners did not ask about the fathers and other men in the family. Nobody asked who else lived in the home.

the risks of unsafe sleep were not discussed at each contact.

## What went well

The midwife made a referral on the day she was worried.

## Recommendations

Recommendation 1: All agencies should record who lives in the home.
"""


def candidate(page, words):
    return page.locator("article.kb-candidate", has_text=words)


def check_axe(page):
    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, describe(results.response["violations"])


BRIEFING_HTML = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test briefing</title>
<style>body { font: 11pt Arial, sans-serif; margin: 2cm; } h1 { font-size: 22pt; } h2 { font-size: 15pt; }</style>
</head><body>
<h1>Learning from the review of Baby T</h1>
<p>Test material for the importer: invented, not a real case.</p>
<h2>Background</h2>
<p>Baby T lived with his mother and her partner in temporary accommodation. The family moved three times in six
months.</p>
<h2>Key learning</h2>
<p>Practitioners did not ask about the fathers and other men in the family. Nobody asked who else lived in the
home.</p>
<p>The midwife made a referral on the day she was worried.</p>
<p>Housing records were not shared with the health visitor.</p>
<p>the risks of unsafe sleep were not discussed at each contact.</p>
<h2>Recommendations</h2>
<p>Recommendation 1: All agencies should record who lives in the home.</p>
</body></html>"""


def briefing_pdf(browser, path):
    """The briefing above, printed to PDF by Chromium as a partnership's publishing tool would."""
    context = browser.new_context()
    page = context.new_page()
    page.set_content(BRIEFING_HTML)
    page.pdf(path=str(path), format="A4")
    context.close()
    return path


def test_import_then_triage_then_publish(live_server, browser, editor, tmp_path):
    Theme.objects.create(slug="test-fathers", name="Fathers and men in the family")
    path = briefing_pdf(browser, tmp_path / "test-baby-t-briefing.pdf")
    context = browser.new_context(viewport=DESKTOP)
    context.add_cookies([_session_cookie(live_server, editor)])
    page = context.new_page()
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))

    page.goto(live_server.url + "/admin/reviews/review/import/")
    page.get_by_label("Briefing file").set_input_files(str(path))
    page.get_by_role("button", name="Import as a draft").click()
    page.get_by_role("link", name="Check the import").first.click()
    page.wait_for_url(re.compile(r"/triage/"))
    review = Review.objects.get()
    # The title printed at the top, not the PDF's properties ("Test briefing").
    assert review.title == "Learning from the review of Baby T", review.title
    # Read by its structure: the background is a case fact under its heading, the rest learning.
    assert page.get_by_role("heading", name="Key learning").is_visible()
    assert CaseFact.objects.get(review=review).text.startswith("Baby T lived with his mother")
    check_axe(page)
    screenshot(page, "triage-1280")

    # One click: the midwife's referral was good practice, not learning.
    midwife = candidate(page, "The midwife made a referral")
    midwife.get_by_role("button", name="Good practice").click()
    page.wait_for_url(re.compile(r"#c-learningpoint-\d+$"))
    assert LearningPoint.objects.get(text__startswith="The midwife").kind == "good_practice"

    # Split one entry at a sentence.
    practitioners = candidate(page, "Practitioners did not ask")
    practitioners.locator("summary", has_text="Split it in two").click()
    practitioners.get_by_role("button", name=re.compile("Split before “Nobody asked")).click()
    page.wait_for_url(re.compile(r"#c-learningpoint-\d+$"))
    texts = set(LearningPoint.objects.filter(review=review).values_list("text", flat=True))
    assert "Practitioners did not ask about the fathers and other men in the family." in texts
    assert "Nobody asked who else lived in the home." in texts

    # Accept the suggested theme.
    practitioners = candidate(page, "Practitioners did not ask")
    with page.expect_navigation():
        practitioners.get_by_role("button", name="Accept the theme Fathers and men in the family").click()
    assert page.get_by_text("Theme “Fathers and men in the family” accepted").is_visible()
    assert candidate(page, "Practitioners did not ask").get_by_text("(accepted)").is_visible()

    # Keyboard only: from the housing entry's reason box, Tab to "Case fact" and press Enter.
    housing = candidate(page, "Housing records were not shared")
    housing.get_by_label(re.compile("^Why, if you want to say")).focus()
    for _ in range(8):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Case fact":
            break
    assert page.evaluate("document.activeElement.textContent") == "Case fact"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"  # the focus is visible
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert CaseFact.objects.filter(review=review, text__startswith="Housing records").exists()
    assert page.get_by_text("Recorded as case fact (was learning).").is_visible()

    # Publish: the box says what still has warnings (the entry starting in lower case).
    publish = page.locator("#publish")
    assert publish.get_by_role("link", name=re.compile("the risks of unsafe sleep")).is_visible()
    with page.expect_navigation():
        publish.get_by_role("button", name=re.compile("Publish this review")).click()
    assert page.get_by_text("is published: it and its entries are now public").is_visible()
    review.refresh_from_db()
    assert review.status == PublicationStatus.PUBLISHED
    assert not problems
    context.close()


def test_the_screen_on_a_phone(live_server, browser, editor):
    from reviews.services import briefing_import

    Theme.objects.create(slug="test-fathers", name="Fathers and men in the family")
    review = briefing_import(text=BRIEFING, file_name="test-phone.md").review
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    context.add_cookies([_session_cookie(live_server, editor)])
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/reviews/review/{review.pk}/triage/")
    assert page.get_by_role("heading", name="Key learning").is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide on a {PHONE['width']} px screen"
    check_axe(page)
    screenshot(page, "triage-375")

    # The confirmation before a proposed theme is created.
    source = review.sources.get()
    source.import_report = {"proposed_themes": [{"name": "Test temporary homes", "entries": [], "why": "Test why."}]}
    source.save()
    page.reload()
    page.get_by_role("button", name="Create the theme Test temporary homes…").click()
    page.wait_for_url(re.compile(r"confirm=theme"))
    assert page.get_by_label("Its name, as practitioners will see it").input_value() == "Test temporary homes"
    assert not Theme.objects.filter(name="Test temporary homes").exists()
    check_axe(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Create the theme").click()
    assert Theme.objects.filter(name="Test temporary homes").exists()
    assert page.get_by_text("Created the theme “Test temporary homes”").is_visible()
    context.close()

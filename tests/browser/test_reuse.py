"""Reuse in a real browser: permalinks, printed briefings as PDF, packs, embeds (issue 7).

The print tests render briefings to A4 PDFs in Chromium and count their
pages: every real review and theme fits one or two pages with all its
wording, and a theme with more learning than two pages hold still prints on
two, its key learning first and every other entry as a reference with its
permanent link (reviews.briefings.layout.fit_on_two_pages).
"""

import importlib
import io
import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from reviews.briefings.selectors import review_briefing, theme_briefing
from reviews.markdown import strip_markdown
from reviews.models import (
    Action,
    CoursePack,
    CoursePackItem,
    LearningPoint,
    Partnership,
    PublicationStatus,
    Recommendation,
    ReflectionQuestion,
    Review,
    Source,
    Theme,
)

from ..support.browser import screenshot
from ..support.factories import make_public_theme

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def reflection_questions(db):
    """The default questions from migration 0005: a transactional test's flush removes
    migration data, and the printed briefings must be measured with them."""
    defaults = importlib.import_module("reviews.migrations.0005_reuse").DEFAULT_QUESTIONS
    for position, text in enumerate(defaults, start=1):
        ReflectionQuestion.objects.get_or_create(text=text, theme=None, defaults={"position": position})


def pdf_of(page, url):
    response = page.goto(url)
    assert response.status == 200, url
    page.wait_for_load_state("networkidle")
    return PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))


def words(text):
    """Comparable text: letters and digits only, so PDF line breaks and quotes do not matter."""
    return re.sub(r"[^0-9a-z]+", "", text.lower())


def pdf_text(pdf):
    """The PDF's text without the page numbers, so that an entry running on to the
    next page (a long one may) reads as one."""
    return " ".join(re.sub(r"Page \d+ of \d+", " ", pdf_page.extract_text()) for pdf_page in pdf.pages)


def briefing_texts(briefing):
    texts = [point.text for point in briefing.learning_points]
    for recommendation in briefing.recommendations:
        texts.append(recommendation.text)
        texts.extend(action.text for action in recommendation.actions.all())
    texts.extend(action.text for action in briefing.actions)
    texts.extend(fact.text for fact in briefing.case_facts)
    texts.extend(resource.passage or resource.name for resource in briefing.passages)
    for recommendation in briefing.recommendations:
        texts.extend(part for part in recommendation.unanswered_parts.splitlines() if part.strip())
    return texts


def test_every_real_briefing_prints_on_one_or_two_a4_pages_without_cuts(live_server, page, page_problems, loaded_kb):
    briefings = [(review.title, review_briefing(slug=review.slug, user=None)) for review in Review.objects.published()]
    briefings += [(theme.name, theme_briefing(slug=theme.slug)) for theme in Theme.objects.all()]
    assert len(briefings) > 20, "the real content is loaded"

    counts, missing = {}, {}
    for name, briefing in briefings:
        url = live_server.url + (
            reverse("reviews:theme-print", kwargs={"slug": briefing.theme.slug})
            if briefing.theme
            else reverse("reviews:review-print", kwargs={"slug": briefing.review.slug})
        )
        pdf = pdf_of(page, url)
        counts[name] = len(pdf.pages)
        printed = words(pdf_text(pdf))
        lost = [text[:60] for text in briefing_texts(briefing) if words(strip_markdown(text)) not in printed]
        if lost:
            missing[name] = lost

    assert not missing, f"wording missing from the PDF: {missing}"
    too_long = {name: pages for name, pages in counts.items() if not 1 <= pages <= 2}
    assert not too_long, f"briefings not on one or two A4 pages: {too_long}"
    page_problems.assert_none()


def pdf_links(pdf):
    """The addresses the PDF links to (Chromium keeps each link as an annotation)."""
    links = set()
    for pdf_page in pdf.pages:
        for annotation in pdf_page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and "/URI" in action:
                links.add(str(action["/URI"]))
    return links


def _more_learning_on(theme, *, reviews=3, points=6):
    """Published reviews with plenty of learning, recommendations and actions on a theme."""
    partnership = Partnership.objects.create(name="Test Overflow Partnership", area="Testshire", slug="test-overflow")
    sentence = (
        "Practitioners did not share what they knew with the other agencies working with the family, "
        "so that nobody saw the whole picture of the risks to the child until it was too late. "
    )
    for n in range(reviews):
        source = Source.objects.create(
            slug=f"test-overflow-briefing-{n}",
            title=f"Test overflow briefing {n}",
            original_text="Test.",
            partnership=partnership,
            status=PublicationStatus.PUBLISHED,
        )
        review = Review.objects.create(
            slug=f"test-overflow-review-{n}",
            title=f"Test overflow review {n}",
            review_type=Review.ReviewType.SERIOUS_CASE_REVIEW,
            partnership=partnership,
            status=PublicationStatus.PUBLISHED,
        )
        review.sources.add(source)
        for m in range(points):
            point = LearningPoint.objects.create(
                review=review, source=source, text=f"Test overflow learning {n}.{m}. " + sentence * 3
            )
            point.themes.add(theme)
        recommendation = Recommendation.objects.create(
            review=review, source=source, number="1", text=f"Test overflow recommendation {n}. " + sentence * 2
        )
        recommendation.themes.add(theme)
        Action.objects.create(
            review=review, source=source, recommendation=recommendation, text=f"Test overflow action {n}. " + sentence
        )


def test_a_theme_with_more_than_two_pages_of_learning_prints_on_two_and_references_the_rest(
    live_server, page, phone_page, page_problems, loaded_kb
):
    theme = Theme.objects.get(slug="information-sharing")
    _more_learning_on(theme)
    briefing = theme_briefing(slug=theme.slug)
    entries = list(briefing.learning_points)
    for recommendation in briefing.recommendations:
        entries += [recommendation, *recommendation.actions.all()]
    entries += briefing.actions
    printed = set(briefing.printed_learning_points)
    for group in briefing.groups:
        for recommendation in group.printed_recommendations:
            printed |= {recommendation, *recommendation.actions.all()}
        printed |= set(group.printed_actions)
    assert briefing.referenced_count, "the test needs more learning than two pages hold"
    assert printed

    url = live_server.url + reverse("reviews:theme-print", kwargs={"slug": theme.slug})
    pdf = pdf_of(page, url)
    assert 1 <= len(pdf.pages) <= 2
    text = words(pdf_text(pdf))
    links = pdf_links(pdf)
    # The key learning first: the theme's first learning point is printed in full.
    assert words(strip_markdown(entries[0].text)) in text
    not_found = []
    for entry in entries:
        in_full = words(strip_markdown(entry.text)) in text
        referenced = live_server.url + entry.get_permalink() in links
        assert in_full == (entry in printed) or referenced, entry
        if not (in_full or referenced):
            not_found.append(entry.get_permalink())
    if briefing.unlisted_count:
        # Entries beyond even the references are counted, with the address where they all are.
        assert live_server.url + theme.get_absolute_url() in links
        assert len(not_found) == briefing.unlisted_count
    else:
        assert not not_found, f"neither printed nor referenced: {not_found}"
    assert words("each online at its permanent link") in text

    screenshot(page, "reuse-print-theme-overflow-desktop")
    phone_page.goto(url)
    phone_page.wait_for_load_state("networkidle")
    screenshot(phone_page, "reuse-print-theme-overflow-phone")
    page_problems.assert_none()


def test_follow_a_permalink_then_print_the_briefing(live_server, page, phone_page, page_problems, loaded_kb):
    point = LearningPoint.objects.published().filter(review__isnull=False).select_related("review").first()
    response = page.goto(live_server.url + point.get_permalink())
    assert response.status == 200
    assert page.url == live_server.url + point.get_absolute_url()
    item = page.locator(f"#{point.anchor}")
    assert item.is_visible()
    assert words(strip_markdown(point.text))[:80] in words(item.inner_text())

    print_url = reverse("reviews:review-print", kwargs={"slug": point.review.slug})
    pdf = pdf_of(page, live_server.url + print_url)
    assert 1 <= len(pdf.pages) <= 2
    text = " ".join(pdf_page.extract_text() for pdf_page in pdf.pages)
    assert words(point.review.title) in words(text)
    assert words(strip_markdown(point.text)) in words(text)
    assert "Page 1 of" in text
    assert words("Questions for your briefing session") in words(text)

    # The review page's print button leads to the 7-minute briefing.
    page.goto(live_server.url + point.get_absolute_url())
    page.get_by_role("button", name=re.compile("^Print a 7-minute briefing")).click()
    page.wait_for_load_state("networkidle")
    assert page.url == live_server.url + print_url
    assert page.locator("h2", has_text="What the review found").is_visible()

    # On screen the printable page has a print button (shown by print.js).
    assert page.get_by_role("button", name="Print or save as PDF").is_visible()
    screenshot(page, "reuse-print-desktop")
    phone_page.goto(live_server.url + print_url)
    phone_page.wait_for_load_state("networkidle")
    screenshot(phone_page, "reuse-print-phone")
    theme = Theme.objects.get(slug="information-sharing")
    page.goto(live_server.url + reverse("reviews:theme-print", kwargs={"slug": theme.slug}))
    page.wait_for_load_state("networkidle")
    screenshot(page, "reuse-print-theme-desktop")
    page_problems.assert_none()


@pytest.fixture
def real_pack(loaded_kb):
    pack = CoursePack.objects.create(
        slug="test-browser-pack",
        title="Test pack: information sharing",
        status=PublicationStatus.PUBLISHED,
        introduction="Test introduction written for this test.",
    )
    theme = Theme.objects.get(slug="information-sharing")
    points = list(LearningPoint.objects.published().filter(themes=theme).order_by("pk")[:2])
    CoursePackItem.objects.create(pack=pack, position=1, kind="theme", theme=theme, notes="Test note: start here.")
    for position, point in enumerate(points, start=2):
        CoursePackItem.objects.create(pack=pack, position=position, kind="learning_point", learning_point=point)
    CoursePackItem.objects.create(pack=pack, position=9, kind="note", notes="Test note: discuss in pairs.")
    points[1].delete()
    return pack


def test_course_pack_page_and_handout(live_server, page, phone_page, page_problems, real_pack):
    page.goto(live_server.url + real_pack.get_absolute_url())
    assert page.locator("h1").inner_text() == "Test pack: information sharing"
    assert page.locator(".kb-step").count() == 4
    assert page.locator(".kb-step--removed").count() == 1
    screenshot(page, "reuse-course-pack-desktop")
    phone_page.goto(live_server.url + real_pack.get_absolute_url())
    screenshot(phone_page, "reuse-course-pack-phone")

    pdf = pdf_of(page, live_server.url + reverse("reviews:coursepack-print", kwargs={"slug": real_pack.slug}))
    text = words(" ".join(pdf_page.extract_text() for pdf_page in pdf.pages))
    assert words("Test note: discuss in pairs.") in text
    assert words("Removed from the knowledge base") in text
    page_problems.assert_none()


def _framing_page(embed_url):
    return (
        '<!DOCTYPE html><html lang="en"><head><title>Test course page</title></head><body>'
        f'<h1>Test course page</h1><iframe src="{embed_url}" width="480" height="360" title="Card"></iframe>'
        "</body></html>"
    )


@pytest.mark.parametrize("allowed", [True, False])
def test_only_configured_origins_can_frame_a_card(live_server, browser, allowed):
    # A learning platform's page on another origin (the same server under
    # another host name), served by the browser itself.
    platform = live_server.url.replace("localhost", "127.0.0.1")
    assert platform != live_server.url
    settings.KB_EMBED_ALLOWED_ORIGINS = [platform if allowed else "http://learning.example.org"]
    try:
        theme = make_public_theme(slug="test-framed-theme", name="Test framed theme")
        embed_url = live_server.url + reverse("reviews:theme-embed", kwargs={"slug": theme.slug})
        # Chromium asks before a page from another origin reaches a local
        # address; a learning platform on the internet would not need this.
        context = browser.new_context(permissions=["local-network-access"])
        page = context.new_page()
        page.route(
            f"{platform}/test-course-page",
            lambda route: route.fulfill(status=200, content_type="text/html", body=_framing_page(embed_url)),
        )
        title = page.frame_locator("iframe").locator("#kb-embed-title")
        if allowed:
            page.goto(f"{platform}/test-course-page")
            title.wait_for(timeout=5000)
            assert title.inner_text() == "Test framed theme"
        else:
            # Refused by the card's own policy, not by anything else: wait for Chromium to say so.
            with page.expect_console_message(lambda message: "frame-ancestors" in message.text, timeout=15000):
                page.goto(f"{platform}/test-course-page")
            assert title.count() == 0
        context.close()
    finally:
        settings.KB_EMBED_ALLOWED_ORIGINS = []


def test_a_removed_item_card_is_shown_in_the_learning_platform(live_server, browser):
    """Not "refused to connect": the card says the item was removed, inside the frame."""
    platform = live_server.url.replace("localhost", "127.0.0.1")
    settings.KB_EMBED_ALLOWED_ORIGINS = [platform]
    try:
        review = Review.objects.create(
            slug="test-framed-review", title="Test framed review", status=PublicationStatus.PUBLISHED
        )
        source = Source.objects.create(
            slug="test-framed-briefing", title="Test", original_text="Test.", status=PublicationStatus.PUBLISHED
        )
        point = LearningPoint.objects.create(review=review, source=source, text="Test learning to remove.")
        embed_url = live_server.url + reverse("reviews:learning-point-embed", kwargs={"pk": point.pk})
        point.delete()
        context = browser.new_context(permissions=["local-network-access"])
        page = context.new_page()
        page.route(
            f"{platform}/test-course-page",
            lambda route: route.fulfill(status=200, content_type="text/html", body=_framing_page(embed_url)),
        )
        page.goto(f"{platform}/test-course-page")
        title = page.frame_locator("iframe").locator("#kb-embed-title")
        title.wait_for(timeout=5000)
        assert title.inner_text() == "This learning point has been removed"
        assert page.frame_locator("iframe").get_by_role("link", name="Test framed review").count() == 1
        page.set_viewport_size({"width": 520, "height": 400})
        screenshot(page, "reuse-embed-removed-in-frame")
        context.close()
    finally:
        settings.KB_EMBED_ALLOWED_ORIGINS = []


def test_embed_cards(live_server, page, phone_page, page_problems, loaded_kb):
    point = LearningPoint.objects.published().order_by("pk").first()
    page.set_viewport_size({"width": 480, "height": 360})
    page.goto(live_server.url + reverse("reviews:learning-point-embed", kwargs={"pk": point.pk}))
    screenshot(page, "reuse-embed-learning-point")
    page.goto(live_server.url + reverse("reviews:theme-embed", kwargs={"slug": "safe-sleeping"}))
    screenshot(page, "reuse-embed-theme")
    phone_page.goto(live_server.url + reverse("reviews:theme-embed", kwargs={"slug": "safe-sleeping"}))
    screenshot(phone_page, "reuse-embed-theme-phone")
    page_problems.assert_none()


def test_trainer_admin_pages_have_no_console_errors(live_server, page, page_problems, real_pack):
    user = get_user_model().objects.create_superuser("test-admin", "test-admin@example.invalid", "unused-password")
    client = Client()
    client.force_login(user)
    # The admin names no icon, so Chromium asks for /favicon.ico; that 404 is not what this test is about.
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    for url, name in (
        (reverse("admin:reviews_coursepack_add"), ""),
        (reverse("admin:reviews_reflectionquestion_changelist"), "reuse-admin-questions"),
        (reverse("admin:reviews_coursepack_change", args=[real_pack.pk]), "reuse-admin-course-pack"),
    ):
        response = page.goto(live_server.url + url)
        assert response.status == 200, url
        page.wait_for_load_state("networkidle")
        if name:
            screenshot(page, name)
    # The steps' autocomplete widgets started (select2 from the admin's own static files).
    assert page.locator(".select2-container").count() >= 5
    page_problems.assert_none()

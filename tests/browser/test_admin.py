"""An editor's day in Chromium: sign in, import a briefing, edit a candidate
learning point, give it a theme, publish, see it on the public theme page,
then revert an edit from the history. Screenshots of the main admin screens
go to tests/artifacts/admin-*.png.

"""

from pathlib import Path

import pytest
from django.urls import reverse

from reviews.models import LearningPoint, PublicationStatus, Review, Theme

from ..support.browser import PHONE, screenshot
from ..support.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parent.parent.parent
BRIEFING = next(
    path / "001_4335b05ff962ec0e.txt"
    for path in (ROOT / "fixtures" / "briefings", Path("/work/shared/briefings"))
    if (path / "001_4335b05ff962ec0e.txt").exists()
)
ORIGINAL = "Opportunities are often missed to evidence neglect"


def sign_in(page, live_server):
    page.goto(live_server.url + reverse("admin:login"))
    screenshot(page, "admin-login")
    page.get_by_label("Username").fill("test-editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"**{reverse('admin:index')}")


def open_sections(page):
    """Unfold the change form's sections (Django's "collapse" fieldsets and inlines)."""
    closed = page.locator("#content-main details:not([open]) > summary")
    while closed.count():
        closed.first.click()


def choose_theme(page, name):
    """Pick a theme in the admin's autocomplete (Select2) themes box."""
    field = page.locator(".field-themes")
    field.locator(".select2-selection").click()
    # Let the first list load, then type in one go: each keystroke would start
    # a search and cancel the one before, which shows up as a failed request.
    page.locator(".select2-results__option:not(.loading-results)").first.wait_for()
    with page.expect_response(lambda response: "/admin/autocomplete/" in response.url and "term=" in response.url):
        field.locator(".select2-search__field").fill(name)
    page.locator(".select2-results__option", has_text=name).click()


def add_tags(page, existing, new):
    """Choose a tag in use from the tags box's suggestions, then type a new one."""
    field = page.locator(".field-tags")
    search = field.locator(".select2-search__field")
    with page.expect_response(lambda r: "/tag-suggestions/" in r.url and "term=" in r.url):
        field.locator(".select2-selection").click()
        search.press_sequentially(existing[:6])
    page.locator(".select2-results__option", has_text=existing).first.click()
    search.press_sequentially(new + ",")
    page.keyboard.press("Escape")
    chosen = field.locator(".select2-selection__choice")
    assert sorted(chosen.all_inner_texts()) == sorted(f"×{name}" for name in (existing, new)) or sorted(
        text.replace("×", "").strip() for text in chosen.all_inner_texts()
    ) == sorted([existing, new])


def test_an_editor_imports_edits_publishes_and_reverts(live_server, browser, page, page_problems, editor):
    theme = Theme.objects.create(name="Test theme for the browser", slug="test-theme-for-the-browser")
    Review.objects.create(slug="test-tagged", title="Test tagged review", review_type="scr").tags.add(
        "test-co-sleeping"
    )

    sign_in(page, live_server)
    assert page.locator("#site-name").inner_text() == "Learning from case reviews: editing"
    screenshot(page, "admin-index")

    # Import a briefing from the review list.
    page.get_by_role("link", name="Reviews", exact=True).first.click()
    page.get_by_role("link", name="Import a briefing").click()
    assert page.locator("h1").inner_text() == "Import a briefing"
    screenshot(page, "admin-import")
    page.get_by_label("Briefing file").set_input_files(str(BRIEFING))
    page.get_by_role("button", name="Import as a draft").click()
    page.wait_for_url("**/admin/reviews/review/*/change/")
    assert "as a draft" in page.locator(".messagelist").inner_text()
    assert page.locator(".kb-banner--draft").is_visible()
    review = Review.objects.get(sources__file_name=BRIEFING.name)
    assert review.status == PublicationStatus.DRAFT
    screenshot(page, "admin-review-change")

    # Open one candidate learning point from the review (its section folds), give it a theme...
    point = LearningPoint.objects.get(review=review, text__startswith=ORIGINAL)
    open_sections(page)
    original_text = point.text
    inline = page.locator(".inline-related", has=page.locator(f"textarea:text('{ORIGINAL}')"))
    inline.locator("a.inlinechangelink").click()
    page.wait_for_url(f"**{reverse('admin:reviews_learningpoint_change', args=[point.pk])}")
    choose_theme(page, theme.name)
    page.get_by_role("button", name="Save and continue editing").click()
    page.wait_for_load_state()
    assert list(LearningPoint.objects.get(pk=point.pk).themes.all()) == [theme]

    # ...and edit its text.
    page.locator("textarea[name=text]").fill(original_text + " Test edit by the browser test.")
    page.get_by_role("button", name="Save", exact=True).click()
    # The words are no longer the briefing's: the difference is shown, and a reason asked for.
    page.wait_for_load_state()
    assert page.locator(".errorlist .kb-diff ins", has_text="Test edit by the browser test.").is_visible()
    screenshot(page, "admin-verbatim-guard")
    page.get_by_label("Why the wording differs from the briefing").fill("Test: the browser test's edit")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/admin/reviews/learningpoint/")
    assert LearningPoint.objects.get(pk=point.pk).text.endswith("Test edit by the browser test.")

    # Tag it (a tag in use, suggested as one types, and a new one), and publish it from its page.
    page.goto(live_server.url + reverse("admin:reviews_review_change", args=[review.pk]))
    open_sections(page)
    add_tags(page, "test-co-sleeping", "test new risk factor")
    page.locator(".field-tags").scroll_into_view_if_needed()
    screenshot(page, "admin-review-tags")
    page.get_by_role("button", name="Save and publish").first.click()
    # The briefing prints the hub's telephone number and e-mail address: the
    # safety check asks the editor to confirm each before publishing.
    page.wait_for_url(f"**{reverse('admin:reviews_review_safety', args=[review.pk])}?publish=1")
    boxes = page.get_by_label("I have checked this: it does not identify anyone")
    assert boxes.count() >= 2
    for i in range(boxes.count()):
        boxes.nth(i).check()
    page.get_by_role("button", name="Confirm and publish").click()
    page.wait_for_url(f"**{reverse('admin:reviews_review_change', args=[review.pk])}")
    assert "is published" in page.locator(".messagelist").inner_text()
    assert Review.objects.get(pk=review.pk).status == PublicationStatus.PUBLISHED
    assert sorted(Review.objects.get(pk=review.pk).tags.names()) == ["test new risk factor", "test-co-sleeping"]
    screenshot(page, "admin-review-published")

    # The public (signed out) theme page shows the new learning point.
    public = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    public.goto(live_server.url + theme.get_absolute_url())
    assert public.locator(f"#{point.anchor}").is_visible()
    assert "Test edit by the browser test." in public.locator(f"#{point.anchor}").inner_text()

    # Revert the text edit from the history: the briefing's wording comes back, the theme stays.
    page.goto(live_server.url + reverse("admin:reviews_learningpoint_history", args=[point.pk]))
    assert page.locator(".kb-diff ins", has_text="Test edit by the browser test.").first.is_visible()
    screenshot(page, "admin-history")
    before_edit = (
        LearningPoint.history.filter(id=point.pk, text=original_text, history_change_reason__isnull=True)
        .order_by("-history_date")
        .first()
    )
    assert [row.theme_id for row in before_edit.themes.all()] == [theme.pk]
    page.locator(f"a[href$='/history/{before_edit.history_id}/']").click()
    screenshot(page, "admin-revert")
    page.get_by_role("button", name="Revert").first.click()
    page.wait_for_load_state()
    reverted = LearningPoint.objects.get(pk=point.pk)
    assert reverted.text == original_text
    assert list(reverted.themes.all()) == [theme]
    assert (
        LearningPoint.history.filter(id=point.pk)
        .latest()
        .history_change_reason.startswith("Reverted to the version of")
    )
    public.goto(live_server.url + theme.get_absolute_url())
    assert ORIGINAL in public.locator(f"#{point.anchor}").inner_text()
    assert "Test edit by the browser test." not in public.content()
    public.context.close()

    # The lists editors use most, for people to look at.
    page.goto(live_server.url + reverse("admin:reviews_review_changelist"))
    screenshot(page, "admin-changelist")
    page.goto(live_server.url + reverse("admin:reviews_theme_changelist"))
    screenshot(page, "admin-themes")
    page.goto(live_server.url + reverse("admin:reviews_action_changelist"))
    screenshot(page, "admin-actions")
    page_problems.assert_none()


def test_an_editor_finds_and_recovers_a_deleted_learning_point(live_server, page, page_problems, editor):
    review = Review.objects.create(slug="test-review-recover", title="Test review recover", review_type="scr")
    source = review.sources.create(slug="test-source-recover", title="Test source", original_text="Test.")
    theme = Theme.objects.create(name="Test theme kept", slug="test-theme-kept")
    point = LearningPoint.objects.create(review=review, source=source, text="Test learning point deleted by mistake.")
    point.themes.add(theme)
    pk = point.pk
    point.delete()

    sign_in(page, live_server)
    page.goto(live_server.url + reverse("admin:reviews_learningpoint_changelist"))
    page.get_by_role("link", name="Recover deleted learning points").click()
    assert page.locator("h1").inner_text() == "Recover deleted learning points"
    assert page.get_by_role("cell", name="Test learning point deleted by mistake.", exact=True).is_visible()
    screenshot(page, "admin-recover-list")
    page.get_by_role("link", name="Recover this version").first.click()
    page.wait_for_url(f"**/admin/reviews/learningpoint/{pk}/history/*/")
    assert "was deleted" in page.locator(".kb-banner--draft").inner_text()
    screenshot(page, "admin-recover")
    page.get_by_role("button", name="Recover").first.click()
    page.wait_for_load_state()
    recovered = LearningPoint.objects.get(pk=pk)
    assert recovered.text == "Test learning point deleted by mistake."
    assert list(recovered.themes.all()) == [theme]
    page_problems.assert_none()


def test_the_review_list_works_on_a_phone(live_server, browser, editor):
    from ..support.browser import PageProblems

    problems = PageProblems()
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    phone = context.new_page()
    problems.attach(phone)
    Review.objects.create(slug="test-review-phone", title="Test review on a phone", review_type="scr")
    sign_in(phone, live_server)
    phone.goto(live_server.url + reverse("admin:reviews_review_changelist"))
    assert phone.get_by_role("link", name="Test review on a phone").is_visible()
    assert phone.get_by_role("link", name="Import a briefing").is_visible()
    screenshot(phone, "admin-changelist-phone")
    context.close()
    problems.assert_none()

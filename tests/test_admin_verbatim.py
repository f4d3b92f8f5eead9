"""The verbatim guard: changing the briefing's words in an entry shows the
difference and asks for a reason, which the history keeps."""

import pytest
from django.urls import reverse

from reviews.models import LearningPoint

from .support.admin import admin_form_data
from .support.factories import make_learning_point, make_review, make_source

pytestmark = pytest.mark.django_db

BRIEFING = "Learning\n\nPractitioners should share information promptly with partner agencies.\n"
WORDS = "Practitioners should share information promptly with partner agencies."


@pytest.fixture
def point():
    source = make_source(original_text=BRIEFING)
    return make_learning_point(review=make_review(), source=source, text=WORDS)


def change_url(point):
    return reverse("admin:reviews_learningpoint_change", args=[point.pk])


def test_changing_the_briefings_words_shows_the_difference_and_asks_why(editor_client, point):
    url = change_url(point)
    new = WORDS.replace("promptly", "quickly")
    response = editor_client.post(url, admin_form_data(editor_client, url, text=new))
    assert response.status_code == 200  # the form again, not saved
    page = response.content.decode()
    assert "These words are no longer the briefing’s." in page
    assert "<del>promptly</del>" in page and "<ins>quickly</ins>" in page
    assert "Why the wording differs from the briefing" in page
    assert LearningPoint.objects.get(pk=point.pk).text == WORDS


def test_with_a_reason_the_change_is_saved_and_the_history_keeps_the_reason(editor_client, point):
    url = change_url(point)
    new = WORDS.replace("partner agencies", "the police")
    data = admin_form_data(editor_client, url, text=new, wording_reason="Test: the agency named in the review")
    assert editor_client.post(url, data).status_code == 302
    assert LearningPoint.objects.get(pk=point.pk).text == new
    latest = point.history.latest()
    assert latest.history_change_reason == "Wording no longer the briefing's: Test: the agency named in the review"
    assert latest.history_user.username == "test-editor"


@pytest.mark.parametrize(
    "new",
    [
        WORDS,  # unchanged
        "Practitioners should share information promptly",  # still the briefing's words, only fewer
        "**Practitioners** should share information promptly with partner agencies.",  # layout marks only
    ],
)
def test_text_still_found_in_the_briefing_saves_without_a_reason(editor_client, point, new):
    url = change_url(point)
    assert editor_client.post(url, admin_form_data(editor_client, url, text=new)).status_code == 302
    assert LearningPoint.objects.get(pk=point.pk).text == new


def test_an_entry_that_was_not_the_briefings_words_is_not_held_back(editor_client):
    point = make_learning_point(
        review=make_review(), source=make_source(original_text=BRIEFING), text="Test own words."
    )
    url = change_url(point)
    assert editor_client.post(url, admin_form_data(editor_client, url, text="Test other words.")).status_code == 302


def test_on_the_reviews_page_the_guard_sends_the_editor_to_the_entrys_own_page(editor_client, point):
    url = reverse("admin:reviews_review_change", args=[point.review.pk])
    data = admin_form_data(editor_client, url, **{"learning_points-0-text": WORDS.replace("promptly", "quickly")})
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "on the entry’s own page" in response.content.decode()
    assert LearningPoint.objects.get(pk=point.pk).text == WORDS

"""The public marker "Wording edited by the knowledge base: see the original" on an entry whose words
are no longer found in its briefing: worked out when the entry is written (``reviews/wording.py``), on
every way of writing it, and shown wherever the entry is."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from reviews.models import Action, CaseFact, LearningPoint, Recommendation, Source

from .support.admin import admin_form_data
from .support.factories import make_learning_point, make_recommendation, make_review, make_source

pytestmark = pytest.mark.django_db

BRIEFING = "Learning\n\nPractitioners should share information promptly with partner agencies.\n"
WORDS = "Practitioners should share information promptly with partner agencies."
EDITED = WORDS.replace("partner agencies", "the police")
MARKER = "Wording edited by the knowledge base"


@pytest.fixture
def point():
    return make_learning_point(review=make_review(), source=make_source(original_text=BRIEFING), text=WORDS)


def marked(entry) -> bool:
    return type(entry).objects.values_list("wording_edited", flat=True).get(pk=entry.pk)


def test_the_briefings_words_carry_no_marker_and_other_words_do(point):
    assert not marked(point)
    point.text = EDITED
    point.save()
    assert marked(point)
    point.text = "**Practitioners** should share information promptly"  # emphasis only, fewer words: still hers
    point.save()
    assert not marked(point)


def test_an_edit_in_the_admin_with_a_reason_sets_the_marker(editor_client, point):
    url = reverse("admin:reviews_learningpoint_change", args=[point.pk])
    data = admin_form_data(editor_client, url, text=EDITED, wording_reason="Test: the agency named in the review")
    assert editor_client.post(url, data).status_code == 302
    assert marked(point)


def test_a_revert_from_the_history_clears_it(editor_client, point):
    original = point.history.earliest()
    point.text = EDITED
    point.save()
    assert marked(point)
    url = reverse("admin:reviews_learningpoint_simple_history", args=[point.pk, original.history_id])
    assert editor_client.post(url, admin_form_data(editor_client, url)).status_code == 302
    point.refresh_from_db()
    assert point.text == WORDS
    assert not marked(point)


def test_a_change_to_the_briefings_text_works_the_markers_out_again(point):
    source = Source.objects.get(pk=point.source_id)
    source.original_text = BRIEFING.replace("partner agencies", "the police")
    source.save()
    assert marked(point)
    source.original_text = BRIEFING
    source.save()
    assert not marked(point)


def test_a_source_without_its_text_marks_nothing():
    point = make_learning_point(review=make_review(), source=make_source(original_text=""), text="Test words.")
    assert not marked(point)


def test_words_never_the_briefings_are_not_said_to_be_edited():
    """As the verbatim guard: only an edit that takes the briefing's words away is marked."""
    point = make_learning_point(
        review=make_review(), source=make_source(original_text=BRIEFING), text="Test own words."
    )
    assert not marked(point)
    point.text = "Test other words."
    point.save()
    assert not marked(point)


def test_once_edited_it_stays_marked_until_the_words_are_the_briefings_again(point):
    point.text = EDITED
    point.save()
    point = LearningPoint.objects.get(pk=point.pk)
    point.text = EDITED + " Test more."
    point.save()
    assert marked(point)
    point.text = WORDS
    point.save()
    assert not marked(point)


def test_recorded_as_another_kind_it_stays_marked(point, editor):
    from reviews.services.kinds import entry_kind_change

    point.text = EDITED
    point.save()
    point.refresh_from_db()
    new = entry_kind_change(point, "recommendation", user=editor, reason="Test")
    assert marked(new)


def test_the_data_migration_marks_rows_whose_first_version_was_the_briefings(point):
    made_up = make_recommendation(review=point.review, source=point.source, text="Test made-up words.")
    LearningPoint.objects.filter(pk=point.pk).update(text=EDITED)
    importlib.import_module("reviews.migrations.0080_entry_wording_edited").mark_existing(apps, None)
    assert marked(point)
    assert not marked(made_up)


def test_the_marker_shows_on_the_review_page_with_a_link_to_the_original(client, point):
    point.text = EDITED
    point.save()
    page = client.get(point.review.get_absolute_url()).content.decode()
    assert MARKER in page
    assert f'href="{point.source.get_absolute_url()}#original-text"' in page


def test_no_marker_on_the_page_of_an_entry_that_keeps_the_words(client, point):
    page = client.get(point.review.get_absolute_url()).content.decode()
    assert WORDS in page
    assert MARKER not in page


def test_the_marker_shows_on_the_theme_page_print_embed_and_api(client, point):
    from .support.factories import make_theme

    theme = make_theme()
    point.themes.add(theme)
    point.text = EDITED
    point.save()
    pages = {
        "theme": reverse("reviews:theme-detail", kwargs={"slug": theme.slug}),
        "print": reverse("reviews:review-print", kwargs={"slug": point.review.slug}),
        "embed": reverse("reviews:learning-point-embed", kwargs={"pk": point.pk}),
    }
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert MARKER in response.content.decode(), name
    record = client.get(reverse("reviews:api-learning-point-detail", kwargs={"pk": point.pk})).json()
    assert record["wording_edited"] is True


def test_the_seed_briefings_entries_are_word_for_word(loaded_kb, client):
    """The five real briefings: every entry's words are found in its briefing, so no page marks one."""
    for model in (CaseFact, LearningPoint, Recommendation, Action):
        assert model.objects.exists()
        assert list(model.objects.filter(wording_edited=True).values_list("ref", flat=True)) == []
    for review in LearningPoint.objects.exclude(review=None).values_list("review__slug", flat=True).distinct():
        page = client.get(reverse("reviews:review-detail", kwargs={"slug": review})).content.decode()
        assert MARKER not in page


def test_one_seed_entry_edited_carries_the_marker(loaded_kb, client):
    point = LearningPoint.objects.exclude(review=None).order_by("pk").first()
    point.text = f"{point.text} Test words the briefing does not have."
    point.save()
    assert marked(point)
    page = client.get(point.review.get_absolute_url()).content.decode()
    assert page.count(MARKER) == 1

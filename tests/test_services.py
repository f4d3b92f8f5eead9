"""Writes in reviews/services.py: publishing, action status, merging themes."""

import pytest
from django.contrib.auth import get_user_model

from reviews.models import Action, OldSlug, PublicationStatus, Review, Source, Theme, ThemeAlias
from reviews.services import (
    action_status_set,
    review_publish,
    review_unpublish,
    source_publish,
    theme_merge,
)

from .conftest import (
    make_action,
    make_learning_point,
    make_recommendation,
    make_review,
    make_source,
    make_theme,
)

pytestmark = pytest.mark.django_db

DRAFT, PUBLISHED = PublicationStatus.DRAFT, PublicationStatus.PUBLISHED


@pytest.fixture
def editor():
    return get_user_model().objects.create_user("test-editor", password="test-password-long-1")


def draft_review_with_sources():
    source = make_source(status=DRAFT)
    quoted = make_source(status=DRAFT)  # quoted by an entry but not listed on the review
    review = make_review(status=DRAFT)
    review.sources.add(source)
    make_learning_point(review=review, source=quoted)
    return review, source, quoted


def test_publishing_a_review_publishes_it_and_every_source_its_entries_quote(editor):
    review, source, quoted = draft_review_with_sources()
    unrelated = make_source(status=DRAFT)
    review_publish(review=review, user=editor)
    review.refresh_from_db()
    assert review.status == PUBLISHED and review.first_published_at is not None
    assert set(Source.objects.published()) >= {source, quoted}
    unrelated.refresh_from_db()
    assert unrelated.status == DRAFT
    latest = review.history.latest()
    assert latest.history_user == editor and latest.history_change_reason == "Published"
    assert source.history.latest().history_change_reason == "Published"


def test_publishing_makes_entries_public_and_unpublishing_hides_them(client):
    review, _, _ = draft_review_with_sources()
    point = review.learning_points.get()
    assert client.get(review.get_absolute_url()).status_code == 404
    review_publish(review=review)
    assert client.get(review.get_absolute_url()).status_code == 200
    assert point in type(point).objects.published()
    review_unpublish(review=review)
    assert client.get(review.get_absolute_url()).status_code == 404
    assert point not in type(point).objects.published()


def test_unpublishing_keeps_a_source_another_published_review_draws_on():
    shared = make_source(status=DRAFT)
    first, second = make_review(status=DRAFT), make_review(status=DRAFT)
    first.sources.add(shared)
    second.sources.add(shared)
    review_publish(review=first)
    review_publish(review=second)
    review_unpublish(review=first)
    shared.refresh_from_db()
    assert shared.status == PUBLISHED
    review_unpublish(review=second)
    shared.refresh_from_db()
    assert shared.status == DRAFT


def test_unpublishing_keeps_a_source_with_cross_cutting_learning():
    source = make_source(status=DRAFT)
    review = make_review(status=DRAFT)
    review.sources.add(source)
    make_learning_point(review=None, source=source)
    review_publish(review=review)
    review_unpublish(review=review)
    source.refresh_from_db()
    assert source.status == PUBLISHED


def test_first_published_date_survives_unpublishing_and_republishing():
    review = make_review(status=DRAFT)
    review_publish(review=review)
    first = Review.objects.get(pk=review.pk).first_published_at
    review_unpublish(review=review)
    review_publish(review=review)
    assert Review.objects.get(pk=review.pk).first_published_at == first


def test_publishing_twice_adds_no_history():
    review = make_review(status=DRAFT)
    review_publish(review=review)
    versions = review.history.count()
    review_publish(review=review)
    source_publish(source=make_source())
    assert review.history.count() == versions


def test_action_status_records_when_it_changed(editor):
    review = make_review()
    action = make_action(recommendation=make_recommendation(review=review))
    assert action.status_changed_at is None
    action = Action.objects.get(pk=action.pk)
    action_status_set(action=action, status=Action.Status.IN_PROGRESS, user=editor)
    stored = Action.objects.get(pk=action.pk)
    assert stored.status == Action.Status.IN_PROGRESS and stored.status_changed_at is not None
    assert stored.history.latest().history_change_reason == "Status set to In progress"
    with pytest.raises(ValueError):
        action_status_set(action=stored, status="finished")


# ---------------------------------------------------------------------------
# Merging themes
# ---------------------------------------------------------------------------


@pytest.fixture
def two_themes():
    keep = make_theme(name="Test information sharing", slug="test-information-sharing")
    merge = make_theme(name="Test communication", slug="test-communication")
    merge.aliases.create(name="Test alias communication between agencies")
    third = make_theme(name="Test escalation")
    merge.related_themes.add(third, keep)
    review = make_review()
    point = make_learning_point(review=review, themes=[merge])
    both = make_learning_point(review=review, themes=[merge, keep])
    recommendation = make_recommendation(review=review, themes=[merge])
    action = make_action(recommendation=recommendation)
    action.themes.add(merge)
    return keep, merge, third, point, both, recommendation, action


def test_merging_moves_every_item_alias_and_related_theme(two_themes, editor):
    keep, merge, third, point, both, recommendation, action = two_themes
    result = theme_merge(themes=[merge, keep], into=keep, user=editor)
    assert result.merged == ["Test communication"]
    assert result.moved == {
        "learning points": 2,
        "recommendations": 1,
        "actions": 1,
        "reflection questions": 0,
        "course pack steps": 0,
    }
    assert not Theme.objects.filter(pk=merge.pk).exists()
    for item in (point, both, recommendation, action):
        assert list(item.themes.all()) == [keep]
    aliases = set(ThemeAlias.objects.filter(theme=keep).values_list("name", flat=True))
    assert aliases == {"Test alias communication between agencies", "Test communication"}
    assert list(keep.related_themes.all()) == [third]
    history = point.history.latest()
    assert history.history_change_reason == "Theme “Test communication” merged into “Test information sharing”"
    assert history.history_user == editor
    assert [t.theme.name for t in history.themes.all()] == ["Test information sharing"]


def test_a_merged_theme_address_leads_to_the_theme_kept(two_themes, client):
    keep, merge, *_ = two_themes
    merge.slug = "test-communication-renamed"
    merge.save()
    theme_merge(themes=[merge], into=keep)
    assert set(OldSlug.objects.for_object(keep).values_list("slug", flat=True)) == {
        "test-communication",
        "test-communication-renamed",
    }
    for old in ("test-communication", "test-communication-renamed"):
        response = client.get(f"/themes/{old}/")
        assert response.status_code == 301
        assert response["Location"] == keep.get_absolute_url()


def test_merging_a_theme_into_itself_changes_nothing(two_themes):
    keep, *_ = two_themes
    result = theme_merge(themes=[keep], into=keep)
    assert result.merged == [] and Theme.objects.filter(pk=keep.pk).exists()


def test_merging_does_not_add_an_alias_that_already_exists(two_themes):
    keep, merge, *_ = two_themes
    keep.aliases.create(name="TEST COMMUNICATION")
    theme_merge(themes=[merge], into=keep)
    assert ThemeAlias.objects.filter(name__iexact="test communication").count() == 1

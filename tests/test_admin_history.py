"""History in the admin: who changed what, a readable diff, and revert."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from reviews.admin.base import word_diff
from reviews.models import CaseFact, Collection, LearningPoint, Resource, Source
from reviews.services import source_publish

from .conftest import (
    make_action,
    make_learning_point,
    make_partnership,
    make_recommendation,
    make_review,
    make_source,
    make_theme,
)
from .test_admin import admin_form_data

pytestmark = pytest.mark.django_db


def staff(client, group):
    user = get_user_model().objects.create_user(f"test-{group.lower()}", password="test-password-long-1", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    return user


@pytest.fixture
def point():
    return make_learning_point(
        review=make_review(),
        text="Test practitioners should share information promptly with partner agencies.",
        themes=[make_theme(name="Test old theme")],
    )


def edit(client, point, **changes):
    url = reverse("admin:reviews_learningpoint_change", args=[point.pk])
    response = client.post(url, admin_form_data(client, url, **changes))
    assert response.status_code == 302, response.context["adminform"].form.errors
    return LearningPoint.objects.get(pk=point.pk)


def history_page(client, point):
    return client.get(reverse("admin:reviews_learningpoint_history", args=[point.pk])).content.decode()


def test_history_shows_who_changed_what_with_a_word_diff(client, point):
    editor = staff(client, "Editor")
    new_theme = make_theme(name="Test new theme")
    edit(
        client,
        point,
        text="Test practitioners must share information promptly with partner agencies.",
        kind="good_practice",
        themes=[new_theme.pk],
    )
    page = history_page(client, point)
    assert editor.username in page
    assert "<del>should</del><ins>must</ins>" in page
    assert "<del>Learning</del> → <ins>Good practice</ins>" in page
    assert "Added: <ins>Test new theme</ins>" in page
    assert "Removed: <del>Test old theme</del>" in page
    assert "First version." in page


def test_one_save_in_the_admin_is_one_version(client, point):
    staff(client, "Editor")
    versions = point.history.count()
    edit(client, point, themes=[make_theme(name="Test another theme").pk])
    assert point.history.count() == versions + 1
    edit(client, point, text="Test text and themes changed.", themes=[make_theme(name="Test third theme").pk])
    assert point.history.count() == versions + 2
    latest = point.history.latest()
    assert latest.text == "Test text and themes changed."
    assert [row.theme.name for row in latest.themes.all()] == ["Test third theme"]
    assert "No field changed" not in history_page(client, point)


def test_the_diff_escapes_content_and_shortens_long_unchanged_text():
    old = "One two three four five six seven eight nine ten eleven twelve <b>old</b> end."
    new = "One two three four five six seven eight nine ten eleven twelve <b>new</b> end."
    html = word_diff(old, new)
    assert "<del>&lt;b&gt;old&lt;/b&gt;</del><ins>&lt;b&gt;new&lt;/b&gt;</ins>" in html
    assert html.startswith("… ") and "One two" not in html
    assert word_diff("", "Test added") == "<ins>Test added</ins>"


def test_reverting_restores_the_text_and_the_themes(client, point):
    staff(client, "Editor")
    original_text = point.text
    old_theme = point.themes.get()
    first_version = point.history.earliest()
    edit(client, point, text="Test text changed by mistake.", themes=[make_theme(name="Test wrong theme").pk])

    # The themes of a version are recorded with it, so the version page shows them.
    versions = point.history.order_by("history_date")
    with_old_theme = next(
        v for v in versions if v.text == original_text and [t.theme_id for t in v.themes.all()] == [old_theme.pk]
    )
    url = reverse("admin:reviews_learningpoint_simple_history", args=[point.pk, with_old_theme.history_id])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["adminform"].form.initial["themes"] == [old_theme.pk]
    assert "Revert" in page.content.decode()

    versions_before = point.history.count()
    response = client.post(url, admin_form_data(client, url))
    assert response.status_code == 302
    restored = LearningPoint.objects.get(pk=point.pk)
    assert restored.text == original_text
    assert list(restored.themes.all()) == [old_theme]
    # The revert is itself a new version: nothing is lost.
    assert restored.history.count() > versions_before
    assert point.history.filter(text="Test text changed by mistake.").exists()
    assert first_version.text == original_text


def test_a_trainer_sees_history_but_cannot_revert(client, point):
    staff(client, "Editor")
    edit(client, point, text="Test text edited.")
    client.logout()
    staff(client, "Trainer")
    version = point.history.earliest()
    assert "<ins>edited.</ins>" in history_page(client, point)
    url = reverse("admin:reviews_learningpoint_simple_history", args=[point.pk, version.history_id])
    page = client.get(url)
    assert page.status_code == 200 and 'value="Revert"' not in page.content.decode()
    # A complete, valid form posted by hand is refused too, not just the button hidden.
    assert client.post(url, admin_form_data(client, url)).status_code == 403
    assert LearningPoint.objects.get(pk=point.pk).text == "Test text edited."


def every_content_object(point):
    review, source, theme = point.review, point.source, point.themes.get()
    recommendation = make_recommendation(review=review, source=source)
    return {
        "partnership": make_partnership(),
        "source": source,
        "resource": Resource.objects.create(source=source, name="Test resource"),
        "theme": theme,
        "themealias": theme.aliases.create(name="Test alias"),
        "collection": Collection.objects.create(slug="test-collection", title="Test collection", source=source),
        "review": review,
        "casefact": CaseFact.objects.create(review=review, source=source, text="Test fact."),
        "learningpoint": point,
        "recommendation": recommendation,
        "action": make_action(recommendation=recommendation),
    }


def test_every_content_model_has_readable_history_in_the_admin(client, point):
    staff(client, "Editor")
    for name, obj in every_content_object(point).items():
        response = client.get(reverse(f"admin:reviews_{name}_history", args=[obj.pk]))
        assert response.status_code == 200, name
        assert "First version." in response.content.decode(), name
        assert response.context["object_history_list_template"] == "admin/kb/object_history_list.html"


def test_source_history_records_publication(client):
    staff(client, "Editor")
    source = make_source(status="draft")
    source_publish(source=source)
    page = client.get(reverse("admin:reviews_source_history", args=[source.pk])).content.decode()
    assert "Published" in page
    assert "<del>Draft</del> → <ins>Published</ins>" in page
    assert Source.objects.get(pk=source.pk).status == "published"

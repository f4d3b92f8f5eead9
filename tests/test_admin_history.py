"""History in the admin: who changed what, a readable diff, and revert."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime

from reviews.admin.base import word_diff
from reviews.models import CaseFact, Collection, LearningPoint, Resource, Review, Source
from reviews.services import source_publish

from .support.admin import admin_form_data
from .support.factories import (
    make_action,
    make_learning_point,
    make_partnership,
    make_recommendation,
    make_review,
    make_source,
    make_theme,
    make_user,
)

pytestmark = pytest.mark.django_db


def staff(client, group):
    """Sign ``client`` in as a new staff user in ``group``."""
    user = make_user(f"test-{group.lower()}", groups=[group])
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


# ---------------------------------------------------------------------------
# Many-to-many fields in the history: a review's tags and sources, related themes
# ---------------------------------------------------------------------------


def edit_review(client, review, **changes):
    url = reverse("admin:reviews_review_change", args=[review.pk])
    response = client.post(url, admin_form_data(client, url, **changes))
    assert response.status_code == 302, response.context["adminform"].form.errors
    return Review.objects.get(pk=review.pk)


def review_history_page(client, review):
    return client.get(reverse("admin:reviews_review_history", args=[review.pk])).content.decode()


def test_editing_a_reviews_tags_and_sources_is_one_readable_version(client):
    staff(client, "Editor")
    review = make_review()
    review.tags.add("test-alcohol")
    source = make_source(title="Test briefing added")
    versions = review.history.count()
    edit_review(client, review, tags=["test-alcohol", "test-co-sleeping"], sources=[source.pk])
    assert review.history.count() == versions + 1
    latest = review.history.latest()
    assert sorted(row.tag.name for row in latest.tags.all()) == ["test-alcohol", "test-co-sleeping"]
    assert [row.source for row in latest.sources.all()] == [source]
    page = review_history_page(client, review)
    assert "Added: <ins>test-co-sleeping</ins>" in page
    assert "Added: <ins>Test briefing added</ins>" in page
    edit_review(client, review, tags=["test-co-sleeping"], sources=[source.pk])
    assert "Removed: <del>test-alcohol</del>" in review_history_page(client, review)
    assert "No field changed" not in review_history_page(client, review)


def test_reverting_a_review_restores_its_tags_and_sources(client):
    editor = staff(client, "Editor")
    review = make_review()
    old_source = make_source()
    review.sources.add(old_source)
    review.tags.add("test-neglect", "test-alcohol")
    good = review.history.latest()
    edit_review(client, review, title="Test title changed by mistake", tags=["test-wrong"], sources=[make_source().pk])

    url = reverse("admin:reviews_review_simple_history", args=[review.pk, good.history_id])
    page = client.get(url)
    assert sorted(page.context["adminform"].form.initial["tags"]) == ["test-alcohol", "test-neglect"]
    versions = review.history.count()
    assert client.post(url, admin_form_data(client, url)).status_code == 302

    review = Review.objects.get(pk=review.pk)
    assert review.title == good.title
    assert sorted(review.tags.names()) == ["test-alcohol", "test-neglect"]
    assert list(review.sources.all()) == [old_source]
    assert review.history.count() == versions + 1
    latest = review.history.latest()
    assert latest.history_user == editor
    assert latest.history_change_reason.startswith("Reverted to the version of ")


def test_a_themes_related_themes_are_in_its_history(client):
    staff(client, "Editor")
    theme = make_theme(name="Test theme with relations")
    related = make_theme(name="Test related theme")
    url = reverse("admin:reviews_theme_change", args=[theme.pk])
    response = client.post(url, admin_form_data(client, url, related_themes=[related.pk]))
    assert response.status_code == 302, response.context["adminform"].form.errors
    latest = theme.history.latest()
    assert [row.to_theme for row in latest.related_themes.all()] == [related]
    page = client.get(reverse("admin:reviews_theme_history", args=[theme.pk])).content.decode()
    assert "Added: <ins>Test related theme</ins>" in page


# ---------------------------------------------------------------------------
# Reverts are one version, with a reason
# ---------------------------------------------------------------------------


def test_reverting_text_and_themes_is_one_version_saying_what_it_reverted_to(client, point):
    author = staff(client, "Editor")
    old_theme = point.themes.get()
    edit(client, point, text="Test text changed by mistake.", themes=[make_theme(name="Test wrong theme").pk])
    good = next(v for v in point.history.order_by("-history_date") if v.text != "Test text changed by mistake.")
    good.history_user = author  # as if the author had saved it in the admin
    good.save()

    url = reverse("admin:reviews_learningpoint_simple_history", args=[point.pk, good.history_id])
    versions = point.history.count()
    assert client.post(url, admin_form_data(client, url)).status_code == 302

    assert point.history.count() == versions + 1  # not a mixed state first
    latest = point.history.latest()
    assert latest.text == good.text
    assert [row.theme for row in latest.themes.all()] == [old_theme]
    when = date_format(localtime(good.history_date), "j F Y H:i")
    assert latest.history_change_reason == f"Reverted to the version of {when} by {author.username}"
    assert f"Reverted to the version of {when} by {author.username}" in history_page(client, point)


# ---------------------------------------------------------------------------
# Empty foreign keys
# ---------------------------------------------------------------------------


def test_an_empty_link_shows_as_empty_not_as_a_deleted_item(client, point):
    staff(client, "Editor")
    earlier = make_learning_point(review=point.review, text="Test earlier learning point repeated.")
    edit(client, point, repeats=earlier.pk)
    edit(client, point, repeats="")
    page = history_page(client, point)
    assert "pk=None" not in page
    assert "<del>(empty)</del> → <ins>Test earlier learning point repeated.</ins>" in page
    assert "<del>Test earlier learning point repeated.</del> → <ins>(empty)</ins>" in page


# ---------------------------------------------------------------------------
# Recovering deleted items
# ---------------------------------------------------------------------------


def delete_in_admin(client, obj):
    url = reverse(f"admin:reviews_{obj._meta.model_name}_delete", args=[obj.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not type(obj).objects.filter(pk=obj.pk).exists()


def test_a_deleted_learning_point_can_be_found_and_recovered_with_its_themes_and_resources(client, point):
    editor = staff(client, "Editor")
    resource = Resource.objects.create(source=point.source, name="Test escalation policy")
    edit(client, point, resources=[resource.pk])
    changelist = reverse("admin:reviews_learningpoint_changelist")
    recover = reverse("admin:reviews_learningpoint_recover")
    assert recover not in client.get(changelist).content.decode()  # nothing deleted yet
    theme = point.themes.get()
    delete_in_admin(client, point)

    assert "Recover deleted learning points" in client.get(changelist).content.decode()
    page = client.get(recover)
    assert page.status_code == 200
    assert [row["deletion"].id for row in page.context["rows"]] == [point.pk]
    version = page.context["rows"][0]["version"]
    assert version.history_type != "-"  # the last version saved, which has its themes
    assert "Test practitioners should share information" in page.content.decode()

    url = reverse("admin:reviews_learningpoint_simple_history", args=[point.pk, version.history_id])
    form_page = client.get(url).content.decode()
    assert 'value="Recover"' in form_page and "was deleted" in form_page
    assert "Recover a deleted learning point: Test practitioners should share" in form_page
    assert client.post(url, admin_form_data(client, url)).status_code == 302

    recovered = LearningPoint.objects.get(pk=point.pk)
    assert recovered.text == point.text and list(recovered.themes.all()) == [theme]
    assert list(recovered.resources.all()) == [resource]
    latest = recovered.history.latest()
    assert latest.history_user == editor
    assert latest.history_change_reason.startswith("Recovered after deletion: the version of ")
    assert client.get(recover).context["rows"] == []


def test_every_content_list_links_to_its_deleted_items(client, point):
    staff(client, "Editor")
    for name, obj in every_content_object(point).items():
        if name in ("learningpoint", "theme", "source", "review"):
            continue  # still used by the others
        obj.delete()
        page = client.get(reverse(f"admin:reviews_{name}_changelist")).content.decode()
        assert reverse(f"admin:reviews_{name}_recover") in page, name
        assert client.get(reverse(f"admin:reviews_{name}_recover")).status_code == 200, name


def test_a_trainer_sees_deleted_items_but_cannot_recover_them(client, point):
    pk = point.pk
    point.delete()
    staff(client, "Trainer")
    page = client.get(reverse("admin:reviews_learningpoint_recover"))
    assert page.status_code == 200 and not page.context["can_recover"]
    version = page.context["rows"][0]["version"]
    url = reverse("admin:reviews_learningpoint_simple_history", args=[pk, version.history_id])
    assert 'value="Recover"' not in client.get(url).content.decode()
    assert client.post(url, {"text": point.text, "kind": "learning", "source": point.source_id}).status_code == 403
    assert not LearningPoint.objects.filter(pk=pk).exists()


def test_recovering_needs_permission_to_add(client, point):
    """Someone who may change learning points but not add them cannot add one back."""
    user = get_user_model().objects.create_user("test-changer", password="test-password-long-1", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["change_learningpoint", "view_learningpoint"]))
    pk = point.pk
    point.delete()
    client.force_login(user)
    version = LearningPoint.history.filter(id=pk).exclude(history_type="-").latest()
    url = reverse("admin:reviews_learningpoint_simple_history", args=[pk, version.history_id])
    assert client.get(url).status_code == 200
    assert client.post(url, {"text": point.text, "kind": "learning", "source": point.source_id}).status_code == 403
    assert not LearningPoint.objects.filter(pk=pk).exists()


@pytest.mark.parametrize("model", ["learningpoint", "review", "coursepack"])
@pytest.mark.parametrize("odd", ["%C3%BC", "a%00b", "x" * 300, "-1"])
def test_a_history_address_with_an_id_that_is_no_id_is_a_404(client, point, model, odd):
    """simple-history looked such ids up as given and failed with a 500."""
    staff(client, "Editor")
    version = point.history.order_by("history_id").first().history_id
    for url in (f"/admin/reviews/{model}/{odd}/history/", f"/admin/reviews/{model}/{point.pk}/history/{odd}/"):
        assert client.get(url).status_code == 404, url
    # Real ids still work.
    url = reverse("admin:reviews_learningpoint_simple_history", args=[point.pk, version])
    assert client.get(url).status_code == 200

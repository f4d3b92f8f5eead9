"""Who may do what: the public, non-staff users, Editors (with and without
the publish permission), Trainers, superusers; and the login lock-out."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import escape

from reviews.models import LearningPoint, PublicationStatus, ReflectionQuestion, Review

from .support.admin import admin_form_data
from .support.factories import PASSWORD, make_learning_point, make_review, make_source, make_user

pytestmark = pytest.mark.django_db

CONTENT_MODELS = [
    "partnership",
    "source",
    "resource",
    "theme",
    "themealias",
    "collection",
    "review",
    "casefact",
    "learningpoint",
    "recommendation",
    "action",
    "section",
    "themeframework",
    "nationaltheme",
    "themenationallink",
    "themeguide",
    "guideclaim",
]


def without_publishing(user):
    """An Editor whose account is denied publishing: a group copying Editor's
    permissions except ``publish_review``."""
    group = Group.objects.create(name="Test editors who may not publish")
    group.permissions.set(Group.objects.get(name="Editor").permissions.exclude(codename="publish_review"))
    user.groups.set([group])
    return get_user_model().objects.get(pk=user.pk)  # fresh permission cache


@pytest.fixture
def draft():
    source = make_source(status=PublicationStatus.DRAFT)
    review = make_review(status=PublicationStatus.DRAFT)
    review.sources.add(source)
    make_learning_point(review=review, source=source, text="Test draft learning point.")
    return review


def codenames(group_name):
    return set(Group.objects.get(name=group_name).permissions.values_list("content_type__app_label", "codename"))


# ---------------------------------------------------------------------------
# The groups created by the migration
# ---------------------------------------------------------------------------


def test_editor_may_add_change_delete_and_publish_content_but_not_manage_accounts():
    granted = codenames("Editor")
    for model in CONTENT_MODELS:
        for action in ("add", "change", "delete", "view"):
            assert ("reviews", f"{action}_{model}") in granted
    assert ("reviews", "publish_review") in granted
    assert not {perm for perm in granted if perm[0] in ("auth", "axes", "contenttypes", "sessions", "taggit")}


def test_trainer_may_read_content_but_not_change_it():
    granted = codenames("Trainer")
    for model in CONTENT_MODELS:
        assert ("reviews", f"view_{model}") in granted
        assert ("reviews", f"change_{model}") not in granted
    assert ("reviews", "publish_review") not in granted


def test_the_publish_permission_exists_on_reviews():
    permission = Permission.objects.get(codename="publish_review")
    assert permission.content_type.model == "review"


# ---------------------------------------------------------------------------
# The public and non-staff users
# ---------------------------------------------------------------------------


ADMIN_PAGES = [
    lambda review: reverse("admin:index"),
    lambda review: reverse("admin:reviews_review_changelist"),
    lambda review: reverse("admin:reviews_review_change", args=[review.pk]),
    lambda review: reverse("admin:reviews_review_history", args=[review.pk]),
    lambda review: reverse("admin:reviews_review_add"),
    lambda review: reverse("admin:reviews_review_import"),
    lambda review: reverse("admin:reviews_learningpoint_changelist"),
    lambda review: reverse("admin:reviews_learningpoint_recover"),
    lambda review: reverse("admin:reviews_review_tag_suggestions"),
    lambda review: reverse("admin:reviews_review_tags_box_script"),
    lambda review: reverse("admin:taggit_tag_changelist"),
]


@pytest.mark.parametrize("who", ["anonymous", "non-staff"])
def test_the_public_cannot_read_drafts(client, draft, who):
    if who == "non-staff":
        client.force_login(make_user("test-reader", staff=False))
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(draft.sources.get().get_absolute_url()).status_code == 404
    point = draft.learning_points.get()
    assert client.get(point.get_permalink()).status_code == 404
    assert "Test draft learning point." not in client.get("/").content.decode()


@pytest.mark.parametrize("who", ["anonymous", "non-staff"])
@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_nobody_but_staff_reaches_the_admin(client, draft, who, page):
    if who == "non-staff":
        client.force_login(make_user("test-reader", staff=False))
    url = page(draft)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("who", ["anonymous", "non-staff"])
def test_the_public_cannot_change_or_publish_anything(client, draft, who):
    if who == "non-staff":
        client.force_login(make_user("test-reader", staff=False))
    change = reverse("admin:reviews_review_change", args=[draft.pk])
    client.post(change, {"title": "Test hijacked", "_publish": "1"})
    client.post(
        reverse("admin:reviews_review_changelist"),
        {"action": "publish_selected", "_selected_action": [draft.pk]},
    )
    client.post(reverse("admin:reviews_review_delete", args=[draft.pk]), {"post": "yes"})
    review = Review.objects.get(pk=draft.pk)
    assert review.title != "Test hijacked" and review.status == PublicationStatus.DRAFT


def test_a_non_staff_user_cannot_sign_in_to_the_admin(client):
    make_user("test-reader", staff=False)
    response = client.post(reverse("admin:login"), {"username": "test-reader", "password": PASSWORD})
    assert response.status_code == 200
    assert "staff account" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_staff_in_no_group_see_nothing_to_edit(client, draft):
    client.force_login(make_user("test-staff"))
    index = client.get(reverse("admin:index"))
    assert "You don’t have permission to view or edit anything." in index.content.decode()
    assert client.get(reverse("admin:reviews_review_change", args=[draft.pk])).status_code == 403
    assert client.get(reverse("admin:reviews_review_import")).status_code == 403


# ---------------------------------------------------------------------------
# Editors
# ---------------------------------------------------------------------------


def test_an_editor_cannot_manage_users_or_groups(client):
    client.force_login(make_user("test-editor", groups=["Editor"]))
    for url in (
        reverse("admin:auth_user_changelist"),
        reverse("admin:auth_user_add"),
        reverse("admin:auth_group_changelist"),
        reverse("admin:auth_group_add"),
    ):
        assert client.get(url).status_code == 403, url
    client.post(reverse("admin:auth_user_add"), {"username": "test-new", "password1": PASSWORD, "password2": PASSWORD})
    assert not get_user_model().objects.filter(username="test-new").exists()
    assert "Authentication and Authorization" not in client.get(reverse("admin:index")).content.decode()


def test_an_editor_can_publish(client, draft):
    client.force_login(make_user("test-editor", groups=["Editor"]))
    page = client.get(reverse("admin:reviews_review_change", args=[draft.pk])).content.decode()
    assert 'name="_publish"' in page
    changelist = client.get(reverse("admin:reviews_review_changelist")).content.decode()
    assert 'value="publish_selected"' in changelist
    client.post(
        reverse("admin:reviews_review_changelist"),
        {"action": "publish_selected", "_selected_action": [draft.pk]},
    )
    assert Review.objects.get(pk=draft.pk).status == PublicationStatus.PUBLISHED


def test_an_editor_without_the_publish_permission_edits_but_cannot_publish(client, draft):
    """Decision: publishing is separate from editing. Such an editor can change
    the draft, but sees no publish button or action, cannot publish by posting
    the button anyway, and cannot set the status in the form (it is read-only
    for everyone: publishing goes through the one service)."""
    user = without_publishing(make_user("test-junior", groups=["Editor"]))
    assert user.has_perm("reviews.change_review") and not user.has_perm("reviews.publish_review")
    client.force_login(user)
    url = reverse("admin:reviews_review_change", args=[draft.pk])
    page = client.get(url)
    assert 'name="_publish"' not in page.content.decode()
    assert "status" not in page.context["adminform"].form.fields
    changelist = client.get(reverse("admin:reviews_review_changelist")).content.decode()
    assert "publish_selected" not in changelist
    client.post(
        reverse("admin:reviews_review_changelist"),
        {"action": "publish_selected", "_selected_action": [draft.pk]},
    )
    assert Review.objects.get(pk=draft.pk).status == PublicationStatus.DRAFT
    assert client.post(url, admin_form_data(client, url, title="Test edited", _publish="1")).status_code == 403
    assert Review.objects.get(pk=draft.pk).status == PublicationStatus.DRAFT
    response = client.post(url, admin_form_data(client, url, title="Test edited", status="published"))
    assert response.status_code == 302
    review = Review.objects.get(pk=draft.pk)
    assert review.title == "Test edited" and review.status == PublicationStatus.DRAFT


# ---------------------------------------------------------------------------
# Trainers
# ---------------------------------------------------------------------------


def test_a_trainer_can_read_and_see_history_but_not_change(client, draft):
    client.force_login(make_user("test-trainer", groups=["Trainer"]))
    url = reverse("admin:reviews_review_change", args=[draft.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert 'name="_publish"' not in page.content.decode()
    history = client.get(reverse("admin:reviews_review_history", args=[draft.pk]))
    assert history.status_code == 200 and history.context["revert_disabled"]
    assert client.post(url, {"title": "Test changed"}).status_code == 403
    point = draft.learning_points.get()
    assert (
        client.post(
            reverse("admin:reviews_learningpoint_change", args=[point.pk]), {"text": "Test changed"}
        ).status_code
        == 403
    )
    assert LearningPoint.objects.get(pk=point.pk).text == "Test draft learning point."
    assert client.get(reverse("admin:reviews_review_import")).status_code == 403
    # Tags: suggested to a trainer reading a review; the tag library is not theirs.
    assert client.get(reverse("admin:reviews_review_tag_suggestions")).status_code == 200
    assert client.get(reverse("admin:taggit_tag_changelist")).status_code == 403


def test_a_trainer_can_read_reflection_questions_but_not_change_them(client):
    """They print on every public briefing: Editors set them, not Trainers (migration 0016)."""
    question = ReflectionQuestion.objects.general().first()
    client.force_login(make_user("test-trainer", groups=["Trainer"]))
    changelist = client.get(reverse("admin:reviews_reflectionquestion_changelist"))
    assert changelist.status_code == 200 and escape(question.text) in changelist.content.decode()
    add = reverse("admin:reviews_reflectionquestion_add")
    assert client.get(add).status_code == 403
    question_data = {"text": "Test: a trainer's question?", "position": 1, "is_active": "on"}
    assert client.post(add, question_data).status_code == 403
    change = reverse("admin:reviews_reflectionquestion_change", args=[question.pk])
    page = client.get(change)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.post(change, {"text": "Test: changed?", "position": 1, "is_active": "on"}).status_code == 403
    delete = reverse("admin:reviews_reflectionquestion_delete", args=[question.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert ReflectionQuestion.objects.get(pk=question.pk).text == question.text
    assert not ReflectionQuestion.objects.filter(text__startswith="Test:").exists()


def test_an_editor_can_still_set_reflection_questions(client):
    granted = codenames("Editor")
    for action in ("add", "change", "delete", "view"):
        assert ("reviews", f"{action}_reflectionquestion") in granted
    client.force_login(make_user("test-editor", groups=["Editor"]))
    add = reverse("admin:reviews_reflectionquestion_add")
    response = client.post(add, {"text": "Test: an editor's question?", "position": 9, "is_active": "on"})
    assert response.status_code == 302
    assert ReflectionQuestion.objects.filter(text="Test: an editor's question?", theme=None).exists()


def test_a_superuser_can_manage_accounts(client):
    client.force_login(make_user("test-admin", superuser=True))
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 200


# ---------------------------------------------------------------------------
# Passwords and the lock-out
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("password", ["short-1", "password1234", "123456789012", "test-editor-1"])
def test_weak_passwords_are_refused(password):
    user = get_user_model()(username="test-editor-1")
    with pytest.raises(ValidationError):
        validate_password(password, user)


def test_client_login_works_when_given_the_request_axes_needs(client):
    make_user("test-editor", groups=["Editor"])
    assert client.login(username="test-editor", password=PASSWORD, request=HttpRequest())
    assert client.get(reverse("admin:index")).status_code == 200


def test_repeated_failed_sign_ins_lock_the_account_out_from_that_address(client, settings):
    make_user("test-editor", groups=["Editor"])
    login = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(login, {"username": "test-editor", "password": "wrong-password"})
        assert response.status_code == 200  # the ordinary "incorrect password" form
    locked = client.post(login, {"username": "test-editor", "password": "wrong-password"})
    assert locked.status_code == 429
    assert "Signing in is paused" in locked.content.decode()
    # Even the right password is refused now, with the same explanation.
    right = client.post(login, {"username": "test-editor", "password": PASSWORD})
    assert right.status_code == 429 and "_auth_user_id" not in client.session
    # Another user name from the same address is not affected.
    make_user("test-other-editor", groups=["Editor"])
    other = client.post(login, {"username": "test-other-editor", "password": PASSWORD})
    assert other.status_code == 302


def test_a_successful_sign_in_resets_the_failure_count(client, settings):
    make_user("test-editor", groups=["Editor"])
    login = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(login, {"username": "test-editor", "password": "wrong-password"})
    assert client.post(login, {"username": "test-editor", "password": PASSWORD}).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(login, {"username": "test-editor", "password": "wrong-password"}).status_code == 200

"""The admin home for each role: what it lists, and the site-wide screens
(accounts, sign-in lock-outs, the tag library) only whoever manages accounts reaches."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from .support.factories import make_user

pytestmark = pytest.mark.django_db

CONTENT_SECTIONS = ["Reviews and what they say", "Themes", "Briefings, partnerships and resources", "Training"]
# Each site-wide screen: its address, and words only its home section shows.
SITE_SCREENS = {
    "admin:auth_user_changelist": "Accounts and groups",
    "admin:auth_user_add": "Accounts and groups",
    "admin:auth_group_changelist": "Accounts and groups",
    "admin:axes_accessattempt_changelist": "Sign-in attempts and lock-outs",
    "admin:axes_accessfailurelog_changelist": "Sign-in attempts and lock-outs",
    "admin:axes_accesslog_changelist": "Sign-in attempts and lock-outs",
    "admin:taggit_tag_changelist": "Tag library",
    "admin:taggit_tag_add": "Tag library",
}
SITE_APP_INDEXES = ["auth", "axes", "taggit"]
MACHINERY_WORDS = ["Authentication and Authorization", "Taggit", "Axes", "Access attempts", "Access failures", "Users"]


def home(client, user):
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return response.content.decode()


def user_for(role):
    if role == "superuser":
        return make_user("test-admin", superuser=True)
    return make_user(f"test-{role.lower()}", groups=[role])


@pytest.mark.parametrize("role", ["Editor", "Trainer"])
def test_editors_and_trainers_see_only_content_on_their_home(client, role):
    page = home(client, user_for(role))
    for section in CONTENT_SECTIONS:
        assert f"<caption>{section}<" in page, section
    for words in MACHINERY_WORDS:
        assert words not in page, words
    assert "Managing the site" not in page
    assert reverse("admin:reviews_review_changelist") in page
    assert reverse("admin:reviews_coursepack_changelist") in page


def test_an_editors_home_offers_the_import_and_adding_content(client):
    page = home(client, user_for("Editor"))
    assert f'href="{reverse("admin:reviews_review_import")}"' in page and "Import a briefing" in page
    assert reverse("admin:reviews_review_add") in page
    assert reverse("admin:reviews_learningpoint_add") in page


def test_a_trainers_home_offers_course_packs_to_build_and_content_to_read(client):
    page = home(client, user_for("Trainer"))
    assert reverse("admin:reviews_coursepack_add") in page
    assert reverse("admin:reviews_review_add") not in page
    assert "Import a briefing" not in page


@pytest.mark.parametrize("role", ["Editor", "Trainer"])
@pytest.mark.parametrize("name", SITE_SCREENS)
def test_editors_and_trainers_cannot_reach_the_site_wide_screens(client, role, name):
    client.force_login(user_for(role))
    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("role", ["Editor", "Trainer"])
@pytest.mark.parametrize("app_label", SITE_APP_INDEXES)
def test_editors_and_trainers_find_no_site_wide_app_page(client, role, app_label):
    client.force_login(user_for(role))
    # Django answers an app its user may see nothing of as a page that does not exist.
    assert client.get(reverse("admin:app_list", args=[app_label])).status_code == 404


@pytest.mark.parametrize("name", ["admin:auth_user_changelist", "admin:taggit_tag_changelist"])
def test_anonymous_visitors_are_sent_to_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))


def test_a_superuser_sees_content_first_then_managing_the_site(client):
    page = home(client, user_for("superuser"))
    assert page.index("Reviews and what they say") < page.index("Managing the site")
    for heading in ("Accounts and groups", "Sign-in attempts and lock-outs", "Tag library"):
        assert page.index("Managing the site") < page.index(heading)
    for name in SITE_SCREENS:
        assert client.get(reverse(name)).status_code == 200, name


def test_someone_given_the_account_permissions_manages_accounts_without_being_a_superuser(client):
    user = make_user("test-accounts", groups=["Editor"])
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="auth", codename__in=["view_user", "change_user"])
    )
    user = type(user).objects.get(pk=user.pk)  # fresh permission cache
    page = home(client, user)
    assert "Managing the site" in page and "Accounts and groups" in page
    assert "Tag library" not in page  # a permission of its own
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 200


def test_staff_in_no_group_are_told_who_to_ask(client):
    page = home(client, make_user("test-staff"))
    assert "You don’t have permission to view or edit anything." in page
    assert "Editor or Trainer group" in page

"""A slug that changes never breaks a link: old addresses answer 301."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews.models import OldSlug, PublicationStatus, Review

from .support.factories import make_public_partnership, make_public_theme, make_review, make_source

pytestmark = pytest.mark.django_db


def rename(obj, slug):
    obj.slug = slug
    obj.save()
    return obj


@pytest.mark.parametrize(
    "make, prefix",
    [
        (make_review, "/reviews/"),
        (make_public_theme, "/themes/"),
        (make_source, "/sources/"),
        (make_public_partnership, "/partnerships/"),
    ],
)
def test_an_old_slug_answers_301_to_the_new_address(client, make, prefix):
    obj = make(slug="test-old-slug")
    rename(obj, "test-new-slug")
    response = client.get(f"{prefix}test-old-slug/")
    assert response.status_code == 301
    assert response["Location"] == f"{prefix}test-new-slug/"
    assert client.get(response["Location"]).status_code == 200


def test_the_query_string_is_kept(client):
    rename(make_public_theme(slug="test-old-theme"), "test-new-theme")
    response = client.get("/themes/test-old-theme/?page=2&sort=year")
    assert response.status_code == 301
    assert response["Location"] == "/themes/test-new-theme/?page=2&sort=year"


def test_every_earlier_slug_leads_straight_to_the_current_one(client):
    theme = make_public_theme(slug="test-first")
    rename(theme, "test-second")
    rename(theme, "test-third")
    for old in ("test-first", "test-second"):
        assert client.get(f"/themes/{old}/")["Location"] == "/themes/test-third/"


def test_going_back_to_an_earlier_slug_makes_it_live_again(client):
    theme = make_public_theme(slug="test-a")
    rename(theme, "test-b")
    rename(theme, "test-a")
    assert list(OldSlug.objects.for_object(theme).values_list("slug", flat=True)) == ["test-b"]
    assert client.get("/themes/test-a/").status_code == 200
    assert client.get("/themes/test-b/")["Location"] == "/themes/test-a/"


def test_a_slug_taken_by_another_page_shows_that_page(client):
    first = rename(make_public_theme(slug="test-shared"), "test-first-renamed")
    second = make_public_theme(slug="test-shared")
    response = client.get("/themes/test-shared/")
    assert response.status_code == 200
    assert second.name in response.content.decode()
    assert first.name not in response.content.decode()


def test_a_draft_review_is_not_revealed_by_its_old_address(client):
    review = rename(make_review(slug="test-draft-old", status=PublicationStatus.DRAFT), "test-draft-new")
    assert client.get("/reviews/test-draft-old/").status_code == 404
    staff = get_user_model().objects.create_user("test-staff", password="test-password-long-1", is_staff=True)
    client.force_login(staff)
    assert client.get("/reviews/test-draft-old/")["Location"] == review.get_absolute_url()


def test_a_deleted_page_leaves_no_redirect(client):
    theme = rename(make_public_theme(slug="test-gone-old"), "test-gone-new")
    theme.delete()
    assert not OldSlug.objects.filter(slug="test-gone-old").exists()
    assert client.get("/themes/test-gone-old/").status_code == 404


def test_unknown_slugs_and_other_pages_still_404(client):
    assert client.get("/themes/test-never-existed/").status_code == 404
    assert client.get("/no-such-page/").status_code == 404


def test_only_get_and_head_are_redirected(client):
    rename(make_public_theme(slug="test-post-old"), "test-post-new")
    assert client.head("/themes/test-post-old/").status_code == 301
    assert client.post("/themes/test-post-old/").status_code in (404, 405)


def test_saving_without_changing_the_slug_records_nothing():
    review = make_review()
    review.title = "Test review renamed"
    review.save()
    assert not OldSlug.objects.exists()


def test_renaming_in_the_admin_records_the_old_slug(admin_client):
    review = make_review(slug="test-admin-old", status=PublicationStatus.DRAFT)
    url = reverse("admin:reviews_review_change", args=[review.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "sources"}
    data.update(
        {
            "slug": "test-admin-new",
            "tags": "",
            "sources": [],
            **{
                f"{prefix}-{key}": value
                for prefix in ("case_facts", "learning_points", "recommendations")
                for key, value in (("TOTAL_FORMS", 0), ("INITIAL_FORMS", 0))
            },
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Review.objects.get(pk=review.pk).slug == "test-admin-new"
    assert OldSlug.objects.get().slug == "test-admin-old"


def test_a_normal_page_costs_no_query_for_redirects(client):
    """The middleware only acts on 404s, so a page found costs what it cost before."""
    theme = make_public_theme()
    rename(make_public_theme(slug="test-other-old"), "test-other-new")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(theme.get_absolute_url()).status_code == 200
    assert not any("reviews_oldslug" in query["sql"] for query in queries.captured_queries)


@pytest.fixture
def renamed_pack():
    from reviews.models import CoursePack

    pack = CoursePack.objects.create(slug="test-pack-old", title="Test pack", status=PublicationStatus.PUBLISHED)
    return rename(pack, "test-pack-new")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/courses/test-pack-old/", "/courses/test-pack-new/"),
        ("/courses/test-pack-old/print/", "/courses/test-pack-new/print/"),
        ("/courses/test-pack-old/export.md", "/courses/test-pack-new/export.md"),
        ("/courses/test-pack-old/export.csv", "/courses/test-pack-new/export.csv"),
    ],
)
def test_a_renamed_course_pack_keeps_its_page_handout_and_exports(client, renamed_pack, old, new):
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == new
    assert client.get(new).status_code == 200


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/reviews/test-old-slug/print/", "/reviews/test-new-slug/print/"),
        ("/themes/test-old-slug/print/", "/themes/test-new-slug/print/"),
        ("/embed/theme/test-old-slug/", "/embed/theme/test-new-slug/"),
    ],
)
def test_sub_pages_of_a_renamed_page_follow_it(client, old, new):
    make = make_review if old.startswith("/reviews/") else make_public_theme
    rename(make(slug="test-old-slug"), "test-new-slug")
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == new


def test_a_draft_course_pack_is_not_revealed_by_its_old_address(client):
    from reviews.models import CoursePack

    pack = rename(CoursePack.objects.create(slug="test-draft-pack-old", title="Test draft pack"), "test-draft-pack-new")
    assert client.get("/courses/test-draft-pack-old/").status_code == 404
    staff = get_user_model().objects.create_user("test-staff", password="test-password-long-1", is_staff=True)
    client.force_login(staff)
    assert client.get("/courses/test-draft-pack-old/")["Location"] == pack.get_absolute_url()

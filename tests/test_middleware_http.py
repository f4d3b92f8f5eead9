"""The methods each part of the site answers, and no caching of what signed-in staff see."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from reviews.models import PublicationStatus

from .support.factories import make_learning_point, make_review, make_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def review():
    review = make_review(title="Test published review")
    make_learning_point(review=review)
    return review


def public_pages(review):
    return [
        "/",
        review.get_absolute_url(),
        reverse("reviews:review-print", kwargs={"slug": review.slug}),
        "/search/?q=test",
        "/feeds/reviews.atom",
        "/sitemap.xml",
        "/reviews/test-no-such-review/",
    ]


@pytest.mark.parametrize("method", ["TRACE", "OPTIONS", "PUT", "DELETE", "PATCH", "PROPFIND", "BREW"])
def test_pages_answer_only_get_and_head(review, method):
    client = Client(enforce_csrf_checks=True)
    for url in public_pages(review):
        response = client.generic(method, url)
        assert response.status_code == 405, (method, url)
        assert response["Allow"] == "GET, HEAD"
        assert review.title not in response.content.decode()


def test_a_post_to_a_page_is_405_not_a_csrf_failure(review):
    response = Client(enforce_csrf_checks=True).post(review.get_absolute_url(), {"q": "test"})
    assert response.status_code == 405
    assert response.content.decode() == "This address answers GET and HEAD requests only.\n"


def test_get_and_head_still_work(client, review):
    for url in public_pages(review)[:-1]:
        assert client.get(url).status_code == 200, url
        assert client.head(url).status_code == 200, url


@pytest.mark.parametrize("method", ["TRACE", "PUT", "DELETE", "BREW"])
def test_the_admin_answers_get_head_and_post_only(method):
    client = Client(enforce_csrf_checks=True)
    client.force_login(get_user_model().objects.create_user("test-editor", is_staff=True))
    for url in (reverse("admin:index"), reverse("admin:reviews_review_changelist"), reverse("admin:login")):
        response = client.generic(method, url)
        assert response.status_code == 405, (method, url)
        assert response["Allow"] == "GET, HEAD, POST"


def test_the_api_keeps_its_own_json_405(client):
    response = client.generic("TRACE", reverse("reviews:api-list", kwargs={"endpoint": "reviews"}))
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"
    assert response["Allow"] == "GET, HEAD"


# ---------------------------------------------------------------------------
# Cache-Control for staff
# ---------------------------------------------------------------------------


def directives(response):
    return {part.strip().split("=")[0] for part in response.get("Cache-Control", "").split(",") if part.strip()}


@pytest.fixture
def staff_client(client):
    editor = get_user_model().objects.create_user("test-editor", is_staff=True)
    editor.groups.set(Group.objects.filter(name="Editor"))
    client.force_login(editor)
    return client


@pytest.fixture
def draft():
    source = make_source(status=PublicationStatus.DRAFT)
    review = make_review(title="Test draft review", status=PublicationStatus.DRAFT)
    review.sources.add(source)
    make_learning_point(review=review, source=source)
    return review


def test_staff_views_of_drafts_are_never_stored(staff_client, draft):
    urls = [
        draft.get_absolute_url(),
        draft.sources.get().get_absolute_url(),
        reverse("reviews:review-print", kwargs={"slug": draft.slug}),
        reverse("reviews:review-index"),
        "/search/?q=test",
        reverse("admin:reviews_review_change", args=[draft.pk]),
        reverse("admin:reviews_review_changelist"),
    ]
    for url in urls:
        response = staff_client.get(url)
        assert response.status_code == 200, url
        assert {"private", "no-store"} <= directives(response), url
        assert "public" not in directives(response)
    assert "Draft" in staff_client.get(draft.get_absolute_url()).content.decode()


def test_the_publics_pages_are_left_cacheable(client, review):
    response = client.get(review.get_absolute_url())
    assert not {"private", "no-store"} & directives(response)


# ---------------------------------------------------------------------------
# Admin input Django's admin cannot read
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["_to_field=", "_to_field=%20", "q=a%00b", "status__exact=%00", "a%00b=1"],
)
def test_admin_input_it_cannot_read_is_a_400(staff_client, draft, query):
    """A blank _to_field was a 500 on every change page; a NUL reached PostgreSQL."""
    for url in (
        reverse("admin:reviews_review_change", args=[draft.pk]),
        reverse("admin:reviews_review_changelist"),
        reverse("admin:taggit_tag_changelist"),
    ):
        assert staff_client.get(f"{url}?{query}").status_code == 400, url


def test_a_nul_in_an_admin_form_is_a_400(staff_client, draft):
    url = reverse("admin:reviews_review_changelist")
    response = staff_client.post(url, {"action": "delete_selected", "_selected_action": ["a\x00b"]})
    assert response.status_code == 400

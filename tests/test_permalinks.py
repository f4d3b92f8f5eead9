"""Permanent short links: /lp/, /rec/, /act/, /r/, /t/ and /c/ (issue 7)."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from reviews.models import (
    Action,
    CoursePack,
    LearningPoint,
    PublicationStatus,
    Recommendation,
    Review,
    Theme,
)

from .conftest import (
    make_action,
    make_learning_point,
    make_partnership,
    make_recommendation,
    make_review,
    make_source,
    make_theme,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(db):
    user = get_user_model().objects.create_user("test-editor", password="test-password-123", is_staff=True)
    staff = Client()
    staff.force_login(user)
    return staff


def _items(review):
    point = make_learning_point(review=review)
    recommendation = make_recommendation(review=review)
    action = make_action(recommendation=recommendation)
    return point, recommendation, action


def test_every_kind_of_permalink_redirects_to_its_anchor(client):
    review = make_review()
    point, recommendation, action = _items(review)
    theme = make_theme()
    pack = CoursePack.objects.create(slug="test-pack", title="Test pack", status=PublicationStatus.PUBLISHED)
    expected = {
        point.get_permalink(): f"/reviews/{review.slug}/#lp-{point.ref}",
        recommendation.get_permalink(): f"/reviews/{review.slug}/#rec-{recommendation.ref}",
        action.get_permalink(): f"/reviews/{review.slug}/#act-{action.ref}",
        review.get_permalink(): f"/reviews/{review.slug}/",
        theme.get_permalink(): f"/themes/{theme.slug}/",
        pack.get_permalink(): "/courses/test-pack/",
    }
    assert [link.split("/")[1] for link in expected] == ["lp", "rec", "act", "r", "t", "c"]
    for link, target in expected.items():
        response = client.get(link)
        assert response.status_code == 302, link
        assert response["Location"] == target


def test_a_cross_cutting_learning_point_links_to_its_source(client):
    source = make_source()
    point = make_learning_point(review=None, source=source)
    response = client.get(point.get_permalink())
    assert response.status_code == 302
    assert response["Location"] == f"/sources/{source.slug}/#lp-{point.ref}"


def test_renamed_review_old_links_land_on_the_right_anchor(client):
    review = make_review(slug="test-old-slug", title="Test review before renaming")
    point, recommendation, action = _items(review)
    links = [point.get_permalink(), recommendation.get_permalink(), action.get_permalink(), review.get_permalink()]

    review.slug = "test-new-slug"
    review.title = "Test review after renaming"
    review.save()

    targets = [client.get(link)["Location"] for link in links]
    assert targets == [
        f"/reviews/test-new-slug/#lp-{point.ref}",
        f"/reviews/test-new-slug/#rec-{recommendation.ref}",
        f"/reviews/test-new-slug/#act-{action.ref}",
        "/reviews/test-new-slug/",
    ]


def test_an_item_moved_to_another_review_follows_it(client):
    first, second = make_review(), make_review()
    point = make_learning_point(review=first)
    point.review = second
    point.save()
    assert client.get(point.get_permalink())["Location"] == f"/reviews/{second.slug}/#lp-{point.ref}"


@pytest.mark.parametrize("kind", ["learning-point", "recommendation", "action", "review", "theme"])
def test_deleted_items_answer_410_with_an_explanation(client, kind):
    review = make_review()
    point, recommendation, action = _items(review)
    obj = {
        "learning-point": point,
        "recommendation": recommendation,
        "action": action,
        "review": review,
        "theme": make_theme(),
    }[kind]
    link = obj.get_permalink()
    obj.delete()
    response = client.get(link)
    assert response.status_code == 410
    label = kind.replace("-", " ")
    assert f"This {label} has been removed" in response.content.decode()


def test_a_deleted_entry_points_to_its_review_when_that_still_exists(client):
    review = make_review(title="Test review with a removed entry")
    point = make_learning_point(review=review)
    link = point.get_permalink()
    point.delete()
    page = client.get(link).content.decode()
    assert "It was part of" in page
    assert f'href="{review.get_absolute_url()}"' in page


def test_entries_deleted_with_their_review_answer_410(client):
    review = make_review()
    point, recommendation, action = _items(review)
    links = [point.get_permalink(), recommendation.get_permalink(), action.get_permalink()]
    review.delete()
    assert [client.get(link).status_code for link in links] == [410, 410, 410]


def test_unknown_ids_answer_404(client):
    for name in ("learning-point", "recommendation", "action", "review", "theme", "coursepack"):
        assert client.get(reverse(f"reviews:{name}-permalink", kwargs={"pk": 999999})).status_code == 404


def test_drafts_answer_404_to_the_public_and_redirect_staff(client, staff_client):
    review = make_review(status=PublicationStatus.DRAFT)
    point, recommendation, action = _items(review)
    pack = CoursePack.objects.create(slug="test-draft-pack", title="Test draft pack")
    links = [point.get_permalink(), recommendation.get_permalink(), action.get_permalink()]
    links += [review.get_permalink(), pack.get_permalink()]
    assert [client.get(link).status_code for link in links] == [404] * 5
    assert [staff_client.get(link).status_code for link in links] == [302] * 5


def test_a_permalink_takes_a_fixed_number_of_queries(client, django_assert_num_queries):
    review = make_review()
    point = make_learning_point(review=review)
    # Session-less anonymous request: one query for the item with its review and source.
    with django_assert_num_queries(1):
        assert client.get(point.get_permalink()).status_code == 302


def test_models_and_short_links_agree():
    """The permalink kinds cover every model the issue names, and nothing else."""
    from reviews.views.permalinks import PERMALINK_MODELS

    models = {model for model, _label in PERMALINK_MODELS.values()}
    assert models == {LearningPoint, Recommendation, Action, Review, Theme, CoursePack}


# ---------------------------------------------------------------------------
# 'Cite this'
# ---------------------------------------------------------------------------


def test_citation_of_an_entry_names_title_board_date_address_and_access_date():
    import datetime

    from reviews.citations import citation_for

    partnership = make_partnership(name="Test Safeguarding Partnership 77")
    review = make_review(
        title="Test review 77",
        partnership=partnership,
        published_on=datetime.date(2019, 9, 1),
        published_precision="month",
    )
    recommendation = make_recommendation(review=review, number="3")
    citation = citation_for(
        recommendation, absolute_url="https://kb.example.org/rec/5/", accessed=datetime.date(2025, 5, 4)
    )
    assert (citation.title, citation.board, citation.date) == (
        "Test review 77: recommendation 3",
        "Test Safeguarding Partnership 77",
        "September 2019",
    )
    assert citation.text == (
        "Test Safeguarding Partnership 77 (September 2019) Test review 77: recommendation 3. "
        "Learning from case reviews. Available at: https://kb.example.org/rec/5/ (Accessed: 4 May 2025)."
    )


def test_citation_never_invents_a_board_or_a_date():
    import datetime

    from reviews.citations import citation_for

    source = make_source(title="Test newsletter", publisher_as_stated="The Test Board (not named)")
    point = make_learning_point(review=None, source=source)
    citation = citation_for(point, absolute_url="https://kb.example.org/lp/1/", accessed=datetime.date(2025, 1, 2))
    assert citation.board == "The Test Board (not named)"
    assert citation.date == ""
    assert "(n.d.) Test newsletter: learning point." in citation.text
    theme = citation_for(make_theme(name="Test theme 77"), absolute_url="https://kb.example.org/t/1/")
    assert theme.text.startswith("Learning from case reviews (n.d.) Test theme 77 [theme]. Available at:")


def test_review_page_has_cite_this_on_the_review_and_every_entry(client):
    from django.utils import timezone

    partnership = make_partnership(name="Test Safeguarding Partnership 78")
    review = make_review(title="Test review 78", partnership=partnership)
    point, recommendation, action = _items(review)
    page = client.get(review.get_absolute_url()).content.decode()
    assert page.count(">Cite this<") == 4
    for item in (review, point, recommendation, action):
        assert f"http://testserver{item.get_permalink()}" in page
    assert "Test Safeguarding Partnership 78" in page
    today = timezone.localdate()
    assert f"(Accessed: {today.day} {today.strftime('%B %Y')})" in page
    assert f'href="{reverse("reviews:review-print", kwargs={"slug": review.slug})}"' in page


def test_theme_page_offers_the_briefing_a_citation_and_oembed_discovery(client):
    theme = make_theme(name="Test theme 79")
    make_learning_point(review=make_review(partnership=make_partnership()), themes=[theme])
    page = client.get(theme.get_absolute_url()).content.decode()
    assert f'href="{reverse("reviews:theme-print", kwargs={"slug": theme.slug})}"' in page
    assert ">Cite this<" in page
    assert (
        '<link rel="alternate" type="application/json+oembed" '
        f'href="http://testserver/oembed/?url=http%3A%2F%2Ftestserver%2Fthemes%2F{theme.slug}%2F&amp;format=json"'
    ) in page

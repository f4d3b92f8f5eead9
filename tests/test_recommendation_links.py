"""Recommendations made again or replaced in later reviews: the link's rules, the admin inline,
what an entry and a theme page say, the API's fields, and that drafts never show through a link."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from reviews.models import PublicationStatus, RecommendationLink
from reviews.selectors.recommendation_links import recurring_on_theme

from .support.admin import admin_form_data
from .support.factories import make_recommendation, make_review, make_theme

pytestmark = pytest.mark.django_db


def _review(year, *, precision="year", month=1, **overrides):
    published_on = datetime.date(year, month, 1) if year else None
    return make_review(
        title=overrides.pop("title", f"Test review of {year or 'no date'}"),
        published_on=published_on,
        published_precision=precision if year else "unknown",
        **overrides,
    )


@pytest.fixture
def chain():
    """The same advice made in 2016, 2018 and 2023, on one theme; the 2023 one replaces the 2018 one."""
    theme = make_theme(name="Test neglect")
    first = make_recommendation(
        review=_review(2016, title="Test review Anna"),
        themes=[theme],
        number="2",
        text="Test recommendation: use the neglect toolkit.",
    )
    second = make_recommendation(
        review=_review(2018, title="Test review Ben"),
        themes=[theme],
        text="Test recommendation: use the neglect toolkit again.",
    )
    third = make_recommendation(
        review=_review(2023, title="Test review Cara"),
        themes=[theme],
        text="Test recommendation: a new neglect strategy.",
    )
    RecommendationLink.objects.create(later=second, earlier=first, relation="repeats", note="Test note: same toolkit.")
    RecommendationLink.objects.create(later=third, earlier=second, relation="replaces")
    return {"theme": theme, "first": first, "second": second, "third": third}


# ---------------------------------------------------------------------------
# The link's rules
# ---------------------------------------------------------------------------


def test_a_recommendation_cannot_repeat_itself():
    recommendation = make_recommendation(review=_review(2016))
    with pytest.raises(IntegrityError, match="recommendationlink_not_to_itself"), transaction.atomic():
        RecommendationLink.objects.create(later=recommendation, earlier=recommendation)


def test_a_pair_is_linked_once_per_relation(chain):
    duplicate = RecommendationLink(later=chain["second"], earlier=chain["first"], relation="repeats")
    with pytest.raises(ValidationError, match="already linked in this way"):
        duplicate.validate_constraints()  # what the admin runs, by the constraint's name
    assert {constraint.name for constraint in RecommendationLink._meta.constraints} >= {
        "recommendationlink_unique_pair_and_relation"
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    # The other relation between the same pair is another statement, so allowed.
    RecommendationLink.objects.create(later=chain["second"], earlier=chain["first"], relation="replaces")


@pytest.mark.parametrize(
    ("earlier", "later", "refused"),
    [
        ((2019, "year", 1), (2016, "year", 1), True),
        ((2018, "month", 3), (2018, "month", 2), True),
        ((2018, "month", 3), (2018, "year", 1), False),  # "March 2018" is not later than "2018"
        ((2018, "year", 1), (2018, "month", 2), False),
        ((2016, "year", 1), (2019, "year", 1), False),
        ((None, "unknown", 1), (2016, "year", 1), False),  # dates not known: nothing to compare
        ((2019, "year", 1), (None, "unknown", 1), False),
    ],
)
def test_the_earlier_one_may_not_be_published_after_the_later_one(earlier, later, refused):
    first = make_recommendation(review=_review(earlier[0], precision=earlier[1], month=earlier[2]))
    second = make_recommendation(review=_review(later[0], precision=later[1], month=later[2]))
    link = RecommendationLink(later=second, earlier=first)
    if refused:
        with pytest.raises(ValidationError, match="after the later one"):
            link.full_clean()
    else:
        link.full_clean()


def test_links_keep_their_history(chain):
    link = RecommendationLink.objects.get(later=chain["second"])
    link.note = "Test note changed."
    link.save()
    assert [record.note for record in link.history.order_by("history_id")] == [
        "Test note: same toolkit.",
        "Test note changed.",
    ]


# ---------------------------------------------------------------------------
# The admin
# ---------------------------------------------------------------------------


def test_editors_add_a_link_from_the_later_recommendation_and_are_recorded_as_its_author(editor_client, chain):
    fourth = make_recommendation(review=_review(2024), text="Test recommendation: the toolkit once more.")
    url = reverse("admin:reviews_recommendation_change", args=[fourth.pk])
    page = editor_client.get(url).content.decode()
    assert "Earlier recommendations it repeats or replaces" in page
    assert 'data-ajax--url="/admin/autocomplete/"' in page  # the earlier one is found by typing
    data = admin_form_data(editor_client, url)
    data.update(
        {
            "earlier_links-TOTAL_FORMS": "1",
            "earlier_links-0-earlier": chain["first"].pk,
            "earlier_links-0-relation": "repeats",
            "earlier_links-0-note": "Test note in our words.",
        }
    )
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    link = RecommendationLink.objects.get(later=fourth)
    assert (link.earlier, link.relation, link.recorded_by) == (chain["first"], "repeats", editor_client.user)
    assert link.history.get().history_user == editor_client.user
    fourth.refresh_from_db()
    assert fourth.text == "Test recommendation: the toolkit once more."  # the briefing's words untouched


def test_the_admin_refuses_a_link_to_a_later_review(editor_client, chain):
    url = reverse("admin:reviews_recommendation_change", args=[chain["first"].pk])
    data = admin_form_data(editor_client, url)
    data.update(
        {
            "earlier_links-TOTAL_FORMS": "1",
            "earlier_links-0-earlier": chain["third"].pk,
            "earlier_links-0-relation": "repeats",
        }
    )
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "after the later one" in response.content.decode()
    assert not RecommendationLink.objects.filter(later=chain["first"]).exists()


def test_trainers_may_read_links_but_not_change_them(chain):
    from .support.factories import make_user

    trainer = make_user("test-trainer", groups=["Trainer"])
    assert trainer.has_perm("reviews.view_recommendationlink")
    assert not trainer.has_perm("reviews.add_recommendationlink")
    editor = make_user("test-editor-2", groups=["Editor"])
    assert editor.has_perm("reviews.add_recommendationlink") and editor.has_perm("reviews.delete_recommendationlink")


# ---------------------------------------------------------------------------
# The public pages and the API
# ---------------------------------------------------------------------------


def test_an_entry_says_where_it_was_made_before_and_again(client, chain):
    page = client.get(chain["second"].review.get_absolute_url()).content.decode()
    assert "This recommendation was made before, in" in page
    assert f'href="{chain["first"].get_absolute_url()}">Test review Anna, recommendation 2</a> (2016)' in page
    assert "It was replaced by a later recommendation, in" in page
    assert ">Test review Cara</a> (2023)" in page
    assert "Test note: same toolkit." in page and "Knowledge base note" in page
    later_page = client.get(chain["third"].review.get_absolute_url()).content.decode()
    assert "It replaces a recommendation made before, in" in later_page and "(2018)" in later_page


def test_the_theme_page_shows_the_chain_with_the_years_as_recorded(client, chain):
    page = client.get(chain["theme"].get_absolute_url()).content.decode()
    block = page[page.index("Recommended more than once") :]
    assert "Recommended in 2016, 2018 and 2023" in block
    assert block.index("Test review Anna") < block.index("Test review Ben") < block.index("Test review Cara")
    assert "replaces the recommendation of Test review Ben" in block
    assert "“Test recommendation: use the neglect toolkit.”" in block


def test_a_review_with_no_publication_date_gives_no_year(client, chain):
    undated = make_recommendation(
        review=_review(
            None, title="Test review Undated", commissioned_on=datetime.date(2017, 1, 1), commissioned_precision="year"
        ),
        themes=[chain["theme"]],
    )
    RecommendationLink.objects.create(later=undated, earlier=chain["third"])
    page = client.get(chain["theme"].get_absolute_url()).content.decode()
    assert "Recommended in 2016, 2018 and 2023, and in 1 review with no publication date recorded" in page
    assert "Test review Undated</a>\n        (publication date not recorded)" in page
    assert "2017" not in page[page.index("Recommended more than once") :].split("Where this came from")[0]


def test_a_theme_without_links_shows_no_block(client):
    theme = make_theme(name="Test lonely theme")
    make_recommendation(review=_review(2020), themes=[theme])
    page = client.get(theme.get_absolute_url()).content.decode()
    assert "Recommended more than once" not in page


def test_a_draft_never_shows_through_a_link(client, staff_client, chain):
    draft = make_recommendation(
        review=_review(2025, title="Test review Secret draft", status=PublicationStatus.DRAFT), themes=[chain["theme"]]
    )
    RecommendationLink.objects.create(later=draft, earlier=chain["third"], note="Test secret note.")
    for url in (
        chain["theme"].get_absolute_url(),
        chain["third"].review.get_absolute_url(),
        "/api/v1/recommendations/",
        reverse("reviews:api-recommendation-detail", kwargs={"pk": chain["third"].pk}),
    ):
        body = client.get(url).content.decode()
        assert "Secret" not in body and "secret" not in body, url
    assert "Recommended in 2016, 2018 and 2023</h3>" in client.get(chain["theme"].get_absolute_url()).content.decode()
    # Staff see drafts on the public pages, labelled.
    assert "Test review Secret draft" in staff_client.get(chain["theme"].get_absolute_url()).content.decode()
    chains = recurring_on_theme(chain["theme"], None)
    assert [len(found.members) for found in chains] == [3]


def test_recommendation_records_carry_their_links(client, chain):
    record = client.get(reverse("reviews:api-recommendation-detail", kwargs={"pk": chain["second"].pk})).json()
    assert record["recommendation_links_are_editorial"] is True
    [before] = record["made_before"]
    assert (before["id"], before["relation"], before["year_published"]) == (chain["first"].pk, "repeats", 2016)
    assert before["review_title"] == "Test review Anna" and before["note"] == "Test note: same toolkit."
    [again] = record["made_again"]
    assert (again["id"], again["relation"], again["year_published"]) == (chain["third"].pk, "replaces", 2023)

"""The gentle checklist (has an owner? a date? something measurable?) on recommendations and actions:
its reading of the words, its panel on the admin's change pages (never blocking a save, never changing
the words), and the board view's shares and CSV columns."""

import csv
import io

import pytest
from django.urls import reverse

from reviews.models import Action, Agency, Recommendation
from reviews.tracker.quality import (
    action_checklist,
    checklist_shares,
    date_phrases,
    looks_measurable,
    recommendation_checklist,
    recommendations_checked,
)

from .support.admin import admin_form_data
from .support.factories import make_action, make_recommendation, make_review

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The board will audit cases by March 2021.", ["by March 2021"]),
        ("Agencies to review practice later this year.", ["later this year"]),
        ("Within six months, agencies should share the plan.", ["Within six months"]),
        ("Complete by 31st March 2021.", ["by 31st March 2021"]),
        ("Report by spring 2022.", ["by spring 2022"]),
        ("In 2019 the review found delays.", []),  # a year in the past, not a deadline
        ("Practitioners should consider the impact of neglect.", []),
    ],
)
def test_date_phrases_are_found_as_written(text, expected):
    assert date_phrases(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Audit 20 case files.", "Audit"),
        ("Increase uptake to 80% of families.", "80%"),
        ("The group will report to the board on progress.", "report to the board"),
        ("The partnership should report back by June 2021.", "report back"),
        ("Train 3 teams.", "3"),
        ("Practitioners should consider the impact of neglect.", ""),
        ("Review practice by March 2021.", ""),  # a date is not a measure
        ("As the 2019 review found, share information.", ""),  # nor is a year
    ],
)
def test_measurable_is_a_cautious_reading_of_the_words(text, expected):
    assert looks_measurable(text) == expected


def _checks(checklist):
    return {check.key: check.met for check in checklist}


def test_an_action_with_an_owner_a_date_in_words_and_an_audit():
    action = make_action(
        review=make_review(), owner="HSCB", target_date_as_stated="later this year", text="Audit 20 case files."
    )
    checklist = action_checklist(action)
    assert _checks(checklist) == {"owner": True, "date": True, "measurable": True}
    # "later this year" counts as a date as written, and no date is worked out from it.
    assert "as written: “later this year” (not a definite date" in checklist["date"].found
    assert checklist.summary() == "owner: yes; date: as written (later this year); measurable: yes"
    action.refresh_from_db()
    assert action.target_date is None and action.target_date_as_stated == "later this year"


def test_an_action_with_a_definite_date_and_nothing_else():
    action = make_action(review=make_review(), owner="", target_date_as_stated="January 2020", text="Do better.")
    checklist = action_checklist(action)
    assert _checks(checklist) == {"owner": False, "date": True, "measurable": False}
    assert checklist["date"].found == "target date “January 2020” (a definite date)"


def test_an_action_whose_words_name_an_agency_has_an_owner():
    action = make_action(review=make_review(), owner="", text="The police will brief officers.")
    assert action_checklist(action)["owner"].met


def test_a_recommendation_counts_its_agencies_and_its_actions_target_dates():
    recommendation = make_recommendation(review=make_review(), addressed_to="", text="Improve the plan.")
    assert _checks(recommendation_checklist(recommendation)) == {"owner": False, "date": False, "measurable": False}
    recommendation.agencies.add(Agency.objects.get_or_create(slug="police", defaults={"name": "Police"})[0])
    make_action(recommendation=recommendation, target_date_as_stated="by the end of the year")
    checklist = recommendation_checklist(Recommendation.objects.get(pk=recommendation.pk))
    assert _checks(checklist) == {"owner": True, "date": True, "measurable": False}
    assert "an action answering it gives a target date as written" in checklist["date"].found


def test_shares_count_each_check():
    review = make_review()
    make_recommendation(review=review, addressed_to="All", text="Audit 10 files by March 2021.")
    make_recommendation(review=review, addressed_to="All", text="Think about it.")
    make_recommendation(review=review, addressed_to="", text="Think about it later this year.")
    make_recommendation(review=make_review(), addressed_to="", text="Another review's.")
    shares = {
        share.key: (share.count, share.total, share.percent)
        for share in checklist_shares(recommendations_checked(review_id=review.pk))
    }
    assert shares == {"owner": (2, 3, 67), "date": (2, 3, 67), "measurable": (1, 3, 33)}
    assert checklist_shares([])[0].percent == 0


# ---------------------------------------------------------------------------
# The admin
# ---------------------------------------------------------------------------


def test_the_change_pages_show_the_checklist_as_a_rough_guide(editor_client):
    recommendation = make_recommendation(review=make_review(), addressed_to="", text="Improve the plan.")
    action = make_action(recommendation=recommendation, owner="Police", target_date_as_stated="later this year")
    page = editor_client.get(reverse("admin:reviews_recommendation_change", args=[recommendation.pk])).content.decode()
    assert "Checklist: has an owner? a date? something measurable? (a rough guide)" in page
    assert "Has an owner? Not found" in page and "no one is named as owner" in page
    assert "Has a date? Yes" in page and "later this year" in page
    page = editor_client.get(reverse("admin:reviews_action_change", args=[action.pk])).content.decode()
    assert "Has an owner? Yes" in page and "“Police”, as the briefing says" in page
    assert "it may miss things or be wrong" in page


def test_saving_shows_the_checklist_without_blocking_or_changing_the_words(editor_client):
    recommendation = make_recommendation(review=make_review(), addressed_to="", text="Improve the plan.")
    url = reverse("admin:reviews_recommendation_change", args=[recommendation.pk])
    response = editor_client.post(url, admin_form_data(editor_client, url), follow=True)
    assert response.status_code == 200
    messages = [str(message) for message in response.context["messages"]]
    assert any(
        "Checklist (a rough guide): not found: has an owner, has a date, something measurable" in m for m in messages
    )
    recommendation.refresh_from_db()
    assert recommendation.text == "Improve the plan." and recommendation.addressed_to == ""


# ---------------------------------------------------------------------------
# The board view
# ---------------------------------------------------------------------------


@pytest.fixture
def board():
    review = make_review(title="Test review Child Q")
    measured = make_recommendation(review=review, number="1", addressed_to="HSCB", text="Audit 20 files.")
    make_action(recommendation=measured, owner="HSCB", target_date_as_stated="later this year", text="Audit them.")
    vague = make_recommendation(review=review, number="2", addressed_to="", text="Reflect on practice.")
    make_action(recommendation=vague, owner="", text="Think about it.")
    make_recommendation(review=make_review(title="Test review Other"), addressed_to="All", text="By 2021, train staff.")
    return review


def test_the_board_view_shows_the_share_of_recommendations_with_each(board, editor_client):
    content = editor_client.get(reverse("admin:reviews_action_tracker")).content.decode()
    assert "Recommendations: has an owner? a date? something measurable?" in content
    assert "Of the 3 recommendations of every review (drafts included)" in content
    assert '<th scope="row">Has an owner?</th><td>2 of 3</td><td>67%</td>' in content
    assert '<th scope="row">Has a date?</th><td>2 of 3</td><td>67%</td>' in content
    assert '<th scope="row">Something measurable?</th><td>1 of 3</td><td>33%</td>' in content
    assert "rough guide" in content
    content = editor_client.get(reverse("admin:reviews_action_tracker"), {"review": board.pk}).content.decode()
    assert "Of the 2 recommendations of “Test review Child Q”" in content
    assert '<th scope="row">Has a date?</th><td>1 of 2</td><td>50%</td>' in content


def test_the_printable_board_view_has_the_shares_too(board, editor_client):
    content = editor_client.get(reverse("admin:reviews_action_tracker_print")).content.decode()
    assert '<th scope="row">Something measurable?</th><td>1 of 3</td><td>33%</td>' in content


def test_the_csv_has_each_rows_checklist(board, editor_client):
    response = editor_client.get(reverse("admin:reviews_action_tracker_csv"))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    by_action = {row["action"]: row for row in rows}
    assert by_action["Think about it."]["action_checklist"] == "owner: no; date: no; measurable: no"
    assert by_action["Think about it."]["recommendation_checklist"] == "owner: no; date: no; measurable: no"
    assert by_action["Audit them."]["action_checklist"].startswith("owner: yes; date: as written (later this year);")
    assert by_action["Audit them."]["recommendation_checklist"].endswith("measurable: yes")
    assert Action.objects.get(text="Audit them.").target_date is None

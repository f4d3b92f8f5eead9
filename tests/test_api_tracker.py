"""The recommendation tracker in the API: each action's owner, target date (as written and as a date),
status as reported with its date, closing judgement and dated history of status reports (issue 16)."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from reviews.models import Action, ActionUpdate

from .support.factories import make_action, make_recommendation, make_review
from .support.responses import body

pytestmark = pytest.mark.django_db


def action_json(client, action):
    response = client.get(reverse("reviews:api-action-detail", kwargs={"pk": action.pk}))
    assert response.status_code == 200, body(response)[:500]
    return response.json()


@pytest.fixture
def tracked():
    review = make_review()
    recommendation = make_recommendation(review=review, number="1")
    action = make_action(
        recommendation=recommendation,
        text="Test action with reports.",
        owner="Test Health Visiting service",
        target_date_as_stated="January 2020",
        status=Action.Status.PLANNED,
    )
    # Saved out of order: the history is by date of the report, oldest first.
    ActionUpdate.objects.create(
        action=action,
        reported_on=datetime.date(2021, 5, 3),
        status="done",
        reported_by="Test Health Visiting service",
        evidence_of_impact="Test audit: **all** families asked.",
        note="Test note from the report.",
    )
    ActionUpdate.objects.create(
        action=action, reported_on=datetime.date(2020, 2, 1), status="in_progress", reported_by="Test sub-group"
    )
    replacement = make_action(recommendation=recommendation, text="Test replacing action.")
    closed = make_action(
        recommendation=recommendation,
        text="Test closed action.",
        target_date_as_stated="later this year",
        closing_judgement=Action.ClosingJudgement.SUPERSEDED,
        judged_on=datetime.date(2022, 4, 1),
        judged_by="Test Case Review Sub-group",
        closing_reason="Test: merged into the new plan.",
        superseded_by_action=replacement,
    )
    return {"action": action, "closed": closed, "replacement": replacement}


def test_an_action_gives_its_target_date_as_written_and_as_a_date(client, tracked):
    record = action_json(client, tracked["action"])
    assert record["owner"] == "Test Health Visiting service"
    assert record["target_date_as_stated"] == "January 2020"
    # "January 2020" is read as the end of that month, known to the month.
    assert record["target_date"] == "2020-01-31"
    assert record["target_date_precision"] == "month"
    assert record["target_date_display"] == "January 2020"


def test_words_that_give_no_definite_date_give_no_target_date(client, tracked):
    record = action_json(client, tracked["closed"])
    assert record["target_date_as_stated"] == "later this year"
    assert record["target_date"] is None
    assert record["target_date_precision"] == "unknown"
    assert record["target_date_display"] is None


def test_status_as_reported_is_the_latest_report_with_its_date(client, tracked):
    record = action_json(client, tracked["action"])
    assert record["status"] == "planned"  # as the briefing gave it
    assert record["status_reported"] == {
        "status": "done",
        "status_label": "Done",
        "reported_on": "2021-05-03",
        "reported_by": "Test Health Visiting service",
        "from_briefing": False,
    }


def test_without_reports_the_status_reported_is_the_briefings(client, tracked):
    record = action_json(client, tracked["replacement"])
    assert record["status_reported"]["from_briefing"] is True
    assert record["status_reported"]["reported_on"] is None
    assert record["status_reported"]["status"] == "not_stated"
    assert record["status_history"] == []
    assert record["closing_judgement"]["judgement"] is None
    assert set(record["closing_judgement"].values()) == {None}


def test_the_history_lists_each_report_oldest_first_as_the_public_page_shows_it(client, tracked):
    history = action_json(client, tracked["action"])["status_history"]
    assert [(entry["reported_on"], entry["status"]) for entry in history] == [
        ("2020-02-01", "in_progress"),
        ("2021-05-03", "done"),
    ]
    assert history[1] == {
        "reported_on": "2021-05-03",
        "status": "done",
        "status_label": "Done",
        "reported_by": "Test Health Visiting service",
        "evidence_of_impact": "Test audit: **all** families asked.",
        "note": "Test note from the report.",
    }
    # Nothing of the editing machinery: no ids, no timestamps of the edit, no editor.
    assert set(history[0]) == {"reported_on", "status", "status_label", "reported_by", "evidence_of_impact", "note"}
    public_page = body(reverse_client_get(client, tracked["action"])).decode()
    for entry in history:
        assert entry["reported_by"] in public_page


def reverse_client_get(client, action):
    response = client.get(action.get_absolute_url())
    assert response.status_code == 200
    return response


def test_closing_judgement_with_its_date_and_who_made_it(client, tracked):
    record = action_json(client, tracked["closed"])
    assert record["closing_judgement"] == {
        "judgement": "superseded",
        "label": "Superseded",
        "judged_on": "2022-04-01",
        "judged_by": "Test Case Review Sub-group",
        "reason": "Test: merged into the new plan.",
        "superseded_by_action_id": tracked["replacement"].pk,
        "superseded_by_recommendation_id": None,
    }


def test_the_list_gives_the_same_tracker_fields(client, tracked):
    results = client.get(reverse("reviews:api-list", kwargs={"endpoint": "actions"})).json()["results"]
    by_id = {record["id"]: record for record in results}
    assert by_id[tracked["action"].pk]["status_reported"]["reported_on"] == "2021-05-03"
    assert len(by_id[tracked["action"].pk]["status_history"]) == 2
    assert by_id[tracked["closed"].pk]["closing_judgement"]["judged_on"] == "2022-04-01"


def test_the_csv_gives_the_latest_status_reported_and_the_judgement(client, tracked):
    response = client.get(reverse("reviews:api-list-csv", kwargs={"endpoint": "actions"}))
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(body(response).decode("utf-8-sig")))}
    row = rows[str(tracked["action"].pk)]
    assert row["target_date"] == "2020-01-31"
    assert row["status_reported_status"] == "done"
    assert row["status_reported_reported_on"] == "2021-05-03"
    closed = rows[str(tracked["closed"].pk)]
    assert closed["closing_judgement_judgement"] == "superseded"
    assert closed["closing_judgement_judged_by"] == "Test Case Review Sub-group"

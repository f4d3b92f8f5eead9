"""The recommendation tracker: target dates read from words, status updates, closing
judgements, the overdue rule, and the board view with its CSV and printable page."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from reviews.models import Action, ActionUpdate, DatePrecision, PublicationStatus
from reviews.tracker.dates import target_date_from_words
from reviews.tracker.selectors import State, action_state, tracker_rows

from .support.factories import make_action, make_recommendation, make_review, make_user

TODAY = datetime.date(2024, 6, 15)


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("January 2020", (datetime.date(2020, 1, 31), DatePrecision.MONTH)),
        ("31 March 2021", (datetime.date(2021, 3, 31), DatePrecision.DAY)),
        ("31st of March 2021", (datetime.date(2021, 3, 31), DatePrecision.DAY)),
        ("March 31, 2021", (datetime.date(2021, 3, 31), DatePrecision.DAY)),
        ("31/03/2021", (datetime.date(2021, 3, 31), DatePrecision.DAY)),
        ("by the end of February 2024", (datetime.date(2024, 2, 29), DatePrecision.MONTH)),
        ("Sept 2020", (datetime.date(2020, 9, 30), DatePrecision.MONTH)),
        ("by 2022.", (datetime.date(2022, 12, 31), DatePrecision.YEAR)),
        ("later this year", None),
        ("ongoing", None),
        ("", None),
        ("spring 2021", None),
        ("Q1 2021", None),
        ("before March 2020", None),
        ("May 2020 and ongoing", None),
        ("31 February 2021", None),
        ("January or February 2020", None),
    ],
)
def test_target_date_is_read_only_from_words_naming_a_definite_date(words, expected):
    found = target_date_from_words(words)
    assert (tuple(found) if found else None) == expected


@pytest.mark.django_db
class TestActionTargetDate:
    def test_saving_reads_the_date_from_the_words_and_never_guesses(self):
        action = make_action(review=make_review(), target_date_as_stated="January 2020")
        assert (action.target_date, action.target_date_precision) == (datetime.date(2020, 1, 31), "month")
        assert action.target_date_display == "January 2020"
        action.target_date_as_stated = "later this year"
        action.save()
        action.refresh_from_db()
        assert (action.target_date, action.target_date_precision) == (None, DatePrecision.UNKNOWN)

    def test_a_date_without_a_precision_is_refused_by_the_database(self):
        action = make_action(review=make_review())
        with pytest.raises(IntegrityError), transaction.atomic():
            Action.objects.filter(pk=action.pk).update(target_date=datetime.date(2020, 1, 31))


@pytest.mark.django_db
class TestClosingJudgement:
    @pytest.mark.parametrize(
        ("fields", "constraint"),
        [
            ({"closing_judgement": "done_impact_shown"}, "action_closing_judgement_dated"),
            (
                {"closing_judgement": "superseded", "judged_on": datetime.date(2021, 1, 1)},
                "action_superseded_names_what_replaces_it",
            ),
            (
                {"closing_judgement": "not_accepted", "judged_on": datetime.date(2021, 1, 1)},
                "action_not_accepted_gives_reason",
            ),
        ],
    )
    def test_incomplete_judgements_are_refused(self, fields, constraint):
        """``constraint`` names the rule each case breaks."""
        action = make_action(review=make_review())
        # SQLite names no constraint in its error; PostgreSQL does.
        with pytest.raises(IntegrityError), transaction.atomic():
            Action.objects.filter(pk=action.pk).update(**fields)
        for name, value in fields.items():
            setattr(action, name, value)
        with pytest.raises(ValidationError):
            action.full_clean()

    def test_superseded_names_what_replaces_it_and_not_itself(self):
        review = make_review()
        action, later = make_action(review=review), make_action(review=review)
        action.closing_judgement = Action.ClosingJudgement.SUPERSEDED
        action.judged_on = datetime.date(2021, 1, 1)
        action.superseded_by_action = later
        action.full_clean()
        action.save()
        with pytest.raises(IntegrityError), transaction.atomic():
            Action.objects.filter(pk=action.pk).update(superseded_by_action=action)

    def test_not_accepted_with_a_reason_is_kept_with_its_history(self):
        action = make_action(review=make_review())
        action.closing_judgement = Action.ClosingJudgement.NOT_ACCEPTED
        action.closing_reason = "The service was decommissioned."
        action.judged_on, action.judged_by = datetime.date(2022, 5, 1), "Case Review Sub-group"
        action.full_clean()
        action.save()
        assert action.history.first().closing_reason == "The service was decommissioned."


@pytest.mark.django_db
class TestActionUpdate:
    def test_the_latest_report_is_the_current_status_and_the_briefing_status_stays(self):
        action = make_action(review=make_review(), status=Action.Status.PLANNED)
        ActionUpdate.objects.create(
            action=action, reported_on=datetime.date(2021, 5, 3), status="done", reported_by="Health Visiting service"
        )
        ActionUpdate.objects.create(
            action=action, reported_on=datetime.date(2020, 1, 10), status="in_progress", reported_by="HSCB"
        )
        action = Action.objects.prefetch_related("updates").get(pk=action.pk)
        assert [update.status for update in action.status_reports] == ["in_progress", "done"]
        assert action.current_status == "done" and action.status == "planned"
        assert action.updates.first().history.count() == 1

    @pytest.mark.parametrize(
        ("fields", "constraint"),
        [
            ({"status": "not_stated"}, "actionupdate_status_is_a_stage_of_the_work"),
            ({"reported_by": ""}, "actionupdate_reported_by_given"),
        ],
    )
    def test_a_report_says_what_stage_and_who(self, fields, constraint):
        """``constraint`` names the rule each case breaks."""
        action = make_action(review=make_review())
        values = {"reported_on": datetime.date(2021, 1, 1), "status": "done", "reported_by": "Police"} | fields
        with pytest.raises(IntegrityError), transaction.atomic():
            ActionUpdate.objects.create(action=action, **values)
        with pytest.raises(ValidationError):
            ActionUpdate(action=action, **values).full_clean()

    def test_a_report_cannot_be_dated_in_the_future(self):
        update = ActionUpdate(
            action=make_action(review=make_review()),
            reported_on=datetime.date.today() + datetime.timedelta(days=2),
            status="done",
            reported_by="Police",
        )
        with pytest.raises(ValidationError, match="future"):
            update.full_clean()


def _action(target, **fields):
    action = make_action(review=make_review(), target_date_as_stated=target, **fields)
    return Action.objects.prefetch_related("updates").get(pk=action.pk)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("target", "fields", "expected"),
    [
        ("31 March 2021", {}, State.OVERDUE),  # a day in the past
        ("31 December 2030", {}, State.OPEN),  # a day in the future
        ("May 2024", {}, State.OVERDUE),  # a month that has ended
        ("June 2024", {}, State.OPEN),  # the month we are in: not late until it ends
        ("2024", {}, State.OPEN),  # the year we are in
        ("2023", {}, State.OVERDUE),
        ("later this year", {}, State.OPEN),  # words without a date are never overdue
        ("ongoing", {}, State.OPEN),
        ("", {}, State.OPEN),
        ("31 March 2021", {"status": Action.Status.DONE}, State.DONE),
        (
            "31 March 2021",
            {"closing_judgement": "not_accepted", "closing_reason": "No funding.", "judged_on": TODAY},
            State.CLOSED,
        ),
        ("31 March 2021", {"closing_judgement": "done_impact_not_shown", "judged_on": TODAY}, State.DONE),
    ],
)
def test_overdue_only_when_a_definite_target_date_has_passed(target, fields, expected):
    assert action_state(_action(target, **fields), today=TODAY) == expected


@pytest.mark.django_db
def test_a_report_of_done_stops_an_action_being_overdue():
    action = _action("31 March 2021")
    assert action_state(action, today=TODAY) == State.OVERDUE
    ActionUpdate.objects.create(action=action, reported_on=TODAY, status="done", reported_by="Police")
    assert action_state(Action.objects.prefetch_related("updates").get(pk=action.pk), today=TODAY) == State.DONE


@pytest.fixture
def tracked(db):
    """Two agencies' actions: one overdue with evidence reported since, one open 'later this year', one done."""
    review = make_review(title="Test review Child T")
    draft = make_review(title="Test draft review", status=PublicationStatus.DRAFT)
    recommendation = make_recommendation(review=review, number="1")
    overdue = make_action(
        recommendation=recommendation, owner="Health Visiting service", target_date_as_stated="January 2020"
    )
    ActionUpdate.objects.create(
        action=overdue,
        reported_on=datetime.date(2020, 3, 1),
        status="in_progress",
        reported_by="Health Visiting service",
        evidence_of_impact='=HYPERLINK("http://x") audit of 20 records',
    )
    later = make_action(review=review, owner="Police", target_date_as_stated="later this year")
    done = make_action(review=draft, owner="Police", status=Action.Status.DONE, evidence_of_impact="Training given.")
    return {"overdue": overdue, "later": later, "done": done, "review": review}


def test_rows_filter_by_agency_review_and_state(tracked):
    assert {row.action for row in tracker_rows(owner="Police")} == {tracked["later"], tracked["done"]}
    assert {row.action for row in tracker_rows(review_id=tracked["review"].pk)} == {
        tracked["overdue"],
        tracked["later"],
    }
    assert [row.action for row in tracker_rows(state=State.OVERDUE)] == [tracked["overdue"]]
    row = tracker_rows(state=State.OVERDUE)[0]
    assert row.evidence.reported_by == "Health Visiting service"
    assert tracker_rows(owner="Police", state=State.OPEN)[0].target == "target as written: later this year"


@pytest.mark.parametrize(("user", "status"), [(None, 302), ("trainer", 403), ("staff", 403), ("editor", 200)])
@pytest.mark.parametrize(
    "name", ["admin:reviews_action_tracker", "admin:reviews_action_tracker_csv", "admin:reviews_action_tracker_print"]
)
def test_the_board_view_is_for_editors_only(tracked, client, user, status, name):
    if user == "trainer":
        client.force_login(make_user("test-trainer", groups=["Trainer"]))
    elif user == "staff":
        client.force_login(make_user("test-staff-only"))
    elif user == "editor":
        client.force_login(make_user("test-editor-t", groups=["Editor"]))
    response = client.get(reverse(name))
    assert response.status_code == status
    if status == 200 and name.endswith("tracker"):
        content = response.content.decode()
        assert "Health Visiting service" in content and "Overdue" in content
        assert "target as written: later this year" in content
        assert "In progress, reported by Health Visiting service on 1 March 2020" in content
        assert "Recommendation tracker" in client.get(reverse("admin:index")).content.decode()


def test_the_board_view_filters(tracked, editor_client):
    response = editor_client.get(reverse("admin:reviews_action_tracker"), {"state": "overdue", "owner": "nobody"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "1 action:" in content and "Health Visiting service" in content


def test_the_csv_export_is_safe_for_spreadsheets(tracked, editor_client):
    response = editor_client.get(reverse("admin:reviews_action_tracker_csv"), {"owner": "Health Visiting service"})
    assert response["Content-Type"].startswith("text/csv") and "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 1
    row = rows[0]
    assert row["state"] == "Overdue" and row["target_date"] == "2020-01-31"
    assert row["target_date_as_written"] == "January 2020"
    assert row["current_status"] == "In progress" and row["status_reported_on"] == "2020-03-01"
    assert row["latest_evidence_of_impact"].startswith("'=HYPERLINK")


def test_the_printable_page_stands_alone(tracked, editor_client):
    content = editor_client.get(reverse("admin:reviews_action_tracker_print")).content.decode()
    assert "<h1>Recommendation tracker</h1>" in content and "Test draft review" in content
    assert 'id="header"' not in content


def test_editors_add_status_updates_on_the_action_page(tracked, editor_client):
    action = tracked["later"]
    url = reverse("admin:reviews_action_change", args=[action.pk])
    page = editor_client.get(url).content.decode()
    assert "status updates since the briefing" in page.lower() and "Closing judgement" in page
    trainer = make_user("test-trainer-2", groups=["Trainer"])
    editor_client.force_login(trainer)
    assert "updates-TOTAL_FORMS" not in editor_client.get(url).content.decode()

"""Public pages show each action's status since its briefing, as reported (date, status,
who reported it) and its closing judgement; drafts never show."""

import datetime

import pytest

from reviews.models import Action, ActionUpdate, PublicationStatus

from .support.factories import make_action, make_recommendation, make_review, make_theme

pytestmark = pytest.mark.django_db


def _report(action, day, status, by, **fields):
    return ActionUpdate.objects.create(action=action, reported_on=day, status=status, reported_by=by, **fields)


def test_the_review_page_shows_each_actions_history_as_reported(client):
    review = make_review()
    answer = make_action(recommendation=make_recommendation(review=review), status=Action.Status.PLANNED)
    other = make_action(review=review, text="Test action answering no recommendation.")
    _report(answer, datetime.date(2020, 2, 1), "in_progress", "HSCB")
    _report(answer, datetime.date(2021, 5, 3), "done", "Health Visiting service", evidence_of_impact="Audit.")
    _report(other, datetime.date(2022, 7, 9), "planned", "Police")
    content = client.get(review.get_absolute_url()).content.decode()
    assert "Status since the briefing, as reported" in content
    assert "<strong>Done</strong>, reported by Health Visiting service on" in content
    first, second = content.index("1 February 2020"), content.index("3 May 2021</time>: Done")
    assert first < second  # oldest first
    assert "Evidence of impact, as reported: <p>Audit.</p>" in content
    assert "9 July 2022</time>: Planned, reported by Police" in content


def test_the_closing_judgement_is_shown_with_who_and_when(client):
    review = make_review()
    action = make_action(review=review)
    Action.objects.filter(pk=action.pk).update(
        closing_judgement="not_accepted",
        closing_reason="The service was recommissioned.",
        judged_on=datetime.date(2022, 1, 31),
        judged_by="Case Review Sub-group",
    )
    content = client.get(review.get_absolute_url()).content.decode()
    assert "Not accepted, because: The service was recommissioned. (Case Review Sub-group," in content


def test_an_action_without_reports_shows_no_history(client):
    review = make_review()
    make_action(review=review)
    assert "as reported</dt>" not in client.get(review.get_absolute_url()).content.decode()


def test_reports_on_a_draft_reviews_actions_never_show(client):
    theme = make_theme()
    published, draft = make_review(), make_review(status=PublicationStatus.DRAFT)
    make_action(review=published).themes.add(theme)
    secret = make_action(review=draft)
    secret.themes.add(theme)
    _report(secret, datetime.date(2021, 1, 1), "done", "Test secret agency")
    for url in (theme.get_absolute_url(), draft.get_absolute_url()):
        response = client.get(url)
        assert b"Test secret agency" not in response.content

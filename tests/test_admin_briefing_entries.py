"""A review's entries in the briefing's order, edited in place from the review (issue 16): the order, and
every rule of an entry's own page (the verbatim guard, permissions, history, the admin's log) on this path."""

import re

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from reviews.models import Action, CaseFact, LearningPoint, Recommendation

from .support.factories import (
    make_action,
    make_learning_point,
    make_recommendation,
    make_review,
    make_section,
    make_source,
    make_user,
)

pytestmark = pytest.mark.django_db

BRIEFING = (
    "The case\n\nBaby T was seen by the health visitor.\n\n"
    "Learning\n\nPractitioners should share information promptly with partner agencies.\n\n"
    "Professional curiosity matters.\n\n"
    "Recommendations\n\nThe board should audit records.\n\nHealth visitors will audit records by January 2020.\n"
)
WORDS = "Practitioners should share information promptly with partner agencies."


@pytest.fixture
def briefed():
    """A review whose entries were created out of the briefing's order."""
    source = make_source(original_text=BRIEFING)
    review = make_review(title="Test review of Baby T")
    review.sources.add(source)
    case = make_section(source=source, heading="Test the case", role="case", position=1)
    learning = make_section(source=source, heading="Test learning", role="learning", position=2)
    recommendations = make_section(source=source, heading="Test recommendations", role="recommendations", position=3)
    recommendation = make_recommendation(
        review=review,
        source=source,
        section=recommendations,
        number="1",
        text="The board should audit records.",
        position=10,
    )
    made = {
        "second_point": make_learning_point(
            review=review, source=source, section=learning, text="Professional curiosity matters.", position=6
        ),
        "action": make_action(
            recommendation=recommendation,
            section=recommendations,
            text="Health visitors will audit records by January 2020.",
            position=11,
        ),
        "point": make_learning_point(review=review, source=source, section=learning, text=WORDS, position=5),
        "fact": CaseFact.objects.create(
            review=review, source=source, section=case, text="Baby T was seen by the health visitor.", position=2
        ),
        "recommendation": recommendation,
    }
    later = make_recommendation(
        review=review,
        source=source,
        section=recommendations,
        number="2",
        text="Test later recommendation.",
        position=12,
    )
    made["later"] = later
    made["review"] = review
    return made


def entries_url(review):
    return reverse("admin:reviews_review_entries", args=[review.pk])


def form_data(response, **changes):
    """The page's forms as a browser would post them, with ``changes`` by prefixed field name."""
    data = {}
    for _group, rows in response.context["groups"]:
        for row in rows:
            form = row.form
            if not row.may_change:
                continue
            for name, field in form.fields.items():
                value = form.initial.get(name, field.initial)
                data[form.add_prefix(name)] = "" if value is None else value
    data.update(changes)
    return data


def prefixed(entry, field):
    return f"{entry._meta.model_name}-{entry.pk}-{field}"


def test_the_entries_are_in_the_briefings_order_with_each_recommendations_actions_after_it(editor_client, briefed):
    response = editor_client.get(entries_url(briefed["review"]))
    assert response.status_code == 200
    page = response.content.decode()
    order = re.findall(r'<fieldset class="kb-in-order-entry[^"]*" id="([a-z]+-\d+)"', page)
    expected = [
        briefed["fact"],
        briefed["point"],
        briefed["second_point"],
        briefed["recommendation"],
        briefed["action"],
        briefed["later"],
    ]
    assert order == [f"{entry._meta.model_name}-{entry.pk}" for entry in expected]
    # The headings in the briefing's order, each once.
    headings = re.findall(r'<h2 id="entries-[^"]+-heading">([^<]+)</h2>', page)
    assert headings == ["Test the case", "Test learning", "Test recommendations"]
    assert "answering Recommendation 1" in page


def test_the_reviews_page_leads_there(editor_client, briefed):
    response = editor_client.get(reverse("admin:reviews_review_change", args=[briefed["review"].pk]))
    assert entries_url(briefed["review"]) in response.content.decode()


def test_a_change_in_the_briefings_words_without_a_reason_is_refused_here_too(editor_client, briefed):
    url = entries_url(briefed["review"])
    point = briefed["point"]
    before = point.history.count()
    changed = WORDS.replace("promptly", "quickly")
    response = editor_client.post(url, form_data(editor_client.get(url), **{prefixed(point, "text"): changed}))
    assert response.status_code == 200  # the page again, nothing saved
    page = response.content.decode()
    assert "These words are no longer the briefing’s." in page
    assert "<del>promptly</del>" in page and "<ins>quickly</ins>" in page
    assert "Nothing was saved" in page
    # The reason is given on this page, beside the words: the message does not send the editor elsewhere.
    assert "on the entry’s own page" not in page
    assert LearningPoint.objects.get(pk=point.pk).text == WORDS
    assert point.history.count() == before


def test_nothing_is_saved_when_one_entry_is_refused(editor_client, briefed):
    """All or nothing: a valid change beside a refused one waits for the editor to fix the other."""
    url = entries_url(briefed["review"])
    data = form_data(
        editor_client.get(url),
        **{
            prefixed(briefed["point"], "text"): WORDS.replace("promptly", "quickly"),
            prefixed(briefed["action"], "owner"): "Test Health Visiting service",
        },
    )
    assert editor_client.post(url, data).status_code == 200
    assert Action.objects.get(pk=briefed["action"].pk).owner == ""


def test_with_a_reason_the_change_is_saved_with_its_history_and_a_log_entry(editor_client, briefed):
    url = entries_url(briefed["review"])
    point = briefed["point"]
    changed = WORDS.replace("partner agencies", "the police")
    data = form_data(
        editor_client.get(url),
        **{prefixed(point, "text"): changed, prefixed(point, "wording_reason"): "Test: the agency named"},
    )
    response = editor_client.post(url, data)
    assert response.status_code == 302 and response["Location"] == url
    assert LearningPoint.objects.get(pk=point.pk).text == changed
    latest = point.history.latest()
    assert latest.history_change_reason == "Wording no longer the briefing's: Test: the agency named"
    assert latest.history_user.username == "test-editor"
    log = LogEntry.objects.get(object_id=str(point.pk), content_type__model="learningpoint")
    assert log.user.username == "test-editor"
    assert "Text" in log.get_change_message()


def test_only_the_changed_entries_are_saved(editor_client, briefed):
    url = entries_url(briefed["review"])
    histories = {key: briefed[key].history.count() for key in ("point", "second_point", "fact", "recommendation")}
    action = briefed["action"]
    data = form_data(
        editor_client.get(url),
        **{prefixed(action, "owner"): "Test Health Visiting service", prefixed(action, "status"): "in_progress"},
    )
    assert editor_client.post(url, data).status_code == 302
    action.refresh_from_db()
    assert (action.owner, action.status) == ("Test Health Visiting service", "in_progress")
    assert action.status_changed_at is not None  # as the action's own page records it
    assert {key: briefed[key].history.count() for key in histories} == histories


def test_a_recommendation_number_taken_in_the_review_is_refused(editor_client, briefed):
    url = entries_url(briefed["review"])
    data = form_data(editor_client.get(url), **{prefixed(briefed["later"], "number"): "1"})
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert Recommendation.objects.get(pk=briefed["later"].pk).number == "2"


def test_two_recommendations_given_one_number_in_one_save_are_refused(editor_client, briefed):
    url = entries_url(briefed["review"])
    data = form_data(
        editor_client.get(url),
        **{prefixed(briefed["recommendation"], "number"): "7", prefixed(briefed["later"], "number"): "7"},
    )
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "Nothing was saved" in response.content.decode()
    assert sorted(Recommendation.objects.filter(review=briefed["review"]).values_list("number", flat=True)) == [
        "1",
        "2",
    ]


def test_a_detail_that_may_identify_someone_is_pointed_out_on_saving(editor_client, briefed):
    url = entries_url(briefed["review"])
    fact = briefed["fact"]
    changed = "Baby T was seen by the health visitor, test.person@example.org."
    data = form_data(
        editor_client.get(url),
        **{prefixed(fact, "text"): changed, prefixed(fact, "wording_reason"): "Test: a contact added"},
    )
    response = editor_client.post(url, data, follow=True)
    page = response.content.decode()
    assert "The safety check finds 1 detail that may identify someone" in page
    assert reverse("admin:reviews_review_safety", args=[briefed["review"].pk]) in page


def test_a_trainer_may_read_the_entries_but_change_none(client, briefed):
    trainer = make_user("test-trainer", groups=["Trainer"])
    client.force_login(trainer)
    url = entries_url(briefed["review"])
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "You may read this entry but not change it." in page
    assert 'value="Save the changes"' not in page
    assert all(not row.may_change for _group, rows in response.context["groups"] for row in rows)
    # A hand-made post changes nothing.
    response = client.post(url, {prefixed(briefed["point"], "text"): "Test other words."})
    assert response.status_code == 403
    assert LearningPoint.objects.get(pk=briefed["point"].pk).text == WORDS


def test_staff_who_may_not_see_reviews_are_refused(staff_client, briefed):
    assert staff_client.get(entries_url(briefed["review"])).status_code == 403


def test_an_editor_who_may_change_only_some_kinds_changes_only_those(client, briefed):
    """Permissions are each kind's own: an entry whose kind the user may not change is read only,
    and a value posted for it is ignored."""
    from django.contrib.auth.models import Permission

    user = make_user("test-partial")
    user.user_permissions.set(
        Permission.objects.filter(
            codename__in=["view_review", "view_learningpoint", "view_action", "change_action", "view_casefact"]
        )
    )
    client.force_login(user)
    url = entries_url(briefed["review"])
    response = client.get(url)
    kinds = {type(row.entry).__name__: row.may_change for _group, rows in response.context["groups"] for row in rows}
    assert kinds == {"CaseFact": False, "LearningPoint": False, "Action": True}  # recommendations not even seen
    data = form_data(response, **{prefixed(briefed["action"], "owner"): "Test owner"})
    data[prefixed(briefed["point"], "text")] = "Test other words."
    assert client.post(url, data).status_code == 302
    assert Action.objects.get(pk=briefed["action"].pk).owner == "Test owner"
    assert LearningPoint.objects.get(pk=briefed["point"].pk).text == WORDS


def test_the_page_runs_the_same_queries_however_many_entries(editor_client, briefed, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = entries_url(briefed["review"])
    editor_client.get(url)
    with CaptureQueriesContext(connection) as small:
        editor_client.get(url)
    review, source = briefed["review"], briefed["point"].source
    for n in range(6):
        recommendation = make_recommendation(
            review=review,
            source=source,
            section=briefed["recommendation"].section,
            text=f"Test rec {n}.",
            position=20 + n,
        )
        make_action(recommendation=recommendation, section=recommendation.section, position=20 + n)
        make_learning_point(review=review, source=source, section=briefed["point"].section, position=30 + n)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = editor_client.get(url)
    assert response.content.decode().count('class="kb-in-order-entry') == 6 + 18

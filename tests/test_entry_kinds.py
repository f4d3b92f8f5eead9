"""Changing a published (or draft) entry's kind from its admin page, without retyping it
(``services.kinds.entry_kind_change``, ``admin/kinds.py``).

History: the new entry's history page links to the old entry's history, which is
kept whole (simple-history keeps a deleted entry's versions); the new entry's own
history starts with the change and its reason.
"""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from reviews.kept import pending as kept_pending
from reviews.kept import writing
from reviews.models import (
    Action,
    CaseFact,
    CoursePack,
    CoursePackItem,
    LearningPoint,
    LearningUse,
    MovedEntry,
    PublicationStatus,
    Recommendation,
    Resource,
)
from reviews.search import pending as search_pending
from reviews.services.kinds import TriageError, change_kind, entry_kind_change

from .support.factories import (
    make_learning_point,
    make_recommendation,
    make_review,
    make_section,
    make_source,
    make_theme,
    make_user,
)
from .support.search import entry_key, result_keys, run_search

pytestmark = pytest.mark.django_db

BRIEFING = (
    "Learning\n\nTest practitioners should record every unannounced visit to the family home.\n\n"
    "Actions\n\nTest recommendation: the partnership will audit visit records.\n"
)
WORDS = "Test practitioners should record every unannounced visit to the family home."


@pytest.fixture
def setting():
    source = make_source(original_text=BRIEFING)
    review = make_review()
    review.sources.add(source)
    section = make_section(source=source, heading="Learning", role="other", position=10)
    theme = make_theme()
    resource = Resource.objects.create(name="Test guidance on home visits", source=source)
    point = make_learning_point(review=review, source=source, text=WORDS, section=section, position=11, themes=[theme])
    point.resources.add(resource)
    rec = make_recommendation(
        review=review, source=source, text="Test recommendation: the partnership will audit visit records.", number="1"
    )
    return {
        "source": source,
        "review": review,
        "section": section,
        "theme": theme,
        "resource": resource,
        "point": point,
        "rec": rec,
    }


@pytest.fixture
def trainer_client(client):
    client.force_login(make_user("test-trainer", groups=["Trainer"]))
    return client


def kind_url(entry):
    return reverse(f"admin:reviews_{entry._meta.model_name}_kind", args=[entry.pk])


def test_a_published_learning_point_becomes_a_recommendation_keeping_what_it_had(setting, editor):
    point, old_pk = setting["point"], setting["point"].pk
    new = entry_kind_change(point, "recommendation", user=editor, reason="Test: the briefing recommends it")
    assert isinstance(new, Recommendation)
    assert (new.text, new.source, new.section, new.position, new.review) == (
        WORDS,
        setting["source"],
        setting["section"],
        11,
        setting["review"],
    )
    assert list(new.themes.all()) == [setting["theme"]]
    assert list(new.resources.all()) == [setting["resource"]]
    assert not LearningPoint.objects.filter(pk=old_pk).exists()
    move = MovedEntry.objects.get(old_kind="learning_point", old_pk=old_pk)
    assert move.content_object == new


def test_the_old_permanent_link_answers_301_to_the_new_entry(setting, editor, client):
    old_pk = setting["point"].pk
    new = entry_kind_change(setting["point"], "action", user=editor, reason="Test: an action taken")
    response = client.get(f"/lp/{old_pk}/")
    assert response.status_code == 301
    assert response["Location"] == new.get_absolute_url()
    assert client.get(f"/act/{new.pk}/").status_code == 302


def test_history_the_new_one_says_why_and_links_to_the_old_ones(setting, editor, editor_client):
    point, old_pk = setting["point"], setting["point"].pk
    point.text = WORDS.replace("every", "each")
    point._change_reason = "Test: an earlier edit"
    point.save()
    new = entry_kind_change(point, "case_fact", user=editor, reason="Test: a fact about the case")
    first = new.history.earliest()
    assert first.history_change_reason == "Recorded as case fact (was learning): Test: a fact about the case"
    assert first.history_user == editor
    old_history = LearningPoint.history.filter(id=old_pk)
    types = [record.history_type for record in old_history.order_by("history_date", "history_id")]
    assert types[0] == "+" and types[-1] == "-"  # every version kept, up to its deletion
    assert old_history.filter(history_change_reason="Test: an earlier edit").exists()
    assert old_history.latest().history_change_reason == first.history_change_reason
    page = editor_client.get(reverse("admin:reviews_casefact_history", args=[new.pk])).content.decode()
    old_url = reverse("admin:reviews_learningpoint_history", args=[old_pk])
    assert f'href="{old_url}"' in page
    old_page = editor_client.get(old_url)
    assert old_page.status_code == 200
    assert "Test: an earlier edit" in old_page.content.decode()


def test_between_kinds_of_learning_only_the_kind_changes(setting, editor, client):
    point = setting["point"]
    same = entry_kind_change(point, "good_practice", user=editor, reason="Test: it went well")
    assert same.pk == point.pk and same.kind == LearningPoint.Kind.GOOD_PRACTICE
    assert client.get(f"/lp/{point.pk}/").status_code == 302
    assert not MovedEntry.objects.exists()


def test_uses_of_learning_are_kept_against_the_review_or_the_learning(setting, editor):
    point = setting["point"]
    use = LearningUse.objects.create(
        kind="team_briefing", used_on=datetime.date(2024, 5, 1), agency="Test team", people=5, learning_point=point
    )
    entry_kind_change(point, "question", user=editor, reason="Test: a question")
    use.refresh_from_db()
    assert use.learning_point_id == point.pk
    new = entry_kind_change(point, "recommendation", user=editor, reason="Test: recommended")
    use.refresh_from_db()
    assert (use.learning_point_id, use.review_id) == (None, setting["review"].pk)
    assert "Kept against its review" in use.history.latest().history_change_reason
    assert isinstance(new, Recommendation)


def test_course_pack_steps_follow_and_a_step_is_never_left_pointing_nowhere(setting, editor):
    point = setting["point"]
    pack = CoursePack.objects.create(title="Test pack", slug="test-pack", status=PublicationStatus.PUBLISHED)
    step = CoursePackItem.objects.create(pack=pack, kind="learning_point", learning_point=point)
    with pytest.raises(TriageError, match="Test pack"):
        entry_kind_change(point, "case_fact", user=editor, reason="Test")
    assert LearningPoint.objects.filter(pk=point.pk).exists()
    new = entry_kind_change(point, "action", user=editor, reason="Test: an action")
    step.refresh_from_db()
    assert (step.kind, step.action_id, step.learning_point_id) == ("action", new.pk, None)


def test_an_action_answers_the_recommendation_chosen_and_keeps_agencies_and_who(setting, editor):
    from reviews.models import Agency

    rec = setting["rec"]
    agency = Agency.objects.create(slug="test-agency-kinds", name="Test agency for kinds")
    new_rec = entry_kind_change(setting["point"], "recommendation", user=editor, reason="Test")
    new_rec.addressed_to = "Test health visitors"
    new_rec.save()
    new_rec.agencies.add(agency)
    action = entry_kind_change(new_rec, "action", user=editor, reason="Test: answers rec 1", recommendation=rec)
    assert action.recommendation == rec
    assert list(action.agencies.all()) == [agency]
    assert action.owner == "Test health visitors"


def test_a_recommendation_of_another_review_is_refused(setting, editor):
    other = make_recommendation(review=make_review())
    with pytest.raises(TriageError):
        entry_kind_change(setting["point"], "action", user=editor, reason="Test", recommendation=other)


def test_a_recommendation_linked_as_repeating_another_is_refused(setting, editor):
    from reviews.models import RecommendationLink

    earlier = make_recommendation(review=make_review(), text="Test earlier recommendation on visit records.")
    RecommendationLink.objects.create(later=setting["rec"], earlier=earlier, relation="repeats")
    with pytest.raises(TriageError, match="repeating or replacing"):
        entry_kind_change(setting["rec"], "learning", user=editor, reason="Test")
    with pytest.raises(TriageError, match="repeating or replacing"):
        entry_kind_change(earlier, "learning", user=editor, reason="Test")
    assert RecommendationLink.objects.filter(later=setting["rec"], earlier=earlier).exists()


def test_a_reason_is_required(setting, editor):
    with pytest.raises(TriageError, match="Say why"):
        entry_kind_change(setting["point"], "action", user=editor, reason="  ")


def test_the_triage_screens_change_still_refuses_a_published_review(setting, editor):
    with pytest.raises(TriageError, match="published"):
        change_kind(setting["point"], "action", user=editor)


def test_search_and_kept_figures_follow(setting, editor):
    point = setting["point"]
    old_key = entry_key(point)
    search_pending.flush()
    assert old_key in result_keys(run_search("unannounced"))
    new = entry_kind_change(point, "recommendation", user=editor, reason="Test")
    search_pending.flush()
    kept_pending.flush()
    keys = result_keys(run_search("unannounced"))
    assert entry_key(new) in keys and old_key not in keys
    assert writing.differences() == []


# -- The admin ---------------------------------------------------------------


def test_the_entrys_page_links_to_the_form_for_editors(setting, editor_client):
    page = editor_client.get(reverse("admin:reviews_learningpoint_change", args=[setting["point"].pk]))
    assert f'href="{kind_url(setting["point"])}"' in page.content.decode()


def test_a_trainer_can_neither_see_the_link_nor_use_the_form(setting, trainer_client):
    point = setting["point"]
    page = trainer_client.get(reverse("admin:reviews_learningpoint_change", args=[point.pk]))
    assert page.status_code == 200
    assert kind_url(point) not in page.content.decode()
    assert trainer_client.get(kind_url(point)).status_code == 403
    response = trainer_client.post(kind_url(point), {"new_kind": "action", "reason": "Test"})
    assert response.status_code == 403
    assert LearningPoint.objects.filter(pk=point.pk).exists()


def test_the_form_says_what_each_kind_keeps(setting, editor_client):
    page = editor_client.get(kind_url(setting["point"])).content.decode()
    assert WORDS in page
    assert 'value="learning"' not in page  # its kind now
    assert 'value="recommendation"' in page and 'value="resource"' in page
    assert "its 1 theme" in page and "The review is <strong>published</strong>" in page
    lost = page[page.index("Not kept (a resource cannot hold it)") :]
    assert lost[: lost.index("</p>")].count("its 1 theme") == 1


def test_the_form_without_a_reason_changes_nothing(setting, editor_client):
    point = setting["point"]
    response = editor_client.post(kind_url(point), {"new_kind": "action", "reason": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert LearningPoint.objects.filter(pk=point.pk).exists()


def test_the_form_changes_the_kind_and_leads_to_the_new_entry(setting, editor_client):
    point, rec = setting["point"], setting["rec"]
    response = editor_client.post(
        kind_url(point), {"new_kind": "action", "reason": "Test: the board's action", "recommendation": rec.pk}
    )
    action = Action.objects.get(text=WORDS)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:reviews_action_change", args=[action.pk])
    assert action.recommendation == rec and action.section == setting["section"]
    assert MovedEntry.objects.get(old_pk=point.pk).content_type == ContentType.objects.get_for_model(Action)


def test_a_refusal_is_shown_on_the_form(setting, editor_client):
    point = setting["point"]
    pack = CoursePack.objects.create(title="Test pack", slug="test-pack", status=PublicationStatus.PUBLISHED)
    CoursePackItem.objects.create(pack=pack, kind="learning_point", learning_point=point)
    response = editor_client.post(kind_url(point), {"new_kind": "case_fact", "reason": "Test"})
    assert response.status_code == 200
    assert "take the step out of the pack first" in response.content.decode()


def test_a_draft_reviews_entry_changes_the_same_way_and_stays_hidden(editor_client):
    from django.test import Client

    source = make_source(original_text=BRIEFING)
    review = make_review(status=PublicationStatus.DRAFT)
    point = make_learning_point(review=review, source=source, text=WORDS)
    response = editor_client.post(kind_url(point), {"new_kind": "case_fact", "reason": "Test: a fact"})
    assert response.status_code == 302
    fact = CaseFact.objects.get(text=WORDS)
    assert fact.review == review
    assert Client().get(f"/lp/{point.pk}/").status_code == 404  # a draft's entry is never revealed to the public
    assert editor_client.get(f"/lp/{point.pk}/").status_code == 301  # staff are led to it


def test_old_links_to_its_place_on_a_page_still_land_on_it(setting, editor, client):
    point = setting["point"]
    old_anchor = point.anchor
    rec = entry_kind_change(point, "recommendation", user=editor, reason="Test")
    action = entry_kind_change(rec, "action", user=editor, reason="Test")
    assert action.former_anchor_list == [old_anchor, rec.anchor]
    page = client.get(setting["review"].get_absolute_url()).content.decode()
    assert f'<span id="{old_anchor}"></span>' in page and f'<span id="{rec.anchor}"></span>' in page
    assert page.index(f'id="{action.anchor}"') < page.index(f'id="{old_anchor}"')

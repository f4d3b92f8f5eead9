"""Writes in reviews/services/: publishing, action status, merging themes and tags."""

import pytest
from django.db import connection
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from reviews.models import (
    Action,
    CaseFact,
    CoursePack,
    CoursePackItem,
    LearningPoint,
    OldSlug,
    PublicationStatus,
    Recommendation,
    ReflectionQuestion,
    Review,
    Source,
    Theme,
    ThemeAlias,
    ThemeMerge,
)
from reviews.services import (
    action_status_set,
    review_publish,
    review_unpublish,
    source_publish,
    tag_merge,
    theme_merge,
    theme_merged_into,
)
from reviews.services.merging import THEME_RELATIONS_NOT_MOVED

from .support.factories import (
    make_action,
    make_learning_point,
    make_recommendation,
    make_review,
    make_source,
    make_theme,
)

pytestmark = pytest.mark.django_db

DRAFT, PUBLISHED = PublicationStatus.DRAFT, PublicationStatus.PUBLISHED


def draft_review_with_sources():
    source = make_source(status=DRAFT)
    quoted = make_source(status=DRAFT)  # quoted by an entry but not listed on the review
    review = make_review(status=DRAFT)
    review.sources.add(source)
    make_learning_point(review=review, source=quoted)
    return review, source, quoted


def test_publishing_a_review_publishes_it_and_every_source_its_entries_quote(editor):
    review, source, quoted = draft_review_with_sources()
    unrelated = make_source(status=DRAFT)
    review_publish(review=review, user=editor)
    review.refresh_from_db()
    assert review.status == PUBLISHED and review.first_published_at is not None
    assert set(Source.objects.published()) >= {source, quoted}
    unrelated.refresh_from_db()
    assert unrelated.status == DRAFT
    latest = review.history.latest()
    assert latest.history_user == editor and latest.history_change_reason == "Published"
    assert source.history.latest().history_change_reason == "Published"


def test_publishing_makes_entries_public_and_unpublishing_hides_them(client):
    review, _, _ = draft_review_with_sources()
    point = review.learning_points.get()
    assert client.get(review.get_absolute_url()).status_code == 404
    review_publish(review=review)
    assert client.get(review.get_absolute_url()).status_code == 200
    assert point in type(point).objects.published()
    review_unpublish(review=review)
    assert client.get(review.get_absolute_url()).status_code == 404
    assert point not in type(point).objects.published()


def test_unpublishing_keeps_a_source_another_published_review_draws_on():
    shared = make_source(status=DRAFT)
    first, second = make_review(status=DRAFT), make_review(status=DRAFT)
    first.sources.add(shared)
    second.sources.add(shared)
    review_publish(review=first)
    review_publish(review=second)
    review_unpublish(review=first)
    shared.refresh_from_db()
    assert shared.status == PUBLISHED
    review_unpublish(review=second)
    shared.refresh_from_db()
    assert shared.status == DRAFT


def test_unpublishing_keeps_a_source_with_cross_cutting_learning():
    source = make_source(status=DRAFT)
    review = make_review(status=DRAFT)
    review.sources.add(source)
    make_learning_point(review=None, source=source)
    review_publish(review=review)
    review_unpublish(review=review)
    source.refresh_from_db()
    assert source.status == PUBLISHED


def test_first_published_date_survives_unpublishing_and_republishing():
    review = make_review(status=DRAFT)
    review_publish(review=review)
    first = Review.objects.get(pk=review.pk).first_published_at
    review_unpublish(review=review)
    review_publish(review=review)
    assert Review.objects.get(pk=review.pk).first_published_at == first


def test_publishing_twice_adds_no_history():
    review = make_review(status=DRAFT)
    review_publish(review=review)
    versions = review.history.count()
    review_publish(review=review)
    source_publish(source=make_source())
    assert review.history.count() == versions


def test_action_status_records_when_it_changed(editor):
    review = make_review()
    action = make_action(recommendation=make_recommendation(review=review))
    assert action.status_changed_at is None
    action = Action.objects.get(pk=action.pk)
    action_status_set(action=action, status=Action.Status.IN_PROGRESS, user=editor)
    stored = Action.objects.get(pk=action.pk)
    assert stored.status == Action.Status.IN_PROGRESS and stored.status_changed_at is not None
    assert stored.history.latest().history_change_reason == "Status set to In progress"
    with pytest.raises(ValueError):
        action_status_set(action=stored, status="finished")


# ---------------------------------------------------------------------------
# Merging themes
# ---------------------------------------------------------------------------


@pytest.fixture
def two_themes():
    keep = make_theme(name="Test information sharing", slug="test-information-sharing")
    merge = make_theme(name="Test communication", slug="test-communication")
    merge.aliases.create(name="Test alias communication between agencies")
    third = make_theme(name="Test escalation")
    merge.related_themes.add(third, keep)
    review = make_review()
    point = make_learning_point(review=review, themes=[merge])
    both = make_learning_point(review=review, themes=[merge, keep])
    recommendation = make_recommendation(review=review, themes=[merge])
    action = make_action(recommendation=recommendation)
    action.themes.add(merge)
    return keep, merge, third, point, both, recommendation, action


def test_merging_moves_every_item_alias_and_related_theme(two_themes, editor):
    keep, merge, third, point, both, recommendation, action = two_themes
    result = theme_merge(themes=[merge, keep], into=keep, user=editor)
    assert result.merged == ["Test communication"]
    assert result.moved == {
        "case facts": 0,
        "learning points": 2,
        "recommendations": 1,
        "actions": 1,
        "reflection questions": 0,
        "course pack steps": 0,
        "uses recorded": 0,
        "guide sentences and points": 0,
    }
    assert not Theme.objects.filter(pk=merge.pk).exists()
    for item in (point, both, recommendation, action):
        assert list(item.themes.all()) == [keep]
    aliases = set(ThemeAlias.objects.filter(theme=keep).values_list("name", flat=True))
    assert aliases == {"Test alias communication between agencies", "Test communication"}
    assert list(keep.related_themes.all()) == [third]
    history = point.history.latest()
    assert history.history_change_reason == "Theme “Test communication” merged into “Test information sharing”"
    assert history.history_user == editor
    assert [t.theme.name for t in history.themes.all()] == ["Test information sharing"]


def test_a_merged_theme_address_leads_to_the_theme_kept(two_themes, client):
    keep, merge, *_ = two_themes
    merge.slug = "test-communication-renamed"
    merge.save()
    theme_merge(themes=[merge], into=keep)
    assert set(OldSlug.objects.for_object(keep).values_list("slug", flat=True)) == {
        "test-communication",
        "test-communication-renamed",
    }
    for old in ("test-communication", "test-communication-renamed"):
        response = client.get(f"/themes/{old}/")
        assert response.status_code == 301
        assert response["Location"] == keep.get_absolute_url()


def test_merging_a_theme_into_itself_changes_nothing(two_themes):
    keep, *_ = two_themes
    result = theme_merge(themes=[keep], into=keep)
    assert result.merged == [] and Theme.objects.filter(pk=keep.pk).exists()


def test_merging_does_not_add_an_alias_that_already_exists(two_themes):
    keep, merge, *_ = two_themes
    keep.aliases.create(name="TEST COMMUNICATION")
    theme_merge(themes=[merge], into=keep)
    assert ThemeAlias.objects.filter(name__iexact="test communication").count() == 1


def test_merging_moves_trainers_questions_and_course_pack_steps(two_themes):
    """Staff's own writing filed under a merged theme is kept, under the theme kept."""
    keep, merge, *_ = two_themes
    question = ReflectionQuestion.objects.create(text="Test: what would you do next?", theme=merge)
    twin = ReflectionQuestion.objects.create(text="Test: who else needs to know?", theme=merge)
    ReflectionQuestion.objects.create(text="Test: who else needs to know?", theme=keep, is_active=False)
    pack = CoursePack.objects.create(slug="test-pack", title="Test pack")
    step = CoursePackItem.objects.create(pack=pack, kind="theme", theme=merge, notes="Test: discuss this theme.")

    result = theme_merge(themes=[merge], into=keep)

    assert result.moved["reflection questions"] == 2
    assert result.moved["course pack steps"] == 1
    question.refresh_from_db()
    assert question.theme == keep
    assert not ReflectionQuestion.objects.filter(pk=twin.pk).exists()  # the kept theme has it word for word
    kept_twin = ReflectionQuestion.objects.get(theme=keep, text="Test: who else needs to know?")
    assert kept_twin.is_active  # printed, as the merged theme's copy was
    step.refresh_from_db()
    assert step.theme == keep and step.notes == "Test: discuss this theme."
    assert str(step) == "Theme: Test information sharing"  # not "Removed: …"


def test_a_merged_theme_is_recorded_so_its_permanent_link_can_lead_on(two_themes, editor):
    keep, merge, third, *_ = two_themes
    merged_id = merge.pk
    theme_merge(themes=[merge], into=keep, user=editor)
    record = ThemeMerge.objects.get(merged_theme_id=merged_id)
    assert (record.merged_name, record.merged_slug, record.into, record.merged_by) == (
        "Test communication",
        "test-communication",
        keep,
        editor,
    )
    assert theme_merged_into(pk=merged_id) == keep
    assert theme_merged_into(pk=keep.pk) is None
    # Merged again: both earlier ids lead to the theme now kept.
    kept_id = keep.pk
    theme_merge(themes=[keep], into=third)
    assert theme_merged_into(pk=merged_id) == third
    assert theme_merged_into(pk=kept_id) == third


def test_a_merged_theme_permanent_link_leads_to_the_theme_kept(two_themes, client):
    keep, merge, *_ = two_themes
    old_permalink = merge.get_permalink()
    theme_merge(themes=[merge], into=keep)
    response = client.get(old_permalink)
    assert response.status_code in (301, 302)
    assert response["Location"] == keep.get_absolute_url()


# Every relation to a theme, by the model it comes from, and what a merge does with it.
THEME_RELATIONS_MOVED = {
    "Theme": "related themes become the kept theme's",
    "ThemeAlias": "aliases move",
    "ThemeMerge": "earlier merges lead on to the kept theme",
    "CaseFact": "filed under the kept theme",
    "LearningPoint": "filed under the kept theme",
    "Recommendation": "filed under the kept theme",
    "Action": "filed under the kept theme",
    "ReflectionQuestion": "moved",
    "CoursePackItem": "moved",
    "ThemeNationalLink": "the kept theme falls under the merged theme's national themes (its own reasons stand)",
    "NationalTheme": "through ThemeNationalLink",
    "LearningUse": "uses recorded of the merged theme become uses of the kept theme",
    "ThemeGuide": "the guide moves to the kept theme, or its sentences follow the kept theme's own",
}


def test_a_merge_deals_with_every_relation_to_a_theme():
    """A new model pointing at themes must be handled by theme_merge (or listed as derived)."""
    relations = {
        relation.related_model.__name__
        for relation in Theme._meta.get_fields(include_hidden=True)
        if relation.is_relation and relation.auto_created and not relation.concrete
    }
    relations = {
        name
        for name in relations
        if not name.startswith("Historical") and not name.endswith(("_themes", "_related_themes"))
    }
    assert relations == set(THEME_RELATIONS_MOVED) | THEME_RELATIONS_NOT_MOVED


def test_deleting_a_theme_never_deletes_a_question_written_for_it():
    theme = make_theme()
    ReflectionQuestion.objects.create(text="Test: what does this mean for your team?", theme=theme)
    with pytest.raises(ProtectedError):
        theme.delete()
    assert ReflectionQuestion.objects.filter(theme=theme).exists()


def test_merging_themes_with_long_names_keeps_the_reason_within_the_history_field():
    keep = make_theme(name="Test " + "k" * 140)
    merge = make_theme(name="Test " + "m" * 140)
    make_learning_point(review=make_review(), themes=[merge])
    theme_merge(themes=[merge], into=keep)
    reason = LearningPoint.history.latest().history_change_reason
    assert reason.startswith("Theme “Test mmm") and len(reason) == 100


def test_merging_related_themes_is_one_history_entry_of_the_kept_theme(two_themes, editor):
    keep, merge, third, *_ = two_themes
    versions = keep.history.count()
    theme_merge(themes=[merge], into=keep, user=editor)
    assert keep.history.count() == versions + 1
    latest = keep.history.latest()
    assert [row.to_theme for row in latest.related_themes.all()] == [third]
    assert latest.history_change_reason == "Theme “Test communication” merged into “Test information sharing”"


# ---------------------------------------------------------------------------
# Publishing does not slow down with the size of other drafts
# ---------------------------------------------------------------------------


def big_draft(n: int):
    """A draft whose one source is quoted by ``n`` entries of each kind."""
    review = make_review(status=DRAFT)
    source = make_source(status=DRAFT)
    review.sources.add(source)
    LearningPoint.objects.bulk_create(
        LearningPoint(review=review, source=source, text="Test.", ref=f"test-big-lp-{i}") for i in range(n)
    )
    Recommendation.objects.bulk_create(
        Recommendation(review=review, source=source, text="Test.", ref=f"test-big-rec-{i}") for i in range(n)
    )
    Action.objects.bulk_create(
        Action(review=review, source=source, text="Test.", ref=f"test-big-act-{i}") for i in range(n)
    )
    CaseFact.objects.bulk_create(
        CaseFact(review=review, source=source, text="Test.", ref=f"test-big-fact-{i}") for i in range(n)
    )
    return review


def publishing_queries(review):
    with CaptureQueriesContext(connection) as captured:
        review_publish(review=review)
    with CaptureQueriesContext(connection) as unpublished:
        review_unpublish(review=review)
    return [query["sql"] for query in captured.captured_queries], [q["sql"] for q in unpublished.captured_queries]


def test_publishing_a_small_review_costs_the_same_whatever_other_drafts_hold():
    """Sources are found with one EXISTS per relation, never by joining entries of several kinds
    (which multiplies rows: with one large draft present, publishing one entry took 48 seconds)."""
    small, _, _ = draft_review_with_sources()
    alone = publishing_queries(small)

    other, _, _ = draft_review_with_sources()
    big_draft(40)  # 40 × 40 × 40 × 40 joined rows for its source, the old way
    with_big_draft = publishing_queries(other)

    assert [len(queries) for queries in with_big_draft] == [len(queries) for queries in alone]
    for sql in [*with_big_draft[0], *with_big_draft[1]]:
        if '"reviews_source"' in sql.split(" WHERE ")[0]:
            assert "LEFT OUTER JOIN" not in sql, sql


def test_publishing_a_big_draft_publishes_its_source_once():
    review = big_draft(30)
    with CaptureQueriesContext(connection) as captured:
        review_publish(review=review)
    finding_sources = [q["sql"] for q in captured.captured_queries if "EXISTS" in q["sql"]]
    assert len(finding_sources) == 1 and finding_sources[0].startswith('SELECT "reviews_source"')
    assert Source.objects.get(reviews=review).status == PUBLISHED
    review_unpublish(review=review)
    assert Source.objects.get(reviews=review).status == DRAFT


# ---------------------------------------------------------------------------
# Merging tags
# ---------------------------------------------------------------------------


def test_merging_tags_retags_reviews_with_one_history_entry_each(editor):
    first, second = make_review(), make_review()
    first.tags.add("test-cosleeping", "test-alcohol")
    second.tags.add("test-co-sleeping")
    keep = Tag.objects.get(name="test-co-sleeping")
    versions = first.history.count()
    result = tag_merge(tags=list(Tag.objects.filter(name__startswith="test-co")), into=keep, user=editor)
    assert result.merged == ["test-cosleeping"] and result.retagged == 1
    assert sorted(first.tags.names()) == ["test-alcohol", "test-co-sleeping"]
    assert not Tag.objects.filter(name="test-cosleeping").exists()
    assert first.history.count() == versions + 1
    latest = first.history.latest()
    assert sorted(row.tag.name for row in latest.tags.all()) == ["test-alcohol", "test-co-sleeping"]
    assert latest.history_user == editor

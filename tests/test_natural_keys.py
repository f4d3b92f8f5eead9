"""Fixtures never depend on primary keys: everything round-trips by natural key."""

import io
import json

import pytest
from django.core.management import call_command
from taggit.models import Tag

from reviews.models import Action, CaseFact, LearningPoint, Recommendation, Review, TaggedReview, Theme, ThemeAlias

from .support.factories import (
    make_action,
    make_learning_point,
    make_partnership,
    make_recommendation,
    make_review,
    make_source,
    make_theme,
)

pytestmark = pytest.mark.django_db

MODELS = [
    "reviews.partnership",
    "reviews.source",
    "reviews.theme",
    "reviews.themealias",
    "reviews.collection",
    "reviews.review",
    "reviews.section",
    "reviews.casefact",
    "reviews.resource",
    "reviews.learningpoint",
    "reviews.recommendation",
    "reviews.action",
    "taggit.tag",
    "reviews.taggedreview",
]


def dump(tmp_path):
    out = io.StringIO()
    call_command("dumpdata", *MODELS, natural_foreign=True, natural_primary=True, indent=2, stdout=out)
    path = tmp_path / "kb.json"
    path.write_text(out.getvalue())
    return path, json.loads(out.getvalue())


def build_content():
    partnership = make_partnership(slug="testshire")
    source = make_source(slug="testshire-briefing", partnership=partnership)
    theme = make_theme(slug="escalation", name="Escalation")
    ThemeAlias.objects.create(theme=theme, name="Escalation and professional challenge", source=source)
    review = make_review(slug="child-x", partnership=partnership)
    review.sources.add(source)
    review.tags.add("co-sleeping", "alcohol")
    # Another review, tagged too, so that a primary key in place of a natural key shows.
    make_review(slug="child-y", partnership=partnership).tags.add("neglect")
    make_learning_point(review=review, source=source, themes=[theme], ref="child-x-lp-1")
    recommendation = make_recommendation(review=review, source=source, number="1", ref="child-x-rec-1")
    make_action(recommendation=recommendation, source=source, ref="child-x-act-1", status="in_progress")


def test_dump_and_load_by_natural_keys_round_trips(tmp_path):
    build_content()
    path, dumped = dump(tmp_path)
    assert dumped and all("pk" not in obj for obj in dumped)
    tagged = [obj["fields"] for obj in dumped if obj["model"] == "reviews.taggedreview"]
    assert {"content_object": ["child-x"], "tag": ["alcohol"]} in tagged

    for model in (Action, Recommendation, LearningPoint, Review, ThemeAlias, Theme, Tag):
        model.objects.all().delete()
    call_command("loaddata", str(path), verbosity=0)

    review = Review.objects.get_by_natural_key("child-x")
    assert review.partnership.slug == "testshire"
    assert sorted(review.tags.names()) == ["alcohol", "co-sleeping"]
    assert list(Review.objects.get_by_natural_key("child-y").tags.names()) == ["neglect"]
    assert [s.slug for s in review.sources.all()] == ["testshire-briefing"]
    point = LearningPoint.objects.get_by_natural_key("child-x-lp-1")
    assert point.review == review
    assert [t.slug for t in point.themes.all()] == ["escalation"]
    action = Action.objects.get_by_natural_key("child-x-act-1")
    assert action.recommendation.ref == "child-x-rec-1"
    assert action.status == "in_progress"
    assert ThemeAlias.objects.get_by_natural_key("escalation AND professional challenge").theme.slug == "escalation"

    # A second load updates in place rather than duplicating.
    call_command("loaddata", str(path), verbosity=0)
    assert LearningPoint.objects.count() == 1
    assert TaggedReview.objects.count() == 3


def test_every_review_keeps_its_tags_through_a_dump_and_a_load_into_an_empty_database(loaded_kb, tmp_path):
    """Reloaded reviews get new primary keys, as in a fresh database: tags must follow the
    review by its slug (taggit's generic TaggedItem followed the old number, so a review lost
    its tags or took another's)."""
    tags_before = {review.slug: sorted(review.tags.names()) for review in Review.objects.all()}
    assert sum(map(len, tags_before.values())) >= 5
    path, _ = dump(tmp_path)
    ids_before = set(Review.objects.values_list("pk", flat=True))
    for model in (Action, Recommendation, LearningPoint, CaseFact, Review, Tag):
        model.objects.all().delete()
    call_command("loaddata", str(path), verbosity=0)
    assert not ids_before & set(Review.objects.values_list("pk", flat=True))
    assert {review.slug: sorted(review.tags.names()) for review in Review.objects.all()} == tags_before

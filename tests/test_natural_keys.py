"""Fixtures never depend on primary keys: everything round-trips by natural key."""

import io
import json

import pytest
from django.core.management import call_command

from reviews.models import Action, LearningPoint, Recommendation, Review, Theme, ThemeAlias

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

MODELS = [
    "reviews.partnership",
    "reviews.source",
    "reviews.theme",
    "reviews.themealias",
    "reviews.collection",
    "reviews.review",
    "reviews.casefact",
    "reviews.resource",
    "reviews.learningpoint",
    "reviews.recommendation",
    "reviews.action",
]


def build_content():
    partnership = make_partnership(slug="testshire")
    source = make_source(slug="testshire-briefing", partnership=partnership)
    theme = make_theme(slug="escalation", name="Escalation")
    ThemeAlias.objects.create(theme=theme, name="Escalation and professional challenge", source=source)
    review = make_review(slug="child-x", partnership=partnership)
    review.sources.add(source)
    review.tags.add("co-sleeping")
    make_learning_point(review=review, source=source, themes=[theme], ref="child-x-lp-1")
    recommendation = make_recommendation(review=review, source=source, number="1", ref="child-x-rec-1")
    make_action(recommendation=recommendation, source=source, ref="child-x-act-1", status="in_progress")


def test_dump_and_load_by_natural_keys_round_trips(tmp_path):
    build_content()
    out = io.StringIO()
    call_command("dumpdata", *MODELS, natural_foreign=True, natural_primary=True, indent=2, stdout=out)
    dumped = json.loads(out.getvalue())
    assert dumped and all("pk" not in obj for obj in dumped)

    path = tmp_path / "kb.json"
    path.write_text(out.getvalue())
    for model in (Action, Recommendation, LearningPoint, Review, ThemeAlias, Theme):
        model.objects.all().delete()
    call_command("loaddata", str(path), verbosity=0)

    review = Review.objects.get_by_natural_key("child-x")
    assert review.partnership.slug == "testshire"
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

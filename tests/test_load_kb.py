"""load_kb on an empty database: everything loads, and a second run changes nothing."""

import io

import pytest
from django.core.management import call_command

from reviews.models import Action, LearningPoint, Recommendation, Review, Source, Theme

from .support.kb import dump_database

pytestmark = pytest.mark.django_db


def load(**options) -> str:
    out = io.StringIO()
    call_command("load_kb", stdout=out, **options)
    return out.getvalue()


def test_loading_twice_gives_identical_contents_and_says_nothing_changed():
    first = load()
    assert first.startswith("Created: 5 partnerships, 5 sources, 32 themes")
    assert "Updated: nothing." in first
    assert Source.objects.count() == 5
    assert Review.objects.count() == 7
    assert Theme.objects.count() == 32
    assert LearningPoint.objects.count() == 58
    assert Recommendation.objects.count() == 17
    assert Action.objects.count() == 19
    before = dump_database()

    second = load()

    assert second.strip() == (
        "No changes: 5 partnerships, 10 agencies, 5 sources, 32 themes, 18 theme aliases, 1 national theme framework, "
        "11 national themes, 13 national theme links, 1 collection, 7 reviews, "
        "48 sections, 41 resources, 14 case facts, 58 learning points, 17 recommendations, 19 actions, "
        "5 theme guides, 50 guide sentences and points "
        "already up to date."
    )
    assert dump_database() == before

"""``generate_demo_data``: synthetic, clearly marked, never mixed with the real content, searchable."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from reviews.models import (
    Action,
    LearningPoint,
    Partnership,
    PublicationStatus,
    Recommendation,
    Review,
    SearchEntry,
    Source,
    Theme,
)

from .support.factories import make_source
from .support.search import run_search

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


def fixture_files():
    return {path: path.stat().st_mtime_ns for path in FIXTURES.rglob("*") if path.is_file()}


def test_it_writes_marked_synthetic_content_and_indexes_it(db):
    before = fixture_files()
    call_command("generate_demo_data", reviews=12, verbosity=0)
    reviews = Review.objects.all()
    assert reviews.count() == 12
    assert all(review.title.startswith("[Synthetic]") and review.slug.startswith("synthetic-") for review in reviews)
    assert all(review.status == PublicationStatus.PUBLISHED and review.year for review in reviews)
    assert all(
        name.startswith("Synthetic Benchmark Partnership")
        for name in Partnership.objects.values_list("name", flat=True)
    )
    assert all(title.startswith("[Synthetic]") for title in Source.objects.values_list("title", flat=True))
    assert all(name.startswith("[Synthetic]") for name in Theme.objects.values_list("name", flat=True))
    points = LearningPoint.objects.count()
    assert 6 * 12 <= points <= 14 * 12
    assert all(ref.startswith("synthetic-") for ref in LearningPoint.objects.values_list("ref", flat=True))
    assert Recommendation.objects.count() and Action.objects.count()
    assert not LearningPoint.objects.filter(themes__isnull=True).exists()
    # Some reviews are tagged, through the reviews' own tag table.
    assert Review.objects.filter(tags__isnull=False).exists()
    # Everything is in the search index, and search finds it.
    assert SearchEntry.objects.count() == (
        12 + Theme.objects.count() + points + Recommendation.objects.count() + Action.objects.count()
    )
    page = run_search("professionals or practitioners or agencies or staff or officers or visitors")
    assert page.total > 0
    # Nothing was written to the real fixtures.
    assert fixture_files() == before


def test_a_second_run_adds_more(db):
    call_command("generate_demo_data", reviews=3, verbosity=0)
    call_command("generate_demo_data", reviews=2, verbosity=0)
    assert Review.objects.count() == 5
    assert Partnership.objects.count() == 150  # Reused, not duplicated.


def test_it_refuses_a_database_with_real_content(db):
    make_source(slug="a-real-briefing", title="Test briefing standing in for real content")
    with pytest.raises(CommandError, match="did not make"):
        call_command("generate_demo_data", reviews=2, verbosity=0)
    assert not Review.objects.exists()


def test_force_overrides_the_refusal(db):
    make_source(slug="a-real-briefing", title="Test briefing standing in for real content")
    call_command("generate_demo_data", reviews=2, force=True, verbosity=0, no_index=True)
    assert Review.objects.count() == 2


def test_the_same_seed_gives_the_same_text(db):
    call_command("generate_demo_data", reviews=2, verbosity=0, no_index=True)
    first = list(LearningPoint.objects.order_by("ref").values_list("text", flat=True))
    LearningPoint.objects.all().delete()
    Recommendation.objects.all().delete()
    Review.objects.all().delete()
    call_command("generate_demo_data", reviews=2, verbosity=0, no_index=True)
    second = list(LearningPoint.objects.order_by("ref").values_list("text", flat=True))
    assert first == second

"""The data migration for databases made before sections existed (0018): the
headings entries had become sections, and going back puts them back."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("reviews", "0017_sections")]
AFTER = [("reviews", "0018_sections_from_headings")]
HEADINGS_GONE = [("reviews", "0019_remove_entry_heading")]


def migrate(targets):
    """Migrate the test database to ``targets``; the models as they were there."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_database(transactional_db):
    """The test database as it was before 0018, put back to the latest schema afterwards."""
    apps = migrate(BEFORE)
    yield apps
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def make_entries(apps):
    Source = apps.get_model("reviews", "Source")
    Review = apps.get_model("reviews", "Review")
    LearningPoint = apps.get_model("reviews", "LearningPoint")
    Recommendation = apps.get_model("reviews", "Recommendation")
    Action = apps.get_model("reviews", "Action")
    CaseFact = apps.get_model("reviews", "CaseFact")
    briefing = Source.objects.create(slug="test-briefing", title="Test briefing", original_text="Test.")
    newsletter = Source.objects.create(slug="test-newsletter", title="Test newsletter", original_text="Test.")
    one = Review.objects.create(slug="test-one", title="Test one", review_type="scr")
    two = Review.objects.create(slug="test-two", title="Test two", review_type="spr")
    three = Review.objects.create(slug="test-three", title="Test three", review_type="spr")
    entries = {
        "later": LearningPoint.objects.create(
            ref="test-lp-later", review=one, source=briefing, heading="Test Neglect", text="Later.", position=7
        ),
        "earlier": Recommendation.objects.create(
            ref="test-rec-earlier", review=one, source=briefing, heading="Test Neglect", text="Earlier.", position=2
        ),
        "unheaded": Action.objects.create(
            ref="test-act-unheaded", review=one, source=briefing, heading="", text="No heading.", position=1
        ),
        "fact": CaseFact.objects.create(
            ref="test-fact", review=one, source=briefing, heading="Test Child", text="Fact.", position=1
        ),
        "two": LearningPoint.objects.create(
            ref="test-lp-two",
            review=two,
            source=newsletter,
            heading="Test Summary of the key learning",
            text="Two.",
            position=3,
        ),
        "three": LearningPoint.objects.create(
            ref="test-lp-three",
            review=three,
            source=newsletter,
            heading="Test Summary of the key learning",
            text="Three.",
            position=1,
        ),
    }
    return {name: (type(entry).__name__, entry.pk) for name, entry in entries.items()}


def test_each_distinct_heading_becomes_a_section_and_going_back_restores_the_headings(old_database):
    made = make_entries(old_database)

    apps = migrate(AFTER)
    Section = apps.get_model("reviews", "Section")

    def entry(name):
        model, pk = made[name]
        return apps.get_model("reviews", model).objects.get(pk=pk)

    neglect = entry("later").section
    assert neglect == entry("earlier").section
    assert (neglect.heading, neglect.role, neglect.layout, neglect.position) == ("Test Neglect", "other", "text", 2)
    assert neglect.review_id is None  # a briefing about one review: the section is the briefing's
    assert neglect.source.slug == "test-briefing" and neglect.ref.startswith("test-briefing-sec-")
    assert entry("unheaded").section is None
    assert entry("fact").section.heading == "Test Child"
    # The newsletter covers two reviews: one section for each review's part.
    two, three = entry("two").section, entry("three").section
    assert two != three and {two.heading, three.heading} == {"Test Summary of the key learning"}
    assert (two.review.slug, three.review.slug) == ("test-two", "test-three")
    assert Section.objects.count() == 4
    assert len(set(Section.objects.values_list("ref", flat=True))) == 4

    migrate(HEADINGS_GONE)
    apps = migrate(BEFORE)
    LearningPoint = apps.get_model("reviews", "LearningPoint")
    assert LearningPoint.objects.get(pk=made["later"][1]).heading == "Test Neglect"
    assert LearningPoint.objects.get(pk=made["three"][1]).heading == "Test Summary of the key learning"
    assert apps.get_model("reviews", "Action").objects.get(pk=made["unheaded"][1]).heading == ""

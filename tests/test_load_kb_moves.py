"""load_kb when the fixtures record an entry again under another kind, or split it
("replaces"), and rename or merge a theme ("former_slugs"): the old row goes (unless
an editor changed it) and every old link leads to what it became."""

import pytest
from django.core.management import call_command

from reviews.models import (
    CoursePack,
    CoursePackItem,
    LearningPoint,
    MovedEntry,
    OldSlug,
    PublicationStatus,
    Resource,
    Theme,
    ThemeMerge,
)

from .support.kb import copy_fixtures, dump_database, edit_json, find, load_fixtures

pytestmark = pytest.mark.django_db

S_AND_D = "swindon-2018-scrs-s-and-d.json"
NEWSLETTER = "special-practice-review-newsletter.json"
INVISIBLE_GOOD_PRACTICE = "child-three-sec-when-a-child-is-invisible-to-significant-agencies-good-practice"


def before_the_moves(fixtures_dir):
    """The fixtures as they were: a booking link stored as learning, and the Good Practice
    cell that says there was none kept whole as good practice."""

    def signpost_as_learning(data):
        resource = find(data["resources"], "s-and-d-res-conference-core-group-training")
        for key in ("section", "passage", "kind_note", "replaces"):
            del resource[key]
        data["reviews"][0]["learning_points"].append(
            {
                "ref": "s-and-d-lp-05",
                "section": "s-and-d-sec-conference-core-groups-and-strategy-meetings",
                "text": "Book onto the LSCB Conference & Core Group Training",
                "themes": ["strategy-meetings-and-conferences"],
                "resources": ["s-and-d-res-conference-core-group-training"],
            }
        )

    def cell_whole(data):
        child_three = data["reviews"][2]
        child_three["learning_points"] = [p for p in child_three["learning_points"] if p["ref"] != "child-three-lp-12"]
        child_three["learning_points"].append(
            {
                "ref": "child-three-gp-04",
                "kind": "good_practice",
                "section": INVISIBLE_GOOD_PRACTICE,
                "text": "No evidence of good practice at the time but now the Children's Community Nursing Teams to "
                "provide greater oversight.",
                "themes": ["children-invisible-to-services", "management-oversight"],
            }
        )
        del child_three["actions"]

    edit_json(fixtures_dir / "sources" / S_AND_D, signpost_as_learning)
    edit_json(fixtures_dir / "sources" / NEWSLETTER, cell_whole)
    return fixtures_dir


@pytest.fixture
def old_points(tmp_path):
    """The old fixtures loaded: the numbers (primary keys) of the two old entries."""
    load_fixtures(before_the_moves(copy_fixtures(tmp_path)))
    return {ref: LearningPoint.objects.get(ref=ref).pk for ref in ("s-and-d-lp-05", "child-three-gp-04")}


def load(**options) -> str:
    from io import StringIO

    out = StringIO()
    call_command("load_kb", stdout=out, **options)
    return out.getvalue()


def test_a_signpost_recorded_again_as_a_resource_keeps_its_permanent_link(client, old_points):
    pk = old_points["s-and-d-lp-05"]

    output = load()

    assert "replaces 's-and-d-lp-05'" in output and "'s-and-d-lp-05' deleted" in output
    assert not LearningPoint.objects.filter(ref="s-and-d-lp-05").exists()
    resource = Resource.objects.get(ref="s-and-d-res-conference-core-group-training")
    move = MovedEntry.objects.get(old_ref="s-and-d-lp-05")
    assert (move.old_kind, move.old_pk, move.content_object) == ("learning_point", pk, resource)
    response = client.get(f"/lp/{pk}/")
    assert response.status_code == 301
    assert response["Location"] == "/sources/swindon-2018-scrs-s-and-d/#res-s-and-d-res-conference-core-group-training"
    # Done once: the next load has nothing to do.
    before = dump_database()
    assert load().startswith("No changes:")
    assert dump_database() == before


def test_a_split_entry_leads_to_its_first_part_and_its_card_follows(client, old_points):
    pk = old_points["child-three-gp-04"]

    load()

    finding = LearningPoint.objects.get(ref="child-three-lp-12")
    assert MovedEntry.objects.get(old_ref="child-three-gp-04").content_object == finding
    response = client.get(f"/lp/{pk}/")
    assert (response.status_code, response["Location"]) == (301, "/reviews/spr-child-three/#lp-child-three-lp-12")
    card = client.get(f"/embed/lp/{pk}/")
    assert (card.status_code, card["Location"]) == (301, f"/embed/lp/{finding.pk}/")


def test_an_old_entry_an_editor_changed_is_kept_and_listed(client, old_points, editor):
    point = LearningPoint.objects.get(ref="s-and-d-lp-05")
    point.text = "Book onto the LSCB Conference & Core Group Training"
    point.kind_note = ""
    point._history_user = editor
    point.save()

    output = load()

    assert LearningPoint.objects.filter(ref="s-and-d-lp-05").exists()
    assert "the entry it replaces, 's-and-d-lp-05', is kept" in output
    # The move is recorded, but the editor's entry still answers its own link.
    assert MovedEntry.objects.filter(old_ref="s-and-d-lp-05", old_pk=point.pk).exists()
    assert client.get(f"/lp/{point.pk}/")["Location"] == "/reviews/scrs-s-and-d/#lp-s-and-d-lp-05"
    load(overwrite_edits=True)
    assert not LearningPoint.objects.filter(ref="s-and-d-lp-05").exists()


def test_a_course_pack_step_showing_a_split_entry_shows_what_it_became(old_points):
    pack = CoursePack.objects.create(slug="test-pack", title="Test pack", status=PublicationStatus.PUBLISHED)
    step = CoursePackItem.objects.create(
        pack=pack, kind="learning_point", learning_point_id=old_points["child-three-gp-04"], position=1
    )

    output = load()

    step.refresh_from_db()
    assert step.learning_point.ref == "child-three-lp-12"
    assert "course pack 'test-pack' step 1 now shows 'child-three-lp-12'" in output


def test_an_entry_moved_in_a_database_that_never_had_it_is_recorded_without_a_number(client):
    load()
    move = MovedEntry.objects.get(old_ref="s-and-d-lp-18")
    assert (move.old_kind, move.old_pk) == ("learning_point", None)
    assert move.content_object == Resource.objects.get(ref="s-and-d-res-resistant-families-training")


def test_a_theme_renamed_keeps_its_number_and_one_merged_into_it_leads_there(client):
    lived = Theme.objects.create(slug="lived-experience-and-culture", name="Culture and the child's lived experience")
    voice = Theme.objects.create(slug="voice-of-the-child", name="Voice of the child")

    output = load()

    lived.refresh_from_db()
    assert lived.slug == "voice-and-lived-experience" and lived.name == "The child's voice and lived experience"
    assert "theme 'lived-experience-and-culture' renamed 'voice-and-lived-experience'" in output
    assert "theme 'voice-of-the-child' merged into 'voice-and-lived-experience'" in output
    assert not Theme.objects.filter(slug="voice-of-the-child").exists()
    assert ThemeMerge.objects.kept_theme_for(voice.pk) == lived
    for old in ("lived-experience-and-culture", "voice-of-the-child"):
        response = client.get(f"/themes/{old}/")
        assert (response.status_code, response["Location"]) == (301, "/themes/voice-and-lived-experience/")
    assert client.get(f"/t/{voice.pk}/")["Location"] == "/themes/voice-and-lived-experience/"
    assert client.get(f"/t/{lived.pk}/")["Location"] == "/themes/voice-and-lived-experience/"
    assert load().startswith("No changes:")


def test_a_former_slug_an_editor_gave_to_another_theme_stays_theirs():
    editors_theme = Theme.objects.create(slug="test-editors-theme", name="Test editor's theme")
    OldSlug.remember(obj=editors_theme, slug="voice-of-the-child")

    output = load()

    assert OldSlug.objects.renamed(Theme.objects.all(), "voice-of-the-child") == editors_theme
    assert "former slug 'voice-of-the-child' (an editor pointed it at another theme)" in output

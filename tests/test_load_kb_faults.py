"""load_kb with faulty or changed fixtures: faults stop the load, name the file
and the object, and leave the database exactly as it was; changes update in
place; rows that left the fixtures are reported, and deleted only on request."""

import io

import pytest
from django.core.management import CommandError, call_command

from reviews.models import Action, LearningPoint, Partnership, Review, Theme

from .support.factories import make_review, make_source, make_theme
from .support.kb import copy_fixtures, dump_database, edit_json, find, load_fixtures

pytestmark = pytest.mark.usefixtures("loaded_kb_module", "db")


@pytest.fixture
def fixtures_dir(tmp_path):
    """A copy of the real fixtures to break or change."""
    return copy_fixtures(tmp_path)


def load(fixtures_dir, **options) -> str:
    return load_fixtures(fixtures_dir, **options)


# Each fault: how to make it, and what the message must name.
def bad_json(d):
    path = d / "sources" / "swindon-2019-child-m.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"published": "2019-09"', '"published": "2019-09",'))


def unknown_theme(d):
    edit_json(
        d / "sources" / "swindon-2019-child-m.json",
        lambda data: find(data["reviews"][0]["learning_points"], "child-m-lp-07").update(themes=["neglekt"]),
    )


def missing_briefing(d):
    (d / "briefings" / "002_52b955c7169f962b.txt").unlink()


def missing_themes_file(d):
    (d / "themes.json").unlink()


def duplicate_ref(d):
    edit_json(
        d / "sources" / "special-practice-review-newsletter.json",
        lambda data: find(data["reviews"][0]["learning_points"], "child-one-lp-02").update(ref="child-one-lp-01"),
    )


def text_not_in_source(d):
    def change(data):
        point = find(data["reviews"][0]["learning_points"], "s-and-d-lp-02")
        point["text"] = point["text"].replace("the key forum", "the key forums")

    edit_json(d / "sources" / "swindon-2018-scrs-s-and-d.json", change)


def unknown_key(d):
    edit_json(d / "sources" / "hampshire-child-k-response.json", lambda data: data["reviews"][0].update(colour="red"))


def unknown_partnership(d):
    edit_json(
        d / "sources" / "salford-2023-recurring-themes.json",
        lambda data: data["source"].update(partnership="salford-board"),
    )


def unknown_status(d):
    edit_json(
        d / "sources" / "swindon-2019-child-m.json",
        lambda data: find(data["reviews"][0]["actions"], "child-m-act-05").update(status="finished"),
    )


def unknown_repeat(d):
    edit_json(
        d / "sources" / "swindon-2019-child-m.json",
        lambda data: find(data["reviews"][0]["learning_points"], "child-m-lp-01").update(repeats="s-and-d-lp-99"),
    )


def invented_owner(d):
    edit_json(
        d / "sources" / "swindon-2019-child-m.json",
        lambda data: find(data["reviews"][0]["actions"], "child-m-act-05").update(owner="Oxfordshire Police"),
    )


def invented_target_date(d):
    edit_json(
        d / "sources" / "swindon-2019-child-m.json",
        lambda data: find(data["reviews"][0]["actions"], "child-m-act-05").update(target_date_as_stated="March 2021"),
    )


def invented_children(d):
    edit_json(
        d / "sources" / "swindon-2019-child-m.json",
        lambda data: data["reviews"][0].update(children="Child M and his sister"),
    )


def invented_addressee(d):
    edit_json(
        d / "sources" / "special-practice-review-newsletter.json",
        lambda data: find(data["reviews"][0]["recommendations"], "child-one-rec-01").update(
            addressed_to="Health visitors"
        ),
    )


def unrelated_repeat(d):
    edit_json(
        d / "sources" / "swindon-2019-child-m.json",
        lambda data: find(data["reviews"][0]["learning_points"], "child-m-lp-01").update(repeats="s-and-d-lp-17"),
    )


def replaces_a_ref_in_use(d):
    edit_json(
        d / "sources" / "swindon-2018-scrs-s-and-d.json",
        lambda data: find(data["resources"], "s-and-d-res-conference-core-group-training").update(
            replaces="s-and-d-lp-03"
        ),
    )


def replaced_twice(d):
    edit_json(
        d / "sources" / "swindon-2018-scrs-s-and-d.json",
        lambda data: find(data["resources"], "s-and-d-res-resistant-families-training").update(
            replaces="s-and-d-lp-05"
        ),
    )


def former_slug_in_use(d):
    def change(data):
        find_theme = next(theme for theme in data["themes"] if theme["slug"] == "voice-and-lived-experience")
        find_theme["former_slugs"].append("neglect")

    edit_json(d / "themes.json", change)


def signpost_without_its_name(d):
    edit_json(
        d / "sources" / "swindon-2018-scrs-s-and-d.json",
        lambda data: find(data["resources"], "s-and-d-res-conference-core-group-training").update(
            name="LSCB Neglect Training"
        ),
    )


def signpost_without_a_note(d):
    edit_json(
        d / "sources" / "swindon-2018-scrs-s-and-d.json",
        lambda data: find(data["resources"], "s-and-d-res-conference-core-group-training").pop("kind_note"),
    )


def no_theme(d):
    edit_json(
        d / "sources" / "swindon-2019-child-m.json",
        lambda data: find(data["reviews"][0]["learning_points"], "child-m-lp-07").update(themes=[]),
    )


@pytest.mark.parametrize(
    "break_fixtures, expected",
    [
        (
            replaces_a_ref_in_use,
            ["resource 's-and-d-res-conference-core-group-training': replaces 's-and-d-lp-03', which is still"],
        ),
        (
            replaced_twice,
            [
                "resource 's-and-d-res-resistant-families-training': 's-and-d-lp-05' is replaced already by "
                "'s-and-d-res-conference-core-group-training'"
            ],
        ),
        (former_slug_in_use, ["theme 'voice-and-lived-experience': former slug 'neglect' is a theme's slug now"]),
        (
            signpost_without_its_name,
            ["resource 's-and-d-res-conference-core-group-training': its passage does not contain its name"],
        ),
        (
            signpost_without_a_note,
            [
                "resource 's-and-d-res-conference-core-group-training': a resource under section "
                "'s-and-d-sec-conference-core-groups-and-strategy-meetings'",
                "needs a 'kind_note'",
            ],
        ),
        (no_theme, ["learning point 'child-m-lp-07': give at least 1 theme (none found)"]),
        (invented_owner, ["action 'child-m-act-05': owner not found word for word", "Oxfordshire Police"]),
        (invented_target_date, ["action 'child-m-act-05': target_date_as_stated not found word for word"]),
        (invented_children, ["review 'child-m': children not found word for word"]),
        (invented_addressee, ["recommendation 'child-one-rec-01': addressed_to not found word for word"]),
        (unrelated_repeat, ["learning point 'child-m-lp-01': 'repeats' names 's-and-d-lp-17', which does not share"]),
        (bad_json, ["sources/swindon-2019-child-m.json: invalid JSON at line 9, column"]),
        (unknown_theme, ["sources/swindon-2019-child-m.json: learning point 'child-m-lp-07': unknown theme 'neglekt'"]),
        (
            missing_briefing,
            [
                "sources/hampshire-child-k-response.json: source 'hampshire-child-k-response': briefing file",
                "002_52b955c7169f962b.txt not found",
            ],
        ),
        (missing_themes_file, ["themes.json: file not found"]),
        (duplicate_ref, ["learning point 'child-one-lp-01': duplicate ref"]),
        (
            text_not_in_source,
            [
                "sources/swindon-2018-scrs-s-and-d.json: learning point 's-and-d-lp-02': text not found word for word "
                "in the briefing 001_4335b05ff962ec0e.txt",
                "matches as far as",
            ],
        ),
        (unknown_key, ["sources/hampshire-child-k-response.json: review 'child-k': unknown key 'colour'"]),
        (unknown_partnership, ["source 'salford-2023-recurring-themes': unknown partnership 'salford-board'"]),
        (unknown_status, ["action 'child-m-act-05': unknown status 'finished'"]),
        (unknown_repeat, ["learning point 'child-m-lp-01': repeats unknown learning point 's-and-d-lp-99'"]),
    ],
    ids=lambda value: getattr(value, "__name__", ""),
)
def test_a_broken_fixture_names_the_fault_and_changes_nothing(fixtures_dir, break_fixtures, expected):
    break_fixtures(fixtures_dir)
    before = dump_database()
    with pytest.raises(CommandError) as raised:
        load(fixtures_dir)
    message = str(raised.value)
    assert "nothing was loaded" in message
    for part in expected:
        assert part in message
    assert dump_database() == before


def test_a_fault_found_while_writing_rolls_back_what_was_already_written(fixtures_dir):
    # Partnerships are written first; the bad URL is only caught by the model's
    # validation when resources are written, after the partnership was saved.
    edit_json(
        fixtures_dir / "partnerships.json",
        lambda data: data["partnerships"][0].update(name="Renamed Safeguarding Children Board"),
    )
    edit_json(
        fixtures_dir / "sources" / "swindon-2019-child-m.json",
        lambda data: find(data["resources"], "child-m-res-mash").update(url="not a web address"),
    )
    before = dump_database()
    with pytest.raises(
        CommandError, match=r"resource 'child-m-res-mash': url: Enter a web address starting https:// or http://"
    ):
        load(fixtures_dir)
    assert dump_database() == before
    assert Partnership.objects.get(slug="hampshire-safeguarding-children-board").name == (
        "Hampshire Safeguarding Children Board"
    )


def test_a_changed_entry_is_updated_in_place(fixtures_dir):
    point = LearningPoint.objects.get(ref="s-and-d-lp-02")
    history = point.history.count()

    def shorten(data):
        find(data["reviews"][0]["learning_points"], "s-and-d-lp-02")["text"] = (
            "Child protection conferences, core groups and strategy meetings are the key forum"
        )

    edit_json(fixtures_dir / "sources" / "swindon-2018-scrs-s-and-d.json", shorten)
    out = load(fixtures_dir)

    assert "Created: nothing." in out and "Updated: 1 learning point." in out
    point.refresh_from_db()
    assert point.text.endswith("are the key forum")
    assert point.history.count() == history + 1


def test_check_reports_what_would_change_and_rolls_back(fixtures_dir):
    edit_json(
        fixtures_dir / "sources" / "hampshire-child-k-response.json",
        lambda data: data["reviews"][0].update(tags=["alcohol"]),
    )
    before = dump_database()
    out = load(fixtures_dir, check=True)
    assert out.startswith("The fixtures are valid. Loading them would give:")
    assert "Updated: 1 review." in out
    assert dump_database() == before


def test_rows_no_longer_in_the_fixtures_are_reported_and_kept_unless_pruned(fixtures_dir):
    edit_json(
        fixtures_dir / "sources" / "swindon-2019-child-m.json",
        lambda data: data["reviews"][0]["actions"].remove(find(data["reviews"][0]["actions"], "child-m-act-04")),
    )
    out = load(fixtures_dir)
    assert "action 'child-m-act-04' (from source 'swindon-2019-child-m')" in out
    assert "run with --prune to delete them" in out
    assert Action.objects.filter(ref="child-m-act-04").exists()

    out = load(fixtures_dir, prune=True)
    assert "Deleted (no longer in the fixtures): 1 action." in out
    assert not Action.objects.filter(ref="child-m-act-04").exists()


def test_content_editors_added_outside_the_fixture_sources_is_left_alone():
    theme = make_theme(slug="editors-theme", name="A theme an editor added")
    review = make_review(slug="editors-review")
    review.sources.add(make_source(slug="editors-source"))
    out = io.StringIO()
    call_command("load_kb", stdout=out)
    assert out.getvalue().startswith("No changes:")
    assert "no longer in the fixtures" not in out.getvalue()
    assert Theme.objects.filter(pk=theme.pk).exists() and Review.objects.filter(pk=review.pk).exists()


def test_a_missing_fixtures_folder_is_named(tmp_path):
    with pytest.raises(CommandError, match="fixtures folder not found"):
        load(tmp_path / "nowhere")

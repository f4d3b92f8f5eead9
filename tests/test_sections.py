"""Sections as data: each entry records the section of its briefing it sits under
(the heading as printed, a table's rows and cells too) and its place in the
briefing; the loader checks both, and each entry's kind against its section's role."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from reviews.importing.structure import guess_role, parse_briefing
from reviews.models import (
    Action,
    CaseFact,
    LearningPoint,
    Recommendation,
    Resource,
    Review,
    Section,
    Source,
    Theme,
)
from reviews.selectors.common import reviews_about, themes_by_review
from reviews.services import briefing_import, theme_merge

from .support.admin import admin_form_data
from .support.factories import (
    make_learning_point,
    make_review,
    make_section,
    make_source,
    make_theme,
)
from .support.kb import copy_fixtures, dump_database, edit_json, find, load_fixtures
from .support.search import run_search

pytestmark = pytest.mark.usefixtures("loaded_kb_module", "db")

CHILD_M = "sources/swindon-2019-child-m.json"
S_AND_D = "sources/swindon-2018-scrs-s-and-d.json"
CHILD_K = "sources/hampshire-child-k-response.json"
NEWSLETTER = "sources/special-practice-review-newsletter.json"
SALFORD = "sources/salford-2023-recurring-themes.json"


# ---------------------------------------------------------------------------
# The model
# ---------------------------------------------------------------------------


def test_a_section_is_found_by_its_ref_and_names_its_heading_and_role():
    section = Section.objects.get_by_natural_key("child-m-sec-engaging-with-families")
    assert section.natural_key() == ("child-m-sec-engaging-with-families",)
    assert str(section) == "Engaging with families (Learning)"
    assert section.source.slug == "swindon-2019-child-m"
    assert section.anchor == "sec-child-m-sec-engaging-with-families"


def test_a_section_without_a_ref_gets_one():
    section = make_section(ref="", heading="Test heading without a ref")
    assert section.ref.startswith("sec-test-heading-without-a-ref-")


@pytest.mark.parametrize(
    "layout, with_parent",
    [("row", False), ("cell", False), ("text", True), ("table", True)],
)
def test_only_a_tables_rows_and_a_rows_cells_have_a_parent(layout, with_parent):
    source = make_source()
    table = make_section(source=source, layout="table")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_section(source=source, layout=layout, parent=table if with_parent else None)


def test_a_section_cannot_be_its_own_parent():
    row = make_section(layout="row", parent=make_section(layout="table"))
    row.parent_id = row.pk
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()


def test_a_cell_belongs_under_a_row_of_the_same_briefing():
    source = make_source()
    table = make_section(source=source, layout="table")
    cell = Section(source=source, heading="Test column", layout="cell", parent=table)
    with pytest.raises(ValidationError) as raised:
        cell.full_clean()
    assert "A table cell belongs under a table row" in str(raised.value)
    other_row = make_section(layout="row", parent=make_section(layout="table"))
    cell.parent = other_row
    with pytest.raises(ValidationError, match="another briefing"):
        cell.full_clean()


def test_a_sections_review_is_drawn_from_its_briefing():
    section = Section(source=make_source(), heading="Test heading", review=make_review())
    with pytest.raises(ValidationError, match="not drawn from this section's briefing"):
        section.full_clean()


def test_an_entry_reads_its_heading_from_its_section():
    assert LearningPoint.objects.get(ref="s-and-d-lp-09").heading == "Escalation"
    assert make_learning_point(review=make_review()).heading == ""


def test_an_entry_whose_kind_its_section_does_not_hold_needs_a_note():
    action = Action.objects.get(ref="child-m-act-01")
    assert action.section.role == Section.Role.LEARNING and action.kind_note
    action.full_clean()
    action.kind_note = ""
    with pytest.raises(ValidationError) as raised:
        action.full_clean()
    message = raised.value.message_dict["kind_note"][0]
    assert "“Communication and Information Sharing” is one of learning" in message
    assert "which holds key fact or learning, not action" in message


def test_an_entry_sits_in_a_section_of_its_own_briefing():
    point = LearningPoint.objects.get(ref="child-m-lp-01")
    point.section = Section.objects.get(ref="s-and-d-sec-neglect")
    with pytest.raises(ValidationError, match="another briefing"):
        point.full_clean()


def test_a_resource_given_as_a_passage_sits_in_a_section_of_further_information():
    mash = Resource.objects.get(ref="child-m-res-mash")
    mash.full_clean()
    mash.section = Section.objects.get(ref="child-m-sec-engaging-with-families")
    with pytest.raises(ValidationError, match="belongs in a section of further information"):
        mash.full_clean()


def test_a_table_cell_is_placed_by_its_row_and_column():
    point = LearningPoint.objects.select_related("section__parent__parent").get(ref="child-three-lp-05")
    assert point.heading == "Learning Points"
    assert point.heading_in_context == "Transition Issues › Learning Points"
    assert point.heading_path == [
        "Summary of the key learning and good practice examples",
        "Transition Issues",
        "Learning Points",
    ]


def test_a_case_facts_theme_puts_the_theme_in_its_review_and_makes_it_public():
    review = make_review()
    theme = make_theme(name="Test theme on a case fact only")
    assert not Theme.objects.public().filter(pk=theme.pk).exists()
    fact = CaseFact.objects.create(review=review, source=make_source(), text="Test fact.")
    fact.themes.set([theme])
    assert Theme.objects.public().filter(pk=theme.pk).exists()
    assert list(reviews_about(theme)) == [review]
    assert [t.pk for t in themes_by_review([review.pk])[review.pk]] == [theme.pk]


def test_the_theme_page_and_review_index_show_a_review_a_case_fact_puts_on_the_theme(client):
    review = make_review(title="Test review with a themed fact")
    theme = make_theme(name="Test theme of a fact", slug="test-theme-of-a-fact")
    CaseFact.objects.create(review=review, source=make_source(), text="Test fact on the theme.").themes.set([theme])
    page = client.get(theme.get_absolute_url()).content.decode()
    assert "Test review with a themed fact" in page and "Test fact on the theme." in page
    index = client.get(reverse("reviews:review-index"), {"theme": theme.slug}).content.decode()
    assert "Test review with a themed fact" in index


def test_merging_themes_files_case_facts_under_the_kept_theme(editor):
    keep, merge = make_theme(name="Test kept"), make_theme(name="Test merged")
    fact = CaseFact.objects.create(review=make_review(), source=make_source(), text="Test fact.")
    fact.themes.set([merge])
    result = theme_merge(themes=[merge], into=keep, user=editor)
    assert result.moved["case facts"] == 1
    assert list(fact.themes.all()) == [keep]


# ---------------------------------------------------------------------------
# The seed briefings: their sections, in order, and every entry in its own
# ---------------------------------------------------------------------------

GP, LP = ("cell", "Good Practice", "good_practice"), ("cell", "Learning Points", "learning")
ROWS = [
    "Child Protection and Mental Capacity",
    "Transition Issues",
    "Interagency Working",
    "When a Child is Invisible to Significant Agencies",
    "Parents And Carers",
]
SECTIONS = {
    "child-m": [
        ("text", "Communication and Information Sharing", "learning"),
        ("text", "Children moving out of or into Swindon", "learning"),
        ("text", "Serious Case Review – Child M", "background"),
        ("text", "Engaging with families", "learning"),
        ("text", "Joint assessments and a multi-agency approach", "learning"),
        ("text", "Concerned about a child? Contact the", "further_information"),
    ],
    "scrs-s-and-d": [
        ("text", "Safe Sleeping Guidance", "learning"),
        ("text", "Conference, Core Groups and Strategy Meetings", "learning"),
        ("text", "Communication and Information Sharing", "learning"),
        ("text", "Escalation", "learning"),
        ("text", "Serious Case Reviews S & D", "background"),
        ("text", "Neglect", "learning"),
        ("text", "Disguised Compliance & Capacity to Change", "learning"),
        ("text", "Concerned about a child? Contact the", "further_information"),
    ],
    "child-k": [
        ("text", "", "background"),
        ("text", "The report provides HSCB with the following recommendations:", "recommendations"),
    ],
    "spr-child-one": [
        ("text", "Child One", "case"),
        ("text", "Summary of the key learning", "learning"),
        ("text", "Key Actions and Recommendations", "recommendations"),
    ],
    "spr-child-two": [
        ("text", "Child Two", "case"),
        ("text", "Summary of the key learning", "learning"),
        ("text", "Recommendations", "recommendations"),
    ],
    "spr-child-three": [
        ("text", "Child Three", "case"),
        ("table", "Summary of the key learning and good practice examples", "learning"),
        *[section for row in ROWS for section in (("row", row, "learning"), GP, LP)],
        ("text", "Key Actions and Recommendations", "recommendations"),
    ],
    "salford-recurring-themes-2021-23": [
        ("text", "Information sharing and communication", "learning"),
        ("text", "Cultural consciousness and professional curiosity", "learning"),
        ("text", "Roles of males in families", "learning"),
        ("text", "Safeguarding Babies under 1 and water safety", "learning"),
        ("text", "Strategy meetings", "learning"),
        ("text", "Escalation and professional challenge", "learning"),
        ("text", "Knife crime /Adolescents", "learning"),
        ("text", "Contact details", "further_information"),
    ],
}


@pytest.mark.parametrize("slug", list(SECTIONS))
def test_each_review_has_its_briefings_sections_in_order(slug):
    review = Review.objects.get(slug=slug)
    sections = Section.objects.filter(source__in=review.sources.all()).order_by("position")
    found = [(s.layout, s.heading, s.role) for s in sections if s.review_id in (None, review.pk)]
    assert found == SECTIONS[slug]


def test_every_entry_and_every_section_of_a_briefing_has_its_own_place():
    for source in Source.objects.all():
        places = [
            *source.sections.values_list("position", flat=True),
            *source.resources.values_list("position", flat=True),
            *(
                p
                for model in (CaseFact, LearningPoint, Recommendation, Action)
                for p in model.objects.filter(source=source).values_list("position", flat=True)
            ),
        ]
        assert sorted(places) == list(range(1, len(places) + 1)), source.slug


def test_every_entry_sits_in_its_own_section_in_the_briefings_order():
    """After its section's heading, and before the next heading at the same level or above:
    the next text section or table for an entry under a heading; for one in a table's cell,
    the next row too."""
    models = (CaseFact, LearningPoint, Recommendation, Action)
    entries = [entry for model in models for entry in model.objects.select_related("section__parent")]
    assert entries and all(entry.section is not None for entry in entries)
    for entry in entries:
        section = entry.section
        opening = section.parent if section.layout == Section.Layout.CELL else section
        assert opening.position < entry.position, entry.ref
        closing = Section.objects.filter(source=entry.source, position__gt=opening.position)
        if section.layout in (Section.Layout.ROW, Section.Layout.CELL):
            closing = closing.exclude(layout=Section.Layout.CELL)
        else:
            closing = closing.filter(layout__in=[Section.Layout.TEXT, Section.Layout.TABLE])
        following = closing.order_by("position").first()
        if following is not None:
            assert entry.position < following.position, entry.ref
        if section.review_id:
            assert section.review_id == entry.review_id, entry.ref


def test_positions_follow_the_briefing_across_kinds():
    def position(model, ref):
        return model.objects.get(ref=ref).position

    # One unpunctuated sentence of Child M's briefing: the s17 issue, then what was done about it.
    assert position(LearningPoint, "child-m-lp-13") + 1 == position(Action, "child-m-act-01")
    assert position(LearningPoint, "child-m-lp-02") < position(LearningPoint, "child-m-lp-13")
    assert position(Action, "child-m-act-01") < position(LearningPoint, "child-m-lp-03")
    # Each of Hampshire's recommendations is followed by the board's answers to it.
    order = [
        position(Recommendation, "child-k-rec-1"),
        position(Action, "child-k-act-1a"),
        position(Action, "child-k-act-1b"),
        position(Recommendation, "child-k-rec-2"),
        position(Action, "child-k-act-2a"),
    ]
    assert order == sorted(order)
    # The newsletter's table: a row's good practice, then its learning points, then the next row.
    assert (
        position(LearningPoint, "child-three-gp-01")
        < position(LearningPoint, "child-three-lp-03")
        < position(Section, "child-three-sec-transition-issues")
        < position(LearningPoint, "child-three-gp-02")
    )


def test_the_kind_notes_are_where_a_kind_differs_from_its_sections_role():
    noted = {
        entry.ref
        for model in (CaseFact, LearningPoint, Recommendation, Action)
        for entry in model.objects.exclude(kind_note="")
    }
    assert noted == {
        "child-m-act-01",
        "child-m-act-02",
        "child-m-act-03",
        "child-m-act-04",
        "child-m-act-05",
        "child-m-lp-07",
        "s-and-d-act-01",
        "s-and-d-act-02",
        # The Good Practice cell that says there was none at the time, and the change since.
        "child-three-lp-12",
        "child-three-act-01",
    }
    for model in (CaseFact, LearningPoint, Recommendation, Action):
        for entry in model.objects.select_related("section"):
            assert entry.section.holds(entry.section_kind) or entry.kind_note, entry.ref
    # The signposts closing a section of learning.
    signposts = Resource.objects.exclude(kind_note="").select_related("section")
    assert {resource.ref for resource in signposts} == {
        "s-and-d-res-south-west-cp-procedures",
        "s-and-d-res-conference-core-group-training",
        "s-and-d-res-resistant-families-training",
    }
    for resource in signposts:
        assert resource.section.role == "learning" and resource.passage, resource.ref


def test_only_resources_the_briefing_gives_as_passages_have_a_section():
    given = set(Resource.objects.filter(section__isnull=False).values_list("ref", flat=True))
    assert given == {
        "child-m-res-mash",
        "s-and-d-res-mash",
        "salford-res-sscp-contact",
        # Signposts of their own (a paragraph, a booking link), once stored as learning.
        "s-and-d-res-south-west-cp-procedures",
        "s-and-d-res-conference-core-group-training",
        "s-and-d-res-resistant-families-training",
    }


# ---------------------------------------------------------------------------
# The loader's checks: each fault names the file and the object, and loads nothing
# ---------------------------------------------------------------------------


def retired_heading(data):
    find(data["reviews"][0]["learning_points"], "child-m-lp-01")["heading"] = "Communication and Information Sharing"


def unknown_section(data):
    find(data["reviews"][0]["learning_points"], "child-m-lp-01")["section"] = "child-m-sec-nowhere"


def misspelt_heading(data):
    find(data["sections"], "child-m-sec-engaging-with-families")["heading"] = "Engaging with familes"


def sections_out_of_order(data):
    data["sections"][0], data["sections"][1] = data["sections"][1], data["sections"][0]


def entry_under_another_section(data):
    find(data["reviews"][0]["learning_points"], "child-m-lp-05")["section"] = (
        "child-m-sec-communication-and-information-sharing"
    )


def kind_without_a_note(data):
    del find(data["reviews"][0]["actions"], "child-m-act-01")["kind_note"]


def note_without_a_reason(data):
    find(data["reviews"][0]["learning_points"], "child-m-lp-01")["kind_note"] = "Test note."


def run_in_separator_kept(data):
    find(data["sections"], "s-and-d-sec-escalation")["heading"] = "Escalation;"


def passage_resource_in_learning(data):
    find(data["resources"], "s-and-d-res-mash")["section"] = "s-and-d-sec-neglect"


def bullet_in_the_wrong_column(data):
    point = find(data["reviews"][2]["learning_points"], "child-three-lp-01")
    point["section"] = "child-three-sec-child-protection-and-mental-capacity-good-practice"
    point["kind_note"] = "Test note."


def row_under_text(data):
    find(data["sections"], "child-three-sec-transition-issues")["parent"] = "child-three-sec-child-three"


def cell_without_a_row(data):
    del find(data["sections"], "child-three-sec-transition-issues-good-practice")["parent"]


def another_reviews_section(data):
    find(data["reviews"][1]["case_facts"], "child-two-fact-01")["section"] = "child-one-sec-child-one"


def unknown_review(data):
    find(data["sections"], "child-one-sec-child-one")["review"] = "spr-child-nine"


def invented_unanswered_part(data):
    find(data["reviews"][0]["recommendations"], "child-k-rec-3")["unanswered_parts"] = [
        "share historic information about a child, young person or family with relevant practitioners",
        "publish the review in full",
    ]


def empty_heading_after_the_first(data):
    find(data["sections"], "salford-sec-strategy-meetings")["heading"] = ""


@pytest.mark.parametrize(
    "file, break_fixture, expected",
    [
        (CHILD_M, retired_heading, ["learning point 'child-m-lp-01': 'heading' is no longer used", "'section'"]),
        (CHILD_M, unknown_section, ["learning point 'child-m-lp-01': unknown section 'child-m-sec-nowhere'"]),
        (
            CHILD_M,
            misspelt_heading,
            [
                "section 'child-m-sec-engaging-with-families': heading “Engaging with familes” not found word for "
                "word in the briefing 000_061062a55a416d00.txt"
            ],
        ),
        (
            CHILD_M,
            sections_out_of_order,
            [
                "section 'child-m-sec-communication-and-information-sharing': heading “Communication and Information "
                "Sharing” not found",
                "after the heading of the section listed before it, "
                "'child-m-sec-children-moving-out-of-or-into-swindon'",
            ],
        ),
        (
            CHILD_M,
            entry_under_another_section,
            [
                "learning point 'child-m-lp-05': text found in the briefing 000_061062a55a416d00.txt, but not under "
                "its section 'child-m-sec-communication-and-information-sharing'",
                "before the next one (“Children moving out of or into Swindon”)",
            ],
        ),
        (
            CHILD_M,
            kind_without_a_note,
            [
                "action 'child-m-act-01': an action under section 'child-m-sec-communication-and-information-sharing' "
                "(“Communication and Information Sharing”), whose role is learning, needs a 'kind_note' saying why: "
                "that role holds key fact or learning"
            ],
        ),
        (CHILD_M, note_without_a_reason, ["learning point 'child-m-lp-01': 'kind_note' is only for an entry"]),
        (
            S_AND_D,
            run_in_separator_kept,
            ["section 's-and-d-sec-escalation': the semicolon or dash that joins a heading to its text"],
        ),
        (
            S_AND_D,
            passage_resource_in_learning,
            [
                "resource 's-and-d-res-mash': a resource under section 's-and-d-sec-neglect' (“Neglect”), whose role "
                "is learning, needs a 'kind_note' saying why"
            ],
        ),
        (
            NEWSLETTER,
            bullet_in_the_wrong_column,
            [
                "learning point 'child-three-lp-01': text not found in the cell of the row “Child Protection and "
                "Mental Capacity” under the column “Good Practice”"
            ],
        ),
        (
            NEWSLETTER,
            row_under_text,
            ["section 'child-three-sec-transition-issues': its parent 'child-three-sec-child-three' is a text"],
        ),
        (
            NEWSLETTER,
            cell_without_a_row,
            ["section 'child-three-sec-transition-issues-good-practice': a cell needs a 'parent'"],
        ),
        (
            NEWSLETTER,
            another_reviews_section,
            [
                "case fact 'child-two-fact-01': section 'child-one-sec-child-one' is the part of the briefing about "
                "review 'spr-child-one'"
            ],
        ),
        (NEWSLETTER, unknown_review, ["section 'child-one-sec-child-one': unknown review 'spr-child-nine'"]),
        (
            CHILD_K,
            invented_unanswered_part,
            [
                "recommendation 'child-k-rec-3': unanswered part not found word for word in the recommendation's "
                "text: “publish the review in full”"
            ],
        ),
        (SALFORD, empty_heading_after_the_first, ["section 'salford-sec-strategy-meetings': only the first section"]),
    ],
    ids=lambda value: getattr(value, "__name__", None),
)
def test_a_fault_in_the_sections_names_the_file_and_object_and_loads_nothing(tmp_path, file, break_fixture, expected):
    fixtures_dir = copy_fixtures(tmp_path)
    edit_json(fixtures_dir / file, break_fixture)
    before = dump_database()
    with pytest.raises(CommandError) as raised:
        load_fixtures(fixtures_dir)
    message = str(raised.value)
    assert "nothing was loaded" in message
    for part in [f"fixtures/{file}: ", *expected]:
        assert part in message, message
    assert dump_database() == before


def test_unanswered_parts_are_stored_one_per_line(tmp_path):
    fixtures_dir = copy_fixtures(tmp_path)
    parts = [
        "ascertain, understand and take into account the ‘voice’, experience and participation of all children",
        "act confidently within the current safeguarding arrangements and procedures",
    ]
    edit_json(
        fixtures_dir / CHILD_K,
        lambda data: find(data["reviews"][0]["recommendations"], "child-k-rec-3").update(unanswered_parts=parts),
    )
    assert "Updated: 1 recommendation." in load_fixtures(fixtures_dir)
    assert Recommendation.objects.get(ref="child-k-rec-3").unanswered_parts.splitlines() == parts


def test_a_section_heading_changed_by_an_editor_survives_a_load(editor):
    section = Section.objects.get(ref="salford-sec-strategy-meetings")
    section.role = Section.Role.OTHER
    section._history_user = editor  # as the admin saves: the history records who
    section.save()
    out = io.StringIO()
    call_command("load_kb", stdout=out)
    section.refresh_from_db()
    assert section.role == Section.Role.OTHER
    assert "section 'salford-sec-strategy-meetings' (last changed by" in out.getvalue()


# ---------------------------------------------------------------------------
# The admin
# ---------------------------------------------------------------------------


def test_an_entrys_section_is_chosen_among_its_own_briefings_sections(editor_client):
    point = LearningPoint.objects.get(ref="child-three-lp-05")
    url = reverse("admin:reviews_learningpoint_change", args=[point.pk])
    form = editor_client.get(url).context["adminform"].form
    choices = [label for value, label in form.fields["section"].choices if value]
    assert choices[:4] == [
        "Child One (The case)",
        "Summary of the key learning (Learning)",
        "Key Actions and Recommendations (Recommendations)",
        "Child Two (The case)",
    ]
    assert "Transition Issues › Learning Points (Learning)" in choices
    assert "Neglect (Learning)" not in choices  # another briefing's
    assert {"kind_note", "section"} <= set(form.fields)

    elsewhere = Section.objects.get(ref="s-and-d-sec-neglect")
    response = editor_client.post(url, admin_form_data(editor_client, url, section=elsewhere.pk))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    point.refresh_from_db()
    assert point.section.ref == "child-three-sec-transition-issues-learning-points"


def test_an_editor_moving_an_action_into_a_section_of_learning_is_asked_why(editor_client):
    action = Action.objects.get(ref="child-k-act-1a")
    url = reverse("admin:reviews_action_change", args=[action.pk])
    opening = Section.objects.get(ref="child-k-sec-opening")
    response = editor_client.post(url, admin_form_data(editor_client, url, section=opening.pk))
    assert response.status_code == 200
    assert "is one of background, which holds" in response.content.decode()
    data = admin_form_data(editor_client, url, section=opening.pk, kind_note="Test reason.")
    assert editor_client.post(url, data).status_code == 302
    action.refresh_from_db()
    assert (action.section, action.kind_note) == (opening, "Test reason.")


def test_the_section_admin_lists_a_briefings_sections_with_their_history(editor_client):
    changelist = reverse("admin:reviews_section_changelist")
    page = editor_client.get(changelist, {"q": "Transition Issues"}).content.decode()
    assert "Transition Issues › Good Practice (What went well)" in page
    section = Section.objects.get(ref="child-three-sec-transition-issues-good-practice")
    change = editor_client.get(reverse("admin:reviews_section_change", args=[section.pk]))
    assert change.status_code == 200
    assert "Entries under it" in change.content.decode()
    history = editor_client.get(reverse("admin:reviews_section_history", args=[section.pk]))
    assert history.status_code == 200


# ---------------------------------------------------------------------------
# Carried with each entry: the API, its CSV, search
# ---------------------------------------------------------------------------


def api_record(client, endpoint, ref):
    url = reverse("reviews:api-list", kwargs={"endpoint": endpoint})
    results = client.get(url, {"page_size": 100}).json()["results"]
    return next(record for record in results if record["ref"] == ref)


def test_api_records_carry_their_section(client):
    record = api_record(client, "actions", "child-m-act-01")
    assert record["heading"] == "Communication and Information Sharing"
    assert record["section"] == {"heading": "Communication and Information Sharing", "role": "learning", "within": []}
    cell = api_record(client, "learning-points", "child-three-gp-02")
    assert cell["section"] == {
        "heading": "Good Practice",
        "role": "good_practice",
        "within": ["Summary of the key learning and good practice examples", "Transition Issues"],
    }


def test_an_entry_with_no_section_has_none_in_the_api(client):
    point = make_learning_point(review=make_review(), text="Test learning without a section.")
    record = client.get(reverse("reviews:api-learning-point-detail", kwargs={"pk": point.pk})).json()
    assert record["section"] is None and record["heading"] == ""


def test_the_csv_carries_each_entrys_section(client):
    response = client.get(reverse("reviews:api-list-csv", kwargs={"endpoint": "recommendations"}), {"page_size": 100})
    rows = {row["ref"]: row for row in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))}
    row = rows["child-k-rec-2"]
    assert row["section_heading"] == "The report provides HSCB with the following recommendations:"
    assert row["section_role"] == "recommendations"
    assert row["section_within"] == ""


def test_search_finds_an_entry_by_its_row_and_shows_row_and_column():
    results = run_search("mental capacity").results
    cell = next(result for result in results if result.url.endswith("#lp-child-three-gp-01"))
    assert "Child Protection and" in str(cell.section) and str(cell.section).endswith(" › Good Practice")


def test_renaming_a_section_reindexes_its_entries():
    section = Section.objects.get(ref="salford-sec-strategy-meetings")
    section.heading = "Test Quokka meetings"
    section.save()
    # The search writes what is pending first (``search.pending``): here, the section's entries.
    urls = [result.url for result in run_search("quokka").results]
    assert "/reviews/salford-recurring-themes-2021-23/#lp-salford-lp-05" in urls


def test_renaming_a_table_row_reindexes_the_entries_of_its_cells():
    row = Section.objects.get(ref="child-three-sec-transition-issues")
    row.heading = "Test Wombat Issues"
    row.save()
    found = {result.url: str(result.section) for result in run_search("wombat").results}
    assert found["/reviews/spr-child-three/#lp-child-three-gp-02"] == "Test <mark>Wombat</mark> Issues › Good Practice"


# ---------------------------------------------------------------------------
# The importer
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "heading, role",
    [
        ("Key Actions and Recommendations", "recommendations"),
        ("What went well", "good_practice"),
        ("Strengths", "good_practice"),
        ("Summary of the key learning", "learning"),
        ("Key findings", "learning"),
        ("Summary of the key learning and good practice examples", "learning"),
        ("Background", "case"),
        ("Child One", "case"),
        ("Response and actions", "response"),
        ("What we will do", "response"),
        ("Questions to reflect on", "questions"),
        ("Further information", "further_information"),
        ("Useful links", "further_information"),
        ("Neglect", "other"),
        ("Child Protection and Mental Capacity", "other"),
    ],
)
def test_the_importer_guesses_a_sections_role_from_its_words(heading, role):
    assert guess_role(heading) == role


def test_an_imported_briefing_keeps_its_sections_and_each_entry_in_its_own():
    text = Source.objects.get(slug="special-practice-review-newsletter").original_text
    parsed = parse_briefing(text)
    shape = [(s.layout, s.heading, s.role) for s in parsed.sections]
    assert shape[:4] == [
        ("text", "Special Practice Review Newsletter", "other"),
        ("text", "Child One", "case"),
        ("text", "Summary of the key learning", "learning"),
        ("text", "Key Actions and Recommendations", "recommendations"),
    ]
    assert ("table", "Summary of the key learning and good practice examples", "learning") in shape
    assert ("row", "Transition Issues", "learning") in shape and ("cell", "Good Practice", "good_practice") in shape

    result = briefing_import(text=text, file_name="test-newsletter.txt")
    sections = list(result.source.sections.order_by("position"))
    assert [s.heading for s in sections[:4]] == [
        "Special Practice Review Newsletter",
        "Child One",
        "Summary of the key learning",
        "Key Actions and Recommendations",
    ]
    # The newsletter is about three children, each a review of its own: the entry is in one of them.
    bullet = LearningPoint.objects.get(source=result.source, text="Lead Professional – who is this?")
    assert (bullet.section.parent.heading, bullet.section.heading) == ("Transition Issues", "Learning Points")
    assert bullet.section.position < bullet.position
    # In the document's order, whatever their kind.
    entries = [
        entry
        for model in (CaseFact, LearningPoint, Recommendation, Action)
        for entry in model.objects.filter(source=result.source)
    ]
    starts = [text.find(entry.text[:40]) for entry in sorted(entries, key=lambda entry: entry.position)]
    assert -1 not in starts[:12] and starts[:12] == sorted(starts[:12])

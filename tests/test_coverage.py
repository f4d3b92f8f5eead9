"""kb_coverage: every paragraph, bullet and table cell of every briefing is represented."""

import pytest
from django.core.management import CommandError, call_command

from reviews.coverage import CoveringTexts, compute_coverage, source_coverage, split_units
from reviews.models import LearningPoint, Source
from reviews.text import plain_text

SOURCES = [
    "swindon-2019-child-m",
    "swindon-2018-scrs-s-and-d",
    "hampshire-child-k-response",
    "special-practice-review-newsletter",
    "salford-2023-recurring-themes",
]


# ---------------------------------------------------------------------------
# Splitting and normalising (no database)
# ---------------------------------------------------------------------------


def test_units_are_paragraphs_bullets_and_table_cells():
    text = (
        "Heading\n\nA paragraph that\nwraps.\n\n- first bullet\n- second bullet\n\n"
        "\tGood Practice\tLearning Points\n"
        'Row heading\tA good cell.\t<ul style="list-style-type: none"> • One. • Two.\n'
    )
    units = split_units(text)
    assert [(u.kind, u.text) for u in units] == [
        ("paragraph", "Heading"),
        ("paragraph", "A paragraph that wraps."),
        ("bullet", "first bullet"),
        ("bullet", "second bullet"),
        ("cell", "Good Practice"),
        ("cell", "Learning Points"),
        ("cell", "Row heading"),
        ("cell", "A good cell."),
        ("bullet", "One."),
        ("bullet", "Two."),
    ]


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("via the [LSCB Escalation Policy](#). More", "via the LSCB Escalation Policy. More"),
        (
            "Learning from <u>local</u> and <u>national case reviews</u>",
            "Learning from local and national case reviews",
        ),
        (
            "**Concerned about a child? Contact the\nMulti-Agency Safeguarding Hub**",
            "Concerned about a child? Contact the Multi-Agency Safeguarding Hub",
        ),
        ("1) To invite all partner agencies", "To invite all partner agencies"),
        ("feel able to **challenge** decision-making", "feel able to challenge decision-making"),
    ],
)
def test_plain_text_applies_only_the_allowed_changes(raw, expected):
    assert plain_text(raw) == expected


def test_a_paragraph_nobody_represents_is_reported():
    text = "Heading\n\nFirst paragraph.\n\nSecond paragraph."
    covering = CoveringTexts(content=[("lp 1", "First paragraph.")], structure=[("heading", "Heading")])
    report = compute_coverage("test", text, covering)
    assert (report.total, report.represented) == (3, 2)
    assert [u.text for u in report.missing] == ["Second paragraph."]


def test_a_paragraph_printed_twice_needs_two_entries_or_an_exclusion():
    text = "Same words here.\n\nSame words here."
    once = compute_coverage("test", text, CoveringTexts(content=[("lp 1", "Same words here.")]))
    assert once.represented == 1
    twice = compute_coverage(
        "test",
        text,
        CoveringTexts(content=[("lp 1", "Same words here."), ("excluded 1", "Same words here.")]),
    )
    assert twice.represented == 2


def test_exclusions_match_whole_words_only():
    # The truncated line "Co" must not be taken for the start of "Contact".
    text = "Contact us.\n\nCo"
    report = compute_coverage("test", text, CoveringTexts(content=[("excluded 1", "Co")]))
    assert [u.text for u in report.missing] == ["Contact us."]


def test_headings_count_as_structure_only_where_a_unit_starts():
    text = "Neglect\n\nThe word Neglect inside a sentence."
    report = compute_coverage("test", text, CoveringTexts(structure=[("heading", "Neglect")]))
    assert [u.represented for u in report.units] == [True, False]


def test_entries_split_from_one_paragraph_together_represent_it():
    text = "Learning sentence. The board will act."
    covering = CoveringTexts(content=[("lp", "Learning sentence."), ("action", "The board will act.")])
    assert compute_coverage("test", text, covering).represented == 1
    partial = CoveringTexts(content=[("lp", "Learning sentence.")])
    assert compute_coverage("test", text, partial).represented == 0


# ---------------------------------------------------------------------------
# The five briefings
# ---------------------------------------------------------------------------


@pytest.mark.usefixtures("loaded_kb_module", "db")
@pytest.mark.parametrize("slug", SOURCES)
def test_every_unit_of_every_briefing_is_represented(slug):
    report = source_coverage(Source.objects.get(slug=slug))
    assert report.total > 0
    assert [u.text for u in report.missing] == []
    assert report.unplaced == []
    assert report.percent == 100.0


@pytest.mark.usefixtures("loaded_kb_module", "db")
def test_kb_coverage_command_reports_each_briefing(capsys):
    call_command("kb_coverage", fail_under=100)
    out = capsys.readouterr().out
    for slug in SOURCES:
        assert f"{slug} (" in out
    assert out.count("(100.0%)") == 5


@pytest.mark.usefixtures("loaded_kb_module", "db")
def test_kb_coverage_names_a_unit_that_lost_its_entry(capsys):
    LearningPoint.objects.get(ref="salford-lp-05").delete()
    with pytest.raises(CommandError, match="salford-2023-recurring-themes"):
        call_command("kb_coverage", source="salford-2023-recurring-themes", fail_under=100)
    out = capsys.readouterr().out
    assert "not represented (paragraph): Learning from case reviews has highlighted opportunities" in out
    assert "18 of 19 units" in out


@pytest.mark.usefixtures("loaded_kb_module", "db")
def test_kb_coverage_unknown_source_is_an_error():
    with pytest.raises(CommandError, match="No source with the slug 'nope'"):
        call_command("kb_coverage", source="nope")

"""Plain text and Markdown read into a Document (reviews/importing/textblocks.py).

TEST MATERIAL: the texts are invented for these tests.
"""

import pytest

from reviews.importing.document import HEADING, ITEM, PARAGRAPH, TABLE, Block, Document
from reviews.importing.textblocks import read_text


def shape(doc):
    return [(b.kind, b.text, b.level, b.marker, b.bold) for b in doc.blocks]


def test_markdown_and_setext_headings_with_their_levels():
    doc = read_text("# Test Title\n\nTest Part\n=========\n\nTest Sub\n--------\n\n### Test Small ###\n", format="md")
    assert shape(doc) == [
        (HEADING, "Test Title", 1, "", False),
        (HEADING, "Test Part", 1, "", False),
        (HEADING, "Test Sub", 2, "", False),
        (HEADING, "Test Small", 3, "", False),
    ]
    assert doc.format == "md"


def test_bullets_and_numbered_items_keep_their_markers_and_depth():
    doc = read_text("- test one\n  - test nested\n• test two\n1. test three\nb) test four\n(iv) test five\n")
    assert [(b.kind, b.marker, b.level, b.text) for b in doc.blocks] == [
        (ITEM, "-", 0, "test one"),
        (ITEM, "-", 1, "test nested"),
        (ITEM, "•", 0, "test two"),
        (ITEM, "1.", 0, "test three"),
        (ITEM, "b)", 0, "test four"),
        (ITEM, "(iv)", 0, "test five"),
    ]


def test_a_bold_line_is_a_bold_paragraph():
    doc = read_text("**Test Heading**\nTest text under the bold heading, long enough to be text.\n")
    assert shape(doc) == [
        (PARAGRAPH, "Test Heading", 0, "", True),
        (PARAGRAPH, "Test text under the bold heading, long enough to be text.", 0, "", False),
    ]


def test_hard_wrapped_lines_are_joined_but_a_heading_line_is_kept_apart():
    doc = read_text(
        "Test Findings\n"
        "The test review found that the referral was not passed to the school\n"
        "nurse, who therefore did not know about the concerns raised by the\n"
        "family's neighbours in the spring.\n"
    )
    assert shape(doc) == [
        (PARAGRAPH, "Test Findings", 0, "", False),
        (
            PARAGRAPH,
            "The test review found that the referral was not passed to the school nurse, who therefore did not know "
            "about the concerns raised by the family's neighbours in the spring.",
            0,
            "",
            False,
        ),
    ]


def test_a_title_broken_over_short_lines_is_one_paragraph():
    doc = read_text("Testshire\nSafeguarding\nChildren Partnership\n")
    assert shape(doc) == [(PARAGRAPH, "Testshire Safeguarding Children Partnership", 0, "", False)]


def test_one_sentence_per_line_gives_one_paragraph_per_line():
    doc = read_text("Test one is a sentence.\nTest two is another sentence here.\n")
    assert [b.text for b in doc.blocks] == ["Test one is a sentence.", "Test two is another sentence here."]


def test_an_item_runs_on_to_its_next_line():
    doc = read_text("- Test item that wraps\n  on to a second line.\nTest paragraph after the list.\n")
    assert [(b.kind, b.text) for b in doc.blocks] == [
        (ITEM, "Test item that wraps on to a second line."),
        (PARAGRAPH, "Test paragraph after the list."),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "<table><tr><th></th><th>Test Good</th></tr><tr><td>Test row</td><td>Test cell text.</td></tr></table>",
        "\tTest Good\nTest row\tTest cell text.\n",
        "| | Test Good |\n|---|---|\n| Test row | Test cell text. |\n",
    ],
    ids=["html", "tabs", "pipes"],
)
def test_tables_of_every_written_form(text):
    (block,) = read_text(text).blocks
    assert block.kind == TABLE
    assert block.rows == [["", "Test Good"], ["Test row", "Test cell text."]]
    assert block.header_rows == 1


def test_a_document_read_back_from_its_own_text_has_the_same_blocks():
    doc = Document(
        blocks=[
            Block(HEADING, text="Test Title", level=1),
            Block(PARAGRAPH, text="Test Findings", bold=True),
            Block(PARAGRAPH, text="Test agencies should share what they know."),
            Block(ITEM, text="Test point one.", marker="-"),
            Block(ITEM, text="Test point two.", marker="-"),
            Block(TABLE, rows=[["Test A", "Test B"], ["Test c.", "Test d."]], header_rows=1),
        ]
    )
    again = read_text(doc.as_text(), format="md")
    assert [(b.kind, b.text, b.bold, b.rows) for b in again.blocks] == [
        (b.kind, b.text, b.bold, b.rows) for b in doc.blocks
    ]

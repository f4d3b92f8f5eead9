"""What a briefing says about itself (``reviews.importing.metadata.read_metadata``):
title, publication date, review type, kind of document, partnership and case
names. Every document here is invented for the test, in the forms real
briefings take."""

import datetime
import json
from pathlib import Path

import pytest

from reviews.importing.document import Block, Document
from reviews.importing.metadata import clean_title, find_date, read_metadata
from reviews.models import DatePrecision, Review, Source


def heading(text, level=1):
    return Block("heading", text, level=level)


def para(text, bold=False):
    return Block("paragraph", text, bold=bold)


def doc(*blocks, title="", file_name="test-briefing.pdf"):
    return Document(blocks=list(blocks), title=title, file_name=file_name)


# ---------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value, precision",
    [
        ("Thursday, January 12, 2017", datetime.date(2017, 1, 12), DatePrecision.DAY),
        ("25th Jul 2023", datetime.date(2023, 7, 25), DatePrecision.DAY),
        ("Tuesday, 25th Jul 2023", datetime.date(2023, 7, 25), DatePrecision.DAY),
        ("3 September 2021", datetime.date(2021, 9, 3), DatePrecision.DAY),
        ("12/01/2017", datetime.date(2017, 1, 12), DatePrecision.DAY),  # the UK order: 12 January
        ("12.01.2017", datetime.date(2017, 1, 12), DatePrecision.DAY),
        ("2017-01-12", datetime.date(2017, 1, 12), DatePrecision.DAY),
        ("March 2019", datetime.date(2019, 3, 1), DatePrecision.MONTH),
        ("Sept 2020", datetime.date(2020, 9, 1), DatePrecision.MONTH),
    ],
)
def test_dates_in_the_usual_written_forms(text, value, precision):
    found = find_date(text)
    assert (found.value, found.precision) == (value, precision)


def test_an_impossible_date_is_no_date():
    assert find_date("31/02/2020") is None
    assert find_date("Test words with no date in them") is None


@pytest.mark.parametrize(
    "line, value, precision",
    [
        ("Published: March 2019", datetime.date(2019, 3, 1), DatePrecision.MONTH),
        ("Date published: 4th November 2022", datetime.date(2022, 11, 4), DatePrecision.DAY),
        ("Date: Tuesday, 25th Jul 2023 | Category: Children", datetime.date(2023, 7, 25), DatePrecision.DAY),
        ("Publication date - 02/03/2021", datetime.date(2021, 3, 2), DatePrecision.DAY),
        ("Published 2018", datetime.date(2018, 1, 1), DatePrecision.YEAR),
        ("Thursday, January 12, 2017", datetime.date(2017, 1, 12), DatePrecision.DAY),
    ],
)
def test_the_publication_date_from_a_date_line(line, value, precision):
    metadata = read_metadata(
        doc(heading("Test learning brief about neglect"), para(line), para("Test paragraph about the case."))
    )
    assert (metadata.published_on, metadata.published_precision) == (value, precision)


def test_the_publication_date_is_not_the_first_date_in_the_case():
    metadata = read_metadata(
        doc(
            heading("Test 7 minute briefing: Child T"),
            para("In June 2020 Child T, then four months old, was seen at hospital on 3 July 2020."),
            para("The review panel met on 12/10/2021 and agreed its findings."),
            para("Published: Thursday, January 12, 2023"),
        )
    )
    assert metadata.published_on == datetime.date(2023, 1, 12)
    assert metadata.published_precision == DatePrecision.DAY


def test_a_document_giving_only_dates_of_the_case_has_no_publication_date():
    metadata = read_metadata(
        doc(
            heading("Test learning brief"),
            para("In March 2019 the family moved to the area and on 12/05/2019 a referral was made."),
        )
    )
    assert metadata.published_on is None
    assert metadata.published_precision == DatePrecision.UNKNOWN


def test_other_labelled_dates_are_not_the_publication_date():
    metadata = read_metadata(
        doc(
            heading("Test learning brief"),
            para("Date of death: 4 May 2019"),
            para("Last updated: June 2024"),
            para("Published: January 2021"),
        )
    )
    assert metadata.published_on == datetime.date(2021, 1, 1)


def test_a_date_in_the_title_when_nothing_else_gives_one():
    metadata = read_metadata(doc(para("Test Serious Case Review Briefing; May 2018"), para("Test sentence here.")))
    assert (metadata.published_on, metadata.published_precision) == (datetime.date(2018, 5, 1), DatePrecision.MONTH)


# ---------------------------------------------------------------------------
# Title
# ---------------------------------------------------------------------------


def test_the_files_own_title_when_it_is_meaningful():
    metadata = read_metadata(
        doc(heading("Background"), para("Test text."), title="Test learning from the review of Baby R")
    )
    assert metadata.title == "Test learning from the review of Baby R"


@pytest.mark.parametrize(
    "file_title",
    ["", "Microsoft Word - test_7mb_final_v2.docx", "Untitled", "test-briefing", "Slide 1", "test_7mb_v3"],
)
def test_a_meaningless_file_title_gives_way_to_the_first_heading(file_title):
    metadata = read_metadata(
        doc(
            heading("7 minute briefing", level=2),
            heading("# Test Safeguarding Adults Review: Martin", level=1),
            heading("Background", level=2),
            title=file_title,
        )
    )
    assert metadata.title == "Test Safeguarding Adults Review: Martin"
    assert not metadata.title_is_file_name


@pytest.mark.parametrize(
    "raw, title",
    [
        ("# Test Child LB briefing", "Test Child LB briefing"),
        ("Test Child LB briefing | Testshire Safeguarding Children Partnership", "Test Child LB briefing"),
        ("Test learning brief – Testshire Safeguarding Adults Board", "Test learning brief"),
        ("Test learning brief - Testtown Borough Council", "Test learning brief"),
        ("**Test learning brief: neglect**", "Test learning brief: neglect"),
        # What follows a dash is part of the title unless it names the site.
        ("Test Safeguarding Adults Review – Martin", "Test Safeguarding Adults Review – Martin"),
        ("Test 7 Minute Briefing - Safeguarding Babies", "Test 7 Minute Briefing - Safeguarding Babies"),
    ],
)
def test_titles_lose_markdown_and_the_sites_name(raw, title):
    assert clean_title(raw) == title


def test_a_bold_first_line_is_the_title_of_a_document_without_headings():
    metadata = read_metadata(
        doc(para("Test learning brief: missed appointments", bold=True), para("Test sentence about it."))
    )
    assert metadata.title == "Test learning brief: missed appointments"


def test_a_title_broken_over_two_lines_is_joined_and_the_partnerships_name_skipped():
    metadata = read_metadata(
        doc(
            para("Testshire Safeguarding Children Board"),
            para("Response to the Recommendations from the"),
            para("Test Serious Case Review of Child Q"),
            para("The board considered the case in 2019. It agreed the recommendations."),
        )
    )
    assert metadata.title == "Response to the Recommendations from the Test Serious Case Review of Child Q"
    assert metadata.review_title == "Serious Case Review of Child Q"
    assert metadata.source_kind == Source.Kind.BOARD_RESPONSE


def test_the_file_name_only_when_nothing_else_exists():
    metadata = read_metadata(
        doc(
            para("This is a test sentence about the case. It has full stops."),
            para("Another test sentence follows here."),
            file_name="test-notes-2024.txt",
        )
    )
    assert metadata.title == "test-notes-2024"
    assert metadata.title_is_file_name


@pytest.mark.parametrize(
    "title, review_title",
    [
        ("Test Recurring Themes from Case Reviews 7 Minute Briefing", "Test Recurring Themes from Case Reviews"),
        ("Test Special Practice Review Newsletter", "Test Special Practice Review"),
        ("Testtown Briefing: Serious Case Review – Child M", "Serious Case Review – Child M"),
        (
            "Learning from the Domestic Homicide Review into the death of Anna",
            "Domestic Homicide Review into the death of Anna",
        ),
    ],
)
def test_the_reviews_name_within_the_documents_title(title, review_title):
    assert read_metadata(doc(heading(title))).review_title == review_title


# ---------------------------------------------------------------------------
# Review type and kind of document
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "blocks, review_type",
    [
        (
            [
                heading("Test learning brief: Adult A"),
                para("This Safeguarding Adults Review considers the care of Adult A."),
            ],
            Review.ReviewType.SAFEGUARDING_ADULTS_REVIEW,
        ),
        (
            [heading("Test Domestic Homicide Review: learning summary")],
            Review.ReviewType.DOMESTIC_HOMICIDE_REVIEW,
        ),
        (
            [heading("Test learning summary"), para("This thematic review looked at twelve cases of infant injury.")],
            Review.ReviewType.THEMATIC,
        ),
        (
            [
                heading("Test learning from practice"),
                para("This briefing shares the findings of an appreciative inquiry into a case that went well."),
            ],
            Review.ReviewType.APPRECIATIVE_INQUIRY,
        ),
        (
            [
                heading("Test briefing: Child Z"),
                para("This Rapid Review was held within 15 working days of the incident."),
            ],
            Review.ReviewType.RAPID_REVIEW,
        ),
        (
            [
                heading("Test 7 minute briefing: Child LB"),
                para(
                    "This briefing summarises the Local Child Safeguarding Practice Review into the care of Child LB, "
                    "commissioned after a Rapid Review."
                ),
            ],
            Review.ReviewType.CHILD_SAFEGUARDING_PRACTICE_REVIEW,
        ),
        (
            [heading("Test Serious Case Review of Child K")],
            Review.ReviewType.SERIOUS_CASE_REVIEW,
        ),
    ],
)
def test_the_review_type_from_the_documents_description_of_itself(blocks, review_type):
    assert read_metadata(doc(*blocks)).review_type == review_type


def test_a_passing_mention_later_in_the_text_is_not_the_review_type():
    metadata = read_metadata(
        doc(
            heading("Test learning brief: missed health appointments"),
            para("Test practitioners should follow up every missed appointment."),
            para("Test paragraph about the case."),
            para("Test paragraph about the family."),
            para("Test paragraph about the school."),
            para("Test paragraph about the GP."),
            para("A Serious Case Review in 2015 found the same issue; a Domestic Homicide Review did too."),
        )
    )
    assert metadata.review_type == Review.ReviewType.OTHER


def test_a_rapid_review_mentioned_in_passing_in_the_opening_is_not_the_type():
    metadata = read_metadata(
        doc(
            heading("Test learning brief: Baby F"),
            para("Following a Rapid Review, the partnership decided that no further review was needed."),
        )
    )
    assert metadata.review_type == Review.ReviewType.OTHER


@pytest.mark.parametrize(
    "title, kind",
    [
        ("Test 7-minute briefing: neglect", Source.Kind.SEVEN_MINUTE_BRIEFING),
        ("Test Seven Minute Briefing: neglect", Source.Kind.SEVEN_MINUTE_BRIEFING),
        ("Test learning brief: neglect", Source.Kind.REVIEW_BRIEFING),
        ("Test partnership newsletter, spring", Source.Kind.NEWSLETTER),
        ("Test executive summary: Adult B", Source.Kind.REPORT),
        ("Test notes on a case", Source.Kind.OTHER),
    ],
)
def test_the_kind_of_document(title, kind):
    assert read_metadata(doc(heading(title), para("Test sentence."))).source_kind == kind


# ---------------------------------------------------------------------------
# Partnership and case names
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "blocks, name",
    [
        (
            [heading("Test learning brief"), para("Published by the Testshire Safeguarding Children Partnership.")],
            "Testshire Safeguarding Children Partnership",
        ),
        (
            [
                heading("Test SAR summary"),
                para("Testtown and Testbury Safeguarding Adults Board commissioned this review."),
            ],
            "Testtown and Testbury Safeguarding Adults Board",
        ),
        (
            [
                heading("Test Domestic Homicide Review: Anna"),
                para("The Testshire Safeguarding Adults Board was told of the death."),
                para("This review was commissioned by the Testshire Community Safety Partnership."),
            ],
            "Testshire Community Safety Partnership",
        ),
    ],
)
def test_the_partnership_as_the_text_names_it(blocks, name):
    metadata = read_metadata(doc(*blocks))
    assert metadata.partnership_name == name
    assert name in metadata.partnership_evidence


def test_no_partnership_when_none_is_named():
    metadata = read_metadata(doc(heading("Test learning brief"), para("The Safeguarding Partnership met twice.")))
    assert metadata.partnership_name == ""


def test_case_names():
    metadata = read_metadata(
        doc(
            heading("Test 7 minute briefing: Child LB and Child LD"),
            para("Child LB: a test paragraph. Baby F, a cousin, lived nearby."),
            para("Child LD: another test paragraph about Adult A, their grandmother."),
            para("A child and family centred approach. Child protection plans were made."),
        )
    )
    assert metadata.case_names == ["Child LB", "Child LD", "Baby F", "Adult A"]


@pytest.mark.parametrize(
    "blocks, names",
    [
        ([heading("Test Safeguarding Adults Review: Martin"), para("Test paragraph about his care.")], ["Martin"]),
        ([heading("Test learning brief"), para("The review concerns a man known in this review as Tom.")], ["Tom"]),
        ([heading("Test Domestic Homicide Review into the death of Anna")], ["Anna"]),
        ([heading("“Jenny”"), para("Test paragraph about her care.")], ["Jenny"]),
    ],
)
def test_a_name_the_title_or_text_gives(blocks, names):
    assert read_metadata(doc(*blocks)).case_names == names


# ---------------------------------------------------------------------------
# Plain text: a title and byline typed on lines of their own
# ---------------------------------------------------------------------------


def test_a_label_naming_the_kind_of_document_gives_way_to_the_title_below_it():
    metadata = read_metadata(
        doc(
            para("Test material: invented for the test, not a real case."),
            para(
                "LEARNING BRIEF\nChild V: Local Child Safeguarding Practice Review\n"
                "Testvale Safeguarding Children Partnership\nMonday, March 3, 2025"
            ),
            para("Purpose of this brief\nThis brief shares the learning."),
        )
    )
    assert metadata.title == "Child V: Local Child Safeguarding Practice Review"
    assert metadata.review_type == Review.ReviewType.CHILD_SAFEGUARDING_PRACTICE_REVIEW
    assert metadata.partnership_name == "Testvale Safeguarding Children Partnership"  # its own line only
    assert (metadata.published_on, metadata.source_kind) == (datetime.date(2025, 3, 3), Source.Kind.REVIEW_BRIEFING)


def test_a_title_in_capitals_over_two_lines_is_one_title_and_the_next_heading_is_not_part_of_it():
    metadata = read_metadata(
        doc(
            para('DOMESTIC HOMICIDE REVIEW\nLEARNING SUMMARY: "TESTNAME"\nTestmoor Community Safety Partnership'),
            para("ABOUT THESE REVIEWS\nTest sentence about reviews."),
        )
    )
    assert metadata.title == 'DOMESTIC HOMICIDE REVIEW LEARNING SUMMARY: "TESTNAME"'
    assert metadata.review_type == Review.ReviewType.DOMESTIC_HOMICIDE_REVIEW


@pytest.mark.parametrize(
    "byline, review_type",
    [
        ("*Testvale Safeguarding Children Partnership – learning from local reviews – May 2024*", "thematic"),
        ("**Testvale Safeguarding Children Partnership · Rapid Review learning · Date: 2nd May 2024**", "rapid"),
    ],
)
def test_the_review_type_from_a_byline(byline, review_type):
    metadata = read_metadata(doc(heading("Test topic: what happened and what to do"), para(byline)))
    assert metadata.review_type == review_type


# ---------------------------------------------------------------------------
# The benchmark's test briefings (bench/importer_corpus: invented, in every format)
# ---------------------------------------------------------------------------

CORPUS = Path(__file__).resolve().parent.parent / "bench" / "importer_corpus"
EXPECTED = sorted(CORPUS.glob("*/*.expected.json"))


def _briefing_file(expected: Path) -> Path:
    stem = expected.name.removesuffix(".expected.json")
    return next(path for path in expected.parent.glob(f"{stem}.*") if not path.name.endswith(".expected.json"))


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda path: path.name.removesuffix(".expected.json"))
def test_title_and_review_type_of_every_benchmark_briefing(expected):
    from reviews.services.importing import read_briefing_file

    wanted = json.loads(expected.read_text(encoding="utf-8"))
    path = _briefing_file(expected)
    document, _, _ = read_briefing_file(name=path.name, data=path.read_bytes())
    metadata = read_metadata(document)
    assert (metadata.title, metadata.review_type) == (wanted["title"], wanted["review_type"])
    assert not metadata.title_is_file_name


def test_the_benchmark_briefings_are_found():
    assert len(EXPECTED) >= 19

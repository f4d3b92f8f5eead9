"""Failure classes the held-out test briefings showed (docs/BENCHMARKS.md,
"Held-out test briefings"), each as a general rule with a test.

TEST MATERIAL: every text here is invented for these tests in the shapes that
went wrong; none is copied from a real briefing or from the benchmark's files.
"""

import datetime

import pytest

from reviews.importing.document import HEADING, PARAGRAPH, TABLE, Block, Document
from reviews.importing.structure import (
    ACTION,
    CASE_FACT,
    GOOD_PRACTICE,
    LEARNING,
    QUESTION,
    RECOMMENDATION,
    parse_briefing,
    parse_document,
)
from reviews.importing.textblocks import read_text, run_in_heading

from .support.briefings import kinds_and_texts


def excluded_texts(parsed):
    return [entry["text"] for entry in parsed.excluded]


def assert_verbatim(parsed, source):
    flat = " ".join(source.split())
    for candidate in parsed.candidates:
        assert " ".join(candidate.text.split()) in flat, candidate.text


# -- markers: paragraph numbers, letters and numbered labels are markers, not words of the entry --


NUMBERED_PARAGRAPHS = """Test Executive Summary

2. The case

2.1 Test Mrs Q was 81 and lived alone in a bungalow after her husband died in 2022.

2.2 Under section 44 of the Care Act 2014, a Safeguarding Adults Board must arrange a review of a test death.

3. Findings

Finding 1: Test home visits. The test visiting service saw Mrs Q weekly but nobody asked who was buying her food.

Finding 2: What went well. The test pharmacist noticed that Mrs Q had stopped collecting her tablets and rang her GP.
"""


def test_paragraph_numbers_and_finding_labels_are_markers_kept_apart_from_the_entry():
    parsed = parse_briefing(NUMBERED_PARAGRAPHS)
    assert [(c.kind, c.text, c.number) for c in parsed.candidates] == [
        (CASE_FACT, "Test Mrs Q was 81 and lived alone in a bungalow after her husband died in 2022.", "2.1"),
        (
            LEARNING,
            "Test home visits. The test visiting service saw Mrs Q weekly but nobody asked who was buying her food.",
            "Finding 1",
        ),
        (
            GOOD_PRACTICE,
            "The test pharmacist noticed that Mrs Q had stopped collecting her tablets and rang her GP.",
            "Finding 2",
        ),
    ]
    # The statutory definition inside a numbered paragraph is left out, with its reason.
    assert any(text.startswith("Under section 44 of the Care Act 2014") for text in excluded_texts(parsed))
    assert_verbatim(parsed, NUMBERED_PARAGRAPHS)


LETTERED = """Recommendations

The panel makes the following recommendations to the Test Partnership.

(a) Test Police should record every report of following or watching as possible stalking.

(b) The test housing service should ask about domestic abuse when a tenant asks to move urgently.
"""


def test_lettered_paragraphs_and_a_lead_in_ending_in_a_full_stop():
    parsed = parse_briefing(LETTERED)
    assert [(c.kind, c.text, c.number) for c in parsed.candidates] == [
        (
            RECOMMENDATION,
            "Test Police should record every report of following or watching as possible stalking.",
            "a",
        ),
        (
            RECOMMENDATION,
            "The test housing service should ask about domestic abuse when a tenant asks to move urgently.",
            "b",
        ),
    ]
    assert "The panel makes the following recommendations to the Test Partnership." in excluded_texts(parsed)
    assert [c.addressed_to for c in parsed.candidates] == ["Test Police", "Test Partnership"]


def test_a_finding_label_without_a_kind_keeps_its_topic_in_the_entry():
    parsed = parse_briefing("Findings\n\nFinding 3: Test discharge. The test ward sent Mr V home on a Friday night.\n")
    assert [(c.kind, c.text, c.number) for c in parsed.candidates] == [
        (LEARNING, "Test discharge. The test ward sent Mr V home on a Friday night.", "Finding 3"),
    ]


# -- headings run into the first line of their text by a copy from a PDF ------------------------


COPIED_FROM_A_PDF = """Test material, invented for the tests, not a real case.
Testvale Safeguarding Children Partnership
PRACTICE BRIEFING
Child Tomasz – Test Learning Review
Background Tomasz was six weeks old when he was taken to hospital with
a test skull fracture. He lived with his father and his father's sister.
What happened The midwife visited twice and saw no injuries. The father
said the baby had rolled off a test sofa.
Page 1 of 2
What went well The test paramedic asked where the baby had been lying and
wrote down the father's account word for word.
Reflective questions Did you ask who else lives in the home? Who checks
the account against the baby's age?
"""


def test_headings_run_into_their_first_line_are_read_even_before_a_name():
    parsed = parse_briefing(COPIED_FROM_A_PDF)
    assert [(c.kind, c.heading, c.text) for c in parsed.candidates] == [
        (
            CASE_FACT,
            "Background",
            "Tomasz was six weeks old when he was taken to hospital with a test skull fracture. "
            "He lived with his father and his father's sister.",
        ),
        (
            CASE_FACT,
            "What happened",
            "The midwife visited twice and saw no injuries. The father said the baby had rolled off a test sofa.",
        ),
        (
            GOOD_PRACTICE,
            "What went well",
            "The test paramedic asked where the baby had been lying and wrote down the father's account word for word.",
        ),
        (QUESTION, "Reflective questions", "Did you ask who else lives in the home?"),
        (QUESTION, "Reflective questions", "Who checks the account against the baby's age?"),
    ]
    assert "Page 1 of 2" in excluded_texts(parsed)


def test_title_lines_in_capitals_or_title_case_are_lines_of_their_own():
    document = read_text(COPIED_FROM_A_PDF)
    texts = [block.text for block in document.blocks[:4]]
    assert texts == [
        "Test material, invented for the tests, not a real case.",
        "Testvale Safeguarding Children Partnership",
        "PRACTICE BRIEFING",
        "Child Tomasz – Test Learning Review",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Learning Disability Partnership Board members said the test leaflet was clear and easy to use.",
        "Background checks were not completed before the test volunteer started work with children.",
    ],
)
def test_a_section_word_starting_an_ordinary_sentence_is_no_run_in_heading(text):
    assert run_in_heading(text) is None


# -- the kind a sentence states, under a heading that says another ---------------------------------


def test_a_passage_saying_it_was_good_practice_is_good_practice():
    parsed = parse_briefing(
        "Lessons learned\n\n"
        "Test assessments should be repeated when a family moves.\n\n"
        "The test school nurse saw the child alone at every visit; this was good practice.\n"
    )
    assert kinds_and_texts(parsed) == [
        (LEARNING, "Test assessments should be repeated when a family moves."),
        (GOOD_PRACTICE, "The test school nurse saw the child alone at every visit; this was good practice."),
    ]


def test_summary_of_the_review_and_why_we_did_it_are_about_the_case():
    parsed = parse_briefing(
        "Summary of the review\n\n"
        "Test Baby R was born early and went home at six weeks.\n\n"
        "The test review was completed in May 2025. This plan was agreed by the partners in June 2025 and will be "
        "updated every quarter.\n\n"
        "Why we did this review\n\n"
        "Three test teenagers were harmed within a year of leaving care.\n"
    )
    assert kinds_and_texts(parsed) == [
        (CASE_FACT, "Test Baby R was born early and went home at six weeks."),
        (
            CASE_FACT,
            "The test review was completed in May 2025. This plan was agreed by the partners in June 2025 and will "
            "be updated every quarter.",
        ),
        (CASE_FACT, "Three test teenagers were harmed within a year of leaving care."),
    ]


def test_advice_under_what_you_can_do_is_learning_not_an_action():
    parsed = parse_briefing(
        "What you can do\n\nTell the test education team when you hear that a child is being taken out of school.\n"
    )
    assert kinds_and_texts(parsed) == [
        (LEARNING, "Tell the test education team when you hear that a child is being taken out of school."),
    ]


# -- a newsletter's parts about one review ------------------------------------------------------------


NEWSLETTER = """# Test Safeguarding News

## Board news

Our test chair started in March and will be visiting every team this year.

## Learning from reviews

### Learning review: Jordan

Jordan was 14 when he was found in a test flat with adults he did not know.

The review found that the test school and the police each knew he was missing but did not speak to each other.

The test sports coach kept in touch with Jordan every week. The review described this as an example of
a trusted adult keeping a child safe.

Reflections include: why a child might not tell a parent where he goes; whether each missing episode
was linked to the others; how services learnt who Jordan trusted.
"""


def test_a_newsletters_part_about_one_review_tells_the_case_its_finding_its_praise_and_its_questions():
    parsed = parse_briefing(NEWSLETTER)
    assert kinds_and_texts(parsed) == [
        (CASE_FACT, "Jordan was 14 when he was found in a test flat with adults he did not know."),
        (
            LEARNING,
            "The review found that the test school and the police each knew he was missing but did not speak to "
            "each other.",
        ),
        (
            GOOD_PRACTICE,
            "The test sports coach kept in touch with Jordan every week. The review described this as an example of "
            "a trusted adult keeping a child safe.",
        ),
        (QUESTION, "why a child might not tell a parent where he goes"),
        (QUESTION, "whether each missing episode was linked to the others"),
        (QUESTION, "how services learnt who Jordan trusted."),
    ]
    # The partnership's own news is left out, with its reason.
    assert "Our test chair started in March and will be visiting every team this year." in excluded_texts(parsed)
    assert_verbatim(parsed, NEWSLETTER)


# -- a table's progress column and the key under it -------------------------------------------------


def test_an_action_plans_progress_column_gives_actions_and_its_status_words_and_key_are_left_out():
    document = Document(
        blocks=[
            Block(HEADING, text="Action plan", level=2),
            Block(
                TABLE,
                rows=[
                    ["Recommendation", "Action", "Lead", "Timescale", "Progress"],
                    [
                        "1. Test midwives should ask who will care for the baby at home.",
                        "The test discharge form will ask about every carer.",
                        "Test Head of Midwifery",
                        "June 2026",
                        "The new test form was agreed in April 2026 and is now used on every ward.",
                    ],
                    [
                        "2. Test schools should be told about police call-outs the next day.",
                        "The test police will send a daily list to schools.",
                        "Test Inspector",
                        "July 2026",
                        "On track",
                    ],
                ],
                header_rows=1,
            ),
            Block(PARAGRAPH, text="Key to progress: Done / On track / Not started / Late."),
        ]
    )
    parsed = parse_document(document)
    assert [(c.kind, c.text, c.responds_to) for c in parsed.candidates] == [
        (RECOMMENDATION, "Test midwives should ask who will care for the baby at home.", None),
        (ACTION, "The test discharge form will ask about every carer.", 0),
        (ACTION, "The new test form was agreed in April 2026 and is now used on every ward.", 0),
        (RECOMMENDATION, "Test schools should be told about police call-outs the next day.", None),
        (ACTION, "The test police will send a daily list to schools.", 3),
    ]
    assert parsed.candidates[2].owner == "Test Head of Midwifery"
    assert "On track" in excluded_texts(parsed)
    assert "Key to progress: Done / On track / Not started / Late." in excluded_texts(parsed)


# -- passages to leave out in new places ---------------------------------------------------------------


def test_a_byline_and_a_helpline_sentence_are_left_out_and_a_sentence_about_the_report_is_no_action():
    text = (
        "Test Domestic Homicide Review: Ms P\n\n"
        "Testford Safeguarding Adults Board. Lead reviewer: a test reviewer. Published March 2025.\n\n"
        "About this report\n\n"
        "The overview report has been sent to the test quality assurance panel. For help, call the test "
        "domestic abuse helpline.\n"
    )
    parsed = parse_briefing(text)
    assert kinds_and_texts(parsed) == [
        (CASE_FACT, "The overview report has been sent to the test quality assurance panel."),
    ]
    assert "For help, call the test domestic abuse helpline." in excluded_texts(parsed)
    assert "Testford Safeguarding Adults Board. Lead reviewer: a test reviewer. Published March 2025." in (
        excluded_texts(parsed)
    )
    assert parsed.published_on == datetime.date(2025, 3, 1)


def test_a_key_learning_label_with_commas_is_no_table_key_and_good_news_is_no_news():
    parsed = parse_briefing(
        "Good news\n\nThe test health visitors saw every baby within ten days this year.\n\n"
        "Findings\n\nKey learning: test practitioners should ask about the father, his past and his role.\n"
    )
    assert kinds_and_texts(parsed) == [
        (LEARNING, "The test health visitors saw every baby within ten days this year."),
        (LEARNING, "test practitioners should ask about the father, his past and his role."),
    ]


def test_a_thematic_review_named_for_its_theme_is_not_a_case():
    parsed = parse_briefing(
        "### Thematic review: Neglect\n\nTest agencies saw each missed appointment on its own, not as a pattern.\n"
    )
    assert kinds_and_texts(parsed) == [
        (LEARNING, "Test agencies saw each missed appointment on its own, not as a pattern."),
    ]


def test_a_heading_in_capitals_wrapped_over_two_lines_stays_one_heading():
    document = read_text(
        "TEST SAFEGUARDING ADULTS REVIEW\nSUMMARY AND LEARNING: MRS K\nTestford Safeguarding Adults Board\n"
    )
    assert [block.text for block in document.blocks] == [
        "TEST SAFEGUARDING ADULTS REVIEW SUMMARY AND LEARNING: MRS K",
        "Testford Safeguarding Adults Board",
    ]

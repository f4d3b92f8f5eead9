"""The classes of misreading found on the unseen test briefings (docs/BENCHMARKS.md,
"Unseen test briefings"), each as a test with text of its own.

TEST MATERIAL: every text here is invented for these tests in the shape that
went wrong; none is copied from a real briefing or from the benchmark's files.
"""

from reviews.importing.structure import (
    ACTION,
    CASE_FACT,
    GOOD_PRACTICE,
    LEARNING,
    QUESTION,
    RECOMMENDATION,
    ROLE_CASE,
    guess_role,
    parse_briefing,
)
from reviews.importing.textblocks import read_text

from .support.briefings import kinds_and_texts


def reason_for(parsed, text):
    reasons = [entry["reason"] for entry in parsed.excluded if entry["text"] == text]
    assert reasons, f"{text!r} was not left out: {parsed.excluded}"
    return reasons[0]


# -- 1. background under a heading that does not say "background" ---------------------------


def test_about_a_named_person_is_the_case():
    parsed = parse_briefing(
        "# Testshire Learning Brief: Rowan\n\n"
        "## About Rowan\n\n"
        "Rowan was 33 and worked nights at a test bakery. He lived with his brother in a rented flat.\n\n"
        "## What we learned\n\n"
        "Test agencies each held part of the picture and none of them asked Rowan about his debts.\n"
    )
    assert kinds_and_texts(parsed) == [
        (CASE_FACT, "Rowan was 33 and worked nights at a test bakery. He lived with his brother in a rented flat."),
        (LEARNING, "Test agencies each held part of the picture and none of them asked Rowan about his debts."),
    ]


def test_about_names_a_person_but_not_the_partnership_or_the_page():
    assert guess_role("About Rowan") == ROLE_CASE
    assert guess_role("About Mrs T") == ROLE_CASE
    for heading in ("About Us", "About this briefing", "About the Partnership", "About Safeguarding"):
        assert guess_role(heading) != ROLE_CASE, heading


def test_why_we_are_sharing_this_is_about_the_case_and_the_statutory_sentence_is_left_out():
    statutory = (
        "Where a child has died and neglect is suspected, the safeguarding partners must commission a Rapid Review "
        "within fifteen working days."
    )
    decision = "The test partners agreed that no further review was needed because the learning was already clear."
    parsed = parse_briefing(f"## Why we are sharing this\n\n{statutory}\n\n{decision}\n")
    assert kinds_and_texts(parsed) == [(CASE_FACT, decision)]
    assert "definition" in reason_for(parsed, statutory)


# -- 2. a letter read as a briefing ------------------------------------------------------------

LETTER = """# Board Response to the Safeguarding Adults Review of Mr Q

Testvale Safeguarding Adults Board, Chair's Office, 9 Test Road, Testvale TV9 4ZZ

3 March 2026

Dear Dr Okonkwo,

Thank you for your review of the care given to Mr Q, which the Board considered at its meeting in February.

Mr Q was 80 when he died in a test care home in 2024. He had moved there from hospital after a fall.

**Recommendation 1:** *The test care home should record every fall and review the care plan after each one.*

**Response:** The care home has added a falls review to its care plan template and trained its staff in January 2026.

I would like to thank you and the family of Mr Q for the time they gave to this review.

Yours sincerely,

Test Signatory

Chair, Testvale Safeguarding Adults Board
"""


def test_a_letter_keeps_its_facts_recommendations_and_responses_and_leaves_out_its_courtesies():
    parsed = parse_briefing(LETTER)
    assert kinds_and_texts(parsed) == [
        (
            CASE_FACT,
            "Mr Q was 80 when he died in a test care home in 2024. He had moved there from hospital after a fall.",
        ),
        (RECOMMENDATION, "The test care home should record every fall and review the care plan after each one."),
        (
            ACTION,
            "The care home has added a falls review to its care plan template and trained its staff in January 2026.",
        ),
    ]
    assert "greeting" in reason_for(parsed, "Dear Dr Okonkwo,")
    assert "closing" in reason_for(parsed, "Yours sincerely,")
    assert "signature" in reason_for(parsed, "Test Signatory")
    assert "signature" in reason_for(parsed, "Chair, Testvale Safeguarding Adults Board")
    assert "courtesy" in reason_for(
        parsed, "I would like to thank you and the family of Mr Q for the time they gave to this review."
    )
    address = "Testvale Safeguarding Adults Board, Chair's Office, 9 Test Road, Testvale TV9 4ZZ"
    assert "address" in reason_for(parsed, address)


def test_an_address_line_never_heads_the_entries_after_it():
    parsed = parse_briefing(LETTER)
    assert not any("TV9 4ZZ" in heading for heading in parsed.headings)
    assert not any("TV9 4ZZ" in candidate.heading for candidate in parsed.candidates)


def test_thanks_that_carry_a_lesson_are_kept():
    text = "Thank you to the test nurses, who showed that staff should ask about falls at every visit."
    parsed = parse_briefing(f"## Key learning\n\n{text}\n")
    assert kinds_and_texts(parsed) == [(LEARNING, text)]


# -- 3. a 7-minute briefing copied from a PDF: box numbers on their own lines, no blank lines ----

SEVEN_MINUTE_COPY = """Testmoor Safeguarding Adults Board
Learning Review – Mrs J
7 Minute Briefing
1
Background
Mrs J was 64 and lived alone in a test bungalow. She had diabetes and poor eyesight.
Her son visited once a month and helped with her shopping.
2
What the review found
The test surgery and the test pharmacy each knew that she had missed insulin doses.
Nobody asked whether she could still read the labels on her medicines.
3
Questions for you
How do you check that a person can manage their own medicines?
4
Further information
Testmoor medicines guidance: www.testmoor.example.org.uk/medicines
Please talk about this briefing at your next team meeting.
Page 1 of 1
"""


def test_box_numbers_on_their_own_lines_end_each_box_and_no_lines_run_together():
    paragraphs = [block.text for block in read_text(SEVEN_MINUTE_COPY).blocks]
    assert paragraphs[:8] == [
        "Testmoor Safeguarding Adults Board",
        "Learning Review – Mrs J",
        "7 Minute Briefing",
        "1",
        "Background",
        "Mrs J was 64 and lived alone in a test bungalow. She had diabetes and poor eyesight.",
        "Her son visited once a month and helped with her shopping.",
        "2",
    ]
    assert "Testmoor medicines guidance: www.testmoor.example.org.uk/medicines" in paragraphs
    assert "Please talk about this briefing at your next team meeting." in paragraphs


def test_a_copied_seven_minute_briefing_gives_one_entry_per_line_of_the_right_kind():
    parsed = parse_briefing(SEVEN_MINUTE_COPY)
    assert kinds_and_texts(parsed)[:5] == [
        (CASE_FACT, "Mrs J was 64 and lived alone in a test bungalow. She had diabetes and poor eyesight."),
        (CASE_FACT, "Her son visited once a month and helped with her shopping."),
        (LEARNING, "The test surgery and the test pharmacy each knew that she had missed insulin doses."),
        (LEARNING, "Nobody asked whether she could still read the labels on her medicines."),
        (QUESTION, "How do you check that a person can manage their own medicines?"),
    ]
    assert "box" in reason_for(parsed, "2")
    assert parsed.title == "Learning Review – Mrs J" or "Mrs J" in parsed.title
    assert "Board" not in parsed.title


# -- 4. good practice outside a "what went well" heading ---------------------------------------


def test_work_done_promptly_is_good_practice_under_a_finding():
    good = "The test school nurse built a trusting relationship with the girl and passed on her worries promptly."
    short = "The test school nurse passed on her worries, but not promptly enough for a visit that week."
    parsed = parse_briefing(f"## Finding 2 – Being heard\n\n{good}\n\n{short}\n")
    assert kinds_and_texts(parsed) == [(GOOD_PRACTICE, good), (LEARNING, short)]


# -- 5. a web page's introduction leaking as learning ------------------------------------------


def test_on_this_page_introduction_is_left_out():
    intro = "On this page you will find short accounts of the test reviews we have finished this year."
    finding = "Test agencies did not share the school's concerns with the GP."
    parsed = parse_briefing(f"# Learning from reviews\n\n{intro}\n\n## Key learning\n\n{finding}\n")
    assert kinds_and_texts(parsed) == [(LEARNING, finding)]
    assert "web page" in reason_for(parsed, intro)


# -- 6. a present-tense action read as learning ------------------------------------------------


def test_what_the_partners_have_done_is_the_response():
    done = "Test midwives now offer a home visit to every mother who misses two appointments."
    parsed = parse_briefing(f"## What the partners have done already\n\n1. {done}\n")
    assert kinds_and_texts(parsed) == [(ACTION, done)]


def test_a_case_fact_about_what_did_not_happen_is_not_an_action():
    facts = "Child M lives with her aunt. Her father lives abroad and has not been in touch for a year."
    parsed = parse_briefing(f"## Background\n\n{facts}\n")
    assert [c.kind for c in parsed.candidates] == [CASE_FACT] * len(parsed.candidates)
    assert " ".join(c.text for c in parsed.candidates) == facts

"""Each way the importer misread real briefings (issue 13), as a test.

TEST MATERIAL: the texts are invented for these tests in the shapes that
went wrong; none is copied from a real briefing.
"""

import sys

import pytest

from reviews.importing.decoding import BriefingFileError
from reviews.importing.pipeline import parse_file, read_file
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
from reviews.importing.textblocks import read_text

from .support.briefings import kinds_and_texts


def test_numbered_headings_are_headings_not_learning_points():
    parsed = parse_briefing(
        "1. The Background\nTest family B moved to Testshire in 2020.\n\n"
        "4. The Findings\nTest agencies did not share the referral with the school.\n"
    )
    assert kinds_and_texts(parsed) == [
        (CASE_FACT, "Test family B moved to Testshire in 2020."),
        (LEARNING, "Test agencies did not share the referral with the school."),
    ]
    assert parsed.headings == ["The Background", "The Findings"]


def test_a_run_of_short_numbered_lines_is_a_list_not_headings():
    parsed = parse_briefing("Recommendations\n\n1. Test Police\n2. Test Health\n")
    assert [(c.kind, c.text, c.number) for c in parsed.candidates] == [
        (RECOMMENDATION, "Test Police", "1"),
        (RECOMMENDATION, "Test Health", "2"),
    ]


def test_question_headings_head_the_answers_after_them():
    parsed = parse_briefing(
        "What is the issue?\n\nTest babies were left with carers nobody had met.\n\n"
        "Why does this occur?\n\nTest visits happen when the carers are out.\n"
    )
    assert [(c.kind, c.heading) for c in parsed.candidates] == [
        (LEARNING, "What is the issue?"),
        (LEARNING, "Why does this occur?"),
    ]


def test_a_markdown_title_never_keeps_its_hash():
    parsed = parse_briefing("# Test Learning Brief: Child Z\n\nTest learning that records should be kept.\n")
    assert parsed.title == "Test Learning Brief: Child Z"
    assert all("#" not in heading for heading in parsed.headings)


@pytest.mark.parametrize(
    "line",
    ["Thursday, January 12, 2017", "Date: Tuesday, 25th Jul 2023 | Category: Children", "12 January 2017"],
)
def test_date_lines_are_neither_headings_nor_entries(line):
    parsed = parse_briefing(f"Test briefing on neglect\n{line}\nTest practitioners should record what they see.\n")
    assert [c.text for c in parsed.candidates] == ["Test practitioners should record what they see."]
    assert line not in parsed.headings
    assert any(e["text"] == line and "date" in e["reason"] for e in parsed.excluded)
    assert parsed.published_on is not None


def test_hard_wrapped_text_is_joined_into_paragraphs_and_an_inline_list_split():
    text = (
        "Summary\n"
        "The test review found that the family moved house four times in two\n"
        "years and that records did not follow them.\n"
        "Health visitors did not know about the previous concerns when the family\n"
        "registered with a new GP.\n"
        "Recommendations include: the partnership should agree a test transfer protocol; GPs should flag "
        "children subject to plans when families register.\n"
    )
    parsed = parse_briefing(text)
    assert kinds_and_texts(parsed) == [
        (
            LEARNING,
            "The test review found that the family moved house four times in two years and that records did not "
            "follow them.",
        ),
        (
            LEARNING,
            "Health visitors did not know about the previous concerns when the family registered with a new GP.",
        ),
        (RECOMMENDATION, "the partnership should agree a test transfer protocol"),
        (RECOMMENDATION, "GPs should flag children subject to plans when families register."),
    ]
    assert parsed.candidates[3].addressed_to == "GPs"
    assert {"text": "Recommendations include:", "reason": "Introduces the list that follows; not an entry itself."} in (
        parsed.excluded
    )


def test_an_inline_list_of_fragments_is_not_split():
    """Items that are not whole thoughts ("a; b") stay one entry."""
    parsed = parse_briefing("Key themes\n\nTest themes include: neglect; housing.\n")
    assert kinds_and_texts(parsed) == [(LEARNING, "Test themes include: neglect; housing.")]


def test_recommendation_labels():
    parsed = parse_briefing(
        "Test learning brief\n\n"
        "Recommendation 1: The Test Board should review its escalation policy.\n\n"
        "Recommendation: Test schools should record attendance concerns.\n"
    )
    assert [(c.kind, c.text, c.number, c.addressed_to) for c in parsed.candidates] == [
        (RECOMMENDATION, "The Test Board should review its escalation policy.", "1", "Test Board"),
        (RECOMMENDATION, "Test schools should record attendance concerns.", "", ""),
    ]


def test_a_dash_outside_recommendations_is_not_an_addressee_and_a_term_keeps_its_subject():
    parsed = parse_briefing(
        "Key findings\n\n"
        "Housing – the family had no permanent home for most of the test period.\n\n"
        "Abusive Head Trauma (AHT) – also known as shaken baby syndrome, is a test term for injuries caused by "
        "shaking.\n"
    )
    assert kinds_and_texts(parsed) == [
        (LEARNING, "Housing – the family had no permanent home for most of the test period."),
        (
            LEARNING,
            "Abusive Head Trauma (AHT) – also known as shaken baby syndrome, is a test term for injuries caused by "
            "shaking.",
        ),
    ]
    assert all(c.addressed_to == "" for c in parsed.candidates)


def test_a_dash_inside_recommendations_still_addresses_the_group():
    parsed = parse_briefing("Recommendations\n\nHousing – to share test tenancy concerns with the MASH.\n")
    assert [(c.kind, c.text, c.addressed_to) for c in parsed.candidates] == [
        (RECOMMENDATION, "to share test tenancy concerns with the MASH.", "Housing")
    ]


def test_background_and_safeguarding_concerns_are_case_facts():
    parsed = parse_briefing(
        "Background\n\nThe test family had lived in Testshire since 2019.\n\n"
        "Safeguarding concerns\n\nThere were three test referrals about neglect before the review.\n"
    )
    assert [c.kind for c in parsed.candidates] == [CASE_FACT, CASE_FACT]


def test_child_and_family_centred_approach_is_not_a_case_name():
    parsed = parse_briefing(
        "What went well\n\nChild and family centred approach:\n"
        "The test practitioners visited the family together and agreed one plan with them.\n"
    )
    assert kinds_and_texts(parsed) == [
        (GOOD_PRACTICE, "The test practitioners visited the family together and agreed one plan with them.")
    ]
    assert parsed.children == []


@pytest.mark.parametrize(
    "heading, child",
    [
        ("Child K", "Child K"),
        ("Baby F", "Baby F"),
        ("Child LB:", "Child LB"),
        ("child k", ""),
        ("Child Protection", ""),
    ],
)
def test_case_names_are_capitalised_names(heading, child):
    parsed = parse_briefing(f"{heading}\n\nTest text about the family's home was written here.\n")
    assert parsed.candidates[0].child == child
    assert parsed.children == ([child] if child else [])


def test_two_children_under_headings_are_attributed():
    parsed = parse_briefing(
        "Child LB:\n- Test LB was twelve when the review began.\n\nChild LD:\n- Test LD was fourteen.\n"
    )
    assert [(c.kind, c.text, c.child) for c in parsed.candidates] == [
        (CASE_FACT, "Test LB was twelve when the review began.", "Child LB"),
        (CASE_FACT, "Test LD was fourteen.", "Child LD"),
    ]
    assert parsed.children == ["Child LB", "Child LD"]


@pytest.mark.parametrize(
    "line, reason",
    [
        (
            "A Safeguarding Adults Review is held when an adult with care and support needs dies and abuse is "
            "suspected.",
            "definition",
        ),
        (
            "Under the Children Act 2004 a review must be carried out when a child dies and abuse is known or "
            "suspected.",
            "definition",
        ),
        ("During July the focus has been on test neglect awareness across the partnership.", "News"),
        ("Download the full report (PDF, 2MB)", "download"),
        ("We use cookies to make this test website work.", "website"),
        ("Back to top", "website"),
    ],
)
def test_boilerplate_definitions_and_news_are_left_out_with_a_reason(line, reason):
    parsed = parse_briefing(f"Test findings\n\n{line}\n\nTest learning that agencies should talk.\n")
    assert [c.text for c in parsed.candidates] == ["Test learning that agencies should talk."]
    assert any(e["text"] == line and reason in e["reason"] for e in parsed.excluded), parsed.excluded


def test_reflective_questions_are_questions():
    parsed = parse_briefing(
        "Questions to consider\n\n- How would you know who lives in the home?\n- Think about a family you know.\n"
    )
    assert [(c.kind, c.text) for c in parsed.candidates] == [
        (QUESTION, "How would you know who lives in the home?"),
        (QUESTION, "Think about a family you know."),
    ]
    assert parsed.sections[parsed.candidates[0].section].role == "questions"


def test_warnings_for_the_triage_screen():
    parsed = parse_briefing(
        "Findings\n\n- Information sharing\n- the mother was not seen alone by the test team.\n\n"
        "Recommendations\n\nQuestions\n\n- What would you do?\n"
    )
    codes = {(w["candidate"], w["code"]) for w in parsed.warnings}
    assert codes == {(0, "looks_like_heading"), (1, "starts_in_lower_case"), (None, "no_recommendations")}
    assert all(w["message"] for w in parsed.warnings)


def test_parse_briefing_is_parse_document_of_read_text():
    text = "Test Findings\n\nTest agencies should share records.\n"
    assert kinds_and_texts(parse_briefing(text)) == kinds_and_texts(parse_document(read_text(text)))


# ---------------------------------------------------------------------------
# The pipeline: from a file to a read briefing
# ---------------------------------------------------------------------------


def test_a_text_file_is_read_through_the_pipeline():
    parsed = parse_file("test.md", b"# Test Brief\n\n## Findings\n\nTest agencies should share records.\n")
    assert parsed.title == "Test Brief"
    assert kinds_and_texts(parsed) == [(LEARNING, "Test agencies should share records.")]
    assert parsed.document.format == "md" and parsed.document.file_name == "test.md"


def test_a_binary_file_gets_a_clear_message_until_its_reader_is_there(monkeypatch):
    monkeypatch.setitem(sys.modules, "reviews.importing.readers", None)  # as if the package were missing
    with pytest.raises(BriefingFileError, match="this kind of file cannot be read yet"):
        read_file("test.pdf", b"%PDF-1.7 test")


def test_a_text_file_still_gets_the_decoding_checks():
    with pytest.raises(BriefingFileError, match="is empty"):
        parse_file("test.txt", b"  \n")


def test_a_list_of_recommendations_is_addressed_to_whom_its_introduction_names():
    parsed = parse_briefing(
        "The report provides Test Board with the following recommendations:\n\n"
        "1) To review the test escalation policy.\n\nThe Test Board will review it by May 2025.\n"
    )
    recommendation, action = parsed.candidates
    assert (recommendation.kind, recommendation.number, recommendation.addressed_to) == (
        RECOMMENDATION,
        "1",
        "Test Board",
    )
    assert (action.responds_to, action.owner, action.due) == (0, "Test Board", "by May 2025")


def test_a_sentence_starting_like_a_date_line_is_still_an_entry():
    parsed = parse_briefing(
        "Test findings\n\nUpdated guidance was given to every test GP practice in March 2020.\n\n"
        "Published research shows that test babies are most at risk in their first year.\n"
    )
    assert [c.text for c in parsed.candidates] == [
        "Updated guidance was given to every test GP practice in March 2020.",
        "Published research shows that test babies are most at risk in their first year.",
    ]
    assert parsed.excluded == []


def test_headings_below_a_recommendations_heading_keep_its_kind():
    markdown = parse_briefing(
        "# Test Brief\n\n## Recommendations\n\n### Test information sharing\n\nTest agencies should share records.\n"
    )
    numbered = parse_briefing(
        "Recommendations\n\n1. Test information sharing\nTest agencies should share records.\n\n"
        "2. Test supervision\nTest managers should review cases monthly.\n"
    )
    assert [(c.kind, c.heading) for c in markdown.candidates] == [(RECOMMENDATION, "Test information sharing")]
    assert [(c.kind, c.heading) for c in numbered.candidates] == [
        (RECOMMENDATION, "Test information sharing"),
        (RECOMMENDATION, "Test supervision"),
    ]


def test_a_download_link_to_a_report_is_left_out_but_the_report_kept_as_a_resource():
    parsed = parse_briefing(
        "Test findings\n\nDownload the [test full report](https://example.org/test.pdf) (PDF, 1MB)\n\n"
        "Test agencies should share records.\n"
    )
    assert [c.text for c in parsed.candidates] == ["Test agencies should share records."]
    assert parsed.resources["test full report"].url == "https://example.org/test.pdf"
    assert "download link" in parsed.excluded[0]["reason"]


def test_each_sentence_of_a_response_is_an_action_of_its_own():
    parsed = parse_briefing(
        "What we will do\n\n"
        "The Test Board will publish a test protocol (i.e. Test Guidance 2) by May 2025. This will include a "
        "checklist for practitioners.\n"
    )
    assert [(c.kind, c.text, c.owner, c.due) for c in parsed.candidates] == [
        (
            "action",
            "The Test Board will publish a test protocol (i.e. Test Guidance 2) by May 2025.",
            "Test Board",
            "by May 2025",
        ),
        ("action", "This will include a checklist for practitioners.", "Test Board", ""),
    ]


def test_work_reported_at_the_end_of_a_passage_of_learning_is_an_action():
    parsed = parse_briefing(
        "Test findings\n\n"
        "Test practitioners should ask who lives in the home. The Test Partnership will publish a test guide.\n\n"
        "The test website has a useful guide for practitioners.\n"
    )
    assert [(c.kind, c.text) for c in parsed.candidates] == [
        (LEARNING, "Test practitioners should ask who lives in the home."),
        ("action", "The Test Partnership will publish a test guide."),
        (LEARNING, "The test website has a useful guide for practitioners."),
    ]


def test_a_numbered_list_of_questions_is_questions_not_headings():
    parsed = parse_briefing(
        "Please consider these test questions with your team:\n\n"
        "1. What are your key thoughts and reflections?\n"
        "2. How can we ensure the test learning is embedded?\n"
    )
    assert [(c.kind, c.text) for c in parsed.candidates] == [
        (QUESTION, "What are your key thoughts and reflections?"),
        (QUESTION, "How can we ensure the test learning is embedded?"),
    ]
    assert parsed.headings == []


def test_a_box_number_printed_on_its_own_is_left_out():
    parsed = parse_briefing("1\n\nBackground\n\nTest family C lived in Testshire.\n")
    assert [(c.kind, c.text) for c in parsed.candidates] == [(CASE_FACT, "Test family C lived in Testshire.")]
    assert parsed.excluded == [
        {"text": "1", "reason": "The number of a box or step of the briefing, printed on its own."}
    ]


def test_labelled_entries_and_the_lead_and_timescale_of_a_response():
    parsed = parse_briefing(
        "Recommendation 1\n"
        "The test council should review out-of-area placements for young people aged 16 and 17.\n"
        "Response: The test council has set up a placement panel. The panel met in July 2024.\n"
        "Lead: Test Director of Children's Services. Timescale: December 2024.\n"
        "Learning: Test young people placed far from home lose the services that know them.\n"
        "Good practice: the test school kept in touch with the young person after the move.\n"
    )
    assert [(c.kind, c.text) for c in parsed.candidates] == [
        (RECOMMENDATION, "The test council should review out-of-area placements for young people aged 16 and 17."),
        ("action", "The test council has set up a placement panel. The panel met in July 2024."),
        (LEARNING, "Test young people placed far from home lose the services that know them."),
        (GOOD_PRACTICE, "the test school kept in touch with the young person after the move."),
    ]
    recommendation, action = parsed.candidates[:2]
    assert recommendation.number == "1"
    assert (action.responds_to, action.owner, action.due) == (
        0,
        "Test Director of Children's Services",
        "December 2024",
    )
    assert any("lead and timescale" in e["reason"] for e in parsed.excluded)


def test_a_table_of_actions_with_who_and_when():
    parsed = parse_briefing(
        "Next steps\n\n| Action | Who | When |\n|---|---|---|\n"
        "| Share this test inquiry with every team | Test Learning Group | November 2024 |\n"
    )
    assert [(c.kind, c.text, c.owner, c.due) for c in parsed.candidates] == [
        ("action", "Share this test inquiry with every team", "Test Learning Group", "November 2024")
    ]


def test_a_newsletters_events_are_left_out_as_news():
    parsed = parse_briefing("Dates for your diary\n\nTest Safeguarding Week runs from 12 to 16 May 2025.\n")
    assert parsed.candidates == []
    assert "news" in parsed.excluded[0]["reason"]


def test_a_label_that_is_not_a_lists_label_does_not_split_a_sentence():
    parsed = parse_briefing(
        "Findings\n\nFinding three: the test children were not spoken to; only the adults were seen.\n"
    )
    assert [c.text for c in parsed.candidates] == [
        "Finding three: the test children were not spoken to; only the adults were seen."
    ]


def test_a_case_name_before_a_title_is_not_a_fact():
    parsed = parse_briefing(
        "Child T: Test Local Child Safeguarding Practice Review\n\nBackground\n\nTest T was seen at home.\n"
    )
    assert [(c.kind, c.text) for c in parsed.candidates] == [(CASE_FACT, "Test T was seen at home.")]


# -- copies from a PDF: headings run into the text, paragraphs run together --------------------------


def test_a_heading_run_into_its_text_by_a_copy_from_a_pdf_is_a_heading():
    parsed = parse_briefing(
        "Working with schools\n\nTest schools saw the bruising first and told nobody outside the school.\n\n"
        "Listening to fathers Test fathers were rarely invited to meetings about their children. "
        "Practitioners should always ask who else lives in the home.\n"
    )
    assert parsed.headings == ["Working with schools", "Listening to fathers"]
    assert [(c.kind, c.heading, c.text) for c in parsed.candidates] == [
        (LEARNING, "Working with schools", "Test schools saw the bruising first and told nobody outside the school."),
        (
            LEARNING,
            "Listening to fathers",
            "Test fathers were rarely invited to meetings about their children. "
            "Practitioners should always ask who else lives in the home.",
        ),
    ]


@pytest.mark.parametrize(
    "paragraph",
    [
        # A name in capitals is not a heading run in: "The multi-agency Test Board has..."
        "The multi-agency Test Safeguarding Board has agreed a new escalation route for nurseries this year.",
        # A clause, not a heading: its opening has a verb or ends in a word that needs what follows.
        "Professionals working with Test Mother did not see the risk to the baby until the third visit.",
        "Health visitors told Test Hospital about the missed appointments twice in the same month.",
    ],
)
def test_an_opening_that_is_a_clause_or_a_name_is_not_a_run_in_heading(paragraph):
    parsed = parse_briefing(f"Key learning\n\n{paragraph}\n")
    assert parsed.headings == ["Key learning"]
    assert [(c.kind, c.text) for c in parsed.candidates] == [(LEARNING, paragraph)]


def test_a_finding_run_into_what_was_done_after_the_review_is_split_into_learning_and_an_action():
    parsed = parse_briefing(
        "Sharing information\n\n"
        "Test agencies kept the referral to themselves for a month. "
        "There was confusion about consent for the older sibling following this review the test consent "
        "guidance has been rewritten for all partners.\n\n"
        "Moving home\n\n"
        "Test families who move often lose their health visitor (see the transfer rules) Following this "
        "case review a test transfer checklist has been agreed.\n"
    )
    assert [(c.kind, c.text) for c in parsed.candidates] == [
        (LEARNING, "Test agencies kept the referral to themselves for a month."),
        (LEARNING, "There was confusion about consent for the older sibling"),
        (ACTION, "following this review the test consent guidance has been rewritten for all partners."),
        (LEARNING, "Test families who move often lose their health visitor (see the transfer rules)"),
        (ACTION, "Following this case review a test transfer checklist has been agreed."),
    ]


def test_research_run_together_with_the_advice_drawn_from_it_is_split():
    parsed = parse_briefing(
        "Engaging with fathers\n\n"
        "Test research shows that fathers are often invisible to services. "
        "The Testing (2021) study highlighted the importance of asking about every adult in the home. "
        "Invite fathers to every meeting and record why when they are not there.\n\n"
        "Neglect\n\n"
        "Test neglect features in 70% of test reviews (TESTSPCC). "
        "Practitioners can become used to low standards of care over time.\n"
    )
    assert [(c.kind, c.text) for c in parsed.candidates] == [
        (LEARNING, "Test research shows that fathers are often invisible to services."),
        (LEARNING, "The Testing (2021) study highlighted the importance of asking about every adult in the home."),
        (LEARNING, "Invite fathers to every meeting and record why when they are not there."),
        (LEARNING, "Test neglect features in 70% of test reviews (TESTSPCC)."),
        (LEARNING, "Practitioners can become used to low standards of care over time."),
    ]


def test_a_paragraph_of_learning_without_research_stays_one_entry():
    text = (
        "Test practitioners accepted the parents' account without checking it. "
        "It is important to check an account against what others have seen. "
        "Use the test escalation policy when in doubt."
    )
    parsed = parse_briefing(f"Key learning\n\n{text}\n")
    assert [(c.kind, c.text) for c in parsed.candidates] == [(LEARNING, text)]


def test_what_went_well_told_among_the_facts_of_the_case_is_good_practice():
    parsed = parse_briefing(
        "The case of Child T\n\n"
        "Child T lived with her grandmother in Testville from 2019.\n\n"
        "Despite the sad outcome, this was a case where the test school and the test GP worked well together. "
        "The review identified strengths in how the nursery recorded its concerns. "
        "The review also found that the family moved twice in a year.\n"
    )
    assert [(c.kind, c.text) for c in parsed.candidates] == [
        (CASE_FACT, "Child T lived with her grandmother in Testville from 2019."),
        (
            GOOD_PRACTICE,
            "Despite the sad outcome, this was a case where the test school and the test GP worked well together. "
            "The review identified strengths in how the nursery recorded its concerns.",
        ),
        (CASE_FACT, "The review also found that the family moved twice in a year."),
    ]


def test_a_linked_name_that_provides_more_information_is_a_resource_not_learning():
    parsed = parse_briefing(
        "Strategy meetings\n\n"
        "Test strategy meetings were held without the school.\n\n"
        "[The Test Procedures Manual](#) provides more information about who attends.\n"
    )
    assert [(c.kind, c.text) for c in parsed.candidates] == [
        (LEARNING, "Test strategy meetings were held without the school."),
    ]
    assert [r.name for r in parsed.resources.values()] == ["The Test Procedures Manual"]


def test_text_copied_from_a_pdf_with_single_line_breaks_keeps_its_headings_and_parts_apart():
    parsed = parse_briefing(
        "Learning from the review of Test Baby Q\n"
        "Background\n"
        "Test Baby Q was six weeks old when she was admitted to hospital. She lived with her\n"
        "mother and her mother's partner in temporary accommodation.\n"
        "Key learning\n"
        "Professionals did not ask who else lived in the home. The Testshire (2020) review found that men in\n"
        "the household are often unseen by services. Always ask who lives in the home and who cares for the baby.\n"
        "Working with housing Temporary accommodation moves disrupted health visiting. Housing officers\n"
        "should tell health visitors when a family with a new baby moves.\n"
    )
    assert parsed.headings == [
        "Learning from the review of Test Baby Q",
        "Background",
        "Key learning",
        "Working with housing",
    ]
    assert [(c.kind, c.heading, c.text) for c in parsed.candidates] == [
        (
            CASE_FACT,
            "Background",
            "Test Baby Q was six weeks old when she was admitted to hospital. She lived with her mother and her "
            "mother's partner in temporary accommodation.",
        ),
        (LEARNING, "Key learning", "Professionals did not ask who else lived in the home."),
        (
            LEARNING,
            "Key learning",
            "The Testshire (2020) review found that men in the household are often unseen by services.",
        ),
        (LEARNING, "Key learning", "Always ask who lives in the home and who cares for the baby."),
        (
            LEARNING,
            "Working with housing",
            "Temporary accommodation moves disrupted health visiting. Housing officers should tell health "
            "visitors when a family with a new baby moves.",
        ),
    ]


def test_the_reviews_own_view_after_a_general_point_is_a_point_of_its_own():
    parsed = parse_briefing(
        "Key learning\n\n"
        "Test teenagers are most at risk in the school holidays. "
        "The Test Review Panel felt that a named worker should stay in touch over the summer. "
        "This would have given the family someone to call.\n"
    )
    assert [(c.kind, c.text) for c in parsed.candidates] == [
        (LEARNING, "Test teenagers are most at risk in the school holidays."),
        (
            LEARNING,
            "The Test Review Panel felt that a named worker should stay in touch over the summer. "
            "This would have given the family someone to call.",
        ),
    ]


def test_saying_there_was_no_good_practice_is_not_good_practice():
    parsed = parse_briefing(
        "Good practice\n\n"
        "No evidence of good practice was found in how the test referral was handled.\n\n"
        "The test nursery kept a careful record of every bruise it saw.\n"
    )
    assert [(c.kind, c.text) for c in parsed.candidates] == [
        (LEARNING, "No evidence of good practice was found in how the test referral was handled."),
        (GOOD_PRACTICE, "The test nursery kept a careful record of every bruise it saw."),
    ]

# ruff: noqa: E501 (the test briefings keep their paragraphs on one line, as documents do)
"""Reading briefings of every genre by their structure (reviews/importing/structure.py).

TEST MATERIAL: every briefing below is invented for these tests ("Testshire",
"Child Q", "Mrs Testa"), written in the shape of a genre of real briefings
(7-minute briefings, six-step briefings, learning briefs, Safeguarding Adults
Reviews, Domestic Homicide Reviews, appreciative inquiries, board responses,
thematic and rapid reviews) without copying any of their words. None of it
is ever loaded as content.

Each test asserts the kinds, the exact texts and the sections of what is read,
and that every candidate keeps the document's words (a verbatim part of the
block it came from).
"""

import re

from reviews.importing.document import HEADING, PARAGRAPH, Block, Document
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


def entries(parsed):
    """(kind, text, section heading) for each candidate, in order."""
    return [
        (c.kind, c.text, parsed.sections[c.section].heading if c.section is not None else "") for c in parsed.candidates
    ]


def assert_verbatim(parsed, text):
    """Every candidate is the document's own words (line breaks and Markdown marks aside)."""
    flat = re.sub(r"\s+", " ", text.replace("**", "")).replace("# ", "")
    for candidate in parsed.candidates:
        for line in candidate.text.split("\n"):
            line = re.sub(r"^- ", "", line).strip()
            assert re.sub(r"\s+", " ", line) in flat, f"not verbatim: {line!r}"


# ---------------------------------------------------------------------------
# Genres
# ---------------------------------------------------------------------------

SEVEN_MINUTE = """7 Minute Briefing: Child Q

1. Background
Child Q was a test baby of four months who lived with
his mother and her partner in a rented flat. He was
seen by the test health visitor twice.

2. Why it matters
Babies who are not yet mobile cannot tell anyone what has happened to them.

3. Information
Bruising in a baby who is not independently mobile should always prompt a referral.

4. Findings
The test review found that the partner of the mother was not known to the GP.
Practitioners did not ask who else lived in the home.

5. What went well
The test nursery shared its concern on the same day.

6. Questions
How do you find out who lives in a baby's home?
What would you do if a parent would not say?

7. Further information
Testshire guidance on bruising in babies who are not mobile
"""


def test_a_seven_minute_briefing_gives_each_numbered_section_its_kind():
    parsed = parse_briefing(SEVEN_MINUTE)
    assert entries(parsed) == [
        (
            CASE_FACT,
            "Child Q was a test baby of four months who lived with his mother and her partner in a rented flat. "
            "He was seen by the test health visitor twice.",
            "Background",
        ),
        (LEARNING, "Babies who are not yet mobile cannot tell anyone what has happened to them.", "Why it matters"),
        (
            LEARNING,
            "Bruising in a baby who is not independently mobile should always prompt a referral.",
            "Information",
        ),
        (LEARNING, "The test review found that the partner of the mother was not known to the GP.", "Findings"),
        (LEARNING, "Practitioners did not ask who else lived in the home.", "Findings"),
        (GOOD_PRACTICE, "The test nursery shared its concern on the same day.", "What went well"),
        (QUESTION, "How do you find out who lives in a baby's home?", "Questions"),
        (QUESTION, "What would you do if a parent would not say?", "Questions"),
    ]
    roles = {s.heading: s.role for s in parsed.sections}
    assert roles["Background"] == "case" and roles["Questions"] == "questions"
    assert roles["Further information"] == "further_information"
    resource = next(iter(parsed.resources.values()))
    assert resource.name == "Testshire guidance on bruising in babies who are not mobile"
    assert parsed.sections[resource.section].heading == "Further information"
    assert parsed.source_kind == "seven_minute_briefing"
    assert_verbatim(parsed, SEVEN_MINUTE)


def test_the_boxes_of_a_seven_minute_briefing_are_its_sections():
    """As a PDF reader gives it: each box's bold heading and text, boxes numbered in reading order."""
    doc = Document(
        blocks=[
            Block(HEADING, text="Testshire 7 Minute Briefing: Safer Sleep", level=1),
            Block(PARAGRAPH, text="Background", bold=True, box=1),
            Block(PARAGRAPH, text="Baby T died aged nine weeks while sharing a sofa with a test parent.", box=1),
            Block(PARAGRAPH, text="Key learning", bold=True, box=2),
            Block(
                PARAGRAPH, text="Safer sleep advice should be repeated when the family's circumstances change.", box=2
            ),
            Block(PARAGRAPH, text="Questions to consider", bold=True, box=3),
            Block(PARAGRAPH, text="When did you last talk about safer sleep with a family?", box=3),
        ],
        format="pdf",
    )
    parsed = parse_document(doc)
    assert entries(parsed) == [
        (CASE_FACT, "Baby T died aged nine weeks while sharing a sofa with a test parent.", "Background"),
        (
            LEARNING,
            "Safer sleep advice should be repeated when the family's circumstances change.",
            "Key learning",
        ),
        (QUESTION, "When did you last talk about safer sleep with a family?", "Questions to consider"),
    ]
    assert parsed.title == "Testshire 7 Minute Briefing: Safer Sleep"


SIX_STEP = """Testshire Six Step Briefing

Step 1: The case
A test family of five moved to Testshire in 2021 and were seen by nine agencies in a year.

Step 2: What we found
No single agency had the whole picture of the family's needs.

Step 3: What went well
The test school nurse kept in touch with the children throughout.

Step 4: What needs to change
Agencies should hold one chronology for families who move often.

Step 5: What we will do
The Testshire Safeguarding Partnership will publish a shared chronology template by March 2025.

Step 6: Questions for your team
Who holds the chronology for the families you work with?
"""


def test_a_six_step_briefing():
    parsed = parse_briefing(SIX_STEP)
    assert entries(parsed) == [
        (
            CASE_FACT,
            "A test family of five moved to Testshire in 2021 and were seen by nine agencies in a year.",
            "Step 1: The case",
        ),
        (LEARNING, "No single agency had the whole picture of the family's needs.", "Step 2: What we found"),
        (GOOD_PRACTICE, "The test school nurse kept in touch with the children throughout.", "Step 3: What went well"),
        (
            LEARNING,
            "Agencies should hold one chronology for families who move often.",
            "Step 4: What needs to change",
        ),
        (
            ACTION,
            "The Testshire Safeguarding Partnership will publish a shared chronology template by March 2025.",
            "Step 5: What we will do",
        ),
        (QUESTION, "Who holds the chronology for the families you work with?", "Step 6: Questions for your team"),
    ]
    action = parsed.candidates[4]
    assert (action.owner, action.due) == ("Testshire Safeguarding Partnership", "by March 2025")


WHAT_HAPPENED = """# Learning from Testshire: Baby T

## What happened
Baby T, aged six weeks, was taken to hospital with a head injury.

## Why it matters
Head injuries in babies are often caused by shaking when a carer cannot cope with crying.

## What to do
- Talk to both parents about coping with crying at every contact.
- Record who the baby's carers are.
"""


def test_what_happened_why_it_matters_what_to_do_in_markdown():
    parsed = parse_briefing(WHAT_HAPPENED)
    assert parsed.title == "Learning from Testshire: Baby T"  # never with its "#"
    assert entries(parsed) == [
        (CASE_FACT, "Baby T, aged six weeks, was taken to hospital with a head injury.", "What happened"),
        (
            LEARNING,
            "Head injuries in babies are often caused by shaking when a carer cannot cope with crying.",
            "Why it matters",
        ),
        (LEARNING, "Talk to both parents about coping with crying at every contact.", "What to do"),
        (LEARNING, "Record who the baby's carers are.", "What to do"),
    ]


ISSUE_OCCUR_DONE = """Testshire Safeguarding Children Partnership
Date: Tuesday, 25th Jul 2023 | Category: Children
During July the focus has been on test practice weeks across the partnership.

What is the issue?
Test reviews show that professionals rarely meet the fathers of the children they work with.
Why does this occur?
Appointments are often made during working hours, when fathers are less likely to be at home.
What can be done?
Practitioners should offer appointments at times fathers can attend.
"""


def test_what_is_the_issue_why_does_this_occur_what_can_be_done():
    parsed = parse_briefing(ISSUE_OCCUR_DONE)
    assert entries(parsed) == [
        (
            LEARNING,
            "Test reviews show that professionals rarely meet the fathers of the children they work with.",
            "What is the issue?",
        ),
        (
            LEARNING,
            "Appointments are often made during working hours, when fathers are less likely to be at home.",
            "Why does this occur?",
        ),
        (LEARNING, "Practitioners should offer appointments at times fathers can attend.", "What can be done?"),
    ]
    reasons = {e["text"]: e["reason"] for e in parsed.excluded}
    assert "date" in reasons["Date: Tuesday, 25th Jul 2023 | Category: Children"]
    assert "News" in reasons["During July the focus has been on test practice weeks across the partnership."]
    assert (parsed.published_on.isoformat(), parsed.published_precision) == ("2023-07-25", "day")
    assert "Date: Tuesday, 25th Jul 2023 | Category: Children" not in parsed.headings


SAFEGUARDING_ADULTS_REVIEW = """Safeguarding Adults Review: Adult T
Learning Brief

A Safeguarding Adults Review is held when an adult with care and support needs dies or is seriously harmed and agencies could have worked together better.

About Adult T
Adult T was a 68 year old test resident who lived alone and declined help with personal care.

Key learning
Self-neglect needs a shared multi-agency plan, not a single-agency response.
Mental capacity assessments should be specific to each decision.

Recommendations
1. The Testshire Safeguarding Adults Board should publish a self-neglect pathway.
2. Adult social care should audit capacity assessments for people who decline care.

Download the full report (PDF, 2MB)
"""


def test_a_learning_brief_of_a_safeguarding_adults_review():
    parsed = parse_briefing(SAFEGUARDING_ADULTS_REVIEW)
    assert entries(parsed) == [
        (
            CASE_FACT,
            "Adult T was a 68 year old test resident who lived alone and declined help with personal care.",
            "About Adult T",
        ),
        (LEARNING, "Self-neglect needs a shared multi-agency plan, not a single-agency response.", "Key learning"),
        (LEARNING, "Mental capacity assessments should be specific to each decision.", "Key learning"),
        (
            RECOMMENDATION,
            "The Testshire Safeguarding Adults Board should publish a self-neglect pathway.",
            "Recommendations",
        ),
        (
            RECOMMENDATION,
            "Adult social care should audit capacity assessments for people who decline care.",
            "Recommendations",
        ),
    ]
    recommendations = [c for c in parsed.candidates if c.kind == RECOMMENDATION]
    assert [(r.number, r.addressed_to) for r in recommendations] == [
        ("1", "Testshire Safeguarding Adults Board"),
        ("2", "Adult social care"),
    ]
    reasons = [e["reason"] for e in parsed.excluded]
    assert any("definition of this kind of review" in r for r in reasons)
    assert any("download link" in r for r in reasons)
    assert parsed.review_type == "sar"
    assert parsed.children == ["Adult T"]


DOMESTIC_HOMICIDE_REVIEW = """Domestic Homicide Review: Test Learning Briefing

Summary of the case
Mrs Testa, 52, was killed by her husband at their home in 2022. She had told her GP about his controlling behaviour.

Key findings
Housing – the family had no permanent home for two years and moved between test hostels.
Coercive control was not recognised as domestic abuse by the agencies who saw her.

Recommendations
a) The Community Safety Partnership should ensure GPs ask about coercive control.
b) Police to share domestic abuse call-outs with the GP practice.

Under the Domestic Violence, Crime and Victims Act 2004 a review must be held when a person dies as a result of domestic abuse.
"""


def test_a_domestic_homicide_review_briefing():
    parsed = parse_briefing(DOMESTIC_HOMICIDE_REVIEW)
    assert entries(parsed) == [
        (
            CASE_FACT,
            "Mrs Testa, 52, was killed by her husband at their home in 2022. She had told her GP about his "
            "controlling behaviour.",
            "Summary of the case",
        ),
        (
            LEARNING,
            "Housing – the family had no permanent home for two years and moved between test hostels.",
            "Key findings",
        ),
        (
            LEARNING,
            "Coercive control was not recognised as domestic abuse by the agencies who saw her.",
            "Key findings",
        ),
        (
            RECOMMENDATION,
            "The Community Safety Partnership should ensure GPs ask about coercive control.",
            "Recommendations",
        ),
        (RECOMMENDATION, "Police to share domestic abuse call-outs with the GP practice.", "Recommendations"),
    ]
    recommendations = [c for c in parsed.candidates if c.kind == RECOMMENDATION]
    assert [(r.number, r.addressed_to) for r in recommendations] == [
        ("a", "Community Safety Partnership"),
        ("b", "Police"),
    ]
    assert any("definition of this kind of review" in e["reason"] for e in parsed.excluded)
    assert parsed.review_type == "dhr"


APPRECIATIVE_INQUIRY = """Appreciative Inquiry: Test Family G

What went well
Child and family centred approach: the test school and the health visitor met the family together and agreed one plan.
Practitioners kept the children's wishes at the centre of every meeting.

What we learned
Good practice depends on time for practitioners to build relationships.
"""


def test_an_appreciative_inquiry_gives_good_practice():
    parsed = parse_briefing(APPRECIATIVE_INQUIRY)
    assert entries(parsed) == [
        (
            GOOD_PRACTICE,
            "Child and family centred approach: the test school and the health visitor met the family together "
            "and agreed one plan.",
            "What went well",
        ),
        (GOOD_PRACTICE, "Practitioners kept the children's wishes at the centre of every meeting.", "What went well"),
        (LEARNING, "Good practice depends on time for practitioners to build relationships.", "What we learned"),
    ]
    assert parsed.review_type == "appreciative"
    assert parsed.children == []


BOARD_RESPONSE = """Testshire Safeguarding Children Partnership
Response to the recommendations of the Child Safeguarding Practice Review: Child T

<table><tr><th>Recommendation</th><th>Response</th><th>Lead</th><th>By when</th></tr>
<tr><td>1. Agencies should record who lives in a baby's home.</td><td>The partnership will add a household question to the test referral form.</td><td>Testshire Children's Services</td><td>March 2025</td></tr>
<tr><td>2. Health visitors should see fathers at the new birth visit.</td><td><ul><li>A test letter will invite both parents.</li><li>Visits will be offered in the evening.</li></ul></td><td>Testshire Health Visiting</td><td>June 2025</td></tr>
</table>

What we will do
The Testshire Safeguarding Children Partnership will audit referrals for babies by June 2025.
"""


def test_a_board_response_gives_recommendations_and_the_actions_answering_them():
    parsed = parse_briefing(BOARD_RESPONSE)
    kinds = [(c.kind, c.text) for c in parsed.candidates]
    assert kinds == [
        (RECOMMENDATION, "Agencies should record who lives in a baby's home."),
        (ACTION, "The partnership will add a household question to the test referral form."),
        (RECOMMENDATION, "Health visitors should see fathers at the new birth visit."),
        (ACTION, "A test letter will invite both parents."),
        (ACTION, "Visits will be offered in the evening."),
        (ACTION, "The Testshire Safeguarding Children Partnership will audit referrals for babies by June 2025."),
    ]
    first, answer, second, letter, _, audit = parsed.candidates
    assert (first.number, second.number) == ("1", "2")
    assert answer.responds_to == 0 and letter.responds_to == 2
    assert (answer.owner, answer.due) == ("Testshire Children's Services", "March 2025")
    assert (audit.owner, audit.due, audit.responds_to) == (
        "Testshire Safeguarding Children Partnership",
        "by June 2025",
        None,
    )
    assert parsed.sections[audit.section].role == "response"
    assert parsed.source_kind == "board_response"


THEMATIC = """Thematic Review: Test Adolescents at Risk

Key themes
Exploitation was often seen as a choice the young person had made.
Reflections include: practitioners felt they had too little time with young people; schools were not invited to strategy meetings; exclusion from school often came before the first missing episode
Recommendations include: the partnership should commission a test exploitation toolkit; schools should be invited to every strategy meeting.
"""


def test_a_thematic_review_with_inline_lists():
    parsed = parse_briefing(THEMATIC)
    assert [(c.kind, c.text) for c in parsed.candidates] == [
        (LEARNING, "Exploitation was often seen as a choice the young person had made."),
        (LEARNING, "practitioners felt they had too little time with young people"),
        (LEARNING, "schools were not invited to strategy meetings"),
        (LEARNING, "exclusion from school often came before the first missing episode"),
        (RECOMMENDATION, "the partnership should commission a test exploitation toolkit"),
        (RECOMMENDATION, "schools should be invited to every strategy meeting."),
    ]
    assert {parsed.sections[c.section].heading for c in parsed.candidates} == {"Key themes"}
    assert parsed.review_type == "thematic"
    assert not [w for w in parsed.warnings if w["code"] == "starts_in_lower_case"]  # list items, not cut-off
    assert_verbatim(parsed, THEMATIC)


RAPID_REVIEW_TWO_CHILDREN = """Testshire Rapid Review Notice

Child LB: a test boy of 14 who was missing from home eleven times in a year.
Child LD: his test cousin, aged 15, who was found with him in another county.

Learning
Return home interviews were not offered after most missing episodes.
"""


def test_two_children_in_one_notice_are_kept_apart():
    parsed = parse_briefing(RAPID_REVIEW_TWO_CHILDREN)
    assert [(c.kind, c.text, c.child) for c in parsed.candidates] == [
        (CASE_FACT, "a test boy of 14 who was missing from home eleven times in a year.", "Child LB"),
        (CASE_FACT, "his test cousin, aged 15, who was found with him in another county.", "Child LD"),
        (LEARNING, "Return home interviews were not offered after most missing episodes.", ""),
    ]
    assert parsed.children == ["Child LB", "Child LD"]
    assert parsed.review_type == "rapid"

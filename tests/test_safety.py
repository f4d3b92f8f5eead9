"""The publication safety check's detectors, on small invented examples
(every name, number and address here is made up for the test), and on the
seed briefings, which are anonymised and must stay quiet."""

import json
from pathlib import Path

import pytest

from reviews.safety import Kind, find_in_text

ROOT = Path(__file__).resolve().parent.parent


def found(text, kind=None):
    return [(m.kind, m.text) for m in find_in_text(text) if kind is None or m.kind == kind]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Child M (Jayden Okafor) was seen at home.", "Jayden Okafor"),
        ("Tyler (Child K) missed two appointments.", "Tyler"),
        ("Mrs Pemberton-Clarke told the health visitor.", "Mrs Pemberton-Clarke"),
        ("The health visitor spoke to Ms Wozniak.", "Ms Wozniak"),
        ("Harvey Mitchell was known to children's social care.", "Harvey Mitchell"),
        ("Angela Brierley refused to let the health visitor in.", "Angela Brierley"),
        ("Priya told her teacher that she was hungry.", "Priya"),
        ("Child D's mother, known as Zanele, declined support.", "Zanele"),
        ("Her son Kacper was not registered with a GP.", "Kacper"),
        ("The lead reviewer, Quillon Ashdown, an independent social worker, led it.", "Quillon Ashdown"),
    ],
)
def test_names_are_found(text, expected):
    assert (Kind.NAME, expected) in found(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Child M was born on 3 March 2015 at home.", "born on 3 March 2015"),
        ("DOB 03/03/2015, no known allergies.", "DOB 03/03/2015"),
        ("Date of birth: 14.06.12.", "Date of birth: 14.06.12"),
        ("She was born in April 2019.", "born in April 2019"),
        ("D.O.B. the 2nd of May 2011", "D.O.B. the 2nd of May 2011"),
    ],
)
def test_dates_of_birth_are_found(text, expected):
    assert found(text, Kind.DATE_OF_BIRTH) == [(Kind.DATE_OF_BIRTH, expected)]


def test_a_date_that_is_not_a_birth_is_not_a_date_of_birth():
    assert found("The subgroup met on 19 April 2017 under Regulation 5.", Kind.DATE_OF_BIRTH) == []


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("The family lived at 14 Larkspur Close with the baby.", Kind.ADDRESS, "14 Larkspur Close"),
        ("They moved to Flat 3, 27 Quarry Bank Road in May.", Kind.ADDRESS, "Flat 3, 27 Quarry Bank Road"),
        ("The home on Brindlecombe Avenue was cold.", Kind.ADDRESS, "Brindlecombe Avenue"),
        ("The postcode given was SN1 7QZ.", Kind.POSTCODE, "SN1 7QZ"),
        ("Post code M6 8HD on the referral.", Kind.POSTCODE, "M6 8HD"),
        ("Her mobile, 07700 900123, was off.", Kind.PHONE, "07700 900123"),
        ("The GP rang on 0117 496 0123.", Kind.PHONE, "0117 496 0123"),
        ("Mother wrote from kayla.testperson@example.com.", Kind.EMAIL, "kayla.testperson@example.com"),
        ("NHS number 943 476 5919 was on the record.", Kind.NHS_NUMBER, "943 476 5919"),
        ("His NHS no. is 9434765919.", Kind.NHS_NUMBER, "9434765919"),
        ("She attended St Bartholomew's Primary School until Year 4.", Kind.SCHOOL, "St Bartholomew's Primary School"),
        ("He moved to Fernleigh Academy in 2020.", Kind.SCHOOL, "Fernleigh Academy"),
        (
            "She was on roll at Oakbrook Church of England Infant School.",
            Kind.SCHOOL,
            "Oakbrook Church of England Infant School",
        ),
    ],
)
def test_contact_details_and_places_are_found(text, kind, expected):
    assert (kind, expected) in found(text)


def test_ten_digits_with_a_wrong_check_digit_are_not_an_nhs_number():
    assert found("Reference 943 476 5910.", Kind.NHS_NUMBER) == []


@pytest.mark.parametrize(
    "text",
    [
        "Serious Case Review – Child M relating to Child M who moved from Swindon to the Oxfordshire area.",
        "Child One, Child Two and Child Three were referred by the Local Safeguarding Children Board (LSCB).",
        "HM Government 'Working Together to Safeguard Children', 2015 (the statutory guidance at the time).",
        "The Munro (2012) review highlighted the importance of professional relationships.",
        "Great Western Hospital reviewed their discharge process. Book onto the LSCB Conference & Core Group Training.",
        "The family are Polish and speak limited English. A Bank Holiday Weekend in September 2019.",
        "Police - if there is a child present during a domestic dispute then a Vulnerable Child form is completed.",
        "The Virtual School Head and the local special school attended. The Family Court made an order.",
        "A young man who presented in crisis in August 2008 with multiple minor injuries.",
        "Date published: September 2023. Serious Case Reviews S & D. Learning Lessons Workshops.",
        "Hope and Grace were words in a title: Hope For The Future, Will It Work?",
    ],
)
def test_anonymised_briefing_text_is_not_flagged(text):
    assert found(text) == []


def test_a_name_wins_over_its_parts_and_overlaps_are_dropped():
    matches = find_in_text("Mrs Sarah Pemberton lives at 4 Elm Grove, SN2 1AB.")
    assert [(m.kind, m.text) for m in matches] == [
        (Kind.NAME, "Mrs Sarah Pemberton"),
        (Kind.ADDRESS, "4 Elm Grove"),
        (Kind.POSTCODE, "SN2 1AB"),
    ]


def _seed_texts():
    for path in sorted((ROOT / "fixtures" / "sources").glob("*.json")):
        data = json.loads(path.read_text())
        yield path.name, (ROOT / "fixtures" / "briefings" / data["source"]["file"]).read_text()


# What the seed briefings print that the check rightly asks about: a lead
# reviewer's name, and the boards' own public contact details.
SEED_EXPECTED = {
    (Kind.NAME, "Phil Heasman"),
    (Kind.PHONE, "01793 466903"),
    (Kind.EMAIL, "fcp@swindon.gov.uk"),
    (Kind.EMAIL, "sscp@salford.gov.uk"),
}


@pytest.mark.parametrize(("name", "text"), list(_seed_texts()))
def test_the_seed_briefings_raise_no_false_alarm(name, text):
    assert set(found(text)) <= SEED_EXPECTED, name


def test_odd_input_does_not_break_the_check():
    for text in [
        "",
        " ",
        "\x00",
        "((((",
        "Child (",
        "@@@@",
        "0" * 5000,
        "Mrs",
        "born on",
        "🙂 Child M 🙂",
        "A" * 10000,
    ]:
        find_in_text(text)

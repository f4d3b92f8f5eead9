"""Finding what may identify someone in one text.

Each detector takes a text and yields ``Match``es: the kind, where it starts
and ends, and the words matched. ``find_in_text`` runs them all and drops a
match that lies inside a stronger one (an NHS number is not also a phone
number; a school's name is not also a person's).

Libraries do what they do well: ``phonenumbers`` (Google's libphonenumber)
finds telephone numbers, ``python-stdnum`` checks an NHS number's check
digit, Faker's lists of given names say which words are first names
(``names.py``). The rest are patterns written for how English briefings and
their pasted case notes print dates of birth, addresses, postcodes and school
names.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import phonenumbers
from stdnum.gb import nhs

from .names import common_words, first_names


class Kind:
    NAME = "name"
    DATE_OF_BIRTH = "date_of_birth"
    ADDRESS = "address"
    POSTCODE = "postcode"
    PHONE = "phone"
    EMAIL = "email"
    NHS_NUMBER = "nhs_number"
    SCHOOL = "school"


KIND_LABELS = {
    Kind.NAME: "A person's name",
    Kind.DATE_OF_BIRTH: "A date of birth",
    Kind.ADDRESS: "A street address",
    Kind.POSTCODE: "A postcode",
    Kind.PHONE: "A telephone number",
    Kind.EMAIL: "An e-mail address",
    Kind.NHS_NUMBER: "An NHS number",
    Kind.SCHOOL: "A school's name",
}

# Which kind wins where two matches overlap: the more specific first.
PRIORITY = [
    Kind.NHS_NUMBER,
    Kind.EMAIL,
    Kind.POSTCODE,
    Kind.DATE_OF_BIRTH,
    Kind.SCHOOL,
    Kind.ADDRESS,
    Kind.PHONE,
    Kind.NAME,
]


@dataclass(frozen=True)
class Match:
    kind: str
    start: int
    end: int
    text: str
    why: str = ""


# ---------------------------------------------------------------------------
# Shared pieces of pattern
# ---------------------------------------------------------------------------

APOSTROPHE = "['’]"
# One capitalised word of a name: Smith, O'Brien, McDonald, MacKenzie, Smith-Jones.
NAME_WORD = rf"(?:O{APOSTROPHE}|Mc|Mac)?[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
# A pseudonym as briefings print them: Child M, Child K1, Baby S, Child One, Adult D, Mother of Child A.
PSEUDONYM = (
    r"(?:Child|Baby|Infant|Young\s+Person|Adult|Sibling|Mother|Father|Parent|Family|Subject|Person|Case)"
    r"\s+(?:[A-Z]{1,2}\d{0,2}|\d{1,2}|One|Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten)\b"
)
MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|"
    r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
YEAR = r"(?:19|20)\d\d"
DATE = (
    rf"(?:(?:the\s+)?{DAY}(?:\s+of)?\s+{MONTHS},?\s+{YEAR}"  # 3 March 2015, the 3rd of March 2015
    rf"|{MONTHS}\s+{DAY},?\s+{YEAR}"  # March 3, 2015
    r"|(?:0?[1-9]|[12]\d|3[01])[/.\-](?:0?[1-9]|1[0-2])[/.\-](?:(?:19|20)?\d\d)"  # 03/03/2015, 3.3.15
    rf"|{MONTHS}\s+{YEAR})"  # March 2015 (only after "born")
)

# ---------------------------------------------------------------------------
# Dates of birth
# ---------------------------------------------------------------------------

DATE_OF_BIRTH = re.compile(
    rf"\b(?:date\s+of\s+birth|d\.?\s?o\.?\s?b\b\.?|born|birth\s+date|birthday)"
    rf"(?:\s*(?:was|is|on|in|as|given|recorded|:|-|–)\s*|\s+){{1,3}}(?P<date>{DATE})",
    re.IGNORECASE,
)


def dates_of_birth(text: str) -> Iterator[Match]:
    for found in DATE_OF_BIRTH.finditer(text):
        yield Match(
            Kind.DATE_OF_BIRTH, found.start(), found.end(), found.group(0), "a date after 'born' or 'date of birth'"
        )


# ---------------------------------------------------------------------------
# Postcodes, e-mail addresses, NHS numbers, telephone numbers
# ---------------------------------------------------------------------------

# The format of a full UK postcode (the outward code, a space, the inward code).
POSTCODE = re.compile(r"\b(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-HJKMNPR-Y\d]? ?\d[ABD-HJLNP-UW-Z]{2})\b")

EMAIL = re.compile(r"\b[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")

# Ten digits, written together or as 3-3-4 with spaces or hyphens.
NHS_CANDIDATE = re.compile(r"(?<![\d/.-])(?:\d{3}[ -]?\d{3}[ -]?\d{4})(?![\d/-])")


def postcodes(text: str) -> Iterator[Match]:
    for found in POSTCODE.finditer(text):
        yield Match(Kind.POSTCODE, found.start(), found.end(), found.group(0), "the format of a UK postcode")


def emails(text: str) -> Iterator[Match]:
    for found in EMAIL.finditer(text):
        yield Match(Kind.EMAIL, found.start(), found.end(), found.group(0), "an e-mail address")


def nhs_numbers(text: str) -> Iterator[Match]:
    for found in NHS_CANDIDATE.finditer(text):
        if nhs.is_valid(found.group(0)):
            yield Match(
                Kind.NHS_NUMBER, found.start(), found.end(), found.group(0), "ten digits with a valid NHS check digit"
            )


def phone_numbers(text: str) -> Iterator[Match]:
    # POSSIBLE, not VALID: numbers Ofcom keeps for drama (07700 900xxx) and new
    # ranges are still telephone numbers to a reader. Ten digits at least, so
    # that years and ranges ("2021-23") are not taken for one.
    for found in phonenumbers.PhoneNumberMatcher(text, "GB", leniency=phonenumbers.Leniency.POSSIBLE):
        digits = re.sub(r"\D", "", found.raw_string)
        if len(digits) >= 10:
            yield Match(Kind.PHONE, found.start, found.end, found.raw_string, "a telephone number")


# ---------------------------------------------------------------------------
# Street addresses and schools
# ---------------------------------------------------------------------------

STREET_SUFFIX = (
    r"(?:Road|Rd|Street|St|Avenue|Ave|Lane|Close|Drive|Crescent|Terrace|Gardens|Grove|Mews|Place|Way|Court|"
    r"Square|Walk|Row|Rise|Hill|Park|View|Parade|Green|Vale|Meadows?|Fields?|Wharf|Yard|Boulevard|Approach|Chase|"
    r"Croft|Drove|Gate|Glade|Heights|Quay|Wynd)\b"
)
# These suffixes name a street without a house number only rarely: "Family
# Court", "Place of Safety", "Green Paper". They count only after a number.
WEAK_SUFFIXES = {
    "St",
    "Place",
    "Way",
    "Court",
    "Square",
    "Walk",
    "Row",
    "Rise",
    "Hill",
    "Park",
    "View",
    "Green",
    "Vale",
    "Meadow",
    "Meadows",
    "Field",
    "Fields",
    "Wharf",
    "Yard",
    "Parade",
}
STREET_NAME = rf"(?:{NAME_WORD}\s+){{1,3}}"
NUMBERED_ADDRESS = re.compile(
    rf"\b(?:(?:Flat|Apartment|Unit)\s+\d+[A-Za-z]?,?\s+)?\d{{1,4}}[A-Za-z]?(?:-\d{{1,4}})?,?\s+{STREET_NAME}{STREET_SUFFIX}"
)
# "Flat 2, Riverside House", "Apt 12, The Maltings": a flat in a named building.
FLAT_IN_BUILDING = re.compile(
    rf"\b(?:Flat|Apartment|Apt\.?|Unit|Room)\s+\d{{1,4}}[A-Za-z]?,?\s+(?:The\s+)?{STREET_NAME}?"
    r"(?:House|Court|Lodge|Tower|Mansions|Buildings|Hall|Cottages?|Point|Heights|Maltings|Works)\b"
)
NAMED_STREET = re.compile(rf"\b{STREET_NAME}(?P<suffix>{STREET_SUFFIX})(?!\s+[A-Z][a-z])")
NOT_STREETS = {
    "Working",
    "Safe",
    "Family",
    "Crown",
    "Youth",
    "County",
    "Magistrates",
    "Downing",
    "Abbey",
    "Wall",
    "Fleet",
    "Carnaby",
    "High",
}


def addresses(text: str) -> Iterator[Match]:
    for found in NUMBERED_ADDRESS.finditer(text):
        yield Match(Kind.ADDRESS, found.start(), found.end(), found.group(0), "a house number and a street")
    for found in FLAT_IN_BUILDING.finditer(text):
        yield Match(Kind.ADDRESS, found.start(), found.end(), found.group(0), "a flat and a building")
    for found in NAMED_STREET.finditer(text):
        if found.group("suffix") in WEAK_SUFFIXES:
            continue
        words = found.group(0).split()
        if words[0] in NOT_STREETS and len(words) == 2:
            continue
        if all(word.lower() in common_words() for word in words[:-1]):
            continue
        yield Match(Kind.ADDRESS, found.start(), found.end(), found.group(0), "a street's name")


SCHOOL_TYPE = (
    r"(?:(?:C\s?of\s?E|CofE|CE|RC|R\.C\.|Catholic|Church\s+of\s+England|Methodist|Community|Primary|Junior|"
    r"Infants?|Nursery|Secondary|High|Grammar|Free|Middle|First|Upper|Special|Sixth\s+Form|Prep(?:aratory)?|"
    r"Technical|Girls['’]?|Boys['’]?)\s+)*"
)
SCHOOL = re.compile(
    rf"\b(?P<name>(?:St\.?\s+|Saint\s+)?{NAME_WORD}(?:{APOSTROPHE}s)?(?:\s+(?:{NAME_WORD}(?:{APOSTROPHE}s)?|and|&))"
    rf"{{0,3}})\s+{SCHOOL_TYPE}(?P<type>School|Academy|College|Nursery|Pre-[Ss]chool|Pupil\s+Referral\s+Unit|PRU)\b"
    r"(?!\s+of\b)"
)
# Words that make a school's name generic rather than one school.
GENERIC_SCHOOL_WORDS = {
    "virtual",
    "special",
    "local",
    "primary",
    "secondary",
    "independent",
    "free",
    "mainstream",
    "residential",
    "boarding",
    "sunday",
    "forest",
    "hospital",
    "police",
    "royal",
    "the",
    "a",
    "an",
    "their",
    "his",
    "her",
    "our",
    "new",
    "pupil",
    "referral",
    "private",
    "state",
    "faith",
    "community",
    "nursery",
    "summer",
    "school",
    "high",
    "grammar",
    "junior",
    "infant",
    "infants",
    "middle",
    "first",
    "upper",
    "each",
    "every",
    "any",
    "same",
    "other",
}


def schools(text: str) -> Iterator[Match]:
    for found in SCHOOL.finditer(text):
        name_words = [w.strip("'’").removesuffix("'s").removesuffix("’s") for w in found.group("name").split()]
        if all(word.lower() in GENERIC_SCHOOL_WORDS or word.lower() in common_words() for word in name_words):
            continue
        # Leading generic words ("The", "Local") are not part of the name.
        start = found.start()
        for word in found.group("name").split():
            if word.lower() in {"the", "a", "an", "local", "their", "his", "her"}:
                start = text.index(word, start) + len(word) + 1
            else:
                break
        yield Match(Kind.SCHOOL, start, found.end(), text[start : found.end()], "the name of a school")


# ---------------------------------------------------------------------------
# People's names
# ---------------------------------------------------------------------------

TITLE = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Master|Sir|Dame|Prof|Professor|PC|DC|DS|DI|Sgt|Cllr)\.?"
TITLED = re.compile(rf"\b{TITLE}\s+(?P<name>{NAME_WORD}(?:\s+{NAME_WORD})?)")
# A name in brackets beside a pseudonym, or a pseudonym in brackets beside a name.
BESIDE_PSEUDONYM = re.compile(
    rf"(?:{PSEUDONYM}\s*[(\[]\s*(?P<after>{NAME_WORD}(?:\s+{NAME_WORD}){{0,2}})\s*[)\]])"
    rf"|(?:(?P<before>{NAME_WORD}(?:\s+{NAME_WORD}){{0,2}})\s*[(\[]\s*{PSEUDONYM}\s*[)\]])"
    rf"|(?:{PSEUDONYM},?\s+(?:also\s+)?(?:known\s+as|called|named|real\s+name)\s+(?P<known>{NAME_WORD}(?:\s+{NAME_WORD})?))"
)
NAMED = re.compile(
    rf"\b(?:named|known\s+as|called|nicknamed|name\s+(?:is|was)|(?:her|his|their|an?)\s+(?:son|daughter|brother|"
    rf"sister|mother|father|partner|boyfriend|girlfriend|friend|uncle|aunt|grandmother|grandfather|baby|child|"
    rf"cousin|neighbour|lodger|stepfather|stepmother|half-brother|half-sister),?)\s+"
    rf"(?P<name>{NAME_WORD}(?:\s+{NAME_WORD})?)"
)
ROLES = (
    r"(?:reviewer|author|specialist|consultant|social\s+worker|nurse|officer|manager|chair|practitioner|teacher|"
    r"headteacher|head\s+teacher|GP|doctor|midwife|health\s+visitor|detective|constable|sergeant|solicitor|"
    r"paediatrician|psychologist|psychiatrist|therapist|worker|advocate|guardian|coordinator|co-ordinator|"
    r"lead|director|inspector|foster\s+carer|childminder|neighbour|friend|partner|boyfriend|girlfriend)"
)
# "Phil Heasman, an independent safeguarding specialist"; "the social worker, Jane Doe".
WITH_ROLE = re.compile(
    rf"(?:\b(?P<name>{NAME_WORD}\s+{NAME_WORD}),\s+(?:an?|the|who\s+was\s+(?:an?|the))\s+(?:[a-z-]+\s+){{0,3}}{ROLES}\b)"
    rf"|(?:\b{ROLES},?\s+(?P<name2>{NAME_WORD}\s+{NAME_WORD})\b)"
)
NAME_PAIR = re.compile(rf"\b(?P<first>{NAME_WORD})\s+(?P<last>{NAME_WORD})\b")
SINGLE_WORD = re.compile(rf"(?<![\w'’-]){NAME_WORD}(?![\w'’-])")
# Words after a name that make the phrase an organisation or a place, not a person.
NOT_SURNAMES = {
    "Hospital",
    "Trust",
    "Centre",
    "Center",
    "School",
    "Academy",
    "College",
    "Nursery",
    "Street",
    "Road",
    "Avenue",
    "Lane",
    "Court",
    "House",
    "Park",
    "Surgery",
    "Practice",
    "Foundation",
    "Partnership",
    "Board",
    "Council",
    "Group",
    "Team",
    "Unit",
    "Ward",
    "Clinic",
    "Institute",
    "University",
    "Report",
    "Review",
    "Inquiry",
    "Principle",
    "Principles",
    "Model",
    "Framework",
    "Act",
    "Award",
    "Fund",
    "Project",
    "Service",
    "Services",
    "Children",
}


def _is_name_like(words: list[str]) -> bool:
    """Capitalised words that are not all ordinary or briefing words."""
    common = common_words()
    return any(word.lower() not in common for word in words)


def names(text: str) -> Iterator[Match]:
    known = first_names()
    common = common_words()

    for found in TITLED.finditer(text):
        name = found.group("name").split()
        if found.group(0).split()[0].rstrip(".") in {"PC", "DC", "DS", "DI"} and name[0].lower() in common:
            continue
        yield Match(Kind.NAME, found.start(), found.end(), found.group(0), "a title and a name")

    for found in BESIDE_PSEUDONYM.finditer(text):
        group = next(g for g in ("after", "before", "known") if found.group(g))
        words = found.group(group).split()
        if _is_name_like(words):
            yield Match(
                Kind.NAME, found.start(group), found.end(group), found.group(group), "a name beside a pseudonym"
            )

    for found in NAMED.finditer(text):
        words = found.group("name").split()
        if words[0] in known or _is_name_like(words):
            yield Match(
                Kind.NAME,
                found.start("name"),
                found.end("name"),
                found.group("name"),
                "a name after 'named' or 'her son'",
            )

    for found in WITH_ROLE.finditer(text):
        group = "name" if found.group("name") else "name2"
        words = found.group(group).split()
        if words[-1] not in NOT_SURNAMES and _is_name_like(words):
            yield Match(
                Kind.NAME, found.start(group), found.end(group), found.group(group), "a name with a person's role"
            )

    # A first name followed by a surname: "Jayden Smith".
    for found in NAME_PAIR.finditer(text):
        first, last = found.group("first"), found.group("last")
        if first in known and last not in NOT_SURNAMES and last.lower() not in common:
            yield Match(Kind.NAME, found.start(), found.end(), found.group(0), "a first name and a surname")

    # A first name on its own, where a briefing would use a pseudonym: "Jayden was seen".
    for found in SINGLE_WORD.finditer(text):
        word = found.group(0)
        if word in known:
            yield Match(Kind.NAME, found.start(), found.end(), word, "a first name")


DETECTORS = (nhs_numbers, emails, postcodes, dates_of_birth, schools, addresses, phone_numbers, names)


def find_in_text(text: str) -> list[Match]:
    """Every match in ``text``, in reading order, none inside another: where
    two overlap, the more specific kind wins (``PRIORITY``), then the longer."""
    if not text:
        return []
    found = [match for detector in DETECTORS for match in detector(text)]
    rank = {kind: i for i, kind in enumerate(PRIORITY)}
    found.sort(key=lambda m: (rank[m.kind], -(m.end - m.start), m.start))
    kept: list[Match] = []
    for match in found:
        if any(match.start < other.end and other.start < match.end for other in kept):
            continue
        kept.append(match)
    return sorted(kept, key=lambda m: (m.start, m.end))

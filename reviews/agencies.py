"""Reading a briefing's words for whom a recommendation is for, or who does
an action, as the agencies (professions) of ``models.Agency``.

The briefing's words stay as written (``Recommendation.addressed_to``,
``Action.owner``); ``agencies_for`` gives the knowledge base's reading of
them, which ``load_kb``, the importer and the data migration store in
``agencies`` and which editors can correct in the admin. The reading is
cautious: words it does not recognise give no agency (a page then shows the
entry only where the briefing's words are shown), never a guess.

The agencies themselves are content, in ``fixtures/agencies.json``; the
slugs below are the ones this reading can give, and ``load_kb`` checks each
is there.
"""

from __future__ import annotations

import re

ALL_AGENCIES = "all-agencies"
PARTNERSHIP = "safeguarding-partnership"
SCHOOLS = "schools-and-education"
POLICE = "police"
HEALTH = "health"
CHILDRENS_SOCIAL_CARE = "childrens-social-care"
ADULT_SOCIAL_CARE = "adult-social-care"
HOUSING = "housing"
PROBATION = "probation-and-youth-justice"
EARLY_HELP = "early-help"

# In the order the agencies are listed (``fixtures/agencies.json`` lists them so too).
AGENCY_SLUGS = (
    SCHOOLS,
    POLICE,
    HEALTH,
    CHILDRENS_SOCIAL_CARE,
    EARLY_HELP,
    ADULT_SOCIAL_CARE,
    HOUSING,
    PROBATION,
    PARTNERSHIP,
    ALL_AGENCIES,
)

# Words meaning every agency: the whole phrase ("All", "All agencies", "All partners").
_EVERYONE = re.compile(
    r"^(?:all|everyone|all (?:partner |board |relevant |safeguarding )?(?:agencies|partners|organisations|"
    r"professionals|practitioners|staff|services))$"
)

# The board or partnership itself: its name, its usual abbreviations (LSCB, HSCB, SSCP, SSP, SAB...) and
# the subgroups boards name (the Policy and Procedures Group, the Case Review Group...).
_PARTNERSHIP_WORDS = re.compile(
    r"\bsafeguarding (?:children|adults) (?:board|partnership)\b|\bsafeguarding partnership\b|"
    r"\b(?:policy|policies) and procedures? (?:sub-?)?group\b|\bcase review (?:sub-?)?group\b|"
    r"\blearning and (?:improvement|development) (?:sub-?)?group\b|\bserious case review (?:sub-?)?group\b|"
    r"\bscr (?:sub-?)?group\b|\bsub-?group\b"
)
_PARTNERSHIP_ABBREVIATION = re.compile(r"\b[A-Z]{0,3}S(?:C[BP]|AB|P)\b")

# Each agency's words, in lower case; a phrase may name several ("Police and Health").
_RULES: tuple[tuple[str, re.Pattern], ...] = (
    (
        HEALTH,
        re.compile(
            r"\bhealth\b|\bnhs\b|\bhealth visit|\bmidwi|\bgps?\b|\bgeneral practi|\bhospitals?\b|\bnurs(?:e|es|ing)\b|"
            r"\bpaediatric|\bcamhs\b|\bccgs?\b|\bicbs?\b|\bclinical commissioning|\bintegrated care board|\bdoctors?\b"
        ),
    ),
    (
        SCHOOLS,
        re.compile(r"\bschools?\b|\beducation\b|\bteachers?\b|\bcolleges?\b|\bacadem(?:y|ies)\b|\bnurser(?:y|ies)\b"),
    ),
    (POLICE, re.compile(r"\bpolice\b|\bconstabulary\b")),
    (
        CHILDRENS_SOCIAL_CARE,
        re.compile(r"\bchildren'?s (?:social care|services|social work)\b|\bchildren'?s social workers?\b"),
    ),
    (
        ADULT_SOCIAL_CARE,
        re.compile(r"\badults?'? (?:social care|services)\b|\badult social workers?\b"),
    ),
    (HOUSING, re.compile(r"\bhousing\b|\blandlords?\b|\bhomeless")),
    (PROBATION, re.compile(r"\bprobation\b|\byouth (?:offending|justice)\b")),
    (EARLY_HELP, re.compile(r"\bearly help\b|\bfamily support\b|\bsupporting families\b|\btroubled families\b")),
)

# "school nurse" is health, not schools: the words naming a health role are read first and taken out.
_SCHOOL_NURSE = re.compile(r"\bschool nurs(?:e|es|ing)\b")


def _plain(text: str) -> str:
    """Lower case, curly apostrophes straightened, runs of spaces made one, and edges trimmed of punctuation."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").lower()
    return re.sub(r"\s+", " ", text).strip(" .,;:-\u2013\u2014")


def agencies_for(text: str) -> list[str]:
    """The slugs of the agencies the words name, in the agencies' order; [] when they name none it knows.

    "All" and "All agencies" give only ``all-agencies``. The board or
    partnership and its subgroups ("HSCB", "Policy and Procedures Group")
    give ``safeguarding-partnership``; "Early Help Board" gives early help,
    not the partnership: it is the board of that service.
    """
    if not text or not text.strip():
        return []
    plain = _plain(text)
    if _EVERYONE.match(plain):
        return [ALL_AGENCIES]
    found: set[str] = set()
    if _SCHOOL_NURSE.search(plain):
        found.add(HEALTH)
        plain = _SCHOOL_NURSE.sub(" ", plain)
    for slug, pattern in _RULES:
        if pattern.search(plain):
            found.add(slug)
    if EARLY_HELP not in found and (_PARTNERSHIP_WORDS.search(plain) or _PARTNERSHIP_ABBREVIATION.search(text)):
        found.add(PARTNERSHIP)
    return [slug for slug in AGENCY_SLUGS if slug in found]

"""The glossary: abbreviations and terms the briefings use, explained in the
knowledge base's own words (never a board's).

Kept as data in one place: the glossary page lists it, and anything that
expands an abbreviation on a page reads it from here. Where a briefing spells
an abbreviation out, the expansion follows the briefing; where it names a
board or partnership, the expansion is that publisher's name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    term: str  # as the briefings write it
    expansion: str  # what it stands for ("" for a term that is not an abbreviation)
    meaning: str  # the knowledge base's explanation, in plain English

    @property
    def anchor(self) -> str:
        return "term-" + re.sub(r"[^a-z0-9]+", "-", self.term.lower()).strip("-")


TERMS: tuple[Term, ...] = (
    Term(
        "7-minute briefing",
        "",
        "A short briefing on one review or topic, written to be read or presented in about seven minutes, "
        "usually in seven parts. Many boards and partnerships publish their learning this way.",
    ),
    Term(
        "CAMHS",
        "Child and Adolescent Mental Health Services",
        "NHS services that assess and treat children and young people with emotional, behavioural or "
        "mental health difficulties.",
    ),
    Term(
        "CSPR",
        "Child Safeguarding Practice Review",
        "The kind of review that replaced the Serious Case Review in England from 2018 to 2019. A local "
        "one is a Local Child Safeguarding Practice Review (LCSPR); the national Child Safeguarding Practice "
        "Review Panel reviews cases of national importance and reports on themes across England.",
    ),
    Term(
        "GDPR",
        "General Data Protection Regulation",
        "The data protection law on personal information. It does not stop professionals sharing "
        "information to keep a child safe.",
    ),
    Term(
        "GP",
        "General practitioner",
        "A family doctor.",
    ),
    Term(
        "HSCB",
        "Hampshire Safeguarding Children Board",
        "The Local Safeguarding Children Board for Hampshire, which published the response to the Serious "
        "Case Review of Child K held here.",
    ),
    Term(
        "LCSPR",
        "Local Child Safeguarding Practice Review",
        "A review commissioned by a local safeguarding partnership when a child dies or is seriously harmed "
        "and abuse or neglect is known or suspected. It replaced the Serious Case Review.",
    ),
    Term(
        "LSCB",
        "Local Safeguarding Children Board",
        "The body that brought local agencies together to safeguard children until 2019, when local "
        "safeguarding partnerships (the local authority, the police and health) took over its work.",
    ),
    Term(
        "MASH",
        "Multi-Agency Safeguarding Hub",
        "The team, with staff from several agencies, that receives concerns about a child's safety and "
        "decides what should happen next. Briefings give its number as the one to call with a concern.",
    ),
    Term(
        "NSPCC",
        "National Society for the Prevention of Cruelty to Children",
        "A children's charity. It keeps the national case review repository, which holds published reviews "
        "from across the United Kingdom.",
    ),
    Term(
        "s17",
        "Section 17 of the Children Act 1989",
        "The local authority's duty to safeguard and promote the welfare of children in need in its area, "
        "for example by providing services to the child or family. Work under it needs the family's consent.",
    ),
    Term(
        "s47",
        "Section 47 of the Children Act 1989",
        "The local authority's duty to make enquiries when it has reasonable cause to suspect that a child "
        "is suffering, or is likely to suffer, significant harm.",
    ),
    Term(
        "SCIE",
        "Social Care Institute for Excellence",
        "A charity that publishes guidance and research for social care.",
    ),
    Term(
        "SCR",
        "Serious Case Review",
        "The review a Local Safeguarding Children Board carried out when abuse or neglect was known or "
        "suspected and a child died or was seriously harmed, to learn how agencies could work better "
        "together. Replaced by Child Safeguarding Practice Reviews from 2018 to 2019.",
    ),
    Term(
        "SMART",
        "Specific, measurable, achievable, realistic and time-bound",
        "A check that an action or plan says clearly what will be done, how anyone will know, and by when.",
    ),
    Term(
        "SSCP",
        "Salford Safeguarding Children Partnership",
        "The local safeguarding partnership for Salford, which published the briefing on recurring themes held here.",
    ),
    Term(
        "SSP",
        "Swindon Safeguarding Partnership",
        "The local safeguarding partnership for Swindon, which published the briefing on the Serious Case "
        "Review of Child M held here.",
    ),
    Term(
        "Strategy meeting",
        "",
        "A meeting (or discussion) of children's social care, the police and other agencies, held when a "
        "child may be suffering significant harm, to share information and decide what to do, including "
        "whether to start enquiries under section 47.",
    ),
)


def terms() -> tuple[Term, ...]:
    """Every term, in alphabetical order as a reader looks them up."""
    return tuple(sorted(TERMS, key=lambda term: term.term.lower().lstrip("0123456789-")))

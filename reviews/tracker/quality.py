"""A gentle checklist for a recommendation or an action: has an owner? a date? something measurable?

Computed from what is stored, never written back: the briefing's words are
never changed, and nothing here blocks a save. The answers are a rough guide
for staff (the admin's change pages, the board view's shares and its CSV):

- *owner*: the words say who it is for or who is doing it ("for whom",
  "who is doing it"), agencies are set, or its words name an agency
  (``reviews.agencies.agencies_for``);
- *date*: an action's target date as the briefing gives it, or a date
  phrase in the words. A definite date ("January 2020") is read as the
  tracker reads it (``dates.target_date_from_words``); a phrase that names
  none ("later this year") counts as a date *as written* and is shown in
  its own words, never turned into a date. A recommendation also counts
  the target dates of the actions answering it;
- *measurable*: a cautious reading of the words for numbers, percentages,
  audits and reports to the board by a date. It misses much and may be
  wrong: the pages say it is a rough guide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..agencies import agencies_for
from ..models import Action, Recommendation
from .dates import target_date_from_words

_MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)"
)
_YEAR = r"(?:19|20)\d\d"
# Date phrases in running text, longest first; each is kept as written.
_DATE_PHRASES = re.compile(
    rf"\b(?:(?:by|before|within|until|from|in|due)\s+(?:the\s+)?(?:end\s+of\s+)?)?"
    rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\.?,?\s+{_YEAR}"  # 31 March 2021
    rf"|{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+{_YEAR}"  # March 31, 2021
    rf"|\d{{1,2}}/\d{{1,2}}/{_YEAR}"  # 31/03/2021
    rf"|(?:spring|summer|autumn|winter|q[1-4])\s+{_YEAR}"  # spring 2021
    rf"|{_MONTH}\.?,?\s+{_YEAR}"  # January 2020
    rf"|{_YEAR}(?:/\d\d)?"  # 2021, 2020/21
    r"|(?:later|earlier|the end of) (?:this|next) (?:year|month|quarter|term)"
    r"|(?:this|next) (?:year|month|quarter|term|financial year)"
    r"|(?:\w+|\d+) (?:weeks|months|years)(?: of [a-z ]{3,30})?"
    r")\b",
    re.IGNORECASE,
)
# A bare year or a duration is a date only with a word that makes it a deadline ("by 2021", "within six months").
_NEEDS_LEAD_IN = re.compile(rf"^(?:{_YEAR}(?:/\d\d)?|(?:\w+|\d+) (?:weeks|months|years).*)$", re.IGNORECASE)
_LEAD_IN = re.compile(r"^(?:by|before|within|until|due|in)\b", re.IGNORECASE)
# "in 2019" is as often a past event as a deadline: only these make a bare year or a duration a deadline.
_DEADLINE_LEAD_IN = re.compile(r"^(?:by|before|within|until|due)\b", re.IGNORECASE)

# Words that make an outcome checkable. Cautious on purpose: "review" or "consider" alone are not here.
_MEASURABLE = re.compile(
    r"\d+\s*(?:%|per\s?cent)|\bper\s?cent\b|%"
    r"|\baudit(?:s|ed|ing)?\b"
    r"|\breport(?:s|ed|ing)?\s+(?:back\s+)?to\s+the\s+(?:\w+\s+){0,3}(?:board|partnership|sub-?group|group|panel)\b"
    r"|\breport(?:s|ed)?\s+back\b"
    r"|\bevaluat(?:e|ed|es|ion|ing)\b|\bmeasur(?:e|ed|es|able|ing)\b|\bmonitor(?:ed|ing|s)?\b|\bbaseline\b"
    r"|\b(?:number|proportion|percentage) of\b"
    # Any other number, but not a year ("made in 2019" measures nothing) nor a date's day.
    r"|\b(?!(?:19|20)\d\d\b)\d+\b(?!\s*(?:/\d|(?:st|nd|rd|th)\b))",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Check:
    """One line of the checklist: what is asked, whether it is met, and what was found (in plain words)."""

    key: str  # "owner", "date" or "measurable"
    question: str
    met: bool
    found: str
    as_written: str = ""  # for a date: the words, when they name no definite date ("later this year")


@dataclass(frozen=True)
class Checklist:
    checks: tuple[Check, ...]

    def __iter__(self):
        return iter(self.checks)

    def __getitem__(self, key: str) -> Check:
        return next(check for check in self.checks if check.key == key)

    def summary(self) -> str:
        """One line for a spreadsheet cell: "owner: yes; date: as written (later this year); measurable: no"."""
        parts = []
        for check in self.checks:
            value = "yes" if check.met else "no"
            if check.as_written:
                value = f"as written ({check.as_written})"
            parts.append(f"{check.key}: {value}")
        return "; ".join(parts)


QUESTIONS = {
    "owner": "Has an owner?",
    "date": "Has a date?",
    "measurable": "Something measurable?",
}
ROUGH_GUIDE = (
    "A rough guide, read from the words and fields as they are: it may miss things or be wrong. It never "
    "changes the briefing's words and does not stop a save."
)


def _plain_text(text: str) -> str:
    """Markdown's marks taken out, so that "**31 March 2021**" reads as a date."""
    return " ".join(re.sub(r"[*_`#>\[\]]", " ", text or "").split())


def date_phrases(text: str) -> list[str]:
    """The date phrases in the words, as written, in order: "by March 2021", "later this year", "within six months"."""
    found = []
    for match in _DATE_PHRASES.finditer(_plain_text(text)):
        phrase = match.group(0).strip(" ,.")
        core = _LEAD_IN.sub("", phrase).strip()
        core = re.sub(r"^(?:the\s+)?end\s+of\s+", "", core, flags=re.IGNORECASE)
        if _NEEDS_LEAD_IN.match(core) and not _DEADLINE_LEAD_IN.match(phrase):
            continue
        found.append(phrase)
    return found


def _is_definite(words: str) -> bool:
    return (target_date_from_words(words) or target_date_from_words(_LEAD_IN.sub("", words).strip())) is not None


def _date_check(lead: str, words: str) -> Check:
    """A date found: "target date “January 2020” (a definite date)", or as written when the words name none."""
    if _is_definite(words):
        return Check("date", QUESTIONS["date"], True, f"{lead} “{words}” (a definite date)")
    return Check(
        "date",
        QUESTIONS["date"],
        True,
        f"{lead} as written: “{words}” (not a definite date, so none is worked out from it)",
        as_written=words,
    )


def looks_measurable(text: str) -> str:
    """The first words that make it look measurable ("audit", "25%", "report to the board"), else ""."""
    plain = _plain_text(text)
    # Dates are not measures: take them out before looking for numbers.
    for phrase in date_phrases(plain):
        plain = plain.replace(phrase, " ")
    match = _MEASURABLE.search(plain)
    return match.group(0).strip() if match else ""


def _owner_check(words: str, agency_names: list[str], text: str) -> Check:
    if words.strip():
        return Check("owner", QUESTIONS["owner"], True, f"“{words.strip()}”, as the briefing says")
    if agency_names:
        return Check("owner", QUESTIONS["owner"], True, "agencies set: " + ", ".join(agency_names))
    named = agencies_for(_plain_text(text))
    if named:
        return Check("owner", QUESTIONS["owner"], True, "its words name an agency (" + ", ".join(named) + ")")
    return Check("owner", QUESTIONS["owner"], False, "no one is named as owner")


def _measurable_check(text: str) -> Check:
    words = looks_measurable(text)
    if words:
        return Check("measurable", QUESTIONS["measurable"], True, f"its words include “{words}”")
    return Check("measurable", QUESTIONS["measurable"], False, "no number, audit or report back found in its words")


def action_checklist(action: Action) -> Checklist:
    """The checklist of an action (prefetch ``agencies`` to read them without a query)."""
    agency_names = [agency.name for agency in action.agencies.all()] if action.pk else []
    if action.target_date_as_stated.strip():
        date = _date_check("target date", action.target_date_as_stated)
    else:
        phrases = date_phrases(action.text)
        if phrases:
            date = _date_check("in its words", phrases[0])
        else:
            date = Check("date", QUESTIONS["date"], False, "no target date given")
    return Checklist((_owner_check(action.owner, agency_names, action.text), date, _measurable_check(action.text)))


def recommendation_checklist(recommendation: Recommendation) -> Checklist:
    """The checklist of a recommendation (prefetch ``agencies`` and ``actions`` to read them without a query)."""
    saved = recommendation.pk is not None
    agency_names = [agency.name for agency in recommendation.agencies.all()] if saved else []
    phrases = date_phrases(recommendation.text)
    if phrases:
        date = _date_check("in its words", phrases[0])
    else:
        targets = [action.target_date_as_stated for action in recommendation.actions.all()] if saved else []
        targets = [target for target in targets if target.strip()]
        if targets:
            date = _date_check("an action answering it gives a target date", targets[0])
        else:
            date = Check("date", QUESTIONS["date"], False, "no date in its words or in the actions answering it")
    return Checklist(
        (
            _owner_check(recommendation.addressed_to, agency_names, recommendation.text),
            date,
            _measurable_check(recommendation.text),
        )
    )


@dataclass(frozen=True)
class Share:
    key: str
    question: str
    count: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.count / self.total) if self.total else 0


def recommendations_checked(*, review_id: int | None = None) -> list[Checklist]:
    """The checklist of every recommendation (drafts included: the board view is for staff), or of one
    review's: 3 queries."""
    recommendations = Recommendation.objects.prefetch_related("agencies", "actions").order_by("pk")
    if review_id:
        recommendations = recommendations.filter(review_id=review_id)
    return [recommendation_checklist(recommendation) for recommendation in recommendations]


def checklist_shares(checklists: list[Checklist]) -> list[Share]:
    """How many of the checklists meet each check, in the checklist's order."""
    total = len(checklists)
    return [
        Share(key, question, sum(1 for checklist in checklists if checklist[key].met), total)
        for key, question in QUESTIONS.items()
    ]

"""Reading a briefing document into candidate entries.

Boards receive briefings as documents. ``parse_briefing(text)`` turns the text
of one (plain text or Markdown) into *candidates*: learning points, good
practice, recommendations, the actions answering them, case facts and named
resources, each keeping the document's wording exactly. Nothing here touches
the database; ``reviews.services.briefing_import`` stores the result as a
draft review for an editor to check.

How the document is read, in order, for each passage (a paragraph, a bullet,
a table cell):

- a passage already seen in the same document is left out as a repeat;
- a fragment (a few letters, e.g. a truncated line), a "Date published:" line
  and a short block giving a telephone number or e-mail address become, in
  turn, an excluded passage, the source's date and a contact-point resource;
- a passage that is only a link (``[Book onto the training](#)``) is a
  resource, not an entry;
- a short line without sentence punctuation is a heading: it starts a section
  (``SectionCandidate``, its role guessed from its words by ``guess_role``)
  that the entries under it sit in, and sets the kind of section
  (recommendations, good practice, learning, or facts about a named child or
  review); a line ending in ":" that introduces a list starts a section too;
- ``1)``, ``2.`` numbered items in a document that introduces recommendations
  are recommendations with their number; the paragraphs after one are the
  actions answering it, and bullets right after a recommendation ending in ":"
  belong to its text;
- ``All - ...``, ``Police - ...``, ``Recommendation to <group> - ...`` and,
  inside a recommendations section, any ``<group> - ...`` are recommendations
  addressed to that group;
- ``Heading; text`` and ``Short Heading - text`` split into a heading and an entry;
- a table (pasted HTML, or tab-separated rows) gives one entry per cell or
  bullet in a cell, labelled good practice or learning by its column header;
  it keeps its shape as sections: the table, a row per row heading, a cell
  per column heading within each row;
- what remains is an action when its first sentence reports what an agency
  has done or will do, a case fact in a section about a named case unless it
  draws a lesson, and otherwise a learning point.

``[text](#)`` link placeholders become plain text in the entry and a
``Resource`` with no address (the document gives none); other links are kept.
Themes are suggested by ``ThemeMatcher`` (``themes.py``).

Sections and entries are numbered as they are met (``order``), one sequence
for the whole document, so that what is stored keeps the document's order.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from ..text import MARKDOWN_LINK, comparable_text, without_markup

# ---------------------------------------------------------------------------
# What a briefing yields
# ---------------------------------------------------------------------------

LEARNING = "learning"
GOOD_PRACTICE = "good_practice"
RECOMMENDATION = "recommendation"
ACTION = "action"
CASE_FACT = "case_fact"


# Section roles and layouts, as ``reviews.models.Section`` names them.
ROLE_RECOMMENDATIONS = "recommendations"
ROLE_GOOD_PRACTICE = "good_practice"
ROLE_LEARNING = "learning"
ROLE_CASE = "case"
ROLE_RESPONSE = "response"
ROLE_QUESTIONS = "questions"
ROLE_FURTHER_INFORMATION = "further_information"
ROLE_OTHER = "other"


@dataclass
class SectionCandidate:
    """One section of the document: a heading as written and what it seems to be for."""

    heading: str
    role: str
    layout: str = "text"  # "text", "table", "row" or "cell"
    parent: int | None = None  # index in ParsedBriefing.sections of its table (a row) or row (a cell)
    order: int = 0  # its place in the document, in the same sequence as the candidates


@dataclass
class Candidate:
    """One entry proposed from the document, in the document's words."""

    kind: str
    text: str
    heading: str = ""
    section: int | None = None  # index in ParsedBriefing.sections
    order: int = 0  # its place in the document, in the same sequence as the sections
    number: str = ""
    addressed_to: str = ""
    owner: str = ""
    responds_to: int | None = None  # index of the recommendation an action answers
    resources: list[str] = field(default_factory=list)  # names, keys of ParsedBriefing.resources
    passage: str = ""  # the passage of the document it was taken from


@dataclass
class ResourceCandidate:
    name: str
    kind: str
    url: str = ""
    details_as_stated: str = ""


@dataclass
class ParsedBriefing:
    title: str = ""
    source_title: str = ""
    review_type: str = "other"
    source_kind: str = "other"
    published_on: datetime.date | None = None
    published_precision: str = "unknown"
    candidates: list[Candidate] = field(default_factory=list)
    resources: dict[str, ResourceCandidate] = field(default_factory=dict)
    headings: list[str] = field(default_factory=list)
    sections: list[SectionCandidate] = field(default_factory=list)
    excluded: list[dict[str, str]] = field(default_factory=list)


# ---------------------------------------------------------------------------
# Patterns
# ---------------------------------------------------------------------------

_BULLET = re.compile(r"^\s*(?:[-*•·▪●◦]|\u2013)\s+(?P<text>\S.*)$")
_NUMBERED = re.compile(r"^\(?(?P<number>\d{1,2})[).]\s+(?P<text>\S.*)$", re.S)
_RUN_IN_SEMICOLON = re.compile(r"^(?P<heading>[^.;:!?\[\]\n]{3,90});\s+(?P<text>\S.*)$", re.S)
_DASH_PREFIX = re.compile(
    r"^(?:(?P<recommendation>Recommendation)(?:\s+to)?\s+)?(?P<who>[A-Z][^.;:!?\[\]\n]{0,80}?)\s+[-–]\s+(?P<text>\S.*)$",
    re.S,
)
_RECOMMENDATION_LABEL = re.compile(r"^Recommendation\s*(?P<number>\d{1,2})?\s*[:.)-]\s*(?P<text>\S.*)$", re.S | re.I)
_SENTENCE_BREAK = re.compile(r"[.!?]\s+[A-Z(‘'\"“]")
_PHONE = re.compile(r"\b0\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}\b")
_EMAIL_OR_SITE = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b|\b[\w-]+(?:\.[\w-]+)*\.(?:gov|org|nhs|co)\.uk\b")
_DATE_PUBLISHED = re.compile(r"^\W*Date published\s*[:;]\s*(?P<when>.+?)\W*$", re.I)
_MONTH_YEAR = re.compile(
    r"\b(?P<month>January|February|March|April|May|June|July|August|September|October|November|December)\s+"
    r"(?P<year>(?:19|20)\d\d)\b",
    re.I,
)
_BRIEFING_DATE = re.compile(r"\bbriefing\s*[;:,]?\s*" + _MONTH_YEAR.pattern, re.I)

# Who a "<group> - text" passage is addressed to when no section says so.
KNOWN_ADDRESSEES = re.compile(
    r"^(?:all|all agencies|police|health|education|schools?|children'?s social care|social care|"
    r"adult social care|gps?|midwifery|health visitors?|camhs|probation|housing|the (?:board|partnership|lscb))$",
    re.I,
)

_SECTION_RECOMMENDATIONS = re.compile(r"\brecommendations?\b|\bkey actions\b", re.I)
_SECTION_GOOD_PRACTICE = re.compile(r"\bgood practice\b", re.I)
_SECTION_LEARNING = re.compile(r"\blearning\b|\blessons?\b", re.I)
_SECTION_FACTS = re.compile(r"\bChild (?:[A-Z][a-z]*|[A-Z])\b|\b(?:serious case|practice) reviews?\b", re.I)

_LESSON_WORDS = re.compile(
    r"\b(?:should|must|need to|needs to|important|importance|vital|essential|ensure|lessons?|highlight\w*|recognise)\b",
    re.I,
)
_DONE_OR_PLANNED = re.compile(r"\b(?:due to be|in being|is being|are being|action plan is in place)\b", re.I)
_FINDING = re.compile(r"\b(?:found|finds?|tells us|shows?|identified|confirmed)\b", re.I)
_AUXILIARY = re.compile(r"\b(?P<before>\w+)\W+(?:will|has|have)\b(?!\s+to\b)", re.I)
# Words before "will", "has" or "have" that make it something other than an
# agency reporting what it has done or will do ("there have been", "can have").
_NOT_A_COMMITMENT = frozenset(
    {
        "there",
        "they",
        "that",
        "which",
        "who",
        "we",
        "you",
        "it",
        "can",
        "may",
        "might",
        "could",
        "would",
        "should",
        "must",
        "to",
        "not",
        "also",
        "often",
    }
)
_OWNER = re.compile(
    r"^(?:The\s+)?(?:[a-z-]+\s+)?(?P<owner>(?:[A-Z][\w’'&-]*\s+){0,5}(?:Board|Group|Partnership|Panel|Team|Trust)"
    r"|[A-Z]{2,}(?:\s+[A-Z]{2,})?)\s*,?\s+(?:will|has|have|is|are)\b"
)
_DANGLING_WORD = re.compile(r"\b(?:the|of|from|and|to|for|in|on|a|an)$", re.I)
_REVIEW_NAME = re.compile(
    r"\b(?:Child Safeguarding Practice|Serious Case|Special Practice|Safeguarding Practice|Rapid|Practice)\s+Reviews?\b"
    r"(?!\s+(?:Briefing|Newsletter|Group|Subgroup))[^.;:!?\n]*",
    re.I,
)

_RESOURCE_KINDS = [
    (re.compile(r"\b(?:training|book onto|course|workshops?|e-?learning)\b", re.I), "training"),
    (re.compile(r"\bprocedures?\b", re.I), "procedure"),
    (re.compile(r"\bprotocol\b", re.I), "protocol"),
    (re.compile(r"\bpolicy\b", re.I), "policy"),
    (re.compile(r"\b(?:research|paper|study|SCRs|statistics)\b", re.I), "research"),
    (re.compile(r"\bbriefing\b", re.I), "briefing"),
    (re.compile(r"\bwebsite\b", re.I), "website"),
]


def strip_placeholder_links(text: str) -> str:
    """``[text](#)`` (a link with no address) becomes ``text``; real links stay."""
    return MARKDOWN_LINK.sub(lambda m: m.group(0) if _is_real_url(m.group(2)) else m.group(1), text)


def _is_real_url(url: str) -> bool:
    return url.startswith(("http://", "https://", "mailto:"))


def _resource_kind(name: str) -> str:
    for pattern, kind in _RESOURCE_KINDS:
        if pattern.search(name):
            return kind
    return "guidance"


def _reports_work(sentence: str) -> bool:
    """Whether a sentence reports what an agency has done or will do."""
    if _DONE_OR_PLANNED.search(sentence):
        return True
    if _FINDING.search(sentence):
        return False  # "reviews have repeatedly found...": a finding, not work done
    return any(match.group("before").lower() not in _NOT_A_COMMITMENT for match in _AUXILIARY.finditer(sentence))


def _first_sentence(text: str) -> str:
    match = _SENTENCE_BREAK.search(text)
    return text[: match.start() + 1] if match else text


# ---------------------------------------------------------------------------
# Splitting the document into passages
# ---------------------------------------------------------------------------


@dataclass
class _Passage:
    kind: str  # "paragraph", "bullet" or "table"
    text: str
    rows: list[list[str]] = field(default_factory=list)


class _TableParser(HTMLParser):
    """Rows of cells from a pasted HTML table; a cell's list items are kept apart."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "li" and self._cell is not None:
            self._cell.append(" • ")
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            if not self.rows:
                self.rows.append([])
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _split_passages(text: str) -> list[_Passage]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    passages: list[_Passage] = []
    # Pasted HTML tables may contain blank lines: take them out whole first.
    pieces = re.split(r"(<table\b.*?</table>)", text, flags=re.S | re.I)
    for piece in pieces:
        if re.match(r"<table\b", piece, re.I):
            parser = _TableParser()
            parser.feed(piece)
            passages.append(_Passage("table", piece, rows=[row for row in parser.rows if any(c.strip() for c in row)]))
            continue
        for block in re.split(r"\n[ \t]*\n", piece):
            passages.extend(_split_block(block))
    return passages


def _split_block(block: str) -> list[_Passage]:
    lines = [line.rstrip() for line in block.split("\n") if line.strip()]
    if not lines:
        return []
    tabbed = [line for line in lines if "\t" in line.strip("\n")]
    if len(tabbed) >= 2 and len(tabbed) * 2 >= len(lines):
        return [_Passage("table", block, rows=[line.split("\t") for line in lines])]
    passages: list[_Passage] = []
    paragraph: list[str] = []
    for line in lines:
        bullet = _BULLET.match(line)
        if bullet:
            if paragraph:
                passages.append(_Passage("paragraph", "\n".join(paragraph)))
                paragraph = []
            passages.append(_Passage("bullet", bullet.group("text").strip()))
        elif passages and passages[-1].kind == "bullet" and not paragraph:
            passages[-1].text += "\n" + line.strip()  # a bullet running on to the next line
        else:
            paragraph.append(line.strip())
    if paragraph:
        passages.append(_Passage("paragraph", "\n".join(paragraph)))
    return passages


# ---------------------------------------------------------------------------
# The reader
# ---------------------------------------------------------------------------


def _section_of(heading: str) -> str:
    if _SECTION_RECOMMENDATIONS.search(heading):
        return RECOMMENDATION
    if _SECTION_GOOD_PRACTICE.search(heading) and not _SECTION_LEARNING.search(heading):
        return GOOD_PRACTICE
    if _SECTION_LEARNING.search(heading):
        return LEARNING
    if _SECTION_FACTS.search(heading):
        return CASE_FACT
    return ""


# What a section is for, from its heading's words: the first that matches.
_ROLE_WORDS = [
    (re.compile(r"\brecommendations?\b", re.I), ROLE_RECOMMENDATIONS),
    (re.compile(r"\b(?:good practice|what went well|strengths?)\b", re.I), ROLE_GOOD_PRACTICE),
    (re.compile(r"\b(?:learning|findings?|what we learned|lessons? learned)\b", re.I), ROLE_LEARNING),
    (re.compile(r"\b(?:background|the case)\b", re.I), ROLE_CASE),
    (re.compile(r"\bChild (?:[A-Z]|One|Two|Three|Four|Five|\d+)$"), ROLE_CASE),
    (re.compile(r"\b(?:actions?|response|what we will do)\b", re.I), ROLE_RESPONSE),
    (re.compile(r"\b(?:questions?|reflect\w*)\b", re.I), ROLE_QUESTIONS),
    (re.compile(r"\b(?:further information|resources|useful links)\b", re.I), ROLE_FURTHER_INFORMATION),
]


def guess_role(heading: str) -> str:
    """A section's role guessed from its heading's words; "other" when none says.

    A heading naming both learning and good practice ("Summary of the key
    learning and good practice examples") is one of learning: the table's
    cells say which of their entries are good practice.
    """
    text = without_markup(heading).strip()
    if _ROLE_WORDS[1][0].search(text) and _ROLE_WORDS[2][0].search(text) and not _ROLE_WORDS[0][0].search(text):
        return ROLE_LEARNING
    for pattern, role in _ROLE_WORDS:
        if pattern.search(text):
            return role
    return ROLE_OTHER


def _looks_like_heading(text: str) -> bool:
    plain = without_markup(text).rstrip(";").strip()
    words = plain.split()
    if not words or len(words) > 20 or MARKDOWN_LINK.search(text):
        return False
    return not (plain.endswith((".", "!", "?")) or _SENTENCE_BREAK.search(plain))


def _is_title_like(text: str, max_words: int) -> bool:
    words = text.split()
    return 0 < len(words) <= max_words and text[:1].isupper() and not re.search(r"[.!?]", text)


class _Reader:
    def __init__(self, text: str):
        self.text = text
        self.result = ParsedBriefing()
        self.heading = ""
        self.section = ""
        self.open_recommendation: int | None = None  # the numbered recommendation whose answers follow
        self.recommendation_takes_bullets = False
        self.seen: set[str] = set()
        self.current_section: int | None = None  # index in result.sections
        self.sequence = 0  # how many sections and candidates have been met

    # -- recording -------------------------------------------------------

    def add(self, kind: str, text: str, passage: str, **extra) -> Candidate:
        text = text.strip()
        names = self.resources_in(text)
        candidate = Candidate(
            kind=kind,
            text=strip_placeholder_links(text),
            heading=self.heading[:300],
            section=self.current_section,
            order=self.next_order(),
            resources=names,
            passage=passage,
            **extra,
        )
        self.result.candidates.append(candidate)
        return candidate

    def next_order(self) -> int:
        self.sequence += 1
        return self.sequence

    def start_section(self, heading: str, *, role: str | None = None, layout: str = "text", parent=None) -> int:
        """Record a section met in the document; its index in ``result.sections``."""
        heading = heading[:300]
        section = SectionCandidate(
            heading=heading,
            role=role or guess_role(heading),
            layout=layout,
            parent=parent,
            order=self.next_order(),
        )
        self.result.sections.append(section)
        return len(self.result.sections) - 1

    def exclude(self, text: str, reason: str) -> None:
        self.result.excluded.append({"text": text, "reason": reason})

    def resources_in(self, text: str) -> list[str]:
        names = []
        for match in MARKDOWN_LINK.finditer(text):
            name = without_markup(match.group(1)).strip(" ‘’'\"")
            if not name:
                continue
            url = match.group(2) if _is_real_url(match.group(2)) else ""
            names.append(self.add_resource(name, url=url))
        return names

    def add_resource(self, name: str, *, kind: str | None = None, url: str = "", details: str = "") -> str:
        key = comparable_text(name)
        existing = self.result.resources.get(key)
        if existing is None:
            self.result.resources[key] = ResourceCandidate(
                name=name[:300], kind=kind or _resource_kind(name), url=url, details_as_stated=details[:300]
            )
        elif url and not existing.url:
            existing.url = url
        return key

    def set_heading(self, heading: str) -> None:
        self.heading = without_markup(heading).rstrip(";:").strip()
        self.result.headings.append(self.heading)
        self.current_section = self.start_section(self.heading)
        self.section = _section_of(self.heading)
        self.open_recommendation = None
        self.recommendation_takes_bullets = False

    # -- reading ---------------------------------------------------------

    def read(self) -> ParsedBriefing:
        for passage in _split_passages(self.text):
            if passage.kind == "table":
                self.read_table(passage)
                continue
            key = comparable_text(without_markup(passage.text))
            if key in self.seen and passage.kind == "paragraph" and _looks_like_heading(passage.text):
                self.set_heading(passage.text)  # a heading used again, e.g. "Summary of the key learning"
                continue
            if key in self.seen:
                self.exclude(passage.text, "Repeats an earlier passage of the same document.")
                continue
            self.seen.add(key)
            if passage.kind == "bullet":
                self.read_bullet(passage.text)
            else:
                self.read_paragraph(passage.text)
        self.describe_document()
        return self.result

    def read_paragraph(self, text: str) -> None:
        plain = without_markup(text)
        if len(plain) < 4 or (len(plain.split()) == 1 and plain.islower()):
            self.exclude(text, "A fragment, probably a truncated line: too short to be an entry.")
            return
        date_line = _DATE_PUBLISHED.match(plain)
        if date_line:
            self.note_date(date_line.group("when"))
            self.exclude(text, "The publication date: recorded on the source.")
            return
        if len(plain.split()) <= 30 and (_PHONE.search(plain) or _EMAIL_OR_SITE.search(plain)):
            self.read_contact(plain)
            return
        if MARKDOWN_LINK.fullmatch(text.strip().strip("*").strip()):
            self.resources_in(text)
            return
        if _NUMBERED.match(text) and (self.section == RECOMMENDATION or self.open_recommendation is not None):
            self.read_entry(text, passage=text)
            return
        if _looks_like_heading(text) and plain.endswith(":"):
            # "The report provides HSCB with the following recommendations:" introduces
            # a list: it says what kind of section follows, and heads the section
            # the list sits in, but is not one of the document's headings.
            self.section = _section_of(plain) or self.section
            self.current_section = self.start_section(plain.strip())
            self.exclude(text, "Introduces the list that follows; not an entry itself.")
            return
        if _looks_like_heading(text):
            self.note_date_in_heading(plain)
            self.set_heading(text)
            return
        self.read_entry(text, passage=text)

    def read_bullet(self, text: str) -> None:
        if self.recommendation_takes_bullets and self.open_recommendation is not None:
            recommendation = self.result.candidates[self.open_recommendation]
            separator = "\n" if "\n- " in recommendation.text else "\n\n"
            recommendation.text += f"{separator}- {strip_placeholder_links(text.strip())}"
            recommendation.resources += self.resources_in(text)
            return
        if self.section == CASE_FACT:
            self.add(CASE_FACT, text, passage=text)
            return
        self.read_entry(text, passage=text)

    def read_entry(self, text: str, *, passage: str) -> None:
        numbered = _NUMBERED.match(text)
        if numbered and (self.section == RECOMMENDATION or self.open_recommendation is not None):
            self.open_recommendation = len(self.result.candidates)
            body = numbered.group("text")
            self.recommendation_takes_bullets = body.rstrip().endswith(":")
            self.add(RECOMMENDATION, body, passage=passage, number=numbered.group("number"))
            return

        labelled = _RECOMMENDATION_LABEL.match(text)
        if labelled and not _DASH_PREFIX.match(text):
            self.add(RECOMMENDATION, labelled.group("text"), passage=passage, number=labelled.group("number") or "")
            return

        dash = _DASH_PREFIX.match(text)
        if dash:
            who = dash.group("who").strip()
            if dash.group("recommendation") or self.section == RECOMMENDATION or KNOWN_ADDRESSEES.match(who):
                if len(who.split()) <= 8:
                    self.add(RECOMMENDATION, dash.group("text"), passage=passage, addressed_to=who[:200])
                    return
            elif _is_title_like(who, 6):
                self.set_heading(who)
                self.read_entry(dash.group("text"), passage=passage)
                return

        run_in = _RUN_IN_SEMICOLON.match(text)
        if run_in and _is_title_like(run_in.group("heading").strip(), 8) and len(run_in.group("text").split()) >= 4:
            self.set_heading(run_in.group("heading"))
            self.read_entry(run_in.group("text"), passage=passage)
            return

        self.recommendation_takes_bullets = False
        if self.open_recommendation is not None:
            self.add(ACTION, text, passage=passage, owner=self.owner_in(text), responds_to=self.open_recommendation)
            return
        if self.section == RECOMMENDATION:
            self.add(RECOMMENDATION, text, passage=passage)
            return
        first = _first_sentence(without_markup(text))
        if _reports_work(first) and not _LESSON_WORDS.search(first):
            self.add(ACTION, text, passage=passage, owner=self.owner_in(text))
            return
        if self.section == CASE_FACT and not _LESSON_WORDS.search(without_markup(text)):
            self.add(CASE_FACT, text, passage=passage)
            return
        kind = GOOD_PRACTICE if self.section == GOOD_PRACTICE else LEARNING
        self.add(kind, text, passage=passage)

    def read_table(self, passage: _Passage) -> None:
        rows = passage.rows
        if not rows:
            self.exclude(passage.text, "An empty table.")
            return
        header = [without_markup(cell) for cell in rows[0]]
        has_header = not header[0] or all(_looks_like_heading(cell) for cell in header if cell)
        body = rows[1:] if has_header and len(rows) > 1 else rows
        row_labels = has_header and not header[0]
        table = self.table_section()
        for row in body:
            label = without_markup(row[0]) if row_labels and row else ""
            row_section = (
                self.start_section(label, role=self.result.sections[table].role, layout="row", parent=table)
                if label
                else None
            )
            for column, cell in enumerate(row):
                if row_labels and column == 0:
                    continue
                column_heading = header[column] if has_header and column < len(header) else ""
                kind = GOOD_PRACTICE if _SECTION_GOOD_PRACTICE.search(column_heading) else LEARNING
                heading = label or column_heading or self.heading
                items = self.cell_items(cell)
                self.current_section = row_section if row_section is not None else table
                if items and row_section is not None and column_heading:
                    self.current_section = self.start_section(column_heading, layout="cell", parent=row_section)
                for item in items:
                    candidate = self.add(kind, item, passage=item)
                    candidate.heading = heading[:300]
        self.current_section = table

    def table_section(self) -> int:
        """The section a table is: the heading just before it, if nothing was read under it yet, else a new one."""
        index = self.current_section
        if index is not None and not any(c.section == index for c in self.result.candidates):
            section = self.result.sections[index]
            if section.layout == "text":
                section.layout = "table"
                return index
        role = self.result.sections[index].role if index is not None else ROLE_OTHER
        return self.start_section("", role=role, layout="table")

    @staticmethod
    def cell_items(cell: str) -> list[str]:
        text = re.sub(r"<li\b[^>]*>", " • ", cell, flags=re.I)
        text = re.sub(r"<[^>]+>", " ", text)
        parts = [re.sub(r"\s+", " ", part).strip() for part in text.split("•")]
        return [part for part in parts if part]

    def read_contact(self, plain: str) -> None:
        match = _PHONE.search(plain) or _EMAIL_OR_SITE.search(plain)
        name = plain[: match.start()].strip(" ;:,-–/")
        details = plain[match.start() :].strip()
        self.add_resource(name or details, kind="contact", details=details)

    def owner_in(self, text: str) -> str:
        match = _OWNER.match(without_markup(text))
        return match.group("owner").strip()[:200] if match else ""

    def note_date(self, text: str) -> None:
        match = _MONTH_YEAR.search(text)
        if match and self.result.published_on is None:
            month = datetime.datetime.strptime(match.group("month")[:3].title(), "%b").month
            self.result.published_on = datetime.date(int(match.group("year")), month, 1)
            self.result.published_precision = "month"

    def note_date_in_heading(self, plain: str) -> None:
        match = _BRIEFING_DATE.search(plain)
        if match:
            self.note_date(match.group(0))

    # -- the document as a whole ------------------------------------------

    def describe_document(self) -> None:
        result = self.result
        titles = _joined_headings(result.headings)
        review_names = [match.group(0).strip() for title in titles for match in [_REVIEW_NAME.search(title)] if match]
        documents = [title for title in titles if re.search(r"\b(?:briefing|newsletter|response)\b", title, re.I)]
        result.source_title = (documents or titles or [""])[0][:300]
        result.title = (review_names or documents or titles or [""])[0][:300]
        result.review_type = _review_type(f"{result.title}\n{result.source_title}\n{self.text}")
        result.source_kind = _source_kind(f"{result.source_title}\n{self.text}")


def _joined_headings(headings: list[str]) -> list[str]:
    """Headings, with a title broken over two lines ("... from the" / "Serious
    Case Review of Child K") put back together."""
    joined: list[str] = []
    for heading in headings:
        if joined and _DANGLING_WORD.search(joined[-1]):
            joined[-1] = f"{joined[-1]} {heading}"
        elif heading not in joined:
            joined.append(heading)
    return joined


def _review_type(text: str) -> str:
    checks = [
        (r"child safeguarding practice review", "cspr"),
        (r"special practice review", "spr"),
        (r"rapid review", "rapid"),
        (r"recurring themes|thematic", "thematic"),
        (r"serious case review", "scr"),
    ]
    for pattern, review_type in checks:
        if re.search(pattern, text, re.I):
            return review_type
    return "other"


def _source_kind(text: str) -> str:
    checks = [
        (r"7[\s-]minute briefing|seven[\s-]minute briefing", "seven_minute_briefing"),
        (r"response to the recommendations", "board_response"),
        (r"newsletter", "newsletter"),
        (r"briefing", "review_briefing"),
        (r"\breport\b", "report"),
    ]
    for pattern, kind in checks:
        if re.search(pattern, text, re.I):
            return kind
    return "other"


def parse_briefing(text: str) -> ParsedBriefing:
    """Read a briefing's text into candidate entries (see the module docstring)."""
    return _Reader(text).read()

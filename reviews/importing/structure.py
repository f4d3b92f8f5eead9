"""Reading a briefing ``Document`` into candidate entries.

Boards receive briefings as documents. A reader (``textblocks`` for text and
Markdown, ``readers`` for PDF, Word and web pages) turns the file into a
``Document`` of blocks; ``parse_document(doc)`` reads the blocks into
sections and *candidates*: learning points, good practice, recommendations,
the actions answering them, case facts, questions to consider and named
resources, each keeping the document's wording exactly (a candidate's text is
the text of the block it came from, or a part of it). ``parse_briefing(text)``
does the same for plain text. Nothing here touches the database;
``reviews.services.importing`` stores the result as a draft review.

How the blocks are read, in order:

- headings of every form start a section: the format's headings, a paragraph
  set wholly in bold, a short line without sentence punctuation, a short
  numbered line followed by text ("1. The Background", where a run of short
  numbered lines is a list instead), a short question followed by an answer
  ("What is the issue?"), and a case name ("Child LB:"), which also says
  which child the entries after it are about (``Candidate.child``);
- a section's *role* comes from its heading's words (``guess_role``): the
  seven parts of a 7-minute briefing, the six steps of a six-step briefing,
  "What happened / Why it matters / What to do", "What is the issue? / Why
  does this occur? / What can be done?", findings and key learning, what went
  well (appreciative inquiry), the board's response, questions to reflect on,
  further information. The role decides the kind of what sits under it:
  background and the case give case facts, findings and learning give
  learning, what went well good practice, recommendations recommendations
  (with their number and who they are addressed to where written), the
  response and "what we will do" actions (with owner and date where written),
  reflective questions questions, further information resources;
- date lines, download links, website boilerplate, statutory definitions of
  a kind of review and news sentences are left out with a reason
  (``ParsedBriefing.excluded``), as are repeats and fragments;
- an inline list ("Recommendations include: a; b; c") gives one entry per
  item when each item is a whole thought;
- ``Short Heading - Text`` and ``Heading; text`` split into a heading and an
  entry; ``Term – definition`` (the part after the dash in lower case) stays
  one entry; ``<group> - text`` is a recommendation to that group inside a
  recommendations section, or when the text reads as one;
- a table gives one entry per cell (or bullet in a cell), labelled by its
  column heading; a board's table of recommendations and responses gives a
  recommendation per row and the action answering it, with its owner and date;
- outside a section whose role says, a passage reporting what an agency has
  done or will do is an action, and anything else learning.

``warnings`` lists what an editor should check on the triage screen.
Sections and entries are numbered as they are met (``order``), one sequence
for the whole document, so that what is stored keeps the document's order.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field, replace

from ..text import MARKDOWN_LINK, comparable_text, without_markup
from .document import HEADING, ITEM, PARAGRAPH, TABLE, Block, Document
from .textblocks import run_in_heading

# ---------------------------------------------------------------------------
# What a briefing yields
# ---------------------------------------------------------------------------

LEARNING = "learning"
GOOD_PRACTICE = "good_practice"
RECOMMENDATION = "recommendation"
ACTION = "action"
CASE_FACT = "case_fact"
QUESTION = "question"  # a question to consider: stored as a LearningPoint of kind "question"

KINDS = (LEARNING, GOOD_PRACTICE, RECOMMENDATION, ACTION, CASE_FACT, QUESTION)

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
    child: str = ""  # the case name the section is about, when the document is about several


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
    due: str = ""  # an action's date or timescale as written ("by March 2024")
    responds_to: int | None = None  # index of the recommendation an action answers
    resources: list[str] = field(default_factory=list)  # names, keys of ParsedBriefing.resources
    passage: str = ""  # the block of the document it was taken from
    child: str = ""  # the case name ("Child LB") it is about; "" when about the whole document


@dataclass
class ResourceCandidate:
    name: str
    kind: str
    url: str = ""
    details_as_stated: str = ""
    section: int | None = None  # where the document names it, when it is a passage of its own


@dataclass
class ParsedBriefing:
    title: str = ""
    source_title: str = ""
    review_type: str = "other"
    source_kind: str = "other"
    published_on: datetime.date | None = None
    published_precision: str = "unknown"
    partnership_name: str = ""  # the partnership the document names, as written ("" when none)
    case_names: list[str] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    resources: dict[str, ResourceCandidate] = field(default_factory=dict)
    headings: list[str] = field(default_factory=list)
    sections: list[SectionCandidate] = field(default_factory=list)
    excluded: list[dict[str, str]] = field(default_factory=list)
    children: list[str] = field(default_factory=list)  # case names heading parts of one document, in order
    warnings: list[dict] = field(default_factory=list)  # {"candidate": index or None, "code": ..., "message": ...}
    document: Document | None = None  # the document read, whose ``as_text()`` is the source's full text


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


_LESSON_WORDS = re.compile(
    r"\b(?:should|must|need to|needs to|important|importance|vital|essential|ensure|lessons?|highlight\w*|recognise)\b",
    re.I,
)
_DONE_OR_PLANNED = re.compile(r"\b(?:due to be|in being|is being|are being|action plan is in place)\b", re.I)
_FINDING = re.compile(r"\b(?:found|finds?|tells us|shows?|identified|confirmed)\b", re.I)
# "will", "has" or "have" reporting work; not "have to", nor "has a useful guide" (having, not doing),
# nor "has not been in touch" (what did not happen is not work reported).
_AUXILIARY = re.compile(
    r"\b(?P<before>\w+)\W+(?:will|has|have)\b(?!\s+(?:to|a|an|no|not|never|some|many|any|useful|lots|several)\b)", re.I
)
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
    r"\b(?:Child Safeguarding Practice|Serious Case|Special Practice|Safeguarding Practice|Rapid|Practice"
    r"|Safeguarding Adults?|Domestic Homicide|Learning)\s+"
    r"[Rr]eviews?\b(?!\s+(?:Briefing|Newsletter|Group|Subgroup))[^.;:!?\n]*",
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


# Inline HTML a pasted text may carry (underlining, emphasis): not words of the entry.
_INLINE_TAGS = re.compile(r"</?(?:u|b|i|em|strong|span|font|mark)\b[^>]*>", re.I)


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
    if _ABOUT_THE_DOCUMENT.match(sentence.strip()) or _IMPERATIVE.match(sentence.strip()):
        return False  # the report or plan itself ("The review was completed..."), or advice ("Share ...")
    if _DONE_OR_PLANNED.search(sentence):
        return True
    if _FINDING.search(sentence):
        return False  # "reviews have repeatedly found...": a finding, not work done
    return any(match.group("before").lower() not in _NOT_A_COMMITMENT for match in _AUXILIARY.finditer(sentence))


def _first_sentence(text: str) -> str:
    match = _SENTENCE_BREAK.search(text)
    return text[: match.start() + 1] if match else text


_MONTHS = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
)
_DAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
_DATE = (
    rf"{_DAY}(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS},?\s+(?:19|20)\d\d"
    rf"|{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d|{_MONTHS},?\s+(?:19|20)\d\d)"
)
_DATE_LINE = re.compile(
    rf"^\W*(?:(?:Date(?:\s+(?:published|of publication))?|Published(?:\s+on)?|Publication date|Updated|Last updated)"
    rf"\s*[:;].*|(?:Published|Updated|Last updated)(?:\s+(?:on|in))?\s+{_DATE}|{_DATE})\W*$",
    re.I,
)
_ANY_DATE = re.compile(_DATE, re.I)

# A case name: "Child LB", "Child K", "Baby F", "Adult V", "Child One". Capitalised as written:
# "Child and family" and "Child Protection" are not case names.
_CASE_NAME = re.compile(
    r"\b(?:Child|Baby|Infant|Adult|Young Person|Sibling)\s+"
    r"(?:[A-Z]{1,3}\d{0,2}|One|Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten|\d{1,2})(?![\w’'])"
)
_CASE_HEADING = re.compile(rf"^(?:The\s+case\s+of\s+|About\s+)?(?P<name>{_CASE_NAME.pattern})\s*(?:[:;–-].{{0,60}})?$")
_CASE_RUN_IN = re.compile(rf"^(?P<name>{_CASE_NAME.pattern})\s*:\s+(?P<text>\S.*)$", re.S)
_SECTION_FACTS = re.compile(_CASE_NAME.pattern + r"|(?i:\b(?:serious case|practice) reviews?\b)")

_LIST_LABEL = re.compile(r"(?:^|(?<=[.!?]\s))(?P<label>[A-Z][^.!?:;\n]{2,80}?)\s*:\s+(?P<items>[^:]+;[^:]+)$", re.S)
_LIST_LABEL_END = re.compile(r"\b(?:include|includes|included|including|are|were|as follows|such as|is|was)$", re.I)
_LIST_LABEL_NOUN = re.compile(
    r"^(?:[\w’'-]+\s+){0,3}(?:recommendations|reflections|points|actions|messages|themes|findings|strengths|"
    r"questions|lessons|issues|areas|concerns|factors)$",
    re.I,
)
_LETTERED = re.compile(r"^\(?(?P<number>[a-z]|\d{1,2}|(?:i|ii|iii|iv|v|vi|vii|viii|ix|x))[.)]$")
# An indirect question ("why a child might not talk ...", "whether each episode was ..."), as a list of
# reflections gives its questions.
_INDIRECT_QUESTION = re.compile(r"^(?:why|whether|how|what|who|whom|whose|when|where|which|if)\b", re.I)
_QUESTION_HEADINGS = re.compile(r"^(?:what|why|how|who|where|when|which)\b.{0,60}\?$", re.I)
_REC_TEXT = re.compile(
    r"^(?:to\b|that\b|should\b|must\b|ensure\b|review\b|consider\b)|\b(?:should|must|need to|needs to|ought to)\b", re.I
)
_ADDRESSEE = re.compile(
    r"^(?:That\s+)?(?:[Tt]he\s+)?(?P<who>(?:[A-Z][\w’'&-]*\s+){0,5}"
    r"(?:Board|Group|Partnership|Panel|Team|Trust|Services?|Police|Council|Authority|Commissioners|Agencies|agencies|"
    r"Practitioners|practitioners|Partners|partners)|(?:Adult|Children'?s|Children’s)\s+[Ss]ocial\s+[Cc]are|Health|"
    r"Housing|Education|Schools|GPs?|Probation|Midwifery|Health [Vv]isitors?|[A-Z]{2,6})"
    r"\s+(?:should|must|is asked to|are asked to|to)\b",
    re.S,
)
_DUE = re.compile(
    rf"\b(?:by|before|no later than)\s+(?:the\s+end\s+of\s+)?(?:{_DATE}|(?:spring|summer|autumn|winter)\s+(?:19|20)\d\d"
    rf"|Q[1-4]\s+(?:19|20)\d\d(?:/\d\d)?)",
    re.I,
)
# "The report provides HSCB with the following recommendations:", "Recommendations for the Board:".
_LIST_ADDRESSEE = re.compile(
    r"\b(?:provides|makes|gives|made)\s+(?:to\s+)?(?:the\s+)?(?P<who>[A-Z][\w&’' -]{1,60}?)\s+with\s+the\s+following\s+"
    r"recommendations|\brecommendations\s+(?:for|to)\s+(?:the\s+)?(?P<to>[A-Z][\w&’' -]{1,60}?)\s*:?$"
)
_KIND_LABEL = re.compile(
    r"^(?P<label>Learning(?: points?)?|Key learning|Lessons? learn(?:ed|t)|Good practice|What went well|Strengths?|"
    r"Response|Our response|Board response|Partnership response|Actions?(?: taken)?|What we (?:have done|will do)|"
    r"Questions?(?: to consider)?|Reflective questions?)\s*:\s+(?P<text>\S.*)$",
    re.S | re.I,
)
# A paragraph numbered as a report numbers them ("1.1 Mr B was...", "2.3.1 The panel..."): the
# number is the paragraph's marker, not part of the entry.
_PARAGRAPH_NUMBER = re.compile(r"^(?P<number>\d{1,2}(?:\.\d{1,2}){1,2})\.?\s+(?P<text>[\"'‘“(\[]?[A-Z].*)$", re.S)
# A lettered paragraph ("(a) Pellbridge Police should..."): a list item written as a paragraph.
_LETTERED_PARAGRAPH = re.compile(r"^(?P<marker>\((?:[a-z]|i|ii|iii|iv|v|vi|vii|viii|ix|x)\))\s+(?P<text>\S.*)$", re.S)
# "Finding 1: ...", "Learning point 2 – ...", "Theme 3. ...": a numbered label naming what the passage is.
_NUMBERED_LABEL = re.compile(
    r"^(?P<label>(?:Key\s+)?(?:Findings?|Learning points?|Lessons?|Themes?|Key messages?|Issues?|Strengths?|"
    r"Good practice(?: examples?)?|Questions?)\s+(?:\d{1,2}|[A-Z]))\s*[:.–-]\s+(?P<text>\S.*)$",
    re.S | re.I,
)
# A run-in topic closing with a full stop ("What worked well. The ambulance crew..."), when it names
# a kind of entry: the kind's label, not part of the entry.
_KIND_TOPIC = re.compile(r"^(?P<label>[A-Z][^.!?:;]{2,40})\.\s+(?P<text>[\"'‘“(]?[A-Z].*)$", re.S)
# A sentence saying what the passage is: "...; this was good practice.", "This is an example of
# good practice.", "The review described this as an example of a trusted relationship making a difference."
_SAYS_GOOD_PRACTICE = re.compile(
    r"\b(?:this|that|which|these|it)\s+(?:was|is|were|are|has been|represents?|showed|shows)\s+"
    r"(?:an?\s+)?(?:(?:example|examples|instance)\s+of\s+)?(?:very\s+)?(?:good|positive|excellent|effective|"
    r"strong|best|outstanding)\s+practice\b"
    r"|\b(?:described|recognised|recognized|identified|highlighted|noted|saw|praised|cited)\s+(?:this|these|it|that|them)"
    r"\s+as\s+(?:an?\s+)?(?:example|examples|instance|model)\s+of\b",
    re.I,
)
# A sentence about the document itself, not work an agency does: "The full overview report has been
# submitted...", "The Local Child Safeguarding Practice Review was completed in July 2025.", "This plan
# was agreed ... and will be updated every quarter."
_ABOUT_THE_DOCUMENT = re.compile(
    r"^(?:The|This|Our)\s+(?:[\w’'-]+\s+){0,4}(?:review|report|summary|briefing|plan|document)\s+"
    r"(?:was|were|is|has been|have been|will be)\b",
    re.I,
)
# "The review makes the following recommendations to the Board.": introduces a list, whether it ends
# with a colon or a full stop.
_LIST_INTRO = re.compile(
    r"\b(?:the\s+)?following\s+(?P<what>recommendations?|actions?|questions?|points?|findings?|learning points?|"
    r"key messages?|lessons?)\b[^.!?]{0,60}[.:]$",
    re.I,
)
# A line saying where to get help ("For support, contact the national domestic abuse helpline."):
# a signpost, left out (its contact details, where given, are kept as a resource).
_SIGNPOST = re.compile(
    r"^(?:For|To get|If you (?:need|want|would like))\s+(?:(?:further|more|free|confidential)\s+)?"
    r"(?:support|help|advice)\b[^.]{0,80}\b(?:contact|call|ring|phone|visit|text|speak to|go to)\b"
    r"|\bhelplines?\b[^.]{0,40}\b(?:open|available|free(?:phone)?|24 hours)\b",
    re.I,
)
# A key to a table's statuses or colours ("Key to progress: Complete / On track / Delayed.").
# Each of its items a word or two: "Key learning: ..." is no key.
_TABLE_KEY = re.compile(
    r"^(?:Key(?:\s+to\s+(?:the\s+)?[\w ]{1,30})?|Legend|RAG(?:\s+(?:rating|key))?|Status key)\s*:\s*"
    r"[\w ()-]{1,30}(?:\s*[/,|]\s*[\w ()-]{1,30}){2,}\.?$",
    re.I,
)
_PROGRESS_COLUMN = re.compile(r"\b(?:progress|update|status)\b")
# A progress column's status alone ("Not yet started.", "Complete", "On track"): not an entry.
_STATUS_ONLY = re.compile(
    r"^(?:not (?:yet )?started|complete[d]?|on track|delayed|in progress|ongoing|not due|overdue|closed|open|"
    r"green|amber|red|n/?a|none|-|–)\.?$",
    re.I,
)
# A line under the title naming the publisher and date ("Thornmere Safeguarding Adults Board. Independent
# reviewer: ... Published November 2025."): recorded on the source, not an entry.
_BYLINE = re.compile(
    rf"\b(?:Published|Publication date|Date of publication)\s*(?:on|in)?\s*:?\s*{_DATE}\W*$"
    rf"|^(?:Independent\s+)?(?:reviewer|author|lead reviewer|written by)\s*:",
    re.I,
)
_LEAD_LINE = re.compile(
    r"^(?:(?:Lead|Owner|Responsible(?: (?:officer|lead))?|Led by)\s*:\s*(?P<who>[^.]+?)\.?\s*)?"
    r"(?:(?:Timescale|Target date|By when|Due|Deadline|Date)\s*:\s*(?P<when>.+?))?\.?$",
    re.I,
)
_HEADING_NUMBER = re.compile(r"^Recommendation\s+(?P<number>\d{1,2}|[a-z])\b", re.I)
_LEAD = re.compile(r"\b(?:Lead|Owner|Responsible|Led by)\s*[:–-]\s*(?P<who>[^.;()\n]{2,80})", re.I)

_BOILERPLATE = [
    (
        re.compile(
            r"^(?:download|view|open|read the full|see the full|click here)\b.{0,100}"
            r"\b(?:pdf|report|briefing|document|docx?|word|here)\b|\((?:PDF|DOCX?|Word)\b[^)]{0,30}\)",
            re.I,
        ),
        "A download link, not part of the briefing's content.",
        15,
    ),
    (
        re.compile(
            r"^This (?:learning )?brief(?:ing)?\b|^For (?:further|more) information,? (?:see|visit|read|go to)\b", re.I
        ),
        "About the briefing itself or where to read more, not learning from the review.",
        40,
    ),
    (
        re.compile(r"\b(?:Date of publication|Date published|Published)\s*:", re.I),
        "A line giving the document's date and publisher: recorded on the source, not an entry.",
        25,
    ),
    (
        re.compile(r"^(?:On|In) this (?:page|website|site)\b", re.I),
        "The web page's introduction (what the page holds), not learning from a review.",
        50,
    ),
    (
        re.compile(r"^test material\b", re.I),
        "A note about the document itself (test material), not part of the briefing.",
        30,
    ),
    (
        re.compile(r"\bunsubscribe\b|^to stop receiving\b", re.I),
        "The newsletter's own text (subscribing), not part of the briefing.",
        30,
    ),
    (
        re.compile(
            r"\bcookies?\b|^(?:skip to(?: main)? content|back to top|share (?:this|on)\b|print (?:this )?page"
            r"|home\s*[>›/»|]|you are here|main menu|search this site|accessibility statement|privacy (?:notice|policy)"
            r"|sign up|subscribe"
            r"|follow us|©|copyright\b|all rights reserved|page \d+ of \d+|last (?:updated|reviewed)|was this page"
            r"|related (?:pages|content|links)$|tags?:)",
            re.I,
        ),
        "The website's own text (navigation, cookies, sharing), not part of the briefing.",
        40,
    ),
]
_REVIEW_KINDS = (
    r"(?:Safeguarding Adults?'?\s+Reviews?|Domestic Homicide Reviews?|Child Safeguarding Practice Reviews?|"
    r"Local Child Safeguarding Practice Reviews?|Serious Case Reviews?|Rapid Reviews?|Learning Reviews?|"
    r"SARs?|DHRs?|CSPRs?|LCSPRs?|SCRs?)"
)
# A letter's greeting and closing ("Dear Ms Pereira,", "Yours sincerely,"), its thanks ("Thank you
# for your review ...", "I would like to thank ..."), and a UK postcode (in an address line).
_SALUTATION = re.compile(r"^(?:Dear|To)\s+(?:[A-Z][\w’'.-]*\s*){1,4},?$")
_CLOSING = re.compile(
    r"^(?:Yours\s+(?:sincerely|faithfully|truly)|(?:With\s+)?(?:kind|best|warm)\s+(?:regards|wishes)|Regards)\s*[,.]?$",
    re.I,
)
_THANKS = re.compile(
    r"^(?:Thank you (?:for|to)|Many thanks (?:for|to)|(?:I|We) (?:would|should|want to|wish to)(?: also)? "
    r"(?:like to )?thank|(?:I|We) (?:am|are) (?:very )?grateful (?:to|for)|(?:I|We) thank)\b"
)
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")
_SENTENCE_END_CHARS = re.compile(r"[.!?][\"'’”)]*$")
# A paragraph opening with a label set in bold ("**Response:** ..."), and a text wholly in italics.
_BOLD_LABEL = re.compile(r"^(?:\*\*|__)(?P<label>[^*_\n]{2,40}?:)\s*(?:\*\*|__)\s+(?P<rest>\S.*)$", re.S)
_WHOLLY_ITALIC = re.compile(r"^([*_])(?P<text>[^*_\s][^*_]*[^*_\s])\1$", re.S)
_STATUTORY = re.compile(
    rf"^An? (?:appreciative inquiry|{_REVIEW_KINDS})\s+(?:looks at|examines|is a way|is an? (?:approach|method))\b|"
    rf"^(?:An?|The)\s+{_REVIEW_KINDS}\s+(?:is|are|will be|must be|should be|takes place|take place)\s+"
    rf"(?:held|carried out|undertaken|commissioned|conducted|arranged|required|when|where|after|following|"
    rf"a (?:statutory|multi-agency|legal|review|process))"
    rf"|^Under\s+(?:the\s+)?(?:section\s+\d+\w*\s+of\s+the\s+)?(?:Children Act|Care Act|Domestic Violence, Crime and "
    rf"Victims Act|Working Together|Children and Social Work Act)[^.]*"
    rf"\b(?:must|is required|requires|duty|should|will)\b"
    rf"|^(?:Safeguarding Adults Boards?|Local Safeguarding Children Boards?|Safeguarding (?:children )?partners|"
    rf"Community Safety Partnerships?)\s+(?:must|are required|is required|have a (?:legal |statutory )?duty)"
    # "When a child dies ..., the safeguarding partners must hold a Rapid Review within 15 working days."
    rf"|^(?:When|Where|If|After)\b[^.]*\b(?:must|are required to|is required to|have a (?:legal |statutory )?duty to)"
    rf"\s+(?:hold|carry out|undertake|commission|arrange|conduct|complete|consider)\s+"
    rf"(?:an?\s+|the\s+)?{_REVIEW_KINDS}",
    re.I,
)
_NEWS = re.compile(
    rf"^(?:During|Throughout|Over|In|This)\s+(?:the\s+)?(?:month\s+of\s+)?(?:{_MONTHS}|spring|summer|autumn|winter|"
    rf"(?:this|the last|the past)\s+(?:month|quarter|year))\b[^.]*\b(?:focus|newsletter|edition|issue)\b"
    rf"|^(?:Welcome to (?:the|our|this)|In this (?:edition|issue|newsletter))"
    rf"|^(?:The (?:partnership|board)|We)\b[^.]*\b(?:this|last|the past) (?:quarter|month|term)\b",
    re.I,
)

# What a section is for, from its heading's words: the first that matches.
_ROLE_WORDS = [
    (
        re.compile(r"\b(?:board'?s?|partnership'?s?)\s+response\b|^response to (?:the )?recommendations", re.I),
        ROLE_RESPONSE,
    ),
    (re.compile(r"\brecommendations?\b|\bkey actions\b", re.I), ROLE_RECOMMENDATIONS),
    (
        re.compile(
            r"\b(?:good practice|what went well|went well|strengths?|what worked|worked well|positive practice|"
            r"appreciative|celebrat\w*|successes|what helped|what made (?:it|this|the difference)(?: possible)?|"
            r"enablers?|conditions for success|did well|done well|went right)\b",
            re.I,
        ),
        ROLE_GOOD_PRACTICE,
    ),
    (
        re.compile(
            r"\b(?:questions?|reflect\w*|ask yourself|think about|points? to consider|for discussion"
            r"|discussion points?)\b",
            re.I,
        ),
        ROLE_QUESTIONS,
    ),
    (
        re.compile(
            r"\b(?:learning|findings?|what we learned|lessons?|key messages?|key (?:themes|issues)|themes|"
            r"why it matters|"
            r"why (?:this|it) is important|what is the (?:issue|problem|concern)|why does (?:this|it) (?:occur|happen)|"
            r"what can (?:be|we) do(?:ne)?|"
            r"what (?:you|we|practitioners|professionals|staff|managers) can do|what to do|"
            r"what (?:needs|do we need) to (?:happen|change|do)|implications|"
            r"practice points?|what (?:does|did) (?:this|it) mean|what this means|analysis|what we found|"
            r"what (?:could|should) have been|what should happen|what would have helped|what to look out for|"
            r"signs and indicators|risk factors|key points?|the issues?|could be (?:developed|improved|better)|"
            r"even better if|areas? for (?:development|improvement)|what could have)\b",
            re.I,
        ),
        ROLE_LEARNING,
    ),
    (
        re.compile(
            r"\b(?:background|the case|case (?:summary|details|overview)|summary of the (?:case|incident)|"
            r"what happened|circumstances|family (?:history|background|composition|context)|"
            r"about (?:the )?(?:child|adult|family|victim)|"
            r"the homicide|chronology|pen picture|the family|the incident|who (?:was|were|is)|the review process|"
            r"the story|safeguarding concerns|the concerns|presenting concerns|what was known|"
            r"about this (?:inquiry|review|case|summary|report)|(?:chose|choose|chosen) this case|methodology|"
            r"scope of the review|summary of (?:the )?review|review summary|"
            r"why (?:we|the (?:partnership|board|panel)) (?:did|carried out|undertook|commissioned|chose) "
            r"(?:this|the) review|"
            r"why (?:this|the) review|"
            r"how the review was (?:done|carried out|conducted)|"
            r"why (?:we are|we're|we have been|the (?:partnership|board) (?:is|are)) sharing (?:this|it|the))\b"
            r"|^(?:introduction|overview|case overview|the review|about the review)$",
            re.I,
        ),
        ROLE_CASE,
    ),
    (_CASE_NAME, ROLE_CASE),
    # "About Grace", "About Mr T", "About Child D": the person the review is about, by name.
    (
        re.compile(
            r"^About\s+(?!(?:Us|Our|This|These|The|Me|You|It|Safeguarding|Partnership|Board|Reviews?)\b)"
            r"(?:(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)?\s*:?$"
        ),
        ROLE_CASE,
    ),
    (
        re.compile(
            r"\b(?:actions?|response|what we will do|"
            r"what (?:we|(?:the )?(?:board|partnership|partners|agencies|services))"
            r" (?:are|is|have|has|will) (?:already )?(?:done|doing|do)|what will (?:we|happen|change)|"
            r"what has changed|next steps|what happens next|"
            r"improvements?|changes made|progress|what has been done)\b",
            re.I,
        ),
        ROLE_RESPONSE,
    ),
    (
        re.compile(
            r"\b(?:further (?:information|reading|resources|help|support)|"
            r"useful (?:links|information|contacts|resources)|"
            r"find out more|more information|where to (?:get|find) (?:help|support|out more)|support available|"
            r"contact details|sources of (?:help|support|information))\b"
            r"|^(?:resources|links|contacts?|training(?: available)?|references|guidance|tools|support)$",
            re.I,
        ),
        ROLE_FURTHER_INFORMATION,
    ),
]
_ROLE_OF = {role: role for _, role in _ROLE_WORDS}


def guess_role(heading: str) -> str:
    """A section's role guessed from its heading's words; "other" when none says.

    A heading naming both learning and good practice ("Summary of the key
    learning and good practice examples") is one of learning: the table's
    cells say which of their entries are good practice.
    """
    text = _heading_words(without_markup(heading))
    good, learning = _ROLE_WORDS[2][0], _ROLE_WORDS[4][0]
    if good.search(text) and learning.search(text) and not _ROLE_WORDS[1][0].search(text):
        return ROLE_LEARNING
    for pattern, role in _ROLE_WORDS:
        if pattern.search(text):
            return role
    return ROLE_OTHER


def _heading_words(text: str) -> str:
    """A heading without its step or box number ("Step 3:", "3.", "Minute 4 -")."""
    return re.sub(r"^\s*(?:(?:step|minute|box|part|section)\s*)?\d{1,2}\s*[.):–-]?\s*", "", text.strip(), flags=re.I)


_NEWS_MODE = "news"  # a newsletter's events and dates: left out
_NEWS_HEADING = re.compile(
    r"^(?:dates for (?:your )?diary|diary dates|upcoming (?:events|training|dates)|events|training dates|"
    r"what'?s on|(?!good news)(?:[\w’']+\s+){0,2}news(?: in brief| and (?:updates|events))?|"
    r"news (?:from|about) .{3,60}|updates)$",
    re.I,
)


# A part of a newsletter about one review, named for the person it is about ("Learning review: Sam",
# "Rapid review: Baby M", "Safeguarding Adults Review – Mrs T"): the story of the case, told with its lessons.
_NAMED_REVIEW = re.compile(
    r"^(?:[\w’'-]+\s+){0,3}(?i:review|inquiry)\s*[:–-]\s*(?:(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)?$"
)


def _mode_of(heading: str) -> str:
    """What the entries under a heading are: its role, or the case when it names a case or a review."""
    if _NEWS_HEADING.match(without_markup(heading).strip().rstrip(":")):
        return _NEWS_MODE
    named_review = _NAMED_REVIEW.match(without_markup(heading).strip())
    thematic = re.search(r"\b(?:thematic|themes?)\b", heading, re.I)  # a review of a theme, not of a person
    if named_review and not thematic and guess_role(heading) in (ROLE_CASE, ROLE_LEARNING, ROLE_OTHER):
        return ROLE_CASE
    role = guess_role(heading)
    if role == ROLE_OTHER and _SECTION_FACTS.search(without_markup(heading)):
        return ROLE_CASE
    if re.match(
        rf"^(?:the\s+)?(?:[\w’'-]+\s+){{0,3}}response to (?:the )?"
        rf"(?:recommendations|(?:[\w’'-]+\s+){{0,2}}{_REVIEW_KINDS})",
        without_markup(heading),
        re.I,
    ):
        return ROLE_CASE  # a response's title: what follows it first is about the case and the review
    return role


def _looks_like_heading(text: str, max_words: int = 20) -> bool:
    plain = without_markup(text).rstrip(";").strip()
    words = plain.split()
    if not words or len(words) > max_words or MARKDOWN_LINK.search(text):
        return False
    return not (plain.endswith((".", "!", "?", ",")) or _SENTENCE_BREAK.search(plain))


def _is_question_line(text: str) -> bool:
    plain = without_markup(text).strip()
    return plain.endswith("?") and len(plain.split()) <= 14 and not _SENTENCE_BREAK.search(plain[:-1])


_ABBREVIATION = re.compile(r"(?:\b(?:i\.e|e\.g|etc|Mr|Mrs|Ms|Dr|No|nos|vs|approx|St)|\b[A-Z])\.$", re.I)
_SENTENCE_END_AT = re.compile(r"[.!?][\"'’”)]*\s+(?=[\"'‘“(\[*]?[A-Z0-9])")


def _sentences(text: str) -> list[str]:
    """A passage's sentences, each exactly as written; never split inside brackets or after
    an abbreviation ("i.e. Great Western Hospital")."""
    sentences, start = [], 0
    for match in _SENTENCE_END_AT.finditer(text):
        before = text[start : match.start() + 1]
        if _ABBREVIATION.search(before):
            continue
        if before.count("(") > before.count(")") or before.count("[") > before.count("]"):
            continue
        sentences.append(text[start : match.end()].strip())
        start = match.end()
    sentences.append(text[start:].strip())
    return [sentence for sentence in sentences if sentence]


def _trailing_work(text: str) -> tuple[str, str]:
    """A passage split before the sentences at its end that report what an agency has done or
    will do: (the rest, those sentences); (the passage, "") when it does not end so."""
    sentences = _sentences(text)
    work = 0
    for sentence in reversed(sentences[1:]):
        plain = without_markup(sentence)
        if _reports_work(plain) and not _LESSON_WORDS.search(plain):
            work += 1
        else:
            break
    if not work:
        return text, ""
    first_work = sentences[len(sentences) - work]
    at = text.rfind(first_work)
    return text[:at].rstrip(), text[at:].strip()


# -- passages run together (a copy from a PDF loses paragraph breaks and the line after a heading) --

# What an agency did after the review, run into the sentence before it with no full stop:
# "... under s17 intervention following this case review local protocols have been updated".
_AFTER_THE_REVIEW = re.compile(
    r"(?<=[\w)\]’'])\s+(?=(?:following|since|as a result of|in response to|after) (?:this|the) (?:case )?review\b)",
    re.I,
)

# A passage pointing to where more is written: "... provide more information about ...".
_POINTS_TO_MORE = re.compile(
    r"\b(?:provides?|gives?|offers?|contains?|sets? out|has|have)\s+(?:more|further|additional|detailed)\s+"
    r"(?:information|guidance|details?|advice)\b|\b(?:for|read) (?:more|further) (?:information|guidance|details)\b",
    re.I,
)
# A sentence citing research or a statistic: what is known, not yet what to do about it.
_CITES_RESEARCH = re.compile(
    r"\b(?:research|evidence shows|studies|study|published (?:\w+ )?paper|literature)\b|\((?:19|20)\d\d\)|\d+\s?%",
    re.I,
)
# Research reported as a finding of its own ("The Testshire (2020) review found that..."): what
# came before it is a separate point.
_CITES_FINDING = re.compile(
    r"\((?:19|20)\d\d\)\s+(?:\w+\s+){0,2}(?:found|shows?|showed|highlighted|identified)\b", re.I
)
# The review's own view after a general point ("... at weekends. The Review Group felt that..."):
# a point of its own.
_REVIEW_VIEW = re.compile(
    r"^The\s+(?:[A-Z][\w-]*\s+){0,3}(?:review(?:er)?|panel|group|author)s?\s+(?:felt|concluded|considered|agreed)\b",
    re.I,
)
# Said under a good-practice heading, that there was none.
_NO_GOOD_PRACTICE = re.compile(
    r"^(?:No|There (?:was|were|is) (?:no|little)|None|Little)\b[^.]{0,40}\bgood practice\b", re.I
)
# A passage telling what a practitioner did well, outside a "what went well" heading: acting at
# once ("shared her worries promptly", "telephoned her GP the same day"), a relationship built or
# contact kept up. Never where the passage says what was not done or should be.
_DESCRIBES_GOOD_PRACTICE = re.compile(
    r"\b(?:promptly|straight away|the same day|without delay|"
    r"built (?:up )?(?:a|an) (?:trusting|trusted|good|strong|positive|close) relationship|"
    r"kept in (?:close |regular |daily )?(?:contact|touch))\b",
    re.I,
)
_FALLS_SHORT = re.compile(
    r"\b(?:not|no|nobody|never|none|neither|nor|failed|without|but|however|although|though|missed|lack\w*|"
    r"should|must|needs?|delay(?:ed|s)?|late|only|instead|unless|if)\b|n’t\b|n't\b",
    re.I,
)
# A sentence that ends by naming its source in brackets: "... (NSPCC)." or "... (Ofsted, 2019).".
_ENDS_WITH_SOURCE = re.compile(r"\((?:[A-Z][A-Za-z&]+(?:[ ,]+[A-Z][A-Za-z&]+)*(?:,?\s*(?:19|20)\d\d)?)\)[.]?$")
# Practice advice given as an instruction: "Use persistent...", "Ensure that...".
_IMPERATIVE = re.compile(
    r"^(?:Use|Ensure|Consider|Remember|Make|Ask|Check|Be|Think|Record|Share|Seek|Listen|Take|Keep|Look|"
    r"Challenge|Engage|Talk|Speak|Involve|Invite|Include|Identify|Recognise|Refer|Escalate|"
    r"Don[’']t|Do not|Always|Never|Avoid|Try|Explore)\b"
)
# A sentence about the case that says what was done well: good practice, even in the case's section.
_PRAISE = re.compile(
    r"\b(?:strengths?|worked (?:well|effectively|together well)|good practice|rightly|"
    r"effective(?:ly)? (?:work|practice)|commended|exemplary|positive practice|went well)\b",
    re.I,
)


# "The review found that ...", "The panel concluded ...": a finding, even among the facts of the case.
_REVIEW_FINDS = re.compile(
    r"^(?:The|This)\s+(?:[\w-]+\s+){0,2}(?:review|reviewer|panel|inquiry)s?\s+"
    r"(?:found|concluded|identified|established|showed|highlighted)\b",
    re.I,
)
# A sentence pointing back at the one before it ("This was ...", "The review described this as ...").
_POINTS_BACK = re.compile(r"^(?:This|These|That|It|Both)\b|\b(?:this|these|it|that|them)\s+as\b")


def _learning_parts(text: str) -> list[str]:
    """A passage of learning as the entries it holds: a passage that cites research splits
    before the advice drawn from it (a sentence saying what should be done, or an instruction)
    and before the next piece of research; a sentence closing with its source in brackets
    ("... (NSPCC).") is a cited fact of its own. Otherwise the passage is one entry."""
    sentences = _sentences(text)
    if len(sentences) < 2:
        return [text]
    plains = [without_markup(sentence) for sentence in sentences]
    starts = [0]
    research = bool(_CITES_RESEARCH.search(plains[0]))
    for index in range(1, len(sentences)):
        plain = plains[index]
        cites = bool(_CITES_RESEARCH.search(plain))
        advice = bool(_LESSON_WORDS.search(plain)) or bool(_IMPERATIVE.match(plain))
        closed = bool(_ENDS_WITH_SOURCE.search(plains[index - 1].strip()))
        view = _REVIEW_VIEW.match(plain) and not _REVIEW_VIEW.match(plains[index - 1])
        if closed or (research and (advice or cites)) or (cites and _CITES_FINDING.search(plain)) or view:
            starts.append(index)
            research = cites
        elif cites:
            research = True
    if len(starts) == 1:
        return [text]
    parts = []
    for number, start in enumerate(starts):
        end = starts[number + 1] if number + 1 < len(starts) else len(sentences)
        first, last = sentences[start], sentences[end - 1]
        at = text.find(first)
        stop = text.find(last, at) + len(last)
        parts.append(text[at:stop].strip())
    return parts


def _case_parts(text: str) -> list[tuple[bool, str]]:
    """A passage about the case as runs of sentences: (whether the run says what was done well, text)."""
    sentences = _sentences(text)
    runs: list[tuple[bool, list[str]]] = []
    for sentence in sentences:
        plain = without_markup(sentence)
        praise = bool(_PRAISE.search(plain) or _SAYS_GOOD_PRACTICE.search(plain))
        if praise and runs and not runs[-1][0] and _POINTS_BACK.search(plain):
            # "The youth worker kept in touch ... The review described this as an example of ...": the
            # sentence praised is good practice too.
            praised = runs[-1][1].pop()
            if not runs[-1][1]:
                runs.pop()
            if runs and runs[-1][0]:
                runs[-1][1].append(praised)
            else:
                runs.append((True, [praised]))
        if runs and runs[-1][0] == praise:
            runs[-1][1].append(sentence)
        else:
            runs.append((praise, [sentence]))
    parts = []
    for praise, run in runs:
        at = text.find(run[0])
        stop = text.find(run[-1], at) + len(run[-1])
        parts.append((praise, text[at:stop].strip()))
    return parts


def _is_title_like(text: str, max_words: int) -> bool:
    words = text.split()
    return 0 < len(words) <= max_words and text[:1].isupper() and not re.search(r"[.!?]", text)


_SUBSECTION_MODES = (ROLE_RECOMMENDATIONS, ROLE_RESPONSE, ROLE_QUESTIONS, ROLE_GOOD_PRACTICE)


def _is_number_marker(marker: str) -> bool:
    return bool(marker) and _LETTERED.match(marker.strip()) is not None


def _number_of(marker: str) -> str:
    match = _LETTERED.match(marker.strip())
    return match.group("number") if match else ""


def _whole_thought(part: str) -> bool:
    plain = without_markup(part).strip(" .;")
    return len(plain.split()) >= 3


class _Reader:
    def __init__(self, doc: Document):
        self.doc = doc
        self.blocks = [block for block in doc.blocks if block.text.strip() or block.rows]
        self.result = ParsedBriefing()
        self.heading = ""
        self.mode = ""  # the role of the section being read, which decides the kind of its entries
        self.signed_off = False  # a letter's closing ("Yours sincerely,") was read: what follows is its signature
        self.case_by_name = False  # the case section comes from a case name: lessons in it are still learning
        self.open_recommendation: int | None = None  # the numbered recommendation whose answers follow
        self.recommendation_takes_bullets = False
        self.seen: set[str] = set()
        self.current_section: int | None = None  # index in result.sections
        self.sequence = 0  # how many sections and candidates have been met
        self.child = ""
        self.child_from_run_in = False  # a "Child LB: ..." label names the child of its own passage only
        self.box: int | None = None
        self.index = 0
        self.recommendations_heading = False
        self.last_recommendation: int | None = None  # the recommendation a "Response:" answers
        self.last_actions: list[int] = []  # the actions a "Lead: ... Timescale: ..." line completes
        self.numbered_heading_used = False  # "Recommendation 1" gave its number to the recommendation under it
        self.mode_level: int | None = None  # the level of the heading that set ``mode``, where known
        self.list_addressee = ""  # who the list of recommendations being read is addressed to, where its intro says

    # -- recording -------------------------------------------------------

    def add(self, kind: str, text: str, passage: str, **extra) -> Candidate:
        text = text.strip()
        names = self.resources_in(text)
        candidate = Candidate(
            kind=kind,
            text=_INLINE_TAGS.sub("", strip_placeholder_links(text)),
            heading=self.heading[:300],
            section=self.current_section,
            order=self.next_order(),
            resources=names,
            passage=passage,
            child=self.child,
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
            child=self.child,
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
                name=name[:300],
                kind=kind or _resource_kind(name),
                url=url,
                details_as_stated=details[:300],
                section=self.current_section,
            )
        elif url and not existing.url:
            existing.url = url
        return key

    def set_heading(self, heading: str, *, mode: str | None = None, level: int | None = None) -> None:
        """Start the section a heading heads; its entries are of ``mode`` (by default, what the heading's
        words say). ``level`` is the heading's level where the format gives one."""
        heading = without_markup(heading).rstrip(";:").strip()
        case = _CASE_HEADING.match(heading)
        if case:
            self.set_child(case.group("name"))
            self.child_from_run_in = False
        elif self.child_from_run_in:
            self.child, self.child_from_run_in = "", False
        elif guess_role(heading) == ROLE_FURTHER_INFORMATION and len(self.result.children) > 1:
            self.child = ""  # further information at the end of a document about several children is for all
        self.heading = heading
        self.result.headings.append(heading)
        self.current_section = self.start_section(heading)
        if mode is None:
            self.mode, self.mode_level = _mode_of(heading), level
        else:
            self.mode = mode
        self.case_by_name = self.mode == ROLE_CASE and (
            (
                guess_role(heading) in (ROLE_CASE, ROLE_OTHER)
                and bool(_SECTION_FACTS.search(heading))
                and not _ROLE_WORDS[5][0].search(heading)
            )
            or bool(_NAMED_REVIEW.match(heading))
        )
        if self.mode == ROLE_RECOMMENDATIONS:
            self.recommendations_heading = True
        self.open_recommendation = None
        self.recommendation_takes_bullets = False
        self.list_addressee = ""
        self.numbered_heading_used = False
        self.last_actions = []

    def set_child(self, name: str) -> None:
        self.child = name
        if name not in self.result.children:
            self.result.children.append(name)

    def next_block(self) -> Block | None:
        return self.blocks[self.index + 1] if self.index + 1 < len(self.blocks) else None

    # -- reading ---------------------------------------------------------

    def read(self) -> ParsedBriefing:
        for index, block in enumerate(self.blocks):
            self.index = index
            if block.box != self.box:
                self.box = block.box
                self.open_recommendation = None
                self.recommendation_takes_bullets = False
            if block.kind == TABLE:
                self.read_table(block)
                continue
            text = block.text.strip()
            if block.kind == HEADING:
                if not self.read_metadata_line(text):
                    # A heading below the one that said what its section holds ("### Police" under
                    # "## Recommendations") and saying nothing itself keeps that section's kind.
                    deeper = self.mode_level is not None and block.level > self.mode_level
                    inherit = deeper and self.mode and _mode_of(text) == ROLE_OTHER
                    self.set_heading(text, mode=self.mode if inherit else None, level=block.level)
                continue
            key = comparable_text(without_markup(text))
            if key in self.seen and block.kind == PARAGRAPH and _looks_like_heading(text):
                self.set_heading(text)  # a heading used again, e.g. "Summary of the key learning"
                continue
            if key in self.seen:
                self.exclude(text, "Repeats an earlier passage of the same document.")
                continue
            self.seen.add(key)
            if block.kind == ITEM:
                self.read_item(block)
            else:
                self.read_paragraph(block)
        self.describe_document()
        self.add_warnings()
        return self.result

    def read_metadata_line(self, text: str) -> bool:
        """Date lines and the website's own lines: left out, with a reason; whether it was one."""
        plain = without_markup(text).strip()
        if (_DATE_LINE.match(plain) and _ANY_DATE.search(plain)) or re.match(r"^\W*Date published\s*[:;]", plain, re.I):
            self.note_date(plain)
            reason = (
                "The publication date: recorded on the source."
                if re.match(r"^\W*Date published", plain, re.I)
                else "A date line (the document's date, category or similar): recorded on the source, not an entry."
            )
            self.exclude(text, reason)
            return True
        for pattern, reason, max_words in _BOILERPLATE:
            if len(plain.split()) <= max_words and pattern.search(plain):
                self.resources_in(text)  # a report or page it links to is still a resource
                self.exclude(text, reason)
                return True
        words = len(plain.split())
        if words <= 40 and _BYLINE.search(plain):
            self.note_date(plain)
            self.exclude(
                text, "A line naming the document's publisher, author or date: recorded on the source, not an entry."
            )
            return True
        if words <= 30 and _SIGNPOST.search(plain):
            self.exclude(text, "Says where readers can get help: a signpost, not learning from the review.")
            return True
        if words <= 30 and _TABLE_KEY.match(plain):
            self.exclude(text, "A key to the statuses or colours of the table above, not an entry.")
            return True
        if _STATUTORY.search(plain):
            self.exclude(
                text,
                "A definition of this kind of review as the law or guidance sets it out, not learning from this case.",
            )
            return True
        if _NEWS.search(plain):
            self.exclude(text, "News about the partnership's work, not learning from a review.")
            return True
        return False

    def read_paragraph(self, block: Block) -> None:
        label = _BOLD_LABEL.match(block.text.strip())
        if label:
            # "**Recommendation 1:** *Adult services should ...*": the label and its text, read as
            # "Recommendation 1: Adult services should ..." (the words kept, the emphasis marks dropped).
            rest = label.group("rest").strip()
            italic = _WHOLLY_ITALIC.match(rest)
            block = replace(block, text=f"{label.group('label').strip()} {italic.group('text') if italic else rest}")
        text = block.text.strip()
        plain = without_markup(text)
        if re.fullmatch(r"\(?\d{1,2}[.)]?", plain.strip()):
            self.exclude(text, "The number of a box or step of the briefing, printed on its own.")
            return
        if len(plain) < 4 or (len(plain.split()) == 1 and plain.islower()):
            self.exclude(text, "A fragment, probably a truncated line: too short to be an entry.")
            return
        if self.read_letter_line(text, plain):
            return
        numbered_paragraph = _PARAGRAPH_NUMBER.match(text)
        if numbered_paragraph and not _looks_like_heading(numbered_paragraph.group("text")):
            # "1.1 Mr B was ...": the paragraph's number is its marker, kept as the entries' number.
            start = len(self.result.candidates)
            self.read_paragraph(replace(block, text=numbered_paragraph.group("text")))
            for candidate in self.result.candidates[start:]:
                candidate.number = candidate.number or numbered_paragraph.group("number")
                candidate.passage = text
            return
        lettered = _LETTERED_PARAGRAPH.match(text)
        if lettered:
            # "(a) The police should ...": a lettered item written as a paragraph.
            self.read_item(Block(ITEM, text=lettered.group("text"), marker=lettered.group("marker")))
            return
        if self.read_metadata_line(text):
            return
        sentences = _sentences(text)
        if len(sentences) > 1 and _SIGNPOST.search(without_markup(sentences[-1])):
            # "... For support, contact the helpline.": the signpost closing a passage is left out.
            self.exclude(sentences[-1], "Says where readers can get help: a signpost, not learning from the review.")
            text = text[: text.rfind(sentences[-1])].rstrip()
            plain = without_markup(text)
        intro = _LIST_INTRO.search(plain)
        if intro and plain.rstrip().endswith(".") and len(_sentences(plain)) == 1 and len(plain.split()) <= 25:
            # "The review makes the following recommendations to the Board.": introduces what follows.
            mode = _mode_of(intro.group("what"))
            if mode != ROLE_OTHER:
                self.mode = mode
            if self.mode == ROLE_RECOMMENDATIONS:
                self.recommendations_heading = True
                addressee = re.search(
                    r"\brecommendations?\s+(?:for|to)\s+(?:the\s+)?(?P<to>[A-Z][\w&’' -]{1,60}?)\s*[.:]?$", plain
                )
                self.list_addressee = addressee.group("to").strip() if addressee else self.list_addressee
            self.exclude(text, "Introduces the list that follows; not an entry itself.")
            return
        if len(plain.split()) <= 30 and (_PHONE.search(plain) or _EMAIL_OR_SITE.search(plain)):
            self.read_contact(plain)
            return
        if MARKDOWN_LINK.fullmatch(text.strip().strip("*").strip()):
            self.resources_in(text)
            return
        if MARKDOWN_LINK.search(text) and len(plain.split()) <= 30 and _POINTS_TO_MORE.search(plain):
            # "[The Procedures](#) provide more information about...": where to read more, a resource.
            self.resources_in(text)
            self.exclude(text, "Says where more information is found: recorded as a resource, not an entry.")
            return
        numbered = _NUMBERED.match(text)
        if numbered:
            # "1) To invite..." written as a paragraph: a numbered item.
            self.read_item(Block(ITEM, text=numbered.group("text"), marker=text[: numbered.start("text")].strip()))
            return
        if self.mode == _NEWS_MODE and not _looks_like_heading(text):
            self.exclude(text, "Events and dates: news, not learning from a review.")
            return
        if self.mode == ROLE_QUESTIONS and (_is_question_line(text) or not _looks_like_heading(text)):
            if plain.rstrip().endswith(":"):
                self.exclude(text, "Introduces the questions that follow; not an entry itself.")
                return
            self.add_questions(text, passage=text)
            return
        if _is_question_line(text):
            following = self.next_block()
            answered = following is not None and following.kind != HEADING and not _is_question_line(following.text)
            if answered or (_QUESTION_HEADINGS.match(plain.strip()) and guess_role(plain) != ROLE_QUESTIONS):
                self.set_heading(text)
            else:
                self.add(QUESTION, text, passage=text)
            return
        run_in = _CASE_RUN_IN.match(text)
        if run_in and not _is_title_like(run_in.group("text"), 14):
            self.set_heading(run_in.group("name"))
            self.child_from_run_in = True
            self.read_entry(run_in.group("text"), passage=text)
            return
        heading_like = _looks_like_heading(text) or (block.bold and _looks_like_heading(text, max_words=25))
        if heading_like and plain.rstrip().endswith(":") and not _CASE_HEADING.match(plain.strip()):
            # "The report provides HSCB with the following recommendations:" introduces
            # a list: it says what kind of section follows, and heads the section
            # the list sits in, but is not one of the document's headings.
            self.mode = _mode_of(plain) if _mode_of(plain) != ROLE_OTHER else self.mode
            if self.mode == ROLE_RECOMMENDATIONS:
                self.recommendations_heading = True
            self.current_section = self.start_section(plain.strip())
            self.heading = plain.strip().rstrip(":").strip()  # the heading of the section its entries are in
            addressee = _LIST_ADDRESSEE.search(plain)
            self.list_addressee = (addressee.group("who") or addressee.group("to") or "").strip() if addressee else ""
            self.exclude(text, "Introduces the list that follows; not an entry itself.")
            return
        further = heading_like and self.mode == ROLE_FURTHER_INFORMATION and not block.bold
        if further and guess_role(plain) == ROLE_OTHER and len(plain.split()) >= 4:
            self.read_resource(text)  # the name of a resource, listed under "Further information"
            return
        if heading_like:
            self.note_date_in_heading(plain)
            self.set_heading(text)
            return
        run_in = run_in_heading(text) if self.result.headings and not block.bold else None
        if run_in:
            # "Engaging with families Research shows...": a heading that lost its line break.
            self.set_heading(run_in[0])
            text = run_in[1]
        if self.read_inline_list(text):
            return
        self.read_entry(text, passage=text)

    def read_item(self, block: Block) -> None:
        text = block.text.strip()
        plain = without_markup(text)
        numbered = _is_number_marker(block.marker)
        if numbered and self.is_numbered_heading(text):
            # A numbered heading within recommendations, responses, questions or good practice
            # ("1. Information sharing" over the recommendation that follows) keeps their kind.
            inherit = self.mode in _SUBSECTION_MODES and _mode_of(text) == ROLE_OTHER
            self.set_heading(text, mode=self.mode if inherit else None)
            return
        if self.read_metadata_line(text):
            return
        if self.mode == _NEWS_MODE:
            self.exclude(text, "Events and dates: news, not learning from a review.")
            return
        if self.mode == ROLE_QUESTIONS or plain.rstrip().endswith("?"):
            self.add(QUESTION, text, passage=text)
            return
        if self.recommendation_takes_bullets and self.open_recommendation is not None and not numbered:
            recommendation = self.result.candidates[self.open_recommendation]
            separator = "\n" if "\n- " in recommendation.text else "\n\n"
            recommendation.text += f"{separator}- {strip_placeholder_links(text)}"
            recommendation.resources += self.resources_in(text)
            return
        if numbered and (self.mode == ROLE_RECOMMENDATIONS or self.open_recommendation is not None):
            self.add_recommendation(text, passage=text, number=_number_of(block.marker))
            return
        if self.mode == ROLE_FURTHER_INFORMATION:
            self.read_resource(text)
            return
        if self.mode == ROLE_CASE:
            self.add(CASE_FACT, text, passage=text)  # a bullet about the case is a fact, whatever its words
            return
        if self.read_inline_list(text):
            return
        self.read_entry(text, passage=text)

    def is_numbered_heading(self, text: str) -> bool:
        """ "1. The Background" followed by text is a heading; "1. Police" in a run of numbered lines is a list."""
        plain = without_markup(text).strip()
        if not _is_title_like(plain.rstrip(":"), 8) and not (_is_question_line(plain) and len(plain.split()) <= 10):
            return False
        following = self.next_block()
        if following is None or following.kind == HEADING:
            return False
        if _is_question_line(plain) and (self.mode == ROLE_QUESTIONS or _is_question_line(following.text)):
            return False  # a numbered list of questions to consider
        if following.kind == ITEM and _is_number_marker(following.marker):
            # A run of short numbered lines: a list, unless each names a part of the briefing.
            return guess_role(plain) != ROLE_OTHER and guess_role(following.text) != ROLE_OTHER
        return True

    def reads_as_lesson(self, text: str) -> bool:
        """In a section about a named child, a passage drawing a lesson is learning, not a fact."""
        return self.case_by_name and bool(_LESSON_WORDS.search(without_markup(text)))

    def read_inline_list(self, text: str) -> bool:
        """ "Recommendations include: a; b; c": one entry per item when each is a whole thought."""
        match = _LIST_LABEL.search(text)
        if not match:
            return False
        label = match.group("label").strip()
        parts = [part.strip() for part in match.group("items").split(";")]
        parts = [part for part in parts if part]
        if len(parts) < 2 or not all(_whole_thought(part) for part in parts):
            return False
        if not (_LIST_LABEL_END.search(label) or _LIST_LABEL_NOUN.search(label)):
            return False
        before = text[: match.start()].strip()
        if before:
            self.read_entry(before, passage=text)
        mode = _mode_of(label)
        if re.match(r"^reflections?\b", label, re.I):
            mode = ROLE_LEARNING
            if all(_INDIRECT_QUESTION.match(re.sub(r"^(?:and|or)\s+", "", part)) for part in parts):
                mode = ROLE_QUESTIONS  # "Reflections include: why ...; whether ...": questions to consider
        self.exclude(f"{label}:", "Introduces the list that follows; not an entry itself.")
        saved = self.mode
        if mode != ROLE_OTHER:
            self.mode = mode
        for part in parts:
            part = re.sub(r"^(?:and|or)\s+", "", part)
            if self.mode == ROLE_RECOMMENDATIONS:
                self.add_recommendation(part, passage=text)
            else:
                self.read_entry(part, passage=text)
        self.mode = saved
        return True

    def read_labelled(self, text: str, *, passage: str) -> bool:
        """ "Learning: ...", "Good practice: ...", "Response: ...", "Lead: ... Timescale: ...": the label
        says the kind; the entry is the text after it. Whether the passage was one."""
        lead = _LEAD_LINE.match(without_markup(text).strip())
        if lead and (lead.group("who") or lead.group("when")) and self.last_actions:
            for index in self.last_actions:
                action = self.result.candidates[index]
                action.owner = action.owner or (lead.group("who") or "").strip()[:200]
                # The timescale the document gives for the action wins over a date in its text.
                action.due = (lead.group("when") or "").strip().rstrip(".")[:100] or action.due
            self.exclude(text, "The lead and timescale of the action above: recorded on the action.")
            return True
        labelled = _KIND_LABEL.match(text)
        if not labelled:
            return False
        label, rest = labelled.group("label").lower(), labelled.group("text")
        if label.startswith(
            ("response", "our response", "board response", "partnership response", "action", "what we")
        ):
            # A labelled response is one action, however many sentences it has.
            self.add_action(rest, passage=passage, responds_to=self.last_recommendation)
            self.last_actions = [len(self.result.candidates) - 1]
        elif label.startswith(("good practice", "what went well", "strength")):
            self.add(GOOD_PRACTICE, rest, passage=passage)
        elif "question" in label:
            self.add(QUESTION, rest, passage=passage)
        else:
            self.add(LEARNING, rest, passage=passage)
        return True

    def add_recommendation(self, text: str, *, passage: str, number: str = "", addressed_to: str = "") -> None:
        self.open_recommendation = len(self.result.candidates)
        self.last_recommendation = self.open_recommendation
        self.last_actions = []
        self.recommendation_takes_bullets = text.rstrip().endswith(":")
        if not addressed_to:
            match = _ADDRESSEE.match(without_markup(text))
            addressed_to = match.group("who").strip() if match else self.list_addressee
        self.add(RECOMMENDATION, text, passage=passage, number=number, addressed_to=addressed_to[:200])

    def read_entry(self, text: str, *, passage: str) -> None:
        numbered_label = _NUMBERED_LABEL.match(text)
        if numbered_label:
            # "Finding 1: Carer breakdown. ...": the label and its number are the entry's marker.
            start = len(self.result.candidates)
            self.read_entry(numbered_label.group("text"), passage=passage)
            for candidate in self.result.candidates[start:]:
                candidate.number = candidate.number or numbered_label.group("label")
            return
        topic = _KIND_TOPIC.match(text)
        if topic and _looks_like_heading(topic.group("label"), 6):
            role = guess_role(topic.group("label"))
            if role == ROLE_GOOD_PRACTICE:
                # "What worked well. The ambulance crew ...": the label says the kind.
                self.add(GOOD_PRACTICE, topic.group("text"), passage=passage)
                return
        if self.read_labelled(text, passage=passage):
            return
        labelled = _RECOMMENDATION_LABEL.match(text)
        if labelled and not _DASH_PREFIX.match(text):
            self.add_recommendation(labelled.group("text"), passage=passage, number=labelled.group("number") or "")
            self.open_recommendation = None if self.mode != ROLE_RECOMMENDATIONS else self.open_recommendation
            return

        dash = _DASH_PREFIX.match(text)
        if dash:
            who = dash.group("who").strip()
            rest = dash.group("text")
            addressed = dash.group("recommendation") or self.mode == ROLE_RECOMMENDATIONS
            if not addressed and KNOWN_ADDRESSEES.match(who) and self.mode not in (ROLE_CASE, ROLE_GOOD_PRACTICE):
                addressed = bool(_REC_TEXT.search(_first_sentence(without_markup(rest))))
            if addressed and len(who.split()) <= 8:
                self.add(RECOMMENDATION, rest, passage=passage, addressed_to=who[:200])
                return
            if not addressed and _is_title_like(who, 6) and rest[:1].isupper():
                # "Safe Sleeping Guidance - At all contacts...": a run-in heading. A dash
                # followed by lower case ("Housing – the family had...", "Abusive Head
                # Trauma (AHT) – also known as...") is one passage: a term and what it is.
                kept = self.mode in (ROLE_GOOD_PRACTICE, ROLE_QUESTIONS, ROLE_RESPONSE) and _mode_of(who) == ROLE_OTHER
                self.set_heading(who, mode=self.mode if kept else None)
                self.read_entry(rest, passage=passage)
                return

        run_in = _RUN_IN_SEMICOLON.match(text)
        if run_in and _is_title_like(run_in.group("heading").strip(), 8) and len(run_in.group("text").split()) >= 4:
            self.set_heading(run_in.group("heading"), mode=None)
            self.read_entry(run_in.group("text"), passage=passage)
            return

        self.recommendation_takes_bullets = False
        plain = without_markup(text)
        if self.open_recommendation is not None:
            self.add_actions(text, passage=passage, responds_to=self.open_recommendation)
            return
        if self.mode == ROLE_RECOMMENDATIONS:
            first_sentence = _first_sentence(plain)
            if _reports_work(first_sentence) and not _REC_TEXT.search(first_sentence):
                self.add_actions(text, passage=passage)  # what a partnership will do, among its recommendations
                return
            self.last_recommendation = len(self.result.candidates)
            number = _HEADING_NUMBER.match(self.heading)
            self.add(
                RECOMMENDATION,
                text,
                passage=passage,
                addressed_to=self.addressee_in(text),
                number=number.group("number") if number and not self.numbered_heading_used else "",
            )
            self.numbered_heading_used = bool(number)
            return
        if self.mode == ROLE_RESPONSE:
            self.add_actions(text, passage=passage)
            return
        if self.mode == ROLE_QUESTIONS:
            self.add_questions(text, passage=passage)
            return
        if self.mode == ROLE_FURTHER_INFORMATION:
            self.read_resource(text)
            return
        clause = _AFTER_THE_REVIEW.search(text)
        if clause and self.mode in ("", ROLE_OTHER, ROLE_CASE, ROLE_LEARNING):
            before, after = text[: clause.start()].strip(), text[clause.end() :].strip()
            if before and _reports_work(without_markup(after)):
                # A finding run into what was done about it with no full stop between ("... an issue
                # with sharing information following this review the protocols have been updated"):
                # the sentence's finding is an entry of its own, what was done an action.
                sentences = _sentences(before)
                last = sentences[-1]
                at = before.rfind(last)
                if at > 0:
                    self.read_entry(before[:at].strip(), passage=passage)
                self.read_entry(last, passage=passage)
                self.add_actions(after, passage=passage)
                return
        first = _first_sentence(plain)
        if self.mode in ("", ROLE_OTHER, ROLE_CASE) and _reports_work(first) and not _LESSON_WORDS.search(first):
            self.add_actions(text, passage=passage)
            return
        if self.mode == ROLE_CASE and _REVIEW_FINDS.match(plain):
            kind = LEARNING  # "The review found that ...": a finding, told among the facts of the case
        elif self.mode == ROLE_CASE and not self.reads_as_lesson(text):
            kind = CASE_FACT
        else:
            kind = GOOD_PRACTICE if self.mode == ROLE_GOOD_PRACTICE else LEARNING
            if kind == GOOD_PRACTICE and _NO_GOOD_PRACTICE.match(plain):
                kind = LEARNING  # "No evidence of good practice at the time...": under the heading, not one
            elif kind == LEARNING and len(_sentences(plain)) <= 2 and _SAYS_GOOD_PRACTICE.search(plain):
                kind = GOOD_PRACTICE  # "...; this was good practice.": the passage says what it is
            elif (
                kind == LEARNING
                and len(_sentences(plain)) <= 2
                and _DESCRIBES_GOOD_PRACTICE.search(plain)
                and not _FALLS_SHORT.search(plain.replace("without delay", ""))
            ):
                kind = GOOD_PRACTICE  # "... shared her worries promptly": what was done well, told as it was
        # What the agencies did or will do, reported at the end of a passage of learning or
        # about the case ("The SSP will explore..."), is an action of its own.
        main, work = _trailing_work(text)
        if kind == LEARNING:
            for part in _learning_parts(main):
                self.add(kind, part, passage=passage)
        elif kind == CASE_FACT:
            # "Despite its tragic outcome, this was a case where agencies worked well...": what
            # went well, told among the facts of the case, is good practice.
            for praise, part in _case_parts(main):
                self.add(GOOD_PRACTICE if praise else CASE_FACT, part, passage=passage)
        else:
            self.add(kind, main, passage=passage)
        if work:
            self.add_actions(work, passage=passage)

    def add_questions(self, text: str, *, passage: str) -> None:
        """A passage of questions to consider: one question per sentence when every sentence is a
        question ("Have you ...? Who else ...?"), else the passage as one."""
        sentences = _sentences(text)
        if len(sentences) > 1 and all(without_markup(sentence).rstrip().endswith("?") for sentence in sentences):
            for sentence in sentences:
                self.add(QUESTION, sentence, passage=passage)
            return
        self.add(QUESTION, text, passage=passage)

    def add_actions(self, text: str, *, passage: str, responds_to: int | None = None) -> None:
        """One action per sentence: each is a commitment of its own. A sentence naming no owner
        ("This will include...") has the owner of the one before it."""
        owner = ""
        self.last_actions = []
        for sentence in _sentences(text):
            action = self.add_action(sentence, passage=passage, responds_to=responds_to, inherited_owner=owner)
            self.last_actions.append(len(self.result.candidates) - 1)
            owner = action.owner

    def add_action(
        self,
        text: str,
        *,
        passage: str,
        responds_to: int | None = None,
        owner: str = "",
        due: str = "",
        inherited_owner: str = "",
    ):
        plain = without_markup(text)
        due = due or (m.group(0) if (m := _DUE.search(plain)) else "")
        lead = _LEAD.search(plain)
        owner = owner or (lead.group("who").strip() if lead else self.owner_in(text))
        if not owner and re.match(r"^(?:This|It|These|They|Following this)\b", plain):
            owner = inherited_owner
        return self.add(ACTION, text, passage=passage, owner=owner[:200], due=due[:100], responds_to=responds_to)

    def addressee_in(self, text: str) -> str:
        match = _ADDRESSEE.match(without_markup(text))
        return match.group("who").strip()[:200] if match else ""

    def read_resource(self, text: str) -> None:
        """A passage of further information: a resource, named as written."""
        plain = without_markup(text)
        if MARKDOWN_LINK.search(text):
            self.resources_in(text)
            if len(plain.split()) <= 25:
                return
        if _PHONE.search(plain) or _EMAIL_OR_SITE.search(plain):
            self.read_contact(plain)
            return
        url = re.search(r"https?://\S+", plain)
        self.add_resource(plain.strip(), url=url.group(0).rstrip(".,)") if url else "")

    # -- tables ----------------------------------------------------------

    def read_table(self, block: Block) -> None:
        rows = [[cell or "" for cell in row] for row in block.rows]
        if not rows:
            return
        header = [without_markup(cell) for cell in rows[0]]
        has_header = block.header_rows > 0 or not header[0] or all(_looks_like_heading(cell) for cell in header if cell)
        has_header = has_header and len(rows) > 1
        if has_header and self.read_response_table(rows, header):
            return
        body = rows[1:] if has_header else rows
        row_labels = (has_header and not header[0]) or (
            not has_header and len(rows[0]) >= 2 and all(_looks_like_heading(row[0], 8) for row in rows if row)
        )
        table = self.table_section()
        table_mode = self.mode
        for row in body:
            label = without_markup(row[0]).strip() if row_labels and row else ""
            row_mode = _mode_of(label) if label and _mode_of(label) != ROLE_OTHER else table_mode
            row_section = (
                self.start_section(
                    label,
                    role=self.result.sections[table].role
                    if not has_header or not label or _mode_of(label) == ROLE_OTHER
                    else guess_role(label),
                    layout="row",
                    parent=table,
                )
                if label
                else None
            )
            for column, cell in enumerate(row):
                if row_labels and column == 0:
                    continue
                column_heading = header[column] if has_header and column < len(header) else ""
                column_mode = _mode_of(column_heading) if column_heading else ""
                mode = column_mode if column_mode not in ("", ROLE_OTHER) else row_mode
                heading = label or column_heading or self.heading
                items = self.cell_items(cell)
                self.current_section = row_section if row_section is not None else table
                if items and row_section is not None and column_heading:
                    self.current_section = self.start_section(column_heading, layout="cell", parent=row_section)
                for item in items:
                    saved_heading, saved_mode = self.heading, self.mode
                    self.heading, self.mode = heading, mode
                    if mode in (ROLE_GOOD_PRACTICE, ROLE_LEARNING, ROLE_OTHER, ""):
                        kind = GOOD_PRACTICE if mode == ROLE_GOOD_PRACTICE else LEARNING
                        self.add(kind, item, passage=cell)
                    else:
                        self.read_entry(item, passage=cell)
                    self.heading, self.mode = saved_heading, saved_mode
        self.current_section = table
        self.open_recommendation = None

    def read_response_table(self, rows: list[list[str]], header: list[str]) -> bool:
        """A board's table of recommendations and its response: a recommendation per row and the action answering it."""
        columns: dict[str, int] = {}
        for index, cell in enumerate(header):
            words = cell.lower()
            if "recommendation" in words and "recommendation" not in columns:
                columns["recommendation"] = index
            elif _PROGRESS_COLUMN.search(words) and "action" in columns and "progress" not in columns:
                columns["progress"] = index  # what has been done so far, beside the action planned
            elif (
                re.search(r"\b(?:response|action|what (?:we|the board) will do|progress)", words)
                and "action" not in columns
            ):
                columns["action"] = index
            elif re.search(r"\b(?:lead|owner|responsible|who|agency)\b", words) and "owner" not in columns:
                columns["owner"] = index
            elif re.search(r"\b(?:date|timescale|by when|when|deadline|target)\b", words) and "due" not in columns:
                columns["due"] = index
            elif re.fullmatch(r"\s*(?:no\.?|number|#|ref\.?)\s*", words):
                columns["number"] = index
        if "action" not in columns or ("recommendation" not in columns and not {"owner", "due"} & set(columns)):
            return False
        table = self.table_section(role=ROLE_RECOMMENDATIONS if "recommendation" in columns else ROLE_RESPONSE)

        def cell(row, name):
            index = columns.get(name)
            return row[index].strip() if index is not None and index < len(row) else ""

        for row in rows[1:]:
            text = cell(row, "recommendation")
            number = cell(row, "number")
            numbered = _NUMBERED.match(text)
            if numbered:
                number, text = number or numbered.group("number"), numbered.group("text")
            if text:
                self.current_section = table
                self.add_recommendation(text, passage=text, number=number.rstrip(".)"))
            answers = self.open_recommendation if text else None
            for item in self.cell_items(cell(row, "action")):
                self.add_action(item, passage=item, responds_to=answers, owner=cell(row, "owner"), due=cell(row, "due"))
            for item in self.cell_items(cell(row, "progress")):
                if _STATUS_ONLY.match(item.strip()) or len(item.split()) < 4:
                    self.exclude(item, "The action's status as the table gives it: not an entry.")
                    continue
                # The progress made on the action ("The revised checklist was approved ..."): an action done.
                self.add_action(item, passage=item, responds_to=answers, owner=cell(row, "owner"))
        self.open_recommendation = None
        return True

    def table_section(self, role: str | None = None) -> int:
        """The section a table is: the heading just before it, if nothing was read under it yet, else a new one."""
        index = self.current_section
        if index is not None and not any(c.section == index for c in self.result.candidates):
            section = self.result.sections[index]
            if section.layout == "text":
                section.layout = "table"
                return index
        role = role or (self.result.sections[index].role if index is not None else ROLE_OTHER)
        return self.start_section("", role=role, layout="table")

    @staticmethod
    def cell_items(cell: str) -> list[str]:
        text = re.sub(r"<li\b[^>]*>", " • ", cell, flags=re.I)
        text = re.sub(r"<[^>]+>", " ", text)
        parts = [re.sub(r"\s+", " ", part).strip() for part in re.split(r"•|\n", text)]
        return [part for part in parts if part]

    def read_letter_line(self, text: str, plain: str) -> bool:
        """A letter's own lines (an address, "Dear ...", thanks, "Yours sincerely," and the
        signature under it): left out with a reason; whether it was one."""
        plain = plain.strip()
        if self.signed_off and len(plain.split()) <= 15 and not _SENTENCE_END_CHARS.search(plain):
            self.exclude(text, "The letter's signature (who wrote it and their role), not an entry.")
            return True
        if _CLOSING.match(plain):
            self.signed_off = True
            self.exclude(text, "The letter's closing words, not an entry.")
            return True
        if _SALUTATION.match(plain):
            self.exclude(text, "The letter's greeting, not an entry.")
            return True
        if len(plain.split()) <= 30 and _POSTCODE.search(plain) and not _SENTENCE_END_CHARS.search(plain):
            self.exclude(text, "A postal address, not an entry.")
            return True
        if _THANKS.match(plain) and not _LESSON_WORDS.search(plain):
            self.exclude(text, "Thanks to the people who took part or wrote the report: courtesy, not learning.")
            return True
        return False

    def read_contact(self, plain: str) -> None:
        match = _PHONE.search(plain) or _EMAIL_OR_SITE.search(plain)
        name = plain[: match.start()].strip(" ;:,-–/")
        details = plain[match.start() :].strip()
        self.add_resource(name or details, kind="contact", details=details)

    def owner_in(self, text: str) -> str:
        match = _OWNER.match(without_markup(text))
        return match.group("owner").strip()[:200] if match else ""

    def note_date(self, text: str) -> None:
        if self.result.published_on is not None:
            return
        match = _ANY_DATE.search(text)
        if not match:
            return
        when = match.group(0)
        year = re.search(r"(?:19|20)\d\d", when)
        month = re.search(_MONTHS, when, re.I)
        day = re.search(r"(?<![\d])(\d{1,2})(?:st|nd|rd|th)?(?![\d])", when.replace(year.group(0), ""))
        try:
            month_number = datetime.datetime.strptime(month.group(0)[:3].title(), "%b").month
            if day:
                self.result.published_on = datetime.date(int(year.group(0)), month_number, int(day.group(1)))
                self.result.published_precision = "day"
            else:
                self.result.published_on = datetime.date(int(year.group(0)), month_number, 1)
                self.result.published_precision = "month"
        except (AttributeError, ValueError):
            return

    def note_date_in_heading(self, plain: str) -> None:
        match = _BRIEFING_DATE.search(plain)
        if match:
            self.note_date(match.group(0))

    # -- the document as a whole ------------------------------------------

    def describe_document(self) -> None:
        result = self.result
        titles = _joined_headings(result.headings)
        review_names = [match.group(0).strip() for title in titles for match in [_REVIEW_NAME.search(title)] if match]
        documents = [
            title for title in titles if re.search(r"\b(?:briefing|newsletter|news|response|brief)\b", title, re.I)
        ]
        result.source_title = (documents or titles or [self.doc.title or ""])[0][:300]
        result.title = (review_names or documents or titles or [self.doc.title or ""])[0][:300]
        full_text = "\n".join(block.text for block in self.blocks)
        # The document's own description first (its title), then its text as a whole.
        result.review_type = _review_type(f"{result.title}\n{result.source_title}")
        if result.review_type == "other":
            result.review_type = _review_type(full_text)
        result.source_kind = _source_kind(f"{result.source_title}\n{full_text}")
        result.case_names = list(result.children)
        metadata = _read_metadata(self.doc)
        if metadata:
            # metadata's "title" is the document's (the source's); its "review_title" the review's name.
            metadata = {**metadata, "source_title": metadata.get("title"), "title": metadata.get("review_title")}
            if metadata.get("title_is_file_name"):
                metadata["title"] = metadata["source_title"] = ""
            if (
                documents
                and not _REVIEW_NAME.search(metadata["title"] or "")
                and not any(
                    re.search(r"\b(?:briefing|newsletter|news|response|brief)\b", metadata[key] or "", re.I)
                    for key in ("title", "source_title")
                )
            ):
                # A heading that says what the document is (its title printed at the end, as some
                # briefings do) is surer than a first heading that says neither.
                metadata["title"] = metadata["source_title"] = ""
            for name in (
                "title",
                "published_on",
                "published_precision",
                "review_type",
                "source_kind",
                "partnership_name",
                "case_names",
                "source_title",
            ):
                value = metadata.get(name)
                # "other" and "unknown" say metadata found nothing: what the structure found stands.
                if value and value not in ("other", "unknown"):
                    setattr(result, name, value)

    def add_warnings(self) -> None:
        result = self.result
        for index, candidate in enumerate(result.candidates):
            plain = without_markup(candidate.text).strip()
            if candidate.kind != QUESTION and _looks_like_heading(plain, 8) and not candidate.number:
                result.warnings.append(
                    {
                        "candidate": index,
                        "code": "looks_like_heading",
                        "message": "This looks like a heading, not an entry: check whether it heads the entries "
                        "after it.",
                    }
                )
            before = candidate.passage[: max(candidate.passage.find(candidate.text[:40]), 0)].rstrip()
            in_a_list = before.endswith((":", ";"))
            if plain[:1].islower() and not (candidate.addressed_to or candidate.number or in_a_list):
                result.warnings.append(
                    {
                        "candidate": index,
                        "code": "starts_in_lower_case",
                        "message": "This starts in lower case: check its beginning was not cut off (a subject "
                        "or heading before it).",
                    }
                )
        if self.recommendations_heading and not any(c.kind == RECOMMENDATION for c in result.candidates):
            result.warnings.append(
                {
                    "candidate": None,
                    "code": "no_recommendations",
                    "message": "The document has a recommendations heading but no recommendations were found "
                    "under it: check the entries under that heading.",
                }
            )


def _read_metadata(doc: Document) -> dict:
    """What ``reviews.importing.metadata`` reads from the document, when that module is there."""
    try:
        from . import metadata
    except ImportError:
        return {}
    read = getattr(metadata, "read_metadata", None)
    if read is None:
        return {}
    found = read(doc)
    if found is None:
        return {}
    if isinstance(found, dict):
        return found
    return {name: getattr(found, name) for name in dir(found) if not name.startswith("_")}


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
        (r"safeguarding adults?'? reviews?|\bSARs?\b", "sar"),
        (r"domestic homicide reviews?|\bDHRs?\b", "dhr"),
        (r"appreciative inquiry", "appreciative"),
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


def parse_document(doc: Document) -> ParsedBriefing:
    """Read a document's blocks into sections and candidate entries (see the module docstring)."""
    parsed = _Reader(doc).read()
    parsed.document = doc
    return parsed


def parse_briefing(text: str) -> ParsedBriefing:
    """Read a briefing's plain text or Markdown into candidate entries."""
    from .textblocks import read_text

    return parse_document(read_text(text))

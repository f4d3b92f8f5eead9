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
- a short line without sentence punctuation is a heading: it is kept as the
  heading of the entries under it and sets the kind of section (recommendations,
  good practice, learning, or facts about a named child or review);
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
- what remains is an action when its first sentence reports what an agency
  has done or will do, a case fact in a section about a named case unless it
  draws a lesson, and otherwise a learning point.

``[text](#)`` link placeholders become plain text in the entry and a
``Resource`` with no address (the document gives none); other links are kept.
Themes are suggested by ``ThemeMatcher``, described there.
"""

from __future__ import annotations

import codecs
import datetime
import math
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import PurePath

from django.conf import settings

# The five briefings in the knowledge base are 4 to 8 KB and give 7 to 47
# entries. The limits leave room for long ones while keeping an import quick
# and the draft's admin page one an editor can open, check and save.
MAX_FILE_BYTES = 200_000
MAX_CANDIDATES = 300
# Form fields the review's admin page posts: for the page itself (its fields
# and the inlines' management forms), and at most for each entry on it (a
# recommendation with three suggested themes).
PAGE_FORM_FIELDS = 50
ENTRY_FORM_FIELDS = 11
ALLOWED_SUFFIXES = (".txt", ".md", ".markdown")


class BriefingFileError(ValueError):
    """A file that cannot be imported; the message is written for editors."""


def candidate_limit() -> int:
    """The most entries one import may create: ``MAX_CANDIDATES``, and no more
    than the draft's admin page can save, since Django refuses a form with
    more than ``DATA_UPLOAD_MAX_NUMBER_FIELDS`` fields (1,000 by default,
    which allows 86 entries; 3,400 or more allows 300)."""
    budget = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    if budget is None:
        return MAX_CANDIDATES
    return max(1, min(MAX_CANDIDATES, (budget - PAGE_FORM_FIELDS) // ENTRY_FORM_FIELDS))


# ---------------------------------------------------------------------------
# Reading the file
# ---------------------------------------------------------------------------

_BINARY_SIGNATURES = {
    b"%PDF": "a PDF",
    b"PK\x03\x04": "a Word (.docx) or other zipped",
    b"\xd0\xcf\x11\xe0": "an old-style Word (.doc)",
    b"{\\rtf": "a Rich Text (.rtf)",
}
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Byte order marks of the Unicode encodings other than UTF-8 that editors'
# programs save ("Unicode" in Notepad and Word is UTF-16). UTF-32's come first:
# its little-endian mark begins with UTF-16's.
_UNICODE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _size(n_bytes: int) -> str:
    return f"{n_bytes / 1_000_000:.1f} MB" if n_bytes >= 1_000_000 else f"{math.ceil(n_bytes / 1000)} KB"


def _unicode_without_utf8(data: bytes) -> str | None:
    """The codec of a file saved as UTF-16 or UTF-32 with a byte order mark, if it is."""
    return next((codec for bom, codec in _UNICODE_BOMS if data.startswith(bom)), None)


def _looks_like_utf16_without_bom(data: bytes) -> bool:
    """English text in UTF-16 has a zero byte in every other position, and only there."""
    sample = data[:2000]
    if len(sample) < 16:
        return False
    even, odd = sample[0::2], sample[1::2]
    zeros_even, zeros_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    return min(zeros_even, zeros_odd) < 0.1 and max(zeros_even, zeros_odd) > 0.9


def briefing_text_from_bytes(*, name: str, data: bytes) -> str:
    """Check an uploaded briefing and return its text.

    Raises ``BriefingFileError`` with a message an editor can act on for a
    file that is not a .txt or .md, empty, larger than ``MAX_FILE_BYTES``,
    binary (PDF, Word...) or not text. UTF-8 is expected; a file saved as
    UTF-16 or UTF-32 ("Unicode") with its byte order mark is read as such.
    """
    suffix = PurePath(name or "").suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise BriefingFileError(
            f"“{name}” is not a plain text or Markdown file. Save the briefing as plain text "
            "(a file ending in .txt) or Markdown (.md) and upload that."
        )
    if not data or not data.strip():
        raise BriefingFileError(f"“{name}” is empty. Check you chose the right file.")
    if len(data) > MAX_FILE_BYTES:
        raise BriefingFileError(
            f"“{name}” is larger than {_size(MAX_FILE_BYTES)}, the limit for one briefing. A briefing's text "
            "is usually under 10 KB: check the file holds only the text of one briefing, not a whole report "
            "or several briefings."
        )
    codec = _unicode_without_utf8(data)
    if codec is not None:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as error:
            raise BriefingFileError(
                f"“{name}” is saved as {codec.upper()} (“Unicode”) but cannot be read as such. Open it, "
                "choose 'Save as', 'Plain text' and the UTF-8 encoding, and upload it again."
            ) from error
        return _checked_text(name, text)
    if _looks_like_utf16_without_bom(data):
        raise BriefingFileError(
            f"“{name}” looks like text saved as UTF-16 (“Unicode”) without the mark that says so, which "
            "cannot be read reliably. Open it, choose 'Save as', 'Plain text' and the UTF-8 encoding, "
            "and upload it again."
        )
    for signature, kind in _BINARY_SIGNATURES.items():
        if data.startswith(signature):
            raise BriefingFileError(
                f"“{name}” is {kind} file, not plain text, even though its name ends in {suffix}. "
                "Open it, choose 'Save as', 'Plain text (.txt)' with the UTF-8 encoding, and upload that."
            )
    if b"\x00" in data:
        raise BriefingFileError(
            f"“{name}” contains binary data, not text. Save the briefing as plain text (.txt) with the "
            "UTF-8 encoding and upload that."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BriefingFileError(
            f"“{name}” is not saved as UTF-8 text (the first unreadable byte is at position "
            f"{error.start}). Open it, choose 'Save as', 'Plain text' and the UTF-8 encoding, and upload "
            "it again, so that no letter or punctuation is changed on the way."
        ) from error
    return _checked_text(name, text)


def _checked_text(name: str, text: str) -> str:
    """``text`` decoded from the file ``name``, if it reads as a text document."""
    if len(_CONTROL_CHARACTERS.findall(text)) > max(5, len(text) // 1000):
        raise BriefingFileError(
            f"“{name}” contains many control characters, so it is probably not a text document. "
            "Save the briefing as plain text (.txt) and upload that."
        )
    if not text.strip():
        raise BriefingFileError(f"“{name}” is empty. Check you chose the right file.")
    return text


# ---------------------------------------------------------------------------
# What a briefing yields
# ---------------------------------------------------------------------------

LEARNING = "learning"
GOOD_PRACTICE = "good_practice"
RECOMMENDATION = "recommendation"
ACTION = "action"
CASE_FACT = "case_fact"


@dataclass
class Candidate:
    """One entry proposed from the document, in the document's words."""

    kind: str
    text: str
    heading: str = ""
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
    excluded: list[dict[str, str]] = field(default_factory=list)


# ---------------------------------------------------------------------------
# Patterns
# ---------------------------------------------------------------------------

_LINK = re.compile(r"\[([^\]\n]+)\]\(([^)\s]*)\)")
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
    "there they that which who we you it can may might could would should must to not also often".split()
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


def normalise(text: str) -> str:
    """Lower case, one space between words, typographic quotes made plain:
    for comparing passages, never for storing them."""
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", " ", text).strip().lower()


def strip_placeholder_links(text: str) -> str:
    """``[text](#)`` (a link with no address) becomes ``text``; real links stay."""
    return _LINK.sub(lambda m: m.group(0) if _is_real_url(m.group(2)) else m.group(1), text)


def _is_real_url(url: str) -> bool:
    return url.startswith(("http://", "https://", "mailto:"))


def _plain(text: str) -> str:
    """The words of a passage without Markdown emphasis, links or HTML tags."""
    text = _LINK.sub(lambda m: m.group(1), text)
    text = re.sub(r"<[^>]+>", " ", text)
    text = text.replace("**", "").replace("__", "")
    return re.sub(r"\s+", " ", text).strip()


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


def _looks_like_heading(text: str) -> bool:
    plain = _plain(text).rstrip(";").strip()
    words = plain.split()
    if not words or len(words) > 20 or _LINK.search(text):
        return False
    if plain.endswith((".", "!", "?")) or _SENTENCE_BREAK.search(plain):
        return False
    return True


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

    # -- recording -------------------------------------------------------

    def add(self, kind: str, text: str, passage: str, **extra) -> Candidate:
        text = text.strip()
        names = self.resources_in(text)
        candidate = Candidate(
            kind=kind,
            text=strip_placeholder_links(text),
            heading=self.heading[:300],
            resources=names,
            passage=passage,
            **extra,
        )
        self.result.candidates.append(candidate)
        return candidate

    def exclude(self, text: str, reason: str) -> None:
        self.result.excluded.append({"text": text, "reason": reason})

    def resources_in(self, text: str) -> list[str]:
        names = []
        for match in _LINK.finditer(text):
            name = _plain(match.group(1)).strip(" ‘’'\"")
            if not name:
                continue
            url = match.group(2) if _is_real_url(match.group(2)) else ""
            names.append(self.add_resource(name, url=url))
        return names

    def add_resource(self, name: str, *, kind: str | None = None, url: str = "", details: str = "") -> str:
        key = normalise(name)
        existing = self.result.resources.get(key)
        if existing is None:
            self.result.resources[key] = ResourceCandidate(
                name=name[:300], kind=kind or _resource_kind(name), url=url, details_as_stated=details[:300]
            )
        elif url and not existing.url:
            existing.url = url
        return key

    def set_heading(self, heading: str) -> None:
        self.heading = _plain(heading).rstrip(";:").strip()
        self.result.headings.append(self.heading)
        self.section = _section_of(self.heading)
        self.open_recommendation = None
        self.recommendation_takes_bullets = False

    # -- reading ---------------------------------------------------------

    def read(self) -> ParsedBriefing:
        for passage in _split_passages(self.text):
            if passage.kind == "table":
                self.read_table(passage)
                continue
            key = normalise(_plain(passage.text))
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
        plain = _plain(text)
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
        if _LINK.fullmatch(text.strip().strip("*").strip()):
            self.resources_in(text)
            return
        if _NUMBERED.match(text) and (self.section == RECOMMENDATION or self.open_recommendation is not None):
            self.read_entry(text, passage=text)
            return
        if _looks_like_heading(text) and plain.endswith(":"):
            # "The report provides HSCB with the following recommendations:" introduces
            # a list: it says what kind of section follows, but is not a heading.
            self.section = _section_of(plain) or self.section
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
        first = _first_sentence(_plain(text))
        if _reports_work(first) and not _LESSON_WORDS.search(first):
            self.add(ACTION, text, passage=passage, owner=self.owner_in(text))
            return
        if self.section == CASE_FACT and not _LESSON_WORDS.search(_plain(text)):
            self.add(CASE_FACT, text, passage=passage)
            return
        kind = GOOD_PRACTICE if self.section == GOOD_PRACTICE else LEARNING
        self.add(kind, text, passage=passage)

    def read_table(self, passage: _Passage) -> None:
        rows = passage.rows
        if not rows:
            self.exclude(passage.text, "An empty table.")
            return
        header = [_plain(cell) for cell in rows[0]]
        has_header = not header[0] or all(_looks_like_heading(cell) for cell in header if cell)
        body = rows[1:] if has_header and len(rows) > 1 else rows
        row_labels = has_header and not header[0]
        for row in body:
            label = _plain(row[0]) if row_labels and row else ""
            for column, cell in enumerate(row):
                if row_labels and column == 0:
                    continue
                column_heading = header[column] if has_header and column < len(header) else ""
                kind = GOOD_PRACTICE if _SECTION_GOOD_PRACTICE.search(column_heading) else LEARNING
                heading = label or column_heading or self.heading
                for item in self.cell_items(cell):
                    candidate = self.add(kind, item, passage=item)
                    candidate.heading = heading[:300]

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
        match = _OWNER.match(_plain(text))
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


# ---------------------------------------------------------------------------
# Suggesting themes
# ---------------------------------------------------------------------------

_STOP_WORDS = frozenset(
    """a about above after all also an and any are as at be been being between both but by can could
    do does for from had has have how in into is it its may more most must not of on or other our out
    over should so some such than that the their them then there these they this those through to under
    up upon was we were what when where which while who will with within without would you your""".split()
)


def _stem(word: str) -> str:
    """A deliberately small stemmer: enough to match 'families' with 'family',
    'sharing' with 'share', 'assessments' with 'assessment'."""
    for suffix, replacement in (("ies", "y"), ("ing", ""), ("ness", ""), ("es", ""), ("ed", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + replacement
            break
    # "share" and "shar(ing)", "practice" and "practic(es)" meet without the final e.
    return word[:-1] if word.endswith("e") and len(word) > 4 else word


def keywords(text: str) -> list[str]:
    """Stemmed content words of a text, in order."""
    words = re.findall(r"[a-z0-9]+", normalise(_plain(text)).replace("&", " and "))
    return [_stem(word) for word in words if word not in _STOP_WORDS and len(word) > 2]


@dataclass
class ThemeProfile:
    theme_id: int
    name: str
    phrases: list[str]  # normalised name and aliases
    keywords: dict[str, float] = field(default_factory=dict)  # stemmed keyword -> weight


class ThemeMatcher:
    """Suggest themes for a passage from the existing themes' names and aliases.

    Nothing is learnt from the entries already filed under a theme: the
    suggestions come only from what editors named the themes and which
    headings they recorded as aliases, so importing a briefing that is already
    in the knowledge base measures the method rather than recalling answers.

    For each theme the phrases are its name and aliases; its keywords are the
    content words of those phrases, lightly stemmed, each weighted by how
    rare it is among all themes' keywords (a word every theme uses, such as
    "safeguarding", says little). A passage scores, per theme:

    - 3 when its heading is one of the theme's phrases, or contains one;
    - 2 when its text contains one of the theme's phrases;
    - the weighted share of the theme's keywords found in the heading and
      text, times 2 (so a passage using every keyword of a theme scores 2).

    Themes scoring at least ``threshold`` are suggested, best first, at most
    ``limit`` of them.
    """

    def __init__(self, themes: list[tuple[int, str, list[str]]], *, threshold: float = 1.0, limit: int = 3):
        self.threshold = threshold
        self.limit = limit
        self.profiles = []
        document_frequency: dict[str, int] = {}
        for theme_id, name, aliases in themes:
            phrases = [normalise(phrase) for phrase in [name, *aliases] if normalise(phrase)]
            words = {word for phrase in phrases for word in keywords(phrase)}
            for word in words:
                document_frequency[word] = document_frequency.get(word, 0) + 1
            self.profiles.append(ThemeProfile(theme_id, name, phrases, dict.fromkeys(words, 0.0)))
        count = max(len(self.profiles), 1)
        for profile in self.profiles:
            for word in profile.keywords:
                profile.keywords[word] = math.log(1 + count / document_frequency[word])

    def scores(self, *, text: str, heading: str = "") -> list[tuple[float, int]]:
        heading_n = normalise(_plain(heading)).rstrip(";:")
        text_n = normalise(_plain(text))
        present = set(keywords(f"{heading} {text}"))
        results = []
        for profile in self.profiles:
            score = 0.0
            if heading_n and any(phrase == heading_n or phrase in heading_n for phrase in profile.phrases):
                score += 3
            if any(re.search(rf"\b{re.escape(phrase)}\b", text_n) for phrase in profile.phrases):
                score += 2
            total = sum(profile.keywords.values())
            if total:
                found = sum(weight for word, weight in profile.keywords.items() if word in present)
                score += 2 * found / total
            if score:
                results.append((score, profile.theme_id))
        results.sort(key=lambda pair: (-pair[0], pair[1]))
        return results

    def suggest(self, *, text: str, heading: str = "") -> list[int]:
        """Ids of the themes suggested for a passage, best first."""
        return [theme_id for score, theme_id in self.scores(text=text, heading=heading) if score >= self.threshold][
            : self.limit
        ]

"""What a briefing says about itself: its title, when it was published, what
kind of review and document it is, the partnership that published it and the
people it is about (``read_metadata``).

Everything is read from the document's own words, and only where a document
describes itself: its title, its first blocks (the "opening"), a labelled
date line ("Published: March 2019", "Date: Tuesday, 25th Jul 2023 |
Category: Children"). A date in the story of the case ("In June 2021 the
family moved") is not the publication date, and a review type mentioned in
passing later on ("a Rapid Review was held first") is not the document's own
type. What cannot be read is left unknown ("other", no date) for the editor,
never guessed. Nothing here touches the database.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import PurePath

from ..models import DatePrecision, Review, Source
from .document import HEADING, TABLE, Document

# How many blocks from the top count as the document's opening: its title,
# date line and the paragraph introducing it.
OPENING_BLOCKS = 6


@dataclass
class Metadata:
    title: str = ""  # the document's title
    review_title: str = ""  # the review's name as the title gives it ("Serious Case Review of Child K")
    published_on: datetime.date | None = None
    published_precision: str = DatePrecision.UNKNOWN
    review_type: str = Review.ReviewType.OTHER
    source_kind: str = Source.Kind.OTHER
    partnership_name: str = ""  # the publishing partnership or board as the text names it
    partnership_evidence: str = ""  # the passage naming it, for the editor who confirms it
    case_names: list[str] = field(default_factory=list)  # "Child LB", "Baby F", "Martin", in order of appearance
    title_is_file_name: bool = False  # nothing in the document could serve as its title
    original_url: str = ""  # where the document says it is itself published ("This briefing is available at ...")


# ---------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"

# The written forms, most precise first; each keeps the start of the date.
_DATE_FORMS: list[tuple[re.Pattern, str]] = [
    # "Tuesday, 25th Jul 2023", "25 July 2023", "25-Jul-2023"
    (re.compile(rf"\b{_WEEKDAY}{_DAY}(?:\s+of)?[\s-]+{_MONTH},?[\s-]+{_YEAR}\b", re.I), DatePrecision.DAY),
    # "Thursday, January 12, 2017", "January 12th 2017"
    (re.compile(rf"\b{_WEEKDAY}{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.I), DatePrecision.DAY),
    # "12/01/2017", "12.01.2017", "12-01-2017": day first, as written in the UK
    (re.compile(rf"\b{_DAY}[/.-](?P<month_number>[01]?\d)[/.-]{_YEAR}\b"), DatePrecision.DAY),
    # "2017-01-12"
    (re.compile(rf"\b{_YEAR}-(?P<month_number>[01]\d)-{_DAY}\b"), DatePrecision.DAY),
    # "March 2019", "Mar 2019", "March, 2019"
    (re.compile(rf"\b{_MONTH},?\s+{_YEAR}\b", re.I), DatePrecision.MONTH),
    # "03/2019"
    (re.compile(rf"(?<![/\d])(?P<month_number>[01]?\d)/{_YEAR}\b"), DatePrecision.MONTH),
]
_YEAR_ONLY = re.compile(rf"\b{_YEAR}\b")

# A label saying the date that follows is the document's: "Published: ...",
# "Date published - ...", "Publication date ...", "Date: ...", "Issued ...",
# "Published in October 2021".
_DATE_LABEL = re.compile(
    r"\b(?:date\s+(?:of\s+)?(?:published|publication|issued?)|publication\s+date|published(?:\s+(?:on|in))?"
    r"|issued(?:\s+(?:on|in))?|issue\s+date|date)\b\s*[:;|–—-]?\s*",
    re.I,
)
# Labels of other dates, never the publication date.
_OTHER_DATE_LABEL = re.compile(
    r"\b(?:review\s+date|date\s+of\s+(?:death|birth|incident)|next\s+review|last\s+(?:updated|reviewed)"
    r"|updated|born|died|commissioned|agreed)\b",
    re.I,
)


@dataclass
class _FoundDate:
    value: datetime.date
    precision: str
    start: int  # where in the text the date starts


def find_date(text: str, *, year_alone: bool = False) -> _FoundDate | None:
    """The first date written in ``text`` in one of the usual forms, as
    precisely as it is written; a bare year only when ``year_alone``."""
    found: list[_FoundDate] = []
    for pattern, precision in _DATE_FORMS:
        for match in pattern.finditer(text):
            value = _date_from(match, precision)
            if value is not None:
                found.append(_FoundDate(value, precision, match.start()))
                break
    if year_alone:
        match = _YEAR_ONLY.search(text)
        if match:
            found.append(_FoundDate(datetime.date(int(match.group("year")), 1, 1), DatePrecision.YEAR, match.start()))
    if not found:
        return None
    order = [DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR]
    # The first date in the text; of two forms starting at the same place, the more precise.
    return min(found, key=lambda d: (d.start, order.index(d.precision)))


def _date_from(match: re.Match, precision: str) -> datetime.date | None:
    groups = match.groupdict()
    year = int(groups["year"])
    month = _MONTHS[groups["month"].lower().rstrip(".")] if groups.get("month") else int(groups["month_number"])
    day = int(groups["day"]) if precision == DatePrecision.DAY else 1
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _publication_date(lines: list[tuple[int, str]], title: str) -> _FoundDate | None:
    """The publication date: a labelled date anywhere in the document, else a
    line of the opening that is only a date, else a date in the title."""
    for _, line in lines:
        for label in _DATE_LABEL.finditer(line):
            before = line[max(0, label.start() - 20) : label.start()]
            if _OTHER_DATE_LABEL.search(before + label.group(0)):
                continue
            after = line[label.end() :]
            # The date must follow the label directly ("Date: Tuesday, 25th Jul 2023 | Category: ..."),
            # not somewhere later in a sentence that happens to contain "date".
            found = find_date(after[:60], year_alone=True)
            if found is not None and found.start <= 3:
                return found
    for index, line in lines:
        if index >= OPENING_BLOCKS:
            break
        found = find_date(line)
        if found is not None and _is_date_line(line):
            return found
    found = find_date(title)
    return found


def _is_date_line(line: str) -> bool:
    """A line that is a date and little else ("Thursday, January 12, 2017", "March 2019")."""
    rest = line
    for pattern, _ in _DATE_FORMS:
        rest = pattern.sub(" ", rest)
    return len(re.findall(r"[A-Za-z]{3,}", rest)) <= 2 and len(line) <= 60


# ---------------------------------------------------------------------------
# Title
# ---------------------------------------------------------------------------

_GENERIC_TITLE = re.compile(
    r"^(?:untitled|document\s*\d*|title|slide\s*\d+|powerpoint presentation|microsoft word|template|"
    r"home|page\s*\d*|print|index)$",
    re.I,
)
_OFFICE_PREFIX = re.compile(r"^(?:Microsoft (?:Word|PowerPoint)|Word|PowerPoint)\s+-\s+", re.I)
_FILE_SUFFIX = re.compile(r"\.(?:docx?|pdf|pptx?|txt|md|html?|rtf|odt)$", re.I)
# What a site appends to a page's title besides a partnership's name: " - Anytown Council".
_SITE_NAME = re.compile(r"\b(?:Council|NHS|Trust)\b|\.(?:org|gov|co|nhs)\b|^(?:Home|Website)$", re.I)


def _is_site_name(text: str) -> bool:
    return bool(_SITE_NAME.search(text) or _PARTNERSHIP.fullmatch(text.strip()))


def clean_title(text: str) -> str:
    """A title as printed, without Markdown's "#" and emphasis, an office
    program's prefix, a file extension or the site's name after a bar."""
    text = re.sub(r"^\s*#+\s*", "", text or "")
    text = text.replace("**", "").replace("__", "").strip().strip("*_").strip()
    text = _OFFICE_PREFIX.sub("", text)
    text = _FILE_SUFFIX.sub("", text)
    # "Child LB briefing | Anytown Safeguarding Children Partnership", "... – Anytown Council":
    # the site's name after the page's, left out unless nothing but a word or two would be left.
    while True:
        parts = re.split(r"\s+[|–—-]\s+", text)
        if len(parts) < 2 or not _is_site_name(parts[-1]):
            break
        rest = text[: text.rfind(parts[-1])].rstrip(" |-–—")
        if len(re.findall(r"[A-Za-z]{3,}", rest)) < 2:
            break
        text = rest
    return re.sub(r"\s+", " ", text).strip(" :;,-–—")


def _printed_title(doc: Document) -> str:
    """The title the document prints at its top: a first block that is a level-1 heading, as the
    largest type on a PDF's first page, Word's Title or Heading 1 style or a page's ``<h1>`` give it."""
    first = next((block for block in doc.blocks[:OPENING_BLOCKS] if block.text.strip()), None)
    if first is None or first.kind != HEADING or first.level != 1:
        return ""
    title = clean_title(first.text)
    # A section's name set as the first heading ("Background") is not the document's title.
    return title if len(re.findall(r"[A-Za-z0-9]+", title)) >= 3 else ""


def _is_meaningful_title(title: str, file_name: str) -> bool:
    if not title or _GENERIC_TITLE.match(title):
        return False
    if len(re.findall(r"[A-Za-z]{2,}", title)) < 2:
        return False
    stem = PurePath(file_name).stem if file_name else ""
    if stem and _comparable(title) == _comparable(stem):
        return False  # a program's title that is only the file name
    # A file name written as a title: no spaces, with underscores or hyphens ("7MB_ChildLB_final").
    return not (" " not in title and re.search(r"[_-]", title))


def _comparable(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def _opening_lines(doc: Document) -> list[tuple[str, bool, int]]:
    """The opening's lines, with whether each is set apart as a heading or in bold
    and the block it is in: a block's lines one by one when the reader kept its
    line breaks."""
    lines = []
    for index, block in enumerate(doc.blocks[:OPENING_BLOCKS]):
        if block.kind == TABLE:
            continue
        for line in block.text.split("\n"):
            if line.strip():
                lines.append((line.strip(), block.kind == HEADING or block.bold, index))
    return lines


# A line naming only the kind of document, above the document's own title.
_DOCUMENT_LABEL = re.compile(
    r"^(?:learning\s+brief(?:ing)?|(?:7|seven)[\s-]*min(?:ute)?s?[\s-]+briefing|briefing(?:\s+note)?|newsletter|"
    r"practice\s+brief(?:ing)?|learning\s+summary)$",
    re.I,
)


def _title_from_blocks(doc: Document) -> str:
    """The first level-1 heading; else the first heading; else the first line
    of the opening that reads as a title (in bold, or short and not a
    sentence), joined to the next when it breaks off ("... from the" /
    "Serious Case Review of Child K") or when both are in capitals. A line
    that is only a date, only the partnership's name, or only the kind of
    document ("LEARNING BRIEF" above "Child T: ...") is not the title."""
    headings = [block for block in doc.blocks if block.kind == HEADING and _could_be_title(block.text)]
    if headings:
        top = min(block.level or 1 for block in headings)
        return clean_title(next(block for block in headings if (block.level or 1) == top).text)
    lines = [
        (_without_partnership(text), bold, block) for text, bold, block in _opening_lines(doc) if _could_be_title(text)
    ]
    titles = [
        (clean_title(text), block)
        for text, bold, block in lines
        if (bold and len(text) <= 200) or _reads_as_title(text)
    ]
    for position, (title, block) in enumerate(titles):
        if _DOCUMENT_LABEL.match(title) and position + 1 < len(titles):
            continue
        for following, its_block in titles[position + 1 :]:
            # Joined: a title broken off at "the", and a title in capitals over two lines of one block.
            capitals = title.isupper() and following.isupper() and its_block == block
            if not (_DANGLING_WORD.search(title) or capitals):
                break
            title = f"{title} {following}"
        return title
    return ""


_DANGLING_WORD = re.compile(r"\b(?:the|of|from|and|to|for|in|on|a|an|into|with)$", re.I)


def _could_be_title(text: str) -> bool:
    title = clean_title(text)
    if not title or len(title) > 200:
        return False
    if find_date(title) and _is_date_line(title):
        return False
    return not _PARTNERSHIP.fullmatch(title)


def _reads_as_title(text: str) -> bool:
    """Short, and not a sentence: no full stop at its end or inside."""
    plain = clean_title(text)
    words = plain.split()
    return 2 <= len(words) <= 20 and not re.search(r"[.!?](?:\s|$)", plain) and plain[:1].isupper()


# The review's own name within a document's title: "Serious Case Review of Child K" in "Response to
# the Recommendations from the Serious Case Review of Child K"; "Safeguarding Adults Review: Martin".
_REVIEW_NAME_IN_TITLE = None  # compiled below, after the review types
# Words naming the document rather than the review, at the end of a title.
_DOCUMENT_WORDS = re.compile(
    r"(?:\s*[;:,|–—-]\s*|\s+)(?:(?:7|seven)[\s-]*min(?:ute)?s?[\s-]+briefings?|newsletter|learning\s+brief(?:ing)?|"
    r"briefing(?:\s+note)?|summary|executive\s+summary)(?:\s*[;:,|–—-]?\s*(?:"
    + r"[A-Za-z]+\s+(?:19|20)\d\d|(?:19|20)\d\d))?\s*$",
    re.I,
)


def review_title_in(title: str) -> str:
    """The review's name as the title gives it, else the title without the
    words naming the document ("7 Minute Briefing", "Newsletter") and its date."""
    match = _REVIEW_NAME_IN_TITLE.search(title)
    if match:
        return match.group(0).strip()
    shorter = _DOCUMENT_WORDS.sub("", title).strip(" ;:,-–—|")
    return shorter if len(re.findall(r"[A-Za-z]{3,}", shorter)) >= 2 else title


# ---------------------------------------------------------------------------
# What kind of review and document
# ---------------------------------------------------------------------------

# Each review type by the names documents use for it, the more specific
# first ("Local Child Safeguarding Practice Review" before "Practice Review").
_REVIEW_TYPES: list[tuple[str, str]] = [
    (r"domestic\s+homicide\s+reviews?|\bDHRs?\b", Review.ReviewType.DOMESTIC_HOMICIDE_REVIEW),
    (r"safeguarding\s+adults?\s+reviews?|\bSARs?\b", Review.ReviewType.SAFEGUARDING_ADULTS_REVIEW),
    (r"appreciative\s+(?:inquiry|enquiry)", Review.ReviewType.APPRECIATIVE_INQUIRY),
    (r"thematic\s+(?:review|analysis|learning\s+review)|recurring\s+themes", Review.ReviewType.THEMATIC),
    (
        r"(?:local\s+)?child\s+safeguarding\s+practice\s+reviews?|\bL?CSPRs?\b",
        Review.ReviewType.CHILD_SAFEGUARDING_PRACTICE_REVIEW,
    ),
    (r"special\s+practice\s+reviews?", Review.ReviewType.SPECIAL_PRACTICE_REVIEW),
    (r"serious\s+case\s+reviews?|\bSCRs?\b", Review.ReviewType.SERIOUS_CASE_REVIEW),
    (r"rapid\s+reviews?", Review.ReviewType.RAPID_REVIEW),
]
_ANY_TYPE = "|".join(f"(?:{pattern})" for pattern, _ in _REVIEW_TYPES)
# A sentence in which the document says what it is: "This Safeguarding Adults Review ...",
# "This briefing summarises the Domestic Homicide Review ...", "The thematic review of ...",
# "a Serious Case Review into the death of ...", "An appreciative inquiry was ...".
_SELF_DESCRIPTION = re.compile(
    rf"\b(?:this|the\s+(?=(?:{_ANY_TYPE})\s+(?:in|into|of|about|concern|regard|for|was|is|look|consider|focus|"
    rf"examin|explor|found|identif|highlight)))\s*(?:(?:{_ANY_TYPE})|(?:[\w-]+\s+){{0,6}}?(?:about|on|of|from|"
    rf"summar\w*|describ\w*|relat\w*\s+to|shar\w*|set\w*\s+out|cover\w*|present\w*)\s+(?:the\s+|a\s+|an\s+|this\s+)?"
    rf"(?:(?:findings|learning|key\s+learning|outcomes?)\s+(?:of|from)\s+(?:the\s+|a\s+|an\s+)?)?(?:{_ANY_TYPE}))"
    rf"|\b(?:{_ANY_TYPE})\s+(?:into|of|about|concerning|regarding)\s+(?:the\s+)?(?:deaths?|murder|homicide|"
    rf"circumstances|care|Child|Baby|Adult|Mr|Mrs|Ms|Miss|[A-Z])",
    re.I,
)


_REVIEW_NAME_IN_TITLE = re.compile(
    rf"(?:{_ANY_TYPE})\s*(?:(?:of|into|for|about|concerning|regarding)\s+(?:the\s+(?:deaths?\s+of\s+)?)?|[:–—-]\s*)"
    r"[‘'\"“]?(?:(?:Child|Baby|Adult|Young\s+Person|Mr|Mrs|Ms|Miss)\s+)?[A-Z][\w’'&]*(?:\s+(?:&|and)\s+[A-Z][\w’']*)?"
    r"[’'\"”]?",
    re.I,
)


_TYPE_LABEL = re.compile(rf"(?:{_ANY_TYPE})(?:\s+(?:learning|briefing|summary|report))?", re.I)


def review_type_in(text: str) -> str:
    """The review type a passage names first, or "other"."""
    best: tuple[int, str] | None = None
    for pattern, review_type in _REVIEW_TYPES:
        match = _first_type_match(pattern, text)
        if match is not None and (best is None or match.start() < best[0]):
            best = (match.start(), review_type)
    return best[1] if best else Review.ReviewType.OTHER


def _first_type_match(pattern: str, text: str) -> re.Match | None:
    """The first match of a type's names; its abbreviation (SAR, DHR, CSPR, SCR) only in capitals."""
    words, _, abbreviation = pattern.partition("|\\b")
    matches = [re.search(words, text, re.I)]
    if abbreviation:
        matches.append(re.search(r"\b" + abbreviation, text))
    matches = [match for match in matches if match is not None]
    return min(matches, key=lambda m: m.start()) if matches else None


# A document drawing on several reviews says so in its title or byline.
_SEVERAL_REVIEWS = re.compile(
    r"\blearning\s+from\s+(?:local|several|recent|multiple|\d+|two|three|four|five)\s+(?:\w+\s+)?(?:case\s+)?reviews\b",
    re.I,
)


def _review_type(title: str, labels: list[str], opening: list[str]) -> str:
    """From the title; else from the opening's headings and bylines (short lines,
    not sentences: "Cresthill SCP · Rapid Review learning · Date: ..."); else
    from a sentence of the opening describing the document itself."""
    for label in (title, *labels):
        found = review_type_in(label)
        if found == Review.ReviewType.OTHER and _SEVERAL_REVIEWS.search(label):
            found = Review.ReviewType.THEMATIC
        if found != Review.ReviewType.OTHER:
            return found
    for passage in opening:
        for match in _SELF_DESCRIPTION.finditer(passage):
            found = review_type_in(match.group(0))
            if found != Review.ReviewType.OTHER:
                return found
    return Review.ReviewType.OTHER


_SOURCE_KINDS: list[tuple[re.Pattern, str]] = [
    (
        re.compile(r"\b(?:7|seven)[\s-]*min(?:ute)?s?[\s-]+briefings?\b|\b7MB\b", re.I),
        Source.Kind.SEVEN_MINUTE_BRIEFING,
    ),
    (
        re.compile(r"\bresponse\s+to\s+(?:the\s+)?recommendations\b|\b(?:board|partnership)(?:'s)?\s+response\b", re.I),
        Source.Kind.BOARD_RESPONSE,
    ),
    (re.compile(r"\bnewsletter\b|\b(?:partnership|board)\s+news\b", re.I), Source.Kind.NEWSLETTER),
    (
        re.compile(r"\b(?:learning|practice|review)\s+(?:brief|briefing|summary)\b|\bbriefing\b", re.I),
        Source.Kind.REVIEW_BRIEFING,
    ),
    (re.compile(r"\b(?:executive\s+summary|overview\s+report|report)\b", re.I), Source.Kind.REPORT),
]


def _source_kind(title: str, opening: list[str]) -> str:
    for text in (title, *opening):
        for pattern, kind in _SOURCE_KINDS:
            if pattern.search(text):
                return kind
    return Source.Kind.OTHER


# ---------------------------------------------------------------------------
# The partnership
# ---------------------------------------------------------------------------

_PARTNERSHIP_KINDS = (
    r"Safeguarding\s+(?:Children(?:['’]s)?|Adults?(?:['’])?|Children\s+and\s+Adults)\s+(?:Partnership|Board)s?"
    r"|Safeguarding\s+(?:Partnership|Board)|Community\s+Safety\s+Partnership"
    r"|Local\s+Safeguarding\s+Children\s+Board"
)
_PLACE_WORD = r"(?:[A-Z][\w'’.-]*|and|&|of|upon|on|the|in)"
# Words of a name on one line: spaces between them, never a line break.
_PARTNERSHIP = re.compile(rf"(?P<place>(?:{_PLACE_WORD}[ \t]+){{0,6}}?)(?P<kind>{_PARTNERSHIP_KINDS})")
# Words that start a sentence or a line, not a place's name.
_NOT_PLACE = {
    "the", "this", "a", "an", "by", "for", "from", "to", "our", "contact", "published", "welcome", "and", "of",
    "on", "in", "upon", "&", "with", "all", "about", "commissioned", "local", "copyright", "©",
}  # fmt: skip


_DOCUMENT_NOUNS = {"review", "reviews", "briefing", "brief", "learning", "summary", "report", "newsletter", "news"}


def _without_partnership(line: str) -> str:
    """A title line without the partnership's name a reader joined to its start or end
    ("Millbrook Safeguarding Children Partnership Partnership News – Spring 2025")."""
    for name in _partnership_names(line):
        for rest in (
            line[: -len(name)] if line.endswith(name) else None,
            line[len(name) :] if line.startswith(name) else None,
        ):
            if rest is not None and len(re.findall(r"[A-Za-z]{2,}", rest)) >= 2:
                return rest.strip(" |·–—-")
    return line


def _partnership_names(text: str) -> list[str]:
    """Each partnership or board named with its place, in order."""
    found = []
    for match in _PARTNERSHIP.finditer(text):
        place = match.group("place").split()
        while place and (place[0].lower() in _NOT_PLACE or not place[0][:1].isupper()):
            place = place[1:]
        # "... Practice Review Kingsmoor Safeguarding Children Partnership": the place starts after the
        # words naming a document or review (a title and a byline a reader joined on one line).
        cut = [i for i, word in enumerate(place) if word.strip(".:;,").lower() in _DOCUMENT_NOUNS]
        if cut:
            place = place[cut[-1] + 1 :]
        while place and place[-1].lower() in {"and", "&", "of", "the", "in", "on", "upon"}:
            place = place[:-1]
        kind = re.sub(r"\s+", " ", match.group("kind"))
        if kind.lower().startswith("local safeguarding") and not place:
            continue
        if not place:
            continue
        found.append(re.sub(r"\s+", " ", " ".join([*place, kind])))
    return found


def _partnership(texts: list[str], review_type: str) -> tuple[str, str]:
    """The partnership that published the document, and the passage that names it.

    A name in the title or the opening, after "published by", "commissioned by" or
    "on behalf of", or named often, counts most; for a Domestic Homicide Review, the
    Community Safety Partnership that commissions it."""
    scores: dict[str, float] = {}
    evidence: dict[str, str] = {}
    for index, text in enumerate(texts):
        for name in _partnership_names(text):
            score = 1.0
            if index < OPENING_BLOCKS:
                score += 2
            if re.search(rf"\b(?:by|behalf\s+of)\s+(?:the\s+)?{re.escape(name)}", text):
                score += 2
            if review_type == Review.ReviewType.DOMESTIC_HOMICIDE_REVIEW and "Community Safety" in name:
                score += 3
            key = name.lower()
            scores[key] = scores.get(key, 0) + score
            evidence.setdefault(key, (name, _evidence(text, name)))
    if not scores:
        return "", ""
    best = max(scores, key=lambda key: (scores[key], -list(scores).index(key)))
    return evidence[best]


def _evidence(text: str, name: str, width: int = 300) -> str:
    """The passage naming it: its sentence, or the words around it in a long one."""
    at = text.find(name)
    if len(text) <= width:
        return text.strip()
    start = max(text.rfind(". ", 0, at) + 2, at - width // 2, 0)
    end = text.find(". ", at + len(name))
    end = len(text) if end == -1 else end + 1
    return text[start : min(end, start + width)].strip()


# ---------------------------------------------------------------------------
# Case names
# ---------------------------------------------------------------------------

# "Child LB", "Baby F", "Adult A", "Young Person C", "Child 1": a label and an
# initial or number, in capitals as printed ("Child and family" is no name).
_LABELLED_NAME = re.compile(
    r"\b(?:Child|Baby|Infant|Adult|Young\s+Person|Sibling|Mr|Mrs|Ms)\s+(?:[A-Z]{1,3}\d?|\d{1,2}|One|Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten)\b"
)
# "the death of Martin", "known as Tom", "Safeguarding Adults Review: Martin", "“Jenny”".
_NAMED_IN_TITLE = re.compile(
    rf"(?:{_ANY_TYPE}|briefing|learning(?:\s+brief)?)\s*[:–—-]\s*[‘'\"“]?(?P<name>[A-Z][a-z]+(?:\s+and\s+[A-Z][a-z]+)?)[’'\"”]?\s*$"
    r"|^[‘'\"“](?P<quoted>[A-Z][a-z]+)[’'\"”]",
    re.I,
)
_NAMED_IN_TEXT = re.compile(
    r"\b(?:(?:deaths?|murder|homicide|killing|care)\s+of|known\s+(?:in\s+this\s+\w+\s+)?as|referred\s+to\s+"
    r"(?:in\s+this\s+\w+\s+)?as|called)\s+(?:Mr\.?\s+|Mrs\.?\s+|Ms\.?\s+|Miss\s+|baby\s+)?[‘'\"“]?"
    r"(?P<name>[A-Z][a-z]+)\b"
)
# "Baby Rowan", "Child Ellis" in a title: a label and a first name (in a title, where
# "Child Protection" and the like are told apart by this list).
_NAMED_CHILD_IN_TITLE = re.compile(r"\b(?:Child|Baby)\s+(?P<name>[A-Z][a-z]{2,})\b")
_NOT_A_NAME_AFTER_CHILD_WORDS = """
    Protection Safeguarding Death Deaths Sexual Exploitation Practice Mental Social Care Health Abuse Criminal
    Development Panel Trafficking Poverty Neglect Welfare Arrangements Friendly Centred Focused Focus Loss Voice
    Sleep Sleeping Safety Injury Injuries Bruising Services Minded Carers Looked Accidental Online Marriage
    Labour Abduction Missing Brain Birth Review Reviews Learning Briefing
"""
_NOT_A_NAME_AFTER_CHILD = frozenset(_NOT_A_NAME_AFTER_CHILD_WORDS.split())
_NOT_NAMES = {"The", "This", "A", "An", "Her", "His", "Their", "Child", "Baby", "Adult", "Mother", "Father"}


def _case_names(title: str, texts: list[str]) -> list[str]:
    names: list[str] = []

    def add(name: str) -> None:
        name = re.sub(r"\s+", " ", name).strip()
        if name and name not in _NOT_NAMES and name not in names:
            names.append(name)

    title_match = _NAMED_IN_TITLE.search(title)
    if title_match:
        for name in re.split(r"\s+and\s+", title_match.group("name") or title_match.group("quoted") or ""):
            add(name)
    for match in _NAMED_CHILD_IN_TITLE.finditer(title):
        if match.group("name") not in _NOT_A_NAME_AFTER_CHILD:
            add(match.group(0))
    for text in [title, *texts]:
        for match in _LABELLED_NAME.finditer(text):
            add(match.group(0))
        for match in _NAMED_IN_TEXT.finditer(text):
            add(match.group("name"))
    return names


# ---------------------------------------------------------------------------
# The whole document
# ---------------------------------------------------------------------------


def _block_texts(doc: Document) -> list[str]:
    texts = []
    for block in doc.blocks:
        if block.kind == TABLE:
            texts.append(" | ".join(" | ".join(row) for row in block.rows))
        else:
            texts.append(block.text)
    return texts


# ---------------------------------------------------------------------------
# Where the document says it is published
# ---------------------------------------------------------------------------

# Only an http(s) address written out in full: a bare "www.…" would need its scheme guessed.
_WEB_ADDRESS = r"(?P<address>https?://[^\s<>()\[\]\"'“”‘’]*[^\s<>()\[\]\"'“”‘’.,;:!?])"
# The document speaking of itself ("This briefing is available at …", "This 7 minute briefing can be
# downloaded from [our website](https://…)"): never "the full report is at …", which is another document.
_OWN_ADDRESS = re.compile(
    r"\bthis\s+(?:(?:\d+|seven)[\s-]*minute\s+)?(?:briefing|newsletter|document|leaflet|learning\s+summary)\b"
    r"[^.\n]{0,80}?\b(?:available|published|online|found|downloaded|read|viewed)\b[^.\n]{0,40}?"
    r"\b(?:at|on|from|via)\b:?\s*(?:\[[^\]\n]{0,80}\]\()?" + _WEB_ADDRESS,
    re.I,
)


def own_address_in(texts: list[str]) -> str:
    """The web address a document gives for itself, or "" (see ``_OWN_ADDRESS``)."""
    for text in texts:
        match = _OWN_ADDRESS.search(text)
        if match:
            return match.group("address")
    return ""


def read_metadata(doc: Document) -> Metadata:
    """What ``doc`` says about itself (see the module docstring)."""
    texts = _block_texts(doc)
    file_name = doc.file_name or ""
    title = clean_title(doc.title)
    printed = _printed_title(doc)
    if printed or not _is_meaningful_title(title, file_name):
        # What the document prints as its title wins over its file's properties, which publishing tools
        # often fill with a template's or a web page's name.
        title = printed or _title_from_blocks(doc)
    title_is_file_name = False
    if not title:
        title = PurePath(file_name).stem if file_name else ""
        title_is_file_name = bool(title)
    opening_blocks = texts[:OPENING_BLOCKS]
    headings = [block.text for block in doc.blocks[: OPENING_BLOCKS * 2] if block.kind == HEADING]
    labels = [clean_title(text) for text, set_apart, _ in _opening_lines(doc) if set_apart or _reads_as_title(text)]
    # A byline of fragments: "Anytown SCP. Local Child Safeguarding Practice Review. Date of publication: ..."
    labels += [
        fragment.strip()
        for text, _, _ in _opening_lines(doc)
        for fragment in re.split(r"[.·|•]\s+|\s+[–—-]\s+", text)
        if _TYPE_LABEL.fullmatch(fragment.strip().rstrip("."))
    ]
    review_type = _review_type(f"{title}\n{doc.title}", labels, [*headings[:2], *opening_blocks])
    source_kind = _source_kind(f"{title}\n{doc.title}", [*headings[:3], *opening_blocks[:3]])
    lines = [(index, line) for index, text in enumerate(texts) for line in text.splitlines() if line.strip()]
    date = _publication_date(lines, f"{doc.title}\n{title}")
    partnership_name, evidence = _partnership([doc.title, *texts], review_type)
    return Metadata(
        title=title[:300],
        review_title=(review_title_in(title) if not title_is_file_name else title)[:300],
        published_on=date.value if date else None,
        published_precision=date.precision if date else DatePrecision.UNKNOWN,
        review_type=review_type,
        source_kind=source_kind,
        partnership_name=partnership_name[:200],
        partnership_evidence=evidence,
        case_names=_case_names(title, texts),
        title_is_file_name=title_is_file_name,
        original_url=own_address_in(texts)[:500],
    )

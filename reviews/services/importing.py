"""Importing a briefing as a write: the parsed document (``reviews.importing``)
stored as a draft source and review for an editor to check, with the
document's sections and each entry in its section, in the document's order."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import PurePath

from django.db import transaction
from django.utils.text import slugify

from ..importing.decoding import TEXT_SUFFIXES, BriefingFileError, briefing_text_from_bytes, candidate_limit
from ..importing.document import Document
from ..importing.metadata import Metadata, read_metadata
from ..importing.pipeline import parse_file, read_file
from ..importing.structure import (
    ACTION,
    CASE_FACT,
    GOOD_PRACTICE,
    LEARNING,
    RECOMMENDATION,
    Candidate,
    ParsedBriefing,
)
from ..importing.themes import ThemeMatcher
from ..models import (
    Action,
    CaseFact,
    DatePrecision,
    LearningPoint,
    OldSlug,
    OriginalAddressOrigin,
    Partnership,
    PublicationStatus,
    Recommendation,
    Resource,
    Review,
    Section,
    Source,
    Theme,
)
from ..text import comparable_text
from .history import attribute_change

ENTRY_KINDS = (LEARNING, GOOD_PRACTICE, "question", RECOMMENDATION, ACTION, CASE_FACT)

RESOURCE_NOTES = {
    "contact": "Contact details exactly as the briefing prints them, imported automatically: check them "
    "against the briefing before relying on them.",
    "placeholder": "The briefing names this as a link but gives no address. Imported automatically; "
    "the kind of resource was guessed from its name.",
    "link": "Imported automatically from the link in the briefing; the kind of resource was guessed from its name.",
}


@dataclass
class BriefingImportResult:
    review: Review  # the first (or only) review
    source: Source
    parsed: ParsedBriefing
    counts: dict[str, int]  # entries made, by kind, over all the reviews
    themed: int  # entries given at least one suggested theme
    partnership_detected: bool = False  # an existing partnership found named in the briefing
    reviews: list[Review] = field(default_factory=list)  # one per child for a briefing about several
    metadata: Metadata | None = None
    partnership_created: bool = False  # made on request (``create_partnership``)

    @property
    def report(self) -> dict:
        return self.source.import_report

    @property
    def warnings(self) -> list:
        return self.source.import_report.get("warnings", [])

    @property
    def partnership_proposal(self) -> dict | None:
        return self.source.import_report.get("partnership_proposal")

    @property
    def proposed_themes(self) -> list[dict]:
        return self.source.import_report.get("proposed_themes", [])


def unique_slug(model, text: str, *, max_length: int = 100) -> str:
    """A slug from ``text`` that no ``model`` object uses, nor used before (an
    old slug still leads to the object that had it)."""
    base = slugify(text)[:max_length].strip("-") or model._meta.model_name
    slug, n = base, 2
    old_slugs = OldSlug.objects.for_model(model)
    while model._default_manager.filter(slug=slug).exists() or old_slugs.filter(slug=slug).exists():
        suffix = f"-{n}"
        slug = f"{base[: max_length - len(suffix)]}{suffix}"
        n += 1
    return slug


def partnership_named_in(text: str, *, headings: Iterable[str] = ()) -> Partnership | None:
    """The existing partnership the text names in full, if it names exactly one;
    when it names several, the one its headings name, if exactly one."""
    haystack = comparable_text(text)
    found = [p for p in Partnership.objects.all() if comparable_text(p.name) in haystack]
    if len(found) > 1:
        titles = comparable_text(" | ".join(headings))
        found = [p for p in found if comparable_text(p.name) in titles]
    return found[0] if len(found) == 1 else None


def theme_matcher() -> ThemeMatcher:
    """A matcher over every existing theme's name and aliases."""
    themes = Theme.objects.prefetch_related("aliases")
    return ThemeMatcher([(t.pk, t.name, [a.name for a in t.aliases.all()]) for t in themes])


QUESTION = "question"
TITLE_IS_FILE_NAME = (
    "The title is the file name: nothing in the document reads as its title. Give the review and its source "
    "their titles as the briefing prints them."
)
ORIGINAL_URL_GIVEN = (
    "The briefing gives its own web address, {address}: it is recorded as the published original, given in the "
    "briefing, for “Read the original briefing”. Check that it opens this document before publishing."
)
# The partnership's kinds, removed from its name to give the area it covers.
_PARTNERSHIP_KIND = re.compile(
    r"\s+(?:Local\s+)?(?:Safeguarding\s+(?:Children(?:['’]s)?|Adults?(?:['’])?|Children\s+and\s+Adults)\s+"
    r"(?:Partnership|Board)s?|Safeguarding\s+(?:Partnership|Board)|Community\s+Safety\s+Partnership)$",
    re.I,
)


def read_briefing_file(*, name: str, data: bytes) -> tuple[Document, ParsedBriefing, str]:
    """A file's document, what it yields (``importing.pipeline.parse_file``), and
    the text kept as the source's full text: a text file's own text; for other
    formats the document as Markdown. Raises ``BriefingFileError`` for a file
    that cannot be read."""
    parsed = parse_file(name, data)
    document = parsed.document if parsed.document is not None else read_file(name, data)
    if PurePath(name or "").suffix.lower() in TEXT_SUFFIXES:
        text = briefing_text_from_bytes(name=name, data=data)
    else:
        text = document.as_text()
    return document, parsed, text


def briefing_import(
    *,
    text: str,
    file_name: str,
    title: str = "",
    partnership: Partnership | None = None,
    create_partnership: str = "",
    user=None,
) -> BriefingImportResult:
    """``briefing_import_file`` for a briefing's text (as UTF-8) under a file name."""
    name = file_name if PurePath(file_name or "").suffix.lower() in TEXT_SUFFIXES else f"{file_name or 'briefing'}.txt"
    result = briefing_import_file(
        name=name,
        data=text.encode("utf-8"),
        title=title,
        partnership=partnership,
        create_partnership=create_partnership,
        user=user,
        file_name=file_name,
    )
    return result


@transaction.atomic
def briefing_import_file(
    *,
    name: str,
    data: bytes,
    title: str = "",
    partnership: Partnership | None = None,
    create_partnership: str = "",
    user=None,
    file_name: str | None = None,
) -> BriefingImportResult:
    """Create a DRAFT review from a briefing file (PDF, Word, web page, text
    or Markdown, as ``importing.decoding`` accepts), for an editor to check.

    The ``Source`` keeps the full text and lists the passages left out with
    the reason; the review gets the document's passages as candidate
    learning points, good practice, questions, recommendations, actions and
    case facts in the document's own words, each in its section, with
    themes suggested from the existing themes' names and aliases (case facts
    too). Title, date, review type and kind of document come from the
    document's own words (``read_metadata``). Nothing becomes public until
    an editor publishes the review.

    What the import cannot decide is kept in ``source.import_report`` for the
    import's check screen:

    - ``partnership_proposal``: {"name", "evidence"}, a partnership the
      briefing names that is not in the knowledge base (never created here
      unless ``create_partnership`` names it);
    - ``proposed_themes``: [{"name", "entries" ("<model label>:<pk>"),
      "candidates" (their indexes in the reading), "why"}], names for new
      themes where none fits;
    - ``suggested_themes``: {"<model label>:<pk>": [theme pks]}, the themes
      given as suggestions;
    - ``warnings``: [{"message", "candidate" (the entry it is about, if
      one), "code"}], what the reading found doubtful, and a title that is
      only the file name (code "title_is_file_name");
    - ``children``: [{"name", "review"}], the people the briefing is about
      and the review each is in; a briefing about several children gives one
      review per child, its sections marked with that review, and the
      entries about no one child in the first.

    Raises ``BriefingFileError`` (and creates nothing) for a file that
    cannot be read, that yields no entries or more than ``candidate_limit()``,
    or whose name is already used by a source.
    """
    file_name = name if file_name is None else file_name
    document, parsed, text = read_briefing_file(name=name, data=data)
    _check_importable(parsed, file_name=file_name)
    metadata = read_metadata(document)
    reason = f"Imported from {file_name}" if file_name else "Imported"

    report: dict = {}
    detected = created = False
    if partnership is None and create_partnership.strip():
        partnership, created = partnership_get_or_create(name=create_partnership, user=user, reason=reason)
    if partnership is None:
        partnership = partnership_named_in(text, headings=[metadata.title, *parsed.headings])
        detected = partnership is not None
    if partnership is None and metadata.partnership_name:
        report["partnership_proposal"] = {"name": metadata.partnership_name, "evidence": metadata.partnership_evidence}

    source_title = (metadata.title or getattr(parsed, "source_title", "") or PurePath(file_name).stem)[:300]
    review_title = (title or metadata.review_title or source_title)[:300]
    source = _create_source(
        parsed,
        metadata=metadata,
        text=text,
        file_name=file_name,
        title=source_title,
        partnership=partnership,
        user=user,
        reason=reason,
    )
    review_type = metadata.review_type
    if review_type == Review.ReviewType.OTHER:
        review_type = getattr(parsed, "review_type", Review.ReviewType.OTHER) or Review.ReviewType.OTHER
    children = _children_of(parsed)
    reviews = []
    for child in children or [""]:
        child_title = review_title
        if child and (child not in review_title or any(other in review_title for other in children if other != child)):
            child_title = f"{review_title}: {child}"[:300]
        review = Review(
            slug=unique_slug(Review, child_title),
            title=child_title,
            review_type=review_type,
            partnership=partnership,
            children=(child or ", ".join(metadata.case_names))[:200],
            status=PublicationStatus.DRAFT,
        )
        attribute_change(review, user=user, reason=reason).save()
        review.sources.add(source)
        reviews.append(review)

    resources = _create_resources(parsed, source=source, user=user, reason=reason)
    child_reviews = dict(zip(children, reviews, strict=True)) if children else {}
    sections = _create_sections(parsed, source=source, child_reviews=child_reviews, user=user, reason=reason)
    entries = _create_entries(
        parsed,
        reviews=reviews,
        child_reviews=child_reviews,
        source=source,
        sections=sections,
        resources=resources,
        user=user,
        reason=reason,
    )

    warnings = [_warning(warning, entries.keys) for warning in getattr(parsed, "warnings", [])]
    warnings += [{"message": note} for note in document.notes if {"message": note} not in warnings]
    if metadata.title_is_file_name and not title:
        warnings.append({"code": "title_is_file_name", "message": TITLE_IS_FILE_NAME})
    if metadata.original_url:
        warnings.append(
            {"code": "original_url_given", "message": ORIGINAL_URL_GIVEN.format(address=metadata.original_url)}
        )
    report["warnings"] = warnings + entries.warnings
    report["suggested_themes"] = entries.suggested
    report["proposed_themes"] = entries.proposed
    if children:
        report["children"] = [{"name": child, "review": review.pk} for child, review in child_reviews.items()]
    else:
        report["children"] = [{"name": name, "review": reviews[0].pk} for name in metadata.case_names]
    source.import_report = report
    # The report is the importer's note for the check screen, not an edit: no history entry of its own.
    Source.objects.filter(pk=source.pk).update(import_report=report)
    return BriefingImportResult(
        review=reviews[0],
        source=source,
        parsed=parsed,
        counts=entries.counts,
        themed=entries.themed,
        partnership_detected=detected,
        reviews=reviews,
        metadata=metadata,
        partnership_created=created,
    )


def _warning(warning, keys: dict[int, str]) -> dict:
    """A warning of the reading as the check screen reads it: {"message", "candidate"
    (the entry's "<model label>:<pk>", when it is about one)}."""
    if hasattr(warning, "__dataclass_fields__"):
        warning = asdict(warning)
    if not isinstance(warning, dict):
        return {"message": str(warning)}
    warning = dict(warning)
    if "message" not in warning:
        warning["message"] = str(warning.get("text") or warning.get("reason") or "")
    if isinstance(warning.get("candidate"), int):
        warning["candidate"] = keys.get(warning["candidate"], "")
    return warning


def _children_of(parsed: ParsedBriefing) -> list[str]:
    """The children a briefing about several is about, each named once, when
    there are at least two (one child is the review's own subject)."""
    names = []
    for child in getattr(parsed, "children", []) or []:
        name = child if isinstance(child, str) else getattr(child, "name", str(child))
        if name and name not in names:
            names.append(name)
    return names if len(names) >= 2 else []


def _child_of(candidate, children: list[str]) -> str:
    """The child a candidate or section is about, as named in ``children``, or ""."""
    child = getattr(candidate, "child", None)
    if child is None or child == "":
        return ""
    if isinstance(child, int):
        return children[child] if 0 <= child < len(children) else ""
    return child if child in children else ""


def partnership_get_or_create(*, name: str, user=None, reason: str = "") -> tuple[Partnership, bool]:
    """The partnership called ``name`` (whatever the capitals), made if there is
    none: its area is the name without its kind ("Anytown" for "Anytown
    Safeguarding Children Partnership"). Whether it was made."""
    name = " ".join(name.split())[:200]
    existing = Partnership.objects.filter(name__iexact=name).first()
    if existing is not None:
        return existing, False
    area = _PARTNERSHIP_KIND.sub("", name).strip() or name
    partnership = Partnership(name=name, area=area[:100], slug=unique_slug(Partnership, name))
    attribute_change(partnership, user=user, reason=f"Created on request: {reason}" if reason else "Created on request")
    partnership.save()
    return partnership, True


def _check_importable(parsed: ParsedBriefing, *, file_name: str) -> None:
    """Refuse a text with no entries or too many, and a file already imported."""
    if not parsed.candidates:
        raise BriefingFileError(
            f"No paragraphs or bullets that could be entries were found in “{file_name}”. "
            "Check it is the text of a briefing."
        )
    limit = candidate_limit()
    if len(parsed.candidates) > limit:
        raise BriefingFileError(
            f"“{file_name}” would give {len(parsed.candidates)} entries; one import can make at most {limit}, "
            "and a briefing usually gives 10 to 50. Check the file holds the text of one briefing, not a "
            "whole report or several briefings; a long document can be imported in parts."
        )
    if file_name and Source.objects.filter(file_name=file_name).exists():
        existing = Source.objects.get(file_name=file_name)
        raise BriefingFileError(
            f"A source from a file called “{file_name}” is already in the knowledge base (“{existing.title}”). "
            "If this is a different briefing, rename the file and upload it again."
        )


def _create_source(
    parsed: ParsedBriefing,
    *,
    metadata: Metadata,
    text: str,
    file_name: str,
    title: str,
    partnership: Partnership | None,
    user,
    reason: str,
) -> Source:
    """The draft source: the full text as given, the passages left out with the
    reason, and the date and kind the document gives itself."""
    published_on, precision = metadata.published_on, metadata.published_precision
    known = (DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR)
    if published_on is None and parsed.published_on is not None and parsed.published_precision in known:
        published_on, precision = parsed.published_on, parsed.published_precision
    kind = metadata.source_kind
    if kind == Source.Kind.OTHER:
        kind = getattr(parsed, "source_kind", Source.Kind.OTHER) or Source.Kind.OTHER
    source = Source(
        slug=unique_slug(Source, title),
        title=title,
        partnership=partnership,
        kind=kind,
        published_on=published_on,
        published_precision=precision,
        original_text=text,
        file_name=file_name[:255],
        excluded_passages=parsed.excluded,
        # Only an address the document gives for itself: the editor checks it before publishing.
        original_url=metadata.original_url,
        original_url_origin=OriginalAddressOrigin.GIVEN if metadata.original_url else "",
        status=PublicationStatus.DRAFT,
    )
    attribute_change(source, user=user, reason=reason).save()
    return source


def _create_resources(parsed: ParsedBriefing, *, source: Source, user, reason: str) -> dict[str, Resource]:
    """The resources the briefing names, by their key in ``parsed.resources``."""
    resources = {}
    for position, (key, candidate) in enumerate(parsed.resources.items(), start=1):
        note_kind = "contact" if candidate.kind == "contact" else ("link" if candidate.url else "placeholder")
        resource = Resource(
            source=source,
            name=candidate.name,
            kind=candidate.kind,
            url=candidate.url,
            details_as_stated=candidate.details_as_stated,
            note=RESOURCE_NOTES[note_kind],
            position=position,
        )
        attribute_change(resource, user=user, reason=reason).save()
        resources[key] = resource
    return resources


def _section_children(parsed: ParsedBriefing, children: list[str]) -> dict[int, str]:
    """The child each section is about: its own mark if the reading gave one,
    else the child of every candidate in it when they are all about the same
    one. A table's rows and cells go with their table."""
    about: dict[int, set[str]] = {}
    for candidate in parsed.candidates:
        if candidate.section is not None:
            about.setdefault(candidate.section, set()).add(_child_of(candidate, children))
    found: dict[int, str] = {}
    for index, section in enumerate(parsed.sections):
        if section.parent is not None:
            found[index] = found.get(section.parent, "")
            continue
        own = _child_of(section, children)
        inside = {index} | {i for i, other in enumerate(parsed.sections) if _within(parsed, i, index)}
        named = set().union(*(about.get(i, set()) for i in inside))
        found[index] = own or (next(iter(named)) if len(named) == 1 else "")
    return found


def _within(parsed: ParsedBriefing, index: int, ancestor: int) -> bool:
    parent = parsed.sections[index].parent
    while parent is not None:
        if parent == ancestor:
            return True
        parent = parsed.sections[parent].parent
    return False


def _create_sections(
    parsed: ParsedBriefing, *, source: Source, child_reviews: dict[str, Review], user, reason: str
) -> list[Section]:
    """The document's sections, in order (a table before its rows, a row before its cells),
    each with the role its heading's words suggest for the editor to check; in a briefing
    about several children, each child's sections marked with that child's review."""
    about = _section_children(parsed, list(child_reviews)) if child_reviews else {}
    sections: list[Section] = []
    for index, candidate in enumerate(parsed.sections):
        section = Section(
            source=source,
            review=child_reviews.get(about.get(index, "")),
            parent=sections[candidate.parent] if candidate.parent is not None else None,
            heading=candidate.heading,
            role=candidate.role,
            layout=candidate.layout,
            position=candidate.order * 10,
        )
        attribute_change(section, user=user, reason=reason).save()
        sections.append(section)
    return sections


@dataclass
class _Entries:
    counts: dict[str, int]
    themed: int
    suggested: dict[str, list[int]]  # "<model label>:<pk>" -> theme pks suggested
    proposed: list[dict]
    warnings: list[dict]
    keys: dict[int, str] = field(default_factory=dict)  # candidate index -> "<model label>:<pk>"


def _create_entries(
    parsed: ParsedBriefing,
    *,
    reviews: list[Review],
    child_reviews: dict[str, Review],
    source: Source,
    sections: list[Section],
    resources: dict[str, Resource],
    user,
    reason: str,
) -> _Entries:
    """One entry per candidate, in its section and its child's review (the first
    review when it is about no one child), linked to its resources and given
    suggested themes; then names proposed for new themes where none fitted."""
    matcher = theme_matcher()
    children = list(child_reviews)
    created: dict[int, object] = {}
    counts = dict.fromkeys(ENTRY_KINDS, 0)
    result = _Entries(counts=counts, themed=0, suggested={}, proposed=[], warnings=[])
    for index, candidate in enumerate(parsed.candidates):
        review = child_reviews.get(_child_of(candidate, children), reviews[0])
        if candidate.kind not in ENTRY_KINDS:
            unknown_kind = {
                "message": f"Read as “{candidate.kind}”, which is not a kind of entry: imported as learning. "
                "Check its kind.",
                "candidate_index": index,
            }
            result.warnings.append(unknown_kind)
        item = _entry(candidate, review=review, source=source, position=candidate.order * 10, created=created)
        item.section = sections[candidate.section] if candidate.section is not None else None
        attribute_change(item, user=user, reason=reason).save()
        created[index] = item
        result.keys[index] = item_key(item)
        counts[candidate.kind if candidate.kind in ENTRY_KINDS else LEARNING] += 1
        suggested = _link_resources_and_themes(item, candidate, resources=resources, matcher=matcher, user=user)
        if suggested:
            result.themed += 1
            result.suggested[item_key(item)] = suggested
    for warning in result.warnings:
        warning["candidate"] = result.keys[warning.pop("candidate_index")]
    for proposal in matcher.propose([candidate.text for candidate in parsed.candidates]):
        # The check screen names entries as it names them everywhere; the reading's indexes are kept too.
        proposal["candidates"] = proposal["entries"]
        proposal["entries"] = [result.keys[index] for index in proposal["candidates"]]
        result.proposed.append(proposal)
    return result


def item_key(item) -> str:
    """How the import report names an entry: "<model label>:<pk>" ("reviews.learningpoint:12")."""
    return f"{item._meta.label_lower}:{item.pk}"


def _entry(candidate: Candidate, *, review: Review, source: Source, position: int, created: dict[int, object]):
    """The unsaved entry for a candidate; an action answers the recommendation created for the
    one it responds to, when that is in the same review."""
    common = {"review": review, "source": source, "text": candidate.text}
    if candidate.kind == RECOMMENDATION:
        return Recommendation(number=candidate.number, addressed_to=candidate.addressed_to, position=position, **common)
    if candidate.kind == ACTION:
        answers = created.get(candidate.responds_to) if candidate.responds_to is not None else None
        if answers is not None and answers.review_id != review.pk:
            answers = None
        return Action(recommendation=answers, owner=candidate.owner, position=position, **common)
    if candidate.kind == CASE_FACT:
        return CaseFact(position=position, **common)
    kind = {
        GOOD_PRACTICE: LearningPoint.Kind.GOOD_PRACTICE,
        QUESTION: LearningPoint.Kind.QUESTION,
    }.get(candidate.kind, LearningPoint.Kind.LEARNING)
    return LearningPoint(kind=kind, position=position, **common)


def _link_resources_and_themes(
    item, candidate: Candidate, *, resources: dict[str, Resource], matcher: ThemeMatcher, user
) -> list[int]:
    """Link the saved entry to the resources it names and give it suggested
    themes (case facts too); the themes suggested."""
    linked = False
    if candidate.resources and hasattr(item, "resources"):
        # Recorded with the themes below, or on its own: one entry, not one per step.
        item.skip_history_when_saving = True
        item.resources.set([resources[key] for key in candidate.resources if key in resources])
        del item.skip_history_when_saving
        linked = True
    suggested = matcher.suggest(text=candidate.text, heading=candidate.heading) if hasattr(item, "themes") else []
    if suggested:
        # Its own history entry, so editors can see the themes were a suggestion.
        attribute_change(item, user=user, reason="Themes suggested automatically on import")
        item.themes.set(suggested)
        return suggested
    if linked:
        attribute_change(item, user=user, reason="Resources named in the briefing linked on import")
        item.save()
    return []

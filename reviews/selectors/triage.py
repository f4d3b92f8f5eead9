"""The triage screen's reads: an imported draft's sections in the briefing's order, each candidate entry
under its heading with its warnings, suggested themes and where it can be split, the passages left out and
what the import proposes (``reviews/admin/triage.py`` renders them).

A fixed number of queries whatever the number of entries: the sections, each entry model's rows (with their
themes), the resources given as passages, and the suggested themes by primary key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import PurePath

from django.db.models import Prefetch, Q

from ..models import Action, CaseFact, LearningPoint, Recommendation, Resource, Review, Section, Theme
from ..services.kinds import KIND_LABELS, KINDS, entry_key, entry_kind, entry_text, split_points, triage_state
from ..text import without_markup

# Entry models in the order an entry of each is shown when two share a place in the briefing.
ENTRY_MODELS = (CaseFact, LearningPoint, Recommendation, Action)
_RECOMMENDATIONS_HEADING = re.compile(r"\brecommend", re.I)
_SENTENCE_INSIDE = re.compile(r"[.!?]\s+[A-Z]")

WARNING_TEXTS = {
    "looks_like_heading": "This looks like a heading, not an entry: a few words without a full stop. "
    "Put the entries after it under a heading, or leave it out.",
    "lower_case_start": "This starts in lower case: it may be the end of a sentence cut off from its start "
    "(a subject lost). Check it against the briefing; merge it with the entry before, or leave it out.",
}


@dataclass
class SuggestedTheme:
    theme: Theme
    state: str  # "pending", "accepted" or "rejected"


@dataclass
class SplitPoint:
    at: int
    words: str  # the first words of the second part, to name the button


@dataclass
class Candidate:
    entry: object
    key: str
    kind: str
    kind_label: str
    text: str
    anchor: str
    warnings: list[str] = field(default_factory=list)
    themes: list[SuggestedTheme] = field(default_factory=list)
    split_points: list[SplitPoint] = field(default_factory=list)
    can_merge_with_next: bool = False
    next_key: str = ""
    other_kinds: list = field(default_factory=list)

    @property
    def has_themes(self) -> bool:
        return hasattr(self.entry, "themes")

    @property
    def first_words(self) -> str:
        words = self.text.split()
        return " ".join(words[:8]) + (" …" if len(words) > 8 else "")


@dataclass
class SectionGroup:
    section: Section | None
    depth: int
    anchor: str
    candidates: list[Candidate] = field(default_factory=list)

    @property
    def heading(self) -> str:
        if self.section is None:
            return "Before the first heading"
        return self.section.heading or "(a section with no heading)"


@dataclass
class TriageScreen:
    review: Review
    source: object
    groups: list[SectionGroup]
    review_warnings: list[str]
    passages_left_out: list[dict]
    partnership_proposal: dict | None
    proposed_themes: list[dict]
    headings: list[tuple[int, str]]

    @property
    def candidates(self) -> list[Candidate]:
        return [candidate for group in self.groups for candidate in group.candidates]

    @property
    def with_warnings(self) -> list[Candidate]:
        return [candidate for candidate in self.candidates if candidate.warnings]

    @property
    def pending_themes(self) -> int:
        return sum(1 for c in self.candidates for t in c.themes if t.state == "pending")


def _as_dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _as_list(value) -> list:
    return value if isinstance(value, list) else []


def looks_like_heading(text: str) -> bool:
    """A few words with no full stop and no sentence inside: what a heading read as an entry looks like."""
    plain = re.sub(r"^\(?\d{1,2}[.)]\s+", "", without_markup(text).strip())
    words = plain.split()
    if not words or len(words) > 10 or _SENTENCE_INSIDE.search(plain):
        return False
    return not plain.endswith((".", "!", ";", ",", ")", "”", '"'))


def starts_in_lower_case(text: str) -> bool:
    first = re.search(r"[^\W\d_]", without_markup(text))
    return bool(first) and first.group(0).islower() and first.start() < 4


def title_is_file_name(title: str, file_name: str) -> bool:
    if not file_name:
        return False

    def plain(text: str) -> str:
        return re.sub(r"[\W_]+", " ", text).strip().casefold()

    stem = PurePath(file_name).stem
    return plain(title) in {plain(stem), plain(file_name)}


def _entries(review: Review) -> list:
    """Every entry of the review, each model in one query with its themes, and the resources its sources give
    as passages of their own."""
    entries = []
    for model in ENTRY_MODELS:
        entries.extend(model.objects.filter(review=review).prefetch_related(Prefetch("themes")))
    entries.extend(
        Resource.objects.filter(source__reviews=review)
        .filter(Q(section__isnull=False) | ~Q(passage=""))
        .select_related("source")
    )
    return entries


def _split_points(text: str) -> list[SplitPoint]:
    points = []
    for at in split_points(text)[:6]:
        words = text[at:].split()
        points.append(SplitPoint(at=at, words=" ".join(words[:5]) + (" …" if len(words) > 5 else "")))
    return points


def triage_screen(review: Review) -> TriageScreen:
    """What the triage screen shows for ``review`` (an imported draft, or any review)."""
    sources = list(review.sources.all())
    source = sources[0] if sources else None
    report = _as_dict(source.import_report) if source else {}
    state = triage_state(source) if source else {}
    sections = list(Section.objects.filter(source__in=sources).select_related("parent"))
    entries = _entries(review)

    suggested = _as_dict(report.get("suggested_themes"))
    decisions = _as_dict(state.get("themes"))
    wanted_theme_pks = {pk for value in suggested.values() for pk in _as_list(value) if isinstance(pk, int)}
    known = {theme.pk: theme for entry in entries if hasattr(entry, "themes") for theme in entry.themes.all()}
    missing = wanted_theme_pks - set(known)
    if missing:
        known.update({theme.pk: theme for theme in Theme.objects.filter(pk__in=missing)})

    report_warnings: dict[str, list[str]] = {}
    review_warnings: list[str] = []
    keys = {entry_key(entry) for entry in entries}
    for warning in _as_list(report.get("warnings")):
        if not isinstance(warning, dict) or not warning.get("message"):
            continue
        if warning.get("code") == "title_is_file_name":
            continue  # checked below against the titles as they are now, so it goes once a title is given
        candidate = warning.get("candidate")
        if isinstance(candidate, str) and candidate in keys:
            report_warnings.setdefault(candidate, []).append(str(warning["message"]))
        else:
            review_warnings.append(str(warning["message"]))

    candidates = []
    for entry in entries:
        key = entry_key(entry)
        kind = entry_kind(entry)
        text = entry_text(entry)
        warnings = list(report_warnings.get(key, []))
        if kind != "resource":
            if looks_like_heading(text) and kind != "question":
                warnings.append(WARNING_TEXTS["looks_like_heading"])
            if starts_in_lower_case(text):
                warnings.append(WARNING_TEXTS["lower_case_start"])
        themes = []
        if hasattr(entry, "themes"):
            decided = _as_dict(decisions.get(key))
            accepted = set(_as_list(decided.get("accepted")))
            rejected = set(_as_list(decided.get("rejected")))
            on_entry = [theme.pk for theme in entry.themes.all()]
            for pk in dict.fromkeys([*on_entry, *_as_list(suggested.get(key))]):
                if pk not in known:
                    continue
                status = "accepted" if pk in accepted else "rejected" if pk in rejected else "pending"
                if status == "rejected" and pk in on_entry:
                    status = "pending"  # given again since it was rejected: ask again
                if status == "accepted" and pk not in on_entry:
                    status = "pending"
                if status != "rejected":
                    themes.append(SuggestedTheme(known[pk], status))
        candidates.append(
            Candidate(
                entry=entry,
                key=key,
                kind=kind,
                kind_label=KIND_LABELS[kind],
                text=text,
                anchor=f"c-{entry._meta.model_name}-{entry.pk}",
                warnings=warnings,
                themes=themes,
                split_points=_split_points(text) if kind != "resource" else [],
                other_kinds=[k for k in KINDS if k.key != kind],
            )
        )

    groups = _group(sections, candidates)
    for group in groups:
        entries_only = [c for c in group.candidates if c.kind != "resource"]
        for current, following in pairwise(entries_only):
            if type(current.entry) is type(following.entry) and current.kind == following.kind:
                current.can_merge_with_next, current.next_key = True, following.key

    if source is not None:
        if any(
            s.role == Section.Role.RECOMMENDATIONS or _RECOMMENDATIONS_HEADING.search(s.heading) for s in sections
        ) and not any(isinstance(e, Recommendation) for e in entries):
            review_warnings.append(
                "The briefing has a recommendations heading, but no recommendations were found: check the entries "
                "under it and record them as recommendations."
            )
        if title_is_file_name(review.title, source.file_name) or title_is_file_name(source.title, source.file_name):
            review_warnings.append(
                f"The title is the file's name (“{source.file_name}”), not the briefing's: give the review and "
                "its source the title the briefing prints."
            )

    passages = [
        {"index": index, "text": str(p.get("text", "")), "reason": str(p.get("reason", ""))}
        for index, p in enumerate(_as_list(source.excluded_passages) if source else [])
        if isinstance(p, dict)
    ]
    proposal = _as_dict(report.get("partnership_proposal"))
    partnership_proposal = (
        proposal
        if proposal.get("name") and not state.get("partnership_created") and not state.get("partnership_dismissed")
        else None
    )
    done = {str(name).casefold() for name in [*state.get("dismissed_themes", []), *state.get("created_themes", [])]}
    proposed_themes = [
        {**p, "index": index, "entry_choices": _entry_choices(p.get("entries"), candidates)}
        for index, p in enumerate(_as_list(report.get("proposed_themes")))
        if isinstance(p, dict) and p.get("name") and str(p["name"]).casefold() not in done
    ]
    headings = [(s.pk, " › ".join(s.heading_path) or "(no heading)") for s in sections]
    return TriageScreen(
        review=review,
        source=source,
        groups=groups,
        review_warnings=review_warnings,
        passages_left_out=passages,
        partnership_proposal=partnership_proposal,
        proposed_themes=proposed_themes,
        headings=headings,
    )


def _entry_choices(keys, candidates: list[Candidate]) -> list[dict]:
    """The entries a proposal names ("reviews.learningpoint:12"), as {"key", "text"} for the screen."""
    by_key = {c.key: c for c in candidates}
    return [
        {"key": key, "text": by_key[key].first_words}
        for key in _as_list(keys)
        if isinstance(key, str) and key in by_key
    ]


def _group(sections: list[Section], candidates: list[Candidate]) -> list[SectionGroup]:
    """The sections in the briefing's order (a table's rows and cells after it), each with its candidates in
    order; candidates with no section first."""
    model_order = {model: index for index, model in enumerate((*ENTRY_MODELS, Resource))}
    by_section: dict[int | None, list[Candidate]] = {}
    for candidate in sorted(candidates, key=lambda c: (c.entry.position, model_order[type(c.entry)], c.entry.pk)):
        by_section.setdefault(candidate.entry.section_id, []).append(candidate)
    groups = []
    if by_section.get(None):
        groups.append(SectionGroup(section=None, depth=0, anchor="sec-none", candidates=by_section[None]))
    for section in sorted(sections, key=lambda s: (s.source_id, s.position, s.pk)):
        depth = {Section.Layout.ROW: 1, Section.Layout.CELL: 2}.get(section.layout, 0)
        groups.append(
            SectionGroup(
                section=section, depth=depth, anchor=f"s-{section.pk}", candidates=by_section.get(section.pk, [])
            )
        )
    return groups

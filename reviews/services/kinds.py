"""Re-recording an imported entry without retyping it: changing its kind,
splitting it, merging two, putting a run under another heading, and deciding
on the themes the import suggested.

Every write keeps the briefing's words exactly, runs in one transaction and
tells the edit history who did it and why (``history.attribute_change``). The
triage screen's corrections of a draft import (``reviews/admin/triage.py``)
refuse a published review; ``entry_kind_change`` is the one change also made
to a published review's entries, from each entry's admin page
(``reviews/admin/kinds.py``), with a reason. An entry recorded again under
another kind is a new row of another model; its old permanent link
(``/lp/<pk>/``) leads to the new one through a ``MovedEntry``, which also links
the new entry's history to the old one's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F

from .. import caching
from ..models import (
    Action,
    CaseFact,
    CoursePackItem,
    LearningPoint,
    LearningUse,
    MovedEntry,
    PublicationStatus,
    Recommendation,
    Resource,
    Review,
    Section,
    Source,
    Theme,
)
from .guides import guide_citations_move
from .history import attribute_change


class TriageError(ValueError):
    """A correction that cannot be made; the message says why, for the editor."""


@dataclass(frozen=True)
class EntryKind:
    key: str
    label: str


# Every kind an imported passage can be recorded as, in the order the triage screen offers them.
KINDS = (
    EntryKind("learning", "Learning"),
    EntryKind("good_practice", "Good practice"),
    EntryKind("key_fact", "Key fact"),
    EntryKind("question", "Question"),
    EntryKind("case_fact", "Case fact"),
    EntryKind("recommendation", "Recommendation"),
    EntryKind("action", "Action"),
    EntryKind("resource", "Resource"),
    EntryKind("left_out", "Left out"),
)
KIND_LABELS = {kind.key: kind.label for kind in KINDS}
LEARNING_KINDS = {
    "learning": LearningPoint.Kind.LEARNING,
    "good_practice": LearningPoint.Kind.GOOD_PRACTICE,
    "key_fact": LearningPoint.Kind.KEY_FACT,
    "question": LearningPoint.Kind.QUESTION,
}
# The models an entry can be, for looking one up by "<app_label.model>:<pk>".
ENTRY_MODELS = (LearningPoint, CaseFact, Recommendation, Action, Resource)
# What each model was, as a move records it: the old permanent link (learning points, recommendations,
# actions) and the old entry's history (every kind) lead to what it became.
MOVED_KINDS = {
    LearningPoint: MovedEntry.Kind.LEARNING_POINT,
    CaseFact: MovedEntry.Kind.CASE_FACT,
    Recommendation: MovedEntry.Kind.RECOMMENDATION,
    Action: MovedEntry.Kind.ACTION,
    Resource: MovedEntry.Kind.RESOURCE,
}
MOVED_MODELS = {kind: model for model, kind in MOVED_KINDS.items()}
# The kinds a published review's entry can be given (leaving a passage out is a triage decision).
PUBLISHED_KINDS = tuple(kind for kind in KINDS if kind.key != "left_out")
# The kind of course-pack step that shows each model.
STEP_KINDS = {
    LearningPoint: CoursePackItem.Kind.LEARNING_POINT,
    Recommendation: CoursePackItem.Kind.RECOMMENDATION,
    Action: CoursePackItem.Kind.ACTION,
}
NO_SEPARATOR_FOUND = "\n\n"


def entry_kind(entry) -> str:
    """The triage kind of an entry ("learning", "case_fact", "resource"...)."""
    if isinstance(entry, LearningPoint):
        return {value: key for key, value in LEARNING_KINDS.items()}[entry.kind]
    return {CaseFact: "case_fact", Recommendation: "recommendation", Action: "action", Resource: "resource"}[
        type(entry)
    ]


def entry_text(entry) -> str:
    """The briefing's words an entry holds (a resource's passage, else its name)."""
    if isinstance(entry, Resource):
        return entry.passage or entry.name
    return entry.text


def entry_key(entry) -> str:
    """How the import report names an entry: "reviews.learningpoint:12"."""
    return f"{entry._meta.label_lower}:{entry.pk}"


def entry_from_key(key: str):
    """The entry an import-report key names, or None."""
    label, _, pk = str(key).partition(":")
    for model in ENTRY_MODELS:
        if model._meta.label_lower == label and pk.isdigit() and len(pk) <= 18:
            return model.objects.filter(pk=int(pk)).first()
    return None


def entry_review(entry) -> Review | None:
    if isinstance(entry, Resource):
        return entry.source.reviews.order_by("pk").first()
    return entry.review if entry.review_id else None


def _check_draft(entry) -> None:
    if isinstance(entry, Resource):
        published = entry.source.reviews.filter(status=PublicationStatus.PUBLISHED).exists()
    else:
        published = entry.review_id is not None and entry.review.status == PublicationStatus.PUBLISHED
    if published:
        raise TriageError(
            "This review is published, so its entries are not changed here. Take it back to draft "
            "(“Save and unpublish” on the review's page) to correct the import."
        )


def _describe(entry) -> str:
    return f"{KIND_LABELS[entry_kind(entry)].lower()} {entry.ref}"


def _person(user) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return "an editor"
    return user.get_full_name() or user.get_username()


def _reason(main: str, extra: str = "") -> str:
    """A history reason: ``main``, and the editor's own words where they fit in the 100 characters."""
    extra = (extra or "").strip()
    if extra and len(main) + len(extra) + 2 <= 100:
        return f"{main}: {extra}"
    return main


# ---------------------------------------------------------------------------
# The import report's record of decisions
# ---------------------------------------------------------------------------


def triage_state(source: Source) -> dict:
    """What the triage screen has decided for a source, kept in its import report under "triage"."""
    report = source.import_report if isinstance(source.import_report, dict) else {}
    state = report.get("triage")
    return state if isinstance(state, dict) else {}


def _save_triage_state(source: Source, state: dict, *, user, reason: str) -> None:
    report = dict(source.import_report) if isinstance(source.import_report, dict) else {}
    report["triage"] = state
    source.import_report = report
    attribute_change(source, user=user, reason=reason).save()


def _rekey_report(source: Source, old_key: str, new_key: str | None, *, user) -> None:
    """Carry what the import report says of an entry (suggested themes, decisions, warnings) to what it became."""
    report = dict(source.import_report) if isinstance(source.import_report, dict) else {}
    changed = False
    suggested = report.get("suggested_themes")
    if isinstance(suggested, dict) and old_key in suggested:
        suggested = dict(suggested)
        value = suggested.pop(old_key)
        if new_key:
            suggested[new_key] = value
        report["suggested_themes"] = suggested
        changed = True
    state = report.get("triage")
    if isinstance(state, dict) and old_key in state.get("themes", {}):
        state = {**state, "themes": dict(state["themes"])}
        value = state["themes"].pop(old_key)
        if new_key:
            state["themes"][new_key] = value
        report["triage"] = state
        changed = True
    warnings = report.get("warnings")
    if isinstance(warnings, list) and any(isinstance(w, dict) and w.get("candidate") == old_key for w in warnings):
        report["warnings"] = [
            {**w, "candidate": new_key} if isinstance(w, dict) and w.get("candidate") == old_key else w
            for w in warnings
            if new_key or not (isinstance(w, dict) and w.get("candidate") == old_key)
        ]
        changed = True
    if changed:
        source.import_report = report
        attribute_change(source, user=user, reason="Triage: an entry recorded under another kind").save()


# ---------------------------------------------------------------------------
# Changing kind
# ---------------------------------------------------------------------------


def _new_entry(new_kind: str, old, *, text: str):
    """The unsaved entry of ``new_kind`` holding ``old``'s words, section and place."""
    common = {"source_id": old.source_id, "section_id": old.section_id, "position": old.position}
    review = entry_review(old)
    if new_kind in LEARNING_KINDS:
        return LearningPoint(kind=LEARNING_KINDS[new_kind], review=review, text=text, **common)
    if review is None:
        raise TriageError(
            "This entry belongs to no review, so it can only be learning, good practice, a key fact, a question "
            "or a resource."
        )
    if new_kind == "case_fact":
        return CaseFact(review=review, text=text, **common)
    if new_kind == "recommendation":
        return Recommendation(review=review, text=text, **common)
    if new_kind == "action":
        return Action(review=review, text=text, **common)
    if new_kind == "resource":
        name = text if len(text) <= 300 else text[:299].rsplit(" ", 1)[0] + "…"
        return Resource(
            name=name,
            passage=text if name != text else "",
            note="Recorded as a resource on the triage screen: the kind of resource is the knowledge base's guess; "
            "check it.",
            **common,
        )
    raise TriageError(f"“{new_kind}” is not a kind an entry can have.")


def _refuse_if_held(entry, new=None) -> None:
    """Refuse to remove an entry that other records depend on (status reports, a supersession, a repeat, a
    course-pack step that could not show what it becomes)."""
    if isinstance(entry, Action) and entry.updates.exists():
        raise TriageError("This action has status reports since the briefing; it cannot be recorded as another kind.")
    if isinstance(entry, Action | Recommendation) and entry.supersedes_actions.exists():
        raise TriageError(
            "An action is judged superseded by this entry; change that judgement before recording it as another kind."
        )
    if isinstance(entry, LearningPoint) and (entry.repeats_id or entry.repeated_in.exists()):
        raise TriageError(
            "This learning point is recorded as a repeat of another (or another repeats it); take that link off "
            "before recording it as another kind."
        )
    if isinstance(entry, Recommendation) and (entry.earlier_links.exists() or entry.later_links.exists()):
        raise TriageError(
            "This recommendation is linked to others as repeating or replacing them (or they it); take those "
            "links off before recording it as another kind."
        )
    if new is not None and not isinstance(new, LearningPoint) and uses_of(entry).exists() and not entry.review_id:
        raise TriageError(
            "Uses of learning are recorded against this learning point, which belongs to no review to keep them "
            "against: it can only become another kind of learning point."
        )
    if new is not None and type(new) not in STEP_KINDS:
        packs = sorted({step.pack.title for step in steps_showing(entry).select_related("pack")})
        if packs:
            raise TriageError(
                f"A course pack shows this entry as a step ({', '.join(packs)}), and a "
                f"{KIND_LABELS[entry_kind(new)].lower()} cannot be a step: take the step out of the pack first."
            )


def steps_showing(entry):
    """The course-pack steps that show ``entry``."""
    field = {LearningPoint: "learning_point", Recommendation: "recommendation", Action: "action"}.get(type(entry))
    return CoursePackItem.objects.filter(**{field: entry}) if field else CoursePackItem.objects.none()


def uses_of(entry):
    """The uses of learning recorded against ``entry`` (a learning point's only)."""
    return (
        LearningUse.objects.filter(learning_point=entry)
        if isinstance(entry, LearningPoint)
        else LearningUse.objects.none()
    )


def _carry_over(old, new, *, user, recorded: str) -> None:
    """What ``old``'s records say of it, said of ``new`` (saved): course-pack steps show it, uses of learning
    recorded against a learning point that is no longer one are kept against its review."""
    for step in steps_showing(old):
        step.kind = STEP_KINDS[type(new)]
        for field in ("learning_point", "recommendation", "action"):
            setattr(step, field, None)
        setattr(step, step.kind, new)
        step.save()
    if isinstance(new, LearningPoint):
        uses = LearningUse.objects.filter(learning_point=old) if isinstance(old, LearningPoint) else []
        for use in uses:
            use.learning_point = new
            attribute_change(use, user=user, reason=recorded[:100]).save()
        return
    for use in uses_of(old):
        use.learning_point, use.review_id = None, old.review_id
        attribute_change(use, user=user, reason=f"Kept against its review: {recorded}"[:100]).save()


def _remove(entry, *, user, reason: str, becomes=None) -> None:
    """Delete ``entry`` with ``reason`` in its history; its permanent link leads to ``becomes`` when given."""
    old_kind = MOVED_KINDS.get(type(entry))
    if becomes is not None:
        content_type = ContentType.objects.get_for_model(type(becomes))
        # Links that led to this entry lead on to what it became.
        MovedEntry.objects.pointing_at(entry).update(content_type=content_type, object_id=becomes.pk)
        guide_citations_move(old=entry, new=becomes)
        if old_kind is not None:
            MovedEntry.objects.create(
                old_kind=old_kind, old_ref=entry.ref, old_pk=entry.pk, content_type=content_type, object_id=becomes.pk
            )
    if isinstance(entry, Recommendation):
        for action in entry.actions.all():
            action.recommendation = None
            attribute_change(action, user=user, reason=_reason(f"No longer answers {entry.ref}", "recorded anew"))
            action.save()
    attribute_change(entry, user=user, reason=reason[:100])
    entry.delete()


@transaction.atomic
def change_kind(entry, new_kind: str, *, user, reason: str = ""):
    """Record ``entry`` as ``new_kind`` (a key of ``KINDS``); returns the entry it now is (None when left out).

    Its words, section, place, review, source, themes and resources (where the
    new kind has them) are kept. Between the kinds of learning point only the
    kind changes; otherwise a new entry is made and the old one deleted, both
    histories saying why, and the old permanent link leads to the new entry.
    "left_out" deletes it and lists its words among the source's passages left
    out, with the editor's reason.
    """
    if new_kind not in KIND_LABELS:
        raise TriageError(f"“{new_kind}” is not a kind an entry can have.")
    _check_draft(entry)
    old_kind = entry_kind(entry)
    if new_kind == old_kind:
        raise TriageError(f"This entry is already recorded as {KIND_LABELS[new_kind].lower()}.")
    text = entry_text(entry)
    source = entry.source
    old_key = entry_key(entry)
    recorded = f"Recorded as {KIND_LABELS[new_kind].lower()} (was {_describe(entry)})"

    if new_kind == "left_out":
        _refuse_if_held(entry)
        note = f"Left out by {_person(user)} on triage: {reason.strip() or 'no reason given'}"
        _remove(entry, user=user, reason=_reason(f"Left out on triage (was {_describe(entry)})", reason))
        source.refresh_from_db()
        source.excluded_passages = [*(source.excluded_passages or []), {"text": text, "reason": note}]
        attribute_change(source, user=user, reason="A passage left out on triage").save()
        _rekey_report(source, old_key, None, user=user)
        caching.content_changed()
        return None

    if isinstance(entry, LearningPoint) and new_kind in LEARNING_KINDS:
        entry.kind = LEARNING_KINDS[new_kind]
        attribute_change(entry, user=user, reason=_reason(recorded, reason)).save()
        return entry

    new = _record_as_new(entry, new_kind, user=user, reason=_reason(recorded, reason), text=text)
    _rekey_report(source, old_key, entry_key(new), user=user)
    caching.content_changed()
    return new


def _record_as_new(entry, new_kind: str, *, user, reason: str, text: str, recommendation=None):
    """``entry`` recorded again as a new entry of ``new_kind``, with what the new kind can hold of it; ``entry``
    deleted, its permanent link and history leading to the new one. ``reason`` goes into both histories."""
    new = _new_entry(new_kind, entry, text=text)
    _refuse_if_held(entry, new)
    new.kind_note = getattr(entry, "kind_note", "")
    if hasattr(new, "former_anchors"):
        # Old links to its place on a page (#lp-…) still land on it.
        anchors = [*getattr(entry, "former_anchors", "").split(), entry.anchor]
        new.former_anchors = " ".join(dict.fromkeys(a for a in anchors if a != new.anchor))[:500]
    if hasattr(new, "wording_edited"):
        # Its words were edited as the old entry: they stay marked (reviews/wording.py).
        new.wording_edited = getattr(entry, "wording_edited", False)
    # Who it is for, or who is doing it: the briefing's words, kept between a recommendation and an action.
    who = getattr(entry, "addressed_to", None) or getattr(entry, "owner", None) or ""
    if isinstance(new, Recommendation):
        new.addressed_to = who
    if isinstance(new, Action):
        new.owner = who
        new.recommendation = recommendation
    attribute_change(new, user=user, reason=reason).save()
    carried = {
        relation: list(getattr(entry, relation).all())
        for relation in ("themes", "resources", "agencies")
        if hasattr(entry, relation) and hasattr(new, relation)
    }
    carried = {relation: rows for relation, rows in carried.items() if rows}
    if carried:
        # One history row for what it carried over, as the kind change's own.
        attribute_change(new, user=user, reason=_reason(reason, f"its {' and '.join(carried)} kept"))
        for relation, rows in carried.items():
            getattr(new, relation).set(rows)
    _carry_over(entry, new, user=user, recorded=reason)
    _remove(entry, user=user, reason=reason, becomes=new)
    return new


def _short_reason(main: str, extra: str) -> str:
    """``main: extra`` in the 100 characters a history reason holds, the editor's words shortened if need be."""
    text = f"{main}: {extra.strip()}" if extra.strip() else main
    return text if len(text) <= 100 else text[:99].rstrip() + "…"


@transaction.atomic
def entry_kind_change(entry, new_kind: str, *, user, reason: str, recommendation: Recommendation | None = None):
    """Record ``entry`` (of a draft or a published review) as ``new_kind`` without retyping it; returns what it
    now is. ``reason`` (required) is the editor's, kept in the history.

    Kept: its words, source, section and place, review, themes, resources and agencies (where the new kind
    has them), its note on its kind, who it is for or by, the course-pack steps that show it and the uses of
    learning recorded against it (against its review when it is no longer a learning point). An action can
    be given the ``recommendation`` of its review it answers. Between the kinds of learning point only the
    kind changes; otherwise the old entry is deleted and its permanent link answers 301 to the new one
    (``MovedEntry``), whose history links to the old entry's. The search index, the kept figures and the
    page cache follow through their signals, on commit.
    """
    if new_kind not in {kind.key for kind in PUBLISHED_KINDS}:
        raise TriageError(f"“{new_kind}” is not a kind an entry can be given here.")
    if not reason.strip():
        raise TriageError("Say why its kind changes: the reason is kept in its history.")
    model = type(entry)
    entry = model.objects.select_for_update().get(pk=entry.pk)
    old_kind = entry_kind(entry)
    if new_kind == old_kind:
        raise TriageError(f"This entry is already recorded as {KIND_LABELS[new_kind].lower()}.")
    review = entry_review(entry)
    if recommendation is not None and (new_kind != "action" or review is None or recommendation.review_id != review.pk):
        raise TriageError("Choose a recommendation of this entry's own review, for an action only.")
    history_reason = _short_reason(
        f"Recorded as {KIND_LABELS[new_kind].lower()} (was {KIND_LABELS[old_kind].lower()})", reason
    )
    if isinstance(entry, LearningPoint) and new_kind in LEARNING_KINDS:
        entry.kind = LEARNING_KINDS[new_kind]
        attribute_change(entry, user=user, reason=history_reason).save()
        caching.content_changed()
        return entry
    new = _record_as_new(
        entry, new_kind, user=user, reason=history_reason, text=entry_text(entry), recommendation=recommendation
    )
    caching.content_changed()
    return new


# ---------------------------------------------------------------------------
# Splitting and merging
# ---------------------------------------------------------------------------


def _make_room_after(source_id: int, position: int) -> None:
    """Free the place right after ``position`` in a briefing, moving what follows one step on."""
    taken = any(
        model.objects.filter(source_id=source_id, position=position + 1).exists() for model in (*ENTRY_MODELS, Section)
    )
    if not taken:
        return
    for model in (*ENTRY_MODELS, Section):
        model.objects.filter(source_id=source_id, position__gt=position).update(position=F("position") + 10)


def split_points(text: str) -> list[int]:
    """Where ``text`` can be split between sentences: the offsets where a sentence starts, after the first."""
    return [match.end(1) for match in re.finditer(r"[.!?;:][’”\"')]*(\s+)(?=[A-Z0-9‘“\"(•*-])", text)]


@transaction.atomic
def split_entry(entry, at: int, *, user=None, reason: str = ""):
    """Split ``entry`` in two at the character offset ``at`` (between words): it keeps the first part and a
    new entry of the same kind, right after it, holds the second. Both parts are the briefing's words as
    they stand; the whitespace between them is dropped. Returns the new entry."""
    _check_draft(entry)
    if isinstance(entry, Resource):
        raise TriageError("A resource is not split; record it as another kind first.")
    text = entry.text
    if not 0 < at < len(text) or not (text[at - 1].isspace() or text[at].isspace()):
        raise TriageError("Choose a place between two words, with words on either side.")
    first, second = text[:at].rstrip(), text[at:].lstrip()
    if not first or not second:
        raise TriageError("Choose a place between two words, with words on either side.")
    _make_room_after(entry.source_id, entry.position)
    entry.refresh_from_db(fields=["position"])
    new = _new_entry(entry_kind(entry), entry, text=second)
    new.position = entry.position + 1
    if isinstance(entry, Recommendation):
        new.addressed_to = entry.addressed_to
    if isinstance(entry, CaseFact):
        new.kind = entry.kind
    if isinstance(entry, Action):
        new.recommendation_id, new.owner = entry.recommendation_id, entry.owner
    attribute_change(new, user=user, reason=_reason(f"Split from {entry.ref} on triage", reason)).save()
    if hasattr(entry, "themes"):
        themes = list(entry.themes.all())
        if themes:
            attribute_change(new, user=user, reason=f"Split from {entry.ref}: its themes kept")
            new.themes.set(themes)
    entry.text = first
    attribute_change(entry, user=user, reason=_reason(f"Split on triage: the rest is {new.ref}", reason)).save()
    caching.content_changed()
    return new


def separator_in_source(source: Source, first: str, second: str) -> str | None:
    """The exact whitespace the briefing has between ``first`` and ``second``, when it prints them one
    after the other; else None."""
    original = source.original_text or ""
    start = original.find(first)
    while start != -1:
        after = start + len(first)
        gap = re.match(r"\s*", original[after:]).group(0)
        if original.startswith(second, after + len(gap)):
            return gap
        start = original.find(first, start + 1)
    return None


def _same_kind(first, second) -> bool:
    return type(first) is type(second) and entry_kind(first) == entry_kind(second)


def next_in_section(entry):
    """The entry that follows ``entry`` in its section, whatever its kind, or None."""
    following = []
    for model in (LearningPoint, CaseFact, Recommendation, Action):
        rows = model.objects.filter(
            source_id=entry.source_id, section_id=entry.section_id, review=entry_review(entry)
        ).filter(position__gte=entry.position)
        for candidate in rows.order_by("position", "id")[:2]:
            same_model = type(candidate) is type(entry)
            if candidate.position == entry.position and (not same_model or candidate.pk <= entry.pk):
                continue
            following.append(candidate)
    following.sort(key=lambda e: (e.position, e.pk))
    return following[0] if following else None


@transaction.atomic
def merge_entries(first, second, *, user=None, reason: str = ""):
    """Merge ``second`` into ``first``: two entries of one kind, next to each other in one section.

    The text is joined with the whitespace the briefing has between them where
    it prints them one after the other, else with a blank line. Themes and
    resources are pooled; ``second`` is deleted and its permanent link leads to
    ``first``. Returns ``first``.
    """
    _check_draft(first)
    if isinstance(first, Resource) or not _same_kind(first, second):
        raise TriageError("Only two entries of the same kind can be merged: change one's kind first.")
    if first.section_id != second.section_id or first.source_id != second.source_id:
        raise TriageError("Only entries under the same heading can be merged: move them under one heading first.")
    if next_in_section(first) != second:
        raise TriageError("Only an entry and the one right after it can be merged.")
    _refuse_if_held(second)
    separator = separator_in_source(first.source, first.text, second.text)
    first.text = f"{first.text}{separator if separator is not None else NO_SEPARATOR_FOUND}{second.text}"
    attribute_change(first, user=user, reason=_reason(f"Merged with {second.ref} on triage", reason)).save()
    if isinstance(second, Action) and not first.owner:
        first.owner = second.owner
    for relation in ("themes", "resources"):
        extra = set(getattr(second, relation).all()) - set(getattr(first, relation).all())
        if extra:
            attribute_change(first, user=user, reason=f"Merged with {second.ref}: its {relation} kept")
            getattr(first, relation).add(*extra)
    if isinstance(second, Recommendation):
        for action in second.actions.all():
            action.recommendation = first
            attribute_change(action, user=user, reason=f"{second.ref} merged into {first.ref}").save()
    _remove(second, user=user, reason=_reason(f"Merged into {first.ref} on triage", reason), becomes=first)
    caching.content_changed()
    return first


@transaction.atomic
def apply_heading(entries, section: Section, *, user=None) -> int:
    """Put ``entries`` under ``section``'s heading; how many moved. The section must be in their briefing."""
    entries = list(entries)
    for entry in entries:
        _check_draft(entry)
        if entry.source_id != section.source_id:
            raise TriageError("That heading is in another briefing: choose one of this briefing's headings.")
    moved = 0
    heading = section.heading or "(no heading)"
    for entry in entries:
        if entry.section_id == section.pk:
            continue
        entry.section = section
        attribute_change(entry, user=user, reason=f"Put under the heading “{heading}” on triage").save()
        moved += 1
    if moved:
        caching.content_changed()
    return moved


# ---------------------------------------------------------------------------
# Suggested themes, passages left out, proposals
# ---------------------------------------------------------------------------


@transaction.atomic
def theme_decide(entry, theme: Theme, *, accept: bool, user=None) -> None:
    """Accept a suggested theme (the entry keeps it, or is given it) or reject it (it is taken off);
    either way the entry's history and the source's import report record the decision."""
    _check_draft(entry)
    if not hasattr(entry, "themes"):
        raise TriageError("This kind of entry is not filed under themes.")
    has_it = entry.themes.filter(pk=theme.pk).exists()
    verb = "accepted" if accept else "rejected"
    attribute_change(entry, user=user, reason=f"Theme “{theme.name}” {verb} on triage"[:100])
    if accept and not has_it:
        entry.themes.add(theme)
    elif not accept and has_it:
        entry.themes.remove(theme)
    else:
        entry.save()
    source = Source.objects.select_for_update().get(pk=entry.source_id)
    state = triage_state(source)
    themes = dict(state.get("themes", {}))
    decisions = dict(themes.get(entry_key(entry), {"accepted": [], "rejected": []}))
    for key in ("accepted", "rejected"):
        decisions[key] = [pk for pk in decisions.get(key, []) if pk != theme.pk]
    decisions[verb].append(theme.pk)
    themes[entry_key(entry)] = decisions
    _save_triage_state(source, {**state, "themes": themes}, user=user, reason=f"Theme {verb} on triage")
    caching.content_changed()


@transaction.atomic
def passage_put_back(source: Source, index: int, *, review: Review, user=None) -> LearningPoint:
    """Record the ``index``-th passage left out of ``source`` as a learning point of ``review``, placed after
    the entry the briefing prints before it (under that entry's heading)."""
    if review.status == PublicationStatus.PUBLISHED:
        raise TriageError("This review is published, so its entries are not changed here.")
    source = Source.objects.select_for_update().get(pk=source.pk)
    passages = list(source.excluded_passages or [])
    if not 0 <= index < len(passages) or not isinstance(passages[index], dict):
        raise TriageError("That passage is no longer among those left out: the page may be out of date.")
    text = str(passages[index].get("text", ""))
    if not text.strip():
        raise TriageError("That passage has no words to record.")
    before = _entry_printed_before(source, review, text)
    point = LearningPoint(
        review=review,
        source=source,
        text=text,
        section_id=before.section_id if before else None,
        position=(before.position + 1) if before else 0,
    )
    if before is not None:
        _make_room_after(source.pk, before.position)
        point.position = before.position + 1
    attribute_change(point, user=user, reason="Put back on triage: it had been left out").save()
    del passages[index]
    source.excluded_passages = passages
    attribute_change(source, user=user, reason="A passage left out put back on triage").save()
    caching.content_changed()
    return point


def _entry_printed_before(source: Source, review: Review, text: str):
    original = source.original_text or ""
    at = original.find(text)
    if at == -1:
        return None
    best, best_at = None, -1
    for model in (LearningPoint, CaseFact, Recommendation, Action):
        for entry in model.objects.filter(source=source, review=review).only("pk", "text", "position", "section_id"):
            found = original.rfind(entry.text, 0, at + 1)
            if found > best_at:
                best, best_at = entry, found
    return best


@transaction.atomic
def proposal_dismiss(source: Source, name: str, *, user=None) -> None:
    """Dismiss a theme the import proposed: the triage screen stops offering it."""
    source = Source.objects.select_for_update().get(pk=source.pk)
    state = triage_state(source)
    dismissed = [*state.get("dismissed_themes", []), name]
    _save_triage_state(source, {**state, "dismissed_themes": dismissed}, user=user, reason="Proposed theme dismissed")


@transaction.atomic
def proposed_theme_create(source: Source, name: str, *, entries=(), user=None) -> Theme:
    """Create a theme the import proposed, once an editor has confirmed it, and file ``entries`` under it."""
    from .importing import unique_slug

    name = name.strip()
    if not name:
        raise TriageError("Give the new theme a name.")
    if Theme.objects.filter(name__iexact=name).exists():
        raise TriageError(f"A theme called “{name}” already exists: choose it for the entries instead.")
    theme = Theme(name=name[:150], slug=unique_slug(Theme, name))
    attribute_change(theme, user=user, reason="Created on triage from the import's proposal").save()
    for entry in entries:
        _check_draft(entry)
        if hasattr(entry, "themes"):
            attribute_change(entry, user=user, reason=f"Filed under the new theme “{theme.name}” on triage"[:100])
            entry.themes.add(theme)
    source = Source.objects.select_for_update().get(pk=source.pk)
    state = triage_state(source)
    created = [*state.get("created_themes", []), name]
    _save_triage_state(source, {**state, "created_themes": created}, user=user, reason="Proposed theme created")
    caching.content_changed()
    return theme


@transaction.atomic
def proposed_partnership_create(review: Review, *, name: str, area: str, user=None):
    """Create the partnership the briefing names, once an editor has confirmed it, and set it on the review and
    on its sources that name none."""
    from ..models import Partnership
    from .importing import unique_slug

    name, area = name.strip(), area.strip()
    if not name or not area:
        raise TriageError("Give the partnership's name and the area it covers.")
    if Partnership.objects.filter(name__iexact=name).exists():
        raise TriageError(f"A partnership called “{name}” already exists: choose it on the review's page.")
    partnership = Partnership(name=name[:200], area=area[:100], slug=unique_slug(Partnership, name))
    attribute_change(partnership, user=user, reason="Created on triage: the partnership the briefing names").save()
    if review.partnership_id is None:
        review.partnership = partnership
        attribute_change(review, user=user, reason="Partnership created on triage").save()
    for source in review.sources.all():
        if source.partnership_id is None:
            source.partnership = partnership
        state = triage_state(source)
        _save_triage_state(
            source, {**state, "partnership_created": partnership.pk}, user=user, reason="Partnership created on triage"
        )
    caching.content_changed()
    return partnership

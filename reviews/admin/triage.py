"""The triage screen: /admin/reviews/review/<pk>/triage/, where an editor checks an imported draft.

Each section of the briefing in its order, each candidate entry under its heading, with one-click changes
of kind, split, merge, a run moved under a heading, suggested themes to accept or reject, warnings, the
passages left out (to put back) and what the import proposes (a partnership, new themes: created only once
confirmed). Every change is a form POST that redirects back to the candidate with a message, so the screen
works without JavaScript. Reads come from ``selectors.triage``; writes from ``services.kinds`` and
``services.publishing``. For staff who may change reviews; others get 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from ..models import PublicationStatus, Resource, Review, Section, Theme
from ..safety import UnconfirmedFindings, review_publish_checked
from ..selectors.triage import triage_screen
from ..services.kinds import (
    KIND_LABELS,
    TriageError,
    apply_heading,
    change_kind,
    entry_from_key,
    entry_kind,
    merge_entries,
    passage_put_back,
    proposal_dismiss,
    proposed_partnership_create,
    proposed_theme_create,
    split_entry,
    theme_decide,
)
from .counts import can_publish

TEMPLATE = "admin/reviews/review/triage.html"
CONFIRM_TEMPLATE = "admin/reviews/review/triage_confirm.html"


def triage_url(review: Review, anchor: str = "") -> str:
    url = reverse("admin:reviews_review_triage", args=[review.pk])
    return f"{url}#{anchor}" if anchor else url


def triage_link(review: Review) -> str:
    return format_html('<a href="{}">Check the import</a>', triage_url(review))


def anchor_of(entry) -> str:
    return f"c-{entry._meta.model_name}-{entry.pk}"


class BadRequest(Exception):
    """A form the screen did not send (a stale page, a hand-made request): said to the editor, nothing written."""


def triage_view(model_admin, request, object_id):
    review = get_object_or_404(Review, pk=unquote(object_id)) if str(object_id).isdigit() else None
    if review is None:
        raise Http404("No such review.")
    if not model_admin.has_change_permission(request, review):
        raise PermissionDenied
    if request.method == "POST":
        return _post(model_admin, request, review)
    confirm = request.GET.get("confirm", "")
    if confirm in ("partnership", "theme"):
        return _confirm_page(model_admin, request, review, confirm)
    screen = triage_screen(review)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": f"Check the import: {review.title}",
        "opts": Review._meta,
        "original": review,
        "screen": screen,
        "is_published": review.status == PublicationStatus.PUBLISHED,
        "can_publish": can_publish(request.user),
        "triage_url": triage_url(review),
    }
    return TemplateResponse(request, TEMPLATE, context)


def _confirm_page(model_admin, request, review, what):
    screen = triage_screen(review)
    proposal = None
    if what == "partnership":
        proposal = screen.partnership_proposal
    else:
        index = request.GET.get("index", "")
        proposal = next((p for p in screen.proposed_themes if str(p["index"]) == index), None)
    if proposal is None:
        messages.warning(request, "That proposal has already been dealt with, or is no longer there.")
        return HttpResponseRedirect(triage_url(review, "proposals"))
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Create the partnership the briefing names" if what == "partnership" else "Create a new theme",
        "opts": Review._meta,
        "original": review,
        "what": what,
        "proposal": proposal,
        "triage_url": triage_url(review),
    }
    return TemplateResponse(request, CONFIRM_TEMPLATE, context)


def _post(model_admin, request, review):
    action = request.POST.get("action", "")
    handler = ACTIONS.get(action)
    anchor = request.POST.get("anchor", "")
    try:
        if handler is None:
            raise BadRequest("The screen did not understand that request: reload it and try again.")
        message, anchor = handler(request, review, anchor)
    except (TriageError, BadRequest) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, message)
    return HttpResponseRedirect(triage_url(review, anchor if anchor.replace("-", "").isalnum() else ""))


def _number(value: str) -> int | None:
    """A primary key from a form, or None (not digits, or too long for any database's integer)."""
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) <= 18 else None


def _belongs(entry, review) -> bool:
    """Whether ``entry`` is one of ``review``'s: its entries, and the resources its briefings give."""
    if isinstance(entry, Resource):
        return review.sources.filter(pk=entry.source_id).exists()
    if entry.review_id is None:
        return review.sources.filter(pk=entry.source_id).exists()
    return entry.review_id == review.pk


def _entry(request, review, name="entry"):
    """The entry a form names, if it belongs to this review."""
    key = request.POST.get(name, "")
    label, _, pk = key.partition(":")
    entry = entry_from_key(f"{label}:{_number(pk)}") if _number(pk) is not None else None
    if entry is None:
        raise BadRequest("That entry is no longer there: it may have been changed already. The page is up to date now.")
    if not _belongs(entry, review):
        raise BadRequest("That entry is not one of this review's.")
    return entry


def _kind(request, review, anchor):
    entry = _entry(request, review)
    new_kind = request.POST.get("kind", "")
    if new_kind not in KIND_LABELS:
        raise BadRequest("Choose one of the kinds offered.")
    old = KIND_LABELS[entry_kind(entry)].lower()
    new = change_kind(entry, new_kind, user=request.user, reason=request.POST.get("reason", "").strip()[:500])
    if new is None:
        return f"Left out: the passage ({old}) is now listed among the passages left out, with your reason.", anchor
    return f"Recorded as {KIND_LABELS[new_kind].lower()} (was {old}).", anchor_of(new)


def _split(request, review, anchor):
    entry = _entry(request, review)
    at = request.POST.get("at", "").strip()
    words = request.POST.get("words", "").strip()
    if at.isdigit():
        offset = int(at)
    elif words:
        offset = entry.text.find(words)
        if offset == -1:
            raise BadRequest(f"“{words}” is not in this entry's text as written: copy the words exactly.")
        if entry.text.find(words, offset + 1) != -1:
            raise BadRequest(f"“{words}” appears more than once in this entry: give more words.")
    else:
        raise BadRequest("Say where to split: choose a sentence, or give the words the second part starts with.")
    new = split_entry(entry, offset, user=request.user)
    return "Split in two: the second part is now an entry of its own, right after the first.", anchor_of(new)


def _merge(request, review, anchor):
    first = _entry(request, review)
    second = _entry(request, review, "next")
    merge_entries(first, second, user=request.user)
    return "Merged with the entry after it.", anchor_of(first)


def _heading(request, review, anchor):
    keys = request.POST.getlist("selected")
    if not keys:
        raise BadRequest("Select the entries to move first (tick “Select” beside each).")
    section_pk = _number(request.POST.get("section", ""))
    section = Section.objects.filter(pk=section_pk, source__reviews=review).first() if section_pk else None
    if section is None:
        raise BadRequest("Choose one of this briefing's headings.")
    entries = []
    for key in keys:
        label, _, pk = key.partition(":")
        entry = entry_from_key(f"{label}:{_number(pk)}") if _number(pk) is not None else None
        if entry is None or not _belongs(entry, review):
            raise BadRequest("One of the selected entries is no longer there: reload the page and select again.")
        entries.append(entry)
    moved = apply_heading(entries, section, user=request.user)
    heading = section.heading or "(no heading)"
    return f"{moved} entr{'y' if moved == 1 else 'ies'} put under the heading “{heading}”.", f"s-{section.pk}"


def _theme(request, review, anchor):
    entry = _entry(request, review)
    decision = request.POST.get("decision", "")
    theme_pk = _number(request.POST.get("theme", ""))
    theme = Theme.objects.filter(pk=theme_pk).first() if theme_pk else None
    if theme is None or decision not in ("accept", "reject"):
        raise BadRequest("Choose to accept or reject one of the themes suggested.")
    theme_decide(entry, theme, accept=decision == "accept", user=request.user)
    verb = "accepted: the entry is filed under it" if decision == "accept" else "rejected: taken off the entry"
    return f"Theme “{theme.name}” {verb}.", anchor_of(entry)


def _put_back(request, review, anchor):
    index = _number(request.POST.get("index", ""))
    if index is None:
        raise BadRequest("Choose one of the passages left out.")
    source = review.sources.order_by("pk").first()
    if source is None:
        raise BadRequest("This review has no source.")
    point = passage_put_back(source, index, review=review, user=request.user)
    return "Put back as a learning point, after the entry the briefing prints before it.", anchor_of(point)


def _partnership(request, review, anchor):
    if request.POST.get("confirmed") != "yes":
        raise BadRequest("Confirm the partnership's name and area to create it.")
    partnership = proposed_partnership_create(
        review, name=request.POST.get("name", ""), area=request.POST.get("area", ""), user=request.user
    )
    return f"Created the partnership “{partnership.name}” and set it on this review.", "proposals"


def _theme_create(request, review, anchor):
    if request.POST.get("confirmed") != "yes":
        raise BadRequest("Confirm the theme's name to create it.")
    source = review.sources.order_by("pk").first()
    entries = [entry for key in request.POST.getlist("entries") if (entry := entry_from_key(key)) is not None]
    entries = [entry for entry in entries if _belongs(entry, review)]
    theme = proposed_theme_create(source, request.POST.get("name", ""), entries=entries, user=request.user)
    filed = f"{len(entries)} entr{'y' if len(entries) == 1 else 'ies'}"
    return f"Created the theme “{theme.name}” and filed {filed} under it.", "proposals"


def _theme_dismiss(request, review, anchor):
    name = request.POST.get("name", "").strip()
    if not name:
        raise BadRequest("Choose one of the proposed themes.")
    proposal_dismiss(review.sources.order_by("pk").first(), name, user=request.user)
    return f"Dismissed the proposed theme “{name}”.", "proposals"


def _publish(request, review, anchor):
    if not can_publish(request.user):
        raise PermissionDenied
    if review.status == PublicationStatus.PUBLISHED:
        raise BadRequest("This review is already published.")
    try:
        review_publish_checked(review=review, user=request.user)
    except UnconfirmedFindings as waiting:
        n = len(waiting.result.to_confirm)
        raise BadRequest(
            f"Not published: the safety check found {n} detail{'s' if n != 1 else ''} that may identify someone. "
            "Confirm each one under “Check for identifying details”, or edit the entry."
        ) from None
    return f"“{review.title}” is published: it and its entries are now public.", "publish"


ACTIONS = {
    "kind": _kind,
    "split": _split,
    "merge": _merge,
    "heading": _heading,
    "theme": _theme,
    "put-back": _put_back,
    "partnership": _partnership,
    "theme-create": _theme_create,
    "theme-dismiss": _theme_dismiss,
    "publish": _publish,
}

"""A review's entries in the briefing's order, edited in place: "Entries in briefing order",
reached from the review's page (``/admin/reviews/review/<id>/entries/``).

Section by section, as the review's public page shows them, each case fact,
learning point, recommendation (followed by the actions answering it) and
action has a small form: its words and the few fields that go with them; the
rest stays on the entry's own page, linked from each. Saving goes through the
same forms and the same rules as the entry's own page: ``EntryForm``'s
verbatim guard (a change that leaves the briefing's words needs a reason, which
goes into the entry's history), the entry's change permission (entries the
editor may only view are shown, not editable), one history entry per entry
changed, with who changed it, and an entry in the admin's log. Nothing here
publishes: the safety check runs on publishing, over the texts as saved, and
any new finding in a saved entry is pointed out straight away.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.forms.models import modelform_factory
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from ..models import Action, CaseFact, LearningPoint, Recommendation
from ..safety import review_check
from ..selectors.briefing_entries import review_entries_in_briefing_order
from .forms import EntryForm
from .markdown_preview import SCRIPT, mark_markdown_box
from .safety import safety_check_url

# The fields edited here, by kind; everything else is on the entry's own page.
FIELDS = {
    CaseFact: ["text"],
    LearningPoint: ["text"],
    Recommendation: ["number", "addressed_to", "text"],
    Action: ["text", "owner", "target_date_as_stated", "status"],
}


class InOrderEntryForm(EntryForm):
    """An entry's form on the in-order page: the reason for a change of wording is given beside the words."""

    wording_reason_where = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The reason under the words it is about, whatever the kind's other fields.
        self.order_fields([name for name in self.fields if name != "wording_reason"] + ["wording_reason"])
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.Textarea):
                widget.attrs.update({"rows": 5, "class": "vLargeTextField kb-in-order-text"})
            elif isinstance(widget, forms.TextInput):
                widget.attrs.setdefault("class", "vTextField")
            mark_markdown_box(field)

    def _get_validation_exclusions(self):
        # The entry's review is not edited here, but the constraints that involve it (a recommendation's
        # number is unique in its review) must still be checked, as on the review's page.
        exclusions = super()._get_validation_exclusions()
        exclusions.discard("review")
        return exclusions


def form_class(model):
    return modelform_factory(model, form=InOrderEntryForm, fields=FIELDS[model])


def prefix(entry) -> str:
    return f"{entry._meta.model_name}-{entry.pk}"


class EntryRowForm:
    """One row of the page: the entry, its form, and whether this editor may change it."""

    def __init__(self, row, form, *, may_change: bool):
        self.entry = row.entry
        self.answers = row.answers
        self.form = form
        self.may_change = may_change

    @property
    def kind(self) -> str:
        return self.entry.label

    @property
    def change_url(self) -> str:
        return reverse(f"admin:reviews_{self.entry._meta.model_name}_change", args=[self.entry.pk])


def _permissions(model_admin, request):
    """{model: (may view, may change)} for each kind of entry, as its own admin pages decide."""
    registry = model_admin.admin_site._registry
    found = {}
    for model in FIELDS:
        entry_admin = registry[model]
        found[model] = (entry_admin.has_view_permission(request), entry_admin.has_change_permission(request))
    return found


def _build(groups, permissions, data=None):
    """The page's groups with a form for each entry the editor may see; forms bound to ``data`` if given."""
    shown = []
    for group in groups:
        rows = []
        for row in group.rows:
            model = type(row.entry)
            may_view, may_change = permissions[model]
            if not may_view:
                continue
            form = form_class(model)(data if may_change else None, instance=row.entry, prefix=prefix(row.entry))
            if not may_change:
                for field in form.fields.values():
                    field.disabled = True
            rows.append(EntryRowForm(row, form, may_change=may_change))
        if rows:
            shown.append((group, rows))
    return shown


def entries_in_order_view(model_admin, request, object_id):
    review = model_admin.get_object(request, unquote(object_id))
    if review is None:
        raise Http404("No such review.")
    if not model_admin.has_view_permission(request, review):
        raise PermissionDenied
    permissions = _permissions(model_admin, request)
    groups = review_entries_in_briefing_order(review)
    posted = request.method == "POST"
    if posted and not any(may_change for _view, may_change in permissions.values()):
        raise PermissionDenied
    shown = _build(groups, permissions, request.POST if posted else None)
    rows = [row for _group, group_rows in shown for row in group_rows]
    errors = []
    if posted:
        changed = [row for row in rows if row.may_change and row.form.has_changed()]
        errors = [row for row in changed if not row.form.is_valid()]
        errors += _numbered_twice(rows, changed)
        if not errors:
            _save(model_admin, request, review, changed)
            return HttpResponseRedirect(request.path)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Entries in briefing order",
        "subtitle": str(review),
        "review": review,
        "original": review,
        "opts": model_admin.model._meta,
        "groups": shown,
        "errors": errors,
        "may_change": any(row.may_change for row in rows),
        "kb_markdown_fields": ["text"],
        "media": model_admin.media + forms.Media(js=[SCRIPT]),
    }
    return TemplateResponse(request, "admin/reviews/review/entries_in_order.html", context)


def _numbered_twice(rows, changed) -> list[EntryRowForm]:
    """Recommendations that would share a number once saved (two changed alike in one post, which
    each form alone cannot see), each with the constraint's own message."""
    constraint = next(
        c for c in Recommendation._meta.constraints if c.name == "recommendation_number_unique_per_review"
    )
    changed_ids = {id(row) for row in changed}
    numbers: dict[str, list[EntryRowForm]] = {}
    for row in rows:
        if not isinstance(row.entry, Recommendation):
            continue
        if id(row) in changed_ids and hasattr(row.form, "cleaned_data"):
            number = (row.form.cleaned_data.get("number") or "").strip()
        else:
            number = (row.entry.number or "").strip()
        if number:
            numbers.setdefault(number, []).append(row)
    twice = []
    for same in numbers.values():
        if len(same) < 2:
            continue
        for row in same:
            if id(row) in changed_ids and "number" not in row.form.errors:
                row.form.add_error("number", constraint.violation_error_message)
                twice.append(row)
    return twice


def _save(model_admin, request, review, changed) -> None:
    """Save each changed entry as its own page would: one history entry each (the guard's reason
    with it), and a line in the admin's log."""
    registry = model_admin.admin_site._registry
    with transaction.atomic():
        for row in changed:
            entry = row.form.save()
            entry_admin = registry[type(entry)]
            entry_admin.log_change(request, entry, entry_admin.construct_change_message(request, row.form, None))
    if not changed:
        model_admin.message_user(request, "Nothing was changed.", messages.INFO)
        return
    n = len(changed)
    model_admin.message_user(
        request, f"Saved {n} entr{'ies' if n != 1 else 'y'}: each change is in its entry's history.", messages.SUCCESS
    )
    _point_out_findings(model_admin, request, review, [row.entry for row in changed])


def _point_out_findings(model_admin, request, review, entries) -> None:
    """Warn when the safety check now finds, in an entry just saved, something that may identify someone."""
    saved = {reverse(f"admin:reviews_{entry._meta.model_name}_change", args=[entry.pk]) for entry in entries}
    findings = [finding for finding in review_check(review).to_confirm if finding.edit_url in saved]
    if findings:
        n = len(findings)
        model_admin.message_user(
            request,
            format_html(
                "The safety check finds {} detail{} that may identify someone in what you saved. "
                '<a href="{}">Check them</a> before the review is published again.',
                n,
                "s" if n != 1 else "",
                safety_check_url(review),
            ),
            messages.WARNING,
        )


def entries_in_order_link(review) -> str:
    url = reverse("admin:reviews_review_entries", args=[review.pk])
    return format_html('<a href="{}">Edit the entries in the briefing’s order</a>', url)

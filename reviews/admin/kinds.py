"""Changing an entry's kind from its own admin page: /admin/reviews/<model>/<pk>/kind/.

A confirmation form: the entry as it stands, the kinds it can be given (each
saying what it keeps and what it cannot hold), for an action the
recommendation it answers, and the editor's reason. Posting it calls
``services.kinds.entry_kind_change`` (one transaction) and leads to the entry
it now is. For Editors: those who may change and delete this kind of entry and
add the kind it becomes; others get 403. Works for drafts and published reviews.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from ..models import Action, CaseFact, LearningPoint, PublicationStatus, Recommendation, Resource
from ..services.kinds import (
    KIND_LABELS,
    LEARNING_KINDS,
    MOVED_MODELS,
    PUBLISHED_KINDS,
    TriageError,
    entry_kind,
    entry_kind_change,
    entry_review,
    steps_showing,
    uses_of,
)

TEMPLATE = "admin/reviews/entry_kind.html"
REASON_MAX_LENGTH = 80
# The model each kind is recorded in.
KIND_MODELS = {
    **dict.fromkeys(LEARNING_KINDS, LearningPoint),
    "case_fact": CaseFact,
    "recommendation": Recommendation,
    "action": Action,
    "resource": Resource,
}


def may_change_kind(user, entry) -> bool:
    """Whether ``user`` may record ``entry`` as another kind: change and delete its kind of entry (an Editor)."""
    label = entry._meta.model_name
    return user.has_perm(f"reviews.change_{label}") and user.has_perm(f"reviews.delete_{label}")


def may_make(user, kind: str, entry) -> bool:
    model = KIND_MODELS[kind]
    if model is type(entry):
        return True
    return user.has_perm(f"reviews.add_{model._meta.model_name}")


def kind_url(entry) -> str:
    return reverse(f"admin:reviews_{entry._meta.model_name}_kind", args=[entry.pk])


def what_it_keeps(entry, kind: str) -> tuple[list[str], list[str]]:
    """What recording ``entry`` as ``kind`` keeps, and what the new kind cannot hold of it, in an editor's words."""
    new_model = KIND_MODELS[kind]
    if new_model is type(entry):
        return ["everything: only its kind changes; its page address and permanent link stay the same"], []
    kept = ["its words", "its section and place in the briefing", "its history (linked from the new one)"]
    lost = []
    if new_model is Resource:
        lost.append("its review (a resource is listed with its briefing)")
    elif getattr(entry, "review_id", None):
        kept.insert(2, "its review")
    themes = entry.themes.count() if hasattr(entry, "themes") else 0
    resources = entry.resources.count() if hasattr(entry, "resources") else 0
    agencies = entry.agencies.count() if hasattr(entry, "agencies") else 0
    for count, name, holds in (
        (themes, "theme", hasattr(new_model, "themes") and new_model is not Resource),
        (resources, "resource", new_model in (LearningPoint, Recommendation, Action)),
        (agencies, "agency", new_model in (Recommendation, Action)),
    ):
        if count:
            words = f"its {count} {name if count == 1 else ('agencies' if name == 'agency' else name + 's')}"
            (kept if holds else lost).append(words)
    if type(entry) in MOVED_MODELS.values() and entry.pk:
        kept.append("its old permanent link, which will lead to the new entry")
    steps = steps_showing(entry).count()
    if steps:
        can_be_step = new_model in (LearningPoint, Recommendation, Action)
        (kept if can_be_step else lost).append(f"the {steps} course-pack step{'s' if steps != 1 else ''} showing it")
    uses = uses_of(entry).count()
    if uses:
        target = "kept against it" if new_model is LearningPoint else "kept against its review"
        kept.append(f"the {uses} use{'s' if uses != 1 else ''} of learning recorded ({target})")
    if isinstance(entry, Recommendation):
        if entry.number:
            lost.append(f"its number ({entry.number})")
        actions = entry.actions.count()
        if actions:
            lost.append(
                f"the link from its {actions} action{'s' if actions != 1 else ''} "
                "(they stay, answering no recommendation)"
            )
        if entry.unanswered_parts:
            lost.append("its parts left unanswered")
    if isinstance(entry, Action):
        if entry.status != Action.Status.NOT_STATED or entry.target_date_as_stated or entry.evidence_of_impact:
            lost.append("its status, target date and evidence of impact")
        if entry.recommendation_id:
            lost.append("the recommendation it answers, unless you choose it again below")
    if isinstance(entry, CaseFact) and entry.kind == CaseFact.Kind.REVIEW:
        lost.append("“about the review” (a case fact it becomes is about the case)")
    return kept, lost


class KindChangeForm(forms.Form):
    new_kind = forms.ChoiceField(label="Record it as", widget=forms.RadioSelect)
    recommendation = forms.ModelChoiceField(
        queryset=Recommendation.objects.none(),
        required=False,
        label="The recommendation it answers (for an action only)",
        help_text="Leave empty if it answers none.",
    )
    reason = forms.CharField(
        label="Why its kind changes",
        max_length=REASON_MAX_LENGTH,
        help_text="Kept in its history, e.g. “the briefing lists it among the actions taken”.",
        widget=forms.TextInput(attrs={"class": "vTextField"}),
    )

    def __init__(self, *args, entry, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.entry = entry
        current = entry_kind(entry)
        self.fields["new_kind"].choices = [
            (kind.key, kind.label)
            for kind in PUBLISHED_KINDS
            if kind.key != current and may_make(user, kind.key, entry)
        ]
        review = entry_review(entry)
        if review is not None:
            self.fields["recommendation"].queryset = review.recommendations.order_by("position", "pk")
            self.fields["recommendation"].label_from_instance = lambda rec: (
                f"Recommendation {rec.number}: {rec.text[:70]}" if rec.number else rec.text[:80]
            )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("recommendation") is not None and cleaned.get("new_kind") != "action":
            self.add_error("recommendation", "Only an action answers a recommendation: leave this empty.")
        return cleaned


def kind_view(model_admin, request, object_id):
    """The confirmation form (GET) and the change (POST)."""
    model = model_admin.model
    object_id = unquote(object_id)
    entry = model.objects.filter(pk=object_id).first() if str(object_id).isdigit() and len(object_id) <= 18 else None
    if entry is None:
        raise Http404("No such entry: it may have been recorded as another kind already.")
    if not may_change_kind(request.user, entry):
        raise PermissionDenied
    form = KindChangeForm(request.POST or None, entry=entry, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            new = entry_kind_change(
                entry,
                data["new_kind"],
                user=request.user,
                reason=data["reason"],
                recommendation=data["recommendation"],
            )
        except TriageError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"Recorded as {KIND_LABELS[data['new_kind']].lower()}. Its words, section and place are kept"
                + ("." if new is entry else "; its old permanent link leads here."),
            )
            return HttpResponseRedirect(reverse(f"admin:reviews_{new._meta.model_name}_change", args=[new.pk]))
    review = entry_review(entry)
    choices = []
    for value, label in form.fields["new_kind"].choices:
        kept, lost = what_it_keeps(entry, value)
        choices.append({"value": value, "label": label, "kept": kept, "lost": lost})
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Change the kind of this entry",
        "opts": model._meta,
        "original": entry,
        "entry": entry,
        "review": review,
        "current_kind": KIND_LABELS[entry_kind(entry)],
        "is_published": review is not None and review.status == PublicationStatus.PUBLISHED,
        "form": form,
        "choices": choices,
        "chosen": form["new_kind"].value(),
        "change_url": reverse(f"admin:reviews_{model._meta.model_name}_change", args=[entry.pk]),
    }
    return TemplateResponse(request, TEMPLATE, context)

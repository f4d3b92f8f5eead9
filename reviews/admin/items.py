"""Entries drawn from briefings: learning points, recommendations with the
actions answering them, actions (status updated from the list), case facts."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from ..models import Action, CaseFact, LearningPoint, MovedEntry, PublicationStatus, Recommendation, RecommendationLink
from ..services import action_status_set
from ..services.kinds import MOVED_MODELS
from ..tracker import views as tracker_views
from ..tracker.quality import action_checklist, recommendation_checklist
from .base import KbAdmin
from .counts import count_of
from .forms import EntryForm
from .kinds import kind_url, kind_view, may_change_kind
from .markdown_preview import MarkdownPreviewMixin
from .recommendation_links import RecommendationLinkInline, checklist_panel, record_who_linked
from .tracking import ActionUpdateInline, status_reports_summary

TEXTAREA = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 5, "cols": 90})}}
TALL_TEXTAREA = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 9, "cols": 90})}}


class AgencyCheckboxes:
    """The agencies are a short list: checkboxes show every choice at once (the
    other many-to-many fields keep their autocomplete boxes)."""

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "agencies":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)


def review_link(review) -> str:
    if review is None:
        return "Not tied to a review"
    url = reverse("admin:reviews_review_change", args=[review.pk])
    return format_html('<a href="{}">{}</a>', url, review)


def short(text: str, words: int = 18) -> str:
    return Truncator(text).words(words, truncate=" …")


def themes_list(obj) -> str:
    return ", ".join(theme.name for theme in obj.themes.all()) or "—"


class ReviewStatusFilter(admin.SimpleListFilter):
    """Entries of draft or of published reviews (the entries' own lists)."""

    title = "review status"
    parameter_name = "review_status"

    def lookups(self, request, model_admin):
        return PublicationStatus.choices

    def queryset(self, request, queryset):
        return queryset.filter(review__status=self.value()) if self.value() else queryset


CHECKLIST_TITLE = "Checklist: has an owner? a date? something measurable? (a rough guide)"
CHECKLIST_DESCRIPTION = (
    "Read from what is saved, to help see what a board may want to follow up. It never changes the "
    "briefing's words, and nothing here stops a save."
)


class ChecklistAdmin:
    """The gentle checklist (``reviews.tracker.quality``) on the change page, read only, and
    in a message after each save."""

    checklist_of = None

    @admin.display(description="Checklist")
    def quality_checklist(self, obj):
        if obj is None or obj.pk is None:
            return "Shown once it is saved."
        return checklist_panel(type(self).checklist_of(obj))

    def response_add(self, request, obj, post_url_continue=None):
        self._checklist_message(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        self._checklist_message(request, obj)
        return super().response_change(request, obj)

    def _checklist_message(self, request, obj):
        checklist = type(self).checklist_of(obj)
        missing = [check.question.rstrip("?").lower() for check in checklist if not check.met]
        if missing:
            self.message_user(
                request,
                f"Checklist (a rough guide): not found: {', '.join(missing)}. The briefing's words are kept "
                "as they are; this is only to help follow it up.",
                messages.INFO,
            )


class ItemAdmin(KbAdmin):
    form = EntryForm
    formfield_overrides = TALL_TEXTAREA
    readonly_fields = ["ref", "review_link"]
    list_per_page = 50
    change_form_template = "admin/reviews/entry_change_form.html"

    def get_urls(self):
        info = f"{self.model._meta.app_label}_{self.model._meta.model_name}"
        kind = path(
            "<path:object_id>/kind/",
            self.admin_site.admin_view(lambda request, object_id: kind_view(self, request, object_id)),
            name=f"{info}_kind",
        )
        return [kind, *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        entry = self.get_object(request, unquote(object_id)) if object_id else None
        if entry is not None and may_change_kind(request.user, entry):
            extra_context = {**(extra_context or {}), "kb_kind_url": kind_url(entry)}
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        """Its history, and links to the histories of the entries it was before being recorded as this kind."""
        self.check_history_address(object_id)
        moves = MovedEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(self.model), object_id=unquote(object_id)
        ).exclude(old_pk=None)
        earlier = [
            {
                "label": move.get_old_kind_display().lower(),
                "ref": move.old_ref,
                "moved_at": move.moved_at,
                "url": reverse(
                    f"admin:reviews_{MOVED_MODELS[move.old_kind]._meta.model_name}_history", args=[move.old_pk]
                ),
            }
            for move in moves.order_by("moved_at", "pk")
        ]
        if earlier:
            extra_context = {**(extra_context or {}), "kb_earlier_entries": earlier}
        return super().history_view(request, object_id, extra_context)

    @admin.display(description="Entry")
    def short_text(self, obj):
        return short(obj.text)

    @admin.display(description="Review", ordering="review__title")
    def review_column(self, obj):
        return review_link(obj.review)

    @admin.display(description="Open its review")
    def review_link(self, obj):
        return review_link(obj.review)

    @admin.display(description="Themes")
    def theme_names(self, obj):
        return themes_list(obj)

    @admin.display(description="Under the heading", ordering="section__heading")
    def section_heading(self, obj):
        return obj.heading or "—"


@admin.register(LearningPoint)
class LearningPointAdmin(ItemAdmin):
    full_text_search = True
    list_display = ["short_text", "kind", "review_column", "theme_names", "section_heading"]
    list_filter = ["kind", ReviewStatusFilter, "themes", "review__partnership"]
    list_select_related = ["review", "section"]
    search_fields = ["text", "ref", "section__heading", "review__title"]
    autocomplete_fields = ["review", "themes", "source", "resources", "repeats"]
    fieldsets = [
        (None, {"fields": ["review_link", "review", "kind", "text", "wording_reason", "themes"]}),
        ("Where it comes from", {"fields": ["source", "section", "kind_note", "resources", "repeats"]}),
        ("Order and link", {"fields": ["position", "ref"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("themes")


class ActionInline(MarkdownPreviewMixin, AgencyCheckboxes, admin.StackedInline):
    model = Action
    fk_name = "recommendation"
    form = EntryForm
    extra = 0
    fields = [
        ("status", "status_changed_at"),
        "text",
        ("owner", "target_date_as_stated"),
        "agencies",
        "evidence_of_impact",
        "themes",
        ("source", "section", "position"),
        "kind_note",
        "ref",
        "status_reports",
    ]
    readonly_fields = ["status_changed_at", "ref", "status_reports"]
    autocomplete_fields = ["themes", "source"]
    formfield_overrides = TEXTAREA
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source").prefetch_related("themes", "agencies", "updates")

    @admin.display(description="Status updates since the briefing (add them on the action's own page)")
    def status_reports(self, obj):
        return status_reports_summary(obj) if obj.pk else "—"

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None:
            formset.form.base_fields["source"].initial = obj.source_id
        return formset


@admin.register(Recommendation)
class RecommendationAdmin(ChecklistAdmin, AgencyCheckboxes, ItemAdmin):
    full_text_search = True
    list_display = ["short_text", "number", "addressed_to", "review_column", "action_count", "theme_names"]
    list_filter = [ReviewStatusFilter, "themes", "agencies", "review__partnership"]
    list_select_related = ["review"]
    search_fields = ["text", "ref", "addressed_to", "review__title"]
    autocomplete_fields = ["review", "themes", "source"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "review_link",
                    "review",
                    ("number", "addressed_to"),
                    "agencies",
                    "text",
                    "wording_reason",
                    "themes",
                ]
            },
        ),
        ("Where it comes from", {"fields": ["source", "section", "kind_note"]}),
        ("Parts left unanswered", {"fields": ["unanswered_parts"]}),
        (CHECKLIST_TITLE, {"fields": ["quality_checklist"], "description": CHECKLIST_DESCRIPTION}),
        ("Order and link", {"fields": ["position", "ref"]}),
    ]
    readonly_fields = [*ItemAdmin.readonly_fields, "quality_checklist"]
    inlines = [RecommendationLinkInline, ActionInline]
    checklist_of = recommendation_checklist

    def save_formset(self, request, form, formset, change):
        if formset.model is RecommendationLink:
            return record_who_linked(request, formset)
        return super().save_formset(request, form, formset, change)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(n_actions=count_of(Action, "recommendation"))
            .prefetch_related("themes")
        )

    @admin.display(description="Actions", ordering="n_actions")
    def action_count(self, obj):
        return obj.n_actions


@admin.register(Action)
class ActionAdmin(ChecklistAdmin, AgencyCheckboxes, ItemAdmin):
    full_text_search = True
    list_display = ["short_text", "status", "status_changed_at", "owner", "recommendation_link", "review_column"]
    list_editable = ["status"]
    list_filter = ["status", ReviewStatusFilter, "themes", "agencies", "review__partnership"]
    list_select_related = ["review", "recommendation"]
    search_fields = ["text", "owner", "ref", "review__title"]
    autocomplete_fields = [
        "review",
        "recommendation",
        "themes",
        "source",
        "superseded_by_action",
        "superseded_by_recommendation",
    ]
    readonly_fields = [
        "ref",
        "review_link",
        "recommendation_link",
        "status_changed_at",
        "target_date_read",
        "quality_checklist",
    ]
    inlines = [ActionUpdateInline]
    checklist_of = action_checklist
    fieldsets = [
        (None, {"fields": ["review_link", "recommendation_link", "review", "recommendation"]}),
        (
            "The action",
            {
                "fields": [
                    "text",
                    "wording_reason",
                    "owner",
                    "agencies",
                    ("status", "status_changed_at"),
                    ("target_date_as_stated", "target_date_read"),
                    "evidence_of_impact",
                ]
            },
        ),
        (CHECKLIST_TITLE, {"fields": ["quality_checklist"], "description": CHECKLIST_DESCRIPTION}),
        (
            "Closing judgement",
            {
                "classes": ["collapse"],
                "fields": [
                    "closing_judgement",
                    ("judged_on", "judged_by"),
                    "closing_reason",
                    ("superseded_by_action", "superseded_by_recommendation"),
                ],
                "description": "Leave empty while the action is open. When the board closes it, choose the "
                "judgement and give its date and who made it. Status updates reported since the briefing are "
                "below the form.",
            },
        ),
        ("Themes and source", {"fields": ["themes", "source", "section", "kind_note"]}),
        ("Order and link", {"fields": ["position", "ref"]}),
    ]
    actions = ["mark_planned", "mark_in_progress", "mark_done", "mark_not_stated"]

    def get_urls(self):
        def view(function):
            return self.admin_site.admin_view(lambda request: function(request, admin_site=self.admin_site))

        return [
            path("tracker/", view(tracker_views.tracker_view), name="reviews_action_tracker"),
            path("tracker/export.csv", view(tracker_views.tracker_csv_view), name="reviews_action_tracker_csv"),
            path("tracker/print/", view(tracker_views.tracker_print_view), name="reviews_action_tracker_print"),
            *super().get_urls(),
        ]

    @admin.display(description="Target date as a date")
    def target_date_read(self, obj):
        if obj is None or obj.target_date is None:
            return "None: the words give no definite date, so the tracker shows them as written."
        deadline = f"{obj.target_date:%-d %B %Y}"
        return f"{obj.target_date_display} (read from the words: overdue if not done by {deadline})"

    @admin.display(description="Answers recommendation")
    def recommendation_link(self, obj):
        if obj.recommendation_id is None:
            return "—"
        recommendation = obj.recommendation
        url = reverse("admin:reviews_recommendation_change", args=[recommendation.pk])
        label = f"Recommendation {recommendation.number}" if recommendation.number else short(recommendation.text, 8)
        return format_html('<a href="{}">{}</a>', url, label)

    def _set_status(self, request, queryset, status):
        changed = 0
        for action in queryset.select_related("recommendation"):
            if action.status != status:
                action_status_set(action=action, status=status, user=request.user)
                changed += 1
        label = Action.Status(status).label
        self.message_user(
            request,
            f"{changed} action{'s' if changed != 1 else ''} marked “{label}”; the date of the change is recorded.",
            messages.SUCCESS,
        )

    @admin.action(description="Mark selected actions as planned", permissions=["change"])
    def mark_planned(self, request, queryset):
        self._set_status(request, queryset, Action.Status.PLANNED)

    @admin.action(description="Mark selected actions as in progress", permissions=["change"])
    def mark_in_progress(self, request, queryset):
        self._set_status(request, queryset, Action.Status.IN_PROGRESS)

    @admin.action(description="Mark selected actions as done", permissions=["change"])
    def mark_done(self, request, queryset):
        self._set_status(request, queryset, Action.Status.DONE)

    @admin.action(description="Mark selected actions as 'not stated'", permissions=["change"])
    def mark_not_stated(self, request, queryset):
        self._set_status(request, queryset, Action.Status.NOT_STATED)


@admin.register(CaseFact)
class CaseFactAdmin(ItemAdmin):
    list_display = ["short_text", "review_column", "section_heading"]
    list_select_related = ["review", "section"]
    list_filter = [ReviewStatusFilter, "review__partnership"]
    search_fields = ["text", "ref", "review__title"]
    autocomplete_fields = ["review", "source", "themes"]
    fields = [
        "review_link",
        "review",
        "kind",
        "text",
        "wording_reason",
        "themes",
        "source",
        "section",
        "kind_note",
        "position",
        "ref",
    ]

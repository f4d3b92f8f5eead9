"""Entries drawn from briefings: learning points, recommendations with the
actions answering them, actions (status updated from the list), case facts."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from ..models import Action, CaseFact, LearningPoint, PublicationStatus, Recommendation
from ..services import action_status_set
from ..tracker import views as tracker_views
from .base import KbAdmin
from .counts import count_of
from .forms import EntryForm
from .markdown_preview import MarkdownPreviewMixin
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


class ItemAdmin(KbAdmin):
    form = EntryForm
    formfield_overrides = TALL_TEXTAREA
    readonly_fields = ["ref", "review_link"]
    list_per_page = 50

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
class RecommendationAdmin(AgencyCheckboxes, ItemAdmin):
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
        ("Order and link", {"fields": ["position", "ref"]}),
    ]
    inlines = [ActionInline]

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
class ActionAdmin(AgencyCheckboxes, ItemAdmin):
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
    readonly_fields = ["ref", "review_link", "recommendation_link", "status_changed_at", "target_date_read"]
    inlines = [ActionUpdateInline]
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

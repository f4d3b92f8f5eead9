"""Recording uses of learning (team briefings, courses, supervisions), and the
CSV of them for the board's annual report (``reviews.usage``)."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse

from ..models import LearningUse
from ..usage.export import csv_lines, uses_between
from .base import KbAdmin


class ExportForm(forms.Form):
    start = forms.DateField(required=False, label="From")
    end = forms.DateField(required=False, label="To")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            raise forms.ValidationError("The start date is after the end date.")
        return cleaned


@admin.register(LearningUse)
class LearningUseAdmin(KbAdmin):
    list_display = ["used_on", "kind", "used_label", "agency", "people", "recorded_by"]
    list_filter = ["kind", ("used_on", admin.DateFieldListFilter)]
    search_fields = ["agency", "note", "learning_point__text", "theme__name", "review__title"]
    date_hierarchy = "used_on"
    autocomplete_fields = ["learning_point", "theme", "review"]
    readonly_fields = ["recorded_by"]
    fieldsets = [
        (None, {"fields": [("kind", "used_on"), ("agency", "people"), "note"]}),
        (
            "What was used (choose one)",
            {
                "fields": ["learning_point", "theme", "review"],
                "description": "A single learning point, a theme as a whole, or a review's briefing as a whole. "
                "The public pages show only how many times each was used, by kind, never the agency, "
                "the number of people or the note.",
            },
        ),
        ("Recorded by", {"fields": ["recorded_by"]}),
    ]

    @admin.display(description="what was used")
    def used_label(self, obj):
        return obj.used_label

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("learning_point", "theme", "review", "recorded_by")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "kb_export_url": reverse("admin:reviews_learninguse_export"),
            "kb_export_label": "Download as CSV for the annual report",
        }
        return super().changelist_view(request, extra_context=extra_context)

    def get_urls(self):
        return [
            path(
                "export.csv",
                self.admin_site.admin_view(self.export_view),
                name="reviews_learninguse_export",
            ),
            *super().get_urls(),
        ]

    def export_view(self, request):
        """The uses as CSV, all of them or those between ``start`` and ``end`` (YYYY-MM-DD)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = ExportForm(request.GET)
        if not form.is_valid():
            problems = [
                f"{form.fields[name].label}: {' '.join(errors)}" if name in form.fields else " ".join(errors)
                for name, errors in form.errors.items()
            ]
            messages.error(request, f"The CSV was not made. {' '.join(problems)} Write dates as YYYY-MM-DD.")
            return redirect("admin:reviews_learninguse_changelist")
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        uses = uses_between(start, end)
        name = "uses-of-learning"
        if start or end:
            name += f"-{start or 'start'}-to-{end or datetime.date.today()}"
        response = StreamingHttpResponse(csv_lines(uses, request.build_absolute_uri), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response

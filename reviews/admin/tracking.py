"""The recommendation tracker in the admin: status updates on an action, its
closing judgement, and the board view (``reviews.tracker.views``)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from ..models import ActionUpdate
from .markdown_preview import MarkdownPreviewMixin

TEXTAREA = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 80, "class": "vLargeTextField"})}}


class ActionUpdateInline(MarkdownPreviewMixin, admin.StackedInline):
    """Status reports on an action, oldest first: each says what stage the work is at, who said so and when."""

    model = ActionUpdate
    extra = 0
    fields = [("reported_on", "status", "reported_by"), "evidence_of_impact", "note"]
    formfield_overrides = TEXTAREA
    verbose_name = "status update (as reported)"
    verbose_name_plural = "status updates since the briefing (as reported: who said so, and when)"

    def get_queryset(self, request):
        return super().get_queryset(request).order_by("reported_on", "pk")


def status_reports_summary(action) -> str:
    """An action's status reports, oldest first, as read-only lines: "3 May 2021: Done (Health Visiting service)"."""
    reports = action.status_reports
    if not reports:
        return "No status updates since the briefing."
    return format_html(
        "<ul>{}</ul>",
        format_html_join(
            "",
            "<li>{}: {}, reported by {}</li>",
            ((update.reported_on_display, update.get_status_display(), update.reported_by) for update in reports),
        ),
    )


def tracker_link(*, review=None) -> str:
    url = reverse("admin:reviews_action_tracker")
    if review is not None:
        url += f"?review={review.pk}"
        return format_html('<a href="{}">See this review\'s actions in the recommendation tracker</a>', url)
    return format_html('<a href="{}">Recommendation tracker</a>', url)

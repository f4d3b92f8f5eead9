"""On a recommendation's page: the earlier recommendations it repeats or replaces (an
inline), and the gentle quality checklist shown on recommendations and actions."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import models
from django.utils.html import format_html, format_html_join

from ..models import RecommendationLink
from ..tracker.quality import ROUGH_GUIDE, Checklist
from .base import KbAdmin

SHORT_TEXTAREA = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 70})}}


class RecommendationLinkInline(admin.StackedInline):
    """The earlier recommendations this one repeats or replaces; who recorded each link, and when."""

    model = RecommendationLink
    fk_name = "later"
    extra = 0
    fields = [("earlier", "relation"), "note", ("recorded_by", "recorded_at")]
    readonly_fields = ["recorded_by", "recorded_at"]
    autocomplete_fields = ["earlier"]
    formfield_overrides = SHORT_TEXTAREA
    verbose_name = "earlier recommendation it repeats or replaces"
    verbose_name_plural = "earlier recommendations it repeats or replaces (the knowledge base's judgement)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("earlier__review", "recorded_by")


def record_who_linked(request, formset) -> None:
    """Save a links formset, recording the member of staff on each link added or changed."""
    instances = formset.save(commit=False)
    for link in instances:
        if link.recorded_by_id is None or link in formset.new_objects:
            link.recorded_by = request.user
        link.save()
    for link in formset.deleted_objects:
        link.delete()
    formset.save_m2m()


def checklist_panel(checklist: Checklist) -> str:
    """The checklist as read-only lines in plain words, with what was found for each."""
    return format_html(
        '<div class="kb-checklist"><p class="kb-checklist__intro">{}</p><ul class="kb-checklist__list">{}</ul></div>',
        ROUGH_GUIDE,
        format_html_join(
            "",
            '<li class="kb-checklist__item kb-checklist__item--{}"><strong>{} {}</strong> – {}</li>',
            (
                ("met" if check.met else "not-met", check.question, "Yes" if check.met else "Not found", check.found)
                for check in checklist
            ),
        ),
    )


@admin.register(RecommendationLink)
class RecommendationLinkAdmin(KbAdmin):
    """Every link, to find and correct them in one list (they are added on the later recommendation's page)."""

    list_display = ["later", "relation", "earlier", "recorded_by", "recorded_at"]
    list_filter = ["relation"]
    list_select_related = ["later__review", "earlier__review", "recorded_by"]
    search_fields = ["later__text", "earlier__text", "later__review__title", "earlier__review__title", "note"]
    autocomplete_fields = ["later", "earlier"]
    fields = ["later", "earlier", "relation", "note", "recorded_by", "recorded_at"]
    readonly_fields = ["recorded_by", "recorded_at"]
    formfield_overrides = SHORT_TEXTAREA

    def save_model(self, request, obj, form, change):
        if not change or obj.recorded_by_id is None:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)

"""Themes' guides: the overview and practice points editors write, each citing the entries it rests on.

A guide is edited on one page, its sentences and points inline; each cites
learning points, recommendations and actions through search boxes. A
sentence that cites nothing is refused with a message saying what to do
(``GuideClaimForm``, the same rule as ``services.guides``). Each sentence
has its own history too (its admin, "Guide sentences and points").
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count

from ..models import GuideClaim, ThemeGuide
from ..models.guides import CITED_FIELDS
from ..services.guides import guide_claim_check_citations
from .base import KbAdmin
from .forms import KbModelForm

CLAIM_FIELDS = ["kind", "text", "position", *CITED_FIELDS]


class GuideClaimForm(KbModelForm):
    """A sentence or point: saved only with at least one entry it rests on."""

    class Meta:
        model = GuideClaim
        fields = CLAIM_FIELDS
        widgets = {"text": forms.Textarea(attrs={"rows": 3, "cols": 80})}

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("DELETE"):
            return cleaned_data
        try:
            guide_claim_check_citations(**{name: cleaned_data.get(name) or [] for name in CITED_FIELDS})
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned_data


class GuideClaimInline(admin.StackedInline):
    model = GuideClaim
    form = GuideClaimForm
    extra = 0
    ordering = ["position", "id"]
    fields = [("kind", "position"), "text", *CITED_FIELDS]
    autocomplete_fields = list(CITED_FIELDS)
    verbose_name = "sentence or point"
    verbose_name_plural = "sentences and points (in the knowledge base's own words; each cites the entries it rests on)"


@admin.register(ThemeGuide)
class ThemeGuideAdmin(KbAdmin):
    list_display = ["theme", "status", "claim_count", "updated_at"]
    list_filter = ["status"]
    list_select_related = ["theme"]
    search_fields = ["theme__name", "claims__text"]
    autocomplete_fields = ["theme"]
    fields = ["theme", "status", "written_by"]
    readonly_fields = ["written_by"]
    inlines = [GuideClaimInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_claims=Count("claims"))

    @admin.display(description="Sentences and points", ordering="n_claims")
    def claim_count(self, obj):
        return obj.n_claims

    def save_model(self, request, obj, form, change):
        if obj.written_by_id is None:
            obj.written_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(GuideClaim)
class GuideClaimAdmin(KbAdmin):
    """Every sentence and point, with its own history (the guide's page edits the same rows)."""

    form = GuideClaimForm
    list_display = ["text", "guide", "kind", "position"]
    list_filter = ["kind", "guide__status"]
    list_select_related = ["guide__theme"]
    search_fields = ["text", "ref", "guide__theme__name"]
    autocomplete_fields = ["guide", *CITED_FIELDS]
    fields = ["guide", *CLAIM_FIELDS, "ref"]
    readonly_fields = ["ref"]

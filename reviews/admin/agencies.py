"""The agencies (professions) recommendations and actions concern: the list itself."""

from __future__ import annotations

from django.contrib import admin

from ..models import Action, Agency, Recommendation
from .base import KbAdmin
from .counts import count_of


@admin.register(Agency)
class AgencyAdmin(KbAdmin):
    list_display = ["name", "slug", "position", "recommendation_count", "action_count"]
    list_editable = ["position"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "description", "position"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_recommendations=count_of(Recommendation.agencies.through, "agency"),
                n_actions=count_of(Action.agencies.through, "agency"),
            )
        )

    @admin.display(description="Recommendations", ordering="n_recommendations")
    def recommendation_count(self, obj):
        return obj.n_recommendations

    @admin.display(description="Actions", ordering="n_actions")
    def action_count(self, obj):
        return obj.n_actions

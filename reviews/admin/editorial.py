"""Old web addresses: visible so an editor can see, and remove, a redirect."""

from __future__ import annotations

from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

from ..models import OldSlug


@admin.register(OldSlug)
class OldSlugAdmin(admin.ModelAdmin):
    list_display = ["slug", "content_type", "leads_to", "created_at"]
    list_filter = ["content_type"]
    search_fields = ["slug"]
    list_select_related = ["content_type"]
    readonly_fields = ["slug", "content_type", "leads_to", "created_at"]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False  # recorded automatically when a slug changes

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="Now leads to")
    def leads_to(self, obj):
        target = obj.content_object
        if target is None:
            return "Nothing (the page was deleted)"
        try:
            url = reverse(f"admin:{obj.content_type.app_label}_{obj.content_type.model}_change", args=[target.pk])
        except NoReverseMatch:
            return str(target)
        return format_html('<a href="{}">{}</a>', url, target)

"""Old web addresses and moved entries: where old links lead (and, for an old address, a way to remove it)."""

from __future__ import annotations

from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

from ..models import MovedEntry, OldSlug


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
        return _admin_link(obj.content_type, obj.content_object, missing="Nothing (the page was deleted)")


@admin.register(MovedEntry)
class MovedEntryAdmin(admin.ModelAdmin):
    """Entries the fixtures recorded again under another kind, or split: where their old links lead."""

    list_display = ["old_ref", "old_kind", "old_pk", "leads_to", "moved_at"]
    list_filter = ["old_kind"]
    search_fields = ["old_ref"]
    list_select_related = ["content_type"]
    readonly_fields = ["old_ref", "old_kind", "old_pk", "content_type", "leads_to", "moved_at"]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False  # recorded by load_kb from the fixtures' "replaces"

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="Now leads to")
    def leads_to(self, obj):
        return _admin_link(obj.content_type, obj.content_object, missing="Nothing (the item was deleted)")


def _admin_link(content_type, target, *, missing: str):
    """A link to ``target``'s admin page, its name if it has none, or ``missing``."""
    if target is None:
        return missing
    try:
        url = reverse(f"admin:{content_type.app_label}_{content_type.model}_change", args=[target.pk])
    except NoReverseMatch:
        return str(target)
    return format_html('<a href="{}">{}</a>', url, target)

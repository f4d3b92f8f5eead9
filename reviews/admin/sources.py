"""Partnerships, source documents with the resources they name, collections."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db import models

from ..models import Collection, Partnership, Resource, Source
from ..services import source_publish, source_unpublish
from .base import KbAdmin
from .counts import can_publish
from .forms import KbModelForm
from .reviews import status_badge


@admin.register(Partnership)
class PartnershipAdmin(KbAdmin):
    list_display = ["name", "short_name", "area"]
    search_fields = ["name", "short_name", "area"]
    prepopulated_fields = {"slug": ["name"]}


class ResourceInline(admin.TabularInline):
    model = Resource
    form = KbModelForm
    extra = 0
    fields = ["name", "kind", "url", "details_as_stated", "note", "position"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 40})}}


@admin.register(Source)
class SourceAdmin(KbAdmin):
    list_display = ["title", "partnership", "kind", "published_display", "status_label", "file_name"]
    list_filter = ["status", "kind", "partnership"]
    list_select_related = ["partnership"]
    search_fields = ["title", "file_name", "original_text", "publisher_as_stated"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["partnership"]
    readonly_fields = ["status_label"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "partnership", "publisher_as_stated"]}),
        ("Date", {"fields": [("published_on", "published_precision")]}),
        ("The document", {"fields": ["original_text", "file_name", "excluded_passages"]}),
        (
            "Publication",
            {
                "fields": ["status_label"],
                "description": "A source is published with the first review drawn from it. A source with "
                "learning of its own, not tied to a review, can be published with the 'Publish' action in the list.",
            },
        ),
    ]
    inlines = [ResourceInline]
    actions = ["publish_selected", "unpublish_selected"]

    @admin.display(description="Published")
    def published_display(self, obj):
        return obj.published_display or "Not given"

    @admin.display(description="Status", ordering="status")
    def status_label(self, obj):
        return status_badge(obj)

    def has_publish_permission(self, request):
        return can_publish(request.user)

    @admin.action(description="Publish selected sources", permissions=["publish"])
    def publish_selected(self, request, queryset):
        sources = list(queryset)
        for source in sources:
            source_publish(source=source, user=request.user)
        self.message_user(request, f"Published {len(sources)} source(s).", messages.SUCCESS)

    @admin.action(description="Unpublish selected sources (back to draft)", permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        sources = list(queryset)
        for source in sources:
            source_unpublish(source=source, user=request.user)
        self.message_user(request, f"{len(sources)} source(s) back to draft.", messages.SUCCESS)


@admin.register(Resource)
class ResourceAdmin(KbAdmin):
    list_display = ["name", "kind", "source", "url"]
    list_filter = ["kind"]
    list_select_related = ["source"]
    search_fields = ["name", "details_as_stated", "note"]
    autocomplete_fields = ["source"]


@admin.register(Collection)
class CollectionAdmin(KbAdmin):
    list_display = ["title", "source"]
    list_select_related = ["source"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["source"]

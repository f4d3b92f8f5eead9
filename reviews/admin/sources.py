"""Partnerships, source documents with the resources they name, their sections, collections."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db import models

from ..models import Collection, Partnership, Resource, Section, Source
from ..services import source_publish, source_unpublish
from .base import KbAdmin
from .counts import can_publish
from .forms import EntryForm, section_label
from .reviews import status_badge


@admin.register(Partnership)
class PartnershipAdmin(KbAdmin):
    list_display = ["name", "short_name", "area"]
    search_fields = ["name", "short_name", "area"]
    prepopulated_fields = {"slug": ["name"]}


class ResourceInline(admin.TabularInline):
    model = Resource
    form = EntryForm
    extra = 0
    fields = ["name", "kind", "url", "details_as_stated", "note", "section", "passage", "kind_note", "position"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 40})}}

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # The source's own sections, for new resources too (their source is set after the form is made).
        if obj is not None and "section" in formset.form.base_fields:
            field = formset.form.base_fields["section"]
            field.queryset = Section.objects.filter(source=obj).select_related("parent").order_by("position", "pk")
            field.label_from_instance = section_label
        return formset


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
            "The published original",
            {
                "fields": ["original_url", "original_url_origin"],
                "description": "Pages offer “Read the original briefing” with this address. An address the "
                "knowledge base added is shown as added by the knowledge base.",
            },
        ),
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
    form = EntryForm
    list_display = ["name", "kind", "source", "url"]
    list_filter = ["kind"]
    list_select_related = ["source"]
    search_fields = ["name", "details_as_stated", "note", "changed_to"]
    autocomplete_fields = ["source"]
    fieldsets = [
        (None, {"fields": ["source", "name", "kind", "url", "details_as_stated", "note"]}),
        ("Where the briefing gives it", {"fields": ["section", "passage", "kind_note", "position", "ref"]}),
        (
            "Changed since the briefing",
            {
                "fields": ["changed_to", "changed_to_url", ("changed_on", "changed_precision"), "change_note"],
                "description": "Only when the knowledge base knows that this guidance, procedure or other "
                "resource has been replaced or changed since the briefing. Pages show it beside the resource as "
                "“Changed since this briefing”, noted by the knowledge base. The briefing's own words are never "
                "changed.",
            },
        ),
    ]


class SectionForm(EntryForm):
    """A section's parent is another section of the same briefing."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("parent")
        if field is not None:
            source_id = self.source_id()
            tables_and_rows = Section.objects.filter(layout__in=[Section.Layout.TABLE, Section.Layout.ROW])
            field.queryset = (
                tables_and_rows.filter(source_id=source_id).exclude(pk=self.instance.pk).select_related("parent")
                if source_id
                else Section.objects.none()
            )
            field.label_from_instance = section_label


@admin.register(Section)
class SectionAdmin(KbAdmin):
    """The headings of each briefing, in order, with what each section is for."""

    form = SectionForm
    list_display = ["heading_label", "role", "layout", "source", "review", "position"]
    list_filter = ["role", "layout", "source"]
    list_select_related = ["source", "review", "parent"]
    search_fields = ["heading", "ref", "source__title"]
    autocomplete_fields = ["source", "review"]
    readonly_fields = ["entry_count"]
    fieldsets = [
        (None, {"fields": ["heading", "role", "source", "review"]}),
        (
            "Tables",
            {
                "fields": ["layout", "parent"],
                "description": "A table keeps its shape: its caption is a section of layout 'table', each row a "
                "'row' under it (the row heading), and each column of a row a 'cell' under the row, headed by "
                "the column heading as printed.",
            },
        ),
        ("Order and link", {"fields": ["position", "ref", "entry_count"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).order_by("source__title", "position", "pk")

    @admin.display(description="Heading", ordering="heading")
    def heading_label(self, obj):
        return section_label(obj)

    @admin.display(description="Entries under it")
    def entry_count(self, obj):
        if obj.pk is None:
            return "—"
        return sum(
            related.count()
            for related in (obj.case_facts, obj.learning_points, obj.recommendations, obj.actions, obj.resources)
        )


@admin.register(Collection)
class CollectionAdmin(KbAdmin):
    list_display = ["title", "source"]
    list_select_related = ["source"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["source"]

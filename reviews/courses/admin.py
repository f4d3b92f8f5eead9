"""Admin for trainers: course packs (ordered items with notes) and reflection questions.

Staff in the *Trainer* group (permissions from migration ``0005_reuse``)
build packs here: an inline of ordered steps, each picking a theme, review,
learning point, recommendation or action through autocomplete, with notes.
Only public content is offered and accepted (the steps' ``limit_choices_to``,
``reviews.models.courses.PublicOnly``). Reflection questions print on every
public briefing, so Editors set them; Trainers only read them (migration
``0016``). Imported, and so registered, by ``reviews/admin/__init__.py``.
"""

from django import forms
from django.contrib import admin
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html

from ..admin.base import HistoryAdmin
from ..admin.markdown_preview import MarkdownPreviewMixin
from ..models import CoursePack, CoursePackItem, ReflectionQuestion
from ..models.courses import NOT_PUBLIC_MESSAGE


class CoursePackItemForm(forms.ModelForm):
    """A step: its target is chosen among public content only.

    A step whose content has since been unpublished still shows it, so that
    the trainer sees which it is: saving then says it can no longer be
    included (rather than silently emptying the field), until it is
    published again or the step is changed or deleted.
    """

    class Meta:
        model = CoursePackItem
        fields = ["position", "kind", *CoursePackItem.TARGET_FIELDS.values(), "notes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in CoursePackItem.TARGET_FIELDS.values():
            field = self.fields.get(name)
            if field is None:
                continue
            field.error_messages["invalid_choice"] = NOT_PUBLIC_MESSAGE
            current = getattr(self.instance, f"{name}_id")
            if current is not None:
                field.queryset = field.queryset.model._default_manager.filter(
                    Q(pk__in=field.queryset.values("pk")) | Q(pk=current)
                )


class CoursePackItemInline(MarkdownPreviewMixin, admin.StackedInline):
    model = CoursePackItem
    form = CoursePackItemForm
    extra = 0
    ordering = ["position", "id"]
    fields = [
        ("position", "kind"),
        ("theme", "review"),
        ("learning_point", "recommendation", "action"),
        "notes",
        "label_snapshot",
    ]
    readonly_fields = ["label_snapshot"]
    autocomplete_fields = ["theme", "review", "learning_point", "recommendation", "action"]
    verbose_name = "step"
    verbose_name_plural = "steps (in order; fill in the one field that matches the kind)"


@admin.register(CoursePack)
class CoursePackAdmin(MarkdownPreviewMixin, HistoryAdmin):
    list_display = ["title", "status", "owner", "step_count", "updated_at"]
    list_filter = ["status"]
    search_fields = ["title", "introduction"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["owner", "links"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "status", "introduction"]}),
        ("Sharing", {"fields": ["links", "owner"]}),
    ]
    inlines = [CoursePackItemInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("owner").annotate(step_total=Count("items"))

    @admin.display(description="Steps", ordering="step_total")
    def step_count(self, obj):
        return obj.step_total

    @admin.display(description="Links to share")
    def links(self, obj):
        if obj.pk is None:
            return "Save the pack to get its links."
        return format_html(
            '<a href="{}">Public page</a> (permanent link: <code>{}</code>) · <a href="{}">Print handout</a> · '
            '<a href="{}">Markdown</a> · <a href="{}">CSV</a>',
            obj.get_absolute_url(),
            obj.get_permalink(),
            reverse("reviews:coursepack-print", kwargs={"slug": obj.slug}),
            reverse("reviews:coursepack-markdown", kwargs={"slug": obj.slug}),
            reverse("reviews:coursepack-csv", kwargs={"slug": obj.slug}),
        )

    def save_model(self, request, obj, form, change):
        if obj.owner_id is None:
            obj.owner = request.user
        super().save_model(request, obj, form, change)


@admin.register(ReflectionQuestion)
class ReflectionQuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "printed_on", "position", "is_active"]
    list_editable = ["position", "is_active"]
    list_filter = ["is_active", "theme"]
    search_fields = ["text"]
    autocomplete_fields = ["theme"]
    list_select_related = ["theme"]

    @admin.display(description="Printed on", ordering="theme__name")
    def printed_on(self, obj):
        return f"{obj.theme.name} briefing" if obj.theme_id else "Every briefing (general)"

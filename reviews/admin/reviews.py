"""The review admin: a review with its case facts, learning points and
recommendations on one page, publishing, and importing a new briefing."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from ..importing.decoding import BriefingFileError
from ..models import THEMED_ENTRIES, Action, CaseFact, LearningPoint, PublicationStatus, Recommendation, Review, Theme
from ..safety import UnconfirmedFindings, review_publish_checked
from ..services import briefing_import_file, review_unpublish
from .base import KbAdmin
from .briefing_entries import entries_in_order_link, entries_in_order_view
from .counts import can_publish, count_of
from .forms import BriefingImportForm, EntryForm, RecommendationFormSet, WrappingLineField, accepted_formats
from .markdown_preview import MarkdownPreviewMixin, markdown_preview_view
from .safety import publish_or_check, safety_check_url, safety_check_view
from .tags import TagAutocomplete, TagNamesField, tag_suggestions_view, tags_box_script_view
from .tracking import status_reports_summary, tracker_link
from .triage import triage_link, triage_view

IMPORT_PERMISSIONS = [
    f"reviews.add_{model}"
    for model in ("review", "source", "resource", "learningpoint", "recommendation", "action", "casefact")
]


def status_badge(obj) -> str:
    return format_html('<span class="kb-status kb-status--{}">{}</span>', obj.status, obj.get_status_display())


class ReviewItemInline(MarkdownPreviewMixin, admin.StackedInline):
    """Entries of a review, edited on the review's page."""

    form = EntryForm
    extra = 0
    autocomplete_fields = ["source"]
    # Folded until opened, so the review's page starts short; a section with an error opens itself.
    classes = ["collapse", "kb-entries"]
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 6, "cols": 90, "class": "vLargeTextField"})}
    }

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("source", "section")
        if hasattr(self.model, "themes"):
            queryset = queryset.prefetch_related("themes")
        return queryset

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # New entries usually quote the review's own briefing: start with it.
        if obj is not None and "source" in formset.form.base_fields:
            sources = list(obj.sources.values_list("pk", flat=True)[:2])
            if len(sources) == 1:
                formset.form.base_fields["source"].initial = sources[0]
        return formset


class CaseFactInline(ReviewItemInline):
    model = CaseFact
    fields = ["text", ("kind", "position"), "themes", ("source", "section"), "kind_note"]
    autocomplete_fields = ["themes", "source"]


class LearningPointInline(ReviewItemInline):
    model = LearningPoint
    fields = ["text", ("kind", "position"), "themes", ("source", "section"), "kind_note"]
    autocomplete_fields = ["themes", "source"]
    show_change_link = True


class RecommendationInline(ReviewItemInline):
    model = Recommendation
    formset = RecommendationFormSet
    fields = [
        ("number", "addressed_to", "position"),
        "text",
        "themes",
        ("source", "section"),
        "kind_note",
        "actions_link",
    ]
    readonly_fields = ["actions_link"]
    autocomplete_fields = ["themes", "source"]
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_actions=count_of(Action, "recommendation"))

    @admin.display(description="Actions answering it")
    def actions_link(self, obj):
        if obj is None or obj.pk is None:
            return "Save the review first; then the actions answering this recommendation can be added."
        n = getattr(obj, "n_actions", None)
        if n is None:
            n = obj.actions.count()
        label = f"{n} action{'s' if n != 1 else ''}" if n else "No actions yet"
        url = reverse("admin:reviews_recommendation_change", args=[obj.pk])
        return format_html('<a href="{}#actions-group">{}: view, add or update their status</a>', url, label)


class ThemeListFilter(admin.SimpleListFilter):
    """Reviews a theme is in: with at least one case fact, learning point, recommendation or
    action under it (``THEMED_ENTRIES``, the one rule)."""

    title = "theme"
    parameter_name = "theme"

    def lookups(self, request, model_admin):
        return list(Theme.objects.values_list("slug", "name"))

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        slug = self.value()
        found = Q()
        for model in THEMED_ENTRIES:
            found |= Q(pk__in=model.objects.filter(themes__slug=slug).values("review_id"))
        return queryset.filter(found)


@admin.register(Review)
class ReviewAdmin(KbAdmin):
    full_text_search = True
    list_display = [
        "title",
        "review_type",
        "partnership_label",
        "year",
        "status_label",
        "learning_point_count",
        "recommendation_count",
        "action_count",
    ]
    list_filter = ["status", "review_type", "partnership", ThemeListFilter, "year"]
    list_select_related = ["partnership"]
    search_fields = ["title", "children", "summary", "slug", "partnership__name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["partnership", "collection", "sources", "summary_source"]
    readonly_fields = ["status_label", "first_published_at", "action_status_reports"]
    # The sections fold (Django's "collapse": a <details> element), so the page opens short;
    # a section holding a field with an error opens itself.
    fieldsets = [
        ("The review", {"fields": ["title", "review_type", "partnership", "children"]}),
        (
            "Dates",
            {
                "classes": ["collapse"],
                "fields": [("published_on", "published_precision"), ("commissioned_on", "commissioned_precision")],
                "description": "Give dates only as precisely as the briefing does: for 'September 2019' enter "
                "01/09/2019 and choose 'Month'.",
            },
        ),
        ("Summary", {"classes": ["collapse"], "fields": ["summary", "summary_source"]}),
        ("Briefings, collection and tags", {"classes": ["collapse"], "fields": ["sources", "collection", "tags"]}),
        ("Web address", {"classes": ["collapse"], "fields": ["slug"]}),
        (
            "Publication",
            {
                "classes": ["collapse"],
                "fields": ["status_label", "first_published_at"],
                "description": "Use the 'Save and publish' button at the bottom of the page, or the "
                "'Publish' action in the list of reviews, to publish a review with its sources.",
            },
        ),
        ("What happened to its actions", {"classes": ["collapse"], "fields": ["action_status_reports"]}),
    ]
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 6, "cols": 90, "class": "vLargeTextField"})},
    }
    inlines = [CaseFactInline, LearningPointInline, RecommendationInline]
    actions = ["publish_selected", "unpublish_selected"]
    save_on_top = True

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_learning_points=count_of(LearningPoint, "review"),
                n_recommendations=count_of(Recommendation, "review"),
                n_actions=count_of(Action, "review"),
            )
        )

    @admin.display(description="Status", ordering="status")
    def status_label(self, obj):
        return status_badge(obj)

    @admin.display(description="Status updates reported since the briefing")
    def action_status_reports(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        actions = obj.actions.select_related("recommendation").prefetch_related("updates").order_by("position", "pk")
        items = format_html_join(
            "",
            "<li>{}{}{}</li>",
            (
                (
                    f"{action.recommendation.label}: " if action.recommendation_id else "",
                    Truncator(action.text).words(14, truncate=" …"),
                    status_reports_summary(action),
                )
                for action in actions
            ),
        )
        return format_html("<ul>{}</ul><p>{}</p>", items, tracker_link(review=obj)) if items else "No actions yet."

    @admin.display(description="Partnership", ordering="partnership__name")
    def partnership_label(self, obj):
        partnership = obj.partnership
        if partnership is None:
            return "—"
        return format_html('<abbr title="{}">{}</abbr>', partnership.name, partnership.short_name or partnership.name)

    @admin.display(description="Learning points", ordering="n_learning_points")
    def learning_point_count(self, obj):
        return obj.n_learning_points

    @admin.display(description="Recommendations", ordering="n_recommendations")
    def recommendation_count(self, obj):
        return obj.n_recommendations

    @admin.display(description="Actions", ordering="n_actions")
    def action_count(self, obj):
        return obj.n_actions

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "title":
            # A long title wraps in its box instead of running out of sight in a one-line field.
            return db_field.formfield(form_class=WrappingLineField, widget=WrappingLineField.widget, **kwargs)
        if db_field.name == "tags":
            return db_field.formfield(
                form_class=TagNamesField,
                widget=TagAutocomplete(
                    suggestions_url=reverse("admin:reviews_review_tag_suggestions"),
                    script_url=reverse("admin:reviews_review_tags_box_script"),
                ),
                help_text="Risk factors and other keywords, e.g. co-sleeping, alcohol. Start typing to see the "
                "tags already in use, most used first, and choose one where it fits rather than a new spelling; "
                "to add a new tag, type it and press Enter or a comma.",
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    # -- Publishing ---------------------------------------------------------

    def has_publish_permission(self, request):
        return can_publish(request.user)

    @admin.action(description="Publish selected reviews (with their sources)", permissions=["publish"])
    def publish_selected(self, request, queryset):
        published, waiting = [], []
        for review in queryset:
            try:
                review_publish_checked(review=review, user=request.user)
            except UnconfirmedFindings as error:
                waiting.append((review, len(error.result.to_confirm)))
            else:
                published.append(review)
        if published:
            self.message_user(
                request,
                f"Published {len(published)} review{'s' if len(published) != 1 else ''} and their sources: "
                "they are now public.",
                messages.SUCCESS,
            )
        for review, n in waiting:
            self.message_user(
                request,
                format_html(
                    "“{}” is not published: the safety check found {} detail{} that may identify someone. "
                    '<a href="{}">Check and confirm them</a>.',
                    review,
                    n,
                    "s" if n != 1 else "",
                    safety_check_url(review) + "?publish=1",
                ),
                messages.WARNING,
            )

    @admin.action(description="Unpublish selected reviews (back to draft)", permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        reviews = list(queryset)
        for review in reviews:
            review_unpublish(review=review, user=request.user)
        self.message_user(
            request,
            f"{len(reviews)} review{'s are' if len(reviews) != 1 else ' is'} back to draft: "
            "no longer shown to the public.",
            messages.SUCCESS,
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context.update(
            kb_entries_link=entries_in_order_link(obj) if obj is not None and obj.pk else "",
            kb_can_publish=can_publish(request.user) and self.has_change_permission(request, obj),
            kb_is_published=bool(obj and obj.status == PublicationStatus.PUBLISHED),
            kb_triage_link=triage_link(obj) if obj is not None and obj.pk else "",
        )
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def _publish_from_button(self, request, obj):
        """``None`` when neither button was pressed; else where to go next
        (``True``: the page itself; a response: the safety check)."""
        wanted = "_publish" in request.POST, "_unpublish" in request.POST
        if not any(wanted):
            return None
        if not can_publish(request.user):
            raise PermissionDenied
        if wanted[0]:
            waiting = publish_or_check(self, request, obj)
            if waiting is not None:
                return waiting
            self.message_user(
                request,
                format_html(
                    '“{}” is published: it and its entries are now public. <a href="{}">View it on the site</a>.',
                    obj,
                    obj.get_absolute_url(),
                ),
                messages.SUCCESS,
            )
        else:
            review_unpublish(review=obj, user=request.user)
            self.message_user(request, f"“{obj}” is back to draft: only staff can see it.", messages.SUCCESS)
        return True

    def response_change(self, request, obj):
        done = self._publish_from_button(request, obj)
        if done is True:
            return HttpResponseRedirect(request.path)
        return done or super().response_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        done = self._publish_from_button(request, obj)
        if done is True:
            return redirect(reverse("admin:reviews_review_change", args=[obj.pk]))
        return done or super().response_add(request, obj, post_url_continue)

    # -- Importing a briefing ---------------------------------------------

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_briefing_view), name="reviews_review_import"),
            path(
                "markdown-preview/",
                self.admin_site.admin_view(markdown_preview_view),
                name="reviews_review_markdown_preview",
            ),
            path(
                "<path:object_id>/safety/",
                self.admin_site.admin_view(self.safety_check_view),
                name="reviews_review_safety",
            ),
            path(
                "<path:object_id>/entries/",
                self.admin_site.admin_view(lambda request, object_id: entries_in_order_view(self, request, object_id)),
                name="reviews_review_entries",
            ),
            path(
                "<path:object_id>/triage/",
                self.admin_site.admin_view(lambda request, object_id: triage_view(self, request, object_id)),
                name="reviews_review_triage",
            ),
            path(
                "tag-suggestions/",
                self.admin_site.admin_view(self.tag_suggestions_view),
                name="reviews_review_tag_suggestions",
            ),
            path(
                "tags-box.js",
                self.admin_site.admin_view(tags_box_script_view, cacheable=True),
                name="reviews_review_tags_box_script",
            ),
            *super().get_urls(),
        ]

    def safety_check_view(self, request, object_id):
        return safety_check_view(self, request, object_id)

    def tag_suggestions_view(self, request):
        return tag_suggestions_view(self, request)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "kb_can_import": request.user.has_perms(IMPORT_PERMISSIONS)}
        return super().changelist_view(request, extra_context)

    def import_briefing_view(self, request):
        if not request.user.has_perms(IMPORT_PERMISSIONS):
            raise PermissionDenied
        form = BriefingImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                result = briefing_import_file(
                    name=form.cleaned_data["file"].name,
                    data=form.file_bytes,
                    title=form.cleaned_data["title"],
                    partnership=form.cleaned_data["partnership"],
                    user=request.user,
                )
            except BriefingFileError as error:
                form.add_error("file", str(error))
            else:
                self.message_user(
                    request, format_html("{} {}.", import_summary(result), triage_link(result.review)), messages.SUCCESS
                )
                return redirect(reverse("admin:reviews_review_change", args=[result.review.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": "Import a briefing",
            "form": form,
            "formats": accepted_formats(),
            "opts": self.model._meta,
            "media": self.media + form.media,
            "errors": form.errors,
        }
        return TemplateResponse(request, "admin/reviews/review/import_briefing.html", context)


def import_summary(result) -> str:
    """What an import created, in a sentence an editor can check."""
    labels = [
        ("learning", "learning point", "learning points"),
        ("good_practice", "good practice entry", "good practice entries"),
        ("question", "question to consider", "questions to consider"),
        ("recommendation", "recommendation", "recommendations"),
        ("action", "action", "actions"),
        ("case_fact", "case fact", "case facts"),
    ]
    parts = [f"{result.counts[key]} {one if result.counts[key] == 1 else many}" for key, one, many in labels]
    resources = result.source.resources.count()
    parts.append(f"{resources} resource{'s' if resources != 1 else ''}")
    entries = sum(result.counts.values())
    sentences = [
        f"Imported “{result.review.title}” as a draft: {', '.join(parts[:-1])} and {parts[-1]}.",
        f"Themes were suggested for {result.themed} of {entries} entries.",
    ]
    if len(result.reviews) > 1:
        titles = ", ".join(f"“{review.title}”" for review in result.reviews)
        sentences.append(f"The briefing is about {len(result.reviews)} children: one draft review each ({titles}).")
    if result.partnership_detected:
        partnership = result.review.partnership
        sentences.append(f"The partnership was set to {partnership}, the one the briefing names: check it.")
    elif result.partnership_proposal:
        sentences.append(
            f"The briefing names “{result.partnership_proposal['name']}”, which is not in the knowledge base yet: "
            "confirm it on the import's check screen."
        )
    if result.proposed_themes:
        n = len(result.proposed_themes)
        sentences.append(f"{n} new theme{'s' if n != 1 else ''} proposed where no theme fits.")
    if result.warnings:
        n = len(result.warnings)
        sentences.append(f"{n} warning{'s' if n != 1 else ''} to check.")
    sentences.append("Nothing is public yet: check each entry against the briefing, then publish.")
    return " ".join(sentences)

"""Themes: aliases, related themes, what uses each theme, and merging."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.timezone import localtime

from ..models import Action, LearningPoint, Recommendation, Theme, ThemeAlias
from ..services import theme_merge
from .base import KbAdmin
from .counts import count_of
from .forms import ThemeAliasForm, ThemeForm, ThemeMergeForm
from .national import ThemeNationalLinkInline

MERGE_LABELS_ONE = {
    "case facts": "case fact",
    "learning points": "learning point",
    "recommendations": "recommendation",
    "actions": "action",
    "reflection questions": "reflection question",
    "course pack steps": "course pack step",
    "uses recorded": "use recorded",
    "guide sentences and points": "guide sentence or point",
}


class ThemeAliasInline(admin.TabularInline):
    model = ThemeAlias
    form = ThemeAliasForm
    extra = 0
    autocomplete_fields = ["source"]
    verbose_name = "alias (another name a board uses for this theme)"
    verbose_name_plural = "aliases (other names boards use for this theme)"


@admin.register(Theme)
class ThemeAdmin(KbAdmin):
    form = ThemeForm
    full_text_search = True
    list_display = [
        "name",
        "alias_names",
        "learning_point_count",
        "recommendation_count",
        "action_count",
        "related_count",
    ]
    search_fields = ["name", "aliases__name", "summary", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["related_themes"]
    fields = ["name", "slug", "summary", "related_themes", "merged_themes_list"]
    readonly_fields = ["merged_themes_list"]
    inlines = [ThemeAliasInline, ThemeNationalLinkInline]
    actions = ["merge_themes"]

    def get_queryset(self, request):
        through = Theme.related_themes.through
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_learning_points=count_of(LearningPoint.themes.through, "theme"),
                n_recommendations=count_of(Recommendation.themes.through, "theme"),
                n_actions=count_of(Action.themes.through, "theme"),
                n_related=count_of(through, "from_theme"),
            )
            .prefetch_related("aliases")
        )

    @admin.display(description="Aliases")
    def alias_names(self, obj):
        return ", ".join(alias.name for alias in obj.aliases.all()) or "—"

    @admin.display(description="Learning points", ordering="n_learning_points")
    def learning_point_count(self, obj):
        return obj.n_learning_points

    @admin.display(description="Recommendations", ordering="n_recommendations")
    def recommendation_count(self, obj):
        return obj.n_recommendations

    @admin.display(description="Actions", ordering="n_actions")
    def action_count(self, obj):
        return obj.n_actions

    @admin.display(description="Related themes", ordering="n_related")
    def related_count(self, obj):
        return obj.n_related

    @admin.display(description="Themes merged into it")
    def merged_themes_list(self, obj):
        merges = list(obj.merged_themes.select_related("merged_by")) if obj and obj.pk else []
        if not merges:
            return "None. (Merging themes from the list of themes records them here.)"
        return format_html_join(
            "; ",
            "“{}” (was /themes/{}/), merged {}{}",
            (
                (
                    merge.merged_name,
                    merge.merged_slug,
                    date_format(localtime(merge.merged_at), "j F Y"),
                    f" by {merge.merged_by.get_username()}" if merge.merged_by else "",
                )
                for merge in merges
            ),
        )

    @admin.action(description="Merge selected themes into one…", permissions=["change", "delete"])
    def merge_themes(self, request, queryset):
        themes = list(queryset.order_by("name"))
        if "apply" in request.POST:
            form = ThemeMergeForm(request.POST)
            if form.is_valid():
                into = form.cleaned_data["into"]
                result = theme_merge(themes=themes, into=into, user=request.user)
                moved = ", ".join(
                    f"{n} {label if n != 1 else MERGE_LABELS_ONE[label]}" for label, n in result.moved.items() if n
                )
                merged = ", ".join(f"“{name}”" for name in result.merged) or "nothing"
                self.message_user(
                    request,
                    f"Merged {merged} into “{into.name}”: moved {moved or 'nothing'}. The merged names are now "
                    f"aliases of “{into.name}”, and their old web addresses and permanent links lead to it.",
                    messages.SUCCESS,
                )
                return None
        else:
            form = ThemeMergeForm(initial={"into": themes[0].pk if themes else None})
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge themes",
            "themes": themes,
            "form": form,
            "opts": self.model._meta,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/reviews/theme/merge.html", context)

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:
            self.message_user(
                request,
                "A theme cannot be deleted while reflection questions are written for it: they are the "
                "knowledge base's own prompts, printed on its briefing. Give each question another theme (or "
                "none, to print it on every briefing) under 'Reflection questions', or merge this theme into "
                "another one instead, which moves its questions with it.",
                messages.WARNING,
            )
        return deleted, counts, perms_needed, protected


@admin.register(ThemeAlias)
class ThemeAliasAdmin(KbAdmin):
    form = ThemeAliasForm
    list_display = ["name", "theme", "source"]
    list_select_related = ["theme", "source"]
    search_fields = ["name", "theme__name"]
    autocomplete_fields = ["theme", "source"]

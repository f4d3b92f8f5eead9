"""National theme frameworks, their themes, and which local themes fall under them."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import models

from ..models import NationalTheme, ThemeFramework, ThemeNationalLink
from .base import KbAdmin

# Names and report titles run long: a box as wide as the description's.
WIDE_TEXT = {models.CharField: {"widget": forms.TextInput(attrs={"size": 90})}}
# A reason is a sentence or two.
SHORT_TEXTAREA = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 70})}}


class NationalThemeInline(admin.TabularInline):
    """A framework's themes, in its order."""

    model = NationalTheme
    extra = 0
    fields = ["position", "name", "slug", "report_title", "report_period"]
    prepopulated_fields = {"slug": ["name"]}
    show_change_link = True


@admin.register(ThemeFramework)
class ThemeFrameworkAdmin(KbAdmin):
    list_display = ["name", "publisher", "position"]
    search_fields = ["name", "publisher", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "publisher", "url", "description", "position"]
    formfield_overrides = WIDE_TEXT
    inlines = [NationalThemeInline]


class LocalThemeLinkInline(admin.TabularInline):
    """On a national theme: the local themes under it, each with the reason."""

    model = ThemeNationalLink
    extra = 0
    autocomplete_fields = ["theme"]
    fields = ["theme", "justification"]
    formfield_overrides = SHORT_TEXTAREA
    verbose_name = "local theme under this national theme"
    verbose_name_plural = "local themes under this national theme (each with why, in the knowledge base's words)"


@admin.register(NationalTheme)
class NationalThemeAdmin(KbAdmin):
    list_display = ["name", "framework", "report_title", "report_period", "position"]
    list_filter = ["framework"]
    list_select_related = ["framework"]
    search_fields = ["name", "slug", "report_title", "description"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["framework", "name", "slug", "report_title", "report_period", "report_url", "description", "position"]
    formfield_overrides = WIDE_TEXT
    inlines = [LocalThemeLinkInline]


@admin.register(ThemeNationalLink)
class ThemeNationalLinkAdmin(KbAdmin):
    """Every link, with its own history (the inlines on a theme and a national theme edit the same rows)."""

    list_display = ["theme", "national_theme", "justification"]
    list_filter = ["national_theme__framework", "national_theme"]
    list_select_related = ["theme", "national_theme__framework"]
    search_fields = ["theme__name", "national_theme__name", "justification"]
    autocomplete_fields = ["theme", "national_theme"]
    fields = ["theme", "national_theme", "justification"]


class ThemeNationalLinkInline(admin.TabularInline):
    """On a local theme: the national themes it falls under, each with the reason."""

    model = ThemeNationalLink
    extra = 0
    autocomplete_fields = ["national_theme"]
    fields = ["national_theme", "justification"]
    formfield_overrides = SHORT_TEXTAREA
    verbose_name = "national theme it falls under"
    verbose_name_plural = "national themes it falls under (each with why, in the knowledge base's words)"

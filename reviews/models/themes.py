"""Themes that cut across reviews, the headings boards use for them, and
the themes merged into others."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower
from simple_history.models import HistoricalRecords

from ..addresses import path_to
from .common import PublicThroughContentQuerySet, SlugNaturalKeyManager
from .publishers import Source


class ThemeQuerySet(PublicThroughContentQuerySet):
    """A theme is public once a published learning point, recommendation or action is on it."""

    def public(self):
        """Themes that published content is filed under: a published learning point
        (of a published review, or tied to no review and from a published source),
        recommendation or action is on it.

        The entries are those of the one "theme is in a review" rule
        (``reviews.selectors.common.theme_links``), so a public theme is exactly
        one the theme page, counts and filters find published content for. A
        theme no published entry uses (made for a draft, or not used yet) is
        not public, whatever its aliases or related themes.
        """
        # Imported here: the entries module imports this one (entries are filed under themes).
        from .entries import THEMED_ENTRIES

        used = Q()
        for model in THEMED_ENTRIES:
            used |= Exists(model.objects.published().filter(themes=OuterRef("pk")))
        return self.filter(used)


class ThemeManager(SlugNaturalKeyManager.from_queryset(ThemeQuerySet)):
    pass


class Theme(models.Model):
    slug = models.SlugField(
        "web address",
        max_length=100,
        unique=True,
        help_text="The last part of the theme's address on this site (/themes/<this>/): lower-case letters, "
        "numbers and hyphens. Changing it later keeps the old address working.",
    )
    name = models.CharField(max_length=150, unique=True, help_text="The name practitioners will see.")
    summary = models.TextField(
        blank=True,
        help_text="One or two sentences in the knowledge base's own words saying what the theme covers. "
        "It is shown labelled as the knowledge base's description, never as a board's words.",
    )
    related_themes = models.ManyToManyField(
        "self", blank=True, symmetrical=True, help_text="Themes practitioners should also look at."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ThemeManager()
    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[related_themes])

    class Meta:
        ordering = ["name"]
        constraints = [
            # "neglect" beside "Neglect" would split one theme's learning in two.
            models.UniqueConstraint(Lower("name"), name="theme_name_unique_case_insensitive"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return path_to("reviews:theme-detail", slug=self.slug)

    def natural_key(self):
        return (self.slug,)

    def get_permalink(self):
        return path_to("reviews:theme-permalink", pk=self.pk)


class ThemeAliasManager(models.Manager):
    def get_by_natural_key(self, name):
        return self.get(name__iexact=name)


class ThemeAlias(models.Model):
    """Another name for a theme: the heading a board uses for it."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200, help_text="The heading exactly as a briefing uses it.")
    source = models.ForeignKey(
        Source,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="theme_aliases",
        help_text="A briefing that uses this heading, if any.",
    )

    objects = ThemeAliasManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "theme aliases"
        constraints = [
            models.UniqueConstraint(Lower("name"), name="themealias_name_unique_case_insensitive"),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)


class ThemeMergeQuerySet(models.QuerySet):
    def kept_theme_for(self, theme_id: int) -> Theme | None:
        """The theme that a theme merged away (by its old primary key) now lives on in, if any."""
        merge = self.select_related("into").filter(merged_theme_id=theme_id).first()
        return merge.into if merge is not None else None


class ThemeMerge(models.Model):
    """A theme merged into another one, kept so that its permanent link
    (``/t/<id>/``) leads to the theme it became, as its old slugs do."""

    merged_theme_id = models.PositiveBigIntegerField(
        unique=True, help_text="The number (primary key) the merged theme had, as used in /t/<number>/ links."
    )
    merged_name = models.CharField(max_length=150, help_text="The merged theme's name.")
    merged_slug = models.SlugField(max_length=100, help_text="The merged theme's last slug.")
    into = models.ForeignKey(
        Theme, on_delete=models.CASCADE, related_name="merged_themes", help_text="The theme it was merged into."
    )
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    merged_at = models.DateTimeField(auto_now_add=True)

    objects = ThemeMergeQuerySet.as_manager()

    class Meta:
        ordering = ["-merged_at", "-id"]
        verbose_name = "merged theme"

    def __str__(self):
        return f"{self.merged_name} → {self.into}"

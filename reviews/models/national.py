"""National theme frameworks (the Child Safeguarding Practice Review Panel's
practice themes, and room for others) and the crosswalk from the knowledge
base's own themes to them.

A framework's themes are named as the report that gives them words them,
with that report's title and period as published. Which local theme falls
under which national theme is the knowledge base's own judgement, with the
reason given in its own words (``ThemeNationalLink.justification``): it is
shown labelled as such, never as the Panel's words.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .common import SlugNaturalKeyManager, WebAddressField, web_address_constraint
from .themes import Theme


class ThemeFramework(models.Model):
    """A published set of national themes, e.g. the Panel's practice themes."""

    name = models.CharField(
        max_length=200,
        unique=True,
        help_text="The framework's name, e.g. “Child Safeguarding Practice Review Panel national practice themes”.",
    )
    slug = models.SlugField(
        "web address",
        max_length=100,
        unique=True,
        help_text="The framework's part of its themes' web addresses (the first part after /national-themes/): "
        "lower-case letters, numbers and hyphens.",
    )
    publisher = models.CharField(
        max_length=200,
        help_text="Who publishes the themes, as they name themselves (e.g. “Child Safeguarding "
        "Practice Review Panel”).",
    )
    url = WebAddressField(
        "web address of the publisher",
        max_length=500,
        blank=True,
        help_text="Where the publisher's reports can be found (https:// or http://). Leave empty if not known.",
    )
    description = models.TextField(
        blank=True,
        help_text="A sentence or two in the knowledge base's own words saying what the framework is. "
        "Shown labelled as the knowledge base's description.",
    )
    position = models.PositiveIntegerField(default=0, help_text="Frameworks are listed in this order.")

    objects = SlugNaturalKeyManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = "national theme framework"
        constraints = [web_address_constraint("url", name="themeframework_url_http_or_https")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{reverse('reviews:national-theme-index')}#{self.slug}"

    def natural_key(self):
        return (self.slug,)


class NationalThemeManager(models.Manager):
    def get_by_natural_key(self, framework_slug, slug):
        return self.get(framework__slug=framework_slug, slug=slug)


class NationalTheme(models.Model):
    """One theme of a framework, named as the report that gives it words it."""

    framework = models.ForeignKey(ThemeFramework, on_delete=models.PROTECT, related_name="themes")
    name = models.CharField(
        max_length=300, help_text="The theme's name exactly as the report words it (capitals and punctuation too)."
    )
    slug = models.SlugField(
        "web address",
        max_length=100,
        help_text="The last part of the theme's web address (after /national-themes/ and the framework's part): "
        "lower-case letters, numbers and hyphens.",
    )
    report_title = models.CharField(
        max_length=300, help_text="The report the theme is named in, as its title was found stated."
    )
    report_period = models.CharField(
        "report's year or period",
        max_length=100,
        blank=True,
        help_text="The year or period the report covers, as published (e.g. “April 2022 to March 2023”). "
        "Leave empty if it was not found stated.",
    )
    report_url = WebAddressField(
        "web address of the report", max_length=500, blank=True, help_text="Where the report can be read, if known."
    )
    description = models.TextField(
        blank=True,
        help_text="What the theme is about, in the knowledge base's own words (never the report's). "
        "Shown labelled as the knowledge base's description.",
    )
    position = models.PositiveIntegerField(default=0, help_text="Its place in the framework's list.")
    local_themes = models.ManyToManyField(
        Theme,
        through="ThemeNationalLink",
        related_name="national_themes",
        blank=True,
        help_text="The knowledge base's themes that fall under this national theme.",
    )

    objects = NationalThemeManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["framework__position", "framework__name", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "slug"], name="nationaltheme_slug_unique_per_framework"),
            models.UniqueConstraint(fields=["framework", "name"], name="nationaltheme_name_unique_per_framework"),
            web_address_constraint("report_url", name="nationaltheme_report_url_http_or_https"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("reviews:national-theme-detail", kwargs={"framework": self.framework.slug, "slug": self.slug})

    def natural_key(self):
        return (self.framework.slug, self.slug)

    natural_key.dependencies = ["reviews.themeframework"]


class ThemeNationalLinkManager(models.Manager):
    def get_by_natural_key(self, theme_slug, framework_slug, national_slug):
        return self.get(
            theme__slug=theme_slug, national_theme__framework__slug=framework_slug, national_theme__slug=national_slug
        )


class ThemeNationalLink(models.Model):
    """A local theme falls under a national theme, and why (the knowledge base's judgement)."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="national_links")
    national_theme = models.ForeignKey(NationalTheme, on_delete=models.CASCADE, related_name="local_links")
    justification = models.TextField(
        help_text="Why this local theme falls under the national theme, in the knowledge base's own words. "
        "Shown labelled as the knowledge base's reasoning."
    )

    objects = ThemeNationalLinkManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["national_theme__position", "theme__name"]
        verbose_name = "national theme of a theme"
        verbose_name_plural = "national themes of themes"
        constraints = [
            models.UniqueConstraint(fields=["theme", "national_theme"], name="themenationallink_unique_pair"),
        ]

    def __str__(self):
        return f"{self.theme} → {self.national_theme}"

    def natural_key(self):
        return (self.theme.slug, *self.national_theme.natural_key())

    natural_key.dependencies = ["reviews.theme", "reviews.nationaltheme"]

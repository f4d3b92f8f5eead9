"""A theme's guide: what to do, in the knowledge base's own words, at the top of its page.

A ``ThemeGuide`` is the knowledge base's editors' short overview of a theme
and its practice points ("What reviews keep finding", "What to do
differently"). Every sentence and point is a ``GuideClaim`` that cites the
entries it rests on (learning points, recommendations, actions), which are
the briefings' words, quoted below it on the page. A claim with no citation
cannot be saved (``services.guides``, the admin's form, ``load_kb``), and it
is shown to the public only while every entry it cites is public: its words
rest on them, so a draft entry's words never reach the public through it.

The guide is always labelled as the knowledge base's words, never a board's.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from .common import PublicationStatus, PublishableQuerySet, RefNaturalKeyManager, new_ref
from .entries import Action, LearningPoint, Recommendation
from .themes import Theme

NO_CITATION_MESSAGE = (
    "Cite at least one learning point, recommendation or action that this sentence rests on: "
    "every sentence of a guide links to the entries it rests on."
)
# The kinds of entry a claim may cite, by the field that holds them.
CITED_FIELDS = ("learning_points", "recommendations", "actions")


class ThemeGuideQuerySet(PublishableQuerySet):
    """A guide is public when its own status is published (and each claim only while its entries are)."""


class ThemeGuideManager(models.Manager.from_queryset(ThemeGuideQuerySet)):
    def get_by_natural_key(self, theme_slug):
        return self.get(theme__slug=theme_slug)


class ThemeGuide(models.Model):
    """The editors' overview and practice points for one theme."""

    theme = models.OneToOneField(
        Theme,
        on_delete=models.CASCADE,
        related_name="guide",
        help_text="The theme this guide is shown at the top of.",
    )
    status = models.CharField(
        max_length=10,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
        help_text="A draft guide is only visible to staff. Publish it to show it at the top of the theme's page.",
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="theme_guides",
        help_text="The editor who wrote it, if recorded (filled in when an editor first saves it). "
        "Not shown to the public: the page says the knowledge base's editors wrote it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ThemeGuideManager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["theme__name"]
        verbose_name = "theme guide"

    def __str__(self):
        return f"Guide: {self.theme}"

    def get_absolute_url(self):
        return f"{self.theme.get_absolute_url()}#kb-guide"

    def natural_key(self):
        return (self.theme.slug,)

    natural_key.dependencies = ["reviews.theme"]

    @property
    def is_published(self) -> bool:
        return self.status == PublicationStatus.PUBLISHED


def _citations(model, related_name: str, label: str) -> models.ManyToManyField:
    return models.ManyToManyField(
        model,
        related_name=related_name,
        blank=True,
        verbose_name=f"{label} it rests on",
        help_text=f"The {label} whose words this sentence rests on. Start typing to find one.",
    )


class GuideClaim(models.Model):
    """One sentence of a guide's overview, or one practice point, with the entries it rests on."""

    class Kind(models.TextChoices):
        OVERVIEW = "overview", "Overview sentence"
        FINDING = "finding", "What reviews keep finding"
        PRACTICE = "practice", "What to do differently"

    guide = models.ForeignKey(ThemeGuide, on_delete=models.CASCADE, related_name="claims")
    ref = models.SlugField(
        "reference",
        max_length=120,
        unique=True,
        blank=True,
        help_text="A short permanent name for this sentence (filled in automatically if left blank).",
    )
    kind = models.CharField(
        max_length=10,
        choices=Kind.choices,
        default=Kind.FINDING,
        help_text="Where it is shown: in the overview, under “What reviews keep finding”, "
        "or under “What to do differently”.",
    )
    text = models.TextField(
        help_text="One sentence or point in the knowledge base's own plain words (not Markdown). "
        "Say only what the entries it cites say: no fact, number, date, name or outcome they do not state."
    )
    position = models.PositiveIntegerField(default=0, help_text="Its place in its list; lower numbers first.")
    learning_points = _citations(LearningPoint, "guide_claims", "learning points")
    recommendations = _citations(Recommendation, "guide_claims", "recommendations")
    actions = _citations(Action, "guide_claims", "actions")

    objects = RefNaturalKeyManager()
    history = HistoricalRecords(m2m_fields=[learning_points, recommendations, actions])

    class Meta:
        ordering = ["guide", "position", "id"]
        verbose_name = "guide sentence or point"
        verbose_name_plural = "guide sentences and points"
        constraints = [
            models.CheckConstraint(
                condition=~Q(text=""),
                name="guideclaim_text_not_empty",
                violation_error_message="Write the sentence or point.",
            ),
        ]

    def __str__(self):
        return self.text[:80]

    def save(self, *args, **kwargs):
        if not self.ref:
            self.ref = new_ref("guide", self.text)
        super().save(*args, **kwargs)

    def natural_key(self):
        return (self.ref,)

"""Evidence that learning was used: a team briefing, a course, a supervision.

Trainers and managers record each time they used a review, a theme or a
single learning point with practitioners (``LearningUse``): when, how, with
which agency or team, how many people, and a note. Only staff see the
records. The public pages show counts only ("Used in 4 team briefings since
March 2026"), never who, which team or the note: ``reviews.selectors.usage``
reads them, and the board's annual report takes the records as a CSV from
the admin.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .entries import LearningPoint
from .reviews import Review
from .themes import Theme


class LearningUse(models.Model):
    class Kind(models.TextChoices):
        TEAM_BRIEFING = "team_briefing", "Team briefing"
        COURSE = "course", "Course or training session"
        SUPERVISION = "supervision", "Supervision"
        OTHER = "other", "Other use"

    kind = models.CharField(
        "how it was used",
        max_length=20,
        choices=Kind.choices,
        help_text="A team briefing, a course or training session, a supervision, or another use.",
    )
    used_on = models.DateField(
        "date used", help_text="The day the learning was used (the briefing, course or supervision took place)."
    )
    agency = models.CharField(
        "agency or team",
        max_length=200,
        help_text="Who it was used with, e.g. 'Children's Social Care, North team'. Staff only: never shown on "
        "the public site.",
    )
    people = models.PositiveIntegerField(
        "number of people",
        help_text="How many practitioners took part. Only the number of uses is shown publicly.",
    )
    note = models.TextField(
        blank=True,
        help_text="Anything worth reporting to the board: what was discussed, what will change. Staff only.",
    )
    learning_point = models.ForeignKey(
        LearningPoint,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="uses",
        help_text="The single learning point that was used, if it was one. Choose exactly one of learning "
        "point, theme or review.",
    )
    theme = models.ForeignKey(
        Theme,
        # A theme with uses recorded is merged (they move with it), never deleted with them.
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="uses",
        help_text="The theme whose learning was used, if it was a theme as a whole.",
    )
    review = models.ForeignKey(
        Review,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="uses",
        help_text="The review whose briefing was used, if it was the review as a whole.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-used_on", "-id"]
        verbose_name = "use of learning"
        verbose_name_plural = "uses of learning"
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(learning_point__isnull=False, theme__isnull=True, review__isnull=True)
                    | Q(learning_point__isnull=True, theme__isnull=False, review__isnull=True)
                    | Q(learning_point__isnull=True, theme__isnull=True, review__isnull=False)
                ),
                name="learninguse_uses_exactly_one_thing",
            ),
            models.CheckConstraint(condition=Q(people__gte=1), name="learninguse_people_at_least_one"),
        ]
        indexes = [models.Index(fields=["used_on"], name="learninguse_used_on")]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.used_on:%-d %B %Y}: {self.used_label}"

    @property
    def used(self):
        """What was used: the learning point, theme or review."""
        return self.learning_point or self.theme or self.review

    @property
    def used_label(self) -> str:
        if self.learning_point_id:
            return f"learning point “{self.learning_point.text[:60]}”"
        if self.theme_id:
            return f"theme “{self.theme.name}”"
        if self.review_id:
            return f"review “{self.review.title}”"
        return "nothing chosen"

    def clean(self):
        super().clean()
        chosen = [name for name in ("learning_point", "theme", "review") if getattr(self, f"{name}_id")]
        if len(chosen) != 1:
            raise ValidationError(
                "Choose exactly one thing that was used: a learning point, a theme or a review "
                f"({'none' if not chosen else ' and '.join(name.replace('_', ' ') for name in chosen)} chosen)."
            )
        if self.used_on and self.used_on > timezone.localdate():
            raise ValidationError({"used_on": "This date is in the future: record a use once it has happened."})

"""A recommendation made again, or replaced, in a later review.

The same advice made again in a later review is itself learning ("this was
recommended in 2016, 2018 and 2023"). A ``RecommendationLink`` says that one
recommendation (``later``) repeats or replaces an earlier one (``earlier``):
the knowledge base's judgement, recorded by a member of staff, with an
optional note in the knowledge base's own words. The briefings' words are
never changed. The years shown come from the reviews' publication dates as
recorded (``Review.published_on``), never guessed.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from .common import DatePrecision, PublishableQuerySet
from .entries import Recommendation

# The finer a precision, the more of a date it gives (unknown gives none).
_PRECISION_RANK = {DatePrecision.YEAR: 1, DatePrecision.MONTH: 2, DatePrecision.DAY: 3}


def _date_parts(value, precision: str) -> tuple:
    """A recorded date as far as it is given: (year,), (year, month) or (year, month, day)."""
    rank = _PRECISION_RANK.get(precision, 0)
    return (value.year, value.month, value.day)[:rank] if value is not None else ()


def published_later_than(first_review, second_review) -> bool:
    """Whether ``first_review`` was published after ``second_review``, judged only on what both dates give
    ("2018" is not later than "March 2018"); False when either date is not recorded."""
    first = _date_parts(first_review.published_on, first_review.published_precision)
    second = _date_parts(second_review.published_on, second_review.published_precision)
    if not first or not second:
        return False
    shared = min(len(first), len(second))
    return first[:shared] > second[:shared]


class RecommendationLinkQuerySet(PublishableQuerySet):
    """A link is public only when both recommendations' reviews are published."""

    publication_field = "later__review__status"

    def published(self):
        return super().published().filter(earlier__review__status=self.published_value)


class RecommendationLink(models.Model):
    class Relation(models.TextChoices):
        REPEATS = "repeats", "Repeats (the same advice made again)"
        REPLACES = "replaces", "Replaces (takes its place)"

    later = models.ForeignKey(
        Recommendation,
        on_delete=models.CASCADE,
        related_name="earlier_links",
        verbose_name="the later recommendation",
        help_text="The recommendation that repeats or replaces the earlier one.",
    )
    earlier = models.ForeignKey(
        Recommendation,
        on_delete=models.CASCADE,
        related_name="later_links",
        verbose_name="the earlier recommendation",
        help_text="The recommendation made before, in an earlier review. Start typing its words or its "
        "review's title to find it.",
    )
    relation = models.CharField(
        max_length=10,
        choices=Relation.choices,
        default=Relation.REPEATS,
        help_text="Repeats: the same advice made again. Replaces: the later recommendation takes the earlier "
        "one's place.",
    )
    note = models.TextField(
        "note (the knowledge base's words)",
        blank=True,
        help_text="Optional: why they are linked, in the knowledge base's own words (never the briefing's). "
        "Shown labelled as a knowledge base note.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text="Who recorded the link.",
    )
    recorded_at = models.DateTimeField("recorded", auto_now_add=True, help_text="When the link was recorded.")

    objects = RecommendationLinkQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["later", "earlier__review__published_on", "earlier_id"]
        verbose_name = "earlier recommendation it repeats or replaces"
        verbose_name_plural = "earlier recommendations it repeats or replaces"
        constraints = [
            models.CheckConstraint(
                condition=~Q(earlier=models.F("later")),
                name="recommendationlink_not_to_itself",
                violation_error_message="A recommendation cannot repeat or replace itself.",
            ),
            models.UniqueConstraint(
                fields=["later", "earlier", "relation"],
                name="recommendationlink_unique_pair_and_relation",
                violation_error_message="These two recommendations are already linked in this way.",
            ),
        ]

    def __str__(self):
        relation = "Repeats" if self.relation == self.Relation.REPEATS else "Replaces"
        return f"{relation} {self.earlier.label.lower()} of {self.earlier.review}"

    def clean(self):
        super().clean()
        if not (self.later_id and self.earlier_id):
            return
        if self.later_id == self.earlier_id:
            raise ValidationError({"earlier": "A recommendation cannot repeat or replace itself."})
        if published_later_than(self.earlier.review, self.later.review):
            raise ValidationError(
                {
                    "earlier": f"This recommendation's review was published ({self.earlier.review.published_display}) "
                    f"after the later one's ({self.later.review.published_display}). Link the later "
                    "recommendation to the earlier one, from the later one's page."
                }
            )

"""What happened to an action after its review: dated status reports.

A briefing gives an action's status as it stood when the briefing was
written. Boards follow each action afterwards, from reports by the agency
doing the work ("Health Visiting service reported on 3 May 2021 that it is
done, with an audit showing ..."). Each report is an ``ActionUpdate``; the
latest is the action's current status (``Action.current_status``), and all
of them, oldest first, its history as reported. An update is shown to the
public exactly when its action is.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .common import PublishableQuerySet, format_partial_date
from .entries import Action


class ActionUpdateQuerySet(PublishableQuerySet):
    """Updates are public only when their action's review is."""

    publication_field = "action__review__status"


# An update reports a stage of the work; "not stated" is what a briefing says when it gives none.
REPORTED_STATUSES = [(value, label) for value, label in Action.Status.choices if value != Action.Status.NOT_STATED]


class ActionUpdate(models.Model):
    action = models.ForeignKey(
        Action,
        on_delete=models.CASCADE,
        related_name="updates",
        help_text="The action this report is about.",
    )
    reported_on = models.DateField(
        "date of the report",
        help_text="The day the report was made (e.g. the date of the board meeting or of the agency's letter).",
    )
    status = models.CharField(
        "status reported",
        max_length=20,
        choices=REPORTED_STATUSES,
        help_text="The stage of the work, as the report gives it.",
    )
    reported_by = models.CharField(
        "reported by",
        max_length=200,
        help_text="Who made the report, as they name themselves (e.g. 'Health Visiting service').",
    )
    evidence_of_impact = models.TextField(
        "evidence of impact",
        blank=True,
        help_text="What the report says shows the action made a difference (e.g. an audit's findings), "
        "in its own words. Leave empty if it gives none (Markdown).",
    )
    note = models.TextField(
        blank=True,
        help_text="Anything else the report says about the work, in its own words (Markdown).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActionUpdateQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["action", "reported_on", "id"]
        get_latest_by = ["reported_on", "id"]
        verbose_name = "status update"
        verbose_name_plural = "status updates"
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[value for value, _label in REPORTED_STATUSES]),
                name="actionupdate_status_is_a_stage_of_the_work",
                violation_error_message="Choose the stage of the work the report gives: planned, in progress or done.",
            ),
            models.CheckConstraint(
                condition=~Q(reported_by=""),
                name="actionupdate_reported_by_given",
                violation_error_message="Say who made the report.",
            ),
        ]

    def __str__(self):
        return f"{self.get_status_display()}, reported by {self.reported_by} on {self.reported_on_display}"

    def get_absolute_url(self):
        return self.action.get_absolute_url()

    def clean(self):
        super().clean()
        if self.reported_on and self.reported_on > timezone.localdate():
            raise ValidationError({"reported_on": "A report cannot be dated in the future."})

    @property
    def reported_on_display(self) -> str:
        return format_partial_date(self.reported_on, "day")

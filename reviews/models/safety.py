"""An editor's confirmation that something the publication safety check
found does not identify anyone (``reviews/safety/``).

One row per finding and review: the finding's key (its kind, where it is and
the words matched), what was matched and the passage around it as the editor
saw them, who confirmed it and when. A finding whose words change has a new
key, so it is asked about again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .reviews import Review


class SafetyConfirmation(models.Model):
    class Kind(models.TextChoices):
        NAME = "name", "A person's name"
        DATE_OF_BIRTH = "date_of_birth", "A date of birth"
        ADDRESS = "address", "A street address"
        POSTCODE = "postcode", "A postcode"
        PHONE = "phone", "A telephone number"
        EMAIL = "email", "An e-mail address"
        NHS_NUMBER = "nhs_number", "An NHS number"
        SCHOOL = "school", "A school's name"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="safety_confirmations")
    key = models.CharField(
        max_length=40, help_text="The finding's key: its kind, where it is and the words matched, hashed."
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.CharField("words found", max_length=300, help_text="The words the check found, as written.")
    location = models.CharField("where", max_length=300, help_text="The field and entry the words are in.")
    passage = models.TextField(blank=True, help_text="The passage around the words, as the editor saw it.")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "confirmed_at", "id"]
        verbose_name = "safety check confirmation"
        constraints = [
            models.UniqueConstraint(fields=["review", "key"], name="safety_confirmation_unique_per_review_key"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} “{self.text}” in {self.location}: checked"

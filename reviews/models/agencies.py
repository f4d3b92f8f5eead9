"""The agencies (professions) a practitioner works in, and which of them a
recommendation or an action is addressed to.

A briefing names who a recommendation is for and who does an action in its
own words ("All", "Police", "Policy and Procedures Group", "HSCB"); those
words stay as written (``Recommendation.addressed_to``, ``Action.owner``).
``agencies`` on each is the knowledge base's reading of them, normalised to
this short list (``reviews.agencies.agencies_for`` reads the words; editors
can correct it in the admin) and always shown labelled as such.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

# The agency standing for "every agency": an entry addressed to it concerns every
# profession, and is shown on every profession's page as such.
from ..agencies import ALL_AGENCIES
from .common import SlugNaturalKeyManager


class AgencyQuerySet(models.QuerySet):
    def public(self):
        """Every agency: the list is the knowledge base's own, with nothing of a draft in it."""
        return self.all()

    def professions(self):
        """The agencies a practitioner can choose as theirs: all but "all agencies"."""
        return self.exclude(slug=ALL_AGENCIES)


class AgencyManager(SlugNaturalKeyManager.from_queryset(AgencyQuerySet)):
    pass


class Agency(models.Model):
    """A profession or agency practitioners identify with: police, schools, health..."""

    slug = models.SlugField(
        "web address",
        max_length=60,
        unique=True,
        help_text="The last part of its page's address (/for/<this>/): lower-case letters, numbers and hyphens.",
    )
    name = models.CharField(max_length=100, unique=True, help_text="The name practitioners will see.")
    description = models.TextField(
        blank=True,
        help_text="In plain words, who it covers (e.g. 'Health visitors, midwives, GPs, hospitals...'). "
        "The knowledge base's own words, shown labelled as such.",
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Its place in lists; lower numbers first.")

    objects = AgencyManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "agencies"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("reviews:agency-detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)

    @property
    def is_all_agencies(self) -> bool:
        return self.slug == ALL_AGENCIES

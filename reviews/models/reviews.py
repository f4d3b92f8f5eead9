"""Reviews, the collections they are published in, and their tags.

A ``Review`` (serious case review, practice review, thematic briefing...) is
drawn from one or more sources and may belong to a ``Collection`` (one
newsletter covering several children). Its tags are kept in ``TaggedReview``
rows that point at the review itself.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from ..addresses import path_to
from .common import (
    DatePrecision,
    PublicationStatus,
    PublishableQuerySet,
    SlugNaturalKeyManager,
    format_partial_date,
    partial_date_constraints,
)
from .publishers import Partnership, Source

PRECISION_HELP = (
    "How much of the date the briefing gives: for 'September 2019' enter 01/09/2019 and choose 'Month'; "
    "for '2019' enter 01/01/2019 and choose 'Year'."
)


class Collection(models.Model):
    """Several reviews published together, e.g. one newsletter covering three children."""

    slug = models.SlugField(
        "web address",
        max_length=120,
        unique=True,
        help_text="The last part of the collection's address on this site: lower-case letters, numbers and hyphens.",
    )
    title = models.CharField(max_length=300, help_text="The collection's title as published.")
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="collections", help_text="The document that collects them."
    )
    introduction = models.TextField(
        blank=True, help_text="The document's own introduction to the collection, word for word (Markdown)."
    )

    objects = SlugNaturalKeyManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("reviews:collection-detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)


class ReviewQuerySet(PublishableQuerySet):
    """A review is public when its own status is published."""

    def drafts(self):
        return self.filter(status=PublicationStatus.DRAFT)


class ReviewManager(SlugNaturalKeyManager.from_queryset(ReviewQuerySet)):
    pass


class TaggedReviewManager(models.Manager):
    def get_by_natural_key(self, review_slug, tag_name):
        return self.get(content_object__slug=review_slug, tag__name=tag_name)


class TaggedReview(TaggedItemBase):
    """One tag on one review.

    django-taggit's default ``TaggedItem`` points at a review through a
    generic relation, so a fixture can only name the review by its primary
    key (which differs between databases) and history cannot record it.
    This row points at the review itself: it has a natural key (the review's
    slug and the tag's name) and the review's history records its tags.
    """

    content_object = models.ForeignKey("Review", on_delete=models.CASCADE, related_name="tagged_items")

    objects = TaggedReviewManager()

    class Meta:
        ordering = ["id"]
        verbose_name = "review tag"
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="taggedreview_tag_unique_per_review"),
        ]

    def __str__(self):
        return f"{self.content_object} tagged “{self.tag}”"

    def natural_key(self):
        return (*self.content_object.natural_key(), *self.tag.natural_key())

    natural_key.dependencies = ["reviews.review", "taggit.tag"]


class ReviewTags(TaggableManager):
    """Taggit's tags field, with the two things django-simple-history needs to
    record tags in a review's history like its other many-to-many fields: the
    through model's field naming the review, and the field reachable from the
    manager the class attribute returns."""

    def __get__(self, instance, model):
        manager = super().__get__(instance, model)
        manager.field = self
        return manager

    def m2m_field_name(self):
        return "content_object"


class Review(models.Model):
    class ReviewType(models.TextChoices):
        SERIOUS_CASE_REVIEW = "scr", "Serious case review"
        CHILD_SAFEGUARDING_PRACTICE_REVIEW = "cspr", "Child safeguarding practice review"
        RAPID_REVIEW = "rapid", "Rapid review"
        SPECIAL_PRACTICE_REVIEW = "spr", "Special practice review"
        THEMATIC = "thematic", "Thematic review / recurring themes"
        SAFEGUARDING_ADULTS_REVIEW = "sar", "Safeguarding adults review"
        DOMESTIC_HOMICIDE_REVIEW = "dhr", "Domestic homicide review"
        APPRECIATIVE_INQUIRY = "appreciative", "Appreciative inquiry"
        OTHER = "other", "Other review"

    slug = models.SlugField(
        "web address",
        max_length=120,
        unique=True,
        help_text="The last part of the review's address on this site (/reviews/<this>/): lower-case letters, "
        "numbers and hyphens. Filled in from the title. Changing it later keeps the old address working.",
    )
    title = models.CharField(
        max_length=300, help_text="The review's name as published, e.g. 'Serious Case Review: Child M'."
    )
    review_type = models.CharField("type of review", max_length=20, choices=ReviewType.choices)
    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviews",
        help_text="The board or partnership the learning comes from. Leave empty if the briefing does not name it.",
    )
    collection = models.ForeignKey(
        Collection,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviews",
        help_text="Set when several reviews were published together (e.g. one newsletter covering three children).",
    )
    children = models.CharField(
        "child or children",
        max_length=200,
        blank=True,
        help_text="The child or children as the briefing names them, e.g. 'Child M'. Never a real name.",
    )
    summary = models.TextField(
        blank=True, help_text="A short summary (Markdown). Say below whether it is the briefing's words or ours."
    )
    summary_source = models.ForeignKey(
        Source,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="summary quoted from",
        help_text="The briefing the summary is quoted from. Leave empty if the summary is the knowledge "
        "base's own description; it is then labelled as such.",
    )
    published_on = models.DateField(
        "published",
        null=True,
        blank=True,
        help_text="When the review was published, as precisely as the briefing says.",
    )
    published_precision = models.CharField(
        "how exact is this date?",
        max_length=10,
        choices=DatePrecision.choices,
        default=DatePrecision.UNKNOWN,
        help_text=PRECISION_HELP,
    )
    commissioned_on = models.DateField(
        "commissioned",
        null=True,
        blank=True,
        help_text="When the review was commissioned or agreed, if the briefing says.",
    )
    commissioned_precision = models.CharField(
        "how exact is this date?",
        max_length=10,
        choices=DatePrecision.choices,
        default=DatePrecision.UNKNOWN,
        help_text=PRECISION_HELP,
    )
    year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        editable=False,
        db_index=True,
        help_text="Year used to browse and filter: the publication year, else the year commissioned.",
    )
    sources = models.ManyToManyField(
        Source, related_name="reviews", blank=True, help_text="The briefings this review's entries are drawn from."
    )
    status = models.CharField(
        max_length=10,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
        db_index=True,
        help_text="Only published reviews, and their entries, are shown to the public.",
    )
    first_published_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the review was first published on this site."
    )
    tags = ReviewTags(
        through=TaggedReview,
        blank=True,
        help_text="Risk factors and other keywords, e.g. 'co-sleeping', 'alcohol'. Choose one already in use "
        "where it fits, so that reviews about the same thing share a tag.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReviewManager()
    history = HistoricalRecords(excluded_fields=["updated_at", "year"], m2m_fields=[sources, tags])

    class Meta:
        ordering = [models.F("year").desc(nulls_last=True), "title"]
        constraints = [
            *partial_date_constraints("review", "published_on", "published_precision"),
            *partial_date_constraints("review", "commissioned_on", "commissioned_precision"),
        ]
        # The review list's "Type of review" options are read by skipping through it (``review_filters``).
        indexes = [models.Index(fields=["review_type"], name="review_type")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.year = self._browsing_year()
        if self.status == PublicationStatus.PUBLISHED and self.first_published_at is None:
            self.first_published_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return path_to("reviews:review-detail", slug=self.slug)

    def natural_key(self):
        return (self.slug,)

    def get_permalink(self):
        return path_to("reviews:review-permalink", pk=self.pk)

    def _browsing_year(self) -> int | None:
        for value in (self.published_on, self.commissioned_on):
            if value is not None:
                return value.year
        return None

    @property
    def is_published(self) -> bool:
        return self.status == PublicationStatus.PUBLISHED

    @property
    def published_display(self) -> str:
        return format_partial_date(self.published_on, self.published_precision)

    @property
    def commissioned_display(self) -> str:
        return format_partial_date(self.commissioned_on, self.commissioned_precision)

    # Display rule: the date a review is shown with, wherever it is shown.
    @property
    def date_label(self) -> str:
        """When the review dates from, saying which date it is: 'published March 2019',
        else 'commissioned 19 April 2017' (the date ``year`` falls back to), else ''.

        The one rule for every page, embed, course pack, feed entry and printed
        briefing (and the print layout's estimate of it), so none can differ.
        """
        if self.published_display:
            return f"published {self.published_display}"
        if self.commissioned_display:
            return f"commissioned {self.commissioned_display}"
        return ""

    @property
    def year_label(self) -> str:
        """The year a review is browsed by, saying so when it is not the year published:
        '2019', 'commissioned 2017', or ''."""
        if not self.year:
            return ""
        return str(self.year) if self.published_on else f"commissioned {self.year}"

    @property
    def summary_is_editorial(self) -> bool:
        return bool(self.summary) and self.summary_source_id is None

"""The knowledge base's data model.

Shaped by what published case-review briefings contain:

- a ``Partnership`` (safeguarding board or partnership) publishes a ``Source``
  (one briefing document, kept with its full original text);
- a ``Review`` (serious case review, practice review, thematic briefing...) is
  drawn from one or more sources and may belong to a ``Collection`` (one
  newsletter covering several children);
- a review's ``CaseFact``s, ``LearningPoint``s and ``Recommendation``s, and the
  ``Action``s that answer them, each keep the ``Source`` they came from;
- ``Theme``s (with the ``ThemeAlias`` headings different boards use) cut across
  reviews; ``Resource``s are the protocols, procedures, training and contact
  points a briefing names.

Everything fixtures refer to has a natural key, so fixtures never depend on
primary keys. Publication rules live in the querysets (``published()``).
"""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast, ExtractDay, ExtractMonth, Lower
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

REF_HELP = (
    "A short permanent identifier used in links to this item (e.g. 'child-m-lp-3'). "
    "Filled in automatically if left blank; never change it once the item is published, "
    "or links in courses and slides will stop pointing at it."
)


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class DatePrecision(models.TextChoices):
    """How much of a date the document actually gives.

    A briefing that says "September 2019" is stored as 1 September 2019 with
    month precision and always shown as "September 2019", never as a day.
    """

    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"
    UNKNOWN = "unknown", "Not given"


def format_partial_date(value: datetime.date | None, precision: str) -> str:
    """Show a date only as precisely as its source gave it."""
    if value is None or precision == DatePrecision.UNKNOWN:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value.year}"
    if precision == DatePrecision.MONTH:
        return value.strftime("%B %Y")
    return f"{value.day} {value.strftime('%B %Y')}"


def partial_date_constraints(prefix: str, date_field: str, precision_field: str) -> list[models.CheckConstraint]:
    """A date is given exactly when its precision says it is, and a month or a
    year precision is stored on the first day of that month or year."""
    unknown = DatePrecision.UNKNOWN
    # Cast: when Django validates a constraint in Python (full_clean) it puts
    # the value in place of the column, and PostgreSQL cannot EXTRACT from an
    # untyped NULL ("function pg_catalog.extract(unknown, unknown) is not unique").
    date = Cast(date_field, models.DateField())
    first_day = Exact(ExtractDay(date), 1)
    first_month = Exact(ExtractMonth(date), 1)
    return [
        models.CheckConstraint(
            condition=(Q(**{f"{date_field}__isnull": True}) & Q(**{precision_field: unknown}))
            | (Q(**{f"{date_field}__isnull": False}) & ~Q(**{precision_field: unknown})),
            name=f"{prefix}_{date_field}_matches_precision",
        ),
        models.CheckConstraint(
            condition=~Q(**{precision_field: DatePrecision.MONTH}) | Q(first_day),
            name=f"{prefix}_{date_field}_month_precision_first_day",
        ),
        models.CheckConstraint(
            condition=~Q(**{precision_field: DatePrecision.YEAR}) | (Q(first_day) & Q(first_month)),
            name=f"{prefix}_{date_field}_year_precision_first_january",
        ),
    ]


def new_ref(prefix: str, text: str = "") -> str:
    """A readable, unique-enough permanent identifier for an item."""
    words = slugify(text)[:40].strip("-")
    token = secrets.token_hex(3)
    return f"{prefix}-{words}-{token}" if words else f"{prefix}-{token}"


class SlugNaturalKeyManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class RefNaturalKeyManager(models.Manager):
    def get_by_natural_key(self, ref):
        return self.get(ref=ref)


# ---------------------------------------------------------------------------
# Publishers and documents
# ---------------------------------------------------------------------------


class Partnership(models.Model):
    name = models.CharField(
        max_length=200,
        unique=True,
        help_text="Full name as the board or partnership publishes it, e.g. 'Swindon Safeguarding Partnership'.",
    )
    short_name = models.CharField(
        max_length=50, blank=True, help_text="The abbreviation the board uses for itself, e.g. 'SSP'."
    )
    area = models.CharField(max_length=100, help_text="The local authority area it covers, e.g. 'Swindon'.")
    slug = models.SlugField(max_length=100, unique=True, help_text="Used in the partnership's web address.")
    website = models.URLField(blank=True, help_text="The partnership's own website, if known.")

    objects = SlugNaturalKeyManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    def get_absolute_url(self):
        return reverse("reviews:partnership-detail", kwargs={"slug": self.slug})


class SourceQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=PublicationStatus.PUBLISHED)

    def visible_to(self, user):
        return self if getattr(user, "is_staff", False) else self.published()


class SourceManager(SlugNaturalKeyManager.from_queryset(SourceQuerySet)):
    pass


class Source(models.Model):
    """One published briefing document, kept exactly as received."""

    class Kind(models.TextChoices):
        SEVEN_MINUTE_BRIEFING = "seven_minute_briefing", "7-minute briefing"
        REVIEW_BRIEFING = "review_briefing", "Review briefing"
        BOARD_RESPONSE = "board_response", "Board response to recommendations"
        NEWSLETTER = "newsletter", "Newsletter"
        REPORT = "report", "Review report"
        OTHER = "other", "Other document"

    slug = models.SlugField(max_length=120, unique=True, help_text="Used in the source's web address.")
    title = models.CharField(max_length=300, help_text="The document's title exactly as published.")
    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sources",
        help_text="The board or partnership that published it. Leave empty if the document does not say.",
    )
    publisher_as_stated = models.CharField(
        max_length=300,
        blank=True,
        help_text="How the document names its publisher, when it differs from the partnership's name "
        "or when no partnership can be identified.",
    )
    kind = models.CharField(max_length=40, choices=Kind.choices, default=Kind.REVIEW_BRIEFING)
    published_on = models.DateField(
        null=True,
        blank=True,
        help_text="Publication date, stored on the first day of the month or year when only those are given.",
    )
    published_precision = models.CharField(
        max_length=10,
        choices=DatePrecision.choices,
        default=DatePrecision.UNKNOWN,
        help_text="How much of the date the document gives: a day, a month, a year, or none.",
    )
    original_text = models.TextField(help_text="The full text of the document as received, unedited.")
    file_name = models.CharField(
        max_length=255, blank=True, help_text="The file the text was taken from, e.g. '000_061062a55a416d00.txt'."
    )
    excluded_passages = models.JSONField(
        default=list,
        blank=True,
        help_text="Passages of the original text deliberately not turned into items, each with the reason "
        "(e.g. a truncated line or a repeated heading): a list of {\"text\": ..., \"reason\": ...}.",
    )
    status = models.CharField(
        max_length=10,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
        help_text="Draft sources are only visible to staff. Publishing a review publishes its sources.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SourceManager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-published_on", "title"]
        constraints = [
            *partial_date_constraints("source", "published_on", "published_precision"),
            models.UniqueConstraint(
                fields=["file_name"], condition=~Q(file_name=""), name="source_file_name_unique"
            ),
        ]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.slug,)

    def get_absolute_url(self):
        return reverse("reviews:source-detail", kwargs={"slug": self.slug})

    @property
    def published_display(self) -> str:
        return format_partial_date(self.published_on, self.published_precision)

    @property
    def publisher_display(self) -> str:
        return self.publisher_as_stated or (self.partnership.name if self.partnership else "Publisher not named")

    @property
    def is_published(self) -> bool:
        return self.status == PublicationStatus.PUBLISHED


class Resource(models.Model):
    """A protocol, procedure, guidance, training course or contact point that a
    briefing names. Kept even where the briefing gives no working link."""

    class Kind(models.TextChoices):
        GUIDANCE = "guidance", "Guidance"
        PROCEDURE = "procedure", "Procedures"
        PROTOCOL = "protocol", "Protocol"
        POLICY = "policy", "Policy"
        TRAINING = "training", "Training"
        RESEARCH = "research", "Research"
        LEGISLATION = "legislation", "Legislation"
        BRIEFING = "briefing", "Briefing"
        WEBSITE = "website", "Website"
        CONTACT = "contact", "Contact point"

    ref = models.SlugField(max_length=120, unique=True, blank=True, help_text=REF_HELP)
    name = models.CharField(max_length=300, help_text="The name exactly as the briefing gives it.")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.GUIDANCE)
    source = models.ForeignKey(
        Source, on_delete=models.CASCADE, related_name="resources", help_text="The briefing that names it."
    )
    url = models.URLField(
        blank=True,
        help_text="A working address only if the briefing gives one. Leave empty rather than guess.",
    )
    details_as_stated = models.CharField(
        max_length=300,
        blank=True,
        help_text="Contact details exactly as printed (telephone, e-mail), including any mistakes.",
    )
    note = models.TextField(
        blank=True,
        help_text="The knowledge base's own note, e.g. that the briefing gives no link, or that another "
        "briefing prints an address differently. Never presented as the board's words.",
    )
    position = models.PositiveIntegerField(default=0, help_text="Order within the source.")

    objects = RefNaturalKeyManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.ref:
            self.ref = new_ref("res", self.name)
        super().save(*args, **kwargs)

    def natural_key(self):
        return (self.ref,)

    @property
    def anchor(self) -> str:
        return f"res-{self.ref}"

    def get_absolute_url(self):
        return f"{self.source.get_absolute_url()}#{self.anchor}"


# ---------------------------------------------------------------------------
# Themes
# ---------------------------------------------------------------------------


class Theme(models.Model):
    slug = models.SlugField(max_length=100, unique=True, help_text="Used in the theme's web address.")
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

    objects = SlugNaturalKeyManager()
    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[related_themes])

    class Meta:
        ordering = ["name"]
        constraints = [
            # "neglect" beside "Neglect" would split one theme's learning in two.
            models.UniqueConstraint(Lower("name"), name="theme_name_unique_case_insensitive"),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    def get_absolute_url(self):
        return reverse("reviews:theme-detail", kwargs={"slug": self.slug})

    def get_permalink(self):
        return reverse("reviews:theme-permalink", kwargs={"pk": self.pk})


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


# ---------------------------------------------------------------------------
# Reviews
# ---------------------------------------------------------------------------


class Collection(models.Model):
    """Several reviews published together, e.g. one newsletter covering three children."""

    slug = models.SlugField(max_length=120, unique=True)
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

    def natural_key(self):
        return (self.slug,)

    def get_absolute_url(self):
        return reverse("reviews:collection-detail", kwargs={"slug": self.slug})


class ReviewQuerySet(models.QuerySet):
    def published(self):
        """Reviews the public may see."""
        return self.filter(status=PublicationStatus.PUBLISHED)

    def drafts(self):
        return self.filter(status=PublicationStatus.DRAFT)

    def visible_to(self, user):
        """Staff see drafts too (with a banner); everyone else only published reviews."""
        return self if getattr(user, "is_staff", False) else self.published()


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
        OTHER = "other", "Other review"

    slug = models.SlugField(max_length=120, unique=True, help_text="Used in the review's web address.")
    title = models.CharField(max_length=300, help_text="The review's name as published, e.g. 'Serious Case Review: Child M'.")
    review_type = models.CharField(max_length=20, choices=ReviewType.choices)
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
        help_text="The briefing the summary is quoted from. Leave empty if the summary is the knowledge "
        "base's own description; it is then labelled as such.",
    )
    published_on = models.DateField(
        null=True, blank=True, help_text="When the review was published, as precisely as the briefing says."
    )
    published_precision = models.CharField(
        max_length=10, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN
    )
    commissioned_on = models.DateField(
        null=True, blank=True, help_text="When the review was commissioned or agreed, if the briefing says."
    )
    commissioned_precision = models.CharField(
        max_length=10, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN
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

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.year = self._browsing_year()
        if self.status == PublicationStatus.PUBLISHED and self.first_published_at is None:
            self.first_published_at = timezone.now()
        super().save(*args, **kwargs)

    def natural_key(self):
        return (self.slug,)

    def get_absolute_url(self):
        return reverse("reviews:review-detail", kwargs={"slug": self.slug})

    def get_permalink(self):
        return reverse("reviews:review-permalink", kwargs={"pk": self.pk})

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
    def summary_is_editorial(self) -> bool:
        return bool(self.summary) and self.summary_source_id is None


class ReviewItemQuerySet(models.QuerySet):
    """Entries that belong to a review are public only when their review is."""

    def published(self):
        return self.filter(review__status=PublicationStatus.PUBLISHED)

    def visible_to(self, user):
        return self if getattr(user, "is_staff", False) else self.published()


class ReviewItemManager(RefNaturalKeyManager.from_queryset(ReviewItemQuerySet)):
    pass


def source_field(related_name: str) -> models.ForeignKey:
    return models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        related_name=related_name,
        help_text="The briefing this entry's wording comes from.",
    )


class ReviewItem(models.Model):
    """Fields every entry drawn from a briefing shares."""

    ref = models.SlugField(max_length=120, unique=True, blank=True, help_text=REF_HELP)
    heading = models.CharField(
        max_length=300,
        blank=True,
        help_text="The heading it appears under in the briefing, word for word (e.g. 'Summary of the key learning').",
    )
    position = models.PositiveIntegerField(default=0, help_text="Order on the page; lower numbers first.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    ref_prefix = "item"
    anchor_prefix = "item"
    permalink_name = ""

    class Meta:
        abstract = True
        ordering = ["position", "id"]

    def save(self, *args, **kwargs):
        if not self.ref:
            self.ref = new_ref(self.ref_prefix, getattr(self, "text", ""))
        super().save(*args, **kwargs)

    def natural_key(self):
        return (self.ref,)

    @property
    def anchor(self) -> str:
        return f"{self.anchor_prefix}-{self.ref}"

    def get_permalink(self):
        """The short link that survives renames, or the page anchor where there is none."""
        if not self.permalink_name:
            return self.get_absolute_url()
        return reverse(f"reviews:{self.permalink_name}", kwargs={"pk": self.pk})


class CaseFact(ReviewItem):
    """A fact about the case, or about the review itself, as the briefing states it."""

    class Kind(models.TextChoices):
        CASE = "case", "About the case"
        REVIEW = "review", "About the review"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="case_facts")
    source = source_field("case_facts")
    kind = models.CharField(
        max_length=10,
        choices=Kind.choices,
        default=Kind.CASE,
        help_text="About the case: the child, the family, what happened. About the review: how it was "
        "commissioned and carried out, or what the briefing itself is.",
    )
    text = models.TextField(help_text="The fact word for word from the briefing (Markdown).")

    objects = ReviewItemManager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    ref_prefix = "fact"
    anchor_prefix = "fact"

    class Meta(ReviewItem.Meta):
        pass

    def __str__(self):
        return self.text[:80]

    def get_absolute_url(self):
        return f"{self.review.get_absolute_url()}#{self.anchor}"


class LearningPointQuerySet(ReviewItemQuerySet):
    def published(self):
        """Learning from a published review, or cross-cutting learning from a published source."""
        return self.filter(
            Q(review__status=PublicationStatus.PUBLISHED)
            | Q(review__isnull=True, source__status=PublicationStatus.PUBLISHED)
        )


class LearningPointManager(RefNaturalKeyManager.from_queryset(LearningPointQuerySet)):
    pass


class LearningPoint(ReviewItem):
    class Kind(models.TextChoices):
        LEARNING = "learning", "Learning"
        GOOD_PRACTICE = "good_practice", "Good practice"
        KEY_FACT = "key_fact", "Key fact"

    review = models.ForeignKey(
        Review,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="learning_points",
        help_text="The review it comes from. Leave empty only for cross-cutting learning not tied to one review.",
    )
    source = source_field("learning_points")
    kind = models.CharField(
        max_length=20,
        choices=Kind.choices,
        default=Kind.LEARNING,
        help_text="Good practice is shown apart from learning; key facts are research or figures the briefing cites.",
    )
    text = models.TextField(help_text="The learning word for word from the briefing (Markdown).")
    themes = models.ManyToManyField(Theme, related_name="learning_points", blank=True)
    resources = models.ManyToManyField(
        Resource, related_name="learning_points", blank=True, help_text="Resources this learning point names."
    )
    repeats = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="repeated_in",
        help_text="Set when this is the same paragraph another briefing already published, so it is "
        "recognised as a repeat rather than counted as new learning.",
    )

    objects = LearningPointManager()
    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[themes, resources])

    ref_prefix = "lp"
    anchor_prefix = "lp"
    permalink_name = "learning-point-permalink"

    class Meta(ReviewItem.Meta):
        constraints = [
            models.CheckConstraint(condition=~Q(repeats=models.F("id")), name="learningpoint_cannot_repeat_itself"),
        ]

    def __str__(self):
        return self.text[:80]

    def get_absolute_url(self):
        if self.review_id:
            return f"{self.review.get_absolute_url()}#{self.anchor}"
        return f"{self.source.get_absolute_url()}#{self.anchor}"


class Recommendation(ReviewItem):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="recommendations")
    source = source_field("recommendations")
    number = models.CharField(
        max_length=20,
        blank=True,
        help_text="The number or label as published, e.g. '1' or '3'. Leave empty if unnumbered.",
    )
    addressed_to = models.CharField(
        max_length=200,
        blank=True,
        help_text="Who the recommendation is for, as the briefing says (e.g. 'All', 'Police', 'HSCB').",
    )
    text = models.TextField(help_text="The recommendation word for word from the briefing (Markdown).")
    themes = models.ManyToManyField(Theme, related_name="recommendations", blank=True)
    resources = models.ManyToManyField(
        Resource, related_name="recommendations", blank=True, help_text="Resources this recommendation names."
    )

    objects = ReviewItemManager()
    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[themes, resources])

    ref_prefix = "rec"
    anchor_prefix = "rec"
    permalink_name = "recommendation-permalink"

    class Meta(ReviewItem.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["review", "number"],
                condition=~Q(number=""),
                name="recommendation_number_unique_per_review",
                violation_error_message="This review already has a recommendation with this number. "
                "Give each recommendation its own number, or leave the number empty.",
            ),
        ]

    def __str__(self):
        label = f"Recommendation {self.number}: " if self.number else ""
        return f"{label}{self.text[:80]}"

    def get_absolute_url(self):
        return f"{self.review.get_absolute_url()}#{self.anchor}"


class Action(ReviewItem):
    """What a board or agency does in response to a review or recommendation."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        NOT_STATED = "not_stated", "Not stated"

    review = models.ForeignKey(
        Review,
        on_delete=models.CASCADE,
        related_name="actions",
        help_text="The review it responds to. Filled in from the recommendation when one is chosen.",
    )
    recommendation = models.ForeignKey(
        Recommendation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="actions",
        help_text="The recommendation this action answers, if any.",
    )
    source = source_field("actions")
    owner = models.CharField(
        max_length=200, blank=True, help_text="Who is doing it, as the briefing says (e.g. 'HSCB', 'Early Help Board')."
    )
    text = models.TextField(help_text="The action word for word from the briefing (Markdown).")
    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.NOT_STATED,
        help_text="As the source states it: 'Not stated' unless it says what stage the work is at.",
    )
    status_changed_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the status last changed on this site."
    )
    target_date_as_stated = models.CharField(
        max_length=100, blank=True, help_text="Target date exactly as stated, e.g. 'January 2020', 'later this year'."
    )
    evidence_of_impact = models.TextField(
        blank=True, help_text="What shows the action made a difference, as reported (Markdown)."
    )
    themes = models.ManyToManyField(Theme, related_name="actions", blank=True)
    resources = models.ManyToManyField(
        Resource, related_name="actions", blank=True, help_text="Resources this action names or produced."
    )

    objects = ReviewItemManager()
    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[themes, resources])

    ref_prefix = "act"
    anchor_prefix = "act"
    permalink_name = "action-permalink"

    class Meta(ReviewItem.Meta):
        pass

    def __str__(self):
        return self.text[:80]

    def clean(self):
        super().clean()
        if self.recommendation_id and self.review_id and self.recommendation.review_id != self.review_id:
            raise ValidationError(
                {"recommendation": "This recommendation belongs to a different review. Choose one from this review."}
            )

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_status = instance.__dict__.get("status")
        return instance

    def save(self, *args, **kwargs):
        if self.recommendation_id:
            self.review_id = self.recommendation.review_id
        if self.status != getattr(self, "_loaded_status", self.Status.NOT_STATED):
            self.status_changed_at = timezone.now()
        super().save(*args, **kwargs)
        self._loaded_status = self.status

    def get_absolute_url(self):
        return f"{self.review.get_absolute_url()}#{self.anchor}"

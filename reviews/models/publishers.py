"""Who publishes the learning and what they publish.

A ``Partnership`` (safeguarding board or partnership) publishes a ``Source``
(one briefing document, kept with its full original text); a ``Resource`` is
a protocol, procedure, training course or contact point a briefing names.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ..addresses import path_to
from .common import (
    REF_HELP,
    DatePrecision,
    PublicationStatus,
    PublicThroughContentQuerySet,
    PublishableQuerySet,
    RefNaturalKeyManager,
    SlugNaturalKeyManager,
    WebAddressField,
    format_partial_date,
    new_ref,
    partial_date_constraints,
    partial_date_end,
    web_address_constraint,
)


class PartnershipQuerySet(PublicThroughContentQuerySet):
    """A partnership is public once a published review or a published source is theirs."""

    def public(self):
        """Partnerships with a published review, or that published a published source
        (what the list of partnerships, the sitemap and the filters count)."""
        # Imported here: the reviews module imports this one (reviews belong to partnerships).
        from .reviews import Review

        return self.filter(
            Exists(Review.objects.published().filter(partnership=OuterRef("pk")))
            | Exists(Source.objects.published().filter(partnership=OuterRef("pk")))
        )


class PartnershipManager(SlugNaturalKeyManager.from_queryset(PartnershipQuerySet)):
    pass


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
    slug = models.SlugField(
        "web address",
        max_length=100,
        unique=True,
        help_text="The last part of the partnership's address on this site: lower-case letters, numbers and hyphens.",
    )
    website = WebAddressField(blank=True, help_text="The partnership's own website (https://...), if known.")

    objects = PartnershipManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [web_address_constraint("website", name="partnership_website_is_http")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return path_to("reviews:partnership-detail", slug=self.slug)

    def natural_key(self):
        return (self.slug,)


class SourceQuerySet(PublishableQuerySet):
    """A source is public when its own status is published."""


class SourceManager(SlugNaturalKeyManager.from_queryset(SourceQuerySet)):
    pass


class OriginalAddressOrigin(models.TextChoices):
    """Who gives the web address of a briefing's published original."""

    GIVEN = "given", "Given in the briefing"
    ADDED = "added", "Added by the knowledge base"


class Source(models.Model):
    """One published briefing document, kept exactly as received."""

    class Kind(models.TextChoices):
        SEVEN_MINUTE_BRIEFING = "seven_minute_briefing", "7-minute briefing"
        REVIEW_BRIEFING = "review_briefing", "Review briefing"
        BOARD_RESPONSE = "board_response", "Board response to recommendations"
        NEWSLETTER = "newsletter", "Newsletter"
        REPORT = "report", "Review report"
        OTHER = "other", "Other document"

    slug = models.SlugField(
        "web address",
        max_length=120,
        unique=True,
        help_text="The last part of the briefing's address on this site: lower-case letters, numbers and hyphens.",
    )
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
        "how exact is this date?",
        max_length=10,
        choices=DatePrecision.choices,
        default=DatePrecision.UNKNOWN,
        help_text="How much of the date the document gives: a day, a month, a year, or none.",
    )
    original_text = models.TextField(
        "the briefing's full text", help_text="The full text of the document as received, unedited."
    )
    file_name = models.CharField(
        max_length=255, blank=True, help_text="The file the text was taken from, e.g. '000_061062a55a416d00.txt'."
    )
    excluded_passages = models.JSONField(
        "passages left out",
        default=list,
        blank=True,
        help_text="Passages of the original text deliberately not turned into items, each with the reason "
        '(e.g. a truncated line or a repeated heading): a list of {"text": ..., "reason": ...}.',
    )
    import_report = models.JSONField(
        "what the import could not decide",
        default=dict,
        blank=True,
        help_text="Written by the importer for the triage screen: the partnership the briefing names when it is "
        "not yet in the knowledge base, themes proposed where none fits, warnings, the children a briefing about "
        "several is about. Empty for a briefing typed in or loaded from the fixtures.",
    )
    original_url = WebAddressField(
        "web address of the published original",
        max_length=500,
        blank=True,
        help_text="Where the board or partnership publishes this document (https://...), so that readers can "
        "read the original. Only an address the briefing itself gives, or one you have checked opens the same "
        "document. Leave empty rather than guess: nothing is shown when it is empty.",
    )
    original_url_origin = models.CharField(
        "where the address comes from",
        max_length=10,
        choices=OriginalAddressOrigin.choices,
        blank=True,
        help_text="Whether the briefing gives this address itself, or the knowledge base found and added it "
        "(shown as added by the knowledge base). Required when there is an address; empty when there is none.",
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
            models.UniqueConstraint(fields=["file_name"], condition=~Q(file_name=""), name="source_file_name_unique"),
            web_address_constraint("original_url", name="source_original_url_is_http"),
            # Every address says who gives it, and no origin is recorded without one.
            models.CheckConstraint(
                condition=(Q(original_url="") & Q(original_url_origin=""))
                | (~Q(original_url="") & Q(original_url_origin__in=OriginalAddressOrigin.values)),
                name="source_original_url_origin_iff_url",
                violation_error_message="Say where the web address of the published original comes from (given "
                "in the briefing, or added by the knowledge base), or leave both empty.",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return path_to("reviews:source-detail", slug=self.slug)

    def natural_key(self):
        return (self.slug,)

    @property
    def published_display(self) -> str:
        return format_partial_date(self.published_on, self.published_precision)

    def is_more_than_a_year_old(self, today: datetime.date | None = None) -> bool:
        """Whether even the latest day its date can mean is over a year before ``today``
        (a status it reports may have changed since). Undated documents are not judged."""
        end = partial_date_end(self.published_on, self.published_precision)
        if end is None:
            return False
        today = today or timezone.localdate()
        a_year_ago = today.replace(year=today.year - 1, day=28 if (today.month, today.day) == (2, 29) else today.day)
        return end < a_year_ago

    @property
    def original_url_is_added(self) -> bool:
        """Whether the address of the original is the knowledge base's addition, not the briefing's."""
        return self.original_url_origin == OriginalAddressOrigin.ADDED

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

    ref = models.SlugField("reference", max_length=120, unique=True, blank=True, help_text=REF_HELP)
    name = models.CharField(max_length=300, help_text="The name exactly as the briefing gives it.")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.GUIDANCE)
    source = models.ForeignKey(
        Source, on_delete=models.CASCADE, related_name="resources", help_text="The briefing that names it."
    )
    url = WebAddressField(
        blank=True,
        help_text="A working web address (https://...) only if the briefing gives one. Leave empty rather than guess.",
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
    section = models.ForeignKey(
        "Section",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resources",
        help_text="Only when the briefing gives the resource as a passage of its own (a signpost line, a contact "
        "box): the section of the briefing it sits under. Empty when it is only named within an entry.",
    )
    passage = models.TextField(
        blank=True,
        help_text="Only for a resource the briefing gives as a passage of its own, when the passage says more "
        "than its name and contact details: the passage word for word (Markdown), e.g. 'Book onto the LSCB "
        "Conference & Core Group Training'. A signpost, not learning.",
    )
    kind_note = models.TextField(
        "why its kind differs from its section",
        blank=True,
        help_text="Only when the section it is given under is not one of further information (a signpost at the "
        "end of a section of learning): the knowledge base's note saying why it sits there. Shown as the "
        "knowledge base's words, never as the board's.",
    )
    changed_to = models.CharField(
        "changed since: what replaced it",
        max_length=300,
        blank=True,
        help_text="Only when the knowledge base knows this resource has since been replaced or changed: the name "
        "of what replaced it, e.g. 'Working Together to Safeguard Children 2023'. Shown beside the resource as "
        "noted by the knowledge base, never as the briefing's words. Leave empty when nothing is known.",
    )
    changed_to_url = WebAddressField(
        "changed since: its web address",
        max_length=500,
        blank=True,
        help_text="The web address (https://...) of what replaced it, if checked. Leave empty rather than guess.",
    )
    changed_on = models.DateField(
        "changed since: when",
        null=True,
        blank=True,
        help_text="When it was replaced or changed, as far as known: stored on the first day of the month or "
        "year when only those are known.",
    )
    changed_precision = models.CharField(
        "changed since: how exact is this date?",
        max_length=10,
        choices=DatePrecision.choices,
        default=DatePrecision.UNKNOWN,
        help_text="How much of the date is known: a day, a month, a year, or none.",
    )
    change_note = models.TextField(
        "changed since: the knowledge base's note",
        blank=True,
        help_text="In the knowledge base's own words, what changed, e.g. 'Replaced by the 2023 edition of the "
        "statutory guidance.' Shown labelled as the knowledge base's note.",
    )
    position = models.PositiveIntegerField(
        "place in the briefing",
        default=0,
        help_text="Its place in the briefing, in the same sequence as the briefing's sections and entries: where "
        "it is given, or first named. Lower numbers first.",
    )

    objects = RefNaturalKeyManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            web_address_constraint("url", name="resource_url_is_http"),
            web_address_constraint("changed_to_url", name="resource_changed_to_url_is_http"),
            *partial_date_constraints("resource", "changed_on", "changed_precision"),
            # A change is recorded by naming what replaced it: no address, date or note without a name.
            models.CheckConstraint(
                condition=~Q(changed_to="") | (Q(changed_to_url="") & Q(changed_on__isnull=True) & Q(change_note="")),
                name="resource_change_named_when_recorded",
                violation_error_message="Give the name of what replaced it (“Changed since: what replaced it”) "
                "before its address, date or note.",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.ref:
            self.ref = new_ref("res", self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.source.get_absolute_url()}#{self.anchor}"

    def natural_key(self):
        return (self.ref,)

    def clean(self):
        super().clean()
        from .sections import RESOURCE

        section = self.section if self.section_id else None
        if section is None:
            return
        if self.source_id and section.source_id != self.source_id:
            raise ValidationError({"section": "This section is in another briefing. Choose one from its source."})
        if not section.holds(RESOURCE) and not self.kind_note.strip():
            raise ValidationError(
                {
                    "kind_note": f"“{section.heading or '(no heading)'}” is a section of "
                    f"{section.get_role_display().lower()}. A resource given as a passage of its own belongs in a "
                    "section of further information (or other); where the briefing gives it elsewhere (a signpost "
                    "closing a section of learning), say so here, or choose another section."
                }
            )

    @property
    def anchor(self) -> str:
        return f"res-{self.ref}"

    @property
    def has_changed(self) -> bool:
        """Whether the knowledge base has noted that this resource was replaced or changed since the briefing."""
        return bool(self.changed_to)

    @property
    def changed_display(self) -> str:
        return format_partial_date(self.changed_on, self.changed_precision)

    @property
    def heading(self) -> str:
        """The heading of the section it is given under ("" when it is only named within an entry)."""
        section = self.section if self.section_id else None
        return section.heading if section is not None else ""

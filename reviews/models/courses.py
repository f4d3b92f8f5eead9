"""Trainers' reuse of the knowledge base: course packs and reflection questions.

A ``CoursePack`` is an ordered selection of themes, reviews, learning points,
recommendations and actions, with the trainer's own notes between them. Its
items point at the live content, so an edit shows the current wording. Only
public content can be chosen (``PublicOnly``): never a draft. When an item is
deleted its foreign key is set to null (``SET_NULL``); a deleted or no longer
public item is shown as removed, "an item that is no longer available", with
nothing of what it was. The label it had when last saved in the pack
(``label_snapshot``) is kept for the trainer in the admin only: it names the
review and heading the item came from, which may be a draft's.

``ReflectionQuestion``s are the prompts printed at the end of a 7-minute
briefing for a team's briefing session. They are the knowledge base's own
prompts, set by its staff, and are always labelled as such: never as a
board's words.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.deconstruct import deconstructible
from simple_history.models import HistoricalRecords

from .common import PublicationStatus, PublishableQuerySet
from .entries import Action, LearningPoint, Recommendation
from .reviews import Review
from .themes import Theme


class CoursePackQuerySet(PublishableQuerySet):
    """A pack is public when its own status is published."""


class CoursePackManager(models.Manager.from_queryset(CoursePackQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class CoursePack(models.Model):
    """A trainer's ordered selection of learning, with their own notes."""

    slug = models.SlugField(
        "web address",
        max_length=120,
        unique=True,
        help_text="The last part of the pack's address on this site: lower-case letters, numbers and hyphens. "
        "Its short link (/c/<number>/) keeps working if you change it.",
    )
    title = models.CharField(max_length=200, help_text="The pack's title, e.g. 'Induction: information sharing'.")
    introduction = models.TextField(
        blank=True,
        help_text="Your introduction to the pack (Markdown): who it is for and how to use it. "
        "Shown as the trainer's words, not as a board's.",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="course_packs",
        help_text="The trainer who made the pack. Filled in automatically.",
    )
    status = models.CharField(
        max_length=10,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
        help_text="A draft pack is only visible to staff. Publish it to give it a public web address.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CoursePackManager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("reviews:coursepack-detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)

    def get_permalink(self):
        return reverse("reviews:coursepack-permalink", kwargs={"pk": self.pk})

    @property
    def is_published(self) -> bool:
        return self.status == PublicationStatus.PUBLISHED


# Each kind of content step is held in the foreign key of the same name.
TARGET_KINDS = ("theme", "review", "learning_point", "recommendation", "action")

NOT_PUBLIC_MESSAGE = (
    "Only published content can go in a course pack: this item is a draft or is no longer published. "
    "Choose another, or delete this step."
)


@deconstructible(path="reviews.models.courses.PublicOnly")
class PublicOnly:
    """A step's ``limit_choices_to``: only content the public may see.

    A pack is shared beyond the site, so a draft (a draft review, its
    entries, a theme only drafts use) is never offered to one: the admin's
    autocomplete reads this, and form and model validation refuse anything
    else. The rule is each model's own (``Theme.objects.public()``,
    ``published()`` for the rest). Named by kind so that migrations can record it.
    """

    def __init__(self, kind: str):
        self.kind = kind

    def __eq__(self, other):
        return isinstance(other, PublicOnly) and other.kind == self.kind

    def __hash__(self):
        return hash(self.kind)

    def __call__(self) -> Q:
        manager = {
            "theme": Theme.objects,
            "review": Review.objects,
            "learning_point": LearningPoint.objects,
            "recommendation": Recommendation.objects,
            "action": Action.objects,
        }[self.kind]
        public = manager.public() if hasattr(manager, "public") else manager.published()
        return Q(pk__in=public.values("pk"))


def _target(model, kind: str) -> models.ForeignKey:
    """The foreign key holding a step's content of one kind: null once the content is deleted."""
    return models.ForeignKey(
        model,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to=PublicOnly(kind),
        error_messages={"invalid": NOT_PUBLIC_MESSAGE},
    )


class CoursePackItem(models.Model):
    """One step of a course pack: a piece of content, a note, or both.

    Exactly one target field matches the item's kind. The target is set to
    null when the content is deleted; ``label_snapshot`` then says what it
    was, in the admin only.
    """

    class Kind(models.TextChoices):
        NOTE = "note", "Trainer's note only"
        THEME = "theme", "Theme"
        REVIEW = "review", "Review"
        LEARNING_POINT = "learning_point", "Learning point"
        RECOMMENDATION = "recommendation", "Recommendation"
        ACTION = "action", "Action"

    TARGET_FIELDS = {kind: kind for kind in TARGET_KINDS}

    pack = models.ForeignKey(CoursePack, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(default=0, help_text="Order in the pack; lower numbers first.")
    kind = models.CharField(
        max_length=20,
        choices=Kind.choices,
        default=Kind.LEARNING_POINT,
        help_text="What this step shows. Choose the item in the matching field below.",
    )
    theme = _target(Theme, "theme")
    review = _target(Review, "review")
    learning_point = _target(LearningPoint, "learning_point")
    recommendation = _target(Recommendation, "recommendation")
    action = _target(Action, "action")
    label_snapshot = models.CharField(
        max_length=300,
        blank=True,
        editable=False,
        help_text="What the item was called when it was last saved in the pack. Shown here if it is removed; "
        "the public sees only that the item is no longer available.",
    )
    notes = models.TextField(
        blank=True,
        help_text="Your notes for this step (Markdown), shown after the item: what to discuss, "
        "an exercise, a question. Shown as the trainer's words.",
    )

    class Meta:
        ordering = ["pack", "position", "id"]
        verbose_name = "course pack item"
        constraints = [
            # A target of another kind may never be set; a missing target is
            # allowed because deleting the content sets it to null.
            models.CheckConstraint(
                condition=Q(*(Q(**{f"{kind}__isnull": True}) | Q(kind=kind) for kind in TARGET_KINDS)),
                name="coursepackitem_target_matches_kind",
                violation_error_message="Choose the item in the field that matches the kind of step.",
            ),
            models.CheckConstraint(
                condition=~Q(kind="note") | ~Q(notes=""),
                name="coursepackitem_note_has_text",
                violation_error_message="A note-only step needs some notes.",
            ),
        ]

    def __str__(self):
        if self.kind == self.Kind.NOTE:
            return "Trainer's note"
        label = self.label_snapshot or "not chosen yet"
        if self.kind in (self.Kind.THEME, self.Kind.REVIEW):
            label = f"{self.get_kind_display()}: {label}"
        field = self.TARGET_FIELDS[self.kind]
        return label if getattr(self, f"{field}_id") is not None else f"Removed: {label}"

    def save(self, *args, **kwargs):
        target = self.target
        if target is not None:
            self.label_snapshot = content_label(target)[:300]
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        field = self.TARGET_FIELDS.get(self.kind)
        for other in self.TARGET_FIELDS.values():
            if other != field and getattr(self, f"{other}_id") is not None:
                raise ValidationError(
                    {other: f"This step is a {self.get_kind_display().lower()}: clear this field or change the kind."}
                )
        # A new step must point at something; an existing one may have lost its
        # target because the content was deleted, and is then shown as removed.
        if field and self._state.adding and getattr(self, f"{field}_id") is None:
            raise ValidationError({field: f"Choose the {self.get_kind_display().lower()} to include."})

    @property
    def target(self):
        """The content this step shows, or None (a note, or deleted content)."""
        field = self.TARGET_FIELDS.get(self.kind)
        return getattr(self, field) if field else None


def content_label(obj) -> str:
    """A short label for a piece of content, kept for the trainer once it is removed.

    It names the item and where it came from, never its wording. It is shown
    in the admin only: content is usually removed or unpublished for a reason
    (a correction, or something that should not have been published), and
    the review and heading it names may be a draft's, so a public pack says
    only that an item is no longer available.
    """
    if isinstance(obj, Theme):
        return obj.name
    if isinstance(obj, Review):
        return obj.title
    where = obj.review.title if getattr(obj, "review_id", None) else obj.source.title
    under = f", under “{obj.heading_in_context}”" if obj.heading_in_context else ""
    if isinstance(obj, Recommendation):
        number = f" {obj.number}" if obj.number else ""
        return f"Recommendation{number} from {where}{under}"
    if isinstance(obj, Action):
        owner = f" by {obj.owner}" if obj.owner else ""
        return f"Action{owner} from {where}{under}"
    if isinstance(obj, LearningPoint):
        kind = "Learning point" if obj.kind == LearningPoint.Kind.LEARNING else obj.get_kind_display()
        return f"{kind} from {where}{under}"
    return str(obj)


class ReflectionQuestionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def general(self):
        """Active questions printed on every briefing."""
        return self.active().filter(theme__isnull=True).order_by("position", "id")

    def for_theme(self, theme: Theme):
        """Active questions for one theme's briefing: that theme's own first, then the general ones."""
        return (
            self.active()
            .filter(Q(theme=theme) | Q(theme__isnull=True))
            .order_by(models.F("theme").asc(nulls_last=True), "position", "id")
        )


class ReflectionQuestion(models.Model):
    """A prompt for a team's briefing session, printed on the 7-minute briefings.

    These are the knowledge base's own prompts, never a board's words.
    """

    text = models.CharField(
        max_length=300,
        help_text="The question as it will be printed. Write it as the knowledge base's own prompt: "
        "do not present it as a board's or a review's words.",
    )
    # PROTECT: a question is staff's own writing, and deleting a theme must not
    # silently delete it (nor turn it into a general question printed on every
    # briefing). Merging themes moves it to the theme kept.
    theme = models.ForeignKey(
        Theme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reflection_questions",
        help_text="Leave empty for a general question printed on every briefing; choose a theme to print "
        "it only on that theme's briefing, before the general questions.",
    )
    position = models.PositiveIntegerField(default=0, help_text="Order when printed; lower numbers first.")
    is_active = models.BooleanField(
        "printed", default=True, help_text="Untick to stop printing it without deleting it."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReflectionQuestionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["theme", "text"], name="reflectionquestion_text_unique_per_theme"),
            # NULLs are distinct in the constraint above, so general questions need their own.
            models.UniqueConstraint(
                fields=["text"], condition=Q(theme__isnull=True), name="reflectionquestion_general_text_unique"
            ),
        ]

    def __str__(self):
        return self.text

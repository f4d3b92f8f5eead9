"""The entries drawn from a briefing: what a review found, recommended and did.

A review's ``CaseFact``s, ``LearningPoint``s and ``Recommendation``s, and the
``Action``s that answer them, each keep the ``Source`` they came from, the
``Section`` of it they sit under, their place in it and a permanent ``ref``
used in links.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ..addresses import path_to
from .agencies import Agency
from .common import (
    REF_HELP,
    DatePrecision,
    PublicationStatus,
    PublishableQuerySet,
    RefNaturalKeyManager,
    format_partial_date,
    new_ref,
)
from .publishers import Resource, Source
from .reviews import Review
from .sections import (
    ACTION,
    CASE_FACT,
    GOOD_PRACTICE,
    KEY_FACT,
    LEARNING,
    QUESTION,
    RECOMMENDATION,
    REVIEW_FACT,
    Section,
    describe_allowed_kinds,
)
from .themes import Theme


class ReviewItemQuerySet(PublishableQuerySet):
    """Entries that belong to a review are public only when their review is."""

    publication_field = "review__status"


class ReviewItemManager(RefNaturalKeyManager.from_queryset(ReviewItemQuerySet)):
    pass


def source_field(related_name: str) -> models.ForeignKey:
    return models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        related_name=related_name,
        help_text="The briefing this entry's wording comes from.",
    )


def section_field(related_name: str) -> models.ForeignKey:
    return models.ForeignKey(
        Section,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name=related_name,
        help_text="The section of the briefing it sits under (its heading as the briefing prints it).",
    )


# Not in the edit history: when it last changed, the marker worked out from the text (``reviews/wording.py``)
# and the anchors it had as another kind (bookkeeping of a kind change, which its history already says).
HISTORY_EXCLUDED = ["updated_at", "wording_edited", "former_anchors"]
THEMES_HELP = "The themes it is filed under. Start typing a theme's name to find it."
AGENCIES_HELP = (
    "The agencies it concerns: the knowledge base's reading of {words}, which stay as the briefing gives them. "
    "Filled in from those words when it is loaded or imported; correct it here if the reading is wrong."
)
POSITION_HELP = (
    "Its place in the briefing: one sequence for all the briefing's sections and entries, whatever their kind; "
    "lower numbers first."
)
KIND_NOTE_HELP = (
    "Only when this entry's kind is not what its section holds (e.g. an action the briefing reports within a "
    "section of learning): the knowledge base's note saying why. Shown as the knowledge base's words, never "
    "as the board's."
)


class ReviewItem(models.Model):
    """Fields every entry drawn from a briefing shares.

    Each concrete entry adds ``source`` and ``section`` (with its own related
    name) and says which kind of entry it is for its section's role
    (``section_kind``).
    """

    ref = models.SlugField("reference", max_length=120, unique=True, blank=True, help_text=REF_HELP)
    position = models.PositiveIntegerField("place in the briefing", default=0, help_text=POSITION_HELP)
    kind_note = models.TextField("why its kind differs from its section", blank=True, help_text=KIND_NOTE_HELP)
    wording_edited = models.BooleanField(
        "wording edited by the knowledge base",
        default=False,
        editable=False,
        help_text="Set when it is saved: its words are no longer found word for word in its briefing (an editor "
        "changed them, giving a reason). Pages then say so and link to the briefing as received "
        "(reviews/wording.py).",
    )
    former_anchors = models.CharField(
        "its former places on pages",
        max_length=500,
        blank=True,
        editable=False,
        help_text="The page anchors it had as another kind of entry (space-separated), kept so that old links "
        "to them still land on it. Written by a change of kind (services/kinds.py).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    ref_prefix = "item"
    label_text = "Entry"
    anchor_prefix = "item"
    permalink_name = ""

    # What some pages say of an entry, set by their selectors, and nothing on other pages: why an
    # agency's page lists it (``selectors.agency_page``); on a review page in the briefing's order, the
    # answers of a recommendation printed under another heading and the recommendation an action so
    # answers (``selectors.review_sections``). Defaults here, so a template asking finds them at once.
    shown_because = None
    actions_elsewhere = ()
    answers_elsewhere = None

    class Meta:
        abstract = True
        ordering = ["position", "id"]

    def save(self, *args, **kwargs):
        if not self.ref:
            self.ref = new_ref(self.ref_prefix, getattr(self, "text", ""))
        super().save(*args, **kwargs)

    def natural_key(self):
        return (self.ref,)

    def clean(self):
        super().clean()
        section = self.section if self.section_id else None
        if section is None:
            return
        if self.source_id and section.source_id != self.source_id:
            raise ValidationError({"section": "This section is in another briefing. Choose one from its source."})
        review_id = getattr(self, "review_id", None)
        if section.review_id and review_id and section.review_id != review_id:
            raise ValidationError({"section": "This section is another review's part of the briefing."})
        if not section.holds(self.section_kind) and not self.kind_note.strip():
            raise ValidationError(
                {
                    "kind_note": f"Its section “{section.heading or '(no heading)'}” is one of "
                    f"{section.get_role_display().lower()}, which holds {describe_allowed_kinds(section.role)}, "
                    f"not {self.section_kind}. Say why this entry is of that kind here, or choose another section."
                }
            )

    @property
    def heading(self) -> str:
        """The heading it sits under in the briefing, as printed ("" when none is recorded)."""
        section = self.section if self.section_id else None
        return section.heading if section is not None else ""

    @property
    def heading_path(self) -> list[str]:
        """The headings it sits under, outermost first (a table's caption, its row, its column)."""
        section = self.section if self.section_id else None
        return section.heading_path if section is not None else []

    @property
    def heading_in_context(self) -> str:
        """Its heading as a reader needs it to place it ("Transition Issues › Learning Points" in a table)."""
        section = self.section if self.section_id else None
        return section.heading_in_context if section is not None else ""

    @property
    def section_kind(self) -> str:
        """What this entry is, in the words of its section's role check (``sections.KINDS_BY_ROLE``)."""
        raise NotImplementedError

    @property
    def anchor(self) -> str:
        return f"{self.anchor_prefix}-{self.ref}"

    @property
    def label(self) -> str:
        """What the entry is, in words, as every page and the printed briefing name it."""
        return self.label_text

    @property
    def former_anchor_list(self) -> list[str]:
        return self.former_anchors.split()

    def get_permalink(self):
        """The short link that survives renames, or the page anchor where there is none."""
        if not self.permalink_name:
            return self.get_absolute_url()
        return path_to(f"reviews:{self.permalink_name}", pk=self.pk)


class CaseFact(ReviewItem):
    """A fact about the case, or about the review itself, as the briefing states it."""

    class Kind(models.TextChoices):
        CASE = "case", "About the case"
        REVIEW = "review", "About the review"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="case_facts")
    source = source_field("case_facts")
    section = section_field("case_facts")
    kind = models.CharField(
        max_length=10,
        choices=Kind.choices,
        default=Kind.CASE,
        help_text="About the case: the child, the family, what happened. About the review: how it was "
        "commissioned and carried out, or what the briefing itself is.",
    )
    text = models.TextField(help_text="The fact word for word from the briefing (Markdown).")
    themes = models.ManyToManyField(
        Theme,
        related_name="case_facts",
        blank=True,
        help_text="Themes the fact bears on, if any: like learning, it then puts the theme in its review. "
        "Start typing a theme's name to find it.",
    )

    objects = ReviewItemManager()
    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED, m2m_fields=[themes])

    ref_prefix = "fact"
    anchor_prefix = "fact"
    label_text = "Case fact"

    class Meta(ReviewItem.Meta):
        pass

    def __str__(self):
        return self.text[:80]

    def get_absolute_url(self):
        return f"{self.review.get_absolute_url()}#{self.anchor}"

    @property
    def section_kind(self) -> str:
        return REVIEW_FACT if self.kind == self.Kind.REVIEW else CASE_FACT


class LearningPointQuerySet(ReviewItemQuerySet):
    """A learning point need not belong to a review, so its rule is not one
    field; ``visible_to()`` follows the ``published()`` below."""

    def published(self):
        """Learning from a published review, or cross-cutting learning from a published source."""
        return self.filter(Q(review__status=PublicationStatus.PUBLISHED) | self.tied_to_no_review_visible_to(None))

    @staticmethod
    def tied_to_no_review_visible_to(user) -> Q:
        """Which learning tied to no review the user may see, as a condition: staff see all of it,
        everyone else that of a published source (the second half of ``published()``)."""
        if getattr(user, "is_staff", False):
            return Q(review__isnull=True)
        return Q(review__isnull=True, source__status=PublicationStatus.PUBLISHED)


class LearningPointManager(RefNaturalKeyManager.from_queryset(LearningPointQuerySet)):
    pass


class LearningPoint(ReviewItem):
    class Kind(models.TextChoices):
        LEARNING = "learning", "Learning"
        GOOD_PRACTICE = "good_practice", "Good practice"
        KEY_FACT = "key_fact", "Key fact"
        QUESTION = "question", "Question to consider"

    review = models.ForeignKey(
        Review,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="learning_points",
        help_text="The review it comes from. Leave empty only for cross-cutting learning not tied to one review.",
    )
    source = source_field("learning_points")
    section = section_field("learning_points")
    kind = models.CharField(
        max_length=20,
        choices=Kind.choices,
        default=Kind.LEARNING,
        help_text="Good practice is shown apart from learning; key facts are research or figures the briefing cites.",
    )
    text = models.TextField(help_text="The learning word for word from the briefing (Markdown).")
    themes = models.ManyToManyField(Theme, related_name="learning_points", blank=True, help_text=THEMES_HELP)
    resources = models.ManyToManyField(
        Resource, related_name="learning_points", blank=True, help_text="Resources this learning point names."
    )
    repeats = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="repeated_in",
        verbose_name="repeats an earlier learning point",
        help_text="Set when this is the same paragraph another briefing already published, so it is "
        "recognised as a repeat rather than counted as new learning.",
    )

    objects = LearningPointManager()
    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED, m2m_fields=[themes, resources])

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

    @property
    def label(self) -> str:
        return "Learning point" if self.kind == self.Kind.LEARNING else self.get_kind_display()

    @property
    def section_kind(self) -> str:
        return {self.Kind.GOOD_PRACTICE: GOOD_PRACTICE, self.Kind.KEY_FACT: KEY_FACT, self.Kind.QUESTION: QUESTION}.get(
            self.kind, LEARNING
        )


class Recommendation(ReviewItem):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="recommendations")
    source = source_field("recommendations")
    section = section_field("recommendations")
    number = models.CharField(
        max_length=20,
        blank=True,
        help_text="The number or label as published, e.g. '1' or '3'. Leave empty if unnumbered.",
    )
    addressed_to = models.CharField(
        "for whom",
        max_length=200,
        blank=True,
        help_text="Who the recommendation is for, as the briefing says (e.g. 'All', 'Police', 'HSCB').",
    )
    text = models.TextField(help_text="The recommendation word for word from the briefing (Markdown).")
    unanswered_parts = models.TextField(
        "parts the briefing gives no response to",
        blank=True,
        help_text="Parts of the recommendation, word for word, one per line, to which this briefing gives no "
        "response (the knowledge base's reading).",
    )
    themes = models.ManyToManyField(Theme, related_name="recommendations", blank=True, help_text=THEMES_HELP)
    resources = models.ManyToManyField(
        Resource, related_name="recommendations", blank=True, help_text="Resources this recommendation names."
    )
    agencies = models.ManyToManyField(
        Agency,
        related_name="recommendations",
        blank=True,
        verbose_name="agencies it is for",
        help_text=AGENCIES_HELP.format(words="'for whom'"),
    )

    objects = ReviewItemManager()
    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED, m2m_fields=[themes, resources, agencies])

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
        return f"{self.label}: {self.text[:80]}" if self.number else self.text[:80]

    def get_absolute_url(self):
        return f"{self.review.get_absolute_url()}#{self.anchor}"

    @property
    def label(self) -> str:
        return f"Recommendation {self.number}" if self.number else "Recommendation"

    @property
    def section_kind(self) -> str:
        return RECOMMENDATION


class Action(ReviewItem):
    """What a board or agency does in response to a review or recommendation.

    ``status`` is the status the briefing (or an editor) gave it; reports made
    since are ``updates`` (``tracking.ActionUpdate``), the latest of which is
    its current status (``current_status``). ``target_date`` is read from the
    briefing's words, never typed or guessed (``reviews.tracker.dates``).
    """

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        NOT_STATED = "not_stated", "Not stated"

    class ClosingJudgement(models.TextChoices):
        DONE_IMPACT_SHOWN = "done_impact_shown", "Done, impact shown"
        DONE_IMPACT_NOT_SHOWN = "done_impact_not_shown", "Done, impact not yet shown"
        SUPERSEDED = "superseded", "Superseded"
        NOT_ACCEPTED = "not_accepted", "Not accepted"

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
    section = section_field("actions")
    owner = models.CharField(
        "who is doing it",
        max_length=200,
        blank=True,
        help_text="Who is doing it, as the briefing says (e.g. 'HSCB', 'Early Help Board').",
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
        "target date, as the briefing gives it",
        max_length=100,
        blank=True,
        help_text="Exactly as stated, e.g. 'January 2020', 'later this year'.",
    )
    evidence_of_impact = models.TextField(
        blank=True, help_text="What shows the action made a difference, as reported (Markdown)."
    )
    target_date = models.DateField(
        "target date as a date",
        null=True,
        blank=True,
        editable=False,
        help_text="Read from the target date as the briefing gives it, only when those words name a definite "
        "date: 'January 2020' is the end of January 2020. Words such as 'later this year' give none.",
    )
    target_date_precision = models.CharField(
        "how exact is the target date?",
        max_length=10,
        choices=DatePrecision.choices,
        default=DatePrecision.UNKNOWN,
        editable=False,
    )
    closing_judgement = models.CharField(
        "closing judgement",
        max_length=30,
        choices=ClosingJudgement.choices,
        blank=True,
        help_text="Leave empty while the action is open. Once it is closed: whether it was done and shown to "
        "make a difference, replaced by another action or recommendation, or not accepted (say why).",
    )
    closing_reason = models.TextField(
        "why it was not accepted, or a note on the judgement",
        blank=True,
        help_text="Needed when the action was not accepted: the reason, as given by whoever made the decision.",
    )
    superseded_by_action = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supersedes_actions",
        verbose_name="replaced by the action",
        help_text="When the judgement is 'superseded': the action that replaces this one (or choose a recommendation).",
    )
    superseded_by_recommendation = models.ForeignKey(
        Recommendation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supersedes_actions",
        verbose_name="replaced by the recommendation",
        help_text="When the judgement is 'superseded': the recommendation that replaces this action.",
    )
    judged_on = models.DateField(
        "date of the judgement", null=True, blank=True, help_text="When the closing judgement was made."
    )
    judged_by = models.CharField(
        "judgement made by",
        max_length=200,
        blank=True,
        help_text="Who made the closing judgement, as they name themselves (e.g. 'Case Review Sub-group').",
    )
    themes = models.ManyToManyField(Theme, related_name="actions", blank=True, help_text=THEMES_HELP)
    resources = models.ManyToManyField(
        Resource, related_name="actions", blank=True, help_text="Resources this action names or produced."
    )
    agencies = models.ManyToManyField(
        Agency,
        related_name="actions",
        blank=True,
        verbose_name="agencies doing it",
        help_text=AGENCIES_HELP.format(words="'who is doing it'"),
    )

    objects = ReviewItemManager()
    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED, m2m_fields=[themes, resources, agencies])

    ref_prefix = "act"
    label_text = "Action"
    anchor_prefix = "act"
    permalink_name = "action-permalink"

    class Meta(ReviewItem.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(target_date__isnull=True, target_date_precision=DatePrecision.UNKNOWN)
                | (Q(target_date__isnull=False) & ~Q(target_date_precision=DatePrecision.UNKNOWN)),
                name="action_target_date_matches_precision",
            ),
            models.CheckConstraint(
                condition=Q(closing_judgement="", judged_on__isnull=True)
                | (~Q(closing_judgement="") & Q(judged_on__isnull=False)),
                name="action_closing_judgement_dated",
                violation_error_message="Give the date of the closing judgement, or leave both empty while "
                "the action is open.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(closing_judgement="superseded")
                    & (Q(superseded_by_action__isnull=False) | Q(superseded_by_recommendation__isnull=False))
                )
                | (
                    ~Q(closing_judgement="superseded")
                    & Q(superseded_by_action__isnull=True, superseded_by_recommendation__isnull=True)
                ),
                name="action_superseded_names_what_replaces_it",
                violation_error_message="An action judged superseded names the action or recommendation that "
                "replaces it, and only such an action does.",
            ),
            models.CheckConstraint(
                condition=~Q(closing_judgement="not_accepted") | ~Q(closing_reason=""),
                name="action_not_accepted_gives_reason",
                violation_error_message="Say why the action was not accepted.",
            ),
            models.CheckConstraint(
                condition=~Q(superseded_by_action=models.F("id")),
                name="action_cannot_supersede_itself",
                violation_error_message="An action cannot be replaced by itself.",
            ),
        ]

    def __str__(self):
        return self.text[:80]

    def save(self, *args, **kwargs):
        if self.recommendation_id:
            self.review_id = self.recommendation.review_id
        self.target_date, self.target_date_precision = self.target_date_from_words()
        if self.status != getattr(self, "_loaded_status", self.Status.NOT_STATED):
            self.status_changed_at = timezone.now()
        super().save(*args, **kwargs)
        self._loaded_status = self.status

    def get_absolute_url(self):
        return f"{self.review.get_absolute_url()}#{self.anchor}"

    def clean(self):
        super().clean()
        if self.recommendation_id and self.review_id and self.recommendation.review_id != self.review_id:
            raise ValidationError(
                {"recommendation": "This recommendation belongs to a different review. Choose one from this review."}
            )

    @property
    def section_kind(self) -> str:
        return ACTION

    def target_date_from_words(self) -> tuple:
        """(date, precision) read from ``target_date_as_stated``; (None, unknown) when the words give none."""
        from ..tracker.dates import target_date_from_words

        found = target_date_from_words(self.target_date_as_stated)
        return (found.date, found.precision) if found else (None, DatePrecision.UNKNOWN)

    @property
    def target_date_display(self) -> str:
        """The target date as exactly as the words gave it ("January 2020"), or "" when they gave none."""
        return format_partial_date(self.target_date, self.target_date_precision)

    @property
    def status_reports(self) -> list:
        """Its status reports since the briefing, oldest first (prefetch ``updates`` to read them without a query)."""
        return sorted(self.updates.all(), key=lambda update: (update.reported_on, update.pk))

    @property
    def latest_update(self):
        reports = self.status_reports
        return reports[-1] if reports else None

    @property
    def current_status(self) -> str:
        """The latest status reported: the latest update's, else the one the briefing gave."""
        latest = self.latest_update
        return latest.status if latest is not None else self.status

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_status = instance.__dict__.get("status")
        return instance


# The entries filed under themes (``themes`` many-to-many): what makes a theme
# public (``Theme.objects.public()``) and puts it "in" a review
# (``reviews.selectors.common.theme_links``).
THEMED_ENTRIES = (CaseFact, LearningPoint, Recommendation, Action)

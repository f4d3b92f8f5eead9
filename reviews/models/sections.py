"""The structure of a briefing: its sections, in order, and what each is for.

A ``Section`` is one heading of a briefing and what sits under it: "Neglect",
"Summary of the key learning", "Key Actions and Recommendations". Every entry
drawn from a briefing (case fact, learning point, recommendation, action, and
a resource the briefing gives as a passage of its own) records the section it
sits under and its place in the briefing, so the briefing's structure is kept
as data rather than lost when pages file learning by theme.

A section's ``role`` says what kind of section it is (the case, learning, what
went well, recommendations...). The printed briefing and the importer use it,
and ``load_kb`` checks each entry's kind against it: an entry whose kind the
role does not hold (an action reported within a section of learning) must
carry the knowledge base's note saying why (``kind_note``).

A table keeps its shape: a section of layout *table* (its caption), one of
layout *row* per row under it (the row heading), and one of layout *cell* per
column under each row, whose heading is the column heading as written ("Good
Practice", "Learning Points").
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from .common import RefNaturalKeyManager, new_ref
from .publishers import Source
from .reviews import Review

# What an entry is, as the kind-and-role check names it. Each entry model
# says which of these it is (``section_kind``).
CASE_FACT = "case fact"
REVIEW_FACT = "fact about the review"
LEARNING = "learning"
GOOD_PRACTICE = "good practice"
KEY_FACT = "key fact"
RECOMMENDATION = "recommendation"
ACTION = "action"
QUESTION = "question"
RESOURCE = "resource"

HEADING_HELP = (
    "The heading exactly as the briefing prints it: same words, capitals and spelling (for a table row, the row "
    "heading; for a table cell, its column heading, e.g. 'Good Practice'). Leave empty only for an opening "
    "that has no heading. Where the briefing runs the heading into its text ('Escalation; Professionals…', "
    "'Safe Sleeping Guidance - At all…'), the semicolon or dash joining them is not part of the heading."
)


class Section(models.Model):
    """One heading of a briefing and what sits under it."""

    class Role(models.TextChoices):
        BACKGROUND = "background", "Background"
        CASE = "case", "The case"
        LEARNING = "learning", "Learning"
        GOOD_PRACTICE = "good_practice", "What went well"
        RECOMMENDATIONS = "recommendations", "Recommendations"
        RESPONSE = "response", "Response and actions"
        QUESTIONS = "questions", "Questions"
        FURTHER_INFORMATION = "further_information", "Further information"
        OTHER = "other", "Other"

    class Layout(models.TextChoices):
        TEXT = "text", "Text"
        TABLE = "table", "Table"
        ROW = "row", "Table row"
        CELL = "cell", "Table cell"

    # The kinds of entry each role holds; any other needs a ``kind_note``.
    # ``None``: any kind ("other" is a section the roles do not describe).
    KINDS_BY_ROLE: dict[str, frozenset[str] | None] = {
        Role.BACKGROUND: frozenset({CASE_FACT, REVIEW_FACT, KEY_FACT}),
        Role.CASE: frozenset({CASE_FACT, REVIEW_FACT}),
        Role.LEARNING: frozenset({LEARNING, KEY_FACT}),
        Role.GOOD_PRACTICE: frozenset({GOOD_PRACTICE}),
        Role.RECOMMENDATIONS: frozenset({RECOMMENDATION, ACTION}),
        Role.RESPONSE: frozenset({ACTION}),
        Role.QUESTIONS: frozenset({QUESTION}),
        Role.FURTHER_INFORMATION: frozenset({RESOURCE, KEY_FACT}),
        Role.OTHER: None,
    }

    ref = models.SlugField(
        "reference",
        max_length=120,
        unique=True,
        blank=True,
        help_text="A short permanent name for this section (e.g. 'child-m-sec-neglect'). Filled in "
        "automatically if left blank; never change it once published.",
    )
    source = models.ForeignKey(
        Source, on_delete=models.CASCADE, related_name="sections", help_text="The briefing this section is part of."
    )
    review = models.ForeignKey(
        Review,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sections",
        help_text="Only for a briefing about several reviews (a newsletter covering three children): the review "
        "whose part of the briefing this is. Leave empty when the section belongs to the briefing as a whole.",
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        help_text="For a table row, the table it is in; for a table cell, its row. Empty otherwise.",
    )
    heading = models.CharField(max_length=300, blank=True, help_text=HEADING_HELP)
    role = models.CharField(
        max_length=30,
        choices=Role.choices,
        default=Role.OTHER,
        help_text="What this section of the briefing is: background, the case, learning, what went well, "
        "recommendations, the response and actions, questions, further information, or other. The printed "
        "briefing and the checks on each entry's kind use it.",
    )
    layout = models.CharField(
        max_length=10,
        choices=Layout.choices,
        default=Layout.TEXT,
        help_text="Text for an ordinary heading; table for a table's caption; row for a row of that table; "
        "cell for a column within a row.",
    )
    position = models.PositiveIntegerField(
        "place in the briefing",
        default=0,
        help_text="Its place in the briefing, in the same sequence as the briefing's entries; lower numbers first.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RefNaturalKeyManager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        # By briefing (its id: no join), then in the order the briefing prints them.
        ordering = ["source_id", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(layout__in=["text", "table"]) & Q(parent__isnull=True))
                | (Q(layout__in=["row", "cell"]) & Q(parent__isnull=False)),
                name="section_parent_matches_layout",
                violation_error_message="A table row needs its table as parent, and a table cell its row; "
                "a text section or a table has no parent.",
            ),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="section_cannot_be_its_own_parent"),
        ]

    def __str__(self):
        heading = self.heading or "(no heading)"
        return f"{heading} ({self.get_role_display()})"

    def save(self, *args, **kwargs):
        if not self.ref:
            self.ref = new_ref("sec", self.heading)
        super().save(*args, **kwargs)

    def natural_key(self):
        return (self.ref,)

    def clean(self):
        super().clean()
        errors = {}
        parent = self.parent if self.parent_id else None
        if parent is not None:
            wanted = {self.Layout.ROW: self.Layout.TABLE, self.Layout.CELL: self.Layout.ROW}.get(self.layout)
            if parent.source_id != self.source_id:
                errors["parent"] = "The parent section is in another briefing. Choose one from this briefing."
            elif wanted and parent.layout != wanted:
                errors["parent"] = (
                    f"A {self.get_layout_display().lower()} belongs under a "
                    f"{self.Layout(wanted).label.lower()}: choose one as its parent."
                )
            elif parent.review_id != self.review_id:
                errors["review"] = "A table's rows and cells belong to the same review as the table."
        if self.review_id and self.source_id and not self.review.sources.filter(pk=self.source_id).exists():
            errors["review"] = "This review is not drawn from this section's briefing. Choose one that is."
        if errors:
            raise ValidationError(errors)

    @property
    def anchor(self) -> str:
        return f"sec-{self.ref}"

    @property
    def heading_path(self) -> list[str]:
        """Its heading after those of the sections it is in, outermost first, leaving out empty ones:
        ["Summary of the key learning and good practice examples", "Transition Issues", "Learning Points"]
        for a table cell. Load ``parent__parent`` with it (``select_related``) to read it without queries."""
        path, section = [], self
        while section is not None:
            if section.heading:
                path.append(section.heading)
            section = section.parent if section.parent_id else None
        return path[::-1]

    @property
    def heading_in_context(self) -> str:
        """The heading as a reader needs it to place an entry: for a table cell its row heading and
        column heading ("Transition Issues › Learning Points"), otherwise its own heading.
        Load ``parent`` with it to read it without a query."""
        if self.layout == self.Layout.CELL and self.parent_id and self.parent.heading:
            return f"{self.parent.heading} › {self.heading}" if self.heading else self.parent.heading
        return self.heading

    @property
    def allowed_kinds(self) -> frozenset[str] | None:
        """The kinds of entry this section's role holds, or None for any."""
        return self.KINDS_BY_ROLE.get(self.role)

    def holds(self, kind: str) -> bool:
        """Whether an entry of ``kind`` (``CASE_FACT``, ``ACTION``...) fits this section's role."""
        allowed = self.allowed_kinds
        return allowed is None or kind in allowed


def describe_allowed_kinds(role: str) -> str:
    """The kinds a role holds, in words, for messages: "learning or key fact"."""
    allowed = Section.KINDS_BY_ROLE.get(role)
    if allowed is None:
        return "any kind"
    names = sorted(allowed)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"

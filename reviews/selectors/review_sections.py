"""A review's entries under the briefing's own headings, in the briefing's order.

The review page shows a briefing as the board published it: its sections in
order, under their headings as printed, each entry under its own heading in
its place. A table keeps its shape: its rows, and in each row its cells
("Good Practice", "Learning Points"), so that a row's good practice and
learning stay together. Entries recorded under no section (an editor's
addition) follow, under the knowledge base's own headings, labelled as such.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from ..models import Action, CaseFact, LearningPoint, Recommendation, Resource, Review, Section, Source


@dataclass
class SectionBlock:
    """One section of the briefing on the page: its entries and, for a table or a row, the sections within it.

    ``section`` is None for a block of entries the briefing's headings do not
    hold (recorded under no section): ``label`` is then the knowledge base's own heading.
    """

    section: Section | None
    label: str = ""
    entries: list = field(default_factory=list)
    children: list[SectionBlock] = field(default_factory=list)

    @property
    def heading(self) -> str:
        """The heading as the briefing prints it ("" for an opening with no heading, or entries under none)."""
        return self.section.heading if self.section is not None else ""

    @property
    def is_ours(self) -> bool:
        """Whether the heading shown is the knowledge base's rather than the briefing's."""
        return self.section is None or not self.section.heading

    @property
    def title(self) -> str:
        """What the page shows as its heading: the briefing's, else the knowledge base's words."""
        if self.heading:
            return self.heading
        return self.label or "Opening paragraphs"

    @property
    def anchor(self) -> str:
        return self.section.anchor if self.section is not None else f"sec-none-{self.label.lower().replace(' ', '-')}"

    @property
    def layout(self) -> str:
        return self.section.layout if self.section is not None else Section.Layout.TEXT

    @property
    def is_table(self) -> bool:
        return self.layout == Section.Layout.TABLE

    @property
    def is_empty(self) -> bool:
        return not self.entries and not self.children

    @property
    def is_about_the_review(self) -> bool:
        """Whether the block holds only facts about the review (who commissioned it, how it was
        carried out): process text, which the page folds away so the case and the learning come first."""
        return (
            bool(self.entries)
            and not self.children
            and all(isinstance(entry, CaseFact) and entry.kind == CaseFact.Kind.REVIEW for entry in self.entries)
        )

    def walk(self):
        """This block and every block within it, in the briefing's order."""
        yield self
        for child in self.children:
            yield from child.walk()


# What the review page never shows of a briefing: its whole text as received, its file's name and what its
# import reported (shown on the briefing's own page). Left unread, every row of a briefing it reads is lighter.
UNSHOWN_SOURCE_FIELDS = ("original_text", "file_name", "excluded_passages", "import_report")


def unshown(prefix: str = "") -> list[str]:
    """The briefing's fields the review page never shows, as ``defer()`` names them (``prefix``: "source__")."""
    return [prefix + name for name in UNSHOWN_SOURCE_FIELDS]


def sections_for(review: Review, source_ids) -> list[Section]:
    """The sections of these briefings that may hold the review's entries: the review's own part of a
    briefing about several reviews, and the sections a briefing gives no one review (one query)."""
    return list(
        Section.objects.filter(source_id__in=source_ids)
        .filter(Q(review=review) | Q(review__isnull=True))
        .order_by("source_id", "position", "pk")
    )


def passages_for(user, review: Review, source_ids, *, related=("source",)) -> list[Resource]:
    """Resources the briefings give as passages of their own (a signpost, a contact box) in the sections
    the review's page shows, from the briefings the user may see (one query)."""
    return list(
        Resource.objects.filter(section__source_id__in=source_ids, source__in=Source.objects.visible_to(user))
        .filter(Q(section__review=review) | Q(section__review__isnull=True))
        .select_related(*related)
        .defer(*unshown("source__"))
        .order_by("position", "pk")
    )


# The knowledge base's headings for entries recorded under no section, in the order they are listed.
UNPLACED_HEADINGS = [
    (CaseFact, "The case and the review"),
    (LearningPoint, "Learning"),
    (Recommendation, "Recommendations"),
    (Action, "Actions"),
]


def place_in_sections(
    sections: list[Section], entries: list, recommendations: list[Recommendation]
) -> list[SectionBlock]:
    """The review's entries under their sections: the top-level sections in the briefing's order, with a
    table's rows and a row's cells within them; sections with nothing of this review's left out.

    ``entries`` are the case facts, learning points, recommendations, actions that answer no recommendation
    and resources given as passages. An action answering a recommendation is shown with it (the
    recommendation's ``actions_here``) when it sits in the same section or in none, and on its own in its own
    section otherwise (``answers_elsewhere`` says which recommendation it answers, the recommendation's
    ``actions_elsewhere`` links to it). Sections are linked to
    each other (``parent``) and to their entries, so that headings read without a query.
    """
    by_id = {section.pk: section for section in sections}
    for section in sections:
        if section.parent_id in by_id:
            section.parent = by_id[section.parent_id]
    blocks = {section.pk: SectionBlock(section=section) for section in sections}
    placed: list = list(entries)
    for recommendation in recommendations:
        recommendation.actions_here, recommendation.actions_elsewhere = [], []
        for action in recommendation.actions.all():
            if action.section_id is None or action.section_id == recommendation.section_id:
                recommendation.actions_here.append(action)
            else:
                # Shown in its own section; the recommendation links to it there (not "no response").
                action.answers_elsewhere = recommendation
                recommendation.actions_elsewhere.append(action)
                placed.append(action)
    unplaced: dict[type, list] = {}
    for entry in sorted(placed, key=lambda entry: (entry.position, entry.pk)):
        block = blocks.get(entry.section_id)
        if block is None:
            unplaced.setdefault(type(entry), []).append(entry)
            continue
        # The entry's section is the one on the page, with its parents: its heading in context reads no query.
        entry.section = block.section
        block.entries.append(entry)
    top = []
    for section in sections:
        block = blocks[section.pk]
        parent = blocks.get(section.parent_id)
        (parent.children if parent is not None else top).append(block)
    shown = [block for block in top if _prune(block)]
    for model, label in UNPLACED_HEADINGS:
        if unplaced.get(model):
            shown.append(SectionBlock(section=None, label=label, entries=unplaced[model]))
    return shown


def _prune(block: SectionBlock) -> bool:
    """Leave out the sections within this one that hold nothing of the review's; whether any is left."""
    block.children = [child for child in block.children if _prune(child)]
    return not block.is_empty

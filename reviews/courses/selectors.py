"""Course packs as shown on their page, handout, Markdown and CSV.

A pack is shared beyond the site, so its steps show **published content
only**, for everyone; staff may preview a draft pack itself. A step whose
content is not public (deleted, a draft, unpublished since) shows only that
it was removed: "an item that is no longer available", never its title,
heading or text, nor the review it came from.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet

from ..models import CoursePack, CoursePackItem, Theme
from ..selectors.common import is_public

# What a removed step says, in every format and to everyone.
REMOVED_LABEL = "an item that is no longer available"


@dataclass
class PackStep:
    """One step of a course pack as shown: the live content, or a removed marker."""

    item: CoursePackItem
    content: object | None

    @property
    def is_note(self) -> bool:
        return self.item.kind == CoursePackItem.Kind.NOTE

    @property
    def is_removed(self) -> bool:
        return not self.is_note and self.content is None

    @property
    def kind(self) -> str:
        return self.item.kind

    @property
    def kind_label(self) -> str:
        return self.item.get_kind_display()

    @property
    def removed_label(self) -> str:
        """What a removed step shows: that it is no longer available, and nothing of what it was.

        Not the step's ``label_snapshot``: it names the review and heading the
        item came from, which may be a draft's (an item unpublished with its
        review, a review retitled while in draft). The admin shows it to the trainer.
        """
        return REMOVED_LABEL


def published_course_packs() -> QuerySet[CoursePack]:
    """The packs the public may see, by title, for the index of packs (one query)."""
    return CoursePack.objects.published().order_by("title")


def course_pack_items() -> QuerySet[CoursePackItem]:
    """Pack items with every kind of content and what it needs to show (one query)."""
    return (
        CoursePackItem.objects.select_related(
            "theme",
            "review",
            "review__partnership",
            "review__summary_source",
            "learning_point",
            "learning_point__review",
            "learning_point__review__partnership",
            "learning_point__source",
            "learning_point__section__parent",
            "recommendation",
            "recommendation__review",
            "recommendation__review__partnership",
            "recommendation__source",
            "recommendation__section__parent",
            "action",
            "action__review",
            "action__review__partnership",
            "action__source",
            "action__section__parent",
        )
        .annotate(
            # Whether a theme is public takes a query (``Theme.objects.public()``): asked here, in the same one.
            theme_is_public=Exists(Theme.objects.public().filter(pk=OuterRef("theme_id")))
        )
        .order_by("position", "pk")
    )


def _public_content(item: CoursePackItem):
    """The step's content if the public may see it, else None (deleted, a draft, or no longer published)."""
    content = item.target
    if isinstance(content, Theme):
        return content if item.theme_is_public else None
    return content if is_public(content) else None


def course_pack(*, slug: str, user) -> tuple[CoursePack, list[PackStep]]:
    """A course pack and its steps (two queries). Staff may see a draft pack.

    Content that was deleted, or that is not public, is shown as removed
    (``PackStep.removed_label``): never as a broken page, and never with
    anything of what it was. Raises ``CoursePack.DoesNotExist``.
    """
    pack = CoursePack.objects.visible_to(user).select_related("owner").get(slug=slug)
    steps = [PackStep(item=item, content=_public_content(item)) for item in course_pack_items().filter(pack=pack)]
    return pack, steps

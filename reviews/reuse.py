"""Reads for trainers and reuse: printed briefings, course packs, embeds, feeds.

Each selector runs a fixed number of queries whatever the size of the data
(the tests pin them). Everything here is for handing out or publishing
beyond the site, so it shows **published content only**, for everyone,
except where a function says that staff may preview a draft.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import (
    DateTimeField,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Greatest

from .models import (
    Action,
    CaseFact,
    CoursePack,
    CoursePackItem,
    LearningPoint,
    Partnership,
    Recommendation,
    ReflectionQuestion,
    Review,
    Source,
    Theme,
)
from .models.content import PublicationStatus

# ---------------------------------------------------------------------------
# When a review last changed
# ---------------------------------------------------------------------------

_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def _latest_item_change(model) -> Subquery:
    return Subquery(
        model.objects.filter(review=OuterRef("pk"))
        .order_by()
        .values("review")
        .annotate(latest=Max("updated_at"))
        .values("latest")[:1]
    )


def with_last_updated(reviews: QuerySet[Review]) -> QuerySet[Review]:
    """Annotate ``last_updated``: the latest change to a review or any of its entries.

    A review's own ``updated_at`` does not move when one of its learning
    points is corrected, but its printed briefing and its feed entry have
    changed. ``Coalesce`` keeps ``Greatest`` working on SQLite, where a
    single NULL argument would make the whole result NULL.
    """
    epoch = Value(_EPOCH, output_field=DateTimeField())
    return reviews.annotate(
        last_updated=Greatest(
            F("updated_at"),
            *(
                Coalesce(_latest_item_change(model), epoch)
                for model in (LearningPoint, Recommendation, Action, CaseFact)
            ),
        )
    )


def _one_level_deeper(theme):
    """Inside one more subquery, an ``OuterRef`` must reach one level further out."""
    return OuterRef(theme) if isinstance(theme, OuterRef) else theme


def published_reviews_about(theme) -> QuerySet[Review]:
    """Published reviews with a learning point, recommendation or action filed under the theme.

    ``theme`` is a theme, or ``OuterRef("pk")`` inside a theme annotation.
    """
    inner = _one_level_deeper(theme)
    return Review.objects.published().filter(
        Q(pk__in=LearningPoint.objects.filter(themes=inner).values("review_id"))
        | Q(pk__in=Recommendation.objects.filter(themes=inner).values("review_id"))
        | Q(pk__in=Action.objects.filter(themes=inner).values("review_id"))
    )


class SubqueryCount(Subquery):
    """``COUNT(*)`` of a queryset as an annotation, without a ``GROUP BY`` on the outer query."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _count)"
    output_field = IntegerField()

    def __init__(self, queryset, **extra):
        super().__init__(queryset.order_by().values("pk"), **extra)


def distinct_learning_about(theme) -> QuerySet[LearningPoint]:
    """Published learning points on a theme, leaving out repeats of one already on it
    (the same paragraph published again in a later briefing is counted once).

    ``theme`` is a theme, or ``OuterRef("pk")`` inside a theme annotation.
    """
    published = LearningPoint.objects.published()
    repeat_of_counted = published.filter(pk=OuterRef("repeats_id"), themes=_one_level_deeper(theme))
    return published.filter(themes=theme).filter(~Exists(repeat_of_counted))


# ---------------------------------------------------------------------------
# Is a piece of content public?
# ---------------------------------------------------------------------------


def is_public(obj) -> bool:
    """Whether the public may see ``obj``, from objects already loaded.

    The same rules as the models' ``published()`` querysets; callers load
    ``review`` and ``source`` with ``select_related`` so this costs nothing.
    """
    if obj is None:
        return False
    if isinstance(obj, Theme):
        return True
    if isinstance(obj, Review):
        return obj.status == PublicationStatus.PUBLISHED
    if isinstance(obj, LearningPoint) and obj.review_id is None:
        return obj.source.status == PublicationStatus.PUBLISHED
    if isinstance(obj, (LearningPoint, Recommendation, Action)):
        return obj.review.status == PublicationStatus.PUBLISHED
    return False


def deletion_of(model, **lookup):
    """The edit-history record of an object's deletion, or None if it was never
    deleted or is back (django-simple-history's ``history_type "-"``).

    ``lookup`` is ``pk=...`` or, for a page addressed by slug, ``slug=...``.
    Two queries at most; only asked once an object was not found.
    """
    history_lookup = {"id": lookup["pk"]} if "pk" in lookup else lookup
    deleted = model.history.filter(history_type="-", **history_lookup).order_by("-history_date").first()
    if deleted is None or model._default_manager.filter(**lookup).exists():
        return None
    return deleted


# ---------------------------------------------------------------------------
# Printed 7-minute briefings
# ---------------------------------------------------------------------------


def _learning_points() -> QuerySet[LearningPoint]:
    return LearningPoint.objects.select_related("review", "review__partnership", "source").order_by("position", "pk")


def _recommendations(actions: QuerySet[Action]) -> QuerySet[Recommendation]:
    return (
        Recommendation.objects.select_related("review", "review__partnership", "source")
        .prefetch_related(Prefetch("actions", queryset=actions))
        .order_by("position", "pk")
    )


def _actions() -> QuerySet[Action]:
    return Action.objects.select_related("review", "source").order_by("position", "pk")


@dataclass
class ReviewGroup:
    """A theme briefing's entries from one review."""

    review: Review
    learning_points: list[LearningPoint] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)


# Above this much wording a briefing is printed at 9pt rather than 9.5pt, so
# that it still fits two A4 pages (measured on the real briefings in Chromium).
LONG_BRIEFING_CHARACTERS = 5500


@dataclass
class Briefing:
    """Everything a printed 7-minute briefing shows, in the order it shows it."""

    title: str
    kind_label: str
    page_url: str
    permalink: str
    last_updated: datetime.datetime
    questions: list[ReflectionQuestion]
    sources: list[Source]
    review: Review | None = None
    theme: Theme | None = None
    groups: list[ReviewGroup] = field(default_factory=list)
    case_facts: list[CaseFact] = field(default_factory=list)

    @property
    def learning_points(self) -> list[LearningPoint]:
        return [point for group in self.groups for point in group.learning_points]

    @property
    def recommendations(self) -> list[Recommendation]:
        return [rec for group in self.groups for rec in group.recommendations]

    @property
    def actions(self) -> list[Action]:
        return [action for group in self.groups for action in group.actions]

    @property
    def text_length(self) -> int:
        """Characters of wording printed, to choose a denser layout for long briefings."""
        texts = [point.text for point in self.learning_points]
        for recommendation in self.recommendations:
            texts.append(recommendation.text)
            texts.extend(action.text for action in recommendation.actions.all())
        texts.extend(action.text for action in self.actions)
        texts.extend(fact.text for fact in self.case_facts)
        return sum(len(text) for text in texts)

    @property
    def is_long(self) -> bool:
        return self.text_length > LONG_BRIEFING_CHARACTERS

    @property
    def is_draft(self) -> bool:
        return self.review is not None and not self.review.is_published


def _sources_of(items, extra=()) -> list[Source]:
    """The distinct briefings a set of entries came from, newest first."""
    seen: dict[int, Source] = {source.pk: source for source in extra}
    for item in items:
        seen.setdefault(item.source_id, item.source)
    return sorted(
        seen.values(),
        key=lambda source: (source.published_on or datetime.date.min, source.title),
        reverse=True,
    )


def review_briefing(*, slug: str, user) -> Briefing:
    """A review's printed briefing. Staff may print a draft (it is marked); others get
    ``Review.DoesNotExist`` for a draft, as for an unknown slug. Nine queries."""
    review = (
        with_last_updated(Review.objects.visible_to(user))
        .select_related("partnership", "summary_source")
        .get(slug=slug)
    )
    actions = _actions()
    points = list(_learning_points().filter(review=review))
    recommendations = list(_recommendations(actions).filter(review=review))
    loose_actions = list(actions.filter(review=review, recommendation__isnull=True))
    case_facts = list(CaseFact.objects.filter(review=review).select_related("source").order_by("position", "pk"))
    sources = list(review.sources.visible_to(user).select_related("partnership"))
    all_items = [*points, *recommendations, *loose_actions, *case_facts]
    for recommendation in recommendations:
        all_items.extend(recommendation.actions.all())
    return Briefing(
        title=review.title,
        kind_label=review.get_review_type_display(),
        page_url=review.get_absolute_url(),
        permalink=review.get_permalink(),
        last_updated=review.last_updated,
        questions=list(ReflectionQuestion.objects.general()),
        sources=_sources_of(all_items, extra=sources),
        review=review,
        groups=[
            ReviewGroup(review=review, learning_points=points, recommendations=recommendations, actions=loose_actions)
        ],
        case_facts=case_facts,
    )


def theme_briefing(*, slug: str) -> Briefing:
    """A theme's printed briefing: its published learning, recommendations and
    actions, grouped by review (newest first). Seven queries.

    A learning point that repeats another one already shown (the same
    paragraph published again in a later briefing) is printed once, with a
    note of where else it appeared.
    """
    theme = Theme.objects.get(slug=slug)
    actions = _actions().filter(Q(review__status=PublicationStatus.PUBLISHED))
    points = list(_learning_points().published().filter(themes=theme))
    recommendations = list(_recommendations(actions).published().filter(themes=theme))
    shown_recommendations = {rec.pk for rec in recommendations}
    loose_actions = [
        action for action in actions.filter(themes=theme) if action.recommendation_id not in shown_recommendations
    ]

    shown_points = {point.pk for point in points}
    repeats_by_original: dict[int, list[LearningPoint]] = defaultdict(list)
    for point in points:
        if point.repeats_id in shown_points:
            repeats_by_original[point.repeats_id].append(point)
    for point in points:
        point.also_published_in = [repeat.source for repeat in repeats_by_original.get(point.pk, [])]
    printed_points = [point for point in points if point.repeats_id not in shown_points]

    groups: dict[int | None, ReviewGroup] = {}

    def group_for(item) -> ReviewGroup:
        key = item.review_id
        if key not in groups:
            groups[key] = ReviewGroup(review=item.review)
        return groups[key]

    for point in printed_points:
        group_for(point).learning_points.append(point)
    for recommendation in recommendations:
        group_for(recommendation).recommendations.append(recommendation)
    for action in loose_actions:
        group_for(action).actions.append(action)

    def newest_first(group: ReviewGroup):
        review = group.review
        if review is None:
            return (1, 0, datetime.date.min, "")
        return (0, -(review.year or 0), review.published_on or datetime.date.min, review.title)

    ordered = sorted(groups.values(), key=newest_first)
    all_items = [*points, *recommendations, *loose_actions]
    for recommendation in recommendations:
        all_items.extend(recommendation.actions.all())
    changes = [theme.updated_at, *(item.updated_at for item in all_items)]
    changes.extend(group.review.updated_at for group in ordered if group.review is not None)
    return Briefing(
        title=theme.name,
        kind_label="Theme",
        page_url=theme.get_absolute_url(),
        permalink=theme.get_permalink(),
        last_updated=max(changes),
        questions=list(ReflectionQuestion.objects.for_theme(theme)),
        sources=_sources_of(all_items),
        theme=theme,
        groups=ordered,
    )


# ---------------------------------------------------------------------------
# Course packs
# ---------------------------------------------------------------------------


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
        """What a removed step was: its snapshot, which already names the kind for entries."""
        snapshot = self.item.label_snapshot
        if self.kind in (CoursePackItem.Kind.THEME, CoursePackItem.Kind.REVIEW) or not snapshot:
            return f"{self.kind_label}: {snapshot}" if snapshot else self.kind_label
        return snapshot


def course_pack_items() -> QuerySet[CoursePackItem]:
    """Pack items with every kind of content and what it needs to show (one query)."""
    return CoursePackItem.objects.select_related(
        "theme",
        "review",
        "review__partnership",
        "review__summary_source",
        "learning_point",
        "learning_point__review",
        "learning_point__review__partnership",
        "learning_point__source",
        "recommendation",
        "recommendation__review",
        "recommendation__review__partnership",
        "recommendation__source",
        "action",
        "action__review",
        "action__review__partnership",
        "action__source",
    ).order_by("position", "pk")


def course_pack(*, slug: str, user) -> tuple[CoursePack, list[PackStep]]:
    """A course pack and its steps (two queries). Staff may see a draft pack.

    Content that was deleted, or that is no longer published, is shown as
    removed with the label it had: never as a broken page, and never with
    its unpublished text.
    """
    pack = CoursePack.objects.visible_to(user).select_related("owner").get(slug=slug)
    steps = []
    for item in course_pack_items().filter(pack=pack):
        content = item.target
        steps.append(PackStep(item=item, content=content if is_public(content) else None))
    return pack, steps


# ---------------------------------------------------------------------------
# Embeddable cards
# ---------------------------------------------------------------------------


def embeddable_learning_point(**lookup) -> LearningPoint:
    """A published learning point, by ``pk`` or ``ref``, with what its card shows (one query)."""
    return (
        LearningPoint.objects.published()
        .select_related("review", "review__partnership", "source", "source__partnership")
        .get(**lookup)
    )


@dataclass
class ThemeCard:
    theme: Theme
    learning_count: int
    reviews: list[Review]
    review_count: int
    partnership_count: int


THEME_CARD_REVIEWS = 3


def theme_card(*, slug: str) -> ThemeCard:
    """A theme with its public counts and its most recent reviews (five queries)."""
    theme = Theme.objects.get(slug=slug)
    reviews = published_reviews_about(theme)
    return ThemeCard(
        theme=theme,
        learning_count=distinct_learning_about(theme).count(),
        reviews=list(
            reviews.select_related("partnership").order_by(F("year").desc(nulls_last=True), "title")[
                :THEME_CARD_REVIEWS
            ]
        ),
        review_count=reviews.count(),
        partnership_count=Partnership.objects.filter(reviews__in=reviews).distinct().count(),
    )

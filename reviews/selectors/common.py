"""Building blocks shared by the page selectors: counting, ordering, and loading items for display."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, F, IntegerField, Max, Min, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from ..kept.pending import flush as kept_flush
from ..models import (
    THEMED_ENTRIES,
    Action,
    KnowledgeBaseFigures,
    LearningPoint,
    PublicationStatus,
    Recommendation,
    Resource,
    Review,
    ReviewFigures,
    Theme,
    ThemeLink,
)

REVIEWS_PER_PAGE = 20
# How many of the most recent reviews the home page's recurring-themes grid
# shows as columns: enough to see patterns, few enough to read on one screen.
GRID_REVIEWS = 12
# ... and how many of the most recent thematic reviews, in columns of their own.
GRID_THEMATIC = 3
RECENT_REVIEWS = 5
RELATED_REVIEWS = 5
RELATED_THEMES = 6
# A review in a list shows its main themes (most entries first), then "and N more".
MAIN_THEMES = 3


class SubqueryCount(Subquery):
    """``COUNT(*)`` of a queryset as an annotation, without a ``GROUP BY`` on the outer query."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _count)"
    output_field = IntegerField()

    def __init__(self, queryset, **extra):
        super().__init__(queryset.order_by().values("pk"), **extra)


def review_order() -> list:
    """Newest first by the year used for browsing, then by exact date, then title."""
    return [F("year").desc(nulls_last=True), F("published_on").desc(nulls_last=True), "title"]


def is_public(obj) -> bool:
    """Whether the public may see ``obj``, from objects already loaded.

    The same rules as the models' ``published()`` querysets; callers load
    ``review`` and ``source`` with ``select_related`` so this costs nothing.
    A theme is public through its entries (``Theme.objects.public()``), which
    only a query can tell: not from a theme alone, so never here.
    """
    if obj is None or isinstance(obj, Theme):
        return False
    if isinstance(obj, Review):
        return obj.status == PublicationStatus.PUBLISHED
    if isinstance(obj, LearningPoint) and obj.review_id is None:
        return obj.source.status == PublicationStatus.PUBLISHED
    if isinstance(obj, (LearningPoint, Recommendation, Action)):
        return obj.review.status == PublicationStatus.PUBLISHED
    return False


def visible_points(user) -> QuerySet[LearningPoint]:
    """Learning points the user may see (staff also see those of drafts)."""
    return LearningPoint.objects.visible_to(user)


def _deeper(ref):
    """The same outer reference, seen from one subquery further in."""
    return OuterRef(ref) if isinstance(ref, F) else ref


# The entries whose themes put a theme "in" their review. This is the one rule
# for "this theme is in this review": ``theme_links`` says it, the kept table
# ``ThemeLink`` is written from it (``reviews/kept/``), and everything that
# asks (theme counts and years, the theme page's reviews and co-occurring
# themes, the review index's theme filter and its cards, the home page's grid,
# related reviews) reads that table through the helpers below, so no two pages
# can disagree. The same entries make a theme public (``Theme.objects.public()``).


def theme_links(**filters) -> list[QuerySet]:
    """Links between a review and a theme, one queryset per kind of entry (``THEMED_ENTRIES``' order).

    Each row is one entry's link to one theme, with ``theme_id`` and the
    entry's ``review_id`` (``None`` for learning tied to no one review);
    ``filters`` apply to those two names, e.g. ``theme_links(review_id__in=ids)``.
    Publication is left to the caller: filter the reviews.

    The rule itself, read from the entries: pages read the kept ``ThemeLink``
    rows made from it (``reviews/kept/rows.py``) instead of running it.
    """
    links = []
    for model in THEMED_ENTRIES:
        through = model.themes.through
        entry = model._meta.model_name
        links.append(through.objects.annotate(review_id=F(f"{entry}__review_id")).filter(**filters))
    return links


def repeats_published_point(point_ref: str = "repeats_id", *, theme_ref=None) -> Exists:
    """Whether a learning point repeats a published one (on the theme ``theme_ref`` too, when given).

    The rule of distinct learning: such a repeat (the same paragraph published
    again in a later briefing) is not counted again. ``point_ref`` names the
    repeated point's id where this is used (``"learningpoint__repeats_id"``
    on a link of ``theme_links``).
    """
    repeated = LearningPoint.objects.published().filter(pk=OuterRef(point_ref))
    if theme_ref is not None:
        repeated = repeated.filter(themes=theme_ref)
    return Exists(repeated)


def distinct_learning_about(theme_ref) -> QuerySet[LearningPoint]:
    """Published learning points on a theme, leaving out repeats of one already counted for it."""
    return (
        LearningPoint.objects.published()
        .filter(themes=theme_ref)
        .filter(~repeats_published_point(theme_ref=_deeper(theme_ref)))
    )


# Reading the kept rows -------------------------------------------------------------------------


def kept_links(user=None) -> QuerySet[ThemeLink]:
    """The kept ``ThemeLink`` rows (of the reviews ``user`` may see, when given), brought up to
    date with this transaction's writes first."""
    kept_flush()
    return ThemeLink.objects.all() if user is None else ThemeLink.objects.visible_to(user)


def visible_themes(user) -> QuerySet[Theme]:
    """``Theme.objects.visible_to(user)`` read from the kept figures: a theme has a ``ThemeFigures`` row
    exactly when published content uses it, which is when it is public (``Theme.objects.public()``;
    ``kept.writing.differences`` checks that the two agree). One join rather than an EXISTS for each
    kind of entry: the theme page asks this of its theme and of its related themes."""
    kept_flush()
    return Theme.objects.all() if getattr(user, "is_staff", False) else Theme.objects.filter(figures__isnull=False)


def reviews_about(theme_ref, *, among: QuerySet[Review] | None = None) -> QuerySet[Review]:
    """The reviews a theme is in: those with a case fact, learning point, recommendation or action on it.

    ``among`` defaults to the published reviews; pass ``Review.objects.visible_to(user)``
    to list what a user may see. ``theme_ref`` is a theme, its pk, or
    ``OuterRef("pk")`` inside a theme annotation.
    """
    among = Review.objects.published() if among is None else among
    return among.filter(Exists(kept_links().filter(theme=_deeper(theme_ref), review=OuterRef("pk"))))


def with_theme_counts(themes: QuerySet[Theme]) -> QuerySet[Theme]:
    """Annotate themes with their public counts, kept in ``ThemeFigures`` (one join, whatever the data).

    ``learning_count`` (distinct published learning points, ``distinct_learning_about``),
    ``recommendation_count``, ``action_count``, ``review_count`` (the published
    reviews it is in, ``reviews_about``) and ``first_year``/``last_year`` of those reviews.
    """
    kept_flush()
    return themes.annotate(
        learning_count=Coalesce(F("figures__learning"), 0),
        recommendation_count=Coalesce(F("figures__recommendations"), 0),
        action_count=Coalesce(F("figures__actions"), 0),
        review_count=Coalesce(F("figures__reviews"), 0),
        first_year=F("figures__first_year"),
        last_year=F("figures__last_year"),
    )


@dataclass(frozen=True)
class Holdings:
    """What the knowledge base holds, said wherever a count could be read as the national picture."""

    reviews: int
    partnerships: int
    thematic: int  # of ``reviews``: thematic reviews, which look across several cases
    first_year: int | None  # of the reviews' years (``Review.year``: published, else commissioned)
    last_year: int | None
    undated: int  # reviews with no year

    @property
    def years(self) -> str:
        """'2016 to 2023', one year, or '' when no review gives a date."""
        if self.first_year is None:
            return ""
        return str(self.first_year) if self.first_year == self.last_year else f"{self.first_year} to {self.last_year}"


def count_holdings() -> Holdings:
    """``Holdings`` counted from the reviews themselves (1 query: one aggregate over every published
    review). Pages read them kept (``knowledge_base_holdings``); this is the rule the kept row follows."""
    found = Review.objects.published().aggregate(
        reviews=Count("pk"),
        partnerships=Count("partnership", distinct=True),
        thematic=Count("pk", filter=Q(review_type=Review.ReviewType.THEMATIC)),
        first_year=Min("year"),
        last_year=Max("year"),
        undated=Count("pk", filter=Q(year__isnull=True)),
    )
    return Holdings(**found)


def count_public_learning() -> int:
    """Distinct published learning points (a repeat of a published one is not counted again), from the
    kept review figures and the learning tied to no review (2 queries)."""
    cross_cutting = LearningPoint.objects.published().filter(review__isnull=True).filter(~repeats_published_point())
    in_reviews = ReviewFigures.objects.published().aggregate(total=Sum("new_learning"))["total"] or 0
    return in_reviews + cross_cutting.count()


def _kept_knowledge_base() -> KnowledgeBaseFigures | None:
    kept_flush()
    return KnowledgeBaseFigures.objects.filter(pk=1).first()


def _holdings_of(kept: KnowledgeBaseFigures) -> Holdings:
    return Holdings(**{name: getattr(kept, name) for name in Holdings.__dataclass_fields__})


def knowledge_base_holdings() -> Holdings:
    """Published reviews, how many partnerships published them, how many are thematic, and the years
    they span (1 query: the kept ``KnowledgeBaseFigures`` row; counted, as ``count_holdings``, only in a
    database whose row is not written yet)."""
    kept = _kept_knowledge_base()
    return count_holdings() if kept is None else _holdings_of(kept)


def public_totals(*, holdings: Holdings | None = None) -> dict[str, int]:
    """What the knowledge base holds, for the home page's opening line: published reviews, their
    partnerships, and distinct published learning points (a repeat of a published one is not counted again).

    1 query (the kept ``KnowledgeBaseFigures`` row), whether or not ``holdings`` is given.
    """
    kept = _kept_knowledge_base()
    if kept is None:
        holdings = count_holdings() if holdings is None else holdings
        learning = count_public_learning()
    else:
        holdings = holdings or _holdings_of(kept)
        learning = kept.learning_points
    return {"reviews": holdings.reviews, "partnerships": holdings.partnerships, "learning_points": learning}


def with_review_counts(reviews: QuerySet[Review]) -> QuerySet[Review]:
    """Annotate reviews with how many learning points, recommendations and actions they hold (kept in
    ``ReviewFigures``)."""
    kept_flush()
    return reviews.annotate(
        learning_count=Coalesce(F("figures__learning_points"), 0),
        recommendation_count=Coalesce(F("figures__recommendations"), 0),
        action_count=Coalesce(F("figures__actions"), 0),
    )


def themes_by_review(review_ids) -> dict[int, list[Theme]]:
    """The themes each review is in (``theme_links``, as kept), by name, in 1 query.

    Each theme carries ``entries``: how many of the review's case facts,
    learning points, recommendations and actions are on it.
    """
    found: dict[int, list[Theme]] = defaultdict(list)
    if review_ids:
        rows = (
            kept_links()
            .filter(review_id__in=review_ids)
            .annotate(entry_count=F("case_facts") + F("learning_points") + F("recommendations") + F("actions"))
            .values_list("review_id", "theme_id", "theme__slug", "theme__name", "entry_count")
        )
        for review_id, theme_id, slug, name, entries in rows:
            theme = Theme(pk=theme_id, slug=slug, name=name)
            theme.entries = entries
            found[review_id].append(theme)
    return {review_id: sorted(themes, key=lambda theme: theme.name.lower()) for review_id, themes in found.items()}


def attach_themes(reviews: list[Review], *, main: int = MAIN_THEMES) -> list[Review]:
    """Set ``review.theme_list`` (the themes each review is in, by name), ``review.main_themes``
    (the ``main`` with the most entries in the review, most first) and ``review.more_themes``
    (how many others) (1 query)."""
    themes = themes_by_review([review.pk for review in reviews])
    for review in reviews:
        review.theme_list = themes.get(review.pk, [])
        by_entries = sorted(review.theme_list, key=lambda theme: -theme.entries)  # stable: by name within a count
        review.main_themes = by_entries[:main]
        review.more_themes = len(by_entries) - len(review.main_themes)
    return reviews


class IdsFirstPaginator(Paginator):
    """Pages of a queryset read in two steps, in one query: the page's ids from the ordering's index
    (``WHERE id IN (SELECT id ... ORDER BY ... LIMIT 20 OFFSET n)``), then those rows with what they
    need (``prepare``: joins, annotations, prefetches). A deep page then reads the index entries
    before it, not every row before it with its joins (the review list's last page at 20,000
    reviews, issue 14)."""

    def __init__(self, object_list: QuerySet, per_page: int, *, prepare, count: int):
        super().__init__(object_list, per_page)
        self.prepare = prepare
        self.count = count  # a cached property: given, it is not counted

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        queryset = self.object_list
        if bottom == 0:
            # The first page reads its rows straight from the ordering's index: nothing to skip, and one
            # subquery fewer to build.
            return self._get_page(list(self.prepare(queryset)[:top]), number, self)
        ids = queryset.values("pk")[bottom:top]
        rows = self.prepare(queryset.model._default_manager.filter(pk__in=ids)).order_by(*queryset.query.order_by)
        return self._get_page(list(rows), number, self)


def review_cards(reviews: QuerySet[Review], *, page_number: Any = 1, per_page: int = REVIEWS_PER_PAGE) -> Page:
    """A page of reviews ready to list: partnership, counts, tags and themes (4 queries).

    ``reviews`` must be ordered (``review_order()``); the page's ids are read first (``IdsFirstPaginator``).
    ``page.editorial_summaries`` says whether any review on the page has a summary in the knowledge
    base's own words (``Review.summary_is_editorial``), so the list can say what that label means once.
    """
    paginator = IdsFirstPaginator(
        reviews,
        per_page,
        prepare=lambda rows: with_review_counts(rows.select_related("partnership").prefetch_related("tags")),
        # Counted without the joins the page's rows need.
        count=reviews.order_by().count(),
    )
    page = paginator.get_page(page_number)
    attach_themes(list(page.object_list))
    page.editorial_summaries = any(review.summary_is_editorial for review in page.object_list)
    return page


def learning_points_for_page(user) -> QuerySet[LearningPoint]:
    """Learning points with what their display needs: review, source, section (its
    heading), themes, resources and the visible copies of the same paragraph either way."""
    visible = visible_points(user).select_related("review", "source")
    return (
        visible_points(user)
        .select_related("review", "source", "section__parent")
        .prefetch_related(
            Prefetch("themes", queryset=Theme.objects.order_by("name")),
            _resources(),
            Prefetch("repeats", queryset=visible, to_attr="visible_repeat_of"),
            Prefetch("repeated_in", queryset=visible.order_by("pk"), to_attr="visible_repeats"),
        )
        .order_by("position", "pk")
    )


def _resources() -> Prefetch:
    """The resources an item names, with their source (their address is on the source page)."""
    return Prefetch("resources", queryset=Resource.objects.select_related("source"))


def recommendations_for_page(user, *, answer_themes: bool = False) -> QuerySet[Recommendation]:
    """Recommendations with their source, section, themes, resources and the actions that answer them
    (with the actions' themes too if ``answer_themes``: one more query)."""
    answers = Action.objects.select_related("source", "review", "section__parent").prefetch_related(
        _resources(), "updates"
    )
    if answer_themes:
        answers = answers.prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("name")))
    return (
        Recommendation.objects.visible_to(user)
        .select_related("review", "source", "section__parent")
        .prefetch_related(
            Prefetch("themes", queryset=Theme.objects.order_by("name")),
            _resources(),
            Prefetch("actions", queryset=answers.order_by("position", "pk")),
        )
        .order_by("position", "pk")
    )


def actions_for_page(user) -> QuerySet[Action]:
    """Actions with their source, section, themes and resources."""
    return (
        Action.objects.visible_to(user)
        .select_related("review", "source", "section__parent")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("name")), _resources(), "updates")
        .order_by("position", "pk")
    )

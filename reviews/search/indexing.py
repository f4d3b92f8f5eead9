"""Writing the search index: content objects flattened into ``SearchEntry`` rows.

Every write goes through ``index()`` (some objects of one kind, by primary
key) or ``rebuild()`` (everything); both work in batches with a fixed number
of queries per batch, so the signal receivers (one object) and a bulk
rebuild (hundreds of thousands) share one code path.

What each kind puts in the four weighted columns (A counts most; columns
marked (v) hold separate values, see ``labels.py``):

=============== ======================= ============== ============================ ==================
kind            A                       B              C (v)                        D
=============== ======================= ============== ============================ ==================
review          title, children         summary        its items' themes (*), tags, review type
                                                       partnership name and area
theme           name                    aliases (v)    summary (not values)         name keys (v) (†)
learning point  heading (v) (§)         text           its themes (*), kind         review (or source)
                                                                                    title (‡)
recommendation  "Recommendation N",     text           its themes (*), addressed to review title (‡)
                heading (v)
action          heading (v)             text, impact   its themes (*), "Action on   review title (‡)
                                                       recommendation N", owner
=============== ======================= ============== ============================ ==================

(*) each theme's name and then its aliases, so a board's own heading for a
theme finds the theme and everything filed under it.

(†) the theme's name and aliases as ``query.theme_name_key`` writes a search,
so that a search for exactly a theme's name or alias ranks the theme first.

(‡) context only: a search never matches an entry through D alone (see
``backends``), so "review" does not find every item of every review.

(§) the headings of the briefing's section the entry sits under (its
``Section``), as printed, outermost first: for a table cell, the table's
caption, the row heading and the column heading. A review's themes include
those of its case facts.

Results are titled so they can be told apart: a learning point or action
by the start of its text, a recommendation by its number, who it is for and
the start of its text. The briefing heading it sits under is shown beside
(``labels.Label.HEADING`` in column A).

Whether the public may find an entry is taken from each model's own
``published()`` queryset (``public()`` for a theme), so the publication rules
stay in one place. A theme is public through its entries, so whatever
reindexes entries reindexes their themes too (``themes_of_items`` and the
signal receivers).

A change to what the columns hold (here or in ``labels.py``) reaches an
existing database's entries with ``manage.py rebuild_search_index``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from .. import caching
from ..markdown import strip_markdown
from ..models import (
    THEMED_ENTRIES,
    Action,
    LearningPoint,
    Recommendation,
    Review,
    SearchEntry,
    SearchEntryTheme,
    SearchIndexState,
    SearchWord,
    Source,
    Theme,
    ThemeAlias,
)
from . import schema
from .labels import Label, encode, value_gap
from .query import theme_name_key

Kind = SearchEntry.Kind
BATCH_SIZE = 1000
# Words marked as published per statement (SQLite allows some thousands of parameters).
WORD_BATCH_SIZE = 500

# Private-use characters mark matches in snippets (see highlight.py) and
# separate values (labels.py); they must never come from the content itself.
HIGHLIGHT_START = "\ue000"
HIGHLIGHT_STOP = "\ue001"
_UNSAFE = re.compile("[\ue000-\ue0ff\x00]")
# How much of an item's text titles its result.
TITLE_TEXT_LENGTH = 120
_VOCABULARY_WORD = re.compile(r"[^\W\d_]{3,30}")


@dataclass
class Document:
    """One entry to write, with the themes it is filed under."""

    kind: str
    object_id: int
    is_published: bool
    title: str
    url: str
    subtitle: str = ""
    review_id: int | None = None
    partnership_id: int | None = None
    year: int | None = None
    text_a: str = ""
    text_b: str = ""
    text_c: str = ""
    text_d: str = ""
    theme_ids: set[int] = field(default_factory=set)

    def to_entry(self) -> SearchEntry:
        # The text columns come cleaned from ``_plain`` and ``_values``.
        return SearchEntry(
            kind=self.kind,
            object_id=self.object_id,
            is_published=self.is_published,
            title=_short(_clean(self.title), 300),
            subtitle=_short(_clean(self.subtitle), 300),
            url=self.url,
            review_id=self.review_id,
            partnership_id=self.partnership_id,
            year=self.year,
            text_a=self.text_a,
            text_b=self.text_b,
            text_c=self.text_c,
            text_d=self.text_d,
        )


def _clean(text: str) -> str:
    return " ".join(_UNSAFE.sub(" ", text or "").split())


def _join(*parts: str) -> str:
    return " ".join(part for part in parts if part)


def _plain(*parts: str) -> str:
    """A column of running text."""
    return _clean(_join(*parts))


def _values(values: Iterable[tuple[Label, str]]) -> str:
    """A column of separate values (see ``labels.py``)."""
    return encode(((label, _clean(value)) for label, value in values), gap=value_gap(connection.vendor))


def _short(text: str, length: int) -> str:
    """The text, or its first words up to ``length`` characters and an ellipsis."""
    if len(text) <= length:
        return text
    cut = text[: length - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > length // 2 else cut).rstrip(" ,;:") + "…"


# Choice labels, read once: ``get_FOO_display()`` translates on every call,
# which shows in a rebuild of hundreds of thousands of rows.
REVIEW_TYPES = {value: str(label) for value, label in Review.ReviewType.choices}
POINT_KINDS = {value: str(label) for value, label in LearningPoint.Kind.choices}
ACTION_STATUSES = {value: str(label) for value, label in Action.Status.choices}
# Large columns the index never reads, left out of the joined rows.
SOURCE_UNUSED = ("source__original_text", "source__excluded_passages")
REVIEW_UNUSED = ("review__summary",)
# An entry's section and those it is in (a table cell's row and table): their headings are indexed.
SECTION_PATH = ("section__parent__parent",)


def _headings(item) -> list[tuple[Label, str]]:
    """The headings an entry sits under, outermost first, as separate values."""
    return [(Label.HEADING, heading) for heading in item.heading_path]


class ThemeLabels:
    """Theme names and aliases, loaded once per batch for the themes it needs."""

    def __init__(self, theme_ids: Iterable[int]):
        self.labels: dict[int, list[tuple[Label, str]]] = {}
        ids = set(theme_ids)
        if ids:
            aliases = defaultdict(list)
            for theme_id, name in ThemeAlias.objects.filter(theme_id__in=ids).values_list("theme_id", "name"):
                aliases[theme_id].append(name)
            for theme_id, name in Theme.objects.filter(pk__in=ids).values_list("pk", "name"):
                names = [(Label.ALIAS, alias) for alias in sorted(aliases[theme_id])]
                self.labels[theme_id] = [(Label.THEME, name), *names]

    def values(self, theme_ids: Iterable[int]) -> list[tuple[Label, str]]:
        """Each theme's name followed by its aliases, as separate values."""
        return [value for pk in sorted(theme_ids) for value in self.labels.get(pk, ())]


def _theme_ids(through, column: str, ids: list[int]) -> dict[int, set[int]]:
    mapping: dict[int, set[int]] = defaultdict(set)
    for owner_id, theme_id in through.objects.filter(**{f"{column}__in": ids}).values_list(column, "theme_id"):
        mapping[owner_id].add(theme_id)
    return mapping


def _published_ids(model, ids: list[int]) -> set[int]:
    return set(model.objects.published().filter(pk__in=ids).values_list("pk", flat=True))


# ---------------------------------------------------------------------------
# One builder per kind: primary keys in, documents out.
# ---------------------------------------------------------------------------


def _review_documents(ids: list[int]) -> Iterator[Document]:
    reviews = Review.objects.filter(pk__in=ids).select_related("partnership").prefetch_related("tags")
    published = _published_ids(Review, ids)
    themes: dict[int, set[int]] = defaultdict(set)
    for model in THEMED_ENTRIES:
        rows = model.themes.through.objects.filter(**{f"{model._meta.model_name}__review_id__in": ids})
        for review_id, theme_id in rows.values_list(f"{model._meta.model_name}__review_id", "theme_id").distinct():
            themes[review_id].add(theme_id)
    labels = ThemeLabels(set().union(*themes.values()) if themes else ())
    for review in reviews:
        partnership = review.partnership
        yield Document(
            kind=Kind.REVIEW,
            object_id=review.pk,
            is_published=review.pk in published,
            title=review.title,
            subtitle=REVIEW_TYPES.get(review.review_type, ""),
            url=review.get_absolute_url(),
            review_id=review.pk,
            partnership_id=review.partnership_id,
            year=review.year,
            text_a=_plain(review.title, review.children),
            text_b=_plain(strip_markdown(review.summary)),
            text_c=_values(
                [
                    *labels.values(themes[review.pk]),
                    *((Label.TAG, tag.name) for tag in sorted(review.tags.all(), key=lambda tag: tag.name)),
                    (Label.PARTNERSHIP, partnership.name if partnership else ""),
                    (Label.PARTNERSHIP, partnership.short_name if partnership else ""),
                    (Label.AREA, partnership.area if partnership else ""),
                ]
            ),
            text_d=_plain(REVIEW_TYPES.get(review.review_type, "")),
            theme_ids=themes[review.pk],
        )


def _theme_documents(ids: list[int]) -> Iterator[Document]:
    labels = defaultdict(list)
    for theme_id, name in ThemeAlias.objects.filter(theme_id__in=ids).values_list("theme_id", "name"):
        labels[theme_id].append(name)
    public = set(Theme.objects.public().filter(pk__in=ids).values_list("pk", flat=True))
    for theme in Theme.objects.filter(pk__in=ids):
        aliases = sorted(labels[theme.pk])
        yield Document(
            kind=Kind.THEME,
            object_id=theme.pk,
            is_published=theme.pk in public,
            title=theme.name,
            subtitle=("Also known as: " + "; ".join(aliases)) if aliases else "",
            url=theme.get_absolute_url(),
            text_a=_plain(theme.name),
            text_b=_values((Label.ALIAS, alias) for alias in aliases),
            text_c=_plain(strip_markdown(theme.summary)),
            text_d=_values((Label.NAME_KEY, theme_name_key(name)) for name in [theme.name, *aliases]),
            theme_ids={theme.pk},
        )


def _learning_point_documents(ids: list[int]) -> Iterator[Document]:
    points = (
        LearningPoint.objects.filter(pk__in=ids)
        .select_related("review", "source", *SECTION_PATH)
        .defer(*SOURCE_UNUSED, *REVIEW_UNUSED)
    )
    published = _published_ids(LearningPoint, ids)
    themes = _theme_ids(LearningPoint.themes.through, "learningpoint_id", ids)
    labels = ThemeLabels(set().union(*themes.values()) if themes else ())
    for point in points:
        review, source = point.review, point.source
        if review is not None:
            partnership_id, year, context = review.partnership_id, review.year, review.title
        else:
            partnership_id = source.partnership_id
            year = source.published_on.year if source.published_on else None
            context = source.title
        kind_label = POINT_KINDS.get(point.kind, "") if point.kind != LearningPoint.Kind.LEARNING else ""
        text = strip_markdown(point.text)
        yield Document(
            kind=Kind.LEARNING_POINT,
            object_id=point.pk,
            is_published=point.pk in published,
            title=_short(_clean(text), TITLE_TEXT_LENGTH) or point.heading or "Learning point",
            subtitle=kind_label,
            url=point.get_absolute_url(),
            review_id=point.review_id,
            partnership_id=partnership_id,
            year=year,
            text_a=_values(_headings(point)),
            text_b=_plain(text),
            text_c=_values([*labels.values(themes[point.pk]), (Label.KIND, kind_label)]),
            text_d=_plain(context),
            theme_ids=themes[point.pk],
        )


def _recommendation_documents(ids: list[int]) -> Iterator[Document]:
    recommendations = (
        Recommendation.objects.filter(pk__in=ids).select_related("review", *SECTION_PATH).defer(*REVIEW_UNUSED)
    )
    published = _published_ids(Recommendation, ids)
    themes = _theme_ids(Recommendation.themes.through, "recommendation_id", ids)
    labels = ThemeLabels(set().union(*themes.values()) if themes else ())
    for recommendation in recommendations:
        review = recommendation.review
        label = f"Recommendation {recommendation.number}" if recommendation.number else "Recommendation"
        text = strip_markdown(recommendation.text)
        addressed = f" ({_clean(recommendation.addressed_to)})" if recommendation.addressed_to.strip() else ""
        start = _short(_clean(text), TITLE_TEXT_LENGTH)
        yield Document(
            kind=Kind.RECOMMENDATION,
            object_id=recommendation.pk,
            is_published=recommendation.pk in published,
            title=f"{label}{addressed}" + (f": {start}" if start else ""),
            url=recommendation.get_absolute_url(),
            review_id=review.pk,
            partnership_id=review.partnership_id,
            year=review.year,
            text_a=_values([(Label.NUMBER, label), *_headings(recommendation)]),
            text_b=_plain(text),
            text_c=_values(
                [*labels.values(themes[recommendation.pk]), (Label.ADDRESSED_TO, recommendation.addressed_to)]
            ),
            text_d=_plain(review.title),
            theme_ids=themes[recommendation.pk],
        )


def _action_documents(ids: list[int]) -> Iterator[Document]:
    actions = (
        Action.objects.filter(pk__in=ids)
        .select_related("review", "recommendation", *SECTION_PATH)
        .defer(*REVIEW_UNUSED, "recommendation__text")
    )
    published = _published_ids(Action, ids)
    themes = _theme_ids(Action.themes.through, "action_id", ids)
    labels = ThemeLabels(set().union(*themes.values()) if themes else ())
    for action in actions:
        review, recommendation = action.review, action.recommendation
        answers = ""
        if recommendation is not None and recommendation.number:
            answers = f"Action on recommendation {recommendation.number}"
        text = strip_markdown(action.text)
        title = _short(_clean(text), TITLE_TEXT_LENGTH) or answers or action.heading or "Action"
        details = [answers] if answers else []
        if action.owner:
            details.append(f"Owner: {action.owner}")
        if action.status != Action.Status.NOT_STATED:
            details.append(f"Status: {ACTION_STATUSES.get(action.status, '')}")
        yield Document(
            kind=Kind.ACTION,
            object_id=action.pk,
            is_published=action.pk in published,
            title=title,
            subtitle=" · ".join(details),
            url=action.get_absolute_url(),
            review_id=review.pk,
            partnership_id=review.partnership_id,
            year=review.year,
            text_a=_values(_headings(action)),
            text_b=_plain(text, strip_markdown(action.evidence_of_impact)),
            text_c=_values([*labels.values(themes[action.pk]), (Label.ANSWERS, answers), (Label.OWNER, action.owner)]),
            text_d=_plain(review.title),
            theme_ids=themes[action.pk],
        )


BUILDERS: dict[str, tuple[type, Callable[[list[int]], Iterator[Document]]]] = {
    Kind.REVIEW: (Review, _review_documents),
    Kind.THEME: (Theme, _theme_documents),
    Kind.LEARNING_POINT: (LearningPoint, _learning_point_documents),
    Kind.RECOMMENDATION: (Recommendation, _recommendation_documents),
    Kind.ACTION: (Action, _action_documents),
}
KIND_OF_MODEL = {model: kind for kind, (model, _) in BUILDERS.items()}


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------


def _batches(ids: Iterable[int], size: int) -> Iterator[list[int]]:
    batch: list[int] = []
    for pk in ids:
        batch.append(pk)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _vocabulary(documents: Iterable[Document]) -> set[str]:
    words: set[str] = set()
    for document in documents:
        for text in (document.text_a, document.text_b, document.text_c):
            words.update(word.lower() for word in _VOCABULARY_WORD.findall(text))
    return words


def _add_words(documents: list[Document]) -> None:
    """Add the documents' words to the vocabulary, those of published ones marked as published."""
    published = sorted(_vocabulary(document for document in documents if document.is_published))
    drafts = sorted(_vocabulary(document for document in documents if not document.is_published) - set(published))
    SearchWord.objects.bulk_create(
        [SearchWord(word=word, is_published=True) for word in published]
        + [SearchWord(word=word, is_published=False) for word in drafts],
        ignore_conflicts=True,
    )
    # Words a draft added first are marked now. An UPDATE of just those, rather than
    # an upsert, which would write every word of every batch of a rebuild again.
    for start in range(0, len(published), WORD_BATCH_SIZE):
        chunk = published[start : start + WORD_BATCH_SIZE]
        SearchWord.objects.filter(word__in=chunk, is_published=False).update(is_published=True)


def _write(kind: str, ids: list[int], *, replace: bool) -> int:
    _, build = BUILDERS[kind]
    documents = list(build(ids))
    with transaction.atomic():
        if replace:
            SearchEntry.objects.filter(kind=kind, object_id__in=ids).delete()
        entries = SearchEntry.objects.bulk_create([document.to_entry() for document in documents])
        SearchEntryTheme.objects.bulk_create(
            [
                SearchEntryTheme(entry_id=entry.pk, theme_id=theme_id)
                for entry, document in zip(entries, documents, strict=True)
                for theme_id in sorted(document.theme_ids)
            ]
        )
        _add_words(documents)
        # Written in bulk (no signals): cached search pages are out of date once this commits.
        caching.content_changed()
    return len(documents)


def index(model_or_kind, ids: Iterable[int], *, batch_size: int = BATCH_SIZE) -> int:
    """(Re)write the entries of these objects; objects that no longer exist lose theirs.

    ``model_or_kind`` is a model class (``LearningPoint``) or a ``SearchEntry.Kind``.
    Returns the number of entries written.
    """
    kind = KIND_OF_MODEL.get(model_or_kind, model_or_kind)
    written = 0
    for batch in _batches(sorted(set(ids)), batch_size):
        written += _write(kind, batch, replace=True)
    return written


def remove(model_or_kind, ids: Iterable[int]) -> None:
    """Drop the entries of these objects."""
    kind = KIND_OF_MODEL.get(model_or_kind, model_or_kind)
    SearchEntry.objects.filter(kind=kind, object_id__in=list(ids)).delete()
    caching.content_changed()


def rebuild(*, batch_size: int = BATCH_SIZE, progress: Callable[[str], None] | None = None) -> dict[str, int]:
    """Rebuild the whole index from the content, in one transaction.

    Repairs the database's index structures first (``schema.install``), then
    rewrites every entry, themes first and then the most recently published
    first (the order capped searches rely on: see ``backends/base.py``), and
    records the last entry written in ``SearchIndexState``. On PostgreSQL the GIN indexes are dropped while the rows
    are written and built again at the end, which is many times faster than
    updating them row by row.
    """
    counts: dict[str, int] = dict.fromkeys(BUILDERS, 0)
    with transaction.atomic():
        # PostgreSQL refuses DDL and TRUNCATE on a table with deferred
        # foreign-key checks pending in this transaction: run them now.
        connection.check_constraints()
        schema.uninstall(connection)
        _empty_index()
        schema.install(connection, indexes=False)
        order = _publication_order()
        written = 0
        for kind, batch in _kind_batches(order, batch_size):
            counts[kind] += _write(kind, batch, replace=False)
            written += len(batch)
            if progress:
                progress(f"{written} of {len(order)} entries")
        connection.check_constraints()  # Again: the rows just written have checks pending too.
        schema.install(connection)
        SearchIndexState.objects.all().delete()
        SearchIndexState.objects.create(
            rebuilt_up_to=SearchEntry.objects.aggregate(last=Max("pk"))["last"] or 0, rebuilt_at=timezone.now()
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("reviews_searchentry", "reviews_searchentrytheme", "reviews_searchword"):
                # Fixed table names, never input.
                cursor.execute(f"ANALYZE {table}")
    return counts


def _publication_order() -> list[tuple[str, int]]:
    """Every object to index as (kind, id): undated ones (themes first), then the most
    recent reviews first, each followed by its learning points, recommendations and actions."""
    rows: list[tuple[int, int, int, str, int]] = []
    kinds = [Kind.THEME, Kind.REVIEW, Kind.LEARNING_POINT, Kind.RECOMMENDATION, Kind.ACTION]

    def add(kind, values):
        for year, review_id, pk in values:
            rows.append((-(year or 10_000), -(review_id or 0), kinds.index(kind), kind, pk))

    add(Kind.REVIEW, Review.objects.values_list("year", "pk", "pk"))
    add(Kind.THEME, ((None, None, pk) for pk in Theme.objects.values_list("pk", flat=True)))
    add(
        Kind.LEARNING_POINT,
        (
            (review_year if review_year is not None else (published.year if published else None), review_id, pk)
            for review_year, published, review_id, pk in LearningPoint.objects.values_list(
                "review__year", "source__published_on", "review_id", "pk"
            )
        ),
    )
    add(Kind.RECOMMENDATION, Recommendation.objects.values_list("review__year", "review_id", "pk"))
    add(Kind.ACTION, Action.objects.values_list("review__year", "review_id", "pk"))
    rows.sort()
    return [(kind, pk) for *_, kind, pk in rows]


def _kind_batches(order: list[tuple[str, int]], size: int) -> Iterator[tuple[str, list[int]]]:
    """Batches of one kind each, following the order closely: each stretch of
    ``size`` objects is written kind by kind (a review's items would otherwise
    make batches of a handful of rows)."""
    for start in range(0, len(order), size):
        stretch: dict[str, list[int]] = {}
        for kind, pk in order[start : start + size]:
            stretch.setdefault(kind, []).append(pk)
        yield from stretch.items()


def _empty_index() -> None:
    tables = ["reviews_searchentrytheme", "reviews_searchentry", "reviews_searchword"]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("TRUNCATE " + ", ".join(tables))
        else:
            for table in tables:
                # Fixed table names, never input.
                cursor.execute(f"DELETE FROM {table}")


# ---------------------------------------------------------------------------
# What depends on what: used by the signal receivers.
# ---------------------------------------------------------------------------


def item_ids_for_reviews(review_ids: Iterable[int]) -> dict[str, list[int]]:
    """The items (learning points, recommendations, actions) of these reviews, by kind."""
    review_ids = list(review_ids)
    return {
        Kind.LEARNING_POINT: list(LearningPoint.objects.filter(review_id__in=review_ids).values_list("pk", flat=True)),
        Kind.RECOMMENDATION: list(Recommendation.objects.filter(review_id__in=review_ids).values_list("pk", flat=True)),
        Kind.ACTION: list(Action.objects.filter(review_id__in=review_ids).values_list("pk", flat=True)),
    }


def themes_of_items(item_ids: dict[str, Iterable[int]]) -> set[int]:
    """The themes the given learning points, recommendations and actions (ids by kind) are on:
    whether each is public may have changed with them (``Theme.objects.public()``)."""
    found: set[int] = set()
    for model in (LearningPoint, Recommendation, Action):
        ids = list(item_ids.get(KIND_OF_MODEL[model], ()))
        if ids:
            column = f"{model._meta.model_name}_id"
            rows = model.themes.through.objects.filter(**{f"{column}__in": ids})
            found.update(rows.values_list("theme_id", flat=True))
    return found


def items_for_themes(theme_ids: Iterable[int]) -> dict[str, list[int]]:
    """Everything whose entry names these themes: their items, and the reviews of every
    entry on them (case facts too: they are not searched, but put themes in their review)."""
    theme_ids = list(theme_ids)
    found: dict[str, list[int]] = {}
    review_ids: set[int] = set()
    for model in THEMED_ENTRIES:
        rows = set(model.objects.filter(themes__in=theme_ids).values_list("pk", "review_id"))
        if model in KIND_OF_MODEL:
            found[KIND_OF_MODEL[model]] = sorted(pk for pk, _ in rows)
        review_ids.update(review_id for _, review_id in rows if review_id is not None)
    found[Kind.REVIEW] = sorted(review_ids)
    return found


def cross_cutting_points_of_source(source: Source) -> list[int]:
    """Learning points tied to a source but no review: their publication and address follow the source."""
    return list(LearningPoint.objects.filter(source=source, review__isnull=True).values_list("pk", flat=True))

"""Writing the kept rows: those of some reviews and themes (``refresh``), or all of them (``rebuild``).

``refresh`` compares what the rows should hold (``rows.py``) with what they
hold and writes only the difference. Two themes' count of shared reviews
(``ThemePair``) changes by what each review's published themes were before
and are now, so a review's rows are always rewritten together with the
pairs they imply; on PostgreSQL one transaction-level lock makes writers of
kept rows take turns, so two of them never apply the same change twice.
"""

from __future__ import annotations

import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict

from django.db import connection, transaction
from django.db.models import Count, F

from .. import caching
from ..models import (
    KnowledgeBaseFigures,
    LearningPoint,
    Review,
    ReviewFigures,
    Theme,
    ThemeFigures,
    ThemeLink,
    ThemePair,
)
from . import rows

BATCH_SIZE = 1000
# pg_advisory_xact_lock's key: any fixed number no other part of the site uses.
LOCK_KEY = zlib.crc32(b"reviews.kept")


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def _ids(values: Iterable) -> set[int]:
    return {value for value in values if value is not None}


def affected(
    *, reviews: Iterable[int] = (), themes: Iterable[int] = (), points: Iterable[int] = (), sources: Iterable[int] = ()
) -> tuple[set[int], set[int]]:
    """The reviews and themes whose kept rows a change may have changed (four queries at most).

    ``points``: learning points whose themes, review or publication changed
    (their reviews and themes, and those of the points repeating them: a
    repeat counts only while what it repeats is unpublished or on another
    theme). ``sources``: sources whose publication changed (their learning
    tied to no review). ``reviews``: whose content or publication changed (and
    the points repeating theirs).
    """
    reviews, themes, points = _ids(reviews), _ids(themes), _ids(points)
    if sources:
        points |= set(
            LearningPoint.objects.filter(review__isnull=True, source__in=_ids(sources)).values_list("pk", flat=True)
        )
    if reviews:
        points |= set(LearningPoint.objects.filter(repeats__review__in=reviews).values_list("pk", flat=True))
    if points:
        points |= set(LearningPoint.objects.filter(repeats__in=points).values_list("pk", flat=True))
        reviews |= _ids(LearningPoint.objects.filter(pk__in=points).values_list("review_id", flat=True))
        themes |= set(
            LearningPoint.themes.through.objects.filter(learningpoint__in=points).values_list("theme_id", flat=True)
        )
    return reviews, themes


def refresh(
    *, reviews: Iterable[int] = (), themes: Iterable[int] = (), points: Iterable[int] = (), sources: Iterable[int] = ()
) -> None:
    """Bring the kept rows of what changed (see ``affected``) in step with the content."""
    with transaction.atomic():
        _lock()
        reviews, themes = affected(reviews=reviews, themes=themes, points=points, sources=sources)
        ordered = sorted(reviews)
        for start in range(0, len(ordered), BATCH_SIZE):
            themes |= _refresh_reviews(ordered[start : start + BATCH_SIZE])
        _refresh_figures(themes)
        refresh_knowledge_base()
        # Pages read these rows: pages cached before they were written are out of date.
        caching.content_changed()


def _refresh_reviews(review_ids: list[int]) -> set[int]:
    """Rewrite these reviews' ``ThemeLink`` and ``ReviewFigures`` rows and the ``ThemePair`` counts
    they change; the themes whose figures may have changed."""
    kept = {(link.theme_id, link.review_id): link for link in ThemeLink.objects.filter(review__in=review_ids)}
    wanted = rows.link_rows(review_ids)
    changed = {key for key in kept.keys() | wanted.keys() if key not in kept or key not in wanted}
    changed |= {key for key in kept.keys() & wanted.keys() if rows.LinkRow.of(kept[key]) != wanted[key]}
    ThemeLink.objects.filter(pk__in=[kept[key].pk for key in changed if key in kept]).delete()
    ThemeLink.objects.bulk_create(
        [
            ThemeLink(theme_id=theme, review_id=review, **asdict(wanted[theme, review]))
            for theme, review in changed
            if (theme, review) in wanted
        ]
    )
    _change_pairs(_pair_changes(kept, wanted))

    figures = rows.review_rows(review_ids)
    kept_figures = {row.review_id: row for row in ReviewFigures.objects.filter(review__in=review_ids)}
    stale = [pk for pk, row in kept_figures.items() if pk not in figures or _review_row(row) != figures[pk]]
    ReviewFigures.objects.filter(review__in=stale).delete()
    ReviewFigures.objects.bulk_create(
        [
            ReviewFigures(review_id=pk, **asdict(row))
            for pk, row in figures.items()
            if pk in stale or pk not in kept_figures
        ]
    )
    return {theme for theme, _ in changed}


def _review_row(row: ReviewFigures) -> rows.ReviewRow:
    return rows.ReviewRow(**{name: getattr(row, name) for name in rows.ReviewRow.__dataclass_fields__})


def _published_themes(links: dict) -> dict[int, set[int]]:
    themes: dict[int, set[int]] = defaultdict(set)
    for (theme, review), link in links.items():
        if link.published:
            themes[review].add(theme)
    return themes


def _pair_changes(kept: dict, wanted: dict) -> Counter:
    """How each pair's count of shared published reviews changes, from each review's published themes
    before (``kept``) and after (``wanted``)."""
    before, after = _published_themes(kept), _published_themes(wanted)
    changes: Counter = Counter()
    for review in before.keys() | after.keys():
        old, new = before.get(review, set()), after.get(review, set())
        if old == new:
            continue
        for themes, step in ((old, -1), (new, 1)):
            for theme in themes:
                for other in themes - {theme}:
                    changes[theme, other] += step
    return changes


def _change_pairs(changes: Counter) -> None:
    changes = {key: step for key, step in changes.items() if step}
    if not changes:
        return
    kept = {
        (pair.theme_id, pair.other_id): pair
        for pair in ThemePair.objects.filter(theme__in={theme for theme, _ in changes})
    }
    created, updated, emptied = [], [], []
    for (theme, other), step in changes.items():
        pair = kept.get((theme, other))
        count = max((pair.reviews if pair else 0) + step, 0)
        if pair is None:
            if count:
                created.append(ThemePair(theme_id=theme, other_id=other, reviews=count))
        elif count:
            pair.reviews = count
            updated.append(pair)
        else:
            emptied.append(pair.pk)
    ThemePair.objects.filter(pk__in=emptied).delete()
    ThemePair.objects.bulk_update(updated, ["reviews"], batch_size=BATCH_SIZE)
    ThemePair.objects.bulk_create(created, batch_size=BATCH_SIZE)


def _refresh_figures(theme_ids: set[int]) -> None:
    if not theme_ids:
        return
    wanted = rows.figures_rows(theme_ids)
    kept = {row.theme_id: row for row in ThemeFigures.objects.filter(theme__in=theme_ids)}
    stale = [pk for pk, row in kept.items() if pk not in wanted or _figures_row(row) != wanted[pk]]
    ThemeFigures.objects.filter(theme__in=stale).delete()
    ThemeFigures.objects.bulk_create(
        [ThemeFigures(theme_id=pk, **asdict(row)) for pk, row in wanted.items() if pk in stale or pk not in kept]
    )


def refresh_knowledge_base() -> None:
    """Count the whole knowledge base's figures again (``KnowledgeBaseFigures``: a few milliseconds
    at national scale, once per write) and rewrite its row if they changed."""
    wanted = rows.knowledge_base_row()
    kept = KnowledgeBaseFigures.objects.filter(pk=1).first()
    if kept is None:
        KnowledgeBaseFigures.objects.create(pk=1, **asdict(wanted))
    elif rows.KnowledgeBaseRow.of(kept) != wanted:
        KnowledgeBaseFigures.objects.filter(pk=1).update(**asdict(wanted))


def _figures_row(row: ThemeFigures) -> rows.FiguresRow:
    return rows.FiguresRow(**{name: getattr(row, name) for name in rows.FiguresRow.__dataclass_fields__})


def rebuild(*, batch_size: int = BATCH_SIZE, progress: Callable[[str], None] | None = None) -> dict[str, int]:
    """Every kept row made again from the content, in one transaction; how many of each."""
    with transaction.atomic():
        _lock()
        for model in (ThemePair, ThemeFigures, ThemeLink, ReviewFigures, KnowledgeBaseFigures):
            model.objects.all().delete()
        ids = list(Review.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), batch_size):
            batch = ids[start : start + batch_size]
            ThemeLink.objects.bulk_create(
                [
                    ThemeLink(theme_id=theme, review_id=review, **asdict(row))
                    for (theme, review), row in rows.link_rows(batch).items()
                ],
                batch_size=batch_size,
            )
            ReviewFigures.objects.bulk_create(
                [ReviewFigures(review_id=pk, **asdict(row)) for pk, row in rows.review_rows(batch).items()],
                batch_size=batch_size,
            )
            if progress:
                progress(f"{min(start + batch_size, len(ids)):,} of {len(ids):,} reviews")
        ThemePair.objects.bulk_create(
            [
                ThemePair(theme_id=theme, other_id=other, reviews=count)
                for theme, other, count in pair_counts()
                if theme != other
            ],
            batch_size=batch_size,
        )
        ThemeFigures.objects.bulk_create(
            [ThemeFigures(theme_id=pk, **asdict(row)) for pk, row in rows.figures_rows().items()], batch_size=batch_size
        )
        refresh_knowledge_base()
        caching.content_changed()
    return {
        model._meta.verbose_name_plural: model.objects.count()
        for model in (ThemeLink, ThemeFigures, ThemePair, ReviewFigures, KnowledgeBaseFigures)
    }


def pair_counts():
    """(theme, other theme, published reviews both are in) from the kept ``ThemeLink`` rows, each theme
    with itself included; one query."""
    return (
        ThemeLink.objects.filter(published=True, review__theme_links__published=True)
        .order_by()
        .values("theme_id", other=F("review__theme_links__theme_id"))
        .annotate(reviews=Count("pk"))
        .values_list("theme_id", "other", "reviews")
    )


def differences(*, batch_size: int = BATCH_SIZE) -> list[str]:
    """How the kept rows differ from what a rebuild would write, one line per row (none: they are current).

    Computed from the content alone (the rules in ``rows.py``), not from
    other kept rows; writes nothing.
    """
    found: list[str] = []

    def compare(name: str, kept: dict, wanted: dict) -> None:
        for key in sorted(kept.keys() | wanted.keys(), key=str):
            if kept.get(key) != wanted.get(key):
                found.append(f"{name} {key}: kept {kept.get(key)}, content says {wanted.get(key)}")

    ids = list(Review.objects.order_by("pk").values_list("pk", flat=True))
    links: dict[tuple[int, int], rows.LinkRow] = {}
    for start in range(0, len(ids), batch_size):
        links |= rows.link_rows(ids[start : start + batch_size])
    compare(
        "ThemeLink", {(link.theme_id, link.review_id): rows.LinkRow.of(link) for link in ThemeLink.objects.all()}, links
    )
    wanted_reviews: dict[int, rows.ReviewRow] = {}
    for start in range(0, len(ids), batch_size):
        wanted_reviews |= rows.review_rows(ids[start : start + batch_size])
    compare("ReviewFigures", {row.review_id: _review_row(row) for row in ReviewFigures.objects.all()}, wanted_reviews)
    compare(
        "ThemePair",
        {(pair.theme_id, pair.other_id): pair.reviews for pair in ThemePair.objects.all()},
        rows.pairs_from_links(links),
    )
    compare(
        "ThemeFigures",
        {row.theme_id: _figures_row(row) for row in ThemeFigures.objects.all()},
        rows.figures_from_links(links, rows.cross_cutting_learning()),
    )
    # A theme has figures exactly when it is public (``selectors.common.visible_themes`` relies on it).
    compare(
        "ThemeFigures (public themes)",
        dict.fromkeys(ThemeFigures.objects.values_list("theme_id", flat=True), "public"),
        dict.fromkeys(Theme.objects.public().values_list("pk", flat=True), "public"),
    )
    kept_row = KnowledgeBaseFigures.objects.filter(pk=1).first()
    if kept_row is not None:  # until it is written, pages count the figures themselves
        compare(
            "KnowledgeBaseFigures",
            {1: rows.KnowledgeBaseRow.of(kept_row)},
            {1: rows.knowledge_base_row(from_scratch=True)},
        )
    return found

"""A review's related reviews: other reviews sharing the most of its themes, found in bounded work.

The rule, in the knowledge base's words on the review page: the candidates are
the most recent reviews on each of the review's themes
(``RELATED_CANDIDATES_PER_THEME`` a theme), ranked by how many of its themes
each shares, newest first among equals. Themes are shared by the one rule
(``common.theme_links``, as kept in ``ThemeLink``).
"""

from __future__ import annotations

from django.db import connection

from ..models import Review, ThemeLink
from .common import RELATED_REVIEWS, kept_links, review_order, themes_by_review

# On each of a review's themes, how many of the most recent reviews are candidates for its related reviews:
# the bound on the work of finding them, however many reviews share its themes (issue 14). An exact top
# five over every review sharing a theme cannot be kept cheaply in a table (a change to one review's themes
# can change every other review's list), nor read in bounded work. While no theme is in more reviews than
# this, every review sharing a theme is a candidate and the related reviews are those of a ranking over
# all of them (the real knowledge base: seven reviews). At 20,000 reviews (EXPLAIN ANALYZE on the benchmark
# database, a review with three themes in 4,000-5,800 reviews each) the candidates' query took 2.7 ms,
# reading 600 links in order and 550 candidates' own; the GROUP BY over every link of its themes, 8.8 ms for
# 10,000 links, and 300 candidates a theme 6-9 ms.
RELATED_CANDIDATES_PER_THEME = 200


def related_reviews(
    user, review: Review, theme_ids: set[int], *, limit: int = RELATED_REVIEWS, per_theme: int | None = None
) -> list[Review]:
    """Other reviews sharing the most of this review's themes, with the themes they share (3 queries).

    The rule: the candidates are, on each of this review's themes, the ``per_theme``
    (``RELATED_CANDIDATES_PER_THEME``) most recent other reviews the user may see
    (``review_order``: newest year, then date, then title; then id); they are ranked
    by how many of this review's themes each shares (all of them, not only those on
    whose lists it was found), then newest first by the same order. Themes are shared
    by the one rule (``theme_links``, as kept in ``ThemeLink``).
    """
    if not theme_ids:
        return []
    ids = ranked_candidates(
        user,
        review,
        theme_ids,
        per_theme=RELATED_CANDIDATES_PER_THEME if per_theme is None else per_theme,
        limit=limit,
    )
    found = Review.objects.select_related("partnership").in_bulk(ids)
    related = [found[pk] for pk in ids if pk in found]
    themes = themes_by_review(ids)
    for other in related:
        other.shared_themes = [theme for theme in themes.get(other.pk, []) if theme.pk in theme_ids]
    return related


# Stands for each theme's id in the SQL of one theme's list, compiled once and repeated for every theme.
_ANY_THEME = -14

# Each candidate with the number of the review's themes it shares, counted from its own kept links (a
# correlated subquery, so that only the candidates' links are read), best first.
_RANKED = """
SELECT candidate.review_id FROM (
    SELECT DISTINCT review_id, year, published_on, title FROM ({lists}) AS lists
) AS candidate
ORDER BY (
    SELECT COUNT(*) FROM {table} AS shared
    WHERE shared.review_id = candidate.review_id AND shared.theme_id IN ({themes})
) DESC, candidate.year DESC NULLS LAST, candidate.published_on DESC NULLS LAST, candidate.title, candidate.review_id
LIMIT {limit}
"""


def ranked_candidates(user, review: Review, theme_ids, *, per_theme: int, limit: int) -> list[int]:
    """The ids of the ``limit`` candidates sharing the most themes, best first (one query)."""
    sql, params = ranked_candidates_query(user, review, theme_ids, per_theme=per_theme, limit=limit)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def ranked_candidates_query(user, review: Review, theme_ids, *, per_theme: int, limit: int) -> tuple[str, list]:
    """The SQL of ``ranked_candidates`` and its parameters.

    Each theme's list of candidates (``recent_reviews_on``) is read in order and cut, on PostgreSQL
    from the index ``themelink_published_order``: at most ``per_theme`` kept links a theme, then each
    candidate's own links, whatever the size of the knowledge base. (For staff, who see drafts too, no
    index holds a theme's links in that order with the drafts': each theme's list is then the first
    ``per_theme`` of all its links sorted, as staff's pages of a theme are.)
    """
    lists, params = recent_reviews_on(user, review, theme_ids, per_theme=per_theme)
    sql = _RANKED.format(
        lists=lists,
        table=connection.ops.quote_name(ThemeLink._meta.db_table),
        themes=", ".join(["%s"] * len(theme_ids)),
        limit=int(limit),
    )
    return sql, [*params, *sorted(theme_ids)]


def recent_reviews_on(user, review: Review, theme_ids, *, per_theme: int) -> tuple[str, list]:
    """SQL (and its parameters) for the ``per_theme`` most recent reviews other than ``review`` the
    user may see on each of ``theme_ids`` (``review_order``), with the columns they are ordered by:
    each theme's list read in order and cut (``ORDER BY … LIMIT``), the lists put together with
    ``UNION ALL`` (a review on several themes is in several lists).

    Written out because the ORM cannot put a limited query inside a ``UNION`` on SQLite; one theme's
    query is compiled by the ORM once (the user's visibility, the order) and repeated for each theme.
    """
    one_theme = (
        kept_links(user)
        .filter(theme_id=_ANY_THEME)
        .exclude(review=review)
        .order_by(*review_order(), "review_id")
        .values("review_id", "year", "published_on", "title")[:per_theme]
    )
    sql, params = one_theme.query.sql_with_params()
    if list(params).count(_ANY_THEME) != 1:
        raise ValueError(f"the placeholder theme id {_ANY_THEME} is ambiguous in {sql}")
    parts, all_params = [], []
    for number, theme_id in enumerate(sorted(theme_ids)):
        parts.append(f"SELECT review_id, year, published_on, title FROM ({sql}) AS recent_{number}")
        all_params += [theme_id if param == _ANY_THEME else param for param in params]
    return " UNION ALL ".join(parts), all_params

"""What both backends share: filters, the one statement that answers a search, the shape of answers.

A search is answered by one statement (``run``) that reads the full-text
index once: it materialises the matching entries, then counts the total and
every facet and ranks the page from them. Counts are "disjunctive": each
facet is counted with every *other* facet's filters applied, so choosing one
theme still shows how many results the other themes would add.

At national scale a single common word ("neglect") matches tens of thousands
of entries, and counting or ranking them all cannot be done in tens of
milliseconds: a GIN index says which rows match, but every one of them must
then be read from the table. So on PostgreSQL the work is bounded
(``candidates_sql``): a search takes at most ``MAX_CANDIDATES`` matches in the
order ``rebuild_search_index`` wrote the entries (themes, then the most
recently published first), plus at most as many of the entries written
since (changed content, newest first). When either part is full the search
is "capped": results, ranking and counts cover those most recent matches,
the page says so, and chosen filters are applied before the cap (see
``run``) so that narrowing a search always reaches older learning. Below
the cap everything is exact. SQLite, the small embedded default, is always
exact.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import QuerySet

from ...models import SearchEntry, SearchWord, Theme
from ..labels import name_key_pattern
from ..query import ParsedQuery

# The facets, each with its column in ``reviews_searchentry``.
FACET_COLUMNS = {"kind": "e.kind", "review": "e.review_id", "partnership": "e.partnership_id", "year": "e.year"}
# How many values of each facet are counted (the most frequent first); the
# chosen values are always counted too.
FACET_LIMITS = {"kind": 10, "theme": 20, "review": 10, "partnership": 10, "year": 30}
# How alike (difflib's ratio) a known word must be to a mistyped one to be suggested.
WORD_SIMILARITY = 0.75
# Dated entries a search takes at most (the most recent), see above.
MAX_CANDIDATES = 1000
# Words checked against the published entries in one statement (see ``published_words``).
WORD_CHECKS = 100


@dataclass(frozen=True)
class Filters:
    """What the search is narrowed to. Within a facet values are alternatives; facets combine."""

    kinds: tuple[str, ...] = ()
    theme_ids: tuple[int, ...] = ()
    review_ids: tuple[int, ...] = ()
    partnership_ids: tuple[int, ...] = ()
    years: tuple[int, ...] = ()

    def values(self, facet: str) -> tuple:
        return {
            "kind": self.kinds,
            "theme": self.theme_ids,
            "review": self.review_ids,
            "partnership": self.partnership_ids,
            "year": self.years,
        }[facet]


@dataclass
class SearchRun:
    """What one search statement found.

    ``total``: entries matching the query and filters (among the candidates
    when ``capped``); ``counts``: per facet, value -> count; ``ids``: the
    requested page of entry ids, best first.
    """

    total: int = 0
    capped: bool = False
    counts: dict[str, dict] = field(default_factory=lambda: {facet: {} for facet in FACET_LIMITS})
    ids: list[int] = field(default_factory=list)


@dataclass
class Compiled:
    """A parsed query in a backend's own terms.

    ``match``: the whole query (all clauses, or any clause when relaxed, and
    none of the excluded terms; and some term in a column that may match on
    its own, see ``schema.OWN_COLUMNS``); ``rank``: what ranking scores (the
    query without its exclusions, which would only confuse a ranking
    function); ``clauses``: one expression per clause, to rank relaxed results
    by how many clauses they match; ``narrow``: the query without broader
    words (see ``synonyms.BROADER``), to rank results with the words meant
    first; ``phrase``: the typed words as one phrase, to rank results that
    have them together first.
    """

    parsed: ParsedQuery
    match: str
    rank: str = ""
    # SQLite: what highlights mark, when not ``rank``.
    highlight: str = ""
    clauses: tuple[str, ...] = ()
    narrow: str = ""
    phrase: str = ""
    # PostgreSQL: the last entry id the last rebuild wrote (see candidates_sql).
    boundary: int = 0
    # PostgreSQL: conditions the match needs besides its tsquery (phrases that
    # start or end with a common word), each clause and the ranking phrase as
    # conditions, and the words and phrases searched for, to refine highlights.
    conditions: tuple[tuple[str, tuple], ...] = ()
    clause_sqls: tuple[tuple[str, tuple], ...] = ()
    phrase_check: tuple[str, tuple] | None = None
    word_patterns: tuple = ()
    phrase_patterns: tuple = ()


@dataclass(frozen=True)
class Highlights:
    """One entry's text with matches between ``HIGHLIGHT_START`` and ``HIGHLIGHT_STOP``, nothing escaped.

    ``title``: the result's title; ``heading``: column A whole (for an item,
    the heading it sits under, as separate values); ``snippet``: the best
    fragment of its own text (a theme's summary); ``values``: its column of
    separate values whole (a theme's aliases; anything else's themes and
    details), see ``labels.py``.
    """

    title: str = ""
    heading: str = ""
    snippet: str = ""
    values: str = ""


# Boolean literals both databases accept (SQLite has TRUE and FALSE since 3.23).
_TRUE, _FALSE = "(1=1)", "(1=0)"


def _placeholders(values: Sequence) -> str:
    return ", ".join(["%s"] * len(values))


class Backend:
    """The shared half of a backend; subclasses say how text is matched and ranked.

    A backend searches for one audience: the public (``published_only``, the
    default), who find published entries only, and whose ranking and "did you
    mean" suggestions must not change when a draft is added; or staff, who
    find everything.
    """

    vendor = ""

    def __init__(self, *, published_only: bool = True):
        self.published_only = published_only

    # -- what subclasses provide -------------------------------------------

    def compile(self, parsed: ParsedQuery) -> Compiled:
        raise NotImplementedError

    # The tables a search reads, with the entry as ``e``.
    source_sql = "reviews_searchentry e"

    def match_sql(self, compiled: Compiled) -> tuple[str, list]:
        """A condition on entry ``e`` (in ``source_sql``) that is true when it matches the query."""
        raise NotImplementedError

    def candidate_score_sql(self, compiled: Compiled) -> tuple[str, list]:
        """A column of the candidate row that ranking needs (the vector, or the score itself)."""
        raise NotImplementedError

    def score_sql(self, compiled: Compiled) -> tuple[str, list]:
        """The score of candidate ``x`` (from its ``score_source`` column); higher is better."""
        raise NotImplementedError

    def match_tier_sqls(self, compiled: Compiled) -> list[tuple[str, list]]:
        """Numbers on entry ``e`` that rank before the score, highest first: in a relaxed
        search how many clauses it matches, then whether it matches without broader
        words, then whether it has the typed words as a phrase."""
        raise NotImplementedError

    def highlights(self, compiled: Compiled, ids: Sequence[int]) -> dict[int, Highlights]:
        """For each id, its ``Highlights``."""
        raise NotImplementedError

    def similar_words(self, words: Sequence[str]) -> dict[str, str]:
        """For words not in the vocabulary (for the public: the words of published
        entries), the closest word that is."""
        raise NotImplementedError

    def has_published_word_sql(self, word: str) -> tuple[str, list]:
        """A condition that is true when some published entry has the word as written
        (as ``indexing`` adds words to the vocabulary: in a column that may match on its own)."""
        raise NotImplementedError

    def similar_theme_ids(self, text: str, *, limit: int, among: QuerySet[Theme]) -> list[int]:
        """Themes of ``among`` (those the person may see: ``Theme.objects.visible_to``)
        whose name or an alias looks like the text, best first."""
        raise NotImplementedError

    # -- shared -----------------------------------------------------------------

    def tier_sqls(self, compiled: Compiled) -> list[tuple[str, list]]:
        """What ranks before the score: first a theme whose name or an alias is exactly
        what was typed ("Interagency Working"), then the backend's own tiers."""
        tiers = []
        if compiled.parsed.name_key:
            tiers.append(
                (
                    "(CASE WHEN e.kind = %s AND e.text_d LIKE %s THEN 1 ELSE 0 END)",
                    [SearchEntry.Kind.THEME, name_key_pattern(compiled.parsed.name_key)],
                )
            )
        return tiers + self.match_tier_sqls(compiled)

    def unknown_words(self, words: Sequence[str]) -> list[str]:
        """The words (of at least three letters) that occur nowhere in the text this
        audience may search: for the public, in no published entry."""
        candidates = [word for word in dict.fromkeys(words) if len(word) >= 3 and word.isalpha()]
        if not candidates:
            return []
        vocabulary = SearchWord.objects.filter(word__in=candidates)
        if self.published_only:
            known = self.published_words(vocabulary.filter(is_published=True).values_list("word", flat=True))
        else:
            known = set(vocabulary.values_list("word", flat=True))
        return [word for word in candidates if word not in known]

    def published_words(self, words: Sequence[str]) -> set[str]:
        """Those of the words (letters only, as the vocabulary holds) that a published entry has as written.

        The vocabulary marks the words of published entries (``SearchWord.is_published``)
        but keeps a mark until a rebuild, also after the entries are unpublished; so for
        the public each word is checked against the published entries themselves, and a
        word only a draft has (or had before it was unpublished) is never known or
        suggested to the public. One statement per ``WORD_CHECKS`` words, none for none.
        """
        found: set[str] = set()
        words = list(dict.fromkeys(words))
        for start in range(0, len(words), WORD_CHECKS):
            parts, params = [], []
            for word in words[start : start + WORD_CHECKS]:
                condition, condition_params = self.has_published_word_sql(word)
                parts.append(f"SELECT %s WHERE {condition}")
                params += [word, *condition_params]
            with connection.cursor() as cursor:
                cursor.execute(" UNION ALL ".join(parts), params)
                found.update(row[0] for row in cursor.fetchall())
        return found

    def closest(self, word: str, candidates: Sequence[str]) -> str | None:
        """The candidate spelled most like the word, if any is close enough; for the
        public, the closest that a published entry still has (``published_words``)."""
        candidates = list(candidates)
        if not candidates:
            return None
        ranked = difflib.get_close_matches(word, candidates, n=len(candidates), cutoff=WORD_SIMILARITY)
        if self.published_only and ranked:
            public = self.published_words(ranked)
            ranked = [candidate for candidate in ranked if candidate in public]
        return ranked[0] if ranked else None

    @staticmethod
    def filter_sql(filters: Filters, facet: str, alias: str = "e") -> tuple[str, list]:
        """The condition one facet's filter puts on entry ``alias`` (true when unfiltered)."""
        values = list(filters.values(facet))
        if not values:
            return "(1=1)", []
        if facet == "theme":
            # A scalar subquery rather than EXISTS: the database then looks up each
            # candidate's themes by index, instead of reading every entry filed
            # under the theme to join them (tens of thousands at national scale).
            return (
                f"COALESCE((SELECT {_TRUE} FROM reviews_searchentrytheme ft "
                f"WHERE ft.entry_id = {alias}.id AND ft.theme_id IN ({_placeholders(values)}) LIMIT 1), {_FALSE})",
                values,
            )
        column = FACET_COLUMNS[facet].split(".")[1]
        return f"{alias}.{column} IN ({_placeholders(values)})", values

    def conditions_sql(self, filters: Filters) -> tuple[str, list]:
        """Visibility and every filter, for entry ``e``."""
        parts, params = ["(1=1)"], []
        if self.published_only:
            parts.append("e.is_published = %s")
            params.append(True)
        for facet in FACET_LIMITS:
            condition, values = self.filter_sql(filters, facet)
            if values:
                parts.append(condition)
                params.extend(values)
        return " AND ".join(parts), params

    def candidates_sql(self, compiled: Compiled, select: str, params: list) -> tuple[str, list]:
        """The candidate rows from ``select`` (a SELECT with a WHERE clause), each with
        a ``part`` column; all of them unless the backend bounds the work (see above)."""
        return f"SELECT x.*, 0 AS part FROM ({select}) AS x", params

    def planner_settings(self):
        """A context in which search statements run (PostgreSQL sets planner options)."""
        return nullcontext()

    def run(self, compiled: Compiled, filters: Filters, *, offset: int = 0, limit: int = 20) -> SearchRun:
        """Count, facet and rank a search in one statement, or two when filters are chosen.

        With filters, the filtered search runs first: if even that is capped,
        so is the unfiltered one, and the filtered answer stands. Otherwise the
        unfiltered one runs too and, when it is exact, gives the disjunctive
        counts; when it is capped, the filtered answer stands, its counts taken
        within the filters.
        """
        if not any(filters.values(facet) for facet in FACET_LIMITS):
            return self._run(compiled, filters, offset=offset, limit=limit)
        filtered = self._run(compiled, filters, offset=offset, limit=limit, filter_first=True)
        if filtered.capped:
            return filtered
        unfiltered = self._run(compiled, filters, offset=offset, limit=limit)
        return filtered if unfiltered.capped else unfiltered

    def _run(self, compiled, filters, *, offset, limit, filter_first=False) -> SearchRun:
        # The candidate rows: the ranking tiers and what the score needs.
        columns, column_params = ["e.id", "e.kind", "e.review_id", "e.partnership_id", "e.year"], []
        tiers = self.tier_sqls(compiled)
        for number, (sql, params) in enumerate(tiers):
            columns.append(f"{sql} AS tier_{number}")
            column_params += params
        score_source, score_source_params = self.candidate_score_sql(compiled)
        columns.append(f"{score_source} AS score_source")
        column_params += score_source_params

        match, match_params = self.match_sql(compiled)
        where, where_params = [match], list(match_params)
        if filter_first:
            conditions, condition_params = self.conditions_sql(filters)
            where.append(conditions)
            where_params += condition_params
        elif self.published_only:
            where.append("e.is_published = %s")
            where_params.append(True)
        select = f"SELECT {', '.join(columns)} FROM {self.source_sql} WHERE {' AND '.join(where)}"
        candidates, candidate_params = self.candidates_sql(compiled, select, column_params + where_params)

        # Then, on the candidates only, a flag for each facet's filter (all true
        # when the filters were applied first) and the score.
        flags, flag_params = [], []
        for facet in FACET_LIMITS:
            condition, values = self.filter_sql(Filters() if filter_first else filters, facet, alias="x")
            flags.append(f"{condition} AS ok_{facet}")
            flag_params += values
        score, score_params = self.score_sql(compiled)
        tier_columns = ", ".join(f"x.tier_{number}" for number in range(len(tiers)))
        materialised = (
            "WITH m AS MATERIALIZED (SELECT x.id, x.kind, x.review_id, x.partnership_id, x.year, x.part, "
            + ", ".join(flags)
            + (f", {tier_columns}" if tiers else "")
            + f", {score} AS score FROM ({candidates}) AS x) "
        )
        score_params = flag_params + score_params

        def others(facet: str | None) -> str:
            return " AND ".join(f"m.ok_{name}" for name in FACET_LIMITS if name != facet)

        parts = [
            f"SELECT 'total' AS facet, '' AS value, COUNT(*) AS n FROM m WHERE {others(None)}",
            "SELECT 'part', CAST(m.part AS TEXT), COUNT(*) FROM m GROUP BY m.part",
        ]
        part_params: list = []
        for facet, facet_limit in FACET_LIMITS.items():
            if facet == "theme":
                source, column = "m JOIN reviews_searchentrytheme t ON t.entry_id = m.id", "t.theme_id"
            else:
                source, column = "m", f"m.{FACET_COLUMNS[facet].split('.')[1]}"
            base = (
                f"SELECT '{facet}' AS facet, CAST({column} AS TEXT) AS value, COUNT(*) AS n "
                f"FROM {source} WHERE {others(facet)} AND {column} IS NOT NULL"
            )
            parts.append(
                f"SELECT * FROM ({base} GROUP BY {column} ORDER BY n DESC, {column} "
                f"LIMIT {int(facet_limit)}) AS top_{facet}"
            )
            chosen = list(filters.values(facet))
            if chosen:
                parts.append(f"{base} AND {column} IN ({_placeholders(chosen)}) GROUP BY {column}")
                part_params += chosen
        order = ", ".join([*(f"m.tier_{number} DESC" for number in range(len(tiers))), "m.score DESC", "m.id"])
        parts.append(
            "SELECT 'hit', CAST(ranked.id AS TEXT), ranked.position FROM "
            f"(SELECT m.id, ROW_NUMBER() OVER (ORDER BY {order}) AS position FROM m WHERE {others(None)}) AS ranked "
            "WHERE ranked.position > %s AND ranked.position <= %s"
        )
        part_params += [offset, offset + limit]

        result = SearchRun()
        hits = []
        with connection.cursor() as cursor:
            cursor.execute(materialised + " UNION ALL ".join(parts), score_params + candidate_params + part_params)
            for facet, value, count in cursor.fetchall():
                if facet == "total":
                    result.total = count
                elif facet == "part":
                    result.capped = result.capped or (value != "0" and count > MAX_CANDIDATES)
                elif facet == "hit":
                    hits.append((count, int(value)))
                else:
                    result.counts[facet][value if facet == "kind" else int(value)] = count
        result.ids = [pk for _, pk in sorted(hits)]
        return result

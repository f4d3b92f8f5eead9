"""SQLite: FTS5 with the porter stemmer, bm25() ranking, snippet() and highlight().

FTS5 has its own query language, in which quotes, ``-``, ``NOT``, ``NEAR``,
``*``, ``:`` and brackets mean something, and a stray one is a syntax error.
User input never reaches it: the parsed query is rebuilt here from words
made only of letters and digits, each one double-quoted (an FTS5 string), so
every search is valid FTS5 whatever was typed.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

from django.db import connection
from django.db.models import QuerySet
from django.db.models.functions import Length

from ...models import SearchEntry, SearchWord, Theme, ThemeAlias
from ..indexing import HIGHLIGHT_START, HIGHLIGHT_STOP
from ..query import ParsedQuery, Term
from ..schema import (
    FTS_BM25_WEIGHTS,
    FTS_COLUMNS,
    FTS_TABLE,
    FTS_TITLE_COLUMN,
    OWN_COLUMNS,
    PUBLIC_FTS_TABLE,
    SNIPPET_COLUMN,
    SNIPPET_COLUMN_FOR_THEME,
    VALUES_COLUMN,
    VALUES_COLUMN_FOR_THEME,
    WEIGHTED_COLUMNS,
)
from .base import Backend, Compiled, Highlights

SNIPPET_TOKENS = 32
THEME_SIMILARITY = 0.7
_WEIGHTED = " ".join(column for column, _, _ in WEIGHTED_COLUMNS)
_OWN = " ".join(OWN_COLUMNS)
_HEADING = FTS_COLUMNS.index("text_a")
_SNIPPET = FTS_COLUMNS.index(SNIPPET_COLUMN)
_THEME_SNIPPET = FTS_COLUMNS.index(SNIPPET_COLUMN_FOR_THEME)
_VALUES = FTS_COLUMNS.index(VALUES_COLUMN)
_THEME_VALUES = FTS_COLUMNS.index(VALUES_COLUMN_FOR_THEME)
_BM25_WEIGHTS = ", ".join(str(weight) for weight in FTS_BM25_WEIGHTS)


def fts_term(term: Term) -> str:
    # Words hold only letters and digits (see query.py), so no quote can end the
    # string early. A phrase is an FTS5 phrase, common words and all.
    return '"' + " ".join(term.words) + '"'


def fts_any(terms: Sequence[Term]) -> str:
    return "(" + " OR ".join(fts_term(term) for term in terms) + ")"


def in_weighted_columns(expression: str) -> str:
    """Match only in the weighted columns, as PostgreSQL does: the title
    column is there for highlight() and must not find anything itself."""
    return f"{{{_WEIGHTED}}} : ({expression})"


def fts_expression(parsed: ParsedQuery, *, narrow: bool = False) -> str:
    """The FTS5 query for a parsed search (before column filtering); ``narrow``
    leaves out broader words."""
    joiner = " OR " if parsed.relaxed else " AND "
    expression = (
        "(" + joiner.join(fts_any(clause.narrow_terms if narrow else clause.terms) for clause in parsed.clauses) + ")"
    )
    if parsed.excluded:
        expression = f"{expression} NOT {fts_any(parsed.excluded)}"
    return expression


def fts_match(parsed: ParsedQuery) -> str:
    """The whole search in the weighted columns, with some term in a column that
    may match on its own: an item's review title alone finds nothing."""
    return f"{in_weighted_columns(fts_expression(parsed))} AND {{{_OWN}}} : ({fts_any(parsed.positive_terms)})"


def _similarity(text: str, name: str) -> float:
    """How alike two strings are: whole, or their best-matching runs of words
    (a query word against a word of a theme name, like pg_trgm's word_similarity)."""
    text, name = text.lower(), name.lower()
    best = difflib.SequenceMatcher(None, text, name).ratio()
    text_words, name_words = text.split(), name.split()
    size = min(len(text_words), len(name_words))
    if size:
        for i in range(len(text_words) - size + 1):
            for j in range(len(name_words) - size + 1):
                a, b = " ".join(text_words[i : i + size]), " ".join(name_words[j : j + size])
                best = max(best, difflib.SequenceMatcher(None, a, b).ratio())
    return best


class SQLiteBackend(Backend):
    """Searches one of the two FTS5 tables (``schema.py``): the public's has only
    published entries, so that bm25(), which weighs each word by the rows of its
    table, ranks the public's results as if drafts did not exist."""

    vendor = "sqlite"

    def __init__(self, *, published_only: bool = True):
        super().__init__(published_only=published_only)
        self.table = PUBLIC_FTS_TABLE if published_only else FTS_TABLE
        self.source_sql = f"{self.table} JOIN reviews_searchentry e ON e.id = {self.table}.rowid"
        self._matches = f"(e.id IN (SELECT rowid FROM {self.table} WHERE {self.table} MATCH %s))"

    def _clause_count(self, clauses: int) -> str:
        """How many of the clauses (one FTS5 query parameter each) an entry matches."""
        return "(" + " + ".join([self._matches] * clauses) + ")"

    def compile(self, parsed: ParsedQuery) -> Compiled:
        clauses = ()
        if parsed.relaxed:
            clauses = tuple(in_weighted_columns(fts_any(clause.terms)) for clause in parsed.clauses)
        expression = fts_expression(parsed)
        narrow = ""
        if parsed.has_broader_terms and not parsed.relaxed:
            narrow = in_weighted_columns(fts_expression(parsed, narrow=True))
        # bm25() copes with NOT, so ranking uses the whole query; highlighting
        # uses it without the column filter, so that it marks the title too,
        # and with the typed words as a phrase, so that it marks them together.
        highlight = f"({expression}) OR {fts_term(parsed.phrase)}" if parsed.phrase else expression
        return Compiled(
            parsed=parsed,
            match=fts_match(parsed),
            rank=expression,
            highlight=highlight,
            clauses=clauses,
            narrow=narrow,
            phrase=in_weighted_columns(fts_term(parsed.phrase)) if parsed.phrase else "",
        )

    def match_sql(self, compiled: Compiled) -> tuple[str, list]:
        sql, params = f"{self.table} MATCH %s", [compiled.match]
        needed = compiled.parsed.min_matches
        if compiled.parsed.relaxed and needed > 1:
            # Relaxed searches: at least half of the clauses must match.
            sql += f" AND {self._clause_count(len(compiled.clauses))} >= %s"
            params += [*compiled.clauses, needed]
        return sql, params

    def candidate_score_sql(self, compiled: Compiled) -> tuple[str, list]:
        # bm25() only works next to its MATCH, and is lower for better matches.
        return f"-bm25({self.table}, {_BM25_WEIGHTS})", []

    def score_sql(self, compiled: Compiled) -> tuple[str, list]:
        return "x.score_source", []

    def match_tier_sqls(self, compiled: Compiled) -> list[tuple[str, list]]:
        tiers = []
        if compiled.parsed.relaxed and compiled.clauses:
            tiers.append((self._clause_count(len(compiled.clauses)), list(compiled.clauses)))
        if compiled.narrow:
            tiers.append((self._matches, [compiled.narrow]))
        if compiled.phrase:
            tiers.append((self._matches, [compiled.phrase]))
        return tiers

    def highlights(self, compiled: Compiled, ids: Sequence[int]) -> dict[int, Highlights]:
        if not ids:
            return {}
        theme, table = "e.kind = %s", self.table
        sql = (
            f"SELECT e.id, highlight({table}, {FTS_TITLE_COLUMN}, %s, %s), "
            f"highlight({table}, {_HEADING}, %s, %s), "
            f"snippet({table}, CASE WHEN {theme} THEN {_THEME_SNIPPET} ELSE {_SNIPPET} END, "
            f"%s, %s, '…', {SNIPPET_TOKENS}), "
            f"highlight({table}, CASE WHEN {theme} THEN {_THEME_VALUES} ELSE {_VALUES} END, %s, %s) "
            f"FROM {self.source_sql} "
            f"WHERE {table} MATCH %s AND e.id IN ({', '.join(['%s'] * len(ids))})"
        )
        marks = [HIGHLIGHT_START, HIGHLIGHT_STOP]
        kind = SearchEntry.Kind.THEME
        params = [*marks, *marks, kind, *marks, kind, *marks, compiled.highlight or compiled.rank, *ids]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return {row[0]: Highlights(*row[1:]) for row in cursor.fetchall()}

    def similar_words(self, words: Sequence[str]) -> dict[str, str]:
        found = {}
        for word in self.unknown_words(words):
            # No trigram index here: words of about the same length are the candidates.
            candidates = SearchWord.objects.annotate(length=Length("word")).filter(
                length__gte=len(word) - 2, length__lte=len(word) + 2
            )
            if self.published_only:
                candidates = candidates.filter(is_published=True)
            best = self.closest(word, candidates.values_list("word", flat=True))
            if best:
                found[word] = best
        return found

    def has_published_word_sql(self, word: str) -> tuple[str, list]:
        # The index of published entries finds the rows with the word's stem (a
        # word holds only letters: nothing to escape in an FTS5 string); then
        # the word must be in their text as written, between non-letters, as
        # ``indexing._VOCABULARY_WORD`` finds words. REGEXP is Django's (re.search).
        table = PUBLIC_FTS_TABLE
        return (
            f"EXISTS (SELECT 1 FROM {table} JOIN reviews_searchentry e ON e.id = {table}.rowid "
            f"WHERE {table} MATCH %s AND (e.text_a || ' ' || e.text_b || ' ' || e.text_c) REGEXP %s)",
            [f'{{{_OWN}}} : "{word}"', rf"(?i)(?<![^\W\d_]){re.escape(word)}(?![^\W\d_])"],
        )

    def similar_theme_ids(self, text: str, *, limit: int, among: QuerySet[Theme]) -> list[int]:
        scored: dict[int, float] = {}
        aliases = ThemeAlias.objects.filter(theme__in=among)
        names = [*among.values_list("pk", "name"), *aliases.values_list("theme_id", "name")]
        for theme_id, name in names:
            similarity = _similarity(text, name)
            if similarity >= THEME_SIMILARITY:
                scored[theme_id] = max(scored.get(theme_id, 0.0), similarity)
        return [pk for pk, _ in sorted(scored.items(), key=lambda item: (-item[1], item[0]))][:limit]

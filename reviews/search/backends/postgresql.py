"""PostgreSQL: weighted tsvector, GIN index, websearch_to_tsquery, ts_rank, ts_headline, pg_trgm.

Each term of the parsed query becomes a ``websearch_to_tsquery('english', ...)``
call (so stemming and phrase handling are PostgreSQL's own), combined with
``&&``, ``||`` and ``!!``. The combined tsquery is computed once, in its own
small statement, and every later statement gets it as a constant: the
planner then estimates how many rows it matches from the column statistics,
and nothing re-parses it per row.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import contextmanager

from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity
from django.db import connection, transaction
from django.db.models.functions import Greatest

from ...models import SearchEntry, Theme, ThemeAlias
from ..indexing import HIGHLIGHT_START, HIGHLIGHT_STOP
from ..query import ParsedQuery, Term
from ..schema import PG_CONFIG, SNIPPET_COLUMN, SNIPPET_COLUMN_FOR_THEME
from . import base
from .base import Backend, Compiled, Filters

# ts_headline options: matches marked with private-use characters (escaped
# and turned into <mark> later), up to two fragments of the text.
_MARKS = f'StartSel="{HIGHLIGHT_START}", StopSel="{HIGHLIGHT_STOP}"'
TITLE_HEADLINE = f"{_MARKS}, HighlightAll=true"
SNIPPET_HEADLINE = f'{_MARKS}, MaxWords=30, MinWords=12, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "'
# Trigram similarity a vocabulary word needs to be considered as a spelling
# suggestion (then ranked like SQLite's, by difflib), and a theme name or
# alias to be suggested.
CANDIDATE_SIMILARITY = 0.2
THEME_SIMILARITY = 0.45


def _term_sql(term: Term) -> tuple[str, list]:
    text = f'"{term.text}"' if term.is_phrase else term.text
    return f"websearch_to_tsquery('{PG_CONFIG}', %s)", [text]


def _any_sql(terms: Sequence[Term]) -> tuple[str, list]:
    parts, params = [], []
    for term in terms:
        sql, term_params = _term_sql(term)
        parts.append(sql)
        params.extend(term_params)
    return "(" + " || ".join(parts) + ")", params


def _clause_count(clauses: int) -> str:
    """How many of the clauses (one tsquery parameter each) an entry matches."""
    return "(" + " + ".join(["(e.search_vector @@ %s::tsquery)::int"] * clauses) + ")"


class PostgreSQLBackend(Backend):
    vendor = "postgresql"

    def compile(self, parsed: ParsedQuery) -> Compiled:
        clauses = [_any_sql(clause.terms) for clause in parsed.clauses]
        joiner = " || " if parsed.relaxed else " && "
        positive = "(" + joiner.join(sql for sql, _ in clauses) + ")"
        positive_params = [param for _, params in clauses for param in params]
        whole, whole_params = positive, positive_params
        if parsed.excluded:
            excluded, excluded_params = _any_sql(parsed.excluded)
            whole, whole_params = f"({positive} && !!{excluded})", positive_params + excluded_params
        # Columns: match, rank, phrase, then one per clause.
        selects = [(whole, whole_params), (positive, positive_params)]
        selects.append(_term_sql(parsed.phrase) if parsed.phrase else ("''", []))
        selects.extend(clauses)
        sql = (
            "SELECT (SELECT COALESCE(MAX(rebuilt_up_to), 0) FROM reviews_searchindexstate), "
            + ", ".join(f"({expression})::text" for expression, _ in selects)
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [param for _, params in selects for param in params])
            boundary, *row = cursor.fetchone()
        return Compiled(
            parsed=parsed, match=row[0], rank=row[1], phrase=row[2], clauses=tuple(row[3:]), boundary=boundary
        )

    def match_sql(self, compiled: Compiled) -> tuple[str, list]:
        sql, params = "e.search_vector @@ %s::tsquery", [compiled.match]
        needed = compiled.parsed.min_matches
        if compiled.parsed.relaxed and needed > 1:
            sql += f" AND {_clause_count(len(compiled.clauses))} >= %s"
            params += [*compiled.clauses, needed]
        return sql, params

    def candidates_sql(self, compiled: Compiled, select: str, params: list) -> tuple[str, list]:
        # Part 1: entries the last rebuild wrote, in the order it wrote them
        # (most recent first). With LIMIT and no ORDER BY, PostgreSQL reads
        # matching rows in table order and stops at the cap: run() forbids
        # parallel plans, which would mix that order.
        # Part 2: entries written since (each edit writes a new row with a
        # new id), newest first. The boundary between them is a constant here
        # (read when the query was compiled), so that the planner knows how
        # many rows each side of it holds.
        boundary = int(compiled.boundary)
        cap = int(base.MAX_CANDIDATES) + 1
        sql = (
            # "+ 0" keeps the primary key index out of part 1: the way in is the GIN index.
            f"SELECT settled.*, 1 AS part FROM ({select} AND e.id + 0 <= {boundary} LIMIT {cap}) AS settled "
            f"UNION ALL SELECT fresh.*, 2 AS part FROM ({select} AND e.id > {boundary} "
            f"ORDER BY e.id DESC LIMIT {cap}) AS fresh"
        )
        return sql, params + params

    @contextmanager
    def planner_settings(self):
        """The planner settings a search statement runs with (also for EXPLAIN in bench/search.py).

        A serial plan keeps table order (see candidates_sql). The full-text
        index is always the way in: for a very common word a sequential scan
        would also stop early, but its cost depends on where in the table the
        matches happen to lie. SET LOCAL lasts until the transaction ends; no
        savepoint is needed for it.
        """
        with transaction.atomic(savepoint=False), connection.cursor() as cursor:
            cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0; SET LOCAL enable_seqscan = off")
            yield

    def run(self, compiled: Compiled, filters: Filters, *, offset: int = 0, limit: int = 20):
        with self.planner_settings():
            return super().run(compiled, filters, offset=offset, limit=limit)

    def candidate_score_sql(self, compiled: Compiled) -> tuple[str, list]:
        # The vector itself: ts_rank runs on the candidates only, after the cap.
        return "e.search_vector", []

    def score_sql(self, compiled: Compiled) -> tuple[str, list]:
        return "ts_rank(x.score_source, %s::tsquery)", [compiled.rank]

    def tier_sqls(self, compiled: Compiled) -> list[tuple[str, list]]:
        tiers = []
        if compiled.parsed.relaxed and compiled.clauses:
            tiers.append((_clause_count(len(compiled.clauses)), list(compiled.clauses)))
        if compiled.phrase:
            tiers.append(("(e.search_vector @@ %s::tsquery)::int", [compiled.phrase]))
        return tiers

    def highlights(self, compiled: Compiled, ids: Sequence[int]) -> dict[int, tuple[str, str]]:
        if not ids:
            return {}
        sql = (
            f"SELECT e.id, ts_headline('{PG_CONFIG}', e.title, q.query, %s), "
            f"ts_headline('{PG_CONFIG}', "
            f"CASE WHEN e.kind = %s THEN e.{SNIPPET_COLUMN_FOR_THEME} ELSE e.{SNIPPET_COLUMN} END, q.query, %s) "
            "FROM reviews_searchentry e CROSS JOIN (SELECT %s::tsquery AS query) AS q "
            f"WHERE e.id IN ({', '.join(['%s'] * len(ids))})"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [TITLE_HEADLINE, SearchEntry.Kind.THEME, SNIPPET_HEADLINE, compiled.rank, *ids])
            return {row[0]: (row[1], row[2]) for row in cursor.fetchall()}

    def similar_words(self, words: Sequence[str]) -> dict[str, str]:
        unknown = self.unknown_words(words)
        found = {}
        with transaction.atomic(), connection.cursor() as cursor:
            # Candidates from the trigram index, with a looser threshold than
            # pg_trgm's 0.3 (a swapped pair of letters costs many trigrams);
            # SET LOCAL ends with this transaction.
            cursor.execute("SET LOCAL pg_trgm.similarity_threshold = %s", [CANDIDATE_SIMILARITY])
            for word in unknown:
                cursor.execute(
                    "SELECT word FROM reviews_searchword WHERE word %% %s "
                    "ORDER BY similarity(word, %s) DESC, word LIMIT 20",
                    [word, word],
                )
                best = self.closest(word, [row[0] for row in cursor.fetchall()])
                if best:
                    found[word] = best
        return found

    def similar_theme_ids(self, text: str, *, limit: int) -> list[int]:
        scored: dict[int, float] = {}
        themes = Theme.objects.annotate(
            similarity=Greatest(TrigramSimilarity("name", text), TrigramWordSimilarity(text, "name"))
        ).filter(similarity__gte=THEME_SIMILARITY)
        for pk, similarity in themes.values_list("pk", "similarity"):
            scored[pk] = max(scored.get(pk, 0.0), similarity)
        aliases = ThemeAlias.objects.annotate(
            similarity=Greatest(TrigramSimilarity("name", text), TrigramWordSimilarity(text, "name"))
        ).filter(similarity__gte=THEME_SIMILARITY)
        for theme_id, similarity in aliases.values_list("theme_id", "similarity"):
            scored[theme_id] = max(scored.get(theme_id, 0.0), similarity)
        return [pk for pk, _ in sorted(scored.items(), key=lambda item: (-item[1], item[0]))][:limit]

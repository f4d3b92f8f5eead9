r"""PostgreSQL: weighted tsvector, GIN index, websearch_to_tsquery, ts_rank, ts_headline, pg_trgm.

Each term of the parsed query becomes a ``websearch_to_tsquery('english', ...)``
call (so stemming and phrase handling are PostgreSQL's own), combined with
``&&``, ``||`` and ``!!``. The combined tsquery is computed once, in its own
small statement, and every later statement gets it as a constant: the
planner then estimates how many rows it matches from the column statistics,
and nothing re-parses it per row.

The English configuration drops common words, also from phrases: inside a
phrase it still counts their positions (``"safety of the child"`` is
``'safeti' <3> 'child'``), but at either end they are lost, so that
``"follow through"`` would be just ``'follow'``. Such phrases are checked
again, on the rows the GIN index found for the other words only, against
the entry's text as written, with a regular expression (``written.py``; it
costs a fifth of ``to_tsvector('simple', ...)`` per row, and ranking may run
it on every candidate). ``written.py`` also mends ts_headline's marks.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import contextmanager

from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity
from django.db import connection, transaction
from django.db.models import QuerySet
from django.db.models.functions import Greatest

from ...models import SearchEntry, Theme, ThemeAlias
from ...text import STOP_WORDS
from ..indexing import HIGHLIGHT_START, HIGHLIGHT_STOP
from ..labels import VALUE_GAP
from ..query import ParsedQuery, Term
from ..schema import (
    OWN_WEIGHTS,
    PG_CONFIG,
    PG_RANK_WEIGHTS,
    SNIPPET_COLUMN,
    SNIPPET_COLUMN_FOR_THEME,
    VALUES_COLUMN,
    VALUES_COLUMN_FOR_THEME,
)
from . import base
from .base import Backend, Compiled, Filters, Highlights
from .written import refine_marks, term_patterns

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
# Vocabulary words a mistyped word is compared with (the most similar by trigrams).
WORD_CANDIDATES = 20
# Every lexeme of a tsquery's text form ('escal' <-> 'polici'), to restrict it to some weights.
_LEXEME = r"'(?:[^']|'')*'"
# The entry's text as written, its columns kept apart as values are (labels.py).
_WRITTEN = "concat_ws(%s, e.text_a, e.text_b, e.text_c, e.text_d)"


def _has_published_word() -> str:
    """True when a published entry has the word (the parameter, given twice) as written, in
    a column that may match on its own, as ``indexing._VOCABULARY_WORD`` finds words: the
    GIN index finds the rows with its stem, and a regular expression checks them for the
    word itself. Words hold only letters (the vocabulary's and ``unknown_words``): nothing
    in them to escape."""
    return (
        "EXISTS (SELECT 1 FROM reviews_searchentry e WHERE e.is_published "
        f"AND e.search_vector @@ plainto_tsquery('{PG_CONFIG}', %s) "
        "AND concat_ws(' ', e.text_a, e.text_b, e.text_c) ~* ('(^|[^[:alpha:]])' || %s || '($|[^[:alpha:]])'))"
    )


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


def _in_own_columns(sql: str, params: list) -> tuple[str, list]:
    """The tsquery with every lexeme restricted to the columns that may match on their own."""
    return f"regexp_replace(({sql})::text, %s, %s, 'g')::tsquery", [*params, _LEXEME, rf"\&:{OWN_WEIGHTS}"]


def _clause_count(clauses: Sequence[tuple[str, tuple]]) -> tuple[str, list]:
    """How many of the clauses an entry matches."""
    sql = "(" + " + ".join(f"({clause})::int" for clause, _ in clauses) + ")"
    return sql, [param for _, params in clauses for param in params]


class PostgreSQLBackend(Backend):
    vendor = "postgresql"

    def compile(self, parsed: ParsedQuery) -> Compiled:
        """Compute the tsqueries in one statement; phrases with common words at
        their ends also get the stems of their other words, for the second check."""
        phrase_checked = parsed.phrase is not None and parsed.phrase.has_common_words_at_ends
        checked = list(
            dict.fromkeys(
                term
                for term in (*parsed.positive_terms, *parsed.excluded, *([parsed.phrase] if phrase_checked else []))
                if term.has_common_words_at_ends
            )
        )
        # Stems of every word searched for: to check phrases and to refine highlights.
        stem_words = list(
            dict.fromkeys(
                word
                for term in (*parsed.positive_terms, *checked, *([parsed.phrase] if parsed.phrase else []))
                for word in term.words
                if word not in STOP_WORDS
            )
        )
        clauses = [_any_sql(clause.terms) for clause in parsed.clauses]
        joiner = " || " if parsed.relaxed else " && "
        positive = "(" + joiner.join(sql for sql, _ in clauses) + ")"
        positive_params = [param for _, params in clauses for param in params]
        # Exclusions whose English form is shorter than the phrase would leave out
        # too much: they are applied with their check instead (conditions below).
        excluded = [term for term in parsed.excluded if term not in checked]
        whole, whole_params = positive, positive_params
        if excluded:
            excluded_sql, excluded_params = _any_sql(excluded)
            whole, whole_params = f"({positive} && !!{excluded_sql})", positive_params + excluded_params
        own_sql, own_params = _in_own_columns(*_any_sql(parsed.positive_terms))
        if len(parsed.clauses) == 1 or parsed.relaxed:
            # Any term in an own column is then a match already: the shorter
            # tsquery has half the lexemes for the GIN index to look up.
            match, match_params = own_sql, own_params
            if excluded:
                match, match_params = f"({own_sql} && !!{excluded_sql})", own_params + excluded_params
        else:
            match, match_params = f"({whole} && {own_sql})", whole_params + own_params
        # Columns: match, rank, phrase, narrow, then one per clause, one per
        # checked term, and the stem of each word.
        selects = [(match, match_params), (positive, positive_params)]
        selects.append(_term_sql(parsed.phrase) if parsed.phrase else ("''", []))
        if parsed.has_broader_terms and not parsed.relaxed:
            narrow = [_any_sql(clause.narrow_terms) for clause in parsed.clauses]
            selects.append(("(" + " && ".join(sql for sql, _ in narrow) + ")", [p for _, ps in narrow for p in ps]))
        else:
            selects.append(("''", []))
        selects.extend(clauses)
        selects.extend(_term_sql(term) for term in checked)
        selects.extend(("array_to_string(ts_lexize('english_stem', %s), ' ')", [word]) for word in stem_words)
        sql = "SELECT (SELECT COALESCE(MAX(rebuilt_up_to), 0) FROM reviews_searchindexstate), " + ", ".join(
            f"({expression})::text" for expression, _ in selects
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [param for _, params in selects for param in params])
            boundary, match, rank, phrase, narrow_query, *rest = cursor.fetchone()
        clause_queries = rest[: len(clauses)]
        checked_queries = dict(zip(checked, rest[len(clauses) : len(clauses) + len(checked)], strict=True))
        stems = dict(zip(stem_words, rest[len(clauses) + len(checked) :], strict=True))

        written = {term: term_patterns(term, stems) for term in checked}

        def written_sql(term: Term) -> tuple[str, tuple]:
            return f"({_WRITTEN} ~* %s)", (VALUE_GAP, written[term][0])

        def term_sql(term: Term) -> tuple[str, tuple]:
            sql_part, params = written_sql(term)
            return f"(e.search_vector @@ %s::tsquery AND {sql_part})", (checked_queries[term], *params)

        # Each clause as a condition: its tsquery, or when some of its phrases
        # need the check, the others' tsquery or each of those with its check.
        clause_sqls = []
        for clause, query in zip(parsed.clauses, clause_queries, strict=True):
            needing = [term for term in clause.terms if term in written]
            if not needing:
                clause_sqls.append(("e.search_vector @@ %s::tsquery", (query,)))
                continue
            parts, params = [], []
            others = [term for term in clause.terms if term not in written]
            if others:
                # The clause's tsquery less the checked phrases, written out again.
                other_sql, other_params = _any_sql(others)
                parts.append(f"e.search_vector @@ {other_sql}")
                params.extend(other_params)
            for term in needing:
                sql_part, term_params = term_sql(term)
                parts.append(sql_part)
                params.extend(term_params)
            clause_sqls.append(("(" + " OR ".join(parts) + ")", tuple(params)))
        conditions = []
        if not parsed.relaxed:
            for clause_sql, clause in zip(clause_sqls, parsed.clauses, strict=True):
                if clause.terms == (clause.terms[0],) and clause.terms[0] in written:
                    # The match has the phrase's other words already: only the check is left.
                    conditions.append(written_sql(clause.terms[0]))
                elif any(term in written for term in clause.terms):
                    conditions.append(clause_sql)
        for term in parsed.excluded:
            if term in written:
                sql_part, term_params = term_sql(term)
                conditions.append((f"NOT {sql_part}", term_params))
        # The typed words as a phrase are marked whole too, where they are together.
        # Marks need refining only when a phrase has a common word (ts_headline
        # leaves it unmarked) or a word not searched for on its own (ts_headline
        # marks it everywhere); else they stand, and neighbours merge (highlight.py).
        highlighted = [*parsed.positive_terms, *([parsed.phrase] if parsed.phrase else [])]
        alone = {term.words[0] for term in parsed.positive_terms if not term.is_phrase}
        refine = any(
            word in STOP_WORDS or word not in alone for term in highlighted if term.is_phrase for word in term.words
        )
        patterns = {term: term_patterns(term, stems)[1] for term in highlighted} if refine else {}
        return Compiled(
            parsed=parsed,
            match=match,
            rank=rank,
            phrase=phrase,
            narrow=narrow_query,
            clauses=tuple(clause_queries),
            boundary=boundary,
            conditions=tuple(conditions),
            clause_sqls=tuple(clause_sqls),
            phrase_check=term_sql(parsed.phrase) if phrase_checked else None,
            word_patterns=tuple(pattern for term, pattern in patterns.items() if not term.is_phrase),
            phrase_patterns=tuple(pattern for term, pattern in patterns.items() if term.is_phrase),
        )

    def match_sql(self, compiled: Compiled) -> tuple[str, list]:
        sql, params = "e.search_vector @@ %s::tsquery", [compiled.match]
        for condition, condition_params in compiled.conditions:
            sql += f" AND {condition}"
            params += condition_params
        needed = compiled.parsed.min_matches
        if compiled.parsed.relaxed and needed > 1:
            count, count_params = _clause_count(compiled.clause_sqls)
            sql += f" AND {count} >= %s"
            params += [*count_params, needed]
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
        return "ts_rank(%s::float4[], x.score_source, %s::tsquery)", [PG_RANK_WEIGHTS, compiled.rank]

    def match_tier_sqls(self, compiled: Compiled) -> list[tuple[str, list]]:
        tiers = []
        if compiled.parsed.relaxed and compiled.clause_sqls:
            tiers.append(_clause_count(compiled.clause_sqls))
        if compiled.narrow:
            tiers.append(("(e.search_vector @@ %s::tsquery)::int", [compiled.narrow]))
        if compiled.phrase_check:
            sql, params = compiled.phrase_check
            tiers.append((f"({sql})::int", list(params)))
        elif compiled.phrase:
            tiers.append(("(e.search_vector @@ %s::tsquery)::int", [compiled.phrase]))
        return tiers

    def highlights(self, compiled: Compiled, ids: Sequence[int]) -> dict[int, Highlights]:
        """ts_headline reads the whole text it is given, so the heading and the values
        (a review may have dozens) are only highlighted when their weight in the vector
        matches (``ts_filter`` reads the stored vector, no text); a theme's aliases always."""
        if not ids:
            return {}
        theme = "e.kind = %s"
        sql = (
            f"SELECT e.id, ts_headline('{PG_CONFIG}', e.title, q.query, %s), "
            f"CASE WHEN ts_filter(e.search_vector, '{{a}}') @@ q.query "
            f"THEN ts_headline('{PG_CONFIG}', e.text_a, q.query, %s) ELSE e.text_a END, "
            f"ts_headline('{PG_CONFIG}', "
            f"CASE WHEN {theme} THEN e.{SNIPPET_COLUMN_FOR_THEME} ELSE e.{SNIPPET_COLUMN} END, q.query, %s), "
            f"CASE WHEN {theme} THEN ts_headline('{PG_CONFIG}', e.{VALUES_COLUMN_FOR_THEME}, q.query, %s) "
            f"WHEN ts_filter(e.search_vector, '{{c}}') @@ q.query "
            f"THEN ts_headline('{PG_CONFIG}', e.{VALUES_COLUMN}, q.query, %s) ELSE '' END "
            "FROM reviews_searchentry e CROSS JOIN (SELECT %s::tsquery AS query) AS q "
            f"WHERE e.id IN ({', '.join(['%s'] * len(ids))})"
        )
        kind = SearchEntry.Kind.THEME
        params = [
            TITLE_HEADLINE,
            TITLE_HEADLINE,
            kind,
            SNIPPET_HEADLINE,
            kind,
            TITLE_HEADLINE,
            TITLE_HEADLINE,
            compiled.rank,
            *ids,
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        words, phrases = compiled.word_patterns, compiled.phrase_patterns
        return {
            row[0]: Highlights(*(refine_marks(text, words, phrases) if phrases else text for text in row[1:]))
            for row in rows
        }

    def similar_words(self, words: Sequence[str]) -> dict[str, str]:
        unknown = self.unknown_words(words)
        found = {}
        # For the public, words of published entries only (see ``SearchWord``).
        public = "AND is_published " if self.published_only else ""
        with transaction.atomic(), connection.cursor() as cursor:
            # Candidates from the trigram index, with a looser threshold than
            # pg_trgm's 0.3 (a swapped pair of letters costs many trigrams);
            # SET LOCAL ends with this transaction.
            cursor.execute("SET LOCAL pg_trgm.similarity_threshold = %s", [CANDIDATE_SIMILARITY])
            for word in unknown:
                cursor.execute(
                    f"SELECT word FROM reviews_searchword WHERE word %% %s {public}"
                    f"ORDER BY similarity(word, %s) DESC, word LIMIT {WORD_CANDIDATES}",
                    [word, word],
                )
                best = self.closest(word, [row[0] for row in cursor.fetchall()])
                if best:
                    found[word] = best
        return found

    def has_published_word_sql(self, word: str) -> tuple[str, list]:
        return _has_published_word(), [word, word]

    def similar_theme_ids(self, text: str, *, limit: int, among: QuerySet[Theme]) -> list[int]:
        scored: dict[int, float] = {}
        themes = among.annotate(
            similarity=Greatest(TrigramSimilarity("name", text), TrigramWordSimilarity(text, "name"))
        ).filter(similarity__gte=THEME_SIMILARITY)
        for pk, similarity in themes.values_list("pk", "similarity"):
            scored[pk] = max(scored.get(pk, 0.0), similarity)
        aliases = (
            ThemeAlias.objects.filter(theme__in=among)
            .annotate(similarity=Greatest(TrigramSimilarity("name", text), TrigramWordSimilarity(text, "name")))
            .filter(similarity__gte=THEME_SIMILARITY)
        )
        for theme_id, similarity in aliases.values_list("theme_id", "similarity"):
            scored[theme_id] = max(scored.get(theme_id, 0.0), similarity)
        return [pk for pk, _ in sorted(scored.items(), key=lambda item: (-item[1], item[0]))][:limit]

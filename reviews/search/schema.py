"""The database side of the search index, for each vendor.

``SearchEntry`` rows (``reviews/models/search.py``) are the one source of
truth; each database derives its full-text index from them with triggers, so
every way of writing an entry (a signal, a bulk rebuild, ``loaddata``) keeps
the index in step:

- PostgreSQL: a ``BEFORE INSERT OR UPDATE`` trigger computes the weighted
  ``search_vector`` (English stemming) and a GIN index serves ``@@``; a
  trigram index on ``SearchWord.word`` serves "did you mean" suggestions.
- SQLite: two FTS5 tables with the porter stemmer, using the entry table as
  their external content, kept in step by insert/update/delete triggers: one
  of every entry (staff), one of the published entries only (the public;
  bm25's corpus statistics must not count drafts, see ``SQLITE_INSTALL_PUBLIC``).

Installed by migration ``0003_search`` (the table of published entries by
``0022_search_public_index``). ``install()`` is idempotent, and
``manage.py rebuild_search_index`` runs it too, so an index whose triggers
were lost (e.g. a SQLite table rebuild by a later migration) is repaired.
"""

from __future__ import annotations

# Text-search configuration shared by the trigger and every query.
PG_CONFIG = "english"
FTS_TABLE = "reviews_searchentry_fts"
PUBLIC_FTS_TABLE = "reviews_searchentry_public_fts"

# Weight per column, best first. PostgreSQL labels them A-D; SQLite's bm25()
# takes one multiplier per column in the same order, and so does ts_rank
# (``PG_RANK_WEIGHTS``). D is context (an item's review title) and counts
# for little; PostgreSQL's default would be 0.1.
WEIGHTED_COLUMNS = (("text_a", "A", 1.0), ("text_b", "B", 0.4), ("text_c", "C", 0.2), ("text_d", "D", 0.05))
# The columns that can make an entry match on their own: not D (see indexing.py).
OWN_COLUMNS = ("text_a", "text_b", "text_c")
OWN_WEIGHTS = "".join(label for column, label, _ in WEIGHTED_COLUMNS if column in OWN_COLUMNS)
# ts_rank's weights array is in the order D, C, B, A.
PG_RANK_WEIGHTS = "{" + ", ".join(str(weight) for _, _, weight in reversed(WEIGHTED_COLUMNS)) + "}"
# FTS5 also indexes the displayed title, with no weight, so that highlight()
# can mark matches in it (PostgreSQL's ts_headline needs no index). It only
# repeats words the weighted columns already hold.
FTS_COLUMNS = (*(column for column, _, _ in WEIGHTED_COLUMNS), "title")
FTS_TITLE_COLUMN = FTS_COLUMNS.index("title")

# Where a result's snippet comes from: a theme's summary, anything else's own
# text; and its column of separate values (see labels.py), shown when it
# says why the entry matched: a theme's aliases, anything else's themes and details.
SNIPPET_COLUMN_FOR_THEME = "text_c"
SNIPPET_COLUMN = "text_b"
VALUES_COLUMN_FOR_THEME = "text_b"
VALUES_COLUMN = "text_c"
FTS_BM25_WEIGHTS = (*(weight for _, _, weight in WEIGHTED_COLUMNS), 0.0)

_PG_VECTOR = " || ".join(
    f"setweight(to_tsvector('{PG_CONFIG}', coalesce(NEW.{column}, '')), '{weight}')"
    for column, weight, _ in WEIGHTED_COLUMNS
)
_TEXT_COLUMNS = ", ".join(column for column, _, _ in WEIGHTED_COLUMNS)
_FTS_COLUMNS = ", ".join(FTS_COLUMNS)
_NEW_VALUES = ", ".join(f"new.{column}" for column in FTS_COLUMNS)
_OLD_VALUES = ", ".join(f"old.{column}" for column in FTS_COLUMNS)

POSTGRESQL_INDEXES = [
    "CREATE INDEX IF NOT EXISTS searchentry_vector_gin ON reviews_searchentry USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS searchword_word_trgm ON reviews_searchword USING gin (word gin_trgm_ops)",
]

POSTGRESQL_INSTALL = [
    # Trigram similarity for "did you mean". A trusted extension: the database's
    # owner may create it. Left in place when migrating backwards.
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"""
    CREATE OR REPLACE FUNCTION reviews_searchentry_vector() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_vector := {_PG_VECTOR};
        RETURN NEW;
    END
    $$
    """,
    "DROP TRIGGER IF EXISTS reviews_searchentry_vector_update ON reviews_searchentry",
    f"""
    CREATE TRIGGER reviews_searchentry_vector_update
    BEFORE INSERT OR UPDATE OF {_TEXT_COLUMNS} ON reviews_searchentry
    FOR EACH ROW EXECUTE FUNCTION reviews_searchentry_vector()
    """,
    *POSTGRESQL_INDEXES,
]

POSTGRESQL_UNINSTALL = [
    "DROP INDEX IF EXISTS searchword_word_trgm",
    "DROP INDEX IF EXISTS searchentry_vector_gin",
    "DROP TRIGGER IF EXISTS reviews_searchentry_vector_update ON reviews_searchentry",
    "DROP FUNCTION IF EXISTS reviews_searchentry_vector()",
]


def _sqlite_fts_table(table: str) -> str:
    return f"""
    CREATE VIRTUAL TABLE IF NOT EXISTS {table} USING fts5(
        {_FTS_COLUMNS},
        content='reviews_searchentry', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """


# Every entry, for staff.
SQLITE_INSTALL_ALL = [
    _sqlite_fts_table(FTS_TABLE),
    f"""
    CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_insert AFTER INSERT ON reviews_searchentry BEGIN
        INSERT INTO {FTS_TABLE}(rowid, {_FTS_COLUMNS}) VALUES (new.id, {_NEW_VALUES});
    END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_delete AFTER DELETE ON reviews_searchentry BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {_FTS_COLUMNS}) VALUES ('delete', old.id, {_OLD_VALUES});
    END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_update AFTER UPDATE OF {_FTS_COLUMNS} ON reviews_searchentry BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {_FTS_COLUMNS}) VALUES ('delete', old.id, {_OLD_VALUES});
        INSERT INTO {FTS_TABLE}(rowid, {_FTS_COLUMNS}) VALUES (new.id, {_NEW_VALUES});
    END
    """,
]

# Published entries only, for the public: bm25() weighs a word by how many of
# the table's rows have it and by their average length, so public searches
# must rank against a table without drafts, or adding a draft would reorder
# what the public sees. Triggers with WHEN clauses keep just those rows;
# publishing or unpublishing an entry (an UPDATE of ``is_published``, as
# migration 0014 does) moves it in or out. FTS5's 'rebuild' command must never
# be used on it: it would read every row of the content table.
SQLITE_INSTALL_PUBLIC = [
    _sqlite_fts_table(PUBLIC_FTS_TABLE),
    f"""
    CREATE TRIGGER IF NOT EXISTS {PUBLIC_FTS_TABLE}_insert AFTER INSERT ON reviews_searchentry
    WHEN new.is_published BEGIN
        INSERT INTO {PUBLIC_FTS_TABLE}(rowid, {_FTS_COLUMNS}) VALUES (new.id, {_NEW_VALUES});
    END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS {PUBLIC_FTS_TABLE}_delete AFTER DELETE ON reviews_searchentry
    WHEN old.is_published BEGIN
        INSERT INTO {PUBLIC_FTS_TABLE}({PUBLIC_FTS_TABLE}, rowid, {_FTS_COLUMNS})
        VALUES ('delete', old.id, {_OLD_VALUES});
    END
    """,
    # One trigger, so that the old row always leaves before the new one arrives.
    f"""
    CREATE TRIGGER IF NOT EXISTS {PUBLIC_FTS_TABLE}_update
    AFTER UPDATE OF {_FTS_COLUMNS}, is_published ON reviews_searchentry BEGIN
        INSERT INTO {PUBLIC_FTS_TABLE}({PUBLIC_FTS_TABLE}, rowid, {_FTS_COLUMNS})
        SELECT 'delete', old.id, {_OLD_VALUES} WHERE old.is_published;
        INSERT INTO {PUBLIC_FTS_TABLE}(rowid, {_FTS_COLUMNS}) SELECT new.id, {_NEW_VALUES} WHERE new.is_published;
    END
    """,
]

SQLITE_INSTALL = SQLITE_INSTALL_ALL + SQLITE_INSTALL_PUBLIC

SQLITE_UNINSTALL_PUBLIC = [
    f"DROP TRIGGER IF EXISTS {PUBLIC_FTS_TABLE}_update",
    f"DROP TRIGGER IF EXISTS {PUBLIC_FTS_TABLE}_delete",
    f"DROP TRIGGER IF EXISTS {PUBLIC_FTS_TABLE}_insert",
    f"DROP TABLE IF EXISTS {PUBLIC_FTS_TABLE}",
]

SQLITE_UNINSTALL = [
    *SQLITE_UNINSTALL_PUBLIC,
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_update",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_delete",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_insert",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]


def _statements(vendor: str, *, install: bool) -> list[str]:
    if vendor == "postgresql":
        return POSTGRESQL_INSTALL if install else POSTGRESQL_UNINSTALL
    if vendor == "sqlite":
        return SQLITE_INSTALL if install else SQLITE_UNINSTALL
    return []


def install(connection, *, indexes: bool = True) -> None:
    """Create (or repair) the vendor's index structures. Safe to run again.

    ``indexes=False`` leaves out PostgreSQL's GIN indexes, for a bulk load
    that builds them afterwards.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and indexes:
            # Building a large GIN index needs more memory than a session's default.
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for statement in _statements(connection.vendor, install=True):
            if indexes or statement not in POSTGRESQL_INDEXES:
                cursor.execute(statement)


def uninstall(connection) -> None:
    """Drop the vendor's index structures (migrating backwards)."""
    with connection.cursor() as cursor:
        for statement in _statements(connection.vendor, install=False):
            cursor.execute(statement)


def install_public_sqlite_index(connection) -> None:
    """SQLite: (re)create the FTS5 table of published entries and fill it from the
    entries already written (migration ``0022``). Safe to run again."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for statement in SQLITE_UNINSTALL_PUBLIC:
            cursor.execute(statement)
        cursor.execute(_sqlite_fts_table(PUBLIC_FTS_TABLE))
        cursor.execute(
            f"INSERT INTO {PUBLIC_FTS_TABLE}(rowid, {_FTS_COLUMNS}) "
            f"SELECT id, {_FTS_COLUMNS} FROM reviews_searchentry WHERE is_published"
        )
        for statement in SQLITE_INSTALL_PUBLIC[1:]:
            cursor.execute(statement)


def uninstall_public_sqlite_index(connection) -> None:
    """SQLite: drop the FTS5 table of published entries (migrating back before ``0022``)."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for statement in SQLITE_UNINSTALL_PUBLIC:
            cursor.execute(statement)

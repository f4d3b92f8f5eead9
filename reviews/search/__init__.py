"""Full-text search across the knowledge base, on PostgreSQL and on SQLite.

Reviews, themes (with their aliases), learning points, recommendations and
actions are flattened into ``SearchEntry`` rows (``reviews/models/search.py``)
whose text each database indexes its own way: a weighted, stemmed
``tsvector`` with a GIN index on PostgreSQL, an FTS5 table with the porter
stemmer on SQLite (``schema.py``). People type the syntax they know from web
search (``"exact phrase"``, ``-word``, ``or``); ``query.py`` parses it once
and each backend (``backends/``) compiles it safely.

Modules:

- ``query``: parsing what people type; ``synonyms``: practitioners' words
  (and broader ones: "co-sleeping" also finds safe sleeping learning).
- ``indexing``: writing entries (``index``, ``remove``, ``rebuild``);
  ``labels``: columns of separate values (theme names, aliases, tags) that
  no phrase can run across, and that say why a result matched.
- ``signals``: receivers that keep the index current on every save, delete
  and many-to-many change (connected in ``ReviewsConfig.ready``).
- ``selectors``: ``search_knowledge_base`` for the search page; ``results``:
  what each result shows (its title, section, snippet, why it matched).
- ``backends``: PostgreSQL (with ``written``: phrases as written) and SQLite;
  ``highlight``: safe snippets.

The public API, for other parts of the site:

``matching_ids(model, query, *, limit=1000) -> list[int]``
    Primary keys of ``model`` objects (``Review``, ``Theme``,
    ``LearningPoint``, ``Recommendation``, ``Action``) matching ``query``,
    best first, drafts included. For staff tools, e.g. an admin search box::

        def get_search_results(self, request, queryset, search_term):
            if not search_term:
                return queryset, False
            return queryset.filter(pk__in=search.matching_ids(self.model, search_term)), False

``index(model, ids)`` / ``remove(model, ids)``
    Re-index (or drop) objects after writes that send no signals
    (``QuerySet.update()``, ``bulk_create()``, raw SQL). Saves, deletes and
    many-to-many changes are picked up automatically.

``rebuild()``
    Rebuild the whole index (``manage.py rebuild_search_index``).
"""

from .indexing import index, rebuild, remove
from .selectors import matching_ids, search_knowledge_base

__all__ = ["index", "matching_ids", "rebuild", "remove", "search_knowledge_base"]

"""The search index: one row per searchable thing, kept by ``reviews.search``.

Reviews, themes, learning points, recommendations and actions are flattened
into ``SearchEntry`` rows holding exactly what search needs: four weighted
text columns, what a result shows, what facets filter on, and whether the
public may see it. The rows are written only by ``reviews.search.indexing``
(signals on every content change, and ``manage.py rebuild_search_index``).

Each database derives its full-text index from these rows in migration
``0003_search`` (see ``reviews.search.schema``):

- PostgreSQL: ``search_vector`` is filled by a trigger from the weighted
  columns (English stemming) and has a GIN index. It is a plain
  ``SearchVectorField`` rather than a ``GeneratedField``, which would break
  ``migrate`` on SQLite.
- SQLite: an FTS5 table ``reviews_searchentry_fts`` (porter stemming, bm25)
  mirrors the text columns through triggers, and ``reviews_searchentry_public_fts``
  the published entries' only, for the public's searches (bm25 weighs words by
  the rows of its table, which must not include drafts; migration ``0022``);
  ``search_vector`` stays empty.

The GIN and trigram indexes are created by SQL in that migration, not
declared in ``Meta.indexes``: SQLite cannot create them, and a table rebuild
there would try to.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models

from .common import PublishableQuerySet
from .publishers import Partnership
from .reviews import Review
from .themes import Theme


class SearchEntryQuerySet(PublishableQuerySet):
    """Entries the public may find: the ``is_published`` flag is copied from each
    object's own ``published()`` queryset when the entry is written."""

    publication_field = "is_published"
    published_value = True


class SearchEntry(models.Model):
    """One searchable object, flattened for the full-text index."""

    class Kind(models.TextChoices):
        # The values are also the ``type`` parameter of the search page's URL.
        REVIEW = "review", "Review"
        THEME = "theme", "Theme"
        LEARNING_POINT = "learning-point", "Learning point"
        RECOMMENDATION = "recommendation", "Recommendation"
        ACTION = "action", "Action"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField(help_text="Primary key of the indexed object.")
    is_published = models.BooleanField(
        default=False, help_text="Whether the public may find it; staff find drafts too."
    )
    title = models.CharField(max_length=300, help_text="The result's heading.")
    subtitle = models.CharField(
        max_length=300, blank=True, help_text="A short detail line, e.g. who it is addressed to."
    )
    url = models.CharField(max_length=500, help_text="The object's address, with its #anchor.")
    review = models.ForeignKey(
        Review,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="The review the object belongs to (a review's own entry points at itself).",
    )
    partnership = models.ForeignKey(Partnership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    themes = models.ManyToManyField(Theme, through="SearchEntryTheme", related_name="+", blank=True)
    # The text to search, plain (Markdown stripped), by weight, A best. What
    # goes where is listed in ``reviews/search/indexing.py``: for most kinds
    # A is the title, B the text itself, C its themes' names and aliases, D
    # the rest; for a theme, A its name, B its aliases, C its summary.
    text_a = models.TextField(blank=True)
    text_b = models.TextField(blank=True)
    text_c = models.TextField(blank=True)
    text_d = models.TextField(blank=True)
    search_vector = SearchVectorField(null=True, editable=False)

    objects = SearchEntryQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "object_id"]
        verbose_name_plural = "search entries"
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="searchentry_one_per_object"),
        ]
        indexes = [
            # A year filter combines with the full-text index (see reviews/search/backends/base.py).
            models.Index(fields=["year"], name="searchentry_year_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"

    def get_absolute_url(self):
        return self.url


class SearchEntryTheme(models.Model):
    """A theme an entry is filed under, for the theme facet.

    A theme's own entry is filed under itself; a review's under the themes of
    its learning points, recommendations and actions.
    """

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="entry_themes")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["entry", "theme"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "theme"], name="searchentrytheme_unique"),
        ]

    def __str__(self):
        return f"{self.entry} – {self.theme}"


class SearchWord(models.Model):
    """A word that occurs in the indexed text, for "did you mean" suggestions.

    Words are added as content is indexed, drafts' words too; ``rebuild_search_index``
    drops words no longer used and marks exactly those of published entries.
    Staff get suggestions from every word. For the public the candidates are the
    marked words, and a word counts only where a published entry still has it as
    written, checked against the index when suggesting (``Backend.published_words``):
    a word only a draft has is never known or suggested to the public. A
    suggestion is only offered after checking that it finds something the person
    may see.
    """

    word = models.CharField(max_length=40, unique=True)
    is_published = models.BooleanField(
        default=False,
        help_text="Whether a published entry had the word when it was written (it may no longer: until a "
        "rebuild, a word stays marked after its entries are unpublished or deleted).",
    )

    class Meta:
        ordering = ["word"]

    def __str__(self):
        return self.word


class SearchIndexState(models.Model):
    """When the search index was last rebuilt, and the last entry that rebuild wrote.

    One row at most. A rebuild writes entries in a meaningful order (most
    recent first), which PostgreSQL searches use to bound their work; entries
    with a higher id were written since (see ``reviews/search/backends/base.py``).
    """

    rebuilt_up_to = models.PositiveBigIntegerField(help_text="The highest entry id written by the last rebuild.")
    rebuilt_at = models.DateTimeField()

    class Meta:
        ordering = ["-rebuilt_at"]
        verbose_name = "search index state"

    def __str__(self):
        return f"Search index rebuilt {self.rebuilt_at:%Y-%m-%d %H:%M}"

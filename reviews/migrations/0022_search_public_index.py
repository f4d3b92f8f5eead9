"""Search for the public without drafts: SQLite's FTS5 table of published entries, and the words of published entries.

- SQLite: bm25() ranks a match by how many rows of its FTS5 table have each
  word and by their average length, so while the public's searches read the
  one table of every entry, adding a draft changed the order (and snippets)
  of what the public found. Public searches now read a table of published
  entries only, kept in step by its own triggers (``reviews.search.schema``);
  staff searches still read the table of every entry. This creates it and
  fills it from the entries already written. Nothing to do on PostgreSQL,
  whose ts_rank scores each entry on its own.
- ``SearchWord.is_published`` marks the words of published entries, the only
  candidates for the public's "did you mean". Marked here from the entries
  already written, with the rule ``reviews.search.indexing`` uses (a run of
  3 to 30 letters in the columns that may match on their own), as
  ``manage.py rebuild_search_index`` would.
"""

import re

from django.db import migrations, models

from reviews.search import schema

# As reviews.search.indexing._VOCABULARY_WORD, frozen here.
VOCABULARY_WORD = re.compile(r"[^\W\d_]{3,30}")
BATCH = 500


def install_public_index(apps, schema_editor):
    schema.install_public_sqlite_index(schema_editor.connection)


def uninstall_public_index(apps, schema_editor):
    schema.uninstall_public_sqlite_index(schema_editor.connection)


def mark_published_words(apps, schema_editor):
    SearchEntry = apps.get_model("reviews", "SearchEntry")
    SearchWord = apps.get_model("reviews", "SearchWord")
    words = set()
    rows = SearchEntry.objects.filter(is_published=True).values_list("text_a", "text_b", "text_c")
    for columns in rows.iterator(chunk_size=2000):
        for text in columns:
            words.update(word.lower() for word in VOCABULARY_WORD.findall(text))
    words = sorted(words)
    for start in range(0, len(words), BATCH):
        SearchWord.objects.filter(word__in=words[start : start + BATCH]).update(is_published=True)


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0021_moved_entries_and_signpost_resources"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchword",
            name="is_published",
            field=models.BooleanField(
                default=False,
                help_text="Whether a published entry had the word when it was written (it may no longer: until a "
                "rebuild, a word stays marked after its entries are unpublished or deleted).",
            ),
        ),
        migrations.RunPython(mark_published_words, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(install_public_index, uninstall_public_index, elidable=False),
    ]

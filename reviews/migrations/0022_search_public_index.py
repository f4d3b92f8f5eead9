"""SQLite: a second FTS5 table holding only the published search entries.

bm25() ranks a match by how many rows of its FTS5 table have each word and
by their average length, so while the public's searches read the one table
of every entry, adding a draft changed the order (and snippets) of what the
public found. Public searches now read a table of published entries only,
kept in step by its own triggers (``reviews.search.schema``); staff searches
still read the table of every entry. This creates it and fills it from the
entries already written. Nothing to do on PostgreSQL, whose ts_rank scores
each entry on its own.
"""

from django.db import migrations

from reviews.search import schema


def install_public_index(apps, schema_editor):
    schema.install_public_sqlite_index(schema_editor.connection)


def uninstall_public_index(apps, schema_editor):
    schema.uninstall_public_sqlite_index(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0021_moved_entries_and_signpost_resources"),
    ]

    operations = [
        migrations.RunPython(install_public_index, uninstall_public_index, elidable=False),
    ]

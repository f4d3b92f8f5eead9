"""Schema changes for search index (issue 5).

The entry tables are ordinary models. The full-text index itself differs by
database and is created by ``reviews.search.schema`` (vendor-checked, both
ways; Django's own ``TrigramExtension`` operation fails backwards on SQLite):
PostgreSQL gets pg_trgm, a trigger filling the weighted ``search_vector`` and
GIN indexes; SQLite gets an FTS5 table kept in step by triggers. The index
starts empty: ``manage.py rebuild_search_index`` fills it from existing
content, and signals keep it current from then on.
"""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

from reviews.search import schema


def install_index(apps, schema_editor):
    schema.install(schema_editor.connection)


def uninstall_index(apps, schema_editor):
    schema.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("reviews", "0002_content")]

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("word", models.CharField(max_length=40, unique=True)),
            ],
            options={
                "ordering": ["word"],
            },
        ),
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("review", "Review"),
                            ("theme", "Theme"),
                            ("learning-point", "Learning point"),
                            ("recommendation", "Recommendation"),
                            ("action", "Action"),
                        ],
                        max_length=20,
                    ),
                ),
                ("object_id", models.PositiveBigIntegerField(help_text="Primary key of the indexed object.")),
                (
                    "is_published",
                    models.BooleanField(
                        default=False, help_text="Whether the public may find it; staff find drafts too."
                    ),
                ),
                ("title", models.CharField(help_text="The result's heading.", max_length=300)),
                (
                    "subtitle",
                    models.CharField(
                        blank=True, help_text="A short detail line, e.g. who it is addressed to.", max_length=300
                    ),
                ),
                ("url", models.CharField(help_text="The object's address, with its #anchor.", max_length=500)),
                ("year", models.PositiveSmallIntegerField(blank=True, null=True)),
                ("text_a", models.TextField(blank=True)),
                ("text_b", models.TextField(blank=True)),
                ("text_c", models.TextField(blank=True)),
                ("text_d", models.TextField(blank=True)),
                ("search_vector", django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
                (
                    "partnership",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="reviews.partnership",
                    ),
                ),
                (
                    "review",
                    models.ForeignKey(
                        blank=True,
                        help_text="The review the object belongs to (a review's own entry points at itself).",
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="reviews.review",
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "search entries",
                "ordering": ["kind", "object_id"],
            },
        ),
        migrations.CreateModel(
            name="SearchEntryTheme",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "entry",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="entry_themes",
                        to="reviews.searchentry",
                    ),
                ),
                (
                    "theme",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="reviews.theme"
                    ),
                ),
            ],
            options={
                "ordering": ["entry", "theme"],
            },
        ),
        migrations.AddField(
            model_name="searchentry",
            name="themes",
            field=models.ManyToManyField(
                blank=True, related_name="+", through="reviews.SearchEntryTheme", to="reviews.theme"
            ),
        ),
        migrations.AddConstraint(
            model_name="searchentrytheme",
            constraint=models.UniqueConstraint(fields=("entry", "theme"), name="searchentrytheme_unique"),
        ),
        migrations.AddConstraint(
            model_name="searchentry",
            constraint=models.UniqueConstraint(fields=("kind", "object_id"), name="searchentry_one_per_object"),
        ),
        migrations.AddIndex(
            model_name="searchentry",
            index=models.Index(fields=["year"], name="searchentry_year_idx"),
        ),
        migrations.CreateModel(
            name="SearchIndexState",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "rebuilt_up_to",
                    models.PositiveBigIntegerField(help_text="The highest entry id written by the last rebuild."),
                ),
                ("rebuilt_at", models.DateTimeField()),
            ],
            options={
                "ordering": ["-rebuilt_at"],
                "verbose_name": "search index state",
            },
        ),
        migrations.RunPython(install_index, uninstall_index, elidable=False),
    ]

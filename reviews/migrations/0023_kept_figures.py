"""Counts and relations kept in step with the content (issue 14): ``ThemeLink``, ``ThemeFigures``,
``ThemePair`` and ``ReviewFigures`` (``reviews/models/kept.py``).

On PostgreSQL, two indexes in the order lists are shown in (``review_order``: newest year first, reviews with
no year last), for published reviews and a theme's published reviews, so that any page of them is read from an
index. Django cannot declare them for both databases (SQLite refuses ``NULLS LAST`` in an index, and sorts its
few rows as fast without), so they are made here and the models do not list them.

The tables are filled from existing content after ``migrate`` (``reviews.kept.signals.fill_after_migrate``,
with the models as they are then, rather than a data migration that would have to repeat the rules at this
migration's state), and kept in step from then on; ``manage.py rebuild_kept_figures`` fills them again.
"""

import django.db.models.deletion
from django.db import migrations, models

# (name, table, columns and condition): PostgreSQL only, see above.
ORDER_INDEXES = [
    (
        "review_published_order",
        "reviews_review",
        "(year DESC NULLS LAST, published_on DESC NULLS LAST, title, id) WHERE status = 'published'",
    ),
    (
        "themelink_published_order",
        "reviews_themelink",
        "(theme_id, year DESC NULLS LAST, published_on DESC NULLS LAST, title, review_id) WHERE published",
    ),
]


def create_order_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, table, definition in ORDER_INDEXES:
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} {definition}")


def drop_order_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, _, _ in ORDER_INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ('reviews', '0022_search_public_index'),
    ]

    operations = [
        migrations.CreateModel(
            name='ThemeFigures',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('theme', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='figures', to='reviews.theme')),
                ('learning', models.PositiveIntegerField(default=0, help_text='Distinct published learning points (``distinct_learning_about``).')),
                ('recommendations', models.PositiveIntegerField(default=0)),
                ('actions', models.PositiveIntegerField(default=0)),
                ('reviews', models.PositiveIntegerField(default=0, help_text='Published reviews the theme is in.')),
                ('first_year', models.PositiveSmallIntegerField(blank=True, null=True)),
                ('last_year', models.PositiveSmallIntegerField(blank=True, null=True)),
            ],
            options={
                'verbose_name_plural': 'theme figures',
                'ordering': ['theme_id'],
            },
        ),
        migrations.CreateModel(
            name='ReviewFigures',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('review', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='figures', to='reviews.review')),
                ('published', models.BooleanField(help_text='Whether the review is published (a copy of its status).')),
                ('learning_points', models.PositiveIntegerField(default=0, help_text='Of every kind, repeats included.')),
                ('new_learning', models.PositiveIntegerField(default=0, help_text='Learning points that repeat no published learning point.')),
                ('recommendations', models.PositiveIntegerField(default=0)),
                ('actions', models.PositiveIntegerField(default=0)),
                ('last_updated', models.DateTimeField(help_text='The latest change to the review or any of its entries (``with_last_updated``).')),
            ],
            options={
                'verbose_name_plural': 'review figures',
                'ordering': ['review_id'],
                'indexes': [models.Index(fields=['published', '-last_updated', '-review'], name='reviewfigures_updated')],
            },
        ),
        migrations.CreateModel(
            name='ThemeLink',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('published', models.BooleanField(help_text='Whether the review is published (a copy of its status).')),
                ('year', models.PositiveSmallIntegerField(blank=True, null=True)),
                ('published_on', models.DateField(blank=True, null=True)),
                ('title', models.CharField(max_length=300)),
                ('case_facts', models.PositiveIntegerField(default=0)),
                ('learning_points', models.PositiveIntegerField(default=0, help_text='Of every kind, repeats included.')),
                ('distinct_learning', models.PositiveIntegerField(default=0, help_text='Learning points that repeat no published learning point on the same theme.')),
                ('recommendations', models.PositiveIntegerField(default=0)),
                ('actions', models.PositiveIntegerField(default=0)),
                ('review', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='theme_links', to='reviews.review')),
                ('theme', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='links', to='reviews.theme')),
            ],
            options={
                'ordering': ['theme_id', 'review_id'],
                'constraints': [models.UniqueConstraint(fields=('theme', 'review'), name='themelink_unique_theme_review')],
            },
        ),
        migrations.CreateModel(
            name='ThemePair',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reviews', models.PositiveIntegerField(help_text='Published reviews both themes are in.')),
                ('other', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='reviews.theme')),
                ('theme', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='pairs', to='reviews.theme')),
            ],
            options={
                'ordering': ['theme_id', '-reviews', 'other_id'],
                'constraints': [models.UniqueConstraint(fields=('theme', 'other'), name='themepair_unique_theme_other'), models.CheckConstraint(condition=models.Q(('theme', models.F('other')), _negated=True), name='themepair_two_themes')],
            },
        ),
        migrations.RunPython(create_order_indexes, drop_order_indexes),
    ]

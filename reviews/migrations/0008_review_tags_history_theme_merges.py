"""Review tags with a real foreign key, history of many-to-many fields, theme merges.

- ``TaggedReview``: a review's tags, pointing at the review itself rather than
  through taggit's generic relation, so fixtures name them by natural key and
  history can record them (the rows are copied over in 0009).
- History of a review's sources and tags and of a theme's related themes.
- ``ThemeMerge``: a theme merged into another, so its permanent link leads on.
- A reflection question is protected from its theme's deletion.

The case-insensitive unique theme name is added in 0010, after 0009 has
renamed any existing duplicates (PostgreSQL cannot alter a table in the
transaction that changed its rows).
"""

import django.db.models.deletion
import reviews.models.reviews
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('reviews', '0007_case_fact_kind'),
        ('taggit', '0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalReview_sources',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
            ],
            options={
                'verbose_name': 'HistoricalReview_sources',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalTaggedReview',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
            ],
            options={
                'verbose_name': 'HistoricalTaggedReview',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalTheme_related_themes',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
            ],
            options={
                'verbose_name': 'HistoricalTheme_related_themes',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='TaggedReview',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
            ],
            options={
                'verbose_name': 'review tag',
                'ordering': ['id'],
            },
        ),
        migrations.CreateModel(
            name='ThemeMerge',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('merged_theme_id', models.PositiveBigIntegerField(help_text='The number (primary key) the merged theme had, as used in /t/<number>/ links.', unique=True)),
                ('merged_name', models.CharField(help_text="The merged theme's name.", max_length=150)),
                ('merged_slug', models.SlugField(help_text="The merged theme's last slug.", max_length=100)),
                ('merged_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'verbose_name': 'merged theme',
                'ordering': ['-merged_at', '-id'],
            },
        ),
        migrations.AlterField(
            model_name='reflectionquestion',
            name='theme',
            field=models.ForeignKey(blank=True, help_text="Leave empty for a general question printed on every briefing; choose a theme to print it only on that theme's briefing, before the general questions.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reflection_questions', to='reviews.theme'),
        ),
        migrations.AddField(
            model_name='historicalreview_sources',
            name='history',
            field=models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='reviews.historicalreview'),
        ),
        migrations.AddField(
            model_name='historicalreview_sources',
            name='review',
            field=models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reviews.review'),
        ),
        migrations.AddField(
            model_name='historicalreview_sources',
            name='source',
            field=models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reviews.source'),
        ),
        migrations.AddField(
            model_name='historicaltaggedreview',
            name='content_object',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reviews.review'),
        ),
        migrations.AddField(
            model_name='historicaltaggedreview',
            name='history',
            field=models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='reviews.historicalreview'),
        ),
        migrations.AddField(
            model_name='historicaltaggedreview',
            name='tag',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='taggit.tag'),
        ),
        migrations.AddField(
            model_name='historicaltheme_related_themes',
            name='from_theme',
            field=models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reviews.theme'),
        ),
        migrations.AddField(
            model_name='historicaltheme_related_themes',
            name='history',
            field=models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='reviews.historicaltheme'),
        ),
        migrations.AddField(
            model_name='historicaltheme_related_themes',
            name='to_theme',
            field=models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reviews.theme'),
        ),
        migrations.AddField(
            model_name='taggedreview',
            name='content_object',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='tagged_items', to='reviews.review'),
        ),
        migrations.AddField(
            model_name='taggedreview',
            name='tag',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='%(app_label)s_%(class)s_items', to='taggit.tag'),
        ),
        migrations.AlterField(
            model_name='review',
            name='tags',
            field=reviews.models.reviews.ReviewTags(blank=True, help_text="Risk factors and other keywords, e.g. 'co-sleeping', 'alcohol'. Choose one already in use where it fits, so that reviews about the same thing share a tag.", through='reviews.TaggedReview', to='taggit.Tag', verbose_name='Tags'),
        ),
        migrations.AddField(
            model_name='thememerge',
            name='into',
            field=models.ForeignKey(help_text='The theme it was merged into.', on_delete=django.db.models.deletion.CASCADE, related_name='merged_themes', to='reviews.theme'),
        ),
        migrations.AddField(
            model_name='thememerge',
            name='merged_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddConstraint(
            model_name='taggedreview',
            constraint=models.UniqueConstraint(fields=('content_object', 'tag'), name='taggedreview_tag_unique_per_review'),
        ),
    ]

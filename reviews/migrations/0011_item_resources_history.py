"""History of the resources learning points, recommendations and actions name.

Their themes were already in their history; their resources were not, so a
revert or the recovery of a deleted entry lost them. Each entry's latest
version is given its current resources, so the first edit after this
migration shows only what that edit changed.
"""

import django.db.models.deletion
import simple_history.models
from django.db import migrations, models


ITEMS = ("LearningPoint", "Recommendation", "Action")


def start_resources_history(apps, schema_editor):
    for name in ITEMS:
        model = apps.get_model("reviews", name)
        history = apps.get_model("reviews", f"Historical{name}")
        historical_rows = apps.get_model("reviews", f"Historical{name}_resources")
        through = model.resources.through
        item_field = name.lower()
        latest = {}
        for record in history.objects.order_by("id", "-history_date", "-history_id"):
            latest.setdefault(record.id, record)
        rows_by_item = {}
        for row in through.objects.all():
            rows_by_item.setdefault(getattr(row, f"{item_field}_id"), []).append(row)
        historical_rows.objects.bulk_create(
            historical_rows(
                history=record, id=row.id, resource_id=row.resource_id, **{f"{item_field}_id": record.id}
            )
            for record in latest.values()
            if record.history_type != "-"
            for row in rows_by_item.get(record.id, [])
        )


def forget_resources_history(apps, schema_editor):
    for name in ITEMS:
        apps.get_model("reviews", f"Historical{name}_resources").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('reviews', '0010_theme_name_unique_case_insensitive'),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalAction_resources',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('action', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reviews.action')),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='reviews.historicalaction')),
                ('resource', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reviews.resource')),
            ],
            options={
                'verbose_name': 'HistoricalAction_resources',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalLearningPoint_resources',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='reviews.historicallearningpoint')),
                ('learningpoint', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reviews.learningpoint')),
                ('resource', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reviews.resource')),
            ],
            options={
                'verbose_name': 'HistoricalLearningPoint_resources',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalRecommendation_resources',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='reviews.historicalrecommendation')),
                ('recommendation', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reviews.recommendation')),
                ('resource', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reviews.resource')),
            ],
            options={
                'verbose_name': 'HistoricalRecommendation_resources',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(start_resources_history, forget_resources_history),
    ]

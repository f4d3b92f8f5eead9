"""Sections as data (issue 12), step 1 of 3: the new tables and fields.

- ``Section``: a heading of a briefing, its role, layout and place.
- Every entry (and a resource given as a passage of its own) gets ``section``;
  entries get ``kind_note``; recommendations ``unanswered_parts``; case facts
  ``themes``.

The old ``heading`` strings are still there: 0018 turns them into sections,
and 0019 removes them. Three migrations, not one, because PostgreSQL refuses
to alter a table in the transaction that has just updated its rows ("pending
trigger events").
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('reviews', '0016_trainers_may_not_edit_reflection_questions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='action',
            name='kind_note',
            field=models.TextField(blank=True, help_text="Only when this entry's kind is not what its section holds (e.g. an action the briefing reports within a section of learning): the knowledge base's note saying why. Shown as the knowledge base's words, never as the board's."),
        ),
        migrations.AddField(
            model_name='casefact',
            name='kind_note',
            field=models.TextField(blank=True, help_text="Only when this entry's kind is not what its section holds (e.g. an action the briefing reports within a section of learning): the knowledge base's note saying why. Shown as the knowledge base's words, never as the board's."),
        ),
        migrations.AddField(
            model_name='casefact',
            name='themes',
            field=models.ManyToManyField(blank=True, help_text='Themes the fact bears on, if any: like learning, it then puts the theme in its review.', related_name='case_facts', to='reviews.theme'),
        ),
        migrations.AddField(
            model_name='historicalaction',
            name='kind_note',
            field=models.TextField(blank=True, help_text="Only when this entry's kind is not what its section holds (e.g. an action the briefing reports within a section of learning): the knowledge base's note saying why. Shown as the knowledge base's words, never as the board's."),
        ),
        migrations.AddField(
            model_name='historicalcasefact',
            name='kind_note',
            field=models.TextField(blank=True, help_text="Only when this entry's kind is not what its section holds (e.g. an action the briefing reports within a section of learning): the knowledge base's note saying why. Shown as the knowledge base's words, never as the board's."),
        ),
        migrations.AddField(
            model_name='historicallearningpoint',
            name='kind_note',
            field=models.TextField(blank=True, help_text="Only when this entry's kind is not what its section holds (e.g. an action the briefing reports within a section of learning): the knowledge base's note saying why. Shown as the knowledge base's words, never as the board's."),
        ),
        migrations.AddField(
            model_name='historicalrecommendation',
            name='kind_note',
            field=models.TextField(blank=True, help_text="Only when this entry's kind is not what its section holds (e.g. an action the briefing reports within a section of learning): the knowledge base's note saying why. Shown as the knowledge base's words, never as the board's."),
        ),
        migrations.AddField(
            model_name='historicalrecommendation',
            name='unanswered_parts',
            field=models.TextField(blank=True, help_text="Parts of the recommendation, word for word, one per line, to which this briefing gives no response (the knowledge base's reading)."),
        ),
        migrations.AddField(
            model_name='learningpoint',
            name='kind_note',
            field=models.TextField(blank=True, help_text="Only when this entry's kind is not what its section holds (e.g. an action the briefing reports within a section of learning): the knowledge base's note saying why. Shown as the knowledge base's words, never as the board's."),
        ),
        migrations.AddField(
            model_name='recommendation',
            name='kind_note',
            field=models.TextField(blank=True, help_text="Only when this entry's kind is not what its section holds (e.g. an action the briefing reports within a section of learning): the knowledge base's note saying why. Shown as the knowledge base's words, never as the board's."),
        ),
        migrations.AddField(
            model_name='recommendation',
            name='unanswered_parts',
            field=models.TextField(blank=True, help_text="Parts of the recommendation, word for word, one per line, to which this briefing gives no response (the knowledge base's reading)."),
        ),
        migrations.AlterField(
            model_name='action',
            name='position',
            field=models.PositiveIntegerField(default=0, help_text="Its place in the briefing: one sequence for all the briefing's sections and entries, whatever their kind; lower numbers first."),
        ),
        migrations.AlterField(
            model_name='casefact',
            name='position',
            field=models.PositiveIntegerField(default=0, help_text="Its place in the briefing: one sequence for all the briefing's sections and entries, whatever their kind; lower numbers first."),
        ),
        migrations.AlterField(
            model_name='historicalaction',
            name='position',
            field=models.PositiveIntegerField(default=0, help_text="Its place in the briefing: one sequence for all the briefing's sections and entries, whatever their kind; lower numbers first."),
        ),
        migrations.AlterField(
            model_name='historicalcasefact',
            name='position',
            field=models.PositiveIntegerField(default=0, help_text="Its place in the briefing: one sequence for all the briefing's sections and entries, whatever their kind; lower numbers first."),
        ),
        migrations.AlterField(
            model_name='historicallearningpoint',
            name='position',
            field=models.PositiveIntegerField(default=0, help_text="Its place in the briefing: one sequence for all the briefing's sections and entries, whatever their kind; lower numbers first."),
        ),
        migrations.AlterField(
            model_name='historicalrecommendation',
            name='position',
            field=models.PositiveIntegerField(default=0, help_text="Its place in the briefing: one sequence for all the briefing's sections and entries, whatever their kind; lower numbers first."),
        ),
        migrations.AlterField(
            model_name='historicalresource',
            name='position',
            field=models.PositiveIntegerField(default=0, help_text="Its place in the briefing, in the same sequence as the briefing's sections and entries: where it is given, or first named. Lower numbers first."),
        ),
        migrations.AlterField(
            model_name='learningpoint',
            name='position',
            field=models.PositiveIntegerField(default=0, help_text="Its place in the briefing: one sequence for all the briefing's sections and entries, whatever their kind; lower numbers first."),
        ),
        migrations.AlterField(
            model_name='recommendation',
            name='position',
            field=models.PositiveIntegerField(default=0, help_text="Its place in the briefing: one sequence for all the briefing's sections and entries, whatever their kind; lower numbers first."),
        ),
        migrations.AlterField(
            model_name='resource',
            name='position',
            field=models.PositiveIntegerField(default=0, help_text="Its place in the briefing, in the same sequence as the briefing's sections and entries: where it is given, or first named. Lower numbers first."),
        ),
        migrations.CreateModel(
            name='HistoricalCaseFact_themes',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('casefact', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reviews.casefact')),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='reviews.historicalcasefact')),
                ('theme', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reviews.theme')),
            ],
            options={
                'verbose_name': 'HistoricalCaseFact_themes',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Section',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('ref', models.SlugField(blank=True, help_text="A short permanent identifier for this section (e.g. 'child-m-sec-neglect'). Filled in automatically if left blank; never change it once published.", max_length=120, unique=True)),
                ('heading', models.CharField(blank=True, help_text="The heading exactly as the briefing prints it: same words, capitals and spelling (for a table row, the row heading; for a table cell, its column heading, e.g. 'Good Practice'). Leave empty only for an opening that has no heading. Where the briefing runs the heading into its text ('Escalation; Professionals…', 'Safe Sleeping Guidance - At all…'), the semicolon or dash joining them is not part of the heading.", max_length=300)),
                ('role', models.CharField(choices=[('background', 'Background'), ('case', 'The case'), ('learning', 'Learning'), ('good_practice', 'What went well'), ('recommendations', 'Recommendations'), ('response', 'Response and actions'), ('questions', 'Questions'), ('further_information', 'Further information'), ('other', 'Other')], default='other', help_text="What this section of the briefing is: background, the case, learning, what went well, recommendations, the response and actions, questions, further information, or other. The printed briefing and the checks on each entry's kind use it.", max_length=30)),
                ('layout', models.CharField(choices=[('text', 'Text'), ('table', 'Table'), ('row', 'Table row'), ('cell', 'Table cell')], default='text', help_text="Text for an ordinary heading; table for a table's caption; row for a row of that table; cell for a column within a row.", max_length=10)),
                ('position', models.PositiveIntegerField(default=0, help_text="Its place in the briefing, in the same sequence as the briefing's entries; lower numbers first.")),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('parent', models.ForeignKey(blank=True, help_text='For a table row, the table it is in; for a table cell, its row. Empty otherwise.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='children', to='reviews.section')),
                ('review', models.ForeignKey(blank=True, help_text='Only for a briefing about several reviews (a newsletter covering three children): the review whose part of the briefing this is. Leave empty when the section belongs to the briefing as a whole.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='sections', to='reviews.review')),
                ('source', models.ForeignKey(help_text='The briefing this section is part of.', on_delete=django.db.models.deletion.CASCADE, related_name='sections', to='reviews.source')),
            ],
            options={
                'ordering': ['source_id', 'position', 'id'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalSection',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('ref', models.SlugField(blank=True, help_text="A short permanent identifier for this section (e.g. 'child-m-sec-neglect'). Filled in automatically if left blank; never change it once published.", max_length=120)),
                ('heading', models.CharField(blank=True, help_text="The heading exactly as the briefing prints it: same words, capitals and spelling (for a table row, the row heading; for a table cell, its column heading, e.g. 'Good Practice'). Leave empty only for an opening that has no heading. Where the briefing runs the heading into its text ('Escalation; Professionals…', 'Safe Sleeping Guidance - At all…'), the semicolon or dash joining them is not part of the heading.", max_length=300)),
                ('role', models.CharField(choices=[('background', 'Background'), ('case', 'The case'), ('learning', 'Learning'), ('good_practice', 'What went well'), ('recommendations', 'Recommendations'), ('response', 'Response and actions'), ('questions', 'Questions'), ('further_information', 'Further information'), ('other', 'Other')], default='other', help_text="What this section of the briefing is: background, the case, learning, what went well, recommendations, the response and actions, questions, further information, or other. The printed briefing and the checks on each entry's kind use it.", max_length=30)),
                ('layout', models.CharField(choices=[('text', 'Text'), ('table', 'Table'), ('row', 'Table row'), ('cell', 'Table cell')], default='text', help_text="Text for an ordinary heading; table for a table's caption; row for a row of that table; cell for a column within a row.", max_length=10)),
                ('position', models.PositiveIntegerField(default=0, help_text="Its place in the briefing, in the same sequence as the briefing's entries; lower numbers first.")),
                ('created_at', models.DateTimeField(blank=True, editable=False)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('review', models.ForeignKey(blank=True, db_constraint=False, help_text='Only for a briefing about several reviews (a newsletter covering three children): the review whose part of the briefing this is. Leave empty when the section belongs to the briefing as a whole.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reviews.review')),
                ('source', models.ForeignKey(blank=True, db_constraint=False, help_text='The briefing this section is part of.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reviews.source')),
                ('parent', models.ForeignKey(blank=True, db_constraint=False, help_text='For a table row, the table it is in; for a table cell, its row. Empty otherwise.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reviews.section')),
            ],
            options={
                'verbose_name': 'historical section',
                'verbose_name_plural': 'historical sections',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddField(
            model_name='action',
            name='section',
            field=models.ForeignKey(blank=True, help_text='The section of the briefing it sits under (its heading as the briefing prints it).', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='actions', to='reviews.section'),
        ),
        migrations.AddField(
            model_name='casefact',
            name='section',
            field=models.ForeignKey(blank=True, help_text='The section of the briefing it sits under (its heading as the briefing prints it).', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='case_facts', to='reviews.section'),
        ),
        migrations.AddField(
            model_name='historicalaction',
            name='section',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text='The section of the briefing it sits under (its heading as the briefing prints it).', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reviews.section'),
        ),
        migrations.AddField(
            model_name='historicalcasefact',
            name='section',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text='The section of the briefing it sits under (its heading as the briefing prints it).', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reviews.section'),
        ),
        migrations.AddField(
            model_name='historicallearningpoint',
            name='section',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text='The section of the briefing it sits under (its heading as the briefing prints it).', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reviews.section'),
        ),
        migrations.AddField(
            model_name='historicalrecommendation',
            name='section',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text='The section of the briefing it sits under (its heading as the briefing prints it).', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reviews.section'),
        ),
        migrations.AddField(
            model_name='historicalresource',
            name='section',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text='Only when the briefing gives the resource as a passage of its own (a signpost line, a contact box): the section of the briefing it sits under. Empty when it is only named within an entry.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reviews.section'),
        ),
        migrations.AddField(
            model_name='learningpoint',
            name='section',
            field=models.ForeignKey(blank=True, help_text='The section of the briefing it sits under (its heading as the briefing prints it).', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='learning_points', to='reviews.section'),
        ),
        migrations.AddField(
            model_name='recommendation',
            name='section',
            field=models.ForeignKey(blank=True, help_text='The section of the briefing it sits under (its heading as the briefing prints it).', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='recommendations', to='reviews.section'),
        ),
        migrations.AddField(
            model_name='resource',
            name='section',
            field=models.ForeignKey(blank=True, help_text='Only when the briefing gives the resource as a passage of its own (a signpost line, a contact box): the section of the briefing it sits under. Empty when it is only named within an entry.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='resources', to='reviews.section'),
        ),
        migrations.AddConstraint(
            model_name='section',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('layout__in', ['text', 'table']), ('parent__isnull', True)), models.Q(('layout__in', ['row', 'cell']), ('parent__isnull', False)), _connector='OR'), name='section_parent_matches_layout', violation_error_message='A table row needs its table as parent, and a table cell its row; a text section or a table has no parent.'),
        ),
        migrations.AddConstraint(
            model_name='section',
            constraint=models.CheckConstraint(condition=models.Q(('parent', models.F('id')), _negated=True), name='section_cannot_be_its_own_parent'),
        ),
    ]

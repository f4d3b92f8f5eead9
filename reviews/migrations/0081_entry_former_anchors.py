"""An entry recorded again under another kind keeps the page anchors it had (reviews/services/kinds.py)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('reviews', '0080_entry_wording_edited'),
    ]

    operations = [
        migrations.AddField(
            model_name='action',
            name='former_anchors',
            field=models.CharField(blank=True, editable=False, help_text='The page anchors it had as another kind of entry (space-separated), kept so that old links to them still land on it. Written by a change of kind (services/kinds.py).', max_length=500, verbose_name='its former places on pages'),
        ),
        migrations.AddField(
            model_name='casefact',
            name='former_anchors',
            field=models.CharField(blank=True, editable=False, help_text='The page anchors it had as another kind of entry (space-separated), kept so that old links to them still land on it. Written by a change of kind (services/kinds.py).', max_length=500, verbose_name='its former places on pages'),
        ),
        migrations.AddField(
            model_name='learningpoint',
            name='former_anchors',
            field=models.CharField(blank=True, editable=False, help_text='The page anchors it had as another kind of entry (space-separated), kept so that old links to them still land on it. Written by a change of kind (services/kinds.py).', max_length=500, verbose_name='its former places on pages'),
        ),
        migrations.AddField(
            model_name='recommendation',
            name='former_anchors',
            field=models.CharField(blank=True, editable=False, help_text='The page anchors it had as another kind of entry (space-separated), kept so that old links to them still land on it. Written by a change of kind (services/kinds.py).', max_length=500, verbose_name='its former places on pages'),
        ),
    ]

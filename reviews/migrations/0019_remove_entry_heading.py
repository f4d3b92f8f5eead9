"""Sections as data (issue 12), step 3 of 3: entries no longer keep a heading
of their own; it is their section's (``ReviewItem.heading`` reads it)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0018_sections_from_headings"),
    ]

    operations = [
        migrations.RemoveField(
            model_name='action',
            name='heading',
        ),
        migrations.RemoveField(
            model_name='casefact',
            name='heading',
        ),
        migrations.RemoveField(
            model_name='historicalaction',
            name='heading',
        ),
        migrations.RemoveField(
            model_name='historicalcasefact',
            name='heading',
        ),
        migrations.RemoveField(
            model_name='historicallearningpoint',
            name='heading',
        ),
        migrations.RemoveField(
            model_name='historicalrecommendation',
            name='heading',
        ),
        migrations.RemoveField(
            model_name='learningpoint',
            name='heading',
        ),
        migrations.RemoveField(
            model_name='recommendation',
            name='heading',
        ),
    ]

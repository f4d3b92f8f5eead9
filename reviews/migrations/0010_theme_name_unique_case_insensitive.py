"""Theme names are unique whatever their capital letters ("Neglect", "neglect").

Its own migration, after 0009 has renamed existing duplicates: PostgreSQL
cannot alter a table in the transaction that changed its rows.
"""

import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0009_copy_review_tags"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="theme",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("name"), name="theme_name_unique_case_insensitive"
            ),
        ),
    ]

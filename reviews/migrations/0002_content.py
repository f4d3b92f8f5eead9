"""Schema changes for content and fixtures (issue 3).

Briefings name protocols, procedures and training inside recommendations and
actions too (e.g. Child K's recommendation 1 names the 'Protocol for Protecting
Children who Move Across Local Authority Borders'; Child M's action updated the
local protocols with the 'Seven Golden rules for information sharing'), so
recommendations and actions can link the resources they name, as learning
points already do.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="recommendation",
            name="resources",
            field=models.ManyToManyField(
                blank=True,
                help_text="Resources this recommendation names.",
                related_name="recommendations",
                to="reviews.resource",
            ),
        ),
        migrations.AddField(
            model_name="action",
            name="resources",
            field=models.ManyToManyField(
                blank=True,
                help_text="Resources this action names or produced.",
                related_name="actions",
                to="reviews.resource",
            ),
        ),
    ]

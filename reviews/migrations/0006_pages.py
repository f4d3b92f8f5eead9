"""Schema changes for practitioner pages (issue 4)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("reviews", "0005_reuse")]

    operations = []

"""Read a target date from the words of each action's target date as the briefing gives it.

Only words that name a definite date give one ("January 2020", "31 March
2021"); "later this year" and the like stay without a date
(``reviews.tracker.dates``). ``Action.save()`` does the same from now on.
"""

from django.db import migrations


def read_target_dates(apps, schema_editor):
    from reviews.tracker.dates import target_date_from_words

    Action = apps.get_model("reviews", "Action")
    for action in Action.objects.exclude(target_date_as_stated="").only("pk", "target_date_as_stated"):
        found = target_date_from_words(action.target_date_as_stated)
        if found is not None:
            Action.objects.filter(pk=action.pk).update(target_date=found.date, target_date_precision=found.precision)


def forget_target_dates(apps, schema_editor):
    apps.get_model("reviews", "Action").objects.update(target_date=None, target_date_precision="unknown")


class Migration(migrations.Migration):
    dependencies = [("reviews", "0030_action_tracking")]

    operations = [migrations.RunPython(read_target_dates, forget_target_dates)]

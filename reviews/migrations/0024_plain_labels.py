# Field labels and help only (verbose_name, help_text): plain words for board staff. No schema change.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0023_kept_figures"),
    ]

    operations = [
        migrations.AlterField(
            model_name="action",
            name="kind_note",
            field=models.TextField(
                blank=True,
                help_text="Only when this entry's kind is not what its section holds (e.g. an action the briefing reports within a section of learning): the knowledge base's note saying why. Shown as the knowledge base's words, never as the board's.",
                verbose_name="why its kind differs from its section",
            ),
        ),
        migrations.AlterField(
            model_name="action",
            name="owner",
            field=models.CharField(
                blank=True,
                help_text="Who is doing it, as the briefing says (e.g. 'HSCB', 'Early Help Board').",
                max_length=200,
                verbose_name="who is doing it",
            ),
        ),
        migrations.AlterField(
            model_name="action",
            name="position",
            field=models.PositiveIntegerField(
                default=0,
                help_text="Its place in the briefing: one sequence for all the briefing's sections and entries, whatever their kind; lower numbers first.",
                verbose_name="place in the briefing",
            ),
        ),
        migrations.AlterField(
            model_name="action",
            name="ref",
            field=models.SlugField(
                blank=True,
                help_text="A short permanent name used in links to this item (e.g. 'child-m-lp-3'). Filled in automatically if left blank; never change it once the item is published, or links in courses and slides will stop pointing at it.",
                max_length=120,
                unique=True,
                verbose_name="reference",
            ),
        ),
        migrations.AlterField(
            model_name="action",
            name="target_date_as_stated",
            field=models.CharField(
                blank=True,
                help_text="Exactly as stated, e.g. 'January 2020', 'later this year'.",
                max_length=100,
                verbose_name="target date, as the briefing gives it",
            ),
        ),
        migrations.AlterField(
            model_name="action",
            name="themes",
            field=models.ManyToManyField(
                blank=True,
                help_text="The themes it is filed under. Start typing a theme's name to find it.",
                related_name="actions",
                to="reviews.theme",
            ),
        ),
        migrations.AlterField(
            model_name="casefact",
            name="kind_note",
            field=models.TextField(
                blank=True,
                help_text="Only when this entry's kind is not what its section holds (e.g. an action the briefing reports within a section of learning): the knowledge base's note saying why. Shown as the knowledge base's words, never as the board's.",
                verbose_name="why its kind differs from its section",
            ),
        ),
        migrations.AlterField(
            model_name="casefact",
            name="position",
            field=models.PositiveIntegerField(
                default=0,
                help_text="Its place in the briefing: one sequence for all the briefing's sections and entries, whatever their kind; lower numbers first.",
                verbose_name="place in the briefing",
            ),
        ),
        migrations.AlterField(
            model_name="casefact",
            name="ref",
            field=models.SlugField(
                blank=True,
                help_text="A short permanent name used in links to this item (e.g. 'child-m-lp-3'). Filled in automatically if left blank; never change it once the item is published, or links in courses and slides will stop pointing at it.",
                max_length=120,
                unique=True,
                verbose_name="reference",
            ),
        ),
        migrations.AlterField(
            model_name="casefact",
            name="themes",
            field=models.ManyToManyField(
                blank=True,
                help_text="Themes the fact bears on, if any: like learning, it then puts the theme in its review. Start typing a theme's name to find it.",
                related_name="case_facts",
                to="reviews.theme",
            ),
        ),
        migrations.AlterField(
            model_name="collection",
            name="slug",
            field=models.SlugField(
                help_text="The last part of the collection's address on this site: lower-case letters, numbers and hyphens.",
                max_length=120,
                unique=True,
                verbose_name="web address",
            ),
        ),
        migrations.AlterField(
            model_name="coursepack",
            name="slug",
            field=models.SlugField(
                help_text="The last part of the pack's address on this site: lower-case letters, numbers and hyphens. Its short link (/c/<number>/) keeps working if you change it.",
                max_length=120,
                unique=True,
                verbose_name="web address",
            ),
        ),
        migrations.AlterField(
            model_name="historicalaction",
            name="kind_note",
            field=models.TextField(
                blank=True,
                help_text="Only when this entry's kind is not what its section holds (e.g. an action the briefing reports within a section of learning): the knowledge base's note saying why. Shown as the knowledge base's words, never as the board's.",
                verbose_name="why its kind differs from its section",
            ),
        ),
        migrations.AlterField(
            model_name="historicalaction",
            name="owner",
            field=models.CharField(
                blank=True,
                help_text="Who is doing it, as the briefing says (e.g. 'HSCB', 'Early Help Board').",
                max_length=200,
                verbose_name="who is doing it",
            ),
        ),
        migrations.AlterField(
            model_name="historicalaction",
            name="position",
            field=models.PositiveIntegerField(
                default=0,
                help_text="Its place in the briefing: one sequence for all the briefing's sections and entries, whatever their kind; lower numbers first.",
                verbose_name="place in the briefing",
            ),
        ),
        migrations.AlterField(
            model_name="historicalaction",
            name="ref",
            field=models.SlugField(
                blank=True,
                help_text="A short permanent name used in links to this item (e.g. 'child-m-lp-3'). Filled in automatically if left blank; never change it once the item is published, or links in courses and slides will stop pointing at it.",
                max_length=120,
                verbose_name="reference",
            ),
        ),
        migrations.AlterField(
            model_name="historicalaction",
            name="target_date_as_stated",
            field=models.CharField(
                blank=True,
                help_text="Exactly as stated, e.g. 'January 2020', 'later this year'.",
                max_length=100,
                verbose_name="target date, as the briefing gives it",
            ),
        ),
        migrations.AlterField(
            model_name="historicalcasefact",
            name="kind_note",
            field=models.TextField(
                blank=True,
                help_text="Only when this entry's kind is not what its section holds (e.g. an action the briefing reports within a section of learning): the knowledge base's note saying why. Shown as the knowledge base's words, never as the board's.",
                verbose_name="why its kind differs from its section",
            ),
        ),
        migrations.AlterField(
            model_name="historicalcasefact",
            name="position",
            field=models.PositiveIntegerField(
                default=0,
                help_text="Its place in the briefing: one sequence for all the briefing's sections and entries, whatever their kind; lower numbers first.",
                verbose_name="place in the briefing",
            ),
        ),
        migrations.AlterField(
            model_name="historicalcasefact",
            name="ref",
            field=models.SlugField(
                blank=True,
                help_text="A short permanent name used in links to this item (e.g. 'child-m-lp-3'). Filled in automatically if left blank; never change it once the item is published, or links in courses and slides will stop pointing at it.",
                max_length=120,
                verbose_name="reference",
            ),
        ),
        migrations.AlterField(
            model_name="historicalcollection",
            name="slug",
            field=models.SlugField(
                help_text="The last part of the collection's address on this site: lower-case letters, numbers and hyphens.",
                max_length=120,
                verbose_name="web address",
            ),
        ),
        migrations.AlterField(
            model_name="historicalcoursepack",
            name="slug",
            field=models.SlugField(
                help_text="The last part of the pack's address on this site: lower-case letters, numbers and hyphens. Its short link (/c/<number>/) keeps working if you change it.",
                max_length=120,
                verbose_name="web address",
            ),
        ),
        migrations.AlterField(
            model_name="historicallearningpoint",
            name="kind_note",
            field=models.TextField(
                blank=True,
                help_text="Only when this entry's kind is not what its section holds (e.g. an action the briefing reports within a section of learning): the knowledge base's note saying why. Shown as the knowledge base's words, never as the board's.",
                verbose_name="why its kind differs from its section",
            ),
        ),
        migrations.AlterField(
            model_name="historicallearningpoint",
            name="position",
            field=models.PositiveIntegerField(
                default=0,
                help_text="Its place in the briefing: one sequence for all the briefing's sections and entries, whatever their kind; lower numbers first.",
                verbose_name="place in the briefing",
            ),
        ),
        migrations.AlterField(
            model_name="historicallearningpoint",
            name="ref",
            field=models.SlugField(
                blank=True,
                help_text="A short permanent name used in links to this item (e.g. 'child-m-lp-3'). Filled in automatically if left blank; never change it once the item is published, or links in courses and slides will stop pointing at it.",
                max_length=120,
                verbose_name="reference",
            ),
        ),
        migrations.AlterField(
            model_name="historicallearningpoint",
            name="repeats",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text="Set when this is the same paragraph another briefing already published, so it is recognised as a repeat rather than counted as new learning.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="reviews.learningpoint",
                verbose_name="repeats an earlier learning point",
            ),
        ),
        migrations.AlterField(
            model_name="historicalpartnership",
            name="slug",
            field=models.SlugField(
                help_text="The last part of the partnership's address on this site: lower-case letters, numbers and hyphens.",
                max_length=100,
                verbose_name="web address",
            ),
        ),
        migrations.AlterField(
            model_name="historicalrecommendation",
            name="addressed_to",
            field=models.CharField(
                blank=True,
                help_text="Who the recommendation is for, as the briefing says (e.g. 'All', 'Police', 'HSCB').",
                max_length=200,
                verbose_name="for whom",
            ),
        ),
        migrations.AlterField(
            model_name="historicalrecommendation",
            name="kind_note",
            field=models.TextField(
                blank=True,
                help_text="Only when this entry's kind is not what its section holds (e.g. an action the briefing reports within a section of learning): the knowledge base's note saying why. Shown as the knowledge base's words, never as the board's.",
                verbose_name="why its kind differs from its section",
            ),
        ),
        migrations.AlterField(
            model_name="historicalrecommendation",
            name="position",
            field=models.PositiveIntegerField(
                default=0,
                help_text="Its place in the briefing: one sequence for all the briefing's sections and entries, whatever their kind; lower numbers first.",
                verbose_name="place in the briefing",
            ),
        ),
        migrations.AlterField(
            model_name="historicalrecommendation",
            name="ref",
            field=models.SlugField(
                blank=True,
                help_text="A short permanent name used in links to this item (e.g. 'child-m-lp-3'). Filled in automatically if left blank; never change it once the item is published, or links in courses and slides will stop pointing at it.",
                max_length=120,
                verbose_name="reference",
            ),
        ),
        migrations.AlterField(
            model_name="historicalrecommendation",
            name="unanswered_parts",
            field=models.TextField(
                blank=True,
                help_text="Parts of the recommendation, word for word, one per line, to which this briefing gives no response (the knowledge base's reading).",
                verbose_name="parts the briefing gives no response to",
            ),
        ),
        migrations.AlterField(
            model_name="historicalresource",
            name="kind_note",
            field=models.TextField(
                blank=True,
                help_text="Only when the section it is given under is not one of further information (a signpost at the end of a section of learning): the knowledge base's note saying why it sits there. Shown as the knowledge base's words, never as the board's.",
                verbose_name="why its kind differs from its section",
            ),
        ),
        migrations.AlterField(
            model_name="historicalresource",
            name="position",
            field=models.PositiveIntegerField(
                default=0,
                help_text="Its place in the briefing, in the same sequence as the briefing's sections and entries: where it is given, or first named. Lower numbers first.",
                verbose_name="place in the briefing",
            ),
        ),
        migrations.AlterField(
            model_name="historicalresource",
            name="ref",
            field=models.SlugField(
                blank=True,
                help_text="A short permanent name used in links to this item (e.g. 'child-m-lp-3'). Filled in automatically if left blank; never change it once the item is published, or links in courses and slides will stop pointing at it.",
                max_length=120,
                verbose_name="reference",
            ),
        ),
        migrations.AlterField(
            model_name="historicalreview",
            name="children",
            field=models.CharField(
                blank=True,
                help_text="The child or children as the briefing names them, e.g. 'Child M'. Never a real name.",
                max_length=200,
                verbose_name="child or children",
            ),
        ),
        migrations.AlterField(
            model_name="historicalreview",
            name="commissioned_on",
            field=models.DateField(
                blank=True,
                help_text="When the review was commissioned or agreed, if the briefing says.",
                null=True,
                verbose_name="commissioned",
            ),
        ),
        migrations.AlterField(
            model_name="historicalreview",
            name="commissioned_precision",
            field=models.CharField(
                choices=[("day", "Day"), ("month", "Month"), ("year", "Year"), ("unknown", "Not given")],
                default="unknown",
                help_text="How much of the date the briefing gives: for 'September 2019' enter 01/09/2019 and choose 'Month'; for '2019' enter 01/01/2019 and choose 'Year'.",
                max_length=10,
                verbose_name="how exact is this date?",
            ),
        ),
        migrations.AlterField(
            model_name="historicalreview",
            name="published_on",
            field=models.DateField(
                blank=True,
                help_text="When the review was published, as precisely as the briefing says.",
                null=True,
                verbose_name="published",
            ),
        ),
        migrations.AlterField(
            model_name="historicalreview",
            name="published_precision",
            field=models.CharField(
                choices=[("day", "Day"), ("month", "Month"), ("year", "Year"), ("unknown", "Not given")],
                default="unknown",
                help_text="How much of the date the briefing gives: for 'September 2019' enter 01/09/2019 and choose 'Month'; for '2019' enter 01/01/2019 and choose 'Year'.",
                max_length=10,
                verbose_name="how exact is this date?",
            ),
        ),
        migrations.AlterField(
            model_name="historicalreview",
            name="review_type",
            field=models.CharField(
                choices=[
                    ("scr", "Serious case review"),
                    ("cspr", "Child safeguarding practice review"),
                    ("rapid", "Rapid review"),
                    ("spr", "Special practice review"),
                    ("thematic", "Thematic review / recurring themes"),
                    ("other", "Other review"),
                ],
                max_length=20,
                verbose_name="type of review",
            ),
        ),
        migrations.AlterField(
            model_name="historicalreview",
            name="slug",
            field=models.SlugField(
                help_text="The last part of the review's address on this site (/reviews/<this>/): lower-case letters, numbers and hyphens. Filled in from the title. Changing it later keeps the old address working.",
                max_length=120,
                verbose_name="web address",
            ),
        ),
        migrations.AlterField(
            model_name="historicalreview",
            name="summary_source",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text="The briefing the summary is quoted from. Leave empty if the summary is the knowledge base's own description; it is then labelled as such.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="reviews.source",
                verbose_name="summary quoted from",
            ),
        ),
        migrations.AlterField(
            model_name="historicalsection",
            name="position",
            field=models.PositiveIntegerField(
                default=0,
                help_text="Its place in the briefing, in the same sequence as the briefing's entries; lower numbers first.",
                verbose_name="place in the briefing",
            ),
        ),
        migrations.AlterField(
            model_name="historicalsection",
            name="ref",
            field=models.SlugField(
                blank=True,
                help_text="A short permanent name for this section (e.g. 'child-m-sec-neglect'). Filled in automatically if left blank; never change it once published.",
                max_length=120,
                verbose_name="reference",
            ),
        ),
        migrations.AlterField(
            model_name="historicalsource",
            name="excluded_passages",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text='Passages of the original text deliberately not turned into items, each with the reason (e.g. a truncated line or a repeated heading): a list of {"text": ..., "reason": ...}.',
                verbose_name="passages left out",
            ),
        ),
        migrations.AlterField(
            model_name="historicalsource",
            name="original_text",
            field=models.TextField(
                help_text="The full text of the document as received, unedited.",
                verbose_name="the briefing's full text",
            ),
        ),
        migrations.AlterField(
            model_name="historicalsource",
            name="published_precision",
            field=models.CharField(
                choices=[("day", "Day"), ("month", "Month"), ("year", "Year"), ("unknown", "Not given")],
                default="unknown",
                help_text="How much of the date the document gives: a day, a month, a year, or none.",
                max_length=10,
                verbose_name="how exact is this date?",
            ),
        ),
        migrations.AlterField(
            model_name="historicalsource",
            name="slug",
            field=models.SlugField(
                help_text="The last part of the briefing's address on this site: lower-case letters, numbers and hyphens.",
                max_length=120,
                verbose_name="web address",
            ),
        ),
        migrations.AlterField(
            model_name="historicaltheme",
            name="slug",
            field=models.SlugField(
                help_text="The last part of the theme's address on this site (/themes/<this>/): lower-case letters, numbers and hyphens. Changing it later keeps the old address working.",
                max_length=100,
                verbose_name="web address",
            ),
        ),
        migrations.AlterField(
            model_name="learningpoint",
            name="kind_note",
            field=models.TextField(
                blank=True,
                help_text="Only when this entry's kind is not what its section holds (e.g. an action the briefing reports within a section of learning): the knowledge base's note saying why. Shown as the knowledge base's words, never as the board's.",
                verbose_name="why its kind differs from its section",
            ),
        ),
        migrations.AlterField(
            model_name="learningpoint",
            name="position",
            field=models.PositiveIntegerField(
                default=0,
                help_text="Its place in the briefing: one sequence for all the briefing's sections and entries, whatever their kind; lower numbers first.",
                verbose_name="place in the briefing",
            ),
        ),
        migrations.AlterField(
            model_name="learningpoint",
            name="ref",
            field=models.SlugField(
                blank=True,
                help_text="A short permanent name used in links to this item (e.g. 'child-m-lp-3'). Filled in automatically if left blank; never change it once the item is published, or links in courses and slides will stop pointing at it.",
                max_length=120,
                unique=True,
                verbose_name="reference",
            ),
        ),
        migrations.AlterField(
            model_name="learningpoint",
            name="repeats",
            field=models.ForeignKey(
                blank=True,
                help_text="Set when this is the same paragraph another briefing already published, so it is recognised as a repeat rather than counted as new learning.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="repeated_in",
                to="reviews.learningpoint",
                verbose_name="repeats an earlier learning point",
            ),
        ),
        migrations.AlterField(
            model_name="learningpoint",
            name="themes",
            field=models.ManyToManyField(
                blank=True,
                help_text="The themes it is filed under. Start typing a theme's name to find it.",
                related_name="learning_points",
                to="reviews.theme",
            ),
        ),
        migrations.AlterField(
            model_name="movedentry",
            name="old_ref",
            field=models.SlugField(
                help_text="The reference it had: its anchor on the page was #<prefix>-<ref>.",
                max_length=120,
                unique=True,
                verbose_name="old reference",
            ),
        ),
        migrations.AlterField(
            model_name="partnership",
            name="slug",
            field=models.SlugField(
                help_text="The last part of the partnership's address on this site: lower-case letters, numbers and hyphens.",
                max_length=100,
                unique=True,
                verbose_name="web address",
            ),
        ),
        migrations.AlterField(
            model_name="recommendation",
            name="addressed_to",
            field=models.CharField(
                blank=True,
                help_text="Who the recommendation is for, as the briefing says (e.g. 'All', 'Police', 'HSCB').",
                max_length=200,
                verbose_name="for whom",
            ),
        ),
        migrations.AlterField(
            model_name="recommendation",
            name="kind_note",
            field=models.TextField(
                blank=True,
                help_text="Only when this entry's kind is not what its section holds (e.g. an action the briefing reports within a section of learning): the knowledge base's note saying why. Shown as the knowledge base's words, never as the board's.",
                verbose_name="why its kind differs from its section",
            ),
        ),
        migrations.AlterField(
            model_name="recommendation",
            name="position",
            field=models.PositiveIntegerField(
                default=0,
                help_text="Its place in the briefing: one sequence for all the briefing's sections and entries, whatever their kind; lower numbers first.",
                verbose_name="place in the briefing",
            ),
        ),
        migrations.AlterField(
            model_name="recommendation",
            name="ref",
            field=models.SlugField(
                blank=True,
                help_text="A short permanent name used in links to this item (e.g. 'child-m-lp-3'). Filled in automatically if left blank; never change it once the item is published, or links in courses and slides will stop pointing at it.",
                max_length=120,
                unique=True,
                verbose_name="reference",
            ),
        ),
        migrations.AlterField(
            model_name="recommendation",
            name="themes",
            field=models.ManyToManyField(
                blank=True,
                help_text="The themes it is filed under. Start typing a theme's name to find it.",
                related_name="recommendations",
                to="reviews.theme",
            ),
        ),
        migrations.AlterField(
            model_name="recommendation",
            name="unanswered_parts",
            field=models.TextField(
                blank=True,
                help_text="Parts of the recommendation, word for word, one per line, to which this briefing gives no response (the knowledge base's reading).",
                verbose_name="parts the briefing gives no response to",
            ),
        ),
        migrations.AlterField(
            model_name="resource",
            name="kind_note",
            field=models.TextField(
                blank=True,
                help_text="Only when the section it is given under is not one of further information (a signpost at the end of a section of learning): the knowledge base's note saying why it sits there. Shown as the knowledge base's words, never as the board's.",
                verbose_name="why its kind differs from its section",
            ),
        ),
        migrations.AlterField(
            model_name="resource",
            name="position",
            field=models.PositiveIntegerField(
                default=0,
                help_text="Its place in the briefing, in the same sequence as the briefing's sections and entries: where it is given, or first named. Lower numbers first.",
                verbose_name="place in the briefing",
            ),
        ),
        migrations.AlterField(
            model_name="resource",
            name="ref",
            field=models.SlugField(
                blank=True,
                help_text="A short permanent name used in links to this item (e.g. 'child-m-lp-3'). Filled in automatically if left blank; never change it once the item is published, or links in courses and slides will stop pointing at it.",
                max_length=120,
                unique=True,
                verbose_name="reference",
            ),
        ),
        migrations.AlterField(
            model_name="review",
            name="children",
            field=models.CharField(
                blank=True,
                help_text="The child or children as the briefing names them, e.g. 'Child M'. Never a real name.",
                max_length=200,
                verbose_name="child or children",
            ),
        ),
        migrations.AlterField(
            model_name="review",
            name="commissioned_on",
            field=models.DateField(
                blank=True,
                help_text="When the review was commissioned or agreed, if the briefing says.",
                null=True,
                verbose_name="commissioned",
            ),
        ),
        migrations.AlterField(
            model_name="review",
            name="commissioned_precision",
            field=models.CharField(
                choices=[("day", "Day"), ("month", "Month"), ("year", "Year"), ("unknown", "Not given")],
                default="unknown",
                help_text="How much of the date the briefing gives: for 'September 2019' enter 01/09/2019 and choose 'Month'; for '2019' enter 01/01/2019 and choose 'Year'.",
                max_length=10,
                verbose_name="how exact is this date?",
            ),
        ),
        migrations.AlterField(
            model_name="review",
            name="published_on",
            field=models.DateField(
                blank=True,
                help_text="When the review was published, as precisely as the briefing says.",
                null=True,
                verbose_name="published",
            ),
        ),
        migrations.AlterField(
            model_name="review",
            name="published_precision",
            field=models.CharField(
                choices=[("day", "Day"), ("month", "Month"), ("year", "Year"), ("unknown", "Not given")],
                default="unknown",
                help_text="How much of the date the briefing gives: for 'September 2019' enter 01/09/2019 and choose 'Month'; for '2019' enter 01/01/2019 and choose 'Year'.",
                max_length=10,
                verbose_name="how exact is this date?",
            ),
        ),
        migrations.AlterField(
            model_name="review",
            name="review_type",
            field=models.CharField(
                choices=[
                    ("scr", "Serious case review"),
                    ("cspr", "Child safeguarding practice review"),
                    ("rapid", "Rapid review"),
                    ("spr", "Special practice review"),
                    ("thematic", "Thematic review / recurring themes"),
                    ("other", "Other review"),
                ],
                max_length=20,
                verbose_name="type of review",
            ),
        ),
        migrations.AlterField(
            model_name="review",
            name="slug",
            field=models.SlugField(
                help_text="The last part of the review's address on this site (/reviews/<this>/): lower-case letters, numbers and hyphens. Filled in from the title. Changing it later keeps the old address working.",
                max_length=120,
                unique=True,
                verbose_name="web address",
            ),
        ),
        migrations.AlterField(
            model_name="review",
            name="summary_source",
            field=models.ForeignKey(
                blank=True,
                help_text="The briefing the summary is quoted from. Leave empty if the summary is the knowledge base's own description; it is then labelled as such.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="reviews.source",
                verbose_name="summary quoted from",
            ),
        ),
        migrations.AlterField(
            model_name="section",
            name="position",
            field=models.PositiveIntegerField(
                default=0,
                help_text="Its place in the briefing, in the same sequence as the briefing's entries; lower numbers first.",
                verbose_name="place in the briefing",
            ),
        ),
        migrations.AlterField(
            model_name="section",
            name="ref",
            field=models.SlugField(
                blank=True,
                help_text="A short permanent name for this section (e.g. 'child-m-sec-neglect'). Filled in automatically if left blank; never change it once published.",
                max_length=120,
                unique=True,
                verbose_name="reference",
            ),
        ),
        migrations.AlterField(
            model_name="source",
            name="excluded_passages",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text='Passages of the original text deliberately not turned into items, each with the reason (e.g. a truncated line or a repeated heading): a list of {"text": ..., "reason": ...}.',
                verbose_name="passages left out",
            ),
        ),
        migrations.AlterField(
            model_name="source",
            name="original_text",
            field=models.TextField(
                help_text="The full text of the document as received, unedited.",
                verbose_name="the briefing's full text",
            ),
        ),
        migrations.AlterField(
            model_name="source",
            name="published_precision",
            field=models.CharField(
                choices=[("day", "Day"), ("month", "Month"), ("year", "Year"), ("unknown", "Not given")],
                default="unknown",
                help_text="How much of the date the document gives: a day, a month, a year, or none.",
                max_length=10,
                verbose_name="how exact is this date?",
            ),
        ),
        migrations.AlterField(
            model_name="source",
            name="slug",
            field=models.SlugField(
                help_text="The last part of the briefing's address on this site: lower-case letters, numbers and hyphens.",
                max_length=120,
                unique=True,
                verbose_name="web address",
            ),
        ),
        migrations.AlterField(
            model_name="theme",
            name="slug",
            field=models.SlugField(
                help_text="The last part of the theme's address on this site (/themes/<this>/): lower-case letters, numbers and hyphens. Changing it later keeps the old address working.",
                max_length=100,
                unique=True,
                verbose_name="web address",
            ),
        ),
    ]

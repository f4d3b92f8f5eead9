"""Schema changes for trainers and reuse (issue 7).

- ``CoursePack`` (with its history) and ``CoursePackItem``: trainers' ordered
  selections of content with their own notes. Items point at content with
  ``SET_NULL`` foreign keys and keep a label snapshot, so a deleted item shows
  as removed instead of breaking the pack.
- ``ReflectionQuestion``: the prompts printed on the 7-minute briefings.
- Data: the *Trainer* group (created by 0004, or here if missing) may add,
  change, delete and view course packs and reflection questions; *Editor* may
  manage reflection questions and view course packs. A small default set of
  general reflection questions is added, written as the knowledge base's own
  neutral prompts (never a board's words); staff can change them.

Like 0004, the group permissions are frozen here: a later change is a new
migration.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

CRUD = ("add", "change", "delete", "view")

GROUP_PERMISSIONS = {
    "Trainer": [
        *(f"{action}_{model}" for model in ("coursepack", "coursepackitem", "reflectionquestion") for action in CRUD),
    ],
    "Editor": [
        *(f"{action}_reflectionquestion" for action in CRUD),
        "view_coursepack",
        "view_coursepackitem",
    ],
}

# The knowledge base's own prompts for a briefing session, phrased neutrally.
# They are printed under a heading that says so; staff can edit them.
DEFAULT_QUESTIONS = [
    "What does this learning mean for your team's practice?",
    "Where might this happen in the work you are doing now?",
    "What would help you act on this learning, and what might get in the way?",
    "Who else needs to know about it, and how will you share it?",
    "What will you do differently, and how will you know it has made a difference?",
]


def ensure_permissions(apps):
    """Permissions are normally created after all migrations have run; the
    groups below need them now, on a fresh database too."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def grant_permissions(apps, schema_editor):
    ensure_permissions(apps)
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for name, codenames in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="reviews", codename__in=codenames))


def revoke_permissions(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for name, codenames in GROUP_PERMISSIONS.items():
        for group in Group.objects.filter(name=name):
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label="reviews", codename__in=codenames)
            )


def add_default_questions(apps, schema_editor):
    ReflectionQuestion = apps.get_model("reviews", "ReflectionQuestion")
    # Only on a database that has none yet: never overwrite what staff set.
    if ReflectionQuestion.objects.exists():
        return
    ReflectionQuestion.objects.bulk_create(
        ReflectionQuestion(text=text, position=position) for position, text in enumerate(DEFAULT_QUESTIONS, start=1)
    )


def remove_default_questions(apps, schema_editor):
    apps.get_model("reviews", "ReflectionQuestion").objects.filter(
        theme__isnull=True, text__in=DEFAULT_QUESTIONS
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0004_editorial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="CoursePack",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "slug",
                    models.SlugField(
                        help_text="Used in the pack's web address. Its short link (/c/<number>/) keeps working if you change it.",
                        max_length=120,
                        unique=True,
                    ),
                ),
                (
                    "title",
                    models.CharField(
                        help_text="The pack's title, e.g. 'Induction: information sharing'.", max_length=200
                    ),
                ),
                (
                    "introduction",
                    models.TextField(
                        blank=True,
                        help_text="Your introduction to the pack (Markdown): who it is for and how to use it. Shown as the trainer's words, not as a board's.",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("draft", "Draft"), ("published", "Published")],
                        default="draft",
                        help_text="A draft pack is only visible to staff. Publish it to give it a public web address.",
                        max_length=10,
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "owner",
                    models.ForeignKey(
                        blank=True,
                        help_text="The trainer who made the pack. Filled in automatically.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="course_packs",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["title"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalCoursePack",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "slug",
                    models.SlugField(
                        help_text="Used in the pack's web address. Its short link (/c/<number>/) keeps working if you change it.",
                        max_length=120,
                    ),
                ),
                (
                    "title",
                    models.CharField(
                        help_text="The pack's title, e.g. 'Induction: information sharing'.", max_length=200
                    ),
                ),
                (
                    "introduction",
                    models.TextField(
                        blank=True,
                        help_text="Your introduction to the pack (Markdown): who it is for and how to use it. Shown as the trainer's words, not as a board's.",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("draft", "Draft"), ("published", "Published")],
                        default="draft",
                        help_text="A draft pack is only visible to staff. Publish it to give it a public web address.",
                        max_length=10,
                    ),
                ),
                ("created_at", models.DateTimeField(blank=True, editable=False)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "owner",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="The trainer who made the pack. Filled in automatically.",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical course pack",
                "verbose_name_plural": "historical course packs",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="CoursePackItem",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "position",
                    models.PositiveIntegerField(default=0, help_text="Order in the pack; lower numbers first."),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("note", "Trainer's note only"),
                            ("theme", "Theme"),
                            ("review", "Review"),
                            ("learning_point", "Learning point"),
                            ("recommendation", "Recommendation"),
                            ("action", "Action"),
                        ],
                        default="learning_point",
                        help_text="What this step shows. Choose the item in the matching field below.",
                        max_length=20,
                    ),
                ),
                (
                    "label_snapshot",
                    models.CharField(
                        blank=True,
                        editable=False,
                        help_text="What the item was called when it was last saved in the pack, shown if it is removed.",
                        max_length=300,
                    ),
                ),
                (
                    "notes",
                    models.TextField(
                        blank=True,
                        help_text="Your notes for this step (Markdown), shown after the item: what to discuss, an exercise, a question. Shown as the trainer's words.",
                    ),
                ),
                (
                    "action",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="reviews.action",
                    ),
                ),
                (
                    "learning_point",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="reviews.learningpoint",
                    ),
                ),
                (
                    "pack",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="items", to="reviews.coursepack"
                    ),
                ),
                (
                    "recommendation",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="reviews.recommendation",
                    ),
                ),
                (
                    "review",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="reviews.review",
                    ),
                ),
                (
                    "theme",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="reviews.theme",
                    ),
                ),
            ],
            options={
                "verbose_name": "course pack item",
                "ordering": ["pack", "position", "id"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("theme__isnull", True), ("kind", "theme"), _connector="OR"),
                            models.Q(("review__isnull", True), ("kind", "review"), _connector="OR"),
                            models.Q(("learning_point__isnull", True), ("kind", "learning_point"), _connector="OR"),
                            models.Q(("recommendation__isnull", True), ("kind", "recommendation"), _connector="OR"),
                            models.Q(("action__isnull", True), ("kind", "action"), _connector="OR"),
                        ),
                        name="coursepackitem_target_matches_kind",
                        violation_error_message="Choose the item in the field that matches the kind of step.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("kind", "note"), _negated=True),
                            models.Q(("notes", ""), _negated=True),
                            _connector="OR",
                        ),
                        name="coursepackitem_note_has_text",
                        violation_error_message="A note-only step needs some notes.",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="ReflectionQuestion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "text",
                    models.CharField(
                        help_text="The question as it will be printed. Write it as the knowledge base's own prompt: do not present it as a board's or a review's words.",
                        max_length=300,
                    ),
                ),
                (
                    "position",
                    models.PositiveIntegerField(default=0, help_text="Order when printed; lower numbers first."),
                ),
                (
                    "is_active",
                    models.BooleanField(
                        default=True,
                        help_text="Untick to stop printing it without deleting it.",
                        verbose_name="printed",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "theme",
                    models.ForeignKey(
                        blank=True,
                        help_text="Leave empty for a general question printed on every briefing; choose a theme to print it only on that theme's briefing, before the general questions.",
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reflection_questions",
                        to="reviews.theme",
                    ),
                ),
            ],
            options={
                "ordering": ["position", "id"],
                "constraints": [
                    models.UniqueConstraint(fields=("theme", "text"), name="reflectionquestion_text_unique_per_theme"),
                    models.UniqueConstraint(
                        condition=models.Q(("theme__isnull", True)),
                        fields=("text",),
                        name="reflectionquestion_general_text_unique",
                    ),
                ],
            },
        ),
        migrations.RunPython(grant_permissions, revoke_permissions),
        migrations.RunPython(add_default_questions, remove_default_questions),
    ]

"""Entries recorded again under another kind, and signposts as resources (issue 12).

- ``MovedEntry``: an entry the fixtures recorded again under another kind, or
  split; its old ref and number (``/lp/<number>/``) lead to what it became.
  Editors may view the list, as they view old web addresses; it is written
  by ``load_kb`` only.
- ``Resource.passage`` (a signpost line word for word) and
  ``Resource.kind_note`` (why a signpost sits in a section of learning).

The permissions are frozen here, like 0020's.
"""

import django.db.models.deletion
from django.db import migrations, models

GROUP_PERMISSIONS = {"Editor": ["view_movedentry"]}


def ensure_permissions(apps):
    """Permissions are normally created after all migrations have run; the
    groups need them now, on a fresh database too."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def _group_permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for name, codenames in GROUP_PERMISSIONS.items():
        permissions = Permission.objects.filter(content_type__app_label="reviews", codename__in=codenames)
        for group in Group.objects.filter(name=name):
            yield group, permissions


def assign(apps):
    """Give the groups the permissions, given they exist. Also used by the tests,
    after a transactional test's flush has the groups re-created."""
    for group, permissions in _group_permissions(apps):
        group.permissions.add(*permissions)


def grant(apps, schema_editor):
    ensure_permissions(apps)
    assign(apps)


def revoke(apps, schema_editor):
    for group, permissions in _group_permissions(apps):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('reviews', '0020_section_permissions'),
        ('auth', '0012_alter_user_first_name_max_length'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalresource',
            name='kind_note',
            field=models.TextField(blank=True, help_text="Only when the section it is given under is not one of further information (a signpost at the end of a section of learning): the knowledge base's note saying why it sits there. Shown as the knowledge base's words, never as the board's."),
        ),
        migrations.AddField(
            model_name='historicalresource',
            name='passage',
            field=models.TextField(blank=True, help_text="Only for a resource the briefing gives as a passage of its own, when the passage says more than its name and contact details: the passage word for word (Markdown), e.g. 'Book onto the LSCB Conference & Core Group Training'. A signpost, not learning."),
        ),
        migrations.AddField(
            model_name='resource',
            name='kind_note',
            field=models.TextField(blank=True, help_text="Only when the section it is given under is not one of further information (a signpost at the end of a section of learning): the knowledge base's note saying why it sits there. Shown as the knowledge base's words, never as the board's."),
        ),
        migrations.AddField(
            model_name='resource',
            name='passage',
            field=models.TextField(blank=True, help_text="Only for a resource the briefing gives as a passage of its own, when the passage says more than its name and contact details: the passage word for word (Markdown), e.g. 'Book onto the LSCB Conference & Core Group Training'. A signpost, not learning."),
        ),
        migrations.CreateModel(
            name='MovedEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('old_kind', models.CharField(choices=[('case_fact', 'Case fact'), ('learning_point', 'Learning point'), ('recommendation', 'Recommendation'), ('action', 'Action'), ('resource', 'Resource')], help_text='What the entry was.', max_length=20)),
                ('old_ref', models.SlugField(help_text='The ref it had: its anchor on the page was #<prefix>-<ref>.', max_length=120, unique=True)),
                ('old_pk', models.PositiveBigIntegerField(blank=True, help_text='The number (primary key) it had here, as used in its permanent link (/lp/<number>/). Empty when this database never held it.', null=True)),
                ('object_id', models.PositiveBigIntegerField()),
                ('moved_at', models.DateTimeField(auto_now_add=True)),
                ('content_type', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='contenttypes.contenttype')),
            ],
            options={
                'verbose_name': 'moved entry',
                'verbose_name_plural': 'moved entries',
                'ordering': ['old_ref'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('old_pk__isnull', False)), fields=('old_kind', 'old_pk'), name='movedentry_old_pk_unique_per_kind')],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]

"""Shared fixtures. The ``make_*`` helpers they use are in ``tests/support/factories.py``."""

import importlib
import os

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db.models.signals import post_migrate
from django.test import override_settings

# Sync Playwright runs an event loop in the test thread; the ORM calls made by
# the same tests are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from .support.factories import make_review, make_user


def restore_migration_data(sender, **kwargs):
    """Put back what the data migrations seed, after a transactional test's flush.

    A transactional test (browser tests, ``transaction=True``) empties every
    table when it ends, and Django then sends ``post_migrate`` (which brings
    back content types and permissions), but data migrations are not re-run:
    without this, the Editor and Trainer groups (less what later migrations
    revoked) and the default reflection questions would be missing for
    whichever tests run next, and the suite would depend on its order.
    Serialized rollback would do it too, but does not survive Playwright's
    greenlets. Idempotent: also runs after the test database's own ``migrate``.
    """
    # ``reviews`` is the last app: every app's permissions exist by now.
    if sender.label != "reviews":
        return
    importlib.import_module("reviews.migrations.0004_editorial").grant(apps)
    reuse = importlib.import_module("reviews.migrations.0005_reuse")
    # Not ``reuse.grant_permissions``: its ``ensure_permissions`` is for the
    # historical app registry of a migration, not the live one.
    for name, codenames in reuse.GROUP_PERMISSIONS.items():
        group = Group.objects.get(name=name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="reviews", codename__in=codenames))
    reuse.add_default_questions(apps, None)
    importlib.import_module("reviews.migrations.0016_trainers_may_not_edit_reflection_questions").revoke(apps)
    importlib.import_module("reviews.migrations.0020_section_permissions").assign(apps)
    importlib.import_module("reviews.migrations.0021_moved_entries_and_signpost_resources").assign(apps)
    importlib.import_module("reviews.migrations.0025_tag_library_for_account_managers").revoke(apps)
    importlib.import_module("reviews.migrations.0032_action_update_permissions").assign(apps)
    importlib.import_module("reviews.migrations.0035_learning_use_permissions").assign(apps)
    importlib.import_module("reviews.migrations.0039_safety_confirmations").assign(apps)
    # As the migration does, with no history of its own (a migration's models keep none).
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        importlib.import_module("reviews.migrations.0037_agencies_from_briefings_words").read_agencies(apps, None)
    importlib.import_module("reviews.migrations.0038_agency_permissions").assign(apps)
    importlib.import_module("reviews.migrations.0041_national_theme_permissions").assign(apps)
    importlib.import_module("reviews.migrations.0051_theme_guide_permissions").assign(apps)
    importlib.import_module("reviews.migrations.0091_recommendation_link_permissions").assign(apps)


post_migrate.connect(restore_migration_data, dispatch_uid="tests.restore_migration_data")


@pytest.fixture
def editor(db):
    """A staff user in the Editor group."""
    return make_user("test-editor", groups=["Editor"])


@pytest.fixture
def editor_client(client, editor):
    """The test client signed in as ``editor`` (``editor_client.user``)."""
    client.force_login(editor)
    client.user = editor
    return client


@pytest.fixture
def staff(db):
    """A staff user in no group: sees drafts on the public pages, may edit nothing."""
    return make_user("test-staff")


@pytest.fixture
def staff_client(staff):
    """A second client, signed in as ``staff`` (the ``client`` fixture stays anonymous)."""
    from django.test import Client

    signed_in = Client()
    signed_in.force_login(staff)
    return signed_in


@pytest.fixture
def review(db):
    return make_review()


@pytest.fixture
def loaded_kb(db):
    """The real knowledge base content, loaded from ``fixtures/`` as ``make run`` does."""
    from django.core.management import call_command

    call_command("load_kb", verbosity=0)


@pytest.fixture(scope="module")
def loaded_kb_module(django_db_setup, django_db_blocker):
    """The real content, loaded once for a whole test module and rolled back after it.

    Loading takes seconds (every save is indexed for search), so modules that
    only read the content share one load. Use it together with ``db``: each
    test runs in its own savepoint inside this transaction, so a test may
    change the content without affecting the next one.
    """
    from django.core.management import call_command
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_kb", verbosity=0)
        yield
        transaction.set_rollback(True)

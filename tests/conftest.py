"""Shared fixtures: small ``make_*`` helpers rather than factories of factories."""

import datetime
import importlib
import itertools
import os

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db.models.signals import post_migrate

# Sync Playwright runs an event loop in the test thread; the ORM calls made by
# the same tests are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from reviews.models import (
    Action,
    LearningPoint,
    Partnership,
    PublicationStatus,
    Recommendation,
    Review,
    Source,
    Theme,
)

# Made-up slugs end in n<number>, which no test's own fixed slug does ("test-review-2018").
_counter = itertools.count(1)


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


post_migrate.connect(restore_migration_data, dispatch_uid="tests.restore_migration_data")


def make_partnership(**overrides):
    n = next(_counter)
    fields = {"name": f"Test Safeguarding Partnership {n}", "area": f"Testshire {n}", "slug": f"test-partnership-n{n}"}
    fields.update(overrides)
    return Partnership.objects.create(**fields)


def make_source(**overrides):
    n = next(_counter)
    fields = {
        "slug": f"test-source-n{n}",
        "title": f"Test briefing {n}",
        "original_text": "Original briefing text.",
        "status": PublicationStatus.PUBLISHED,
    }
    fields.update(overrides)
    return Source.objects.create(**fields)


def make_review(**overrides):
    n = next(_counter)
    fields = {
        "slug": f"test-review-n{n}",
        "title": f"Test review {n}",
        "review_type": Review.ReviewType.SERIOUS_CASE_REVIEW,
        "status": PublicationStatus.PUBLISHED,
        "published_on": datetime.date(2020, 1, 1),
        "published_precision": "year",
    }
    fields.update(overrides)
    return Review.objects.create(**fields)


def make_theme(**overrides):
    n = next(_counter)
    fields = {"slug": f"test-theme-n{n}", "name": f"Test theme {n}"}
    fields.update(overrides)
    return Theme.objects.create(**fields)


def make_public_theme(**overrides):
    """A theme the public may see: a learning point of a published review is on it
    (``Theme.objects.public()``); ``make_theme`` alone makes one no published entry uses."""
    theme = make_theme(**overrides)
    make_learning_point(review=make_review(), themes=[theme])
    return theme


def make_public_partnership(**overrides):
    """A partnership the public may see: it has a published review
    (``Partnership.objects.public()``); ``make_partnership`` alone makes one with nothing public."""
    partnership = make_partnership(**overrides)
    make_review(partnership=partnership)
    return partnership


def make_learning_point(*, review=None, source=None, themes=(), **overrides):
    source = source or make_source()
    fields = {"text": "Test learning point.", "review": review, "source": source}
    fields.update(overrides)
    point = LearningPoint.objects.create(**fields)
    point.themes.set(themes)
    return point


def make_recommendation(*, review, source=None, themes=(), **overrides):
    fields = {"text": "Test recommendation.", "review": review, "source": source or make_source()}
    fields.update(overrides)
    recommendation = Recommendation.objects.create(**fields)
    recommendation.themes.set(themes)
    return recommendation


def make_action(*, recommendation=None, review=None, source=None, **overrides):
    fields = {
        "text": "Test action.",
        "recommendation": recommendation,
        "review": review,
        "source": source or (recommendation.source if recommendation else make_source()),
    }
    fields.update(overrides)
    return Action.objects.create(**fields)


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

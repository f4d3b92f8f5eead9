"""Small ``make_*`` helpers for test content, rather than factories of factories.

Each makes one published object with made-up values that can be overridden:
``make_review(status=PublicationStatus.DRAFT)``.
"""

import datetime
import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from reviews.models import (
    Action,
    LearningPoint,
    Partnership,
    PublicationStatus,
    Recommendation,
    Review,
    Section,
    Source,
    Theme,
)

PASSWORD = "test-password-long-1"

# Made-up slugs end in n<number>, which no test's own fixed slug does ("test-review-2018").
_counter = itertools.count(1)


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


def make_section(*, source=None, **overrides):
    n = next(_counter)
    fields = {"ref": f"test-sec-n{n}", "source": source or make_source(), "heading": f"Test heading {n}"}
    fields.update(overrides)
    return Section.objects.create(**fields)


def _placed(fields):
    """``heading="..."``: the entry sits under a section of its source with that heading (role "other",
    which holds any kind), made if that source has none yet."""
    heading = fields.pop("heading", None)
    if heading is not None and "section" not in fields:
        fields["section"] = Section.objects.filter(source=fields["source"], heading=heading).first() or make_section(
            source=fields["source"], heading=heading
        )
    return fields


def make_learning_point(*, review=None, source=None, themes=(), **overrides):
    source = source or make_source()
    fields = {"text": "Test learning point.", "review": review, "source": source}
    fields.update(overrides)
    point = LearningPoint.objects.create(**_placed(fields))
    point.themes.set(themes)
    return point


def make_recommendation(*, review, source=None, themes=(), **overrides):
    fields = {"text": "Test recommendation.", "review": review, "source": source or make_source()}
    fields.update(overrides)
    recommendation = Recommendation.objects.create(**_placed(fields))
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
    return Action.objects.create(**_placed(fields))


def make_user(username, *, staff=True, groups=(), superuser=False, password=PASSWORD):
    """A user, staff by default, in the named groups (made by the migrations: "Editor", "Trainer")."""
    user = get_user_model().objects.create_user(
        username, password=password, is_staff=staff or superuser, is_superuser=superuser
    )
    user.groups.set(Group.objects.filter(name__in=groups))
    return user

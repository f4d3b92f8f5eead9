"""The kept counts and relations always equal a recomputation from the content.

Random sequences of edits (new reviews and entries, themes set and cleared from
either side, repeats, moves between reviews, publishing and unpublishing,
sources published and unpublished, merges, deletes, rolled-back savepoints)
run on whichever database the suite uses (SQLite, and PostgreSQL in its
pass); after every few steps the kept rows must equal what the rules give
when run over every entry:

- ``writing.differences()``: the kept tables against ``rows.py`` run from scratch;
- ``recomputed()`` below: what the pages read (``with_theme_counts``,
  ``reviews_about``, ``themes_by_review``, ``ThemePair``, ``ReviewFigures``,
  ``public_totals``) against the rules of ``reviews.selectors.common`` run
  over the entries (``theme_links``, ``distinct_learning_about``), the way the
  pages computed them before the rows were kept.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Q

from reviews import caching
from reviews.kept import pending, writing
from reviews.kept.pending import flush as kept_flush
from reviews.kept.signals import fill_after_migrate
from reviews.models import (
    Action,
    CaseFact,
    KnowledgeBaseFigures,
    LearningPoint,
    PublicationStatus,
    Recommendation,
    Review,
    ReviewFigures,
    Theme,
    ThemeFigures,
    ThemeLink,
    ThemePair,
)
from reviews.selectors.common import (
    Holdings,
    distinct_learning_about,
    knowledge_base_holdings,
    public_totals,
    reviews_about,
    theme_links,
    themes_by_review,
    with_theme_counts,
)
from reviews.selectors.history import with_last_updated
from reviews.services.merging import theme_merge
from reviews.services.publishing import review_publish, review_unpublish, source_publish, source_unpublish

from .support.factories import make_partnership, make_review, make_source, make_theme

PUBLISHED, DRAFT = PublicationStatus.PUBLISHED, PublicationStatus.DRAFT


# What the pages read, and the same recomputed from the entries -----------------------------------


def from_kept() -> dict:
    """What the pages read from the kept rows."""
    kept_flush()
    themes = with_theme_counts(Theme.objects.all())
    return {
        "theme counts": {
            theme.pk: (
                theme.learning_count,
                theme.recommendation_count,
                theme.action_count,
                theme.review_count,
                theme.first_year,
                theme.last_year,
            )
            for theme in themes
        },
        "reviews about": {theme.pk: set(reviews_about(theme).values_list("pk", flat=True)) for theme in themes},
        "review themes": {
            pk: {theme.pk for theme in found}
            for pk, found in themes_by_review(list(Review.objects.values_list("pk", flat=True))).items()
        },
        "pairs": {(pair.theme_id, pair.other_id): pair.reviews for pair in ThemePair.objects.all()},
        "review figures": {
            row.review_id: (row.learning_points, row.recommendations, row.actions, row.last_updated)
            for row in ReviewFigures.objects.all()
        },
        "totals": public_totals(),
        "holdings": knowledge_base_holdings(),
    }


def recomputed() -> dict:
    """The same, from the entries by the rules of ``reviews.selectors.common``."""
    published = set(Review.objects.published().values_list("pk", flat=True))
    published_reviews = list(Review.objects.published())
    years = dict(Review.objects.values_list("pk", "year"))
    in_review: dict[int, set[int]] = defaultdict(set)  # theme: reviews, drafts included
    review_themes: dict[int, set[int]] = defaultdict(set)
    for links in theme_links(review_id__isnull=False):
        for theme_id, review_id in links.values_list("theme_id", "review_id"):
            in_review[theme_id].add(review_id)
            review_themes[review_id].add(theme_id)
    counts, about = {}, {}
    for theme in Theme.objects.all():
        reviews = in_review[theme.pk] & published
        dated = [years[pk] for pk in reviews if years[pk] is not None]
        about[theme.pk] = reviews
        counts[theme.pk] = (
            distinct_learning_about(theme).count(),
            Recommendation.objects.published().filter(themes=theme).count(),
            Action.objects.published().filter(themes=theme).count(),
            len(reviews),
            min(dated, default=None),
            max(dated, default=None),
        )
    pairs = {}
    for theme, reviews in about.items():
        for other, other_reviews in about.items():
            if theme != other and reviews & other_reviews:
                pairs[theme, other] = len(reviews & other_reviews)
    figures = {
        review.pk: (
            LearningPoint.objects.filter(review=review).count(),
            Recommendation.objects.filter(review=review).count(),
            Action.objects.filter(review=review).count(),
            review.last_updated,
        )
        for review in with_last_updated(Review.objects.all())
    }
    distinct = LearningPoint.objects.published().filter(
        Q(repeats__isnull=True) | ~Q(repeats__in=LearningPoint.objects.published())
    )
    return {
        "theme counts": counts,
        "reviews about": about,
        "review themes": dict(review_themes),
        "pairs": pairs,
        "review figures": figures,
        "totals": {
            "reviews": len(published),
            "partnerships": Review.objects.published()
            .exclude(partnership=None)
            .values("partnership")
            .distinct()
            .count(),
            "learning_points": distinct.count(),
        },
        "holdings": Holdings(
            reviews=len(published),
            partnerships=len({review.partnership_id for review in published_reviews if review.partnership_id}),
            thematic=sum(review.review_type == Review.ReviewType.THEMATIC for review in published_reviews),
            first_year=min((review.year for review in published_reviews if review.year), default=None),
            last_year=max((review.year for review in published_reviews if review.year), default=None),
            undated=sum(review.year is None for review in published_reviews),
        ),
    }


def assert_kept_equal_recomputed():
    assert from_kept() == recomputed()
    assert writing.differences() == []


# Random edits -------------------------------------------------------------------------------------


class Editor:
    """Makes random edits of every kind that changes what the kept rows hold."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.themes = [make_theme() for _ in range(5)]
        self.sources = [make_source(), make_source(), make_source(status=DRAFT)]
        self.partnerships = [make_partnership(), make_partnership()]
        self.side = random.Random(7)
        self.reviews = [self.new_review() for _ in range(3)]

    def new_review(self) -> Review:
        year = self.rng.choice([None, 2017, 2019, 2021])
        dated = {"published_on": datetime.date(year, 1, 1), "published_precision": "year"} if year else {}
        if not year:
            dated = {"published_on": None, "published_precision": "unknown"}
        return make_review(status=self.rng.choice([PUBLISHED, DRAFT]), **dated)

    def some_themes(self) -> list[Theme]:
        return self.rng.sample(self.themes, self.rng.randint(0, 3))

    def entries(self, model) -> list:
        return list(model.objects.order_by("pk"))

    def any_entry(self):
        found = [entry for model in (CaseFact, LearningPoint, Recommendation, Action) for entry in self.entries(model)]
        return self.rng.choice(found) if found else None

    # The edits ---------------------------------------------------------------

    def add_review(self):
        self.reviews.append(self.new_review())

    def add_entry(self):
        review, source = self.rng.choice(self.reviews), self.rng.choice(self.sources)
        kind = self.rng.choice(["fact", "point", "point", "cross-cutting", "recommendation", "action"])
        if kind == "fact":
            entry = CaseFact.objects.create(review=review, source=source, text="Test fact.")
        elif kind in ("point", "cross-cutting"):
            entry = LearningPoint.objects.create(
                review=review if kind == "point" else None, source=source, text="Test learning."
            )
        elif kind == "recommendation":
            entry = Recommendation.objects.create(review=review, source=source, text="Test recommendation.")
        else:
            recommendations = self.entries(Recommendation)
            answered = self.rng.choice([None, *recommendations])
            entry = Action.objects.create(review=review, recommendation=answered, source=source, text="Test action.")
        entry.themes.set(self.some_themes())

    def set_themes(self):
        if entry := self.any_entry():
            entry.themes.set(self.some_themes())

    def theme_side(self):
        """Filed under a theme from the theme's side: ``theme.learning_points.add/remove/clear``."""
        theme = self.rng.choice(self.themes)
        relation = self.rng.choice(["case_facts", "learning_points", "recommendations", "actions"])
        manager = getattr(theme, relation)
        entries = list(manager.model.objects.order_by("pk"))
        step = self.rng.choice(["add", "remove", "clear"])
        if step == "clear":
            manager.clear()
        elif entries:
            getattr(manager, step)(*self.rng.sample(entries, min(2, len(entries))))

    def repeat(self):
        points = self.entries(LearningPoint)
        if len(points) >= 2:
            point, original = self.rng.sample(points, 2)
            point.repeats = self.rng.choice([original, None])
            point.save()

    def move(self):
        if (entry := self.any_entry()) is not None and not isinstance(entry, Action):
            target = self.rng.choice(self.reviews)
            entry.review = None if isinstance(entry, LearningPoint) and self.rng.random() < 0.3 else target
            entry.save()

    def publish(self):
        review = self.rng.choice(self.reviews)
        if self.rng.random() < 0.5:
            (review_publish if review.status == DRAFT else review_unpublish)(review=review)
        else:  # a plain save, as the admin's form does
            review.status = DRAFT if review.status == PUBLISHED else PUBLISHED
            review.save()

    def redate(self):
        review = self.rng.choice(self.reviews)
        year = self.rng.choice([None, 2016, 2020, 2022])
        review.published_on = datetime.date(year, 1, 1) if year else None
        review.published_precision = "year" if year else "unknown"
        review.title = f"{review.title} (retitled)"
        # The whole knowledge base's figures count thematic reviews and partnerships too.
        # (Drawn from a generator of their own, so that each seed's other edits stay as they were.)
        review.review_type = self.side.choice([Review.ReviewType.SERIOUS_CASE_REVIEW, Review.ReviewType.THEMATIC])
        review.partnership = self.side.choice([None, *self.partnerships])
        review.save()

    def source(self):
        source = self.rng.choice(self.sources)
        (source_unpublish if source.status == PUBLISHED else source_publish)(source=source)

    def delete_entry(self):
        if entry := self.any_entry():
            entry.delete()

    def delete_review(self):
        if len(self.reviews) > 2:
            review = self.reviews.pop(self.rng.randrange(len(self.reviews)))
            review.delete()

    def merge(self):
        if len(self.themes) > 3:
            merged, into = self.rng.sample(self.themes, 2)
            theme_merge(themes=[merged], into=into)
            self.themes.remove(merged)
        else:
            self.themes.append(make_theme())

    def rolled_back(self):
        """An edit in a savepoint that is rolled back, after a page read the kept rows inside it."""
        try:
            with transaction.atomic():
                self.rng.choice([self.add_entry, self.set_themes, self.publish, self.delete_review])()
                kept_flush()
                raise RuntimeError
        except RuntimeError:
            pass

    EDITS = (
        "add_review",
        "add_entry",
        "add_entry",
        "add_entry",
        "set_themes",
        "theme_side",
        "repeat",
        "move",
        "publish",
        "redate",
        "source",
        "delete_entry",
        "delete_review",
        "merge",
        "rolled_back",
    )

    def edit(self):
        getattr(self, self.rng.choice(self.EDITS))()


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_kept_rows_equal_a_recomputation_after_random_edits(seed):
    editor = Editor(random.Random(seed))
    for _ in range(12):
        editor.add_entry()
    seen = set()
    for step in range(60):
        editor.edit()
        if step % 6 == 5:
            assert_kept_equal_recomputed()
            seen |= {name for name, rows in KINDS_OF_ROW.items() if rows().exists()}
    assert_kept_equal_recomputed()
    # The edits reached every kind of row.
    assert seen == set(KINDS_OF_ROW)


KINDS_OF_ROW = {
    "published links": lambda: ThemeLink.objects.filter(published=True),
    "draft links": lambda: ThemeLink.objects.filter(published=False),
    "theme figures": lambda: ThemeFigures.objects.all(),
    "pairs": lambda: ThemePair.objects.all(),
    "repeats": lambda: LearningPoint.objects.filter(repeats__isnull=False),
    "cross-cutting learning": lambda: LearningPoint.objects.filter(review__isnull=True),
}


@pytest.mark.django_db(transaction=True)
def test_kept_rows_are_written_when_each_transaction_commits():
    """Without a page reading them first: each commit writes them (and a change outside a
    transaction at once), then makes every cached page out of date."""
    editor = Editor(random.Random(7))
    for _ in range(8):
        editor.add_entry()  # autocommit: each write commits, and its marks are written at once
    for _ in range(6):
        with transaction.atomic():
            for _ in range(4):
                editor.edit()
    assert not pending.has_pending()
    assert writing.differences() == []
    version = caching.content_version()
    with transaction.atomic():
        editor.publish()
        assert pending.has_pending()
    assert not pending.has_pending()
    assert caching.content_version() != version
    assert writing.differences() == []


@pytest.mark.django_db
def test_drafts_never_count_publicly():
    theme = make_theme()
    draft = make_review(status=DRAFT)
    point = LearningPoint.objects.create(review=draft, source=make_source(), text="Test draft learning.")
    point.themes.add(theme)
    kept_flush()
    assert ThemeLink.objects.get(theme=theme, review=draft).published is False
    assert not ThemeFigures.objects.filter(theme=theme).exists()
    counted = with_theme_counts(Theme.objects.filter(pk=theme.pk)).get()
    assert (counted.learning_count, counted.review_count) == (0, 0)
    review_publish(review=draft)
    counted = with_theme_counts(Theme.objects.filter(pk=theme.pk)).get()
    assert (counted.learning_count, counted.review_count) == (1, 1)


@pytest.mark.django_db
def test_rebuild_command_repairs_rows_written_around_the_signals(capsys):
    editor = Editor(random.Random(11))
    for _ in range(10):
        editor.add_entry()
    kept_flush()
    # Writes that send no signal leave the kept rows behind: the check says so, the rebuild repairs them.
    Review.objects.update(status=PUBLISHED)
    ThemeFigures.objects.all().delete()
    with pytest.raises(SystemExit):
        call_command("rebuild_kept_figures", "--check")
    assert "differ from the content" in capsys.readouterr().err
    call_command("rebuild_kept_figures", "--batch-size", "2")
    call_command("rebuild_kept_figures", "--check")
    assert_kept_equal_recomputed()


@pytest.mark.django_db
def test_migrate_fills_the_kept_rows_of_existing_content():
    editor = Editor(random.Random(5))
    for _ in range(6):
        editor.add_entry()
    kept_flush()
    for model in (ThemeLink, ThemeFigures, ThemePair, ReviewFigures):
        model.objects.all().delete()
    reviews_app = type("Sender", (), {"label": "reviews"})
    fill_after_migrate(reviews_app, plan=[], using="default")
    assert writing.differences() == []


@pytest.mark.django_db
def test_migrate_writes_the_whole_knowledge_base_figures_where_only_they_are_missing(django_assert_num_queries):
    editor = Editor(random.Random(6))
    for _ in range(6):
        editor.add_entry()
    kept_flush()
    expected = knowledge_base_holdings()
    KnowledgeBaseFigures.objects.all().delete()
    assert knowledge_base_holdings() == expected  # counted from the reviews until the row is written
    reviews_app = type("Sender", (), {"label": "reviews"})
    fill_after_migrate(reviews_app, plan=[], using="default")
    assert KnowledgeBaseFigures.objects.count() == 1
    assert writing.differences() == []
    with django_assert_num_queries(1):  # the pages read one row
        assert knowledge_base_holdings() == expected


@pytest.mark.django_db
def test_the_loaded_knowledge_base_keeps_its_rows(loaded_kb):
    kept_flush()
    assert ThemeLink.objects.count() > 50
    assert_kept_equal_recomputed()

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from taggit.models import TaggedItem

from reviews.models import (
    Action,
    CoursePack,
    DatePrecision,
    LearningPoint,
    PublicationStatus,
    Review,
    SearchEntry,
    Source,
    TaggedReview,
    ThemeAlias,
    format_partial_date,
)

from .support.factories import (
    make_action,
    make_learning_point,
    make_recommendation,
    make_review,
    make_source,
    make_theme,
)

pytestmark = pytest.mark.django_db


def assert_violates(constraint_name, create):
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        create()
    message = str(excinfo.value)
    if connection.vendor == "sqlite" and message.startswith("UNIQUE constraint failed"):
        # SQLite names the columns of a unique index, not the index.
        return
    assert constraint_name in message


@pytest.mark.parametrize(
    ("date", "precision", "constraint"),
    [
        (None, DatePrecision.DAY, "source_published_on_matches_precision"),
        (datetime.date(2019, 9, 1), DatePrecision.UNKNOWN, "source_published_on_matches_precision"),
        (datetime.date(2019, 9, 14), DatePrecision.MONTH, "source_published_on_month_precision_first_day"),
        (datetime.date(2019, 9, 1), DatePrecision.YEAR, "source_published_on_year_precision_first_january"),
    ],
)
def test_source_date_must_match_its_precision(date, precision, constraint):
    assert_violates(constraint, lambda: make_source(published_on=date, published_precision=precision))


@pytest.mark.parametrize(
    ("date", "precision"),
    [
        (None, DatePrecision.UNKNOWN),
        (datetime.date(2019, 9, 14), DatePrecision.DAY),
        (datetime.date(2019, 9, 1), DatePrecision.MONTH),
        (datetime.date(2019, 1, 1), DatePrecision.YEAR),
    ],
)
def test_source_dates_that_match_their_precision_are_accepted(date, precision):
    source = make_source(published_on=date, published_precision=precision)
    assert Source.objects.get(pk=source.pk).published_precision == precision


@pytest.mark.parametrize(
    ("date", "precision", "valid"),
    [
        (None, DatePrecision.UNKNOWN, True),
        (datetime.date(2019, 9, 1), DatePrecision.MONTH, True),
        (datetime.date(2019, 9, 14), DatePrecision.MONTH, False),
        (datetime.date(2019, 3, 1), DatePrecision.YEAR, False),
    ],
)
def test_full_clean_checks_date_precision_without_database_errors(date, precision, valid, caplog):
    """Model validation evaluates the constraints with the value in place of the column; an
    untyped NULL once made PostgreSQL fail ("Got a database error calling check()")."""
    source = Source(
        slug="a-source",
        title="A briefing",
        kind=Source.Kind.SEVEN_MINUTE_BRIEFING,
        publisher_as_stated="A board",
        original_text="Text.",
        file_name="a.txt",
        published_on=date,
        published_precision=precision,
    )
    if valid:
        source.full_clean()
    else:
        with pytest.raises(ValidationError, match="precision"):
            source.full_clean()
    assert "database error" not in caplog.text


def test_review_commissioned_date_must_match_its_precision():
    assert_violates(
        "review_commissioned_on_matches_precision",
        lambda: make_review(commissioned_on=None, commissioned_precision=DatePrecision.DAY),
    )


def test_recommendation_numbers_are_unique_within_a_review():
    review = make_review()
    make_recommendation(review=review, number="1")
    assert_violates("recommendation_number_unique_per_review", lambda: make_recommendation(review=review, number="1"))


def test_unnumbered_recommendations_and_other_reviews_may_share_numbers():
    review, other = make_review(), make_review()
    make_recommendation(review=review, number="")
    make_recommendation(review=review, number="")
    make_recommendation(review=review, number="1")
    make_recommendation(review=other, number="1")
    assert review.recommendations.count() == 3


def test_duplicate_recommendation_number_gets_a_plain_english_validation_message():
    review = make_review()
    first = make_recommendation(review=review, number="2")
    second = make_recommendation(review=review, number="3")
    second.number = first.number
    with pytest.raises(ValidationError) as excinfo:
        second.full_clean()
    assert "already has a recommendation with this number" in str(excinfo.value)


def test_theme_alias_names_are_unique_ignoring_case():
    theme = make_theme()
    ThemeAlias.objects.create(theme=theme, name="Information sharing and communication")
    assert_violates(
        "themealias_name_unique_case_insensitive",
        lambda: ThemeAlias.objects.create(theme=theme, name="INFORMATION SHARING AND COMMUNICATION"),
    )


def test_theme_names_are_unique_ignoring_case():
    make_theme(name="Test Neglect")
    assert_violates("theme_name_unique_case_insensitive", lambda: make_theme(name="test neglect"))


def test_a_tag_is_on_a_review_once_and_named_by_review_slug_and_tag_name():
    review = make_review(slug="test-tagged-review")
    review.tags.add("Test alcohol")
    row = TaggedReview.objects.get()
    assert row.natural_key() == ("test-tagged-review", "Test alcohol")
    assert TaggedReview.objects.get_by_natural_key("test-tagged-review", "Test alcohol") == row
    assert_violates(
        "taggedreview_tag_unique_per_review",
        lambda: TaggedReview.objects.create(content_object=review, tag=row.tag),
    )
    # taggit's own API works as before, and its generic table is not used.
    assert list(review.tags.names()) == ["Test alcohol"]
    assert list(Review.objects.filter(tags__name="Test alcohol")) == [review]
    assert not TaggedItem.objects.exists()


def test_learning_point_cannot_repeat_itself():
    point = make_learning_point(review=make_review())
    point.repeats_id = point.pk
    assert_violates("learningpoint_cannot_repeat_itself", point.save)


def test_item_refs_are_unique():
    review = make_review()
    make_learning_point(review=review, ref="lp-one")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_learning_point(review=review, ref="lp-one")


def test_items_get_a_permanent_ref_and_anchor_when_none_is_given():
    point = make_learning_point(review=make_review(), text="Follow through on referrals.")
    assert point.ref.startswith("lp-follow-through-on-referrals-")
    assert point.anchor == f"lp-{point.ref}"
    assert point.get_absolute_url() == f"{point.review.get_absolute_url()}#{point.anchor}"


def test_review_year_comes_from_publication_then_commissioning_date():
    assert make_review(published_on=datetime.date(2019, 1, 1), published_precision="year").year == 2019
    commissioned_only = make_review(
        published_on=None,
        published_precision=DatePrecision.UNKNOWN,
        commissioned_on=datetime.date(2017, 4, 19),
        commissioned_precision=DatePrecision.DAY,
    )
    assert commissioned_only.year == 2017
    assert make_review(published_on=None, published_precision=DatePrecision.UNKNOWN).year is None


@pytest.mark.parametrize(
    ("date", "precision", "shown"),
    [
        (datetime.date(2017, 4, 19), DatePrecision.DAY, "19 April 2017"),
        (datetime.date(2019, 9, 1), DatePrecision.MONTH, "September 2019"),
        (datetime.date(2016, 1, 1), DatePrecision.YEAR, "2016"),
        (None, DatePrecision.UNKNOWN, ""),
    ],
)
def test_dates_are_shown_only_as_precisely_as_the_source_gives_them(date, precision, shown):
    assert format_partial_date(date, precision) == shown


def test_published_querysets_hide_drafts_and_their_items():
    published, draft = make_review(), make_review(status=PublicationStatus.DRAFT)
    visible = make_learning_point(review=published)
    make_learning_point(review=draft)
    rec = make_recommendation(review=draft)
    make_action(recommendation=rec)
    assert list(Review.objects.published()) == [published]
    assert list(LearningPoint.objects.published()) == [visible]
    assert not Action.objects.published().exists()


def test_cross_cutting_learning_follows_its_source_publication():
    published_source = make_source(status=PublicationStatus.PUBLISHED)
    draft_source = make_source(status=PublicationStatus.DRAFT)
    visible = make_learning_point(review=None, source=published_source)
    make_learning_point(review=None, source=draft_source)
    assert list(LearningPoint.objects.published()) == [visible]


def _sources():
    return make_source(), make_source(status=PublicationStatus.DRAFT)


def _reviews():
    return make_review(), make_review(status=PublicationStatus.DRAFT)


def _recommendations():
    # An entry follows its review's status, not its source's.
    draft_source = make_source(status=PublicationStatus.DRAFT)
    return (
        make_recommendation(review=make_review(), source=draft_source),
        make_recommendation(review=make_review(status=PublicationStatus.DRAFT), source=make_source()),
    )


def _cross_cutting_learning():
    return (
        make_learning_point(review=None, source=make_source()),
        make_learning_point(review=None, source=make_source(status=PublicationStatus.DRAFT)),
    )


def _course_packs():
    return (
        CoursePack.objects.create(slug="published-pack", title="Published", status=PublicationStatus.PUBLISHED),
        CoursePack.objects.create(slug="draft-pack", title="Draft", status=PublicationStatus.DRAFT),
    )


def _search_entries():
    fields = {"kind": SearchEntry.Kind.THEME, "title": "Entry", "url": "/entry/"}
    return (
        SearchEntry.objects.create(object_id=10**9, is_published=True, **fields),
        SearchEntry.objects.create(object_id=10**9 + 1, is_published=False, **fields),
    )


@pytest.mark.parametrize(
    "make_pair",
    [_sources, _reviews, _recommendations, _cross_cutting_learning, _course_packs, _search_entries],
)
def test_staff_see_drafts_and_everyone_else_only_published_rows(make_pair):
    published, draft = make_pair()
    rows = type(published).objects.filter(pk__in=[published.pk, draft.pk])
    assert set(rows.visible_to(AnonymousUser())) == {published}
    assert set(rows.visible_to(User(username="reader"))) == {published}
    assert set(rows.visible_to(User(username="editor", is_staff=True))) == {published, draft}


def test_action_takes_its_review_from_its_recommendation():
    review = make_review()
    action = make_action(recommendation=make_recommendation(review=review))
    assert action.review == review


def test_action_status_change_is_dated():
    action = make_action(review=make_review())
    assert action.status == Action.Status.NOT_STATED
    assert action.status_changed_at is None
    action = Action.objects.get(pk=action.pk)
    action.status = Action.Status.IN_PROGRESS
    action.save()
    changed_at = action.status_changed_at
    assert changed_at is not None
    action = Action.objects.get(pk=action.pk)
    action.owner = "HSCB"
    action.save()
    assert action.status_changed_at == changed_at


def test_first_publication_is_recorded_once():
    review = make_review(status=PublicationStatus.DRAFT)
    assert review.first_published_at is None
    review.status = PublicationStatus.PUBLISHED
    review.save()
    first = review.first_published_at
    assert first is not None
    review.save()
    assert review.first_published_at == first


MARCH_2019 = (datetime.date(2019, 3, 1), DatePrecision.MONTH)
APRIL_2017 = (datetime.date(2017, 4, 19), DatePrecision.DAY)
YEAR_2017 = (datetime.date(2017, 1, 1), DatePrecision.YEAR)
UNDATED = (None, DatePrecision.UNKNOWN)


@pytest.mark.parametrize(
    ("published", "commissioned", "label"),
    [
        (MARCH_2019, APRIL_2017, "published March 2019"),
        (UNDATED, APRIL_2017, "commissioned 19 April 2017"),
        (UNDATED, YEAR_2017, "commissioned 2017"),
        (UNDATED, UNDATED, ""),
    ],
)
def test_a_review_is_dated_by_its_publication_else_its_commissioning(published, commissioned, label):
    """``Review.date_label``: what every page, embed, course pack, feed and printed briefing shows."""
    review = Review(
        published_on=published[0],
        published_precision=published[1],
        commissioned_on=commissioned[0],
        commissioned_precision=commissioned[1],
    )
    assert review.date_label == label

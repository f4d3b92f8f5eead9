"""A review's related reviews (issue 14): candidates are the most recent reviews on each of its themes
(``RELATED_CANDIDATES_PER_THEME`` a theme), ranked by how many of its themes they share, newest first.

On the real knowledge base every review sharing a theme is a candidate, so the related reviews are
exactly those of a ranking over every review; at any size the candidates are bounded and the order is
fixed (ties broken by date, title, then id)."""

import datetime
import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Count

from reviews.kept.pending import flush as kept_flush
from reviews.models import PublicationStatus, Review
from reviews.selectors import common
from reviews.selectors.related_reviews import RELATED_CANDIDATES_PER_THEME, ranked_candidates_query, related_reviews
from reviews.selectors.review_page import review_detail

from .support.factories import make_learning_point, make_recommendation, make_review, make_theme, make_user

ANONYMOUS = AnonymousUser()


def ranked_over_every_review(user, review: Review, theme_ids, limit=common.RELATED_REVIEWS) -> list[int]:
    """The ranking before the candidates were bounded: every review sharing a theme, counted in one GROUP BY."""
    return list(
        common.kept_links(user)
        .filter(theme__in=theme_ids)
        .exclude(review=review)
        .values("review_id", "year", "published_on", "title")
        .annotate(shared_count=Count("pk"))
        .order_by("-shared_count", *common.review_order(), "review_id")
        .values_list("review_id", flat=True)[:limit]
    )


def theme_ids_of(review: Review) -> set[int]:
    return set(common.kept_links().filter(review=review).values_list("theme_id", flat=True))


@pytest.mark.usefixtures("loaded_kb")
def test_on_the_real_knowledge_base_every_review_sharing_a_theme_is_a_candidate(db):
    staff = make_user("test-related-staff")
    reviews = list(Review.objects.order_by("slug"))
    assert len(reviews) >= 7
    compared = 0
    for user in (ANONYMOUS, staff):
        for review in Review.objects.visible_to(user).order_by("slug"):
            theme_ids = theme_ids_of(review)
            expected = ranked_over_every_review(user, review, theme_ids)
            assert [other.pk for other in related_reviews(user, review, theme_ids)] == expected, review.slug
            compared += bool(expected)
    assert compared >= 5
    # The comparison can tell: with one candidate a theme, some review's related reviews change.
    assert any(
        [other.pk for other in related_reviews(ANONYMOUS, review, theme_ids_of(review), per_theme=1)]
        != ranked_over_every_review(ANONYMOUS, review, theme_ids_of(review))
        for review in Review.objects.published()
    )


def test_the_page_shows_the_same_related_reviews_as_the_selector(client, db):
    a, b = make_theme(), make_theme()
    review = make_review()
    make_learning_point(review=review, themes=[a, b])
    close, far = make_review(), make_review()
    make_learning_point(review=close, themes=[a, b])
    make_recommendation(review=far, themes=[b])
    page = review_detail(ANONYMOUS, review.slug)
    assert page.related == [close, far]
    html = client.get(review.get_absolute_url()).content.decode()
    related = html[html.index('id="related"') :]
    assert related.index(close.title) < related.index(far.title)


def dated(year, **overrides):
    return make_review(published_on=datetime.date(year, 1, 1), published_precision="year", **overrides)


def test_candidates_are_the_most_recent_on_each_theme_ranked_by_every_theme_they_share(db):
    wide, narrow = make_theme(name="Test wide"), make_theme(name="Test narrow")
    review = dated(2015)
    make_learning_point(review=review, themes=[wide, narrow])
    newest, newer = dated(2024), dated(2023)
    for other in (newest, newer):
        make_learning_point(review=other, themes=[wide])
    # Old, and third on the wide theme, but the only other review on the narrow one: a candidate through
    # it, and ranked by both the themes it shares, although the wide theme's two candidates leave it out.
    old = dated(2010)
    make_learning_point(review=old, themes=[wide, narrow])

    related = related_reviews(ANONYMOUS, review, {wide.pk, narrow.pk}, per_theme=2)

    assert related == [old, newest, newer]
    assert related[0].shared_themes == [narrow, wide]

    # Two newer reviews on the narrow theme push it out of that theme's candidates too.
    later_a, later_b = dated(2020), dated(2019)
    for other in (later_a, later_b):
        make_learning_point(review=other, themes=[narrow])
    related = related_reviews(ANONYMOUS, review, {wide.pk, narrow.pk}, per_theme=2)
    assert old not in related
    assert related == [newest, newer, later_a, later_b]
    # Every review sharing a theme, when the candidates a theme are enough.
    assert [other.pk for other in related_reviews(ANONYMOUS, review, {wide.pk, narrow.pk}, per_theme=10)] == (
        ranked_over_every_review(ANONYMOUS, review, {wide.pk, narrow.pk})
    )


def test_the_review_itself_and_reviews_the_user_may_not_see_take_no_candidates_place(db):
    theme = make_theme()
    review = dated(2030)  # the newest on its theme: never its own candidate
    make_learning_point(review=review, themes=[theme])
    draft = dated(2029, status=PublicationStatus.DRAFT)
    make_learning_point(review=draft, themes=[theme])
    first, second, third = dated(2022), dated(2021), dated(2020)
    for other in (first, second, third):
        make_learning_point(review=other, themes=[theme])

    assert related_reviews(ANONYMOUS, review, {theme.pk}, per_theme=2) == [first, second]
    staff = make_user("test-related-staff")
    assert related_reviews(staff, review, {theme.pk}, per_theme=2) == [draft, first]


def test_ties_are_broken_by_date_then_title_then_id_whatever_the_order_of_creation(db):
    theme = make_theme()
    review = dated(2000)
    make_learning_point(review=review, themes=[theme])
    same = [
        make_review(title="Test same", published_on=datetime.date(2019, 5, 1), published_precision="day")
        for _ in range(3)
    ]
    earlier_title = make_review(title="Test alike", published_on=datetime.date(2019, 5, 1), published_precision="day")
    later_date = make_review(title="Test zzz", published_on=datetime.date(2019, 6, 1), published_precision="day")
    for other in [*reversed(same), earlier_title, later_date]:
        make_learning_point(review=other, themes=[theme])

    expected = [later_date, earlier_title, *sorted(same, key=lambda other: other.pk)]
    assert related_reviews(ANONYMOUS, review, {theme.pk}, per_theme=50) == expected
    # Cut to three candidates, the same first three: the candidates are read in the same order.
    assert related_reviews(ANONYMOUS, review, {theme.pk}, per_theme=3) == expected[:3]


def test_related_reviews_run_three_queries_however_many_themes(db, django_assert_num_queries):
    themes = [make_theme() for _ in range(6)]
    review = make_review()
    make_learning_point(review=review, themes=themes)
    for theme in themes:
        make_learning_point(review=make_review(), themes=[theme])
    kept_flush()
    with django_assert_num_queries(3):
        related = related_reviews(ANONYMOUS, review, {theme.pk for theme in themes})
    assert len(related) == common.RELATED_REVIEWS


def test_the_candidates_a_theme_are_enough_for_the_real_knowledge_base():
    """The real knowledge base has a few hundred reviews at most: every review on a theme is a candidate."""
    assert RELATED_CANDIDATES_PER_THEME >= 200


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("plans are PostgreSQL's (the suite's PostgreSQL pass runs this)")


def _plan_nodes(node):
    yield node
    for child in node.get("Plans", []):
        yield from _plan_nodes(child)


def test_each_themes_candidates_are_read_in_order_from_the_index_and_cut(postgresql, db):
    """The plan reads at most ``per_theme`` links a theme, in order from the index (no sort of a theme's
    links, no read of them all), then the candidates' own links, however many reviews share the themes."""
    themes = [make_theme() for _ in range(3)]
    review = make_review()
    make_learning_point(review=review, themes=themes)
    for year in range(1960, 2030):
        make_learning_point(review=dated(year), themes=themes[: 1 + year % 3])
    kept_flush()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE reviews_themelink")
    per_theme = 4
    sql, params = ranked_candidates_query(
        ANONYMOUS, review, {theme.pk for theme in themes}, per_theme=per_theme, limit=common.RELATED_REVIEWS
    )
    # As in tests/test_queries.py: at this size a scan is rightly cheaper; what is tested is the index path.
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
        finally:
            cursor.execute("RESET enable_seqscan")
    plan = plan if isinstance(plan, list) else json.loads(plan)
    nodes = list(_plan_nodes(plan[0]["Plan"]))
    reads = [node for node in nodes if node.get("Relation Name") == "reviews_themelink"]
    in_order = [node for node in reads if node.get("Index Name") == "themelink_published_order"]
    assert len(in_order) == len(themes)
    assert all(node["Actual Rows"] * node["Actual Loops"] <= per_theme for node in in_order)
    # Every other read of the kept links is a candidate's own: at most its links, once a candidate.
    candidates = len(themes) * per_theme
    own = [node for node in reads if node not in in_order]
    assert own and all(node["Actual Loops"] <= candidates and node["Node Type"] != "Seq Scan" for node in own)
    assert sum(node["Actual Rows"] * node["Actual Loops"] for node in reads) <= candidates * (1 + len(themes))

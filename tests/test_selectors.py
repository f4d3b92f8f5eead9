"""The page selectors: counts, grouping, filters, source passages, publication."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict

from reviews import selectors
from reviews.api.selectors import reviews_listed, themes_listed
from reviews.forms import ReviewIndexForm
from reviews.kept.pending import flush as kept_flush
from reviews.models import CaseFact, Collection, LearningPoint, PublicationStatus, Resource, Review, Theme
from reviews.selectors.common import attach_themes

from .support.factories import (
    make_action,
    make_learning_point,
    make_partnership,
    make_recommendation,
    make_review,
    make_source,
    make_theme,
)

pytestmark = pytest.mark.django_db

ANONYMOUS = AnonymousUser()


def counted(theme):
    return selectors.with_theme_counts(Theme.objects.filter(pk=theme.pk)).get()


# ---------------------------------------------------------------------------
# Theme counts
# ---------------------------------------------------------------------------


def test_theme_counts_learning_recommendations_reviews_and_years():
    theme = make_theme()
    first = make_review(published_on=datetime.date(2016, 1, 1))
    second = make_review(published_on=datetime.date(2023, 9, 1), published_precision="month")
    make_learning_point(review=first, themes=[theme])
    make_learning_point(review=first, themes=[theme])
    make_recommendation(review=second, themes=[theme])
    theme = counted(theme)
    assert (theme.learning_count, theme.recommendation_count, theme.review_count) == (2, 1, 2)
    assert (theme.first_year, theme.last_year) == (2016, 2023)


def test_a_repeated_paragraph_is_counted_once_but_both_reviews_count():
    theme = make_theme()
    earlier, later = make_review(), make_review()
    original = make_learning_point(review=earlier, themes=[theme], text="Test shared paragraph.")
    make_learning_point(review=later, themes=[theme], text="Test shared paragraph.", repeats=original)
    theme = counted(theme)
    assert theme.learning_count == 1
    assert theme.review_count == 2


def test_a_repeat_counts_for_a_theme_its_original_is_not_on():
    theme, other = make_theme(), make_theme()
    original = make_learning_point(review=make_review(), themes=[other])
    make_learning_point(review=make_review(), themes=[theme], repeats=original)
    assert counted(theme).learning_count == 1


def test_a_repeat_of_a_draft_is_counted_as_learning():
    theme = make_theme()
    original = make_learning_point(review=make_review(status=PublicationStatus.DRAFT), themes=[theme])
    make_learning_point(review=make_review(), themes=[theme], repeats=original)
    assert counted(theme).learning_count == 1


def test_drafts_are_never_counted():
    theme = make_theme()
    draft = make_review(status=PublicationStatus.DRAFT, published_on=datetime.date(2010, 1, 1))
    make_learning_point(review=draft, themes=[theme])
    make_recommendation(review=draft, themes=[theme])
    make_action(review=draft).themes.add(theme)
    theme = counted(theme)
    assert (theme.learning_count, theme.recommendation_count, theme.review_count, theme.first_year) == (0, 0, 0, None)


def test_a_review_with_only_an_action_on_the_theme_counts_as_found():
    theme = make_theme()
    action = make_action(review=make_review())
    action.themes.add(theme)
    assert counted(theme).review_count == 1


def test_public_totals_count_distinct_published_learning():
    review = make_review(partnership=make_partnership())
    original = make_learning_point(review=review)
    make_learning_point(review=make_review(), repeats=original)
    make_learning_point(review=make_review(status=PublicationStatus.DRAFT))
    assert selectors.public_totals() == {"reviews": 2, "partnerships": 1, "learning_points": 1}


# ---------------------------------------------------------------------------
# One rule for "this theme is in this review", everywhere
# ---------------------------------------------------------------------------


@pytest.fixture
def spread():
    """A theme in four published reviews, each through a different kind of entry, and in a draft."""
    theme, other = make_theme(name="Test spread"), make_theme(name="Test other")
    by_learning = make_review(title="Test by learning", published_on=datetime.date(2023, 1, 1))
    make_learning_point(review=by_learning, themes=[theme])
    by_recommendation = make_review(title="Test by recommendation", published_on=datetime.date(2022, 1, 1))
    make_recommendation(review=by_recommendation, themes=[theme])
    by_answer = make_review(title="Test by answer", published_on=datetime.date(2021, 1, 1))
    answered = make_recommendation(review=by_answer, themes=[other])
    make_action(recommendation=answered).themes.add(theme)
    by_action = make_review(title="Test by action", published_on=datetime.date(2020, 1, 1))
    make_action(review=by_action).themes.add(theme)
    draft = make_review(title="Test draft", status=PublicationStatus.DRAFT, published_on=datetime.date(2024, 1, 1))
    make_learning_point(review=draft, themes=[theme])
    make_action(review=draft).themes.add(theme)
    make_learning_point(review=make_review(title="Test elsewhere"), themes=[other])
    return theme, {by_learning, by_recommendation, by_answer, by_action}


# Every reader of "the reviews a theme is in", as the set of reviews (or their number) it gives.
THEME_IN_REVIEW_READERS = {
    "theme counts": lambda theme: counted(theme).review_count,
    "theme years": lambda theme: (counted(theme).first_year, counted(theme).last_year),
    "theme page": lambda theme: {block.review for block in selectors.theme_detail(ANONYMOUS, theme.slug).reviews},
    "review index theme filter": lambda theme: set(read_index(ANONYMOUS, f"theme={theme.slug}")[0].page.object_list),
    "review index theme options": lambda theme: (
        theme.slug
        in dict(next(item for item in selectors.review_index(ANONYMOUS).filters if item.name == "theme").options)
    ),
    "review cards": lambda theme: {
        review for review in selectors.review_index(ANONYMOUS).page.object_list if theme in review.theme_list
    },
    "api theme counts": lambda theme: themes_listed().get(pk=theme.pk).review_count,
    "api theme filter": lambda theme: set(reviews_listed(theme=theme)),
    "home grid": lambda theme: {
        review for row in selectors.recurrence_grid().rows if row.theme == theme for review in row.found_in
    },
    "review pages": lambda theme: {
        review
        for review in Review.objects.published()
        if theme in selectors.review_detail(ANONYMOUS, review.slug).themes
    },
}


@pytest.mark.parametrize("reader", list(THEME_IN_REVIEW_READERS))
def test_every_page_agrees_which_reviews_a_theme_is_in(spread, reader):
    theme, expected = spread
    found = THEME_IN_REVIEW_READERS[reader](theme)
    want = {
        "theme counts": len(expected),
        "api theme counts": len(expected),
        "theme years": (2020, 2023),
        "review index theme options": True,
    }.get(reader, expected)
    assert found == want


def test_themes_found_in_the_same_reviews_count_every_kind_of_entry(spread):
    theme, _ = spread
    other = Theme.objects.get(name="Test other")
    page = selectors.theme_detail(ANONYMOUS, theme.slug)
    # "Test other" is on a recommendation in one of the theme's reviews, and a
    # learning point in a review the theme is not in.
    assert [(neighbour, neighbour.shared_reviews) for neighbour in page.co_occurring] == [(other, 1)]
    assert selectors.theme_detail(ANONYMOUS, other.slug).co_occurring[0].shared_reviews == 1


def test_chosen_related_themes_are_not_listed_again_as_found_in_the_same_reviews():
    theme, chosen, found = make_theme(name="Test a"), make_theme(name="Test b"), make_theme(name="Test c")
    theme.related_themes.add(chosen)
    make_learning_point(review=make_review(), themes=[theme, chosen, found])
    page = selectors.theme_detail(ANONYMOUS, theme.slug)
    assert list(page.theme.related_themes.all()) == [chosen]
    assert page.co_occurring == [found]


def test_no_theme_found_in_the_same_reviews_is_left_out():
    theme = make_theme(name="Test centre")
    others = [make_theme(name=f"Test neighbour {i:02}") for i in range(9)]
    make_learning_point(review=make_review(), themes=[theme, *others[:2]])
    make_learning_point(review=make_review(), themes=[theme, *others])
    page = selectors.theme_detail(ANONYMOUS, theme.slug)
    assert [neighbour.shared_reviews for neighbour in page.co_occurring] == [2, 2, 1, 1, 1, 1, 1, 1, 1]
    assert page.co_occurring_first + page.co_occurring_more == page.co_occurring
    assert len(page.co_occurring_first) == 6 and len(page.co_occurring_more) == 3


def test_a_review_page_has_a_theme_group_for_a_theme_only_its_actions_are_on():
    theme = make_theme()
    review = make_review()
    action = make_action(review=review)
    action.themes.add(theme)
    groups = {group.theme: group for group in selectors.review_detail(ANONYMOUS, review.slug).groups}
    assert groups[theme].elsewhere == [action]


# ---------------------------------------------------------------------------
# Home: recurring-themes grid
# ---------------------------------------------------------------------------


def test_grid_puts_recurring_themes_first_and_counts_each_cell():
    recurring, once = make_theme(name="Test recurring"), make_theme(name="Test once")
    newer = make_review(published_on=datetime.date(2022, 1, 1))
    older = make_review(published_on=datetime.date(2018, 1, 1))
    make_learning_point(review=newer, themes=[recurring, once])
    make_learning_point(review=newer, themes=[recurring])
    make_recommendation(review=older, themes=[recurring])
    make_learning_point(review=make_review(status=PublicationStatus.DRAFT), themes=[once])

    grid = selectors.recurrence_grid()

    assert grid.reviews == [newer, older]
    assert [row.theme for row in grid.rows] == [recurring, once]
    assert grid.rows[0].counts == [2, 1]
    assert grid.rows[1].counts == [1, 0]
    assert grid.rows[1].found_in == [newer]
    assert not grid.is_partial


def test_grid_counts_actions_like_every_other_page():
    theme = make_theme()
    review = make_review()
    make_learning_point(review=review, themes=[theme])
    make_action(review=review).themes.add(theme)
    make_action(recommendation=make_recommendation(review=review)).themes.add(theme)
    assert selectors.recurrence_grid().rows[0].counts == [3]


def test_grid_says_when_it_shows_only_the_most_recent_reviews():
    theme = make_theme()
    for year in range(2010, 2014):
        make_learning_point(review=make_review(published_on=datetime.date(year, 1, 1)), themes=[theme])
    grid = selectors.recurrence_grid(limit=3)
    assert [review.year for review in grid.reviews] == [2013, 2012, 2011]
    assert grid.is_partial and grid.total_reviews == 4


def test_grid_counts_thematic_reviews_apart_in_columns_of_their_own():
    theme = make_theme(name="Test shared")
    single = [make_review(published_on=datetime.date(year, 1, 1)) for year in (2018, 2019, 2020)]
    thematic = [
        make_review(review_type=Review.ReviewType.THEMATIC, published_on=datetime.date(year, 1, 1))
        for year in (2021, 2022)
    ]
    for review in [*single, *thematic]:
        make_learning_point(review=review, themes=[theme])
    grid = selectors.recurrence_grid(limit=2, thematic_limit=1)
    # The newest single reviews, then (apart) the newest thematic one, though the thematic ones are newer.
    assert grid.reviews == [single[2], single[1]] and grid.thematic == [thematic[1]]
    assert grid.columns == [single[2], single[1], thematic[1]]
    assert grid.total_reviews == 3 and grid.total_thematic == 2
    assert grid.is_partial and grid.thematic_is_partial
    (row,) = grid.rows
    assert row.found_in == [single[2], single[1]] and row.found_in_thematic == [thematic[1]]
    assert grid.recurring == [row]


def test_grid_a_theme_only_thematic_reviews_have_does_not_recur():
    theme = make_theme()
    for year in (2021, 2022):
        make_learning_point(
            review=make_review(review_type=Review.ReviewType.THEMATIC, published_on=datetime.date(year, 1, 1)),
            themes=[theme],
        )
    grid = selectors.recurrence_grid()
    assert grid.recurring == [] and grid.found_once == []
    assert [row.theme for row in grid.thematic_only] == [theme]


def test_grid_runs_three_queries_with_the_holdings_given(django_assert_num_queries):
    theme = make_theme()
    make_learning_point(review=make_review(), themes=[theme])
    holdings = selectors.knowledge_base_holdings()
    kept_flush()  # as a commit would: the kept rows written before the page reads them
    with django_assert_num_queries(3):
        grid = selectors.recurrence_grid(holdings=holdings)
        [review.partnership for review in grid.columns]  # loaded with the reviews


# ---------------------------------------------------------------------------
# What the knowledge base holds
# ---------------------------------------------------------------------------


def test_holdings_count_published_reviews_partnerships_thematic_and_years(django_assert_num_queries):
    alpha, bravo = make_partnership(), make_partnership()
    make_review(partnership=alpha, published_on=datetime.date(2016, 1, 1))
    make_review(
        partnership=alpha,
        published_on=None,
        commissioned_on=datetime.date(2014, 1, 1),
        published_precision="unknown",
        commissioned_precision="year",
    )
    make_review(partnership=bravo, review_type=Review.ReviewType.THEMATIC, published_on=datetime.date(2023, 1, 1))
    make_review(published_on=None, published_precision="unknown")  # no partnership, no date
    make_review(partnership=make_partnership(), status=PublicationStatus.DRAFT, published_on=datetime.date(2030, 1, 1))
    kept_flush()  # the kept rows written (as when each change commits): the page then reads one row
    with django_assert_num_queries(1):
        holdings = selectors.knowledge_base_holdings()
    assert holdings == selectors.Holdings(
        reviews=4, partnerships=2, thematic=1, first_year=2014, last_year=2023, undated=1
    )
    assert holdings.years == "2014 to 2023"


# ---------------------------------------------------------------------------
# Themes over time
# ---------------------------------------------------------------------------


def test_themes_over_time_counts_reviews_per_theme_per_year_in_one_query(django_assert_num_queries):
    often, rarely = make_theme(name="Test often"), make_theme(name="Test rarely")
    for year in (2016, 2016, 2019):
        review = make_review(published_on=datetime.date(year, 1, 1))
        make_learning_point(review=review, themes=[often])
        make_learning_point(review=review, themes=[often])  # a review counts once per theme
    make_recommendation(review=make_review(published_on=datetime.date(2018, 1, 1)), themes=[rarely])
    make_learning_point(review=make_review(published_on=None, published_precision="unknown"), themes=[often])
    thematic = make_review(review_type=Review.ReviewType.THEMATIC, published_on=datetime.date(2023, 1, 1))
    make_learning_point(review=thematic, themes=[rarely])
    draft = make_review(status=PublicationStatus.DRAFT, published_on=datetime.date(2010, 1, 1))
    make_learning_point(review=draft, themes=[rarely])
    kept_flush()
    with django_assert_num_queries(1):
        data = selectors.themes_over_time()
    # The years of single reviews only, gaps included; thematic ones apart, drafts nowhere.
    assert data.years == [2016, 2017, 2018, 2019]
    assert [(row.theme.name, row.counts, row.undated, row.thematic) for row in data.rows] == [
        ("Test often", [2, 0, 0, 1], 1, 0),
        ("Test rarely", [0, 0, 1, 0], 0, 1),
    ]
    assert data.rows[0].total == 4 and data.peak == 2


def test_review_cards_give_main_themes_by_entries_then_name():
    review = make_review()
    few, many, also_few = make_theme(name="Test b few"), make_theme(name="Test many"), make_theme(name="Test a few")
    make_learning_point(review=review, themes=[few, many, also_few])
    make_recommendation(review=review, themes=[many])
    (card,) = selectors.review_cards(Review.objects.all()).object_list
    assert card.main_themes == [many, also_few, few] and card.more_themes == 0
    (card,) = attach_themes([Review.objects.get(pk=review.pk)], main=1)
    assert card.main_themes == [many] and card.more_themes == 2


# ---------------------------------------------------------------------------
# Review page: learning grouped by theme
# ---------------------------------------------------------------------------


def test_review_learning_is_grouped_by_theme_each_point_once():
    main, secondary, only_in_recommendations = make_theme(name="Test A"), make_theme(name="Test B"), make_theme()
    review = make_review()
    first = make_learning_point(review=review, themes=[main], position=1)
    both = make_learning_point(review=review, themes=[main, secondary], position=2)
    untagged = make_learning_point(review=review, position=3)
    recommendation = make_recommendation(review=review, themes=[only_in_recommendations])

    page = selectors.review_detail(ANONYMOUS, review.slug)
    groups = {group.theme: group for group in page.groups}

    assert groups[main].points == [first, both]
    assert groups[secondary].points == [] and groups[secondary].elsewhere == [both]
    assert groups[only_in_recommendations].elsewhere == [recommendation]
    assert page.groups[-1].theme is None and page.groups[-1].points == [untagged]
    listed = [point for group in page.groups for point in group.points]
    assert sorted(point.pk for point in listed) == sorted([first.pk, both.pk, untagged.pk])


def test_review_page_keeps_good_practice_and_key_facts_apart():
    review = make_review()
    learning = make_learning_point(review=review)
    good = make_learning_point(review=review, kind=LearningPoint.Kind.GOOD_PRACTICE)
    fact = make_learning_point(review=review, kind=LearningPoint.Kind.KEY_FACT)
    page = selectors.review_detail(ANONYMOUS, review.slug)
    assert [point for group in page.groups for point in group.points] == [learning]
    assert page.good_practice == [good] and page.key_facts == [fact]


def test_review_page_separates_actions_answering_no_recommendation():
    review = make_review()
    recommendation = make_recommendation(review=review)
    answer = make_action(recommendation=recommendation)
    other = make_action(review=review)
    page = selectors.review_detail(ANONYMOUS, review.slug)
    assert list(page.recommendations[0].actions.all()) == [answer]
    assert page.other_actions == [other]


def test_related_reviews_share_the_most_themes_first():
    a, b, c = make_theme(name="Test a"), make_theme(name="Test b"), make_theme(name="Test c")
    review = make_review()
    make_learning_point(review=review, themes=[a, b, c])
    close = make_review()
    make_learning_point(review=close, themes=[a, b])
    far = make_review()
    make_recommendation(review=far, themes=[c])
    make_learning_point(review=make_review(status=PublicationStatus.DRAFT), themes=[a, b, c])
    unrelated = make_review()
    make_learning_point(review=unrelated, themes=[make_theme()])

    related = selectors.review_detail(ANONYMOUS, review.slug).related

    assert related == [close, far]
    assert related[0].shared_themes == [a, b]


def test_a_draft_review_is_found_only_for_staff(staff):
    draft = make_review(status=PublicationStatus.DRAFT)
    assert selectors.review_detail(ANONYMOUS, draft.slug) is None
    assert selectors.review_detail(staff, draft.slug).review == draft


def test_repeats_are_linked_both_ways_but_only_when_visible():
    original = make_learning_point(review=make_review())
    repeat = make_learning_point(review=make_review(), repeats=original)
    hidden = make_learning_point(review=make_review(status=PublicationStatus.DRAFT), repeats=original)

    original_page = selectors.review_detail(ANONYMOUS, original.review.slug)
    repeat_page = selectors.review_detail(ANONYMOUS, repeat.review.slug)

    shown = original_page.groups[0].points[0]
    assert shown.visible_repeats == [repeat]
    assert hidden not in shown.visible_repeats
    assert repeat_page.groups[0].points[0].visible_repeat_of == original


# ---------------------------------------------------------------------------
# Theme page
# ---------------------------------------------------------------------------


def test_theme_page_groups_learning_and_recommendations_by_review(staff):
    theme = make_theme()
    newer = make_review(published_on=datetime.date(2021, 1, 1))
    older = make_review(published_on=datetime.date(2017, 1, 1))
    draft = make_review(status=PublicationStatus.DRAFT, published_on=datetime.date(2024, 1, 1))
    point = make_learning_point(review=older, themes=[theme])
    recommendation = make_recommendation(review=newer, themes=[theme])
    answer = make_action(recommendation=recommendation)
    lone_action = make_action(review=newer)
    lone_action.themes.add(theme)
    make_learning_point(review=draft, themes=[theme])
    make_learning_point(review=older, themes=[make_theme()])

    page = selectors.theme_detail(ANONYMOUS, theme.slug)

    assert [block.review for block in page.reviews] == [newer, older]
    assert page.reviews[0].recommendations == [recommendation]
    assert list(page.reviews[0].recommendations[0].actions.all()) == [answer]
    assert page.reviews[0].actions == [lone_action]
    assert page.reviews[1].learning_points == [point]
    assert next(block.review for block in selectors.theme_detail(staff, theme.slug).reviews) == draft


def test_theme_page_lists_ten_reviews_a_page_each_once_newest_first():
    theme = make_theme()
    reviews = [make_review(published_on=datetime.date(2000 + n, 1, 1)) for n in range(11)]
    for review in reviews:
        make_learning_point(review=review, themes=[theme])

    first = selectors.theme_detail(ANONYMOUS, theme.slug)
    second = selectors.theme_detail(ANONYMOUS, theme.slug, page_number=2)

    assert first.page.paginator.num_pages == 2
    assert [block.review for block in first.reviews] == reviews[:0:-1]
    assert [block.review for block in second.reviews] == [reviews[0]]


def test_theme_page_lists_cross_cutting_learning_and_co_occurring_themes():
    theme, neighbour = make_theme(), make_theme()
    source = make_source()
    cross = make_learning_point(source=source, themes=[theme])
    review = make_review()
    make_learning_point(review=review, themes=[theme])
    make_learning_point(review=review, themes=[neighbour])

    page = selectors.theme_detail(ANONYMOUS, theme.slug)

    assert page.cross_cutting == [cross]
    assert page.co_occurring == [neighbour] and page.co_occurring[0].shared_reviews == 1
    assert source in page.sources


def test_theme_page_marks_a_repeat_whose_original_is_on_the_theme():
    theme = make_theme()
    original = make_learning_point(review=make_review(published_on=datetime.date(2016, 1, 1)), themes=[theme])
    repeat = make_learning_point(
        review=make_review(published_on=datetime.date(2019, 1, 1)), themes=[theme], repeats=original
    )
    page = selectors.theme_detail(ANONYMOUS, theme.slug)
    points = {point.pk: point for block in page.reviews for point in block.learning_points}
    assert points[repeat.pk].repeat_on_theme and not points[original.pk].repeat_on_theme


def test_unknown_theme_is_none():
    assert selectors.theme_detail(ANONYMOUS, "no-such-theme") is None


# ---------------------------------------------------------------------------
# Review index
# ---------------------------------------------------------------------------


@pytest.fixture
def indexed():
    theme = make_theme()
    partnership = make_partnership()
    matching = make_review(partnership=partnership, review_type="cspr", published_on=datetime.date(2021, 1, 1))
    matching.tags.add("test-tag")
    make_learning_point(review=matching, themes=[theme])
    other = make_review(published_on=datetime.date(2018, 1, 1))
    draft = make_review(status=PublicationStatus.DRAFT, partnership=make_partnership())
    draft.tags.add("test-draft-tag")
    return theme, partnership, matching, other


def read_index(user, query: str):
    """The review index as its page reads the query string: its form, then the selector. (index, ignored)"""
    filters = selectors.review_filters(user)
    form = ReviewIndexForm(QueryDict(query), filters=filters)
    return selectors.review_index(user, chosen=form.chosen, filters=filters), form.ignored


@pytest.mark.parametrize(
    "param, value",
    [("partnership", "partnership"), ("type", "cspr"), ("year", "2021"), ("theme", "theme"), ("tag", "test-tag")],
)
def test_each_filter_narrows_the_index(indexed, param, value):
    theme, partnership, matching, _ = indexed
    value = {"partnership": partnership.slug, "theme": theme.slug}.get(value, value)
    index, ignored = read_index(ANONYMOUS, f"{param}={value}")
    assert list(index.page.object_list) == [matching]
    assert not ignored
    assert [item.name for item in index.active] == [param]


@pytest.mark.parametrize(
    "query",
    ["theme=no-such-theme", "year=twenty", "year=1999", "type=made-up", "tag=test-draft-tag", "partnership=x%00y"],
)
def test_unknown_filter_values_are_ignored_with_a_message(indexed, query):
    index, ignored = read_index(ANONYMOUS, query)
    assert len(index.page.object_list) == 2
    assert len(ignored) == 1 and "was ignored" in ignored[0]


def test_filter_options_offer_only_what_finds_a_visible_review(indexed, staff):
    options = {item.name: [value for value, _ in item.options] for item in selectors.review_index(ANONYMOUS).filters}
    assert "test-draft-tag" not in options["tag"]
    assert options["year"] == ["2021", "2018"]
    assert options["type"] == ["scr", "cspr"]  # in the order of the choices
    make_review(status=PublicationStatus.DRAFT, review_type="rapid", published_on=datetime.date(2024, 1, 1))
    staff_options = {item.name: [v for v, _ in item.options] for item in selectors.review_index(staff).filters}
    assert "test-draft-tag" in staff_options["tag"]
    assert staff_options["year"] == ["2024", "2021", "2020", "2018"]  # a draft dated 2020 by the factory
    assert staff_options["type"] == ["scr", "cspr", "rapid"]
    options = {item.name: [value for value, _ in item.options] for item in selectors.review_index(ANONYMOUS).filters}
    assert (options["year"], options["type"]) == (["2021", "2018"], ["scr", "cspr"])


def test_review_cards_carry_counts_and_themes(indexed):
    theme, _, matching, _ = indexed
    make_recommendation(review=matching)
    card = next(review for review in selectors.review_index(ANONYMOUS).page.object_list if review == matching)
    assert (card.learning_count, card.recommendation_count) == (1, 1)
    assert card.theme_list == [theme]


# ---------------------------------------------------------------------------
# Source page: passages and what was drawn from them
# ---------------------------------------------------------------------------

ORIGINAL = """Test heading

Test first paragraph with a [placeholder link](#) and **bold words**.
It continues on a second line.

- Test bullet one
- Test bullet two

Test last paragraph."""


def test_original_text_splits_into_passages_at_blank_lines():
    passages = selectors.split_passages(ORIGINAL)
    assert [passage.number for passage in passages] == [1, 2, 3, 4]
    assert passages[1].text.endswith("It continues on a second line.")
    assert passages[2].text == "- Test bullet one\n- Test bullet two"


def test_items_are_placed_in_the_passage_their_wording_comes_from():
    source = make_source(original_text=ORIGINAL)
    review = make_review()
    paragraph = make_learning_point(
        review=review, source=source, text="Test first paragraph with a placeholder link and **bold words**."
    )
    bullet = make_recommendation(review=review, source=source, text="Test bullet two")
    fact = CaseFact.objects.create(review=review, source=source, text="Test last paragraph.")
    elsewhere = make_learning_point(review=review, source=source, text="Test words found nowhere in the briefing.")

    page = selectors.source_detail(ANONYMOUS, source.slug)

    assert page.passages[1].items == [paragraph]
    assert page.passages[2].items == [bullet]
    assert page.passages[3].items == [fact]
    assert page.unplaced == [elsewhere]
    assert page.item_count == 4


@pytest.mark.parametrize(
    "text, markdown",
    [
        ("Test **bold**, a [real link](https://example.org/).", "Test **bold**, a [real link](https://example.org/)."),
        ("See [Test Protocol](#) now.", "See Test Protocol now."),
        ("See [ test   protocol ](#) now.", "See  test   protocol  now."),
        ('Row\t<ul style="x"><li>cell</li></ul>', 'Row\t&lt;ul style="x">&lt;li>cell&lt;/li>&lt;/ul>'),
        ("Test <u>under</u> <B>bold</B> <script>x</script>", "Test <u>under</u> <B>bold</B> &lt;script>x&lt;/script>"),
        ("Test row one \nTest row two", "Test row one  \nTest row two"),
        ("Test list:\n- one\n- two\n  more", "Test list:\n- one\n- two  \n  more"),
        ("\tGood Practice\tLearning Points", "Good Practice\tLearning Points"),
    ],
    ids=["markdown", "placeholder", "loosely", "html", "emphasis", "line breaks", "list", "indent"],
)
def test_passages_are_rendered_as_markdown_with_their_html_as_text(text, markdown):
    assert selectors.passage_markdown(text) == markdown


def test_a_name_the_briefing_gave_without_an_address_is_plain_text_not_a_link(client):
    source = make_source(original_text="Test heading\n\nRead the [Test Protocol](#) first.")
    Resource.objects.create(source=source, name="Test Protocol")
    page = selectors.source_detail(ANONYMOUS, source.slug)
    assert page.passages[1].markdown == "Read the Test Protocol first."
    assert page.passages[1].text == "Read the [Test Protocol](#) first."  # as received
    html = client.get(source.get_absolute_url()).content.decode()
    assert "Read the Test Protocol first." in html


def test_source_page_hides_entries_of_draft_reviews_from_the_public(staff):
    source = make_source(original_text=ORIGINAL)
    make_learning_point(review=make_review(status=PublicationStatus.DRAFT), source=source, text="Test last paragraph.")
    assert selectors.source_detail(ANONYMOUS, source.slug).item_count == 0
    assert selectors.source_detail(staff, source.slug).item_count == 1


def test_excluded_passages_are_shown_where_they_are():
    source = make_source(
        original_text=ORIGINAL,
        excluded_passages=[
            {"text": "Test heading", "reason": "Test reason: a heading."},
            {"text": "Not in the text", "reason": "Test reason: elsewhere."},
        ],
    )
    page = selectors.source_detail(ANONYMOUS, source.slug)
    assert page.passages[0].excluded[0]["reason"] == "Test reason: a heading."
    assert page.unplaced_exclusions[0]["reason"] == "Test reason: elsewhere."


def test_draft_source_is_found_only_for_staff(staff):
    source = make_source(status=PublicationStatus.DRAFT)
    assert selectors.source_detail(ANONYMOUS, source.slug) is None
    assert selectors.source_detail(staff, source.slug).source == source


# ---------------------------------------------------------------------------
# Collections, partnerships, tags
# ---------------------------------------------------------------------------


def test_collection_lists_its_published_reviews():
    source = make_source()
    collection = Collection.objects.create(slug="test-collection", title="Test collection", source=source)
    one = make_review(collection=collection, title="Test child one")
    make_review(collection=collection, status=PublicationStatus.DRAFT)
    found, page = selectors.collection_detail(ANONYMOUS, collection.slug)
    assert found == collection and list(page.object_list) == [one]


def test_partnerships_without_anything_public_are_not_listed():
    shown, hidden = make_partnership(), make_partnership()
    make_review(partnership=shown)
    make_review(partnership=hidden, status=PublicationStatus.DRAFT)
    listed = list(selectors.partnership_list(ANONYMOUS))
    assert listed == [shown] and listed[0].review_count == 1


def test_a_tag_only_drafts_use_is_not_found_by_the_public(staff):
    make_review(status=PublicationStatus.DRAFT).tags.add("test-secret")
    make_review().tags.add("test-open")
    assert selectors.tag_detail(ANONYMOUS, "test-secret") is None
    assert selectors.tag_detail(staff, "test-secret") is not None
    assert [tag.name for tag in selectors.tag_list(ANONYMOUS)] == ["test-open"]


@pytest.mark.django_db
@pytest.mark.parametrize("per_page", [1, 2, 3, 7])
def test_review_cards_pages_hold_the_ordered_reviews_in_turn(per_page):
    """The page's ids are read first (``IdsFirstPaginator``): every page holds the same reviews, in the
    same order, as slicing the ordered list would, and out-of-range page numbers get the last page."""
    from reviews.selectors.common import review_order

    for year in (2018, 2021, 2019, 2021, None, 2020, 2018):
        make_review(
            published_on=datetime.date(year, 1, 1) if year else None,
            published_precision="year" if year else "unknown",
        )
    make_review(status=PublicationStatus.DRAFT)
    reviews = Review.objects.published().order_by(*review_order(), "pk")
    expected = list(reviews)
    pages = -(-len(expected) // per_page)
    found = []
    for number in range(1, pages + 1):
        page = selectors.review_cards(reviews, page_number=number, per_page=per_page)
        assert page.paginator.count == len(expected) and page.paginator.num_pages == pages
        found += list(page.object_list)
    assert found == expected
    assert (
        list(selectors.review_cards(reviews, page_number="999", per_page=per_page).object_list)
        == expected[(pages - 1) * per_page :]
    )

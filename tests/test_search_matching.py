"""What a search matches and what ranks first: phrases with common words, theme
names kept apart, context that cannot match alone, broader words, exact theme names.

Each test builds the few entries it needs, so its answer is exact on SQLite
(FTS5) and on PostgreSQL (tsvector) alike.
"""

import pytest

from reviews.models import ThemeAlias

from .support.factories import (
    make_learning_point,
    make_public_theme,
    make_recommendation,
    make_review,
    make_source,
    make_theme,
)
from .support.search import entry_key, make_corpus, result_keys, run_search


@pytest.fixture
def source(db):
    return make_source()


@pytest.fixture
def review(db):
    return make_review(title="Test review of lighthouses")


# Quoted phrases keep their common words ------------------------------------------------


@pytest.fixture
def follow_through(review, source):
    """Two entries with the phrase, and two with only "follow" (and "through" elsewhere)."""
    return {
        "phrase": make_learning_point(
            review=review, source=source, text='Test learning: agencies must "Follow Through" on every referral.'
        ),
        "stemmed": make_learning_point(
            review=review, source=source, text="Test learning: the nurse was following through on the plan."
        ),
        "apart": make_learning_point(
            review=review, source=source, text="Test learning: staff follow the plan through the winter."
        ),
        "follow": make_learning_point(review=review, source=source, text="Test learning: follow the written plan."),
    }


def test_a_quoted_phrase_keeps_a_common_word_at_its_end(follow_through):
    page = run_search('"follow through"')
    assert sorted(result_keys(page)) == sorted(entry_key(follow_through[name]) for name in ("phrase", "stemmed"))
    assert page.notices == []
    html = "".join(str(result.title) for result in page.results)
    assert "<mark>Follow Through</mark>" in html  # The common word is marked too, on both databases.
    assert "<mark>following through</mark>" in html


def test_a_quoted_phrase_keeps_common_words_at_its_start(review, source):
    hours = make_learning_point(
        review=review, source=source, text="Test learning: calls made out of hours were missed."
    )
    make_learning_point(review=review, source=source, text="Test learning: the hours of the clinic changed.")
    assert result_keys(run_search('"out of hours"')) == [entry_key(hours)]


def test_either_phrase_with_common_words(follow_through, review, source):
    hours = make_learning_point(review=review, source=source, text="Test learning: calls out of hours were missed.")
    keys = result_keys(run_search('"follow through" or "out of hours"'))
    expected = (follow_through["phrase"], follow_through["stemmed"], hours)
    assert sorted(keys) == sorted(entry_key(obj) for obj in expected)
    # With another word: each result has it and one of the phrases.
    keys = result_keys(run_search('"follow through" or "out of hours" referral'))
    assert keys == [entry_key(follow_through["phrase"])]


def test_leaving_out_a_phrase_with_a_common_word_leaves_out_only_the_phrase(follow_through):
    keys = result_keys(run_search('plan -"follow through"'))
    assert sorted(keys) == sorted(entry_key(follow_through[name]) for name in ("apart", "follow"))


def test_unquoted_the_common_word_is_left_out_but_the_phrase_ranks_first(follow_through):
    page = run_search("follow through")
    keys = result_keys(page)
    assert len(keys) == 4  # "through" is not searched for...
    assert set(keys[:2]) == {entry_key(follow_through["phrase"]), entry_key(follow_through["stemmed"])}  # ...but ranks.
    assert page.notices == ["“through” is too common a word to search for, so it was left out."]
    assert page.as_phrase == '"follow through"'
    # Where the words are together, they are marked together.
    first = page.results[result_keys(page).index(entry_key(follow_through["phrase"]))]
    assert '"<mark>Follow Through</mark>"' in first.title


def test_a_hyphenated_word_with_a_common_word_is_a_phrase(review, source):
    follow_up = make_learning_point(review=review, source=source, text="Test learning: the follow-up visit was late.")
    make_learning_point(review=review, source=source, text="Test learning: staff did not follow the guidance.")
    assert result_keys(run_search("follow-up")) == [entry_key(follow_up)]


# Theme names and aliases are kept apart ----------------------------------------------------


def test_a_phrase_cannot_run_from_one_theme_name_into_the_next(review, source):
    # Filed under two themes whose names, written one after the other, would
    # read "... Test heron escalation | Policy and test egrets ...".
    first = make_theme(name="Test heron escalation")
    second = make_theme(name="Policy and test egrets")
    filed = make_learning_point(review=review, source=source, themes=[first, second], text="Test learning on herons.")
    literal = make_learning_point(
        review=review, source=source, text="Test learning: use the egrets escalation policy when you disagree."
    )
    assert result_keys(run_search('"escalation policy"')) == [entry_key(literal)]
    # Unquoted, both have both words, and the one that says them together comes first.
    keys = result_keys(run_search("escalation policy"))
    assert keys[0] == entry_key(literal)
    assert entry_key(filed) in keys


def test_a_phrase_cannot_run_from_a_theme_name_into_its_alias(review, source):
    theme = make_theme(name="Test cormorant escalation")
    ThemeAlias.objects.create(theme=theme, name="Policy on test cormorants")
    make_learning_point(review=review, source=source, themes=[theme], text="Test learning on cormorants.")
    keys = result_keys(run_search('"escalation policy"'))
    assert keys == []


def test_a_phrase_still_matches_inside_one_theme_name(review, source):
    theme = make_theme(name="Test escalation policy theme")
    point = make_learning_point(review=review, source=source, themes=[theme], text="Test learning on gulls.")
    assert entry_key(point) in result_keys(run_search('"escalation policy"'))


# An item's review title is context, not a match on its own ---------------------------------


def test_the_review_title_alone_does_not_find_the_reviews_items(review, source):
    point = make_learning_point(review=review, source=source, text="Test learning about kestrels.")
    assert result_keys(run_search("lighthouses")) == [entry_key(review)]
    # With a word of its own, the review's title still counts for the item.
    assert result_keys(run_search("lighthouses kestrels")) == [entry_key(point)]


def test_who_a_recommendation_is_for_still_finds_it_on_its_own(review, source):
    recommendation = make_recommendation(review=review, source=source, addressed_to="Test Ospreys Trust")
    assert result_keys(run_search("ospreys")) == [entry_key(recommendation)]


# Broader words --------------------------------------------------------------------------


def test_co_sleeping_also_finds_safe_sleeping_learning_after_what_says_co_sleeping(review, source):
    theme = make_theme(name="Test safe sleeping theme")
    says_it = make_learning_point(review=review, source=source, text="Test learning: the baby died after co-sleeping.")
    filed = make_learning_point(review=review, source=source, themes=[theme], text="Test learning about cots.")
    guidance = make_learning_point(review=review, source=source, text="Test learning: safer sleep guidance was given.")
    for query in ("co-sleeping", "bed sharing", "co-sleep", "cosleeping"):
        keys = result_keys(run_search(query))
        assert keys[0] == entry_key(says_it), query
        assert {entry_key(theme), entry_key(filed), entry_key(guidance)} <= set(keys), query
    # One way only: sleep does not look for co-sleeping.
    assert entry_key(says_it) in result_keys(run_search("sleep"))  # Through the word "sleeping" itself.
    assert result_keys(run_search("cots")) == [entry_key(filed)]


# A theme's exact name or alias ranks it first ---------------------------------------------------


def test_a_theme_whose_alias_is_exactly_the_search_comes_first(review, source):
    theme = make_public_theme(name="Test multi-agency plovers")
    ThemeAlias.objects.create(theme=theme, name="Test Interagency Plovers")
    # Items whose heading is the alias word for word weigh more than an alias would.
    for number in range(3):
        make_learning_point(
            review=review,
            source=source,
            heading="Test Interagency Plovers",
            text=f"Test learning {number}: test interagency plovers matter.",
        )
    for query in ("Test Interagency Plovers", "test interagency plovers", '"Test Interagency Plovers"'):
        page = run_search(query)
        assert result_keys(page)[0] == entry_key(theme), query
        assert page.results[0].subtitle == "Also known as: <mark>Test Interagency Plovers</mark>"


def test_only_the_whole_name_ranks_a_theme_first(review, source):
    make_theme(name="Test plovers and waders")
    point = make_learning_point(review=review, source=source, heading="Plovers", text="Test learning: plovers plovers.")
    assert result_keys(run_search("plovers"))[0] == entry_key(point)


def test_the_corpus_alias_cases_still_hold(db):
    corpus = make_corpus()
    assert result_keys(run_search("Test professional challenge"))[0] == entry_key(corpus.escalation)
    assert result_keys(run_search("Test cot death prevention"))[0] == entry_key(corpus.sleep)

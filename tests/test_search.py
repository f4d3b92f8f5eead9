"""Search behaviour on a small synthetic knowledge base, on whichever database runs the suite.

Table-driven: each case is a query and what must come first (and, where the
answer is exact, everything that must be found). CI runs this module on
SQLite (FTS5) and on PostgreSQL (tsvector), so every case holds on both.
"""

import pytest

from reviews.models import SearchEntry

from .support.search import entry_key, make_corpus, result_keys, run_search

Kind = SearchEntry.Kind


@pytest.fixture
def corpus(db):
    return make_corpus()


# (query, the object whose entry comes first, every object found or None when only the first is pinned)
FIRST_RESULTS = [
    pytest.param("arranging", "lp_sleep", ["lp_sleep"], id="stemming: arranging finds arrangements"),
    pytest.param("ARRANGEMENT", "lp_sleep", ["lp_sleep"], id="case and plural"),
    pytest.param('"escalation policy"', "lp_escalation", ["lp_escalation"], id="quoted phrase: words together"),
    pytest.param("escalation policy", "lp_escalation", ["lp_escalation", "lp_policy"], id="both words; together first"),
    pytest.param("policy escalation", "lp_policy", ["lp_escalation", "lp_policy"], id="typed order ranks the phrase"),
    pytest.param("professional challenge", "escalation", None, id="alias finds its theme first"),
    pytest.param("dad", "lp_father", ["lp_father"], id="synonym: dad finds father"),
    pytest.param("recommendation 3", "recommendation", ["recommendation", "action"], id="recommendation by number"),
    pytest.param("action on recommendation 3", "action", None, id="an action's own title is searched"),
    pytest.param("constabulary", "recommendation", ["recommendation"], id="addressed to"),
    pytest.param("quayside", "action", ["action"], id="action owner"),
    pytest.param("cosleeping", "review_a", None, id="review tag, through a synonym, first"),
    pytest.param("southshire", "review_b", ["review_b"], id="review by partnership name"),
    pytest.param("hedgehog", "lp_cross", ["lp_cross"], id="cross-cutting learning of a published source"),
    pytest.param("hedgehog or zebrafish", "lp_cross", ["lp_cross"], id="or: either word, drafts still hidden"),
    pytest.param("baby -alcohol -father", "lp_sleep", ["lp_sleep"], id="minus leaves words out"),
    pytest.param('baby -"at night" -father', "lp_sleep", ["lp_sleep"], id="minus before a quoted phrase"),
    pytest.param("missing children procedure", "recommendation", ["recommendation", "action"], id="several words"),
    pytest.param("cot death prevention", "sleep", None, id="alias phrase: theme first"),
]


@pytest.mark.parametrize(("query", "first", "found"), FIRST_RESULTS)
def test_first_results(corpus, query, first, found):
    page = run_search(query)
    keys = result_keys(page)
    assert keys, f"{query!r} found nothing"
    assert keys[0] == entry_key(getattr(corpus, first)), keys
    if found is not None:
        assert sorted(keys) == sorted(entry_key(getattr(corpus, name)) for name in found)
        assert page.total == len(found)


def test_an_alias_finds_the_theme_and_everything_filed_under_it(corpus):
    keys = result_keys(run_search("professional challenge"))
    assert entry_key(corpus.escalation) in keys
    assert entry_key(corpus.lp_escalation) in keys
    # A review is filed under its items' themes.
    assert entry_key(corpus.review_a) in keys
    assert entry_key(corpus.lp_policy) not in keys  # Mentions escalation but is not filed under the theme.


def test_a_theme_name_finds_items_filed_under_it_that_do_not_use_the_words(corpus):
    keys = result_keys(run_search("safe sleep theme"))
    assert entry_key(corpus.lp_alcohol) in keys  # Its text never says "sleep".


@pytest.mark.parametrize("query", ["zebrafish", '"zebrafish procedure"', "draft", "Test draft review"])
def test_drafts_are_never_found_by_the_public(corpus, query):
    page = run_search(query)
    assert all(result.entry.is_published for result in page.results)
    keys = result_keys(page)
    assert entry_key(corpus.lp_draft) not in keys
    assert entry_key(corpus.draft) not in keys


def test_staff_find_drafts_labelled(corpus, staff):
    page = run_search("zebrafish", user=staff)
    assert result_keys(page) == [entry_key(corpus.lp_draft)]
    assert page.results[0].is_draft


def test_highlights_mark_the_matched_words_and_stems(corpus):
    result = run_search("arranging").results[0]
    # A short text is the title whole: no snippet repeats it.
    assert "<mark>arrangements</mark>" in result.title
    assert result.snippet == ""
    result = run_search("sleep heading").results[0]
    assert result.section == "Test <mark>heading</mark> on <mark>sleep</mark>"


def test_each_result_has_its_type_review_themes_and_anchor(corpus):
    result = run_search('"escalation policy"').results[0]
    assert result.kind_label == "Learning point"
    assert result.review == corpus.review_a
    assert result.partnership == corpus.partnership_a
    assert [theme.name for theme in result.themes] == ["Test escalation theme"]
    assert result.url == corpus.lp_escalation.get_absolute_url()
    assert "#lp-" in result.url


# Facets ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filters", "found"),
    [
        pytest.param({"type": "learning-point"}, ["lp_sleep", "lp_alcohol", "lp_father"], id="type"),
        pytest.param({"theme": "test-safe-sleep"}, ["lp_sleep", "lp_alcohol"], id="theme"),
        pytest.param({"year": "2021"}, ["lp_alcohol", "lp_father"], id="year"),
        pytest.param({"partnership": "test-northshire"}, ["lp_sleep"], id="partnership"),
        pytest.param({"review": "test-review-b"}, ["lp_alcohol", "lp_father"], id="review"),
        pytest.param({"year": ["2019", "2021"]}, ["lp_sleep", "lp_alcohol", "lp_father"], id="two years: either"),
        pytest.param({"year": "2021", "theme": "test-safe-sleep"}, ["lp_alcohol"], id="two facets: both"),
        pytest.param({"type": "action"}, [], id="nothing of that type"),
    ],
)
def test_facets_narrow_the_results(corpus, filters, found):
    page = run_search("baby", **filters)
    assert sorted(result_keys(page)) == sorted(entry_key(getattr(corpus, name)) for name in found)
    assert page.total == len(found)


def _counts(page, facet_name):
    facet = next(facet for facet in page.facets if facet.name == facet_name)
    return {option.label: option.count for option in facet.options}


def test_facet_counts(corpus):
    page = run_search("baby")
    assert page.total == 3
    assert _counts(page, "type") == {"Learning points": 3}
    assert _counts(page, "theme") == {"Test safe sleep theme": 2}
    assert _counts(page, "year") == {"2019": 1, "2021": 2}
    assert _counts(page, "partnership") == {"Test Northshire Partnership": 1, "Test Southshire Partnership": 2}
    assert _counts(page, "review") == {"Test review B": 2, "Test review A": 1}


def test_facet_counts_leave_out_their_own_filter(corpus):
    page = run_search("baby", year="2019")
    assert page.total == 1
    # The year facet still shows what choosing 2021 as well would add...
    assert _counts(page, "year") == {"2019": 1, "2021": 2}
    # ...while the other facets count only 2019's results.
    assert _counts(page, "partnership") == {"Test Northshire Partnership": 1}
    year = next(facet for facet in page.facets if facet.name == "year")
    assert [option.label for option in year.selected] == ["2019"]


def test_draft_review_is_not_a_facet_value_for_the_public(corpus, staff):
    page = run_search("zebrafish", review="test-draft-review")
    assert page.total == 0
    assert any("test-draft-review" in notice for notice in page.notices)
    page = run_search("zebrafish", user=staff, review="test-draft-review")
    assert page.total == 1


# When nothing matches -----------------------------------------------------------


def test_nothing_with_all_the_words_falls_back_to_any_of_them(corpus):
    page = run_search("hedgehog unicorn")
    assert page.relaxed
    assert result_keys(page) == [entry_key(corpus.lp_cross)]


def test_relaxed_results_with_more_of_the_words_come_first(corpus):
    page = run_search("father health unicorn")
    assert page.relaxed
    assert result_keys(page)[0] == entry_key(corpus.lp_father)


def test_a_misspelling_gets_a_suggestion_that_finds_something(corpus):
    page = run_search("hedgehgo")
    assert page.total == 0
    assert page.suggestion == "hedgehog"


def test_no_suggestion_that_would_only_find_drafts(corpus, staff):
    assert run_search("zebrafsh").suggestion == ""
    assert run_search("zebrafsh", user=staff).suggestion == "zebrafish"


def test_themes_named_like_the_search_are_suggested(corpus):
    page = run_search("escalaton")
    assert corpus.escalation in page.suggested_themes


def test_matching_ids_for_staff_tools(corpus):
    from reviews.models import LearningPoint, Review
    from reviews.search import matching_ids

    assert matching_ids(LearningPoint, "escalation policy") == [corpus.lp_escalation.pk, corpus.lp_policy.pk]
    assert matching_ids(LearningPoint, "zebrafish") == [corpus.lp_draft.pk]  # Staff tools see drafts.
    assert matching_ids(Review, "southshire") == [corpus.review_b.pk]
    assert matching_ids(Review, "") == []
    assert matching_ids(Review, '"" -') == []

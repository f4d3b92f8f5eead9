"""Practitioners' searches on the real knowledge base (the five briefings, loaded by ``load_kb``).

Each expectation comes from reading the briefings in ``/work/shared/briefings``:
e.g. the Swindon SCRs S & D briefing says the two babies died "as a result of
co-sleeping" and sends readers to the "LSCB Escalation Policy"; Salford's
recurring-themes briefing says a male in the family network is often "not
known about by agencies". Results are identified by their addresses (the
fixtures' permanent refs), never by database ids.
"""

import pytest
from django.utils.html import strip_tags

from .support.search import run_search

pytestmark = pytest.mark.usefixtures("loaded_kb_module")

SCRS_S_AND_D = "/reviews/scrs-s-and-d/"
SAFE_SLEEPING_GUIDANCE = "/reviews/scrs-s-and-d/#lp-s-and-d-lp-01"
SAFE_SLEEPING_THEME = "/themes/safe-sleeping/"
# Child K recommendation 4: "review the guidance and information about ‘safe-sleeping’ arrangements".
SAFE_SLEEPING_ARRANGEMENTS = "/reviews/child-k/#rec-child-k-rec-4"
ESCALATION_POLICY = "/reviews/scrs-s-and-d/#lp-s-and-d-lp-09"
# Child One: the principle of "Follow Through", in a learning point and a recommendation.
FOLLOW_THROUGH = {"/reviews/spr-child-one/#lp-child-one-lp-01", "/reviews/spr-child-one/#rec-child-one-rec-02"}
ROLES_OF_MALES = "/reviews/salford-recurring-themes-2021-23/#lp-salford-lp-03"
WATER_SAFETY = "/reviews/salford-recurring-themes-2021-23/#lp-salford-lp-04"


def urls(query, **params):
    return [result.url for result in run_search(query, **params).results]


# (query, an address that must be among the first `within` results, within)
CASES = [
    pytest.param("co-sleeping", SCRS_S_AND_D, 1, id="co-sleeping: the SCRs S & D review"),
    pytest.param("cosleeping", SCRS_S_AND_D, 1, id="cosleeping written as one word"),
    pytest.param("bed sharing", SCRS_S_AND_D, 1, id="bed sharing means co-sleeping"),
    pytest.param("sleeping", SAFE_SLEEPING_GUIDANCE, 2, id="sleeping: safe sleeping guidance"),
    pytest.param("sleeping", "/themes/safe-sleeping/", 2, id="sleeping: the safe sleeping theme"),
    pytest.param("safe sleep", SAFE_SLEEPING_GUIDANCE, 2, id="stemming: sleep finds Sleeping"),
    # The one entry that says "LSCB Escalation Policy", not one filed under
    # "Escalation and professional challenge" and "Policies and procedures".
    pytest.param("escalation policy", ESCALATION_POLICY, 1, id="escalation policy"),
    pytest.param('"escalation policy"', ESCALATION_POLICY, 1, id="quoted escalation policy"),
    pytest.param("dad not known to services", ROLES_OF_MALES, 1, id="dad not known to services"),
    pytest.param("fathers", ROLES_OF_MALES, 2, id="fathers"),
    pytest.param("dads", ROLES_OF_MALES, 2, id="dads means fathers"),
    pytest.param("knife crime", "/themes/adolescents-and-serious-violence/", 1, id="knife crime: the theme"),
    pytest.param("Lullaby Trust", SAFE_SLEEPING_GUIDANCE, 1, id="a named resource in the text"),
    pytest.param("red book", SAFE_SLEEPING_GUIDANCE, 1, id="the red book"),
    pytest.param("babies bath", WATER_SAFETY, 1, id="babies unattended in the bath"),
    pytest.param("strategy meetings", "/themes/strategy-meetings-and-conferences/", 1, id="strategy meetings theme"),
]


@pytest.mark.parametrize(("query", "url", "within"), CASES)
def test_practitioners_searches_find_the_learning(db, query, url, within):
    found = urls(query)
    assert url in found[:within], found[:5]


@pytest.mark.parametrize(
    ("alias", "theme"),
    [
        ("Interagency Working", "/themes/multi-agency-working/"),
        ("Transition Issues", "/themes/transition-to-adult-services/"),
        ("When a Child is Invisible to Significant Agencies", "/themes/children-invisible-to-services/"),
        ("Communication and Information Sharing", "/themes/information-sharing/"),
    ],
)
def test_a_boards_heading_for_a_theme_finds_the_theme(db, alias, theme):
    assert theme in urls(alias)


def test_an_alias_finds_items_filed_under_the_theme_without_the_words(db):
    # Salford files its knife-crime learning under the theme whose other name is
    # "Knife crime /Adolescents"; the Child Three review is filed under
    # "Transition to adult services", whose alias is "Transition Issues".
    found = urls('"transition issues"')
    assert "/themes/transition-to-adult-services/" in found
    assert any(url.startswith("/reviews/spr-child-three/") for url in found)


@pytest.mark.parametrize("query", ["co-sleeping", "bed sharing", "co-sleep"])
def test_co_sleeping_finds_the_safe_sleeping_learning(db, query):
    found = urls(query)
    assert found[0] == SCRS_S_AND_D  # The briefing that says "co-sleeping".
    for url in (SAFE_SLEEPING_THEME, SAFE_SLEEPING_GUIDANCE, SAFE_SLEEPING_ARRANGEMENTS):
        assert url in found[:6], (url, found[:6])


def test_a_quoted_phrase_keeps_its_common_word(db):
    page = run_search('"follow through"')
    assert {result.url for result in page.results} == FOLLOW_THROUGH
    assert all("<mark>Follow Through</mark>" in result.title for result in page.results)


def test_unquoted_the_phrase_ranks_first_and_the_page_says_what_was_left_out(db):
    page = run_search("follow through")
    assert {result.url for result in page.results[:2]} == FOLLOW_THROUGH
    assert page.total > 2  # "following" counts too: "through" was left out...
    assert page.notices == ["“through” is too common a word to search for, so it was left out."]  # ...and it says so.
    assert page.as_phrase == '"follow through"'


def test_a_review_title_does_not_find_every_item_of_the_review(db):
    first = run_search("review")
    assert first.results and first.num_pages > 1
    for number in range(1, first.num_pages + 1):
        for result in run_search("review", page=number).results:
            entry = result.entry
            own_text = (entry.text_a + entry.text_b + entry.text_c).lower()
            assert "review" in own_text, (result.url, entry.text_d)


def test_a_boards_heading_for_a_theme_ranks_the_theme_first_with_the_alias_marked(db):
    page = run_search("Interagency Working")
    assert page.results[0].url == "/themes/multi-agency-working/"
    assert page.results[0].subtitle == "Also known as: <mark>Interagency Working</mark>"


def test_items_found_through_a_theme_say_which(db):
    page = run_search("co-sleeping")
    action = next(result for result in page.results if result.url == "/reviews/child-k/#act-child-k-act-4b")
    assert action.matched == ["theme <mark>Safe sleeping</mark>"]  # Its own text does not mention sleep.


def test_results_under_one_briefing_heading_can_be_told_apart(db):
    page = run_search("mental capacity")
    titles = [result.entry.title for result in page.results]
    assert len(titles) == len(set(titles)), titles
    capacity = [result for result in page.results if "Child Protection and" in str(result.section)]
    assert len(capacity) >= 3
    recommendations = run_search("HSCB", type="recommendation").results
    assert len(recommendations) == 4
    for result in recommendations:
        assert "The report provides HSCB" not in result.entry.title
        assert "The report provides HSCB" in strip_tags(result.section)
    assert any(
        result.entry.title.startswith("Recommendation 4 (HSCB): review the guidance and information about")
        for result in recommendations
    )


def test_leaving_a_word_out(db):
    results = run_search("neglect -alcohol").results
    assert results
    assert all("alcohol" not in (result.entry.text_b + result.entry.text_a).lower() for result in results)
    with_alcohol = {result.url for result in run_search("neglect alcohol").results}
    assert with_alcohol.isdisjoint(result.url for result in results)


def test_facets_on_the_real_content(db):
    page = run_search("sleeping", type="learning-point")
    assert page.results and all(result.entry.kind == "learning-point" for result in page.results)
    themes = next(facet for facet in page.facets if facet.name == "theme")
    assert "Safe sleeping" in [option.label for option in themes.options]
    narrowed = run_search("sleeping", theme="safe-sleeping")
    assert SAFE_SLEEPING_GUIDANCE in [result.url for result in narrowed.results]


def test_a_misspelling_suggests_the_word_the_briefings_use(db):
    page = run_search("negelct")
    assert page.total == 0
    assert page.suggestion == "neglect"
    assert "/themes/neglect/" in [theme.get_absolute_url() for theme in page.suggested_themes]

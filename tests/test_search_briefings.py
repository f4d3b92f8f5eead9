"""Practitioners' searches on the real knowledge base (the five briefings, loaded by ``load_kb``).

Each expectation comes from reading the briefings in ``/work/shared/briefings``:
e.g. the Swindon SCRs S & D briefing says the two babies died "as a result of
co-sleeping" and sends readers to the "LSCB Escalation Policy"; Salford's
recurring-themes briefing says a male in the family network is often "not
known about by agencies". Results are identified by their addresses (the
fixtures' permanent refs), never by database ids.
"""

import pytest

from .search_support import run_search

pytestmark = pytest.mark.usefixtures("loaded_kb_module")

SCRS_S_AND_D = "/reviews/scrs-s-and-d/"
SAFE_SLEEPING_GUIDANCE = "/reviews/scrs-s-and-d/#lp-s-and-d-lp-01"
ESCALATION_POLICY = "/reviews/scrs-s-and-d/#lp-s-and-d-lp-09"
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
    pytest.param("escalation policy", ESCALATION_POLICY, 2, id="escalation policy"),
    pytest.param('"escalation policy"', ESCALATION_POLICY, 2, id="quoted escalation policy"),
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

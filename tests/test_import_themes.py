"""Theme suggestions on import (``reviews.importing.themes.ThemeMatcher``),
against the knowledge base's own theme names and aliases (read from
``fixtures/themes.json``, no database): the false hits and misses found when
real briefings were imported, and proposals for new themes."""

import json
from pathlib import Path

import pytest

from reviews.importing.themes import NO_THEME_WORDS, ThemeMatcher, tokens

THEMES = json.loads((Path(__file__).resolve().parent.parent / "fixtures" / "themes.json").read_text())["themes"]
NAMES = {index: theme["name"] for index, theme in enumerate(THEMES)}


@pytest.fixture(scope="module")
def matcher():
    return ThemeMatcher(
        [
            (index, theme["name"], [alias["name"] for alias in theme.get("aliases", [])])
            for index, theme in enumerate(THEMES)
        ]
    )


def suggested(matcher, text, heading=""):
    return [NAMES[theme] for theme in matcher.suggest(text=text, heading=heading)]


def test_the_themes_the_tests_name_exist():
    names = set(NAMES.values())
    for name in (
        "Home education",
        "Water safety",
        "Lead professional",
        "Babies and very young children",
        "Fathers and men in the family",
    ):
        assert name in names


@pytest.mark.parametrize(
    "text, not_this",
    [
        ("Housing – the family had no permanent home and moved four times.", "Home education"),
        ("The home visits were cancelled twice.", "Home education"),
        ("The findings were shared with the Community Safety Partnerships of the county.", "Water safety"),
        ("The safety plan for the community was not reviewed.", "Water safety"),
        ("Shaking can lead to death or lifelong disability.", "Lead professional"),
        ("The health visitor took the lead in the meeting.", "Lead professional"),
    ],
)
def test_no_theme_from_one_common_word(matcher, text, not_this):
    assert not_this not in suggested(matcher, text)


@pytest.mark.parametrize(
    "text, theme",
    [
        ("An immobile infant with any bruise must be referred the same day.", "Babies and very young children"),
        ("Bruising in non-mobile babies is rare and always a concern.", "Babies and very young children"),
        ("The newborn was discharged without a plan.", "Babies and very young children"),
        ("Baby F was seen by the GP twice.", "Babies and very young children"),
        ("No-one asked about the father or his history.", "Fathers and men in the family"),
        ("The stepfather was never seen by the health visitor.", "Fathers and men in the family"),
        ("The partner of the mother had a history of violence.", "Fathers and men in the family"),
        ("Practitioners did not assess the mother's partner.", "Fathers and men in the family"),
        ("The child was electively home educated from the age of nine.", "Home education"),
        ("The lead professional changed three times.", "Lead professional"),
        ("Parents were given advice about water safety and bath seats.", "Water safety"),
        ("Escalated concerns were not followed up by managers.", "Escalation and professional challenge"),
    ],
)
def test_synonyms_word_forms_and_phrases_find_the_theme(matcher, text, theme):
    assert theme in suggested(matcher, text)


def test_two_distinctive_words_are_enough_one_is_not(matcher):
    assert "Mental capacity" not in suggested(matcher, "His capacity to change was not tested.")
    assert "Mental capacity" in suggested(matcher, "Nobody assessed her mental capacity to refuse care.")
    assert "Mental capacity" in suggested(matcher, "The assessment of capacity overlooked his mental state.")


def test_a_heading_counts_like_the_text(matcher):
    assert suggested(matcher, "Test sentence about the case.", heading="Safe Sleeping Guidance")[0] == "Safe sleeping"


def test_stop_list_words_carry_no_theme():
    for word in ("home", "lead", "safety", "community", "child", "family", "support", "practice"):
        assert tokens(word)[0] in NO_THEME_WORDS


def test_at_most_the_limit_best_first():
    matcher = ThemeMatcher([(1, "Neglect", []), (2, "Safe sleeping", []), (3, "Water safety", [])], limit=2)
    text = "Neglect was seen at home; water safety advice was given."
    assert matcher.suggest(text=text) == [1, 3]
    # A phrase in the heading counts most.
    assert matcher.suggest(text=text, heading="Safe sleeping") == [2, 1]


# ---------------------------------------------------------------------------
# Proposals for new themes
# ---------------------------------------------------------------------------


def test_a_recurring_phrase_no_theme_fits_is_proposed_with_its_entries(matcher):
    texts = [
        "Test families faced cost pressures and relied on food banks for months.",
        "Food banks were the only help the family had.",
        "Neglect was evident at the home visit.",
        "The school noticed the children going to food banks with their grandmother.",
        "Test unrelated sentence about the weather.",
    ]
    proposals = matcher.propose(texts)
    assert [p["name"] for p in proposals] == ["Food banks"]
    assert proposals[0]["entries"] == [0, 1, 3]
    assert "3 entries" in proposals[0]["why"]


def test_no_proposal_from_entries_a_theme_fits_or_from_names(matcher):
    texts = [
        "Information sharing between agencies broke down and records were lost.",
        "Information sharing between agencies failed at the weekend.",
        "Information sharing between agencies was slow.",
        # Names of people and places, capitalised mid-sentence, are not themes.
        "The worker met Martin Smith in Testtown Hospital.",
        "The nurse met Martin Smith in Testtown Hospital again.",
        "A social worker visited Martin Smith in Testtown Hospital.",
    ]
    assert matcher.propose(texts) == []


def test_a_phrase_in_two_entries_is_not_enough_by_default(matcher):
    texts = ["Food banks were used.", "Food banks helped.", "Test sentence."]
    assert matcher.propose(texts) == []
    assert [p["name"] for p in matcher.propose(texts, min_entries=2)] == ["Food banks"]

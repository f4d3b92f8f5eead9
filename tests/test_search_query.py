"""Parsing what people type: the same structure for both databases, never an error."""

import pytest

from reviews.search.backends.sqlite import fts_expression
from reviews.search.query import MAX_QUERY_LENGTH, MAX_TERMS, parse


def clauses(text):
    return [[term.text for term in clause.terms] for clause in parse(text).clauses]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("neglect", [["neglect"]]),
        ("Safe  SLEEP", [["safe"], ["sleep"]]),
        ('"escalation policy"', [["escalation policy"]]),
        ('"escalation policy', [["escalation policy"]]),  # An unclosed quote runs to the end.
        ("co-sleeping", [["co sleeping", "cosleeping", "bed sharing"]]),
        ("bed sharing", [["bed sharing", "co sleeping", "cosleeping"]]),
        ("health visitor", [["health visitor", "hv"]]),
        ("dad not known to services", [["dad", "father"], ["known"], ["services"]]),
        ("alcohol or drugs misuse", [["alcohol", "drugs"], ["misuse"]]),
        ("neglect OR abuse", [["neglect", "abuse"]]),
        ("or neglect or", [["neglect"]]),
        ("a or the b", [["b"]]),
        ('"safety of the child"', [["safety of the child"]]),
        ('"the child"', [["child"]]),
        ("child's needs", [["child"], ["needs"]]),
        ("neglect neglect", [["neglect"]]),
        ("robert'); DROP TABLE x;--", [["robert"], ["drop"], ["table"], ["x"]]),
        ("👶 bébé", [["bébé"]]),
        ("snake_case", [["snake"], ["case"]]),  # Both databases split words at underscores.
    ],
)
def test_clauses(text, expected):
    assert clauses(text) == expected


@pytest.mark.parametrize(
    ("text", "excluded"),
    [
        ("neglect -alcohol", ["alcohol"]),
        ('neglect -"domestic abuse"', ["domestic abuse"]),
        ("self-harm", []),  # A hyphen inside a word is not a minus.
        ("neglect - alcohol", []),
    ],
)
def test_exclusions(text, excluded):
    assert [term.text for term in parse(text).excluded] == excluded


@pytest.mark.parametrize("text", ["", "   ", "the", "-neglect", '""', "-", "or", "👶", "x" * 2000, "\x00", "()[]{}*:^"])
def test_nothing_to_search_for(text):
    assert parse(text).is_empty


def test_long_input_is_shortened_at_a_word():
    parsed = parse("neglect " * 100)
    assert parsed.shortened
    assert len(parsed.text) <= MAX_QUERY_LENGTH
    assert parsed.text.endswith("neglect")


def test_the_number_of_terms_is_capped():
    parsed = parse(" ".join(f"word{n}" for n in range(40)))
    assert sum(len(clause.terms) for clause in parsed.clauses) <= MAX_TERMS
    assert parsed.shortened


def test_the_typed_words_are_a_phrase_for_ranking_only_in_plain_queries():
    assert parse("escalation policy").phrase.text == "escalation policy"
    assert parse("dad not known to services").phrase.text == "dad not known to services"
    assert parse("neglect").phrase is None
    assert parse("escalation -policy").phrase is None
    assert parse('"escalation policy"').phrase is None
    assert parse("neglect or abuse").phrase is None


def test_relaxed_needs_at_least_half_of_the_words():
    parsed = parse("dad not known to services").as_relaxed()
    assert parsed.relaxed and parsed.min_matches == 2
    assert parse("hedgehog unicorn").as_relaxed().min_matches == 1
    assert not parse("neglect").can_relax


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("neglect", '(("neglect"))'),
        ('"escalation policy" -alcohol', '(("escalation policy")) NOT ("alcohol")'),
        ("neglect or abuse drugs", '(("neglect" OR "abuse") AND ("drugs"))'),
        ('x" OR 1=1 NEAR(a) col:val *', '(("x") AND ("1 1 near a col val"))'),
    ],
)
def test_fts5_expressions_quote_every_word(text, expected):
    assert fts_expression(parse(text)) == expected

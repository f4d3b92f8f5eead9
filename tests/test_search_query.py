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
        # Synonyms, then broader words (see test_broader_words_come_last).
        ("co-sleeping", [["co sleeping", "cosleeping", "bed sharing", "safe sleeping", "sleep"]]),
        ("bed sharing", [["bed sharing", "co sleeping", "cosleeping", "safe sleeping", "sleep"]]),
        # Another form of a member: its synonyms, not the member again (stemming finds it).
        ("co-sleep", [["co sleep", "cosleeping", "bed sharing", "safe sleeping", "sleep"]]),
        ("health visitor", [["health visitor", "hv"]]),
        ("dad not known to services", [["dad", "father"], ["known"], ["services"]]),
        ("alcohol or drugs misuse", [["alcohol", "drugs"], ["misuse"]]),
        ("neglect OR abuse", [["neglect", "abuse"]]),
        ("or neglect or", [["neglect"]]),
        ("a or the b", [["b"]]),
        ('"safety of the child"', [["safety of the child"]]),
        # A quoted phrase keeps its common words, at its ends too: it is exact.
        ('"the child"', [["the child"]]),
        ('"follow through"', [["follow through"]]),
        ('"follow through', [["follow through"]]),
        ("follow through", [["follow"]]),  # Unquoted, "through" is left out (and the page says so).
        ("follow-up", [["follow up"]]),  # A hyphenated word is a phrase.
        ('"the dad"', [["the dad"]]),  # Exactly as typed: no synonyms for a phrase ending in a common word.
        ('"dad"', [["dad", "father"]]),
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


@pytest.mark.parametrize(
    ("text", "ignored", "as_phrase"),
    [
        ("follow through", ("through",), '"follow through"'),
        ('"follow through"', (), ""),
        ("dad not known to services", ("not", "to"), ""),  # Too many words to be a phrase people use.
        ("neglect", (), ""),
        ("the and of", ("the", "and", "of"), ""),  # Nothing left to search for: no phrase to offer.
    ],
)
def test_common_words_left_out_are_reported(text, ignored, as_phrase):
    parsed = parse(text)
    assert parsed.ignored_words == ignored
    assert parsed.as_phrase == as_phrase


@pytest.mark.parametrize(
    ("text", "has_words"),
    [("👶", False), ('"', False), ('"""', False), ("()[]{}*:^", False), ("the", True), ('"to be"', True), ("-x", True)],
)
def test_nothing_typed_is_told_apart_from_only_common_words(text, has_words):
    parsed = parse(text)
    assert parsed.is_empty
    assert parsed.has_words is has_words


def test_broader_words_come_last_and_are_left_out_of_the_narrow_terms():
    clause = parse("co-sleeping").clauses[0]
    assert clause.broader == 2
    assert [term.text for term in clause.terms[-2:]] == ["safe sleeping", "sleep"]
    assert "sleep" not in [term.text for term in clause.narrow_terms]
    assert parse("co-sleeping").has_broader_terms
    # Broader words widen one way only.
    assert clauses("sleep") == [["sleep"]]
    assert not parse("dad").has_broader_terms


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Interagency Working", "interagency working"),
        ('"Transition Issues"', "transition issues"),
        ("Voice of the Child", "voice of the child"),
        ("Children's mental health", "children mental health"),
        ("neglect -alcohol", ""),  # Not a name: something is left out.
        ("neglect or abuse", ""),
        ("the", ""),
    ],
)
def test_what_could_be_a_theme_name_is_keyed_like_theme_names(text, key):
    assert parse(text).name_key == key


def test_the_typed_words_are_a_phrase_for_ranking_only_in_plain_queries():
    assert parse("escalation policy").phrase.text == "escalation policy"
    assert parse("dad not known to services").phrase.text == "dad not known to services"
    assert parse("neglect").phrase is None
    assert parse("escalation -policy").phrase is None
    assert parse('"escalation policy"').phrase is None
    assert parse("neglect or abuse").phrase is None
    # One word left after common words were dropped: the words typed, together, rank first.
    assert parse("follow through").phrase.text == "follow through"
    assert parse("follow through").phrase.has_common_words_at_ends
    assert not parse("escalation policy").phrase.has_common_words_at_ends


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
        ('x" OR 1=1 NEAR(a) col:val *', '(("x") AND ("or 1 1 near a col val"))'),
    ],
)
def test_fts5_expressions_quote_every_word(text, expected):
    assert fts_expression(parse(text)) == expected

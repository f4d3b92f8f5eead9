"""What each result shows: a title that tells it apart, the heading it sits under,
and why it matched when its own text does not say (a theme, an alias, a tag)."""

import pytest

from reviews.models import ThemeAlias

from .support.factories import (
    make_action,
    make_learning_point,
    make_public_theme,
    make_recommendation,
    make_review,
    make_source,
    make_theme,
)
from .support.search import entry_key, make_corpus, run_search


@pytest.fixture
def corpus(db):
    return make_corpus()


def result_for(page, obj):
    return next(result for result in page.results if (result.entry.kind, result.entry.title) == entry_key(obj))


# Titles ------------------------------------------------------------------------------------


def test_items_under_one_heading_have_titles_of_their_own(db):
    review, source = make_review(), make_source()
    texts = [
        "Test learning: the legal framework for the capacity of teenagers was unclear.",
        "Test learning: evidence of injury to teenagers needs recording well.",
        "Test learning: oversight of the capacity assessments of teenagers was absent.",
    ]
    for text in texts:
        make_learning_point(review=review, source=source, heading="Test Protection and Capacity", text=text)
    page = run_search("teenagers")
    assert sorted(result.entry.title for result in page.results) == sorted(texts)
    assert {str(result.section) for result in page.results} == {"Test Protection and Capacity"}


def test_a_long_text_is_cut_at_a_word_for_its_title(db):
    text = "Test learning about grebes " + "and much more detail " * 20
    make_learning_point(review=make_review(), text=text)
    title = run_search("grebes").results[0].entry.title
    assert title.startswith("Test learning about grebes and much more detail")
    assert title.endswith("…") and len(title) <= 121
    assert not title.endswith(" …")


def test_a_recommendation_is_titled_by_its_number_who_it_is_for_and_its_text(corpus):
    result = run_search("constabulary").results[0]
    assert result.entry.title == (
        "Recommendation 3 (Test Constabulary): Test recommendation: review the missing children procedure every year."
    )
    assert "<mark>Constabulary</mark>" in result.title


def test_a_recommendations_heading_is_shown_beside_not_as_its_title(db):
    review = make_review()
    make_recommendation(
        review=review,
        number="4",
        addressed_to="Test Board",
        heading="The report provides the board with the following recommendations:",
        text="review the guidance on swifts given to new parents.",
    )
    result = run_search("swifts").results[0]
    assert result.entry.title == "Recommendation 4 (Test Board): review the guidance on swifts given to new parents."
    assert result.section == "The report provides the board with the following recommendations:"


def test_an_action_is_titled_by_its_text_with_what_it_answers_beside(corpus):
    result = run_search("quayside").results[0]
    assert result.entry.title == "Test action: the missing children procedure was rewritten and shared."
    assert result.subtitle == "Action on recommendation 3 · Owner: Test Quayside Board"


# Why it matched --------------------------------------------------------------------------------


def test_an_item_found_through_its_themes_alias_says_so(corpus):
    result = result_for(run_search("cot death prevention"), corpus.lp_alcohol)  # Its text never says so.
    assert result.snippet == ""
    assert result.matched == ["theme Test safe sleep theme, also known as Test <mark>cot death prevention</mark>"]


def test_an_item_found_through_its_themes_name_says_so(corpus):
    result = result_for(run_search("safe sleep theme"), corpus.lp_alcohol)
    assert result.matched == ["theme Test <mark>safe sleep theme</mark>"]


def test_nothing_more_is_said_when_the_title_shows_the_words(corpus):
    result = result_for(run_search("sleeping"), corpus.lp_sleep)
    assert "<mark>sleeping</mark>" in result.title
    assert result.matched == []  # Its theme's name matches too, but the title says it already.


def test_a_review_found_through_a_tag_says_so(corpus):
    result = result_for(run_search("cosleeping"), corpus.review_a)
    tags = [value for value in result.matched if value.startswith("tag ")]
    assert len(tags) == 1
    assert "<mark>" in tags[0] and "cosleeping" in tags[0]


def test_a_theme_shows_the_alias_that_matched(corpus):
    result = result_for(run_search("professional challenge"), corpus.escalation)
    assert result.subtitle == "Also known as: Test <mark>professional challenge</mark>"


def test_a_theme_lists_its_aliases_when_none_matched(corpus):
    ThemeAlias.objects.create(theme=corpus.escalation, name="Test raising concerns")
    result = result_for(run_search("escalation theme"), corpus.escalation)
    assert result.subtitle == "Also known as: Test professional challenge; Test raising concerns"


def test_an_item_found_through_its_heading_marks_the_heading(db):
    make_learning_point(review=make_review(), heading="Test Interagency Curlews", text="Test learning on waders.")
    result = run_search("curlews").results[0]
    assert result.section == "Test Interagency <mark>Curlews</mark>"


@pytest.mark.parametrize("query", ["escalation policies", "policy escalation", "escalating policy"])
def test_every_form_of_the_words_is_marked(db, query):
    make_learning_point(
        review=make_review(), text="Test learning: the policies on escalation of concerns were unclear."
    )
    title = run_search(query).results[0].title
    assert "<mark>policies</mark>" in title and "<mark>escalation</mark>" in title


def test_a_phrases_words_are_not_marked_apart(db):
    point = make_learning_point(
        review=make_review(), text="Test learning: information sharing failed. Bed sharing was not asked about."
    )
    title = str(run_search('"bed sharing"').results[0].title)
    assert point.text.startswith("Test learning")
    assert "<mark>Bed sharing</mark>" in title
    assert "information sharing" in title  # Not marked: "sharing" alone was not searched for.


def test_markup_in_values_and_headings_stays_text(db):
    theme = make_theme(name="Test <b>bold</b> avocets")
    ThemeAlias.objects.create(theme=theme, name="Test avocets <img src=x onerror=alert(1)>")
    action = make_action(
        review=make_review(),
        heading="Test heading <script>alert(1)</script> avocets",
        owner="Test <i>owner</i> avocets",
        text="Test action on waders.",
    )
    action.themes.set([theme])
    page = run_search("avocets")
    html = "".join(
        str(result.title) + str(result.subtitle) + str(result.section) + "".join(result.matched)
        for result in page.results
    )
    assert "<b>" not in html and "<img" not in html and "<script" not in html and "<i>" not in html
    assert "&lt;b&gt;bold&lt;/b&gt; <mark>avocets</mark>" in html


# Whose words --------------------------------------------------------------------------------


def test_the_knowledge_bases_own_descriptions_are_labelled_in_results(db, client):
    quoted_from = make_source()
    quoted = make_review(
        slug="test-quoted", title="Test quoted review", summary="Test pelicans were seen by many agencies."
    )
    quoted.summary_source = quoted_from
    quoted.save()
    own = make_review(slug="test-own", title="Test own review", summary="Test pelicans: the knowledge base's summary.")
    theme = make_public_theme(name="Test pelicans", summary="Test pelicans as a theme, in our words.")
    page = run_search("pelicans")
    assert result_for(page, own).snippet_is_editorial
    assert not result_for(page, quoted).snippet_is_editorial
    assert result_for(page, theme).snippet_is_editorial
    html = client.get("/search/?q=pelicans").content.decode()
    assert html.count('<span class="kb-label">Knowledge base description</span>') == 2

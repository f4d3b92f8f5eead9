"""The search page: bad input never errors, facets and pages live in the URL, a fixed number of queries."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from reviews.search import pending

from .support.factories import make_learning_point, make_partnership, make_review, make_source, make_theme
from .support.search import make_corpus

URL = reverse("reviews:search")


@pytest.fixture
def corpus(db):
    return make_corpus()


# Bad input ---------------------------------------------------------------------

BAD_INPUT = [
    pytest.param({}, id="no query"),
    pytest.param({"q": ""}, id="empty"),
    pytest.param({"q": "   "}, id="spaces"),
    pytest.param({"q": "baby " * 400}, id="2,000 characters"),
    pytest.param({"q": "x" * 2000}, id="one 2,000-character word"),
    pytest.param({"q": '"unbalanced quote'}, id="unbalanced quote"),
    pytest.param({"q": '"""'}, id="only quotes"),
    pytest.param({"q": "baby' OR '1'='1"}, id="SQL injection"),
    pytest.param({"q": "'; DROP TABLE reviews_searchentry; --"}, id="SQL statement"),
    pytest.param({"q": "baby AND NOT NEAR(x y) OR * ^ : {col} :"}, id="FTS5 and tsquery operators"),
    pytest.param({"q": "baby & !night | (father <-> visitor):*"}, id="tsquery syntax"),
    pytest.param({"q": "-"}, id="a lone minus"),
    pytest.param({"q": "-baby"}, id="only an exclusion"),
    pytest.param({"q": "or"}, id="only or"),
    pytest.param({"q": "the and of"}, id="only stop words"),
    pytest.param({"q": "👶🍼 😴"}, id="emoji"),
    pytest.param({"q": "naïve café Ünïcödé 中文 العربية"}, id="other scripts"),
    pytest.param({"q": "baby\x00night"}, id="NUL byte"),
    pytest.param({"q": "\u202ebaby\u200b"}, id="control and invisible characters"),
    pytest.param({"q": "<script>alert(1)</script>"}, id="markup"),
    pytest.param({"q": "baby", "q2": "ignored"}, id="unknown parameter"),
    pytest.param({"q": "baby", "type": "nonsense"}, id="unknown type"),
    pytest.param({"q": "baby", "theme": "no-such-theme"}, id="unknown theme"),
    pytest.param({"q": "baby", "theme": "<script>"}, id="markup as a theme"),
    pytest.param({"q": "baby", "review": "x" * 500}, id="very long review slug"),
    pytest.param({"q": "baby", "partnership": "nope"}, id="unknown partnership"),
    pytest.param({"q": "baby", "year": "nineteen"}, id="year not a number"),
    pytest.param({"q": "baby", "year": "99999999999999999999"}, id="huge year"),
    pytest.param({"q": "baby", "year": [str(year) for year in range(1950, 2000)]}, id="fifty years"),
]


@pytest.mark.parametrize("params", BAD_INPUT)
def test_bad_input_gives_a_sensible_page(client, corpus, params):
    response = client.get(URL, params)
    assert response.status_code == 200
    assert b"<h1" in response.content
    assert b"<script>alert" not in response.content


@pytest.mark.parametrize(
    "page",
    ["2", "99", "0", "-1", "abc", "1.5", "9" * 50, "1e3", ""],
)
def test_page_numbers_out_of_range_answer_404_with_help(client, corpus, page):
    response = client.get(URL, {"q": "baby", "page": page})
    if page in {""}:
        assert response.status_code == 200
        return
    assert response.status_code == 404
    assert b"Go to the first page" in response.content


def test_unknown_filters_are_ignored_with_a_notice(client, corpus):
    response = client.get(URL, {"q": "baby", "theme": ["no-such-theme", "test-safe-sleep"], "type": "nonsense"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "There is no theme “no-such-theme”, so that filter was ignored." in content
    assert "There is no type of result called “nonsense”, so that filter was ignored." in content
    assert response.context["search"].total == 2  # The known theme still applies.


def test_a_long_query_is_shortened_with_a_notice(client, corpus):
    response = client.get(URL, {"q": "baby " * 400})
    assert "only its first 200 characters were used" in response.content.decode()
    assert response.context["search"].total == 3


def test_only_common_words_explains_itself(client, corpus):
    content = client.get(URL, {"q": "the and of"}).content.decode()
    assert "Your search only had very common words (“the”, “and” and “of”)" in content
    assert "nothing to search for" not in content


@pytest.mark.parametrize("q", ["👶", '"', '"""', "()[]{}*:^", "🍼 😴"])
def test_nothing_to_search_for_says_so_and_gives_examples(client, corpus, q):
    content = client.get(URL, {"q": q}).content.decode()
    assert "There was nothing to search for: type a word or two, like “neglect” or “safe sleep”." in content
    assert "very common words" not in content
    assert 'href="?q=co-sleeping"' in content  # The examples of what to search for.


def test_broader_words_searched_for_are_named(client, db):
    make_learning_point(review=make_review(), text="Test learning: safe sleep advice was given.")
    content = client.get(URL, {"q": "co-sleeping"}).content.decode()
    assert "then those that have “safe sleeping” or “sleep”." in content
    assert "then those that have" not in client.get(URL, {"q": "sleep"}).content.decode()


def test_common_words_left_out_are_named_and_the_phrase_offered(client, db):
    make_learning_point(review=make_review(), text='Test learning: agencies must "follow through" on referrals.')
    content = client.get(URL, {"q": "follow through"}).content.decode()
    assert "“through” is too common a word to search for, so it was left out." in content
    assert 'href="?q=%22follow%20through%22">&quot;follow through&quot;</a>' in content
    quoted = client.get(URL, {"q": '"follow through"'}).content.decode()
    assert "too common" not in quoted
    assert "<mark>follow through</mark>" in quoted


# What the page shows ---------------------------------------------------------------


def test_results_show_type_highlight_review_themes_and_link(client, corpus):
    response = client.get(URL, {"q": '"escalation policy"'})
    content = response.content.decode()
    assert "1 result" in content
    assert "<mark>escalation policy</mark>" in content
    assert f'href="{corpus.lp_escalation.get_absolute_url()}"' in content
    assert f'href="{corpus.review_a.get_absolute_url()}">Test review A</a>' in content
    assert f'href="{corpus.escalation.get_absolute_url()}">Test escalation theme</a>' in content
    assert ">Learning point</strong>" in content


def test_hostile_content_renders_inert(client, db):
    make_learning_point(
        review=make_review(),
        text="Test learning about owls <script>alert(1)</script> &lt;img src=x onerror=alert(2)&gt;",
    )
    content = client.get(URL, {"q": "owls"}).content.decode()
    assert "<mark>owls</mark>" in content
    assert "<script>alert(1)" not in content
    assert "<img src=x" not in content
    assert "&lt;img src=x onerror=alert(2)&gt;" in content


def test_facets_are_links_in_the_url_and_checked_when_chosen(client, corpus):
    response = client.get(URL, {"q": "baby", "theme": "test-safe-sleep"})
    content = response.content.decode()
    assert 'name="theme" type="checkbox" value="test-safe-sleep" checked' in content
    assert 'name="year" type="checkbox" value="2021"' in content
    # Removing a chosen filter keeps the query.
    assert 'href="?q=baby">Remove' in content


def test_staff_see_drafts_labelled_and_the_public_do_not(client, corpus):
    public = client.get(URL, {"q": "zebrafish"})
    assert public.context["search"].results == []
    assert "Test learning in a draft" not in public.content.decode()
    staff = get_user_model().objects.create_user("test-staff", password="test-password-123", is_staff=True)
    client.force_login(staff)
    content = client.get(URL, {"q": "zebrafish"}).content.decode()
    assert "<mark>zebrafish</mark>" in content
    assert 'govuk-tag--orange">Draft</strong>' in content


def test_suggestions_when_nothing_matches(client, corpus):
    content = client.get(URL, {"q": "hedgehgo"}).content.decode()
    assert "No results" in content
    assert 'Did you mean <a class="govuk-link" href="?q=hedgehog">hedgehog</a>?' in content


def test_pagination(client, db):
    review = make_review()
    source = make_source()
    for number in range(45):
        make_learning_point(review=review, source=source, text=f"Test learning {number} about kestrels.")
    first = client.get(URL, {"q": "kestrels"})
    assert first.context["search"].total == 45
    assert len(first.context["search"].results) == 20
    assert 'href="?q=kestrels&amp;page=2"' in first.content.decode()
    last = client.get(URL, {"q": "kestrels", "page": 3})
    assert len(last.context["search"].results) == 5
    seen = {
        result.entry.pk
        for page in (1, 2, 3)
        for result in client.get(URL, {"q": "kestrels", "page": page}).context["search"].results
    }
    assert len(seen) == 45
    assert client.get(URL, {"q": "kestrels", "page": 4}).status_code == 404


# Query count -----------------------------------------------------------------------


def _grow(size):
    """Reviews with learning points filed under themes, all matching "gannets"."""
    source = make_source()
    themes = [make_theme() for _ in range(3)]
    for number in range(size):
        review = make_review(partnership=make_partnership())
        review.tags.add(f"test-tag-{number}")
        for theme in themes:
            make_learning_point(
                review=review, source=source, themes=[theme], text=f"Test learning {number} on gannets."
            )


@pytest.mark.parametrize("size", [2, 20])
@pytest.mark.parametrize(("filters", "statements"), [({}, 1), ({"year": "2020", "theme": []}, 2)])
def test_the_search_page_runs_a_fixed_number_of_queries(
    client, db, django_assert_num_queries, size, filters, statements
):
    _grow(size)
    pending.flush()
    from django.db import connection

    # PostgreSQL only: compile the query, and keep the plan serial (SET LOCAL).
    # Then the search statement (with filters: filtered, then unfiltered for
    # the other values' counts), highlights, entries, their themes, and the
    # names of themes, reviews and partnerships in the facets.
    expected = (2 if connection.vendor == "postgresql" else 0) + statements + 6
    with django_assert_num_queries(expected):
        response = client.get(URL, {"q": "gannets", **filters})
    assert response.status_code == 200
    assert response.context["search"].total == size * 3  # Each review's three points.

"""The index follows every change to the content: edits, deletes, publishing, many-to-many changes."""

import pytest
from django.core.management import call_command
from django.db import connection
from taggit.models import Tag

from reviews.models import PublicationStatus, SearchEntry, SearchEntryTheme, ThemeAlias
from reviews.search import index, pending

from .support.factories import make_learning_point, make_review, make_source, make_theme
from .support.search import entry_key, make_corpus, result_keys, run_search


@pytest.fixture
def corpus(db):
    return make_corpus()


def found(query, obj=None, **params):
    keys = result_keys(run_search(query, **params))
    return keys if obj is None else entry_key(obj) in keys


def test_editing_text_reindexes_it(corpus):
    point = corpus.lp_father
    point.text = "Test learning: the mother's new partner was not known to the health visitor."
    point.save()
    assert found("partner", point)
    assert not found("father")


def test_deleting_removes_from_results(corpus):
    point_key = entry_key(corpus.lp_father)
    corpus.lp_father.delete()
    assert point_key not in found("father")
    assert not SearchEntry.objects.filter(kind="learning-point", object_id=corpus.lp_father.pk).exists()


def test_deleting_a_review_removes_it_and_its_items(corpus):
    review_id = corpus.review_b.pk
    corpus.review_b.delete()
    assert found("southshire") == []
    assert found("constabulary") == []
    assert not SearchEntry.objects.filter(review_id=review_id).exists()


def test_publishing_and_unpublishing_a_review_is_reflected_at_once(corpus):
    assert not found("zebrafish")
    corpus.draft.status = PublicationStatus.PUBLISHED
    corpus.draft.save()
    assert found("zebrafish", corpus.lp_draft)
    assert found("test draft review", corpus.draft)
    corpus.draft.status = PublicationStatus.DRAFT
    corpus.draft.save()
    assert not found("zebrafish")


def test_publishing_a_source_publishes_its_cross_cutting_learning(db):
    source = make_source(status=PublicationStatus.DRAFT)
    point = make_learning_point(review=None, source=source, text="Test cross-cutting learning about lighthouses.")
    assert not found("lighthouses")
    source.status = PublicationStatus.PUBLISHED
    source.save()
    assert found("lighthouses", point)


def test_adding_and_removing_a_theme_on_an_item(corpus):
    assert not found("cot death prevention", corpus.lp_father)
    corpus.lp_father.themes.add(corpus.sleep)
    assert found("cot death prevention", corpus.lp_father)
    # Its review is now filed under the theme too.
    assert found("father", theme="test-safe-sleep") == [entry_key(corpus.lp_father)]
    corpus.lp_father.themes.remove(corpus.sleep)
    assert not found("cot death prevention", corpus.lp_father)


def test_theme_side_of_the_relation(corpus):
    corpus.escalation.learning_points.add(corpus.lp_father)
    assert found("professional challenge", corpus.lp_father)
    corpus.escalation.learning_points.clear()
    assert not found("professional challenge", corpus.lp_father)
    assert not found("professional challenge", corpus.lp_escalation)


def test_renaming_a_theme_reindexes_its_items(corpus):
    corpus.escalation.name = "Test disagreement theme"
    corpus.escalation.save()
    assert found("disagreement theme", corpus.escalation)
    assert found("disagreement theme", corpus.lp_escalation)
    assert found("disagreement theme", corpus.review_a)


def test_adding_and_deleting_an_alias(corpus):
    alias = ThemeAlias.objects.create(theme=corpus.escalation, name="Test resolving professional differences")
    assert found("resolving differences", corpus.escalation)
    assert found("resolving differences", corpus.lp_escalation)
    alias.delete()
    assert not found("resolving differences")


def test_deleting_a_theme_takes_its_name_off_its_items(corpus):
    corpus.escalation.delete()
    assert not found("professional challenge")
    assert found('"escalation policy"', corpus.lp_escalation)
    assert not SearchEntryTheme.objects.filter(theme_id=corpus.escalation.pk).exists()


def test_tags_are_searchable_and_follow_changes(corpus):
    corpus.review_b.tags.add("test-lighthouse-keeping")
    assert found("lighthouse keeping", corpus.review_b)
    tag = Tag.objects.get(name="test-lighthouse-keeping")
    tag.name = "test-lamp-keeping"
    tag.save()
    assert found("lamp keeping", corpus.review_b)
    corpus.review_b.tags.clear()
    assert not found("lamp keeping")


def test_renaming_a_partnership_reindexes_its_reviews(corpus):
    corpus.partnership_b.name = "Test Eastshire Partnership"
    corpus.partnership_b.save()
    assert found("eastshire", corpus.review_b)
    assert not found("southshire")


def test_changing_a_review_slug_updates_its_items_addresses(corpus):
    corpus.review_b.slug = "test-review-b-renamed"
    corpus.review_b.save()
    result = run_search("constabulary").results[0]
    assert result.url.startswith("/reviews/test-review-b-renamed/#rec-")


def test_rebuild_gives_the_same_index(corpus):
    columns = ("kind", "object_id", "title", "url", "text_a", "text_b", "text_c", "text_d", "is_published", "year")
    pending.flush()
    before = sorted(SearchEntry.objects.values_list(*columns))
    themes_before = sorted(SearchEntryTheme.objects.values_list("entry__kind", "entry__object_id", "theme_id"))
    call_command("rebuild_search_index", verbosity=0)
    assert sorted(SearchEntry.objects.values_list(*columns)) == before
    assert sorted(SearchEntryTheme.objects.values_list("entry__kind", "entry__object_id", "theme_id")) == themes_before
    assert found('"escalation policy"', corpus.lp_escalation)


def test_rebuild_reports_what_it_indexed(corpus, capsys):
    call_command("rebuild_search_index")
    out = capsys.readouterr().out
    assert "3 reviews, 2 themes, 7 learning points, 1 recommendation, 1 action" in out


def test_index_repairs_writes_that_sent_no_signals(corpus):
    from reviews.models import LearningPoint

    pending.flush()
    LearningPoint.objects.filter(pk=corpus.lp_father.pk).update(text="Test learning: a quiet update about kites.")
    assert not found("kites")
    index(LearningPoint, [corpus.lp_father.pk])
    assert found("kites", corpus.lp_father)


def test_hostile_content_is_escaped_and_cannot_fake_highlights(db):
    review = make_review(title="Test <b>bold</b> review about owls")
    make_learning_point(
        review=review,
        heading="Test heading about owls <img src=x onerror=alert(1)>",
        text=(
            "Test learning about owls \ue000not a match\ue001 when <script>alert(1)</script> and &lt;b&gt;x&lt;/b&gt;."
        ),
    )
    results = run_search("owls").results
    assert len(results) == 2
    html = "".join(
        str(result.title) + str(result.snippet) + str(result.subtitle) + str(result.section) + "".join(result.matched)
        for result in results
    )
    assert "<mark>owls</mark>" in html
    assert "not a match" in html and "<mark>not a match</mark>" not in html
    assert "<b>" not in html and "<img" not in html and "<script" not in html
    assert "&lt;img" in html


@pytest.mark.django_db(transaction=True)
def test_changes_are_indexed_when_their_transaction_commits():
    """Outside a test transaction, the index is written on commit, before any search runs."""
    theme = make_theme(name="Test committed theme")
    review = make_review(title="Test committed review")
    point = make_learning_point(review=review, themes=[theme], text="Test learning about otters.")
    assert not pending.has_pending()
    entry = SearchEntry.objects.get(kind="learning-point", object_id=point.pk)
    assert "otters" in entry.text_b
    assert "Test committed theme" in entry.text_c
    assert list(entry.themes.all()) == [theme]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's trigger-filled tsvector")
def test_postgresql_vector_is_filled_by_the_trigger_with_weights(corpus):
    pending.flush()
    entry = SearchEntry.objects.get(kind="learning-point", object_id=corpus.lp_sleep.pk)
    vector = str(SearchEntry.objects.filter(pk=entry.pk).values_list("search_vector", flat=True)[0])
    assert "'sleep':" in vector and "A" in vector.split("'sleep':")[1].split(" ")[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="only PostgreSQL bounds a search's work")
def test_broad_searches_are_capped_to_the_most_recent_matches(db, monkeypatch):
    import datetime

    from reviews.search.backends import base

    points = {}
    for year in range(2010, 2020):
        review = make_review(published_on=datetime.date(year, 1, 1), title=f"Test review {year}")
        points[year] = make_learning_point(review=review, text=f"Test learning {year} about puffins.")
    call_command("rebuild_search_index", verbosity=0)
    monkeypatch.setattr(base, "MAX_CANDIDATES", 3)

    page = run_search("puffins", type="learning-point")
    assert page.capped
    assert sorted(result.entry.year for result in page.results) == [2016, 2017, 2018, 2019]
    # A filter is applied before the cap, so older learning is reached.
    page = run_search("puffins", year="2011")
    assert not page.capped and page.total == 1
    assert page.results[0].url == points[2011].get_absolute_url()
    # Content changed since the rebuild is always a candidate, however old.
    point = points[2012]
    point.text = "Test learning 2012 about puffins, corrected."
    point.save()
    years = {result.entry.year for result in run_search("puffins").results}
    assert 2012 in years and 2019 in years
    # Below the cap, everything is exact.
    monkeypatch.setattr(base, "MAX_CANDIDATES", 50)
    page = run_search("puffins")
    assert not page.capped and page.total == 10

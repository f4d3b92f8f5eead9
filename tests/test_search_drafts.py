"""Drafts never change what the public's searches rank or suggest, on either database.

SQLite's bm25() weighs each word by how many rows of its FTS5 table have it,
so the public's searches read a table of published entries only
(``reviews/search/schema.py``), kept in step on save, publish, unpublish,
delete, merge and rebuild. The vocabulary behind "did you mean" holds the
drafts' words too, so for the public a word counts only where a published
entry has it as written.
"""

import pytest
from django.core.management import call_command
from django.db import connection

from reviews.models import LearningPoint, PublicationStatus, SearchEntry, SearchWord
from reviews.search import pending
from reviews.search.schema import PUBLIC_FTS_TABLE
from reviews.services.merging import theme_merge
from reviews.services.publishing import review_publish, review_unpublish

from .support.factories import make_learning_point, make_review, make_source, make_theme
from .support.search import entry_key, result_keys, run_search

DRAFT, PUBLISHED = PublicationStatus.DRAFT, PublicationStatus.PUBLISHED


@pytest.fixture
def birds(db):
    """Two published points that both have "kestrel" and "harrier", and others with "harrier".

    Neither has the two words together (which would rank first whatever the words'
    weights). With "harrier" the commoner word among published entries, the point
    with more kestrels ranks first; counting drafts full of kestrels would make "kestrel" the
    commoner word, and the point with more harriers would rank first instead.
    """
    source = make_source()
    review = make_review(title="Test review of birds", slug="test-birds")
    kestrels = make_learning_point(
        review=review,
        source=source,
        text="Test learning: kestrel hovering, kestrel diving, kestrel calling, then a harrier.",
    )
    harriers = make_learning_point(
        review=review,
        source=source,
        text="Test learning: harrier gliding, harrier diving, harrier calling, then a kestrel.",
    )
    for number in range(3):
        make_learning_point(review=review, source=source, text=f"Test learning {number}: a harrier was seen.")
    return kestrels, harriers, source


def _add_kestrel_drafts(source, count=6):
    review = make_review(title="Test draft review of birds", slug="test-draft-birds", status=DRAFT)
    for number in range(count):
        make_learning_point(review=review, source=source, text=f"Test draft learning {number}: a kestrel nested.")
    return review


def test_a_draft_does_not_change_how_public_results_rank(birds, staff):
    kestrels, harriers, source = birds
    before = result_keys(run_search("kestrel harrier"))
    assert before[:2] == [entry_key(kestrels), entry_key(harriers)]
    _add_kestrel_drafts(source)
    assert result_keys(run_search("kestrel harrier")) == before
    # Staff find the drafts; they are not the public.
    assert len(result_keys(run_search("kestrel harrier", user=staff))) == len(before)
    assert run_search("kestrel", user=staff).total == run_search("kestrel").total + 6


def test_public_ranking_follows_publishing_unpublishing_and_deleting(birds):
    """After each change, the public's order is the one a rebuild from scratch gives."""
    kestrels, harriers, source = birds
    original = result_keys(run_search("kestrel harrier"))
    drafts = _add_kestrel_drafts(source)

    def ranked_as_after_a_rebuild():
        found = result_keys(run_search("kestrel harrier"))
        call_command("rebuild_search_index", verbosity=0)
        assert result_keys(run_search("kestrel harrier")) == found
        return found

    review_publish(review=drafts)
    published = ranked_as_after_a_rebuild()
    if connection.vendor == "sqlite":
        # Kestrels are now the commoner word among what the public may find.
        assert published[:2] == [entry_key(harriers), entry_key(kestrels)]
    review_unpublish(review=drafts)
    assert ranked_as_after_a_rebuild() == original
    review_publish(review=drafts)
    LearningPoint.objects.filter(review=drafts).delete()
    assert ranked_as_after_a_rebuild() == original


@pytest.mark.skipif("connection.vendor != 'sqlite'", reason="SQLite's FTS5 table of published entries")
def test_the_public_fts_table_holds_exactly_the_published_entries(birds):
    """Checked after every kind of write: save, publish, unpublish, delete, a theme merge,
    an update that sends no signal (as migration 0014 does), and a rebuild."""
    kestrels, _harriers, source = birds

    def in_step():
        pending.flush()
        with connection.cursor() as cursor:
            # One row per indexed entry (the FTS5 table itself would read its content table).
            cursor.execute(f"SELECT id FROM {PUBLIC_FTS_TABLE}_docsize")
            indexed = sorted(row[0] for row in cursor.fetchall())
        return indexed == sorted(SearchEntry.objects.published().values_list("pk", flat=True))

    assert in_step()
    drafts = _add_kestrel_drafts(source)
    assert in_step()
    review_publish(review=drafts)
    assert in_step()
    kestrels.text = "Test learning: a kestrel was ringed."
    kestrels.save()
    assert in_step()
    review_unpublish(review=drafts)
    assert in_step()
    LearningPoint.objects.filter(review=drafts).first().delete()
    assert in_step()
    kept, merged = make_theme(name="Test raptors"), make_theme(name="Test birds of prey")
    kestrels.themes.add(merged)
    assert in_step()
    theme_merge(themes=[merged], into=kept)
    assert in_step()
    SearchEntry.objects.filter(kind=SearchEntry.Kind.LEARNING_POINT).update(is_published=False)
    assert in_step()
    call_command("rebuild_search_index", verbosity=0)
    assert in_step()
    assert SearchEntry.objects.published().exists()


# "Did you mean" -------------------------------------------------------------------


def test_a_drafts_word_is_not_suggested_even_when_its_stem_finds_published_learning(birds):
    """ "kestrels" is only in a draft; corrected to it, "kestrelss" would find the published
    kestrels by their stem, but the public is offered their own word, as before the draft."""
    _kestrels, _harriers, source = birds
    assert run_search("kestrelss").suggestion == "kestrel"
    draft = make_review(title="Test draft review", slug="test-draft", status=DRAFT)
    make_learning_point(review=draft, source=source, text="Test draft learning: two kestrels.")
    page = run_search("kestrelss")
    assert page.total == 0
    assert page.suggestion == "kestrel"


def test_a_drafts_misspelling_does_not_hide_the_right_spelling(birds):
    """A word only a draft has is unknown to the public, so it is still corrected."""
    _kestrels, _harriers, source = birds
    assert run_search("kestrle").suggestion == "kestrel"
    draft = make_review(title="Test draft review", slug="test-draft", status=DRAFT)
    make_learning_point(review=draft, source=source, text="Test draft learning: a kestrle, as typed.")
    assert run_search("kestrle").suggestion == "kestrel"


def test_a_word_only_a_draft_has_is_never_suggested(birds, staff):
    _kestrels, _harriers, source = birds
    draft = make_review(title="Test draft review", slug="test-draft", status=DRAFT)
    make_learning_point(review=draft, source=source, text="Test draft learning: the quillwort protocol.")
    assert run_search("quilwort").suggestion == ""
    assert run_search("quilwort", user=staff).suggestion == "quillwort"


def test_a_word_unpublished_since_is_no_longer_suggested(birds):
    """The vocabulary keeps words until a rebuild; the public's suggestions do not."""
    _kestrels, _harriers, source = birds
    review = make_review(title="Test review of flowers", slug="test-flowers", status=PUBLISHED)
    make_learning_point(review=review, source=source, text="Test learning: the quillwort protocol.")
    assert run_search("quilwort").suggestion == "quillwort"
    review_unpublish(review=review)
    assert run_search("quilwort").suggestion == ""


def test_the_vocabulary_marks_the_words_of_published_entries(birds):
    """The public's candidates: marked when a published entry is written, exactly again by a rebuild."""
    _kestrels, _harriers, source = birds
    draft = make_review(title="Test draft review", slug="test-draft", status=DRAFT)
    make_learning_point(review=draft, source=source, text="Test draft learning: the quillwort protocol.")
    pending.flush()

    def marked(word):
        return SearchWord.objects.get(word=word).is_published

    assert marked("kestrel") and not marked("quillwort")
    review_publish(review=draft)
    pending.flush()
    assert marked("quillwort")
    review_unpublish(review=draft)
    pending.flush()
    assert marked("quillwort")  # Until a rebuild; the public's suggestions check the entries.
    call_command("rebuild_search_index", verbosity=0)
    assert marked("kestrel") and not marked("quillwort")

"""One way to classify: review tags that repeat a theme are folded into it
(``services.tag_folding``, ``manage.py fold_tags_into_themes``); their old
addresses lead to the theme, and a search for their words finds it."""

import io

import pytest
from django.core.management import CommandError, call_command
from taggit.models import Tag

from reviews.models import ThemeAlias
from reviews.search import pending
from reviews.services import tags_fold
from reviews.text import name_key

from .support.factories import make_public_theme, make_review, make_theme
from .support.kb import copy_fixtures, edit_json, load_fixtures
from .support.search import entry_key, result_keys, run_search

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("Home education", "home education", True),
        ("Home-Education", "home education", True),
        ("home educations", "Home education", True),
        ("Parents' own needs", "parents own need", True),
        ("Test injuries", "test injury", True),
        ("Test witness", "test witnes", False),  # "ss" is not a plural
        ("Neglect", "Neglected", False),
        ("knife crime", "Adolescents, knife crime and serious violence", False),  # words within a name: no
    ],
)
def test_names_are_compared_case_hyphens_and_plural_s_aside(first, second, same):
    assert (name_key(first) == name_key(second)) is same


@pytest.fixture
def tagged():
    """A public theme with an alias, and reviews tagged with its words in several forms and with other words."""
    theme = make_public_theme(name="Test water safety", slug="test-water-safety")
    ThemeAlias.objects.create(theme=theme, name="Test quarry pools")
    other = make_public_theme(name="Test alpha", slug="test-alpha")
    ThemeAlias.objects.create(theme=make_public_theme(name="Test beta"), name="Test alphas")  # "test alpha" twice
    first, second = make_review(title="Test review one"), make_review(title="Test review two")
    first.tags.add("test water-safety", "test alcohol", "test alpha")
    second.tags.add("Test Quarry-Pool", "test alcohol")
    return theme, other, first, second


def test_folding_records_aliases_takes_the_tags_off_and_leaves_the_rest(tagged):
    theme, _other, first, second = tagged
    result = tags_fold()
    assert sorted((fold.tag_name, fold.theme, fold.alias_added, fold.reviews) for fold in result.folded) == [
        ("Test Quarry-Pool", theme, True, 1),
        ("test water-safety", theme, True, 1),
    ]
    assert [name for name, _themes in result.ambiguous] == ["test alpha"]
    assert sorted(theme.aliases.values_list("name", flat=True)) == [
        "Test Quarry-Pool",
        "Test quarry pools",
        "test water-safety",
    ]
    assert sorted(first.tags.names()) == ["test alcohol", "test alpha"]
    assert list(second.tags.names()) == ["test alcohol"]
    assert not Tag.objects.filter(name__in=["test water-safety", "Test Quarry-Pool"]).exists()
    # History: the review's says why its tag went; the alias's who made it and why.
    assert (
        first.history.first().history_change_reason == "Tag “test water-safety” folded into theme “Test water safety”"
    )
    alias = ThemeAlias.objects.get(name="Test Quarry-Pool")
    assert alias.history.get().history_change_reason == "Tag “Test Quarry-Pool” folded into theme “Test water safety”"


def test_a_tag_already_named_as_the_theme_adds_no_alias_and_folding_again_changes_nothing():
    theme = make_public_theme(name="Test neglect")
    make_review().tags.add("test neglect")
    (fold,) = tags_fold().folded
    assert (fold.theme, fold.alias_added) == (theme, False)
    assert not theme.aliases.exists()
    assert tags_fold().folded == []


def test_check_says_what_would_be_folded_and_changes_nothing(tagged):
    out = io.StringIO()
    call_command("fold_tags_into_themes", "--check", stdout=out)
    output = out.getvalue()
    assert "“test water-safety” → Test water safety as a new alias; off 1 review(s); " in output
    assert "/tags/test-water-safety/ leads to /themes/test-water-safety/" in output
    assert "“test alpha” left alone: it matches Test alpha and Test beta" in output
    assert "Would fold 2 tag(s) into themes." in output
    assert Tag.objects.filter(name="test water-safety").exists()
    assert not ThemeAlias.objects.filter(name="test water-safety").exists()
    call_command("fold_tags_into_themes", stdout=io.StringIO())
    assert not Tag.objects.filter(name="test water-safety").exists()


def test_a_folded_tags_old_address_leads_to_the_theme_for_good(client, tagged):
    theme, *_ = tagged
    tags_fold()
    for slug in ("test-water-safety", "test-quarry-pool"):
        response = client.get(f"/tags/{slug}/")
        assert response.status_code == 301
        assert response["Location"] == theme.get_absolute_url()


def test_other_tag_pages_keep_working(client, tagged):
    tags_fold()
    assert client.get("/tags/test-alcohol/").status_code == 200
    assert client.get("/tags/test-alpha/").status_code == 200  # matches two themes: not folded
    assert client.get("/tags/no-such-tag/").status_code == 404


def test_an_unfolded_tag_repeating_a_theme_keeps_its_page_until_folded(client, tagged):
    assert client.get("/tags/test-water-safety/").status_code == 200
    tags_fold()
    assert client.get("/tags/test-water-safety/").status_code == 301


def test_a_theme_the_public_cannot_see_is_never_the_redirects_target(client, staff_client):
    make_theme(name="Test hidden theme", slug="test-hidden-theme")  # no published entry uses it
    make_review().tags.add("test hidden theme")
    tags_fold()
    assert client.get("/tags/test-hidden-theme/").status_code == 404
    assert staff_client.get("/tags/test-hidden-theme/").status_code == 301


def test_a_search_for_a_folded_tags_words_finds_the_theme(tagged):
    theme, *_ = tagged
    tags_fold()
    pending.flush()
    keys = result_keys(run_search("test quarry-pool"))
    assert keys[0] == entry_key(theme)


def test_the_fixtures_hold_no_tag_that_repeats_a_theme(loaded_kb, client):
    """ "neglect" and "home education" were folded: their reviews are on those themes."""
    assert tags_fold(dry_run=True).folded == []
    assert client.get("/tags/neglect/")["Location"] == "/themes/neglect/"
    assert client.get("/tags/home-education/")["Location"] == "/themes/home-education/"
    assert client.get("/tags/alcohol/").status_code == 200


def test_load_kb_refuses_a_tag_that_repeats_a_theme(tmp_path):
    fixtures = copy_fixtures(tmp_path)
    edit_json(
        fixtures / "sources" / "special-practice-review-newsletter.json",
        lambda data: data["reviews"][0]["tags"].append("Safe-Sleeping"),
    )
    with pytest.raises(CommandError) as raised:
        load_fixtures(fixtures)
    assert "tag 'Safe-Sleeping' repeats theme 'safe-sleeping'" in str(raised.value)

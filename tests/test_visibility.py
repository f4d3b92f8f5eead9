"""Themes and partnerships are public only once published content uses them.

A theme or a partnership has no status of its own, and is often made for a
review still in draft. Until a published learning point, recommendation or
action is on the theme (``Theme.objects.public()``), or the partnership has
a published review or source (``Partnership.objects.public()``), the public
must not learn that it exists: not from its page, card, permanent link, API,
sitemap, search, filters or the suggestions of the 404 page. Staff see it.
"""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from reviews.models import Partnership, PublicationStatus, SearchEntry, Theme, ThemeAlias
from reviews.search import pending

from .support.factories import (
    make_action,
    make_learning_point,
    make_partnership,
    make_recommendation,
    make_review,
    make_source,
    make_theme,
)
from .support.search import run_search
from .support.sitemaps import sitemap_text

pytestmark = pytest.mark.django_db

# Words that appear nowhere but in the draft's theme and partnership.
SECRET_WORDS = ("zephyrine", "quillback")


@pytest.fixture
def staff_client(db):
    user = get_user_model().objects.create_user("test-visibility-staff", password="test-password-123", is_staff=True)
    staff = Client()
    staff.force_login(user)
    return staff


@pytest.fixture
def kb():
    """A published review on a public theme, and a draft review with its own new
    partnership and a new theme (with an alias, related to the public theme)."""
    public_partnership = make_partnership(name="Test Public Partnership", slug="test-public-partnership")
    public_theme = make_theme(name="Test public theme", slug="test-public-theme")
    published = make_review(title="Test published review", partnership=public_partnership)
    make_learning_point(review=published, themes=[public_theme], text="Test published learning on sleeping.")

    secret_partnership = make_partnership(
        name="Test Zephyrine Partnership", short_name="TZP", slug="test-zephyrine-partnership"
    )
    secret_theme = make_theme(name="Test zephyrine theme", slug="test-zephyrine-theme", summary="Test quillback.")
    ThemeAlias.objects.create(theme=secret_theme, name="Test Quillback heading")
    secret_theme.related_themes.add(public_theme)
    draft = make_review(title="Test draft review", partnership=secret_partnership, status=PublicationStatus.DRAFT)
    make_learning_point(review=draft, themes=[secret_theme, public_theme], text="Test draft learning on sleeping.")
    return {
        "public_theme": public_theme,
        "public_partnership": public_partnership,
        "published": published,
        "secret_theme": secret_theme,
        "secret_partnership": secret_partnership,
        "draft": draft,
    }


def assert_secret_absent(text: str, *, echoes_address: bool = False):
    """None of the secret words; or, on a 404 page (which repeats the words of the
    address asked for, the visitor's own), none of the names, summary or alias
    that only the database knows."""
    if echoes_address:
        for name in ("Test zephyrine theme", "Test Zephyrine Partnership", "TZP"):
            assert name not in text
        assert "quillback" not in text.lower()
        return
    lowered = text.lower()
    for word in SECRET_WORDS:
        assert word not in lowered


# ---------------------------------------------------------------------------
# The rules, once, in the querysets
# ---------------------------------------------------------------------------


def _theme_on(kind, *, review_status=PublicationStatus.PUBLISHED, source_status=PublicationStatus.PUBLISHED):
    theme = make_theme()
    review = make_review(status=review_status)
    if kind == "learning point":
        make_learning_point(review=review, themes=[theme])
    elif kind == "cross-cutting learning point":
        make_learning_point(review=None, source=make_source(status=source_status), themes=[theme])
    elif kind == "recommendation":
        make_recommendation(review=review, themes=[theme])
    elif kind == "action":
        make_action(review=review).themes.add(theme)
    return theme


@pytest.mark.parametrize(
    ("case", "public"),
    [
        ({"kind": "learning point"}, True),
        ({"kind": "recommendation"}, True),
        ({"kind": "action"}, True),
        ({"kind": "cross-cutting learning point"}, True),
        ({"kind": "learning point", "review_status": PublicationStatus.DRAFT}, False),
        ({"kind": "recommendation", "review_status": PublicationStatus.DRAFT}, False),
        ({"kind": "action", "review_status": PublicationStatus.DRAFT}, False),
        ({"kind": "cross-cutting learning point", "source_status": PublicationStatus.DRAFT}, False),
        ({"kind": "nothing"}, False),
    ],
)
def test_a_theme_is_public_once_a_published_entry_is_on_it(case, public):
    """Guards ``Theme.objects.public()``: only themes a published entry uses are public; staff see every theme."""
    theme = _theme_on(**case)
    assert Theme.objects.public().filter(pk=theme.pk).exists() is public
    assert Theme.objects.visible_to(AnonymousUser()).filter(pk=theme.pk).exists() is public
    staff = get_user_model()(is_staff=True)
    assert Theme.objects.visible_to(staff).filter(pk=theme.pk).exists()


@pytest.mark.parametrize(
    ("review_status", "source_status", "public"),
    [
        (PublicationStatus.PUBLISHED, None, True),
        (None, PublicationStatus.PUBLISHED, True),
        (PublicationStatus.DRAFT, None, False),
        (None, PublicationStatus.DRAFT, False),
        (None, None, False),
    ],
)
def test_a_partnership_is_public_once_it_has_a_published_review_or_source(review_status, source_status, public):
    """Guards ``Partnership.objects.public()``: a partnership made for a draft review is not public."""
    partnership = make_partnership()
    if review_status:
        make_review(partnership=partnership, status=review_status)
    if source_status:
        make_source(partnership=partnership, status=source_status)
    assert Partnership.objects.public().filter(pk=partnership.pk).exists() is public
    assert Partnership.objects.visible_to(get_user_model()(is_staff=True)).filter(pk=partnership.pk).exists()


# ---------------------------------------------------------------------------
# Pages, print, embeds, permanent links
# ---------------------------------------------------------------------------


def _own_addresses(kb):
    theme, partnership = kb["secret_theme"], kb["secret_partnership"]
    return [
        theme.get_absolute_url(),
        reverse("reviews:theme-print", kwargs={"slug": theme.slug}),
        reverse("reviews:theme-embed", kwargs={"slug": theme.slug}),
        partnership.get_absolute_url(),
    ]


def test_pages_of_a_theme_or_partnership_only_drafts_use_are_404_to_the_public(client, staff_client, kb):
    """Guards the theme page, its print and card, and the partnership page: 404 for the public,
    200 for staff (except the card, which leaves the site and so shows public content only)."""
    for url in _own_addresses(kb):
        response = client.get(url)
        assert response.status_code == 404, url
        assert_secret_absent(response.content.decode(), echoes_address=True)
        assert staff_client.get(url).status_code == (404 if "/embed/" in url else 200), url


def test_the_permanent_link_of_a_theme_only_drafts_use_is_404_to_the_public(client, staff_client, kb):
    """Guards /t/<id>/: like a number never used for the public, a redirect for staff."""
    link = kb["secret_theme"].get_permalink()
    assert client.get(link).status_code == 404
    assert staff_client.get(link)["Location"] == kb["secret_theme"].get_absolute_url()


def test_the_old_address_of_a_renamed_theme_only_drafts_use_is_not_revealed(client, staff_client, kb):
    """Guards the old-slug redirect: it must not hand the public the theme's new slug."""
    theme = kb["secret_theme"]
    theme.slug = "test-zephyrine-theme-renamed"
    theme.save()
    response = client.get("/themes/test-zephyrine-theme/")
    assert response.status_code == 404
    assert_secret_absent(response.get("Location", ""))
    assert staff_client.get("/themes/test-zephyrine-theme/")["Location"] == "/themes/test-zephyrine-theme-renamed/"


@pytest.mark.parametrize("url_name", ["home", "theme-index", "partnership-index"])
def test_lists_do_not_name_them(client, staff_client, kb, url_name):
    """Guards the home page, the theme index and the partnership index: the public sees neither name."""
    response = client.get(reverse(f"reviews:{url_name}"))
    assert response.status_code == 200
    assert_secret_absent(response.content.decode())
    if url_name in ("home", "theme-index"):
        assert "Test zephyrine theme" in staff_client.get(reverse(f"reviews:{url_name}")).content.decode()


def test_a_public_themes_page_does_not_list_a_related_theme_only_drafts_use(client, staff_client, kb):
    """Guards the theme page's related themes (a curated link to the draft's theme)."""
    url = kb["public_theme"].get_absolute_url()
    html = client.get(url).content.decode()
    assert "Test public theme" in html
    assert_secret_absent(html)
    assert "Test zephyrine theme" in staff_client.get(url).content.decode()


def test_oembed_does_not_describe_a_theme_only_drafts_use(client, kb):
    """Guards oEmbed: a theme page or permanent link of such a theme has nothing to embed."""
    theme = kb["secret_theme"]
    for url in (theme.get_absolute_url(), theme.get_permalink()):
        response = client.get(reverse("reviews:oembed"), {"url": f"http://testserver{url}"})
        assert response.status_code == 404
        assert_secret_absent(response.content.decode())


def test_the_404_page_suggests_neither_to_the_public(client, staff_client, kb):
    """Guards the 404 page's "similar name" suggestions."""
    for path in ("/themes/test-zephyrine-them/", "/partnerships/test-zephyrine-partnershi/"):
        response = client.get(path)
        assert response.status_code == 404
        assert_secret_absent(response.content.decode(), echoes_address=True)
        assert ">Test Zephyrine" in staff_client.get(path).content.decode().title()


def test_the_sitemap_lists_neither(client, kb):
    """Guards sitemap.xml: a theme or partnership only drafts use is not listed."""
    xml = sitemap_text(client)
    assert kb["public_theme"].get_absolute_url() in xml
    assert kb["public_partnership"].get_absolute_url() in xml
    assert_secret_absent(xml)


# ---------------------------------------------------------------------------
# The API
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "parameter", "message"),
    [
        (
            "theme=test-zephyrine-theme",
            "theme",
            "There is no theme '{slug}'. The themes are listed at /api/v1/themes/.",
        ),
        (
            "partnership=test-zephyrine-partnership",
            "partnership",
            "There is no partnership '{slug}'. Use the slug given in each record's 'partnership'.",
        ),
    ],
)
@pytest.mark.parametrize("endpoint", ["reviews", "learning-points", "recommendations", "actions"])
def test_api_filters_answer_for_them_as_for_an_unknown_slug(client, kb, endpoint, query, parameter, message):
    """Guards the API's filters: 400 "unknown theme/partnership", word for word as for a slug never used."""
    slug = query.split("=")[1]
    url = reverse("reviews:api-list", kwargs={"endpoint": endpoint})
    response = client.get(f"{url}?{query}")
    assert response.status_code == 400
    assert response.json()["error"] == {"status": 400, "message": message.format(slug=slug), "parameter": parameter}
    unknown = client.get(f"{url}?{query}-unknown").json()["error"]["message"]
    assert unknown == message.format(slug=f"{slug}-unknown")


def test_the_api_lists_only_public_themes(client, kb):
    """Guards /api/v1/themes/ (JSON and CSV), a theme's record and its related themes."""
    data = client.get(reverse("reviews:api-list", kwargs={"endpoint": "themes"})).json()
    assert [record["slug"] for record in data["results"]] == ["test-public-theme"]
    assert data["results"][0]["related"] == []
    assert_secret_absent(client.get(reverse("reviews:api-list-csv", kwargs={"endpoint": "themes"})).content.decode())
    detail = reverse("reviews:api-theme-detail", kwargs={"pk": kb["secret_theme"].pk})
    assert client.get(detail).status_code == 404


# ---------------------------------------------------------------------------
# Search
# ---------------------------------------------------------------------------


def test_search_finds_a_theme_only_drafts_use_for_staff_only(kb):
    """Guards the search index: a theme's entry is published only while the theme is public."""
    staff = get_user_model()(is_staff=True)
    assert not [r for r in run_search("zephyrine").results if r.entry.kind == SearchEntry.Kind.THEME]
    assert [r.entry.title for r in run_search("zephyrine", user=staff).results if r.entry.kind == "theme"] == [
        "Test zephyrine theme"
    ]


def test_search_filters_ignore_them_as_unknown(kb):
    """Guards the search page's filters: the slug is reported unknown and never named or labelled."""
    page = run_search("sleeping", theme="test-zephyrine-theme", partnership="test-zephyrine-partnership")
    assert "There is no theme “test-zephyrine-theme”, so that filter was ignored." in page.notices
    assert "There is no partnership “test-zephyrine-partnership”, so that filter was ignored." in page.notices
    labels = [option.label for facet in page.facets for option in facet.options]
    assert_secret_absent(" ".join(labels))


def test_search_does_not_suggest_a_theme_only_drafts_use(kb):
    """Guards the themes a search with no results suggests."""
    staff = get_user_model()(is_staff=True)
    assert run_search("zephyrinne", user=staff).suggested_themes == [kb["secret_theme"]]
    page = run_search("zephyrinne")
    assert (page.total, page.suggested_themes, page.suggestion) == (0, [], "")


def _theme_entry(theme):
    pending.flush()
    return SearchEntry.objects.get(kind=SearchEntry.Kind.THEME, object_id=theme.pk)


def test_a_themes_search_entry_follows_whether_it_is_public(kb):
    """Guards the index's triggers: publishing or unpublishing the review, moving or deleting
    the entry and taking the theme off it each rewrite the theme's entry."""
    theme, draft = kb["secret_theme"], kb["draft"]
    assert not _theme_entry(theme).is_published
    draft.status = PublicationStatus.PUBLISHED
    draft.save()
    assert _theme_entry(theme).is_published
    draft.status = PublicationStatus.DRAFT
    draft.save()
    assert not _theme_entry(theme).is_published

    point = make_learning_point(review=kb["published"], themes=[theme])
    assert _theme_entry(theme).is_published
    point.themes.remove(theme)
    assert not _theme_entry(theme).is_published
    point.themes.add(theme)
    point.themes.clear()
    assert not _theme_entry(theme).is_published
    point.themes.add(theme)
    point.review = draft
    point.save()
    assert not _theme_entry(theme).is_published
    point.review = kb["published"]
    point.save()
    assert _theme_entry(theme).is_published
    point.delete()
    assert not _theme_entry(theme).is_published


def test_the_migration_puts_theme_entries_written_before_in_step(kb):
    """Guards migration 0014: theme entries written as published whatever the theme are corrected."""
    pending.flush()
    SearchEntry.objects.filter(kind=SearchEntry.Kind.THEME).update(is_published=True)
    migration = importlib.import_module("reviews.migrations.0014_theme_search_entries_public_only")
    migration.unpublish_entries_of_themes_not_public(apps, None)
    assert not _theme_entry(kb["secret_theme"]).is_published
    assert _theme_entry(kb["public_theme"]).is_published

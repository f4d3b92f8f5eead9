"""Embeddable cards, their framing headers, and the oEmbed endpoint (issue 7)."""

import pytest
from django.test import Client
from django.urls import reverse

from reviews.kept.pending import flush as kept_flush
from reviews.models import LearningPoint, PublicationStatus

from .support.factories import (
    make_learning_point,
    make_partnership,
    make_public_theme,
    make_review,
    make_source,
    make_theme,
)

pytestmark = pytest.mark.django_db

ORIGINS = ["https://learning.example.org", "https://moodle.example.ac.uk"]


@pytest.fixture
def embed_origins(settings):
    settings.KB_EMBED_ALLOWED_ORIGINS = ORIGINS
    return ORIGINS


@pytest.fixture
def point():
    partnership = make_partnership(name="Test Safeguarding Partnership for embeds")
    review = make_review(title="Test review to embed", partnership=partnership)
    return make_learning_point(review=review, text="Test learning point to **embed**.")


def embed_url(obj):
    if hasattr(obj, "name"):
        return reverse("reviews:theme-embed", kwargs={"slug": obj.slug})
    return reverse("reviews:learning-point-embed", kwargs={"pk": obj.pk})


def test_learning_point_card_links_back_to_the_full_page(client, point):
    response = client.get(embed_url(point))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Test learning point to <strong>embed</strong>." in html
    assert "Test review to embed" in html
    assert "Test Safeguarding Partnership for embeds" in html
    assert f'href="http://testserver{point.get_permalink()}"' in html
    # Links open outside the frame: the full site refuses to be framed.
    assert '<base target="_blank">' in html
    assert "govuk-generic-header" not in html


def test_theme_card_counts_published_learning(client):
    theme = make_theme(name="Test theme to embed", summary="Test description of the theme.")
    make_learning_point(review=make_review(title="Test published review"), themes=[theme])
    make_learning_point(review=make_review(title="Test draft review", status=PublicationStatus.DRAFT), themes=[theme])
    html = client.get(embed_url(theme)).content.decode()
    assert "Test theme to embed" in html
    assert "Test description of the theme." in html
    assert "Found in 1 review (1 learning point)" in html
    assert "Test draft review" not in html
    assert f'href="http://testserver{theme.get_absolute_url()}"' in html


@pytest.mark.parametrize("kind", ["learning-point", "theme"])
def test_cards_may_be_framed_only_by_configured_origins(client, point, embed_origins, kind):
    obj = point if kind == "learning-point" else make_theme()
    response = client.get(embed_url(obj))
    assert "X-Frame-Options" not in response
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors 'self' https://learning.example.org https://moodle.example.ac.uk" in policy
    assert "default-src 'self'" in policy


def test_with_no_origins_configured_only_the_site_may_frame_cards(client, point, settings):
    settings.KB_EMBED_ALLOWED_ORIGINS = []
    policy = client.get(embed_url(point))["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in policy
    assert "frame-ancestors 'self' " not in policy


def test_every_other_page_refuses_to_be_framed(client, point, embed_origins):
    for url in (reverse("reviews:coursepack-index"), reverse("reviews:api-index"), reverse("reviews:oembed")):
        response = client.get(url)
        assert response["X-Frame-Options"] == "DENY", url


def test_drafts_and_unknown_items_have_no_card(client):
    draft = make_learning_point(review=make_review(status=PublicationStatus.DRAFT))
    assert client.get(embed_url(draft)).status_code == 404
    assert client.get(reverse("reviews:learning-point-embed", kwargs={"pk": 999999})).status_code == 404
    assert client.get(reverse("reviews:theme-embed", kwargs={"slug": "test-no-such-theme"})).status_code == 404


def _assert_framed_like_a_card(response):
    """Framed by the same origins as a live card: not the full site's 404 page, which refuses."""
    assert "X-Frame-Options" not in response
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors 'self' https://learning.example.org https://moodle.example.ac.uk" in policy
    html = response.content.decode()
    assert '<base target="_blank">' in html
    assert "govuk-generic-header" not in html
    assert 'href="http://testserver/themes/"' in html
    return html


def test_a_deleted_learning_point_has_a_removed_card(client, point, embed_origins):
    url = embed_url(point)
    review = point.review
    point.delete()
    response = client.get(url)
    assert response.status_code == 410
    html = _assert_framed_like_a_card(response)
    assert "This learning point has been removed" in html
    assert "Test learning point to" not in html
    assert f'href="http://testserver{review.get_absolute_url()}"' in html


def test_a_deleted_theme_has_a_removed_card(client, embed_origins):
    theme = make_public_theme(slug="test-theme-to-delete", name="Test theme to delete")
    url = embed_url(theme)
    theme.delete()
    response = client.get(url)
    assert response.status_code == 410
    assert "This theme has been removed" in _assert_framed_like_a_card(response)


@pytest.mark.parametrize("case", ["draft", "never", "huge"])
def test_a_card_that_cannot_be_shown_is_a_framable_404_that_reveals_nothing(client, embed_origins, case):
    if case == "draft":
        url = embed_url(make_learning_point(review=make_review(status=PublicationStatus.DRAFT), text="Test secret."))
    else:
        url = reverse("reviews:learning-point-embed", kwargs={"pk": 999999 if case == "never" else 10**20})
    response = client.get(url)
    assert response.status_code == 404
    html = _assert_framed_like_a_card(response)
    assert "There is no published learning point at this address" in html
    assert "Test secret." not in html
    assert "removed" not in html.lower()


def test_a_draft_and_a_missing_learning_point_get_the_same_card(client):
    draft = make_learning_point(review=make_review(status=PublicationStatus.DRAFT))
    missing = LearningPoint.objects.order_by("-pk").first().pk + 1000
    pages = [client.get(reverse("reviews:learning-point-embed", kwargs={"pk": pk})) for pk in (draft.pk, missing)]
    assert pages[0].content == pages[1].content


def oembed(client, **params):
    return client.get(reverse("reviews:oembed"), params)


@pytest.mark.parametrize(
    "page",
    ["permalink", "embed", "anchor"],
)
def test_oembed_for_a_learning_point(client, point, page):
    url = {
        "permalink": f"http://testserver{point.get_permalink()}",
        "embed": f"http://testserver{embed_url(point)}",
        "anchor": f"http://testserver{point.get_absolute_url()}",
    }[page]
    response = oembed(client, url=url, format="json")
    assert response.status_code == 200
    data = response.json()
    assert data["version"] == "1.0"
    assert data["type"] == "rich"
    assert data["provider_name"] == "Learning from case reviews"
    assert data["author_name"] == point.source.publisher_display
    assert (data["width"], data["height"]) == (480, 420)
    assert f'<iframe src="http://testserver{embed_url(point)}" width="480" height="420"' in data["html"]
    assert response["Access-Control-Allow-Origin"] == "*"


def test_oembed_for_a_theme_page(client):
    theme = make_public_theme(name="Test theme & more")
    for url in (theme.get_absolute_url(), theme.get_permalink()):
        data = oembed(client, url=f"http://testserver{url}").json()
        assert data["title"] == "Test theme & more: learning from case reviews"
        assert 'title="Test theme &amp; more: learning from case reviews"' in data["html"]
        assert embed_url(theme) in data["html"]


def test_oembed_follows_a_renamed_theme(client):
    theme = make_public_theme(slug="test-neglect", name="Test neglect")
    theme.slug = "test-neglect-renamed"
    theme.save()
    for url in ("/themes/test-neglect/", "/themes/test-neglect/print/", "/embed/theme/test-neglect/"):
        response = oembed(client, url=f"http://testserver{url}")
        assert response.status_code == 200, url
        assert 'src="http://testserver/embed/theme/test-neglect-renamed/"' in response.json()["html"]


def test_oembed_follows_a_renamed_review_to_its_learning_point(client, point):
    review = point.review
    old_slug = review.slug
    review.slug = f"{old_slug}-renamed"
    review.save()
    response = oembed(client, url=f"http://testserver/reviews/{old_slug}/#{point.anchor}")
    assert response.status_code == 200
    assert embed_url(point) in response.json()["html"]


def test_oembed_does_not_reveal_a_renamed_draft(client):
    review = make_review(slug="test-draft-before", status=PublicationStatus.DRAFT)
    point = make_learning_point(review=review)
    review.slug = "test-draft-after"
    review.save()
    assert oembed(client, url=f"http://testserver/reviews/test-draft-before/#{point.anchor}").status_code == 404


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_oembed_is_read_only_in_json_even_with_csrf_checks(point, method):
    client = Client(enforce_csrf_checks=True)
    response = getattr(client, method)(reverse("reviews:oembed"), data="{}", content_type="application/json")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"
    assert response["Allow"] == "GET, HEAD"
    assert response.json()["error"]["status"] == 405


def test_oembed_respects_maxwidth_and_maxheight(client, point):
    data = oembed(client, url=f"http://testserver{point.get_permalink()}", maxwidth="320", maxheight="240").json()
    assert (data["width"], data["height"]) == (320, 240)
    assert 'width="320" height="240"' in data["html"]


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({}, 400),
        ({"url": ""}, 400),
        ({"url": "PLACEHOLDER", "format": "xml"}, 501),
        ({"url": "PLACEHOLDER", "format": "yaml"}, 400),
        ({"url": "PLACEHOLDER", "maxwidth": "wide"}, 400),
        ({"url": "PLACEHOLDER", "maxwidth": "-5"}, 400),
        ({"url": "PLACEHOLDER", "maxheight": "10"}, 400),
        ({"url": "https://elsewhere.example.org/lp/1/"}, 404),
        ({"url": "javascript:alert(1)"}, 404),
        ({"url": "http://testserver/search/"}, 404),
        ({"url": "http://testserver/no/such/page/"}, 404),
        ({"url": "http://testserver/lp/999999/"}, 404),
        ({"url": "http://testserver/lp/99999999999999999999/"}, 404),
        ({"url": "http://testserver/t/99999999999999999999/"}, 404),
        ({"url": "http://testserver/embed/lp/99999999999999999999/"}, 404),
        ({"url": "PLACEHOLDER", "maxwidth": "99999"}, 200),
        ({"url": "PLACEHOLDER", "maxwidth": "9" * 5000}, 400),
        ({"url": "PLACEHOLDER", "maxwidth": "%D9%A3%D9%A3%D9%A3"}, 400),
        ({"url": "http://testserver/reviews/test-no-such-review/#lp-nothing"}, 404),
    ],
)
def test_oembed_errors_are_json(client, point, params, status):
    """Every answer is JSON, never a 500: a huge number is a 404, a large size the card's own."""
    params = {
        key: (f"http://testserver{point.get_permalink()}" if value == "PLACEHOLDER" else value)
        for key, value in params.items()
    }
    response = oembed(client, **params)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    if status == 200:
        assert response.json()["width"] == 480
    else:
        assert response.json()["error"]["message"]


def test_oembed_refuses_a_control_character_in_the_address(client, point):
    """A NUL in the anchor reached a query (a 500 on PostgreSQL)."""
    url = f"http://testserver{point.review.get_absolute_url()}#lp-a\x00b"
    response = oembed(client, url=url)
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "'url' contains a control character (U+0000), which no address has."


def test_oembed_never_describes_a_draft(client):
    draft = make_learning_point(review=make_review(status=PublicationStatus.DRAFT))
    for url in (draft.get_permalink(), draft.get_absolute_url(), embed_url(draft)):
        assert oembed(client, url=f"http://testserver{url}").status_code == 404


def test_oembed_anchor_must_belong_to_the_review_in_the_address(client, point):
    other = make_review()
    url = f"http://testserver{other.get_absolute_url()}#{point.anchor}"
    assert oembed(client, url=url).status_code == 404


def test_cards_take_a_fixed_number_of_queries(client, point, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert client.get(embed_url(point)).status_code == 200
    theme = make_theme()
    for _ in range(3):
        make_learning_point(review=make_review(), themes=[theme], source=make_source())
    kept_flush()  # as the commit of those writes would, before any request reads the kept counts
    with django_assert_num_queries(3):
        response = client.get(embed_url(theme))
    assert response.status_code == 200
    assert "(3 learning points)" in response.content.decode()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", []),
        ("https://learning.example.org", ["https://learning.example.org"]),
        (
            "https://learning.example.org/, http://localhost:8080",
            ["https://learning.example.org", "http://localhost:8080"],
        ),
    ],
)
def test_embed_origins_setting_accepts_origins(monkeypatch, value, expected):
    from kb.settings import env_origins

    monkeypatch.setenv("KB_EMBED_ALLOWED_ORIGINS", value)
    assert env_origins("KB_EMBED_ALLOWED_ORIGINS") == expected


@pytest.mark.parametrize(
    "value",
    [
        "learning.example.org",
        "https://learning.example.org/course/1",
        "https://learning.example.org; script-src *",
        "https://learning.example.org 'unsafe-inline'",
        "ftp://learning.example.org",
        "https://user@learning.example.org",
        "*",
    ],
)
def test_embed_origins_setting_refuses_anything_else(monkeypatch, value):
    from django.core.exceptions import ImproperlyConfigured

    from kb.settings import env_origins

    monkeypatch.setenv("KB_EMBED_ALLOWED_ORIGINS", value)
    with pytest.raises(ImproperlyConfigured):
        env_origins("KB_EMBED_ALLOWED_ORIGINS")


def test_every_page_has_a_strict_content_security_policy(client, point):
    pages = (
        reverse("reviews:coursepack-index"),
        reverse("reviews:review-print", kwargs={"slug": point.review.slug}),
        reverse("reviews:api-index"),
    )
    for url in pages:
        policy = client.get(url)["Content-Security-Policy"]
        assert "default-src 'self'" in policy
        assert "script-src 'self';" in policy
        assert "style-src 'self';" in policy
        assert "frame-ancestors 'none'" in policy
        assert "unsafe" not in policy


def test_admin_may_use_inline_styles_but_not_inline_scripts(client):
    policy = client.get("/admin/login/")["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in policy
    assert "script-src 'self';" in policy


def test_a_404_has_the_policy_too(client):
    response = client.get("/test-no-such-page/")
    assert response.status_code == 404
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]

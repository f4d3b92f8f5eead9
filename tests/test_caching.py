"""Public responses come from the cache, and never out of date (reviews/caching.py).

The suite runs with the page cache off (kb/settings_test.py): tests change
content inside a transaction that never commits, and the content version is
replaced when a transaction commits. Here it is on, with its own cache and
version file, and writes run their on-commit callbacks as a commit would
(``django_capture_on_commit_callbacks(execute=True)``); one test commits for
real through the admin.
"""

import gzip
import os
import re
import socket
import subprocess
import sys
import threading
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.cache import caches
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils.http import http_date
from taggit.models import Tag

from reviews import caching
from reviews.caching import _etag
from reviews.models import LearningPoint, PublicationStatus, Review, Theme
from reviews.services.merging import theme_merge
from reviews.services.publishing import review_publish, review_unpublish

from .support.admin import admin_form_data
from .support.factories import make_learning_point, make_partnership, make_review, make_theme
from .support.responses import body

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
REDIS = ("127.0.0.1", 6379)
REDIS_DB = 15


@pytest.fixture
def page_cache(settings, tmp_path):
    """The page cache on, in a cache and with a version file of this test's own."""
    settings.KB_PAGE_CACHE = True
    settings.KB_PAGE_MAX_AGE = 60
    settings.KB_CONTENT_VERSION_FILE = str(tmp_path / "content-version")
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": f"test-{uuid.uuid4()}"}
    }


@pytest.fixture
def content():
    partnership = make_partnership(name="Test Caching Partnership")
    theme = make_theme(name="Test caching theme")
    review = make_review(title="Test review before the edit", partnership=partnership)
    point = make_learning_point(review=review, text="Test learning point about caching.", themes=[theme])
    review.tags.add("test-caching-tag")
    return {"review": review, "theme": theme, "point": point, "partnership": partnership}


def addresses(content):
    review, theme, point = content["review"], content["theme"], content["point"]
    page_url = "http://testserver" + theme.get_absolute_url()
    return {
        "home": "/",
        "themes": "/themes/",
        "theme": theme.get_absolute_url(),
        "reviews": "/reviews/",
        "reviews, filtered": f"/reviews/?theme={theme.slug}",
        "review": review.get_absolute_url(),
        "partnership": content["partnership"].get_absolute_url(),
        "tag": "/tags/test-caching-tag/",
        "search": "/search/?q=caching",
        "api list": "/api/v1/reviews/",
        "api detail": reverse("reviews:api-review-detail", kwargs={"pk": review.pk}),
        "csv": "/api/v1/learning-points.csv",
        "sitemap": "/sitemap.xml",
        "feed": "/feeds/reviews.atom",
        "embed": reverse("reviews:learning-point-embed", kwargs={"pk": point.pk}),
        "oembed": f"/oembed/?url={quote(page_url)}",
        "print": reverse("reviews:review-print", kwargs={"slug": review.slug}),
    }


def get(client, url, **headers):
    response = client.get(url, **headers)
    return response, response.content.decode()


def committed(django_capture_on_commit_callbacks):
    """Run the writes of the ``with`` block's on-commit callbacks, as a commit would."""
    return django_capture_on_commit_callbacks(execute=True)


# What is cached -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "page",
    [
        "home",
        "themes",
        "theme",
        "reviews",
        "reviews, filtered",
        "review",
        "partnership",
        "tag",
        "search",
        "api list",
        "api detail",
        "csv",
        "sitemap",
        "feed",
        "embed",
        "oembed",
        "print",
    ],
)
def test_a_public_response_is_cached_and_the_second_request_runs_no_query(
    page, page_cache, content, client, django_assert_num_queries
):
    url = addresses(content)[page]
    first = client.get(url)
    assert first.status_code == 200, url
    assert first["X-Cache"] == "miss"
    # A streamed response (the CSV) is kept once it has all been sent.
    first_body = body(first)
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.status_code == 200
    assert second["X-Cache"] == "hit"
    assert second.content == first_body
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Cache-Control"] == "public, max-age=60"
    # The ETag is a digest of the body: a streamed response learns it only once all is sent.
    assert second["ETag"] == (_etag(first_body) if first.streaming else first["ETag"])
    assert second["Last-Modified"] == http_date(caching.content_version().made_at)
    # Nothing personal: no cookie, and no CSRF token in a shared page.
    assert not second.cookies
    assert "csrfmiddlewaretoken" not in second.content.decode()


def test_head_is_answered_from_the_cache(page_cache, content, client, django_assert_num_queries):
    client.get("/")
    with django_assert_num_queries(0):
        response = client.head("/")
    assert response.status_code == 200
    assert response["X-Cache"] == "hit"


def test_pages_are_kept_gzipped_and_sent_so_to_those_that_accept_it(page_cache, content, client):
    url = content["theme"].get_absolute_url()
    plain = client.get(url)
    assert "Accept-Encoding" in plain["Vary"]
    assert "Content-Encoding" not in plain
    for _ in range(2):
        zipped = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        assert zipped["Content-Encoding"] == "gzip"
        assert gzip.decompress(zipped.content) == plain.content
        assert int(zipped["Content-Length"]) == len(zipped.content) < len(plain.content)
        assert zipped["ETag"] == plain["ETag"]
    again = client.get(url)
    assert again["X-Cache"] == "hit"
    assert again.content == plain.content
    assert int(again["Content-Length"]) == len(plain.content)


def test_a_response_larger_than_the_limit_is_not_kept(page_cache, content, client, settings):
    settings.KB_PAGE_CACHE_MAX_BYTES = 100
    for _ in range(2):
        response = client.get("/")
        assert response["X-Cache"] == "miss"
        assert response["Cache-Control"] == "public, max-age=60"


def test_the_key_is_the_whole_url(page_cache, content, client):
    client.get("/search/?q=caching")
    assert client.get("/search/?q=caching")["X-Cache"] == "hit"
    assert client.get("/search/?q=learning")["X-Cache"] == "miss"
    assert client.get("/search/?q=caching", HTTP_HOST="localhost")["X-Cache"] == "miss"
    assert client.get("/search/?q=caching", secure=True)["X-Cache"] == "miss"


def test_an_embed_keeps_its_own_framing_policy_from_the_cache(page_cache, content, client, settings):
    settings.KB_EMBED_ALLOWED_ORIGINS = ["https://learning.example.org"]
    url = addresses(content)["embed"]
    first = client.get(url)
    second = client.get(url)
    assert second["X-Cache"] == "hit"
    assert "frame-ancestors 'self' https://learning.example.org" in second["Content-Security-Policy"]
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert "X-Frame-Options" not in second


def test_the_ordinary_pages_keep_their_policy_from_the_cache(page_cache, content, client):
    client.get("/")
    second = client.get("/")
    assert second["X-Cache"] == "hit"
    assert "frame-ancestors 'none'" in second["Content-Security-Policy"]
    assert second["X-Frame-Options"] == "DENY"


def test_errors_and_redirects_are_not_cached(page_cache, content, client):
    for url, status in [("/reviews/no-such-review/", 404), ("/reviews", 301), ("/api/v1/nothing-here/", 404)]:
        for _ in range(2):
            response = client.get(url)
            assert response.status_code == status, url
            assert "X-Cache" not in response, url


def test_nothing_is_cached_when_the_page_cache_is_off(page_cache, content, client, settings):
    settings.KB_PAGE_CACHE = False
    for _ in range(2):
        response = client.get("/")
        assert "X-Cache" not in response
        assert "public" not in response.get("Cache-Control", "")


def test_a_new_release_never_serves_the_previous_ones_pages(page_cache, content, client, monkeypatch):
    client.get("/")
    assert client.get("/")["X-Cache"] == "hit"
    monkeypatch.setattr(caching, "release", lambda: "another-release")
    assert client.get("/")["X-Cache"] == "miss"


def test_the_release_is_a_digest_of_the_code_and_templates():
    assert caching.release() == caching.release()
    assert len(caching.release()) == 16


# After an edit, one request builds a page and the others wait for it ---------------------------


def test_a_request_waits_for_the_page_another_is_building(
    page_cache, content, client, settings, django_assert_num_queries
):
    settings.KB_PAGE_CACHE_WAIT = 5
    url = content["review"].get_absolute_url()
    built = client.get(url)
    cache, key = caches["default"], caching.page_key(built.wsgi_request)
    entry = cache.get(key)
    cache.clear()
    # Another request has claimed the page and stores it 0.3 s later.
    cache.add(f"{key}:building:{caching.content_version().token}", 1, 30)
    timer = threading.Timer(0.3, lambda: cache.set(key, entry, 60))
    timer.start()
    with django_assert_num_queries(0):
        response = client.get(url)
    timer.join()
    assert response["X-Cache"] == "hit"
    assert response.content == built.content


def test_a_request_builds_the_page_itself_if_the_other_takes_too_long(page_cache, content, client, settings):
    settings.KB_PAGE_CACHE_WAIT = 0.3
    url = content["review"].get_absolute_url()
    request = client.get(url).wsgi_request
    caches["default"].clear()
    version = caching.content_version()
    caches["default"].add(f"{caching.page_key(request)}:building:{version.token}", 1, 30)
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Cache"] == "miss"
    assert "Test review before the edit" in response.content.decode()


def test_the_claim_is_released_when_the_page_is_not_kept(page_cache, content, client, settings):
    settings.KB_PAGE_CACHE_WAIT = 5
    response = client.get("/reviews/no-such-review/")
    assert response.status_code == 404
    claim = f"{caching.page_key(response.wsgi_request)}:building:{caching.content_version().token}"
    assert caches["default"].get(claim) is None


# Conditional requests -----------------------------------------------------------------------------


def test_a_matching_if_none_match_gets_304_without_a_query(page_cache, content, client, django_assert_num_queries):
    url = content["review"].get_absolute_url()
    etag = client.get(url)["ETag"]
    with django_assert_num_queries(0):
        response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response["ETag"] == etag
    assert response["Cache-Control"] == "public, max-age=60"
    assert response.content == b""


def test_a_304_is_given_on_the_first_request_too(page_cache, content, client):
    url = content["review"].get_absolute_url()
    etag = client.get(url)["ETag"]
    caches["default"].clear()  # the page is built again: its ETag is the same
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response["X-Cache"] == "miss"


def test_if_modified_since_the_content_version_gets_304(page_cache, content, client):
    url = content["review"].get_absolute_url()
    last_modified = client.get(url)["Last-Modified"]
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304


def test_an_edit_changes_the_etag(page_cache, content, client, django_capture_on_commit_callbacks):
    review = content["review"]
    etag = client.get(review.get_absolute_url())["ETag"]
    with committed(django_capture_on_commit_callbacks):
        review.title = "Test review after the edit"
        review.save()
    response = client.get(review.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert "Test review after the edit" in response.content.decode()


# Every write shows at once ------------------------------------------------------------------------


def test_an_edit_through_the_orm_shows_at_once_on_every_page(
    page_cache, content, client, django_capture_on_commit_callbacks
):
    review = content["review"]
    urls = [addresses(content)[page] for page in ("home", "reviews", "review", "api list", "feed", "search")]
    for url in urls:
        client.get(url)
        assert client.get(url)["X-Cache"] == "hit"
    with committed(django_capture_on_commit_callbacks):
        review.title = "Test review after the edit about caching"
        review.save()
    for url in urls:
        response, page = get(client, url)
        assert response["X-Cache"] == "miss", url
        assert "Test review after the edit about caching" in page, url
        assert "Test review before the edit" not in page, url


def test_a_delete_shows_at_once(page_cache, content, client, django_capture_on_commit_callbacks):
    url = content["review"].get_absolute_url()
    assert "Test learning point about caching." in get(client, url)[1]
    with committed(django_capture_on_commit_callbacks):
        content["point"].delete()
    response, page = get(client, url)
    assert response["X-Cache"] == "miss"
    assert "Test learning point about caching." not in page


def test_a_many_to_many_change_alone_replaces_the_version(page_cache, content, django_capture_on_commit_callbacks):
    other = make_theme(name="Test theme added later")
    before = caching.content_version()
    # themes.add() writes the through table with bulk_create: only m2m_changed is sent.
    with committed(django_capture_on_commit_callbacks) as callbacks:
        content["point"].themes.add(other)
    assert any(isinstance(callback, caching._Replace) for callback in callbacks)
    assert caching.content_version().token != before.token


def test_a_theme_added_to_a_learning_point_shows_on_the_theme_page(
    page_cache, content, client, django_capture_on_commit_callbacks
):
    other = make_theme(name="Test theme added later")
    other_point = make_learning_point(review=make_review(), themes=[other])
    url = other.get_absolute_url()
    client.get(url)
    assert "Test learning point about caching." not in get(client, url)[1]
    with committed(django_capture_on_commit_callbacks):
        content["point"].themes.add(other)
    response, page = get(client, url)
    assert response["X-Cache"] == "miss"
    assert "Test learning point about caching." in page
    assert other_point.text in page


def test_a_tag_renamed_shows_at_once(page_cache, content, client, django_capture_on_commit_callbacks):
    url = content["review"].get_absolute_url()
    client.get(url)
    with committed(django_capture_on_commit_callbacks):
        tag = Tag.objects.get(name="test-caching-tag")
        tag.name = "test-renamed-tag"
        tag.save()
    assert "test-renamed-tag" in get(client, url)[1]


def test_unpublishing_and_publishing_through_the_services_show_at_once(
    page_cache, content, client, django_capture_on_commit_callbacks
):
    review = content["review"]
    url = review.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Cache"] == "hit"
    with committed(django_capture_on_commit_callbacks):
        review_unpublish(review=review)
    assert client.get(url).status_code == 404
    assert "Test review before the edit" not in get(client, "/reviews/")[1]
    with committed(django_capture_on_commit_callbacks):
        review_publish(review=Review.objects.get(pk=review.pk))
    assert client.get(url).status_code == 200
    assert "Test review before the edit" in get(client, "/reviews/")[1]


def test_a_theme_merge_shows_at_once(page_cache, content, client, django_capture_on_commit_callbacks):
    theme = content["theme"]
    kept = make_theme(name="Test theme kept")
    url = theme.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Cache"] == "hit"
    with committed(django_capture_on_commit_callbacks):
        theme_merge(themes=[theme], into=kept)
    response = client.get(url)
    assert response.status_code == 301
    assert response["Location"] == kept.get_absolute_url()


def test_a_write_in_the_search_index_alone_replaces_the_version(
    page_cache, content, django_capture_on_commit_callbacks
):
    """The index is written with bulk_create; it replaces the version itself once written."""
    from reviews import search

    before = caching.content_version()
    with committed(django_capture_on_commit_callbacks):
        search.index(LearningPoint, [content["point"].pk])
    assert caching.content_version().token != before.token


def test_a_write_is_seen_only_once_committed_and_a_transaction_replaces_the_version_once(
    page_cache, content, django_capture_on_commit_callbacks
):
    before = caching.content_version()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        for number in range(5):
            Theme.objects.create(slug=f"test-theme-many-{number}", name=f"Test theme many {number}")
        with transaction.atomic():
            make_theme()
    # Not before the commit: another request would cache what it read before it under the new version.
    assert caching.content_version() == before
    replaces = [callback for callback in callbacks if isinstance(callback, caching._Replace)]
    assert 1 <= len(replaces) <= 2  # one more for the inner savepoint, in the same group
    for callback in callbacks:
        callback()
    after = caching.content_version()
    assert after.token != before.token
    for callback in replaces:
        callback()
    assert caching.content_version() == after  # replaced once for the whole transaction


def test_a_rolled_back_write_does_not_replace_the_version(page_cache, content, django_capture_on_commit_callbacks):
    before = caching.content_version()
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                make_theme()
                raise RuntimeError
        except RuntimeError:
            pass
    assert caching.content_version() == before


@pytest.mark.django_db(transaction=True)
def test_an_edit_in_the_admin_commits_and_shows_at_once(page_cache, settings):
    """A real commit, as on a running site: no captured callbacks."""
    from .support.factories import make_user

    review = make_review(title="Test review before the admin edit")
    make_learning_point(review=review)
    url = review.get_absolute_url()
    anonymous = Client()
    anonymous.get(url)
    assert anonymous.get(url)["X-Cache"] == "hit"
    editor = Client()
    editor.force_login(make_user("test-caching-editor", groups=["Editor"]))
    change = reverse("admin:reviews_review_change", args=[review.pk])
    response = editor.post(change, admin_form_data(editor, change, title="Test review after the admin edit"))
    assert response.status_code == 302, response.content.decode()[:2000]
    response, page = get(anonymous, url)
    assert response["X-Cache"] == "miss"
    assert "Test review after the admin edit" in page


# Staff, cookies, forms ----------------------------------------------------------------------------


def test_staff_never_get_a_cached_page_and_never_fill_the_cache(page_cache, content, client, staff_client):
    draft = make_review(title="Test draft review for staff", status=PublicationStatus.DRAFT)
    for url in ["/", "/reviews/", draft.get_absolute_url()]:
        for _ in range(2):
            response = staff_client.get(url)
            assert response.status_code == 200, url
            assert "X-Cache" not in response
            assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
            assert "public" not in response["Cache-Control"]
        # The staff's page (drafts in it) was not kept for the public.
        response, page = get(client, url)
        assert "Test draft review for staff" not in page
        if response.status_code == 200:
            assert response["X-Cache"] == "miss", url
    # And a page the public has cached is built afresh for staff.
    assert client.get("/reviews/")["X-Cache"] == "hit"
    assert "Test draft review for staff" in get(staff_client, "/reviews/")[1]


def test_a_request_with_a_session_cookie_is_not_answered_from_the_cache(page_cache, content, client):
    client.get("/")
    assert client.get("/")["X-Cache"] == "hit"
    client.cookies["sessionid"] = "not-a-session"
    assert "X-Cache" not in client.get("/")


def test_a_request_with_another_cookie_still_gets_the_cached_page(page_cache, content, client):
    client.get("/")
    client.cookies["csrftoken"] = "x" * 32
    response = client.get("/")
    assert response["X-Cache"] == "hit"
    assert not response.cookies


@pytest.mark.urls("tests.support.caching_urls")
def test_a_page_with_a_csrf_token_is_never_cached(page_cache, client):
    first = client.get("/test-csrf-form/")
    second = client.get("/test-csrf-form/")
    assert "csrfmiddlewaretoken" in second.content.decode()
    for response in (first, second):
        assert "X-Cache" not in response
        assert "csrftoken" in response.cookies
        assert "public" not in response.get("Cache-Control", "")


@pytest.mark.urls("tests.support.caching_urls")
def test_a_response_that_sets_a_cookie_is_never_cached(page_cache, client):
    for _ in range(2):
        response = client.get("/test-cookie/")
        assert "X-Cache" not in response
        assert response.cookies["test-preference"].value == "large-text"


def test_the_admin_sign_in_page_is_never_cached(page_cache, client):
    tokens = set()
    for _ in range(2):
        response = client.get("/admin/login/")
        assert response.status_code == 200
        assert "X-Cache" not in response
        assert "csrftoken" in response.cookies
        tokens.add(response.context["csrf_token"])
    assert len(tokens) == 2


def test_the_forms_of_cached_pages_are_get_forms_without_a_token(page_cache, content, client):
    for url in ["/", "/search/?q=caching", "/reviews/"]:
        client.get(url)
        response, page = get(client, url)
        assert response["X-Cache"] == "hit"
        forms = re.findall(r"<form\b[^>]*>", page)
        assert forms, url
        assert all('method="get"' in form for form in forms), forms
        assert "csrfmiddlewaretoken" not in page


def test_a_post_is_never_answered_from_the_cache(page_cache, content, client):
    client.get("/")
    response = client.post("/")
    assert response.status_code == 405
    assert "X-Cache" not in response


# Several processes --------------------------------------------------------------------------------


def redis_or_skip():
    try:
        socket.create_connection(REDIS, timeout=1).close()
    except OSError:
        if os.environ.get("CI") == "true":
            pytest.fail("CI expects a Redis server at 127.0.0.1:6379")
        pytest.skip("no Redis server at 127.0.0.1:6379: the shared-cache test needs one (CI has one)")


@pytest.fixture
def redis_page_cache(page_cache, settings):
    """The page cache in Redis, under a key prefix of this test's own."""
    redis_or_skip()
    prefix = f"kb-test-{uuid.uuid4().hex[:12]}"
    url = f"redis://{REDIS[0]}:{REDIS[1]}/{REDIS_DB}"
    settings.CACHES = {"default": {"BACKEND": "kb.cache.RedisCache", "LOCATION": url, "KEY_PREFIX": prefix}}
    yield url, prefix
    import redis

    connection = redis.Redis(host=REDIS[0], port=REDIS[1], db=REDIS_DB)
    for key in connection.scan_iter(f"{prefix}:*"):
        connection.delete(key)


def other_process(url, prefix, code):
    """Python in another process with the site's settings and the same Redis: its output."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "KB_")) and k != "DATABASE_URL"}
    env.update(DJANGO_SETTINGS_MODULE="kb.settings", DJANGO_DEBUG="1", KB_CACHE_URL=url, KB_CACHE_KEY_PREFIX=prefix)
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from reviews import caching; " + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_two_processes_sharing_redis_see_one_version(redis_page_cache, content, client):
    url, prefix = redis_page_cache
    assert isinstance(caching.version_store(), caching.CacheVersionStore)
    mine = caching.content_version()
    assert other_process(url, prefix, "print(caching.content_version().token)") == mine.token
    client.get("/")
    assert client.get("/")["X-Cache"] == "hit"
    # A write in the other process (another app server) replaces the version this one reads.
    theirs = other_process(url, prefix, "print(caching.replace_content_version().token)")
    assert caching.content_version().token == theirs != mine.token
    assert client.get("/")["X-Cache"] == "miss"
    # ... and this one's is the other's.
    caching.replace_content_version()
    assert other_process(url, prefix, "print(caching.content_version().token)") == caching.content_version().token


def test_without_redis_the_processes_of_one_machine_share_the_version_file(page_cache, settings):
    assert isinstance(caching.version_store(), caching.FileVersionStore)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "KB_")) and k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="kb.settings", DJANGO_DEBUG="1", KB_CONTENT_VERSION_FILE=settings.KB_CONTENT_VERSION_FILE
    )
    code = "import django; django.setup(); from reviews import caching; print(caching.replace_content_version().token)"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert caching.content_version().token == result.stdout.strip()


def test_a_cache_that_is_down_serves_pages_without_it(page_cache, content, client, settings):
    settings.CACHES = {"default": {"BACKEND": "kb.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
    response = client.get("/")
    assert response.status_code == 200
    assert "X-Cache" not in response


def test_the_redis_backend_keeps_one_client_and_still_works(redis_page_cache):
    cache = caches["default"]
    assert cache._cache.get_client() is cache._cache.get_client()
    cache.set("test-value", {"pages": [1, 2]}, 30)
    assert cache.get_many(["test-value", "test-missing"]) == {"test-value": {"pages": [1, 2]}}
    cache.delete("test-value")
    assert cache.get("test-value") is None

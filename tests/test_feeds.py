"""The Atom feed of new and updated reviews, and sitemap.xml (issue 7)."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from reviews.kept.pending import flush as kept_flush
from reviews.kept.writing import refresh as kept_refresh
from reviews.models import CoursePack, LearningPoint, PublicationStatus, Review
from reviews.sitemaps import ReviewSitemap

from .support.factories import make_learning_point, make_partnership, make_public_theme, make_review, make_source
from .support.sitemaps import SITEMAP, sitemap_pages, sitemap_urls

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def atom(client):
    response = client.get("/feeds/reviews.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def test_feed_is_valid_atom_with_published_reviews_only(client):
    partnership = make_partnership(name="Test Partnership for the feed")
    published = make_review(title="Test published review", partnership=partnership, summary="Test *summary*.")
    make_review(title="Test draft review", status=PublicationStatus.DRAFT)

    feed = atom(client)
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{required}") is not None
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == "http://testserver/feeds/reviews.atom"
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == ["Test published review"]
    entry = entries[0]
    assert entry.findtext(f"{ATOM}id") == f"http://testserver{published.get_permalink()}"
    assert entry.find(f"{ATOM}link").get("href") == f"http://testserver{published.get_absolute_url()}"
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Test Partnership for the feed"
    assert entry.findtext(f"{ATOM}updated")
    assert entry.findtext(f"{ATOM}published")
    summary = entry.findtext(f"{ATOM}summary")
    assert "<em>summary</em>" in summary


def test_feed_puts_the_most_recently_changed_review_first(client):
    older = make_review(title="Test review changed first")
    newer = make_review(title="Test review changed last")
    point = make_learning_point(review=older)
    # The learning point of the older review is corrected after both reviews were saved.
    LearningPoint.objects.filter(pk=point.pk).update(updated_at=timezone.now() + datetime.timedelta(hours=1))
    titles = [entry.findtext(f"{ATOM}title") for entry in atom(client).findall(f"{ATOM}entry")]
    assert titles == ["Test review changed first", "Test review changed last"]
    assert newer.title in titles


def test_renaming_a_review_keeps_its_feed_id(client):
    review = make_review(slug="test-before", title="Test before")
    before = atom(client).find(f"{ATOM}entry").findtext(f"{ATOM}id")
    review.slug, review.title = "test-after", "Test after"
    review.save()
    assert atom(client).find(f"{ATOM}entry").findtext(f"{ATOM}id") == before


def test_feed_query_count_is_fixed(client, django_assert_num_queries):
    for _ in range(3):
        make_review(partnership=make_partnership())
    kept_flush()  # as the commit of those writes would, before any request reads the kept figures
    with django_assert_num_queries(1):
        response = client.get("/feeds/reviews.atom")
    assert response.status_code == 200
    assert response.content.decode().count("<entry>") >= 3


def test_sitemap_lists_public_pages_and_no_drafts(client):
    partnership = make_partnership(slug="test-sitemap-partnership")
    idle_partnership = make_partnership(slug="test-partnership-with-nothing-public")
    review = make_review(slug="test-sitemap-review", partnership=partnership)
    draft = make_review(slug="test-sitemap-draft", status=PublicationStatus.DRAFT, partnership=idle_partnership)
    source = make_source(slug="test-sitemap-source")
    draft_source = make_source(slug="test-sitemap-draft-source", status=PublicationStatus.DRAFT)
    theme = make_public_theme(slug="test-sitemap-theme")
    pack = CoursePack.objects.create(slug="test-sitemap-pack", title="Test pack", status=PublicationStatus.PUBLISHED)
    CoursePack.objects.create(slug="test-sitemap-draft-pack", title="Test draft pack")

    urls = sitemap_urls(client)
    for obj in (review, source, theme, pack, partnership):
        assert f"http://testserver{obj.get_absolute_url()}" in urls
    for obj in (draft, draft_source, idle_partnership):
        assert f"http://testserver{obj.get_absolute_url()}" not in urls
    assert "http://testserver/courses/test-sitemap-draft-pack/" not in urls
    assert "http://testserver/" in urls
    assert urls[f"http://testserver{review.get_absolute_url()}"]  # lastmod given
    assert all("draft" not in url for url in urls)


def test_every_page_announces_the_feed(client):
    page = client.get("/courses/").content.decode()
    assert (
        '<link rel="alternate" type="application/atom+xml" title="New and updated reviews" href="/feeds/reviews.atom">'
        in page
    )


def test_sitemap_pages_are_ranges_of_ids_so_a_draft_leaves_a_gap(client, monkeypatch):
    """Pages hold the rows of consecutive ids (read from the index), not the nth rows (an OFFSET)."""
    monkeypatch.setattr(ReviewSitemap, "limit", 2)
    first, second, draft, fourth, fifth = [make_review() for _ in range(5)]
    draft.status = PublicationStatus.DRAFT
    draft.save()
    assert fifth.pk - first.pk == 4  # consecutive ids
    listed = {}
    for page in ("1", "2", "3"):
        response = client.get("/sitemap-reviews.xml", {"p": page})
        assert response.status_code == 200
        listed[page] = [location.text for location in ET.fromstring(response.content).iter(f"{SITEMAP}loc")]
    assert listed == {
        "1": [f"http://testserver{first.get_absolute_url()}", f"http://testserver{second.get_absolute_url()}"],
        "2": [f"http://testserver{fourth.get_absolute_url()}"],
        "3": [f"http://testserver{fifth.get_absolute_url()}"],
    }
    assert client.get("/sitemap-reviews.xml", {"p": "4"}).status_code == 404


@pytest.mark.parametrize("page", ["0", "2", "abc", "99999999999999999999", "9" * 5000])
def test_a_sitemap_page_out_of_range_is_a_404_never_a_500(client, page):
    make_review()
    assert client.get("/sitemap-reviews.xml", {"p": page}).status_code == 404


def test_the_sitemap_is_an_index_of_sections_in_pages(client, monkeypatch):
    """No sitemap response lists every review: the index lists each section's pages."""
    monkeypatch.setattr(ReviewSitemap, "limit", 2)
    reviews = [make_review() for _ in range(5)]
    pages = sitemap_pages(client)
    assert [page for page in pages if page.startswith("/sitemap-reviews.xml")] == [
        "/sitemap-reviews.xml",
        "/sitemap-reviews.xml?p=2",
        "/sitemap-reviews.xml?p=3",
    ]
    urls = sitemap_urls(client)
    for review in reviews:
        assert urls[f"http://testserver{review.get_absolute_url()}"]
    assert client.get("/sitemap-reviews.xml", {"p": "4"}).status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_the_sitemap_index_gives_each_sections_last_change_in_the_sites_time_zone(client, monkeypatch):
    """As Django's own index template writes it (``date:"c"``): a review changed at 09:30 UTC in July
    is 10:30 in London, and every page of its section carries that date; a section that gives none has
    no ``lastmod``."""
    monkeypatch.setattr(ReviewSitemap, "limit", 1)
    first, second = make_review(), make_review()
    changed = datetime.datetime(2024, 7, 1, 9, 30, tzinfo=datetime.UTC)
    Review.objects.filter(pk=first.pk).update(updated_at=changed)
    Review.objects.filter(pk=second.pk).update(updated_at=changed - datetime.timedelta(days=3))
    kept_refresh(reviews=[first.pk, second.pk])  # dates set behind the signals' back

    root = ET.fromstring(client.get("/sitemap.xml").content)
    found = {
        element.findtext(f"{SITEMAP}loc"): element.findtext(f"{SITEMAP}lastmod")
        for element in root.iter(f"{SITEMAP}sitemap")
    }
    assert found["http://testserver/sitemap-reviews.xml"] == "2024-07-01T10:30:00+01:00"
    assert found["http://testserver/sitemap-reviews.xml?p=2"] == "2024-07-01T10:30:00+01:00"
    assert found["http://testserver/sitemap-pages.xml"] is None

"""Control characters: cleaned out of every text field on save, and out of the
feed, the sitemap and the CSV downloads when stored some other way."""

import csv
import io
import xml.etree.ElementTree as ET

import pytest
from django.apps import apps
from django.db.models import CharField, TextField
from django.db.models.signals import pre_save
from django.urls import reverse
from taggit.models import Tag

from reviews.models import (
    CoursePack,
    CoursePackItem,
    LearningPoint,
    Partnership,
    PublicationStatus,
    Review,
    Source,
    Theme,
)
from reviews.text_cleaning import clean_text

from .support.factories import make_learning_point, make_partnership, make_review, make_source, make_theme
from .support.responses import body
from .support.sitemaps import sitemap_text, sitemap_urls

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
# What XML 1.0 cannot hold (https://www.w3.org/TR/xml/#charsets).
NOT_XML = set(map(chr, [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF]))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Line one\x0bline two", "Line one\nline two"),  # Word's manual line break
        ("Page one\x0cpage two", "Page one\npage two"),  # a page break
        ("a\x00b\x01c\x08d\x0ee\x1ff\x7fg", "abcdef\x7fg"),
        ("not\ufffea\uffffcharacter", "notacharacter"),
        ("tab\tnewline\ncarriage return\r\n", "tab\tnewline\ncarriage return\r\n"),
        ("Curly “quotes” – and an en dash", "Curly “quotes” – and an en dash"),
        ("", ""),
    ],
)
def test_clean_text(value, expected):
    assert clean_text(value) == expected


def text_fields(model):
    return [field for field in model._meta.concrete_fields if isinstance(field, CharField | TextField)]


REVIEWS_MODELS = [model for model in apps.get_app_config("reviews").get_models() if text_fields(model)]


def test_every_reviews_model_with_text_is_covered_including_history():
    names = {model.__name__ for model in REVIEWS_MODELS}
    assert {"Review", "HistoricalReview", "LearningPoint", "HistoricalLearningPoint", "ReflectionQuestion"} <= names


@pytest.mark.parametrize("model", [*REVIEWS_MODELS, Tag], ids=lambda model: model.__name__)
def test_every_text_field_of_every_model_is_cleaned_before_saving(model):
    instance = model()
    for field in text_fields(model):
        setattr(instance, field.attname, "a\x0bb\x00c\ufffe")
    pre_save.send(sender=model, instance=instance, raw=False, using="default", update_fields=None)
    for field in text_fields(model):
        assert getattr(instance, field.attname) == "a\nbc", field.name


def test_a_saved_review_and_its_history_have_no_control_characters():
    review = make_review(title="Test title\x0bwith a break", summary="First line\x0bsecond line\x0cthird\x00.")
    stored = Review.objects.get(pk=review.pk)
    assert stored.title == "Test title\nwith a break"
    assert stored.summary == "First line\nsecond line\nthird."
    assert review.history.get().summary == "First line\nsecond line\nthird."
    point = make_learning_point(review=review, text="Learning\x0bpoint\x1b.")
    point.text = "Changed\x0clearning."
    point.save()
    assert LearningPoint.objects.get(pk=point.pk).text == "Changed\nlearning."
    history = point.history.order_by("history_id")
    assert [record.text for record in history] == ["Learning\npoint.", "Changed\nlearning."]


def store_without_save(obj, **values):
    """Write ``values`` as a bulk update does: no ``save()``, so no cleaning.

    (Never a NUL: PostgreSQL refuses to store one however it is written.)"""
    type(obj).objects.filter(pk=obj.pk).update(**values)


def test_the_feed_is_valid_xml_whatever_control_characters_are_stored(client):
    partnership = make_partnership()
    review = make_review(partnership=partnership, summary="Test summary.")
    make_learning_point(review=review)
    store_without_save(review, title="Test\x0btitle\x01", summary="Line one\x0bline two\x0c\x1b\ufffe")
    store_without_save(partnership, name="Test\x0bpartnership")
    assert "\x0b" in Review.objects.get(pk=review.pk).summary  # as a bulk update leaves it

    response = client.get("/feeds/reviews.atom")
    assert response.status_code == 200
    text = response.content.decode()
    assert not NOT_XML & set(text)
    entry = ET.fromstring(response.content).find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "Test\ntitle"
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Test\npartnership"
    assert "Line one\nline two" in entry.findtext(f"{ATOM}summary")


def test_a_review_whose_slug_cannot_be_an_address_is_left_out_of_the_feed(client):
    make_review(title="Test review with a good slug")
    broken = make_review(title="Test review with a broken slug")
    store_without_save(broken, slug="test-\x0bbroken")
    response = client.get("/feeds/reviews.atom")
    assert response.status_code == 200
    titles = [entry.findtext(f"{ATOM}title") for entry in ET.fromstring(response.content).findall(f"{ATOM}entry")]
    assert titles == ["Test review with a good slug"]


def test_the_sitemap_is_valid_xml_whatever_is_stored(client):
    review = make_review(slug="test-kept-review")
    broken = {
        Review: make_review(),
        Theme: make_theme(),
        Source: make_source(),
        Partnership: make_partnership(),
        CoursePack: CoursePack.objects.create(slug="test-pack", title="Test", status=PublicationStatus.PUBLISHED),
    }
    make_review(partnership=broken[Partnership])
    for number, obj in enumerate(broken.values()):
        store_without_save(obj, slug=f"test-broken-{number}\x0b")
    store_without_save(review, title="Test\x0btitle", summary="\x01")

    assert not NOT_XML & set(sitemap_text(client))
    locations = list(sitemap_urls(client))
    assert "http://testserver/reviews/test-kept-review/" in locations
    assert not [location for location in locations if "broken" in location]


def read_csv(response):
    return list(csv.DictReader(io.StringIO(body(response).decode("utf-8-sig"))))


def test_the_csv_downloads_hold_no_control_characters(client):
    review = make_review()
    point = make_learning_point(review=review)
    store_without_save(point, text="Learning\x0bwith\x02 a break\x1b.")
    store_without_save(review, title="Test\x0ctitle")

    response = client.get(reverse("reviews:api-list-csv", kwargs={"endpoint": "learning-points"}))
    assert response.status_code == 200
    text = body(response).decode("utf-8-sig")
    assert not NOT_XML & set(text)
    row = next(csv.DictReader(io.StringIO(text)))
    assert (row["text"], row["review_title"]) == ("Learning\nwith a break.", "Test\ntitle")
    # The JSON keeps exactly what is stored (JSON can hold any character).
    record = client.get(reverse("reviews:api-list", kwargs={"endpoint": "learning-points"})).json()["results"][0]
    assert record["text"] == "Learning\x0bwith\x02 a break\x1b."


def test_the_course_pack_csv_holds_no_control_characters(client):
    pack = CoursePack.objects.create(slug="test-pack-csv", title="Test pack", status=PublicationStatus.PUBLISHED)
    step = CoursePackItem.objects.create(pack=pack, kind="note", notes="Test note.")
    store_without_save(step, notes="Discuss\x0bthis\x1b.")
    response = client.get(reverse("reviews:coursepack-csv", kwargs={"slug": pack.slug}))
    assert response.status_code == 200
    assert not NOT_XML & set(response.content.decode("utf-8-sig"))
    assert read_csv(response)[0]["trainer_notes"] == "Discuss\nthis."

"""The admin's "Import a briefing" form."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reviews.importing.decoding import ALLOWED_SUFFIXES, MAX_FILE_BYTES, candidate_limit
from reviews.models import LearningPoint, Partnership, PublicationStatus, Review, Source

from .support.admin import admin_form_data
from .support.briefings import briefing_with, read
from .support.factories import make_partnership, make_theme

pytestmark = pytest.mark.django_db

DOCUMENTS = Path(__file__).resolve().parent / "documents"

IMPORT = "admin:reviews_review_import"


def upload(name, data):
    return SimpleUploadedFile(name, data, content_type="text/plain")


def test_the_review_list_links_to_the_import_form(editor_client):
    page = editor_client.get(reverse("admin:reviews_review_changelist")).content.decode()
    assert f'href="{reverse(IMPORT)}"' in page and "Import a briefing" in page
    form = editor_client.get(reverse(IMPORT))
    assert form.status_code == 200
    content = form.content.decode()
    assert 'enctype="multipart/form-data"' in content
    assert "becomes a <strong>draft</strong> review" in content


def test_uploading_a_briefing_creates_a_draft_and_opens_it(editor_client):
    partnership = make_partnership()
    data = read("003_2b128cb0abd04d34.txt").encode("utf-8")
    response = editor_client.post(
        reverse(IMPORT),
        {"file": upload("test-newsletter.txt", data), "title": "", "partnership": partnership.pk},
        follow=True,
    )
    # A newsletter about three children: one draft review for each.
    reviews = list(Review.objects.filter(sources__file_name="test-newsletter.txt").order_by("pk"))
    assert [r.title for r in reviews] == [f"Special Practice Review: Child {n}" for n in ("One", "Two", "Three")]
    review = reviews[0]
    assert response.redirect_chain[-1][0] == reverse("admin:reviews_review_change", args=[review.pk])
    page = response.content.decode()
    assert "Imported “Special Practice Review: Child One” as a draft" in page
    assert "The briefing is about 3 children: one draft review each" in page
    recommendations = sum(r.recommendations.count() for r in reviews)
    assert recommendations and f"{recommendations} recommendations" in page
    assert "Nothing is public yet" in page
    assert all(r.status == PublicationStatus.DRAFT and r.partnership == partnership for r in reviews)
    assert review.sources.get().original_text == data.decode("utf-8")
    first = review.history.earliest()
    assert first.history_user == editor_client.user
    assert first.history_change_reason == "Imported from test-newsletter.txt"


def test_the_form_accepts_every_format_the_readers_accept(editor_client):
    page = editor_client.get(reverse(IMPORT)).content.decode()
    assert f'accept="{",".join(ALLOWED_SUFFIXES)}"' in page
    for name in (
        "PDF (.pdf)",
        "Word (.docx)",
        "web page (.html, .htm)",
        "plain text (.txt)",
        "Markdown (.md, .markdown)",
    ):
        assert name in page


@pytest.mark.parametrize(
    "name, title",
    [("briefing.docx", "Test Word briefing: Baby Q"), ("web-page.html", "Test learning from Child W")],
)
def test_a_word_document_or_a_saved_web_page_becomes_a_draft(editor_client, name, title):
    data = (DOCUMENTS / name).read_bytes()
    response = editor_client.post(reverse(IMPORT), {"file": upload(f"test-{name}", data)})
    assert response.status_code == 302
    review = Review.objects.get(sources__file_name=f"test-{name}")
    assert review.status == PublicationStatus.DRAFT
    assert review.sources.get().title == title
    assert review.learning_points.exists()


def test_a_partnership_the_briefing_names_is_offered_for_the_check_screen_not_created(editor_client):
    text = (
        "# Test learning brief: Baby Q\n\nPublished by the Testshire Safeguarding Children Partnership.\n\n"
        "Learning\n\nPractitioners should test every assumption about who lives in the home.\n"
    )
    response = editor_client.post(reverse(IMPORT), {"file": upload("test-baby-q.md", text.encode())}, follow=True)
    page = response.content.decode()
    assert "The briefing names “Testshire Safeguarding Children Partnership”" in page
    assert "which is not in the knowledge base yet: confirm it on the import" in page
    assert not Partnership.objects.exists()
    source = Source.objects.get(file_name="test-baby-q.md")
    assert source.import_report["partnership_proposal"]["name"] == "Testshire Safeguarding Children Partnership"
    assert source.history.get().history_user == editor_client.user


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("test-empty.txt", b"", "The submitted file is empty."),
        ("test.pdf", b"Test text of a briefing.", "is not a PDF: it looks like plain text"),
        ("test.doc", b"Test text of a briefing.", "is not a plain text or Markdown file"),
        ("test-renamed.docx", b"%PDF-1.5 test", "is not a Word document (.docx): it looks like a PDF"),
        ("scanned.pdf", DOCUMENTS / "scanned.pdf", "this PDF has no text"),
        ("encrypted.pdf", DOCUMENTS / "encrypted.pdf", "this PDF is protected by a password"),
        ("test-renamed.txt", b"%PDF-1.5 test", "is a PDF file, not plain text"),
        ("test-latin1.txt", "Test caf\u00e9 briefing text.".encode("latin-1"), "is not saved as UTF-8 text"),
        ("test-huge.txt", b"Test words. " * (MAX_FILE_BYTES // 10), "larger than 200 KB, the limit"),
        ("test-binary.md", b"Test\x00\x01\x02 binary", "contains binary data"),
        ("test-no-entries.txt", b"Test heading\n\nCo\n", "No paragraphs or bullets that could be entries"),
    ],
)
def test_a_bad_file_gets_a_clear_message_and_creates_nothing(editor_client, name, data, message):
    data = data.read_bytes() if isinstance(data, Path) else data
    before = (Review.objects.count(), Source.objects.count(), LearningPoint.objects.count())
    response = editor_client.post(reverse(IMPORT), {"file": upload(name, data)})
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "Please correct the error below." in page
    assert (Review.objects.count(), Source.objects.count(), LearningPoint.objects.count()) == before


def test_the_largest_draft_an_import_can_make_can_be_saved_in_the_admin(editor_client):
    """The entry limit keeps the draft's page within what Django accepts from a form
    (DATA_UPLOAD_MAX_NUMBER_FIELDS): the worst case, recommendations with three themes each."""
    themes = [make_theme(name=f"Test theme record {word}") for word in ("decision", "agencies", "practitioners")]
    limit = candidate_limit()
    data = briefing_with(limit).encode()
    response = editor_client.post(reverse(IMPORT), {"file": upload("test-largest.txt", data)})
    assert response.status_code == 302
    review = Review.objects.get(sources__file_name="test-largest.txt")
    assert review.recommendations.count() == limit
    assert all(r.themes.count() == len(themes) for r in review.recommendations.all())
    url = reverse("admin:reviews_review_change", args=[review.pk])
    form = admin_form_data(editor_client, url, title="Test largest draft, checked")
    assert client_post_fields(form) > settings.DATA_UPLOAD_MAX_NUMBER_FIELDS * 0.5
    saved = editor_client.post(url, form)
    assert saved.status_code == 302, saved.status_code
    assert Review.objects.get(pk=review.pk).title == "Test largest draft, checked"

    too_many = briefing_with(limit + 1).encode()
    response = editor_client.post(reverse(IMPORT), {"file": upload("test-too-many.txt", too_many)})
    assert f"one import can make at most {limit}" in response.content.decode()
    assert not Source.objects.filter(file_name="test-too-many.txt").exists()


def client_post_fields(data: dict) -> int:
    return sum(len(value) if isinstance(value, list) else 1 for value in data.values())


def test_the_same_file_name_twice_is_refused(editor_client):
    data = read("004_20151e566d27ae33.txt").encode("utf-8")
    editor_client.post(reverse(IMPORT), {"file": upload("test-salford.txt", data)})
    count = Review.objects.count()
    response = editor_client.post(reverse(IMPORT), {"file": upload("test-salford.txt", data)})
    assert "already in the knowledge base" in response.content.decode()
    assert Review.objects.count() == count


def test_the_form_is_for_people_who_may_add_reviews_and_their_entries(client):
    trainer = get_user_model().objects.create_user("test-trainer", password="test-password-long-1", is_staff=True)
    trainer.groups.add(Group.objects.get(name="Trainer"))
    client.force_login(trainer)
    assert client.get(reverse(IMPORT)).status_code == 403
    data = read("004_20151e566d27ae33.txt").encode("utf-8")
    assert client.post(reverse(IMPORT), {"file": upload("test.txt", data)}).status_code == 403
    assert not Review.objects.exists()
    assert "Import a briefing" not in client.get(reverse("admin:reviews_review_changelist")).content.decode()


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_a_unicode_file_with_a_nul_is_refused_in_the_admin_and_nothing_is_written(editor_client, encoding):
    before = (Review.objects.count(), Source.objects.count())
    data = "Test heading\n\nTest learning\x00 point.\n".encode(encoding)
    response = editor_client.post(reverse(IMPORT), {"file": upload("test-nul.txt", data)})
    assert response.status_code == 200
    assert "contains binary data, not text" in response.content.decode()
    assert (Review.objects.count(), Source.objects.count()) == before

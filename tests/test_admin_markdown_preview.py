"""The live Markdown preview in the admin (issue 16): a staff-only, CSRF-checked POST that answers the
HTML reviews/markdown.py makes, and Markdown boxes that say where to ask for it."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from reviews.admin.markdown_preview import MAX_PREVIEW_CHARACTERS

from .support.factories import make_learning_point, make_review, make_user

pytestmark = pytest.mark.django_db

URL = "/admin/reviews/review/markdown-preview/"


def test_the_address():
    assert reverse("admin:reviews_review_markdown_preview") == URL


def test_staff_get_the_rendered_html(editor_client):
    response = editor_client.post(URL, {"text": "A **bold** word.\n\n- one\n- two"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["html"] == ("<p>A <strong>bold</strong> word.</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>")
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("text", "kept", "gone"),
    [
        ("Hello <script>alert('x')</script> there", "Hello", ["<script", "alert("]),
        ("[click](javascript:alert(1))", "click", ["javascript:"]),
        ('<a href="https://example.org" onclick="steal()">link</a>', "https://example.org", ["onclick", "steal"]),
        ('<img src="https://tracker.example/pixel.gif">Text', "Text", ["<img"]),
    ],
)
def test_the_preview_is_sanitised(editor_client, text, kept, gone):
    html = editor_client.post(URL, {"text": text}).json()["html"]
    assert kept in html
    for bad in gone:
        assert bad not in html


def test_any_staff_member_may_preview(staff_client):
    assert staff_client.post(URL, {"text": "*a*"}).json()["html"] == "<p><em>a</em></p>"


def test_someone_signed_out_is_sent_to_sign_in(client):
    response = client.post(URL, {"text": "*a*"})
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_a_user_who_is_not_staff_is_sent_to_sign_in(client):
    client.force_login(make_user("test-public", staff=False))
    response = client.post(URL, {"text": "*a*"})
    assert response.status_code == 302
    assert "html" not in response.content.decode()


def test_only_a_post(editor_client):
    assert editor_client.get(URL, {"text": "*a*"}).status_code == 405


def test_a_post_without_the_csrf_token_is_refused(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.post(URL, {"text": "*a*"}).status_code == 403
    # With the token from a page, as the script sends it (the X-CSRFToken header), it is answered.
    page = client.get(reverse("admin:reviews_review_add")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(URL, {"text": "*a*"}, headers={"X-CSRFToken": token})
    assert response.status_code == 200
    assert response.json()["html"] == "<p><em>a</em></p>"


def test_too_long_a_text_is_refused_with_a_reason(editor_client):
    response = editor_client.post(URL, {"text": "a" * (MAX_PREVIEW_CHARACTERS + 1)})
    assert response.status_code == 400
    assert "Too long to preview" in response.json()["error"]


def test_markdown_boxes_say_where_to_ask_and_the_script_is_loaded(editor_client):
    point = make_learning_point(review=make_review(), text="Test words.")
    for url in (
        reverse("admin:reviews_learningpoint_change", args=[point.pk]),
        reverse("admin:reviews_review_change", args=[point.review.pk]),
        reverse("admin:reviews_review_entries", args=[point.review.pk]),
    ):
        page = editor_client.get(url).content.decode()
        boxes = re.findall(r"<textarea[^>]*>", page)
        marked = [box for box in boxes if f'data-kb-markdown="{URL}"' in box]
        assert marked, url
        assert "admin-kb/markdown-preview.js" in page, url
    # A box that takes no Markdown has no preview: the review's title.
    page = editor_client.get(reverse("admin:reviews_review_change", args=[point.review.pk])).content.decode()
    title = re.search(r'<textarea[^>]*name="title"[^>]*>', page).group(0)
    assert "data-kb-markdown" not in title
    summary = re.search(r'<textarea[^>]*name="summary"[^>]*>', page).group(0)
    assert "data-kb-markdown" in summary


def test_the_actions_on_a_recommendations_page_and_a_course_pack_have_previews(editor_client, client):
    from .support.factories import make_action, make_recommendation

    recommendation = make_recommendation(review=make_review())
    make_action(recommendation=recommendation)
    page = editor_client.get(reverse("admin:reviews_recommendation_change", args=[recommendation.pk])).content.decode()
    action_text = re.search(r'<textarea[^>]*name="actions-0-text"[^>]*>', page).group(0)
    assert f'data-kb-markdown="{URL}"' in action_text
    trainer = make_user("test-trainer", groups=["Trainer"])
    client.force_login(trainer)
    page = client.get(reverse("admin:reviews_coursepack_add")).content.decode()
    introduction = re.search(r'<textarea[^>]*name="introduction"[^>]*>', page)
    assert introduction is not None and f'data-kb-markdown="{URL}"' in introduction.group(0)

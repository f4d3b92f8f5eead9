"""What the admin's history says of changes no person made: a load of the
knowledge base names the briefing (or fixture file) and the day; another
command says that no one was signed in."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from reviews.kb_loading.reader import Fixtures, Item
from reviews.kb_loading.report import LoadReport
from reviews.kb_loading.writer import FixtureWriter
from reviews.models import LearningPoint, Theme

from .support.admin import admin_form_data
from .support.factories import make_learning_point, make_review

pytestmark = pytest.mark.django_db


def history_page(client, obj):
    url = reverse(f"admin:reviews_{obj._meta.model_name}_history", args=[obj.pk])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_loaded_entry_says_which_briefing_it_was_loaded_from_and_when(loaded_kb, editor_client):
    point = LearningPoint.objects.select_related("source").order_by("pk").first()
    record = point.history.order_by("-history_date").first()
    assert record.history_user is None
    assert record.history_change_reason == f"Loaded from the briefing “{point.source.title}”"
    page = history_page(editor_client, point)
    day = f"{record.history_date:%-d %B %Y}"
    assert escape(f"Loaded from the briefing “{point.source.title}” on {day}") in page
    assert "Not recorded" not in page


def test_a_loaded_theme_names_the_fixture_file(loaded_kb, editor_client):
    theme = Theme.objects.order_by("pk").first()
    assert (
        theme.history.latest().history_change_reason
        == "Loaded from the knowledge base's fixtures (fixtures/themes.json)"
    )
    assert escape("Loaded from the knowledge base's fixtures (fixtures/themes.json) on ") in history_page(
        editor_client, theme
    )


def test_a_change_by_another_command_says_no_one_was_signed_in(editor_client):
    point = make_learning_point(review=make_review())  # saved outside a request, as a command does
    page = history_page(editor_client, point)
    assert "No one signed in: a command made this change" in page
    assert "Loaded from" not in page and "Not recorded" not in page


def test_a_persons_change_still_names_them(editor_client):
    point = make_learning_point(review=make_review(), text="Test before.")
    url = reverse("admin:reviews_learningpoint_change", args=[point.pk])
    assert editor_client.post(url, admin_form_data(editor_client, url, text="Test after.")).status_code == 302
    page = history_page(editor_client, point)
    assert "test-editor" in page


def test_a_long_briefing_title_is_shortened_to_fit_the_history(db):
    title = "Test briefing with a very long title " * 5
    fixtures = Fixtures(
        sources=[Item(kind="source", data={"slug": "test-long", "title": title}, file="sources/x.json")]
    )
    writer = FixtureWriter(fixtures, LoadReport())
    reason = writer.load_reason(Item(kind="learning point", data={}, file="sources/x.json", source_slug="test-long"))
    assert len(reason) <= 100 and reason.startswith("Loaded from the briefing “Test briefing") and reason.endswith("…”")

"""Course packs: built by trainers in the admin, shown, printed and exported (issue 7)."""

import csv
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from reviews.models import CoursePack, CoursePackItem, PublicationStatus

from .support.factories import (
    make_action,
    make_learning_point,
    make_public_theme,
    make_recommendation,
    make_review,
    make_source,
    make_theme,
)

pytestmark = pytest.mark.django_db


def make_pack(**overrides):
    fields = {"slug": "test-pack", "title": "Test course pack", "status": PublicationStatus.PUBLISHED}
    fields.update(overrides)
    return CoursePack.objects.create(**fields)


def add_step(pack, kind, target=None, **fields):
    position = pack.items.count() + 1
    if target is not None:
        fields[kind] = target
    return CoursePackItem.objects.create(pack=pack, kind=kind, position=position, **fields)


@pytest.fixture
def pack_with_everything():
    review = make_review(title="Test review in a pack")
    theme = make_public_theme(name="Test theme in a pack")
    point = make_learning_point(review=review, text="Test learning point in a pack.")
    recommendation = make_recommendation(review=review, number="2", text="Test recommendation in a pack.")
    action = make_action(recommendation=recommendation, text="Test action in a pack.")
    pack = make_pack(introduction="Test introduction for **trainees**.")
    add_step(pack, "theme", theme, notes="Test note after the theme.")
    add_step(pack, "review", review)
    add_step(pack, "note", notes="Test note between items.")
    add_step(pack, "learning_point", point, notes="Test note about the learning point.")
    add_step(pack, "recommendation", recommendation)
    add_step(pack, "action", action)
    return pack, {"review": review, "theme": theme, "point": point, "recommendation": recommendation, "action": action}


def page(client, pack):
    response = client.get(pack.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_pack_page_shows_steps_in_order_with_notes(client, pack_with_everything):
    pack, _ = pack_with_everything
    html = page(client, pack)
    order = [
        "Test introduction for <strong>trainees</strong>.",
        "Test theme in a pack",
        "Test note after the theme.",
        "Test review in a pack",
        "Test note between items.",
        "Test learning point in a pack.",
        "Test note about the learning point.",
        "Test recommendation in a pack.",
        "Test action in a pack.",
    ]
    positions = [html.index(text) for text in order]
    assert positions == sorted(positions)
    assert "Removed" not in html


def test_an_edited_item_shows_its_current_text(client, pack_with_everything):
    pack, items = pack_with_everything
    point = items["point"]
    point.text = "Test learning point, corrected wording."
    point.save()
    html = page(client, pack)
    assert "Test learning point, corrected wording." in html
    assert "Test learning point in a pack." not in html


def test_a_deleted_item_shows_as_removed_and_nothing_of_what_it_was(client, pack_with_everything):
    pack, items = pack_with_everything
    items["point"].delete()
    items["theme"].delete()
    html = page(client, pack)
    assert html.count('govuk-tag--grey">Removed</strong> An item that is no longer available') == 2
    assert "Learning point from Test review in a pack" not in html
    assert "Test theme in a pack" not in html
    # The trainer's notes for the removed step are kept.
    assert "Test note about the learning point." in html
    # The step is still in the pack, pointing at nothing.
    step = pack.items.get(kind="learning_point")
    assert step.learning_point_id is None


def test_an_unpublished_item_shows_as_removed_without_its_text(client, pack_with_everything):
    pack, items = pack_with_everything
    review = items["review"]
    review.status = PublicationStatus.DRAFT
    review.save()
    html = page(client, pack)
    for text in ("Test learning point in a pack.", "Test recommendation in a pack.", "Test action in a pack."):
        assert text not in html
    assert html.count('govuk-tag--grey">Removed') == 4  # the review and its three entries


def test_draft_packs_are_for_staff_only(client):
    pack = make_pack(status=PublicationStatus.DRAFT)
    for url in (pack.get_absolute_url(), reverse("reviews:coursepack-print", kwargs={"slug": pack.slug})):
        assert client.get(url).status_code == 404
    staff = Client()
    staff.force_login(get_user_model().objects.create_user("test-staff", is_staff=True))
    assert "Draft course pack" in staff.get(pack.get_absolute_url()).content.decode()
    assert pack not in client.get(reverse("reviews:coursepack-index")).context["packs"]


def test_trainer_notes_are_sanitised(client):
    pack = make_pack(introduction="Test <script>alert(1)</script> intro [link](javascript:alert(2))")
    add_step(pack, "note", notes="Test <img src=x onerror=alert(3)> note")
    html = page(client, pack)
    assert "<script>alert(1)" not in html
    assert "javascript:alert" not in html
    assert "onerror" not in html


def test_print_handout(client, pack_with_everything):
    pack, items = pack_with_everything
    items["action"].delete()
    response = client.get(reverse("reviews:coursepack-print", kwargs={"slug": pack.slug}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Course pack handout" in html
    assert "Test learning point in a pack." in html
    assert "Removed from the knowledge base: an item that is no longer available." in html
    assert "Action from Test review in a pack" not in html
    assert f"http://testserver{pack.get_permalink()}" in html
    # A valid HTML datetime: whole seconds (Django's "c" format gave microseconds).
    (stamp,) = re.findall(r'<time datetime="([^"]+)"', html)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", stamp), stamp


def test_markdown_export_keeps_the_wording_and_the_notes(client, pack_with_everything):
    pack, items = pack_with_everything
    items["recommendation"].delete()
    response = client.get(reverse("reviews:coursepack-markdown", kwargs={"slug": pack.slug}))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="test-pack.md"'
    text = response.content.decode()
    assert text.startswith("# Test course pack\n")
    assert "Test introduction for **trainees**." in text
    assert "Test learning point in a pack." in text
    assert "> Test note about the learning point." in text
    assert "## Step 5: removed recommendation\n\n*Removed from the knowledge base: an item that is no longer" in text
    assert "Recommendation 2 from Test review in a pack" not in text
    assert f"Link: http://testserver{items['point'].get_permalink()}" in text
    # Nothing escaped for HTML: it is Markdown, not a web page.
    assert "&#x27;" not in text and "&amp;" not in text


def test_csv_export_has_a_row_per_step(client, pack_with_everything):
    pack, items = pack_with_everything
    items["theme"].delete()
    response = client.get(reverse("reviews:coursepack-csv", kwargs={"slug": pack.slug}))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["kind"] for row in rows] == ["theme", "review", "note", "learning_point", "recommendation", "action"]
    assert [row["status"] for row in rows] == ["removed", "included", "note", "included", "included", "included"]
    assert [row["wording"] for row in rows] == ["", "", "", *["Quoted word for word from the briefing"] * 3]
    assert rows[0]["title"] == "an item that is no longer available"
    assert "Test theme in a pack" not in response.content.decode("utf-8-sig")
    assert rows[3]["text"] == "Test learning point in a pack."
    assert rows[3]["url"] == f"http://testserver{items['point'].get_permalink()}"
    assert rows[3]["trainer_notes"] == "Test note about the learning point."


KB_LABEL = "Knowledge base description (not the board’s words)"


@pytest.fixture
def pack_with_summaries():
    """A review summarised by the knowledge base (like Child K's and Salford's), one whose
    summary is quoted from its briefing, and a theme (whose summary is always the knowledge base's)."""
    briefing = make_source(title="Test briefing quoted for the summary")
    editorial = make_review(title="Test review summarised by us", summary="Test summary in our words.")
    quoted = make_review(
        title="Test review summarised by the board",
        summary="Test summary in the board's words.",
        summary_source=briefing,
    )
    theme = make_public_theme(name="Test theme with a summary", summary="Test theme summary in our words.")
    point = make_learning_point(review=quoted, text="Test learning in the board's words.")
    pack = make_pack()
    for kind, target in (("review", editorial), ("review", quoted), ("theme", theme), ("learning_point", point)):
        add_step(pack, kind, target)
    return pack


def _between(text, start, end):
    return text[text.index(start) : text.index(end)]


def test_markdown_labels_the_knowledge_bases_own_descriptions(client, pack_with_summaries):
    text = client.get(reverse("reviews:coursepack-markdown", kwargs={"slug": "test-pack"})).content.decode()
    label = KB_LABEL.replace("’", "'")
    ours = _between(text, "Test review summarised by us", "Test summary in our words.")
    assert f"*{label}:*" in ours
    board = _between(text, "Test review summarised by the board", "Test summary in the board's words.")
    assert label not in board
    assert "*Summary from Test briefing quoted for the summary:*" in board
    theme = _between(text, "Test theme with a summary", "Test theme summary in our words.")
    assert f"*{label}:*" in theme
    assert label not in _between(text, "Step 4", "Test learning in the board's words.")


@pytest.mark.parametrize("url_name", ["coursepack-detail", "coursepack-print"])
def test_page_and_handout_label_the_knowledge_bases_own_descriptions(client, pack_with_summaries, url_name):
    html = client.get(reverse(f"reviews:{url_name}", kwargs={"slug": "test-pack"})).content.decode()
    assert KB_LABEL in _between(html, "Test review summarised by us", "Test summary in our words.")
    board = _between(html, "Test review summarised by the board", "Test summary in the board")
    assert KB_LABEL not in board
    assert "Summary from Test briefing quoted for the summary:" in board
    assert KB_LABEL in _between(html, "Test theme with a summary", "Test theme summary in our words.")


def test_csv_says_whose_words_each_text_is(client, pack_with_summaries):
    response = client.get(reverse("reviews:coursepack-csv", kwargs={"slug": "test-pack"}))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(row["text"], row["wording"]) for row in rows] == [
        ("Test summary in our words.", "Knowledge base description (not the board's words)"),
        ("Test summary in the board's words.", "Quoted word for word from the briefing"),
        ("Test theme summary in our words.", "Knowledge base description (not the board's words)"),
        ("Test learning in the board's words.", "Quoted word for word from the briefing"),
    ]
    assert rows[1]["source_briefing"] == "Test briefing quoted for the summary"


def test_pack_page_with_summaries_keeps_its_query_count(client, pack_with_summaries, django_assert_num_queries):
    with django_assert_num_queries(2):
        response = client.get(reverse("reviews:coursepack-detail", kwargs={"slug": "test-pack"}))
    assert response.status_code == 200


def test_csv_cells_never_run_as_spreadsheet_formulas(client):
    pack = make_pack()
    add_step(pack, "note", notes='=HYPERLINK("http://example.invalid")')
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(reverse("reviews:coursepack-csv", kwargs={"slug": pack.slug})).content.decode("utf-8-sig")
            )
        )
    )
    assert rows[0]["trainer_notes"].startswith("'=")


def test_items_must_match_their_kind():
    pack = make_pack()
    theme = make_theme()
    with pytest.raises(IntegrityError), transaction.atomic():
        CoursePackItem.objects.create(pack=pack, kind="review", theme=theme)
    with pytest.raises(IntegrityError), transaction.atomic():
        CoursePackItem.objects.create(pack=pack, kind="note", notes="")
    item = CoursePackItem(pack=pack, kind="learning_point")
    with pytest.raises(ValidationError) as error:
        item.full_clean()
    assert "learning_point" in error.value.message_dict


def test_pack_page_query_count_is_fixed(client, pack_with_everything, django_assert_num_queries):
    pack, _ = pack_with_everything
    # The pack, then all its steps with their content in one query.
    with django_assert_num_queries(2):
        response = client.get(pack.get_absolute_url())
    assert response.status_code == 200


def test_trainer_builds_a_pack_in_the_admin():
    trainer = get_user_model().objects.create_user("test-trainer", is_staff=True)
    trainer.groups.add(Group.objects.get(name="Trainer"))
    admin = Client()
    admin.force_login(trainer)
    point = make_learning_point(review=make_review(), text="Test learning point for the admin.")

    found = admin.get(
        "/admin/autocomplete/",
        {"app_label": "reviews", "model_name": "coursepackitem", "field_name": "learning_point", "term": "admin"},
    )
    assert found.status_code == 200
    assert [result["id"] for result in found.json()["results"]] == [str(point.pk)]

    response = admin.post(
        reverse("admin:reviews_coursepack_add"),
        {
            "title": "Test pack from the admin",
            "slug": "test-pack-from-the-admin",
            "status": PublicationStatus.PUBLISHED,
            "introduction": "",
            "items-TOTAL_FORMS": "2",
            "items-INITIAL_FORMS": "0",
            "items-MIN_NUM_FORMS": "0",
            "items-MAX_NUM_FORMS": "1000",
            "items-0-position": "1",
            "items-0-kind": "learning_point",
            "items-0-learning_point": str(point.pk),
            "items-0-notes": "Test note from the admin.",
            "items-1-position": "2",
            "items-1-kind": "note",
            "items-1-notes": "Test closing note.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    pack = CoursePack.objects.get(slug="test-pack-from-the-admin")
    assert pack.owner == trainer
    assert [(item.kind, item.label_snapshot) for item in pack.items.all()] == [
        ("learning_point", f"Learning point from {point.review.title}"),
        ("note", ""),
    ]


def test_trainer_group_can_manage_packs_and_read_questions():
    permissions = set(Group.objects.get(name="Trainer").permissions.values_list("codename", flat=True))
    for model in ("coursepack", "coursepackitem"):
        assert {f"{action}_{model}" for action in ("add", "change", "delete", "view")} <= permissions
    # Reflection questions print on every public briefing: Editors set them (migration 0016).
    assert "view_reflectionquestion" in permissions
    assert not {f"{action}_reflectionquestion" for action in ("add", "change", "delete")} & permissions


def test_label_snapshot_is_kept_up_to_date_while_the_item_exists():
    review = make_review(title="Test review for labels")
    recommendation = make_recommendation(review=review, number="7", heading="Test heading")
    step = add_step(make_pack(), "recommendation", recommendation)
    assert step.label_snapshot == "Recommendation 7 from Test review for labels, under “Test heading”"
    recommendation.number = "8"
    recommendation.save()
    step.save()
    assert step.label_snapshot.startswith("Recommendation 8 from")


def test_a_removed_label_never_carries_the_wording():
    point = make_learning_point(review=make_review(), text="Test wording that was withdrawn.")
    step = add_step(make_pack(), "learning_point", point)
    assert "withdrawn" not in step.label_snapshot


def test_source_only_learning_point_in_a_pack(client):
    source = make_source(title="Test briefing with cross-cutting learning")
    point = make_learning_point(review=None, source=source, text="Test cross-cutting learning.")
    pack = make_pack()
    add_step(pack, "learning_point", point)
    html = page(client, pack)
    assert "Test cross-cutting learning." in html
    assert "Test briefing with cross-cutting learning" in html


def test_a_step_says_in_the_admin_when_its_item_was_removed():
    point = make_learning_point(review=make_review(title="Test review for the admin label"))
    step = add_step(make_pack(), "learning_point", point)
    assert str(step) == "Learning point from Test review for the admin label"
    point.delete()
    step.refresh_from_db()
    assert str(step) == "Removed: Learning point from Test review for the admin label"


# ---------------------------------------------------------------------------
# Drafts never reach a pack, and a removed step says nothing of what it was
# ---------------------------------------------------------------------------


@pytest.fixture
def trainer_client():
    trainer = get_user_model().objects.create_user("test-pack-trainer", is_staff=True)
    trainer.groups.add(Group.objects.get(name="Trainer"))
    client = Client()
    client.force_login(trainer)
    return client


def _offered(client, field, term):
    found = client.get(
        "/admin/autocomplete/",
        {"app_label": "reviews", "model_name": "coursepackitem", "field_name": field, "term": term},
    )
    assert found.status_code == 200
    return {int(result["id"]) for result in found.json()["results"]}


@pytest.fixture
def published_and_draft():
    """The same kinds of content twice, published and draft, all matching the word "Wombat"."""
    made = {}
    for status in (PublicationStatus.PUBLISHED, PublicationStatus.DRAFT):
        review = make_review(title=f"Test Wombat review {status}", status=status)
        theme = make_theme(name=f"Test Wombat theme {status}")
        recommendation = make_recommendation(review=review, text=f"Test Wombat recommendation {status}.")
        made[status] = {
            "review": review,
            "theme": theme,
            "learning_point": make_learning_point(review=review, text="Test Wombat learning.", themes=[theme]),
            "recommendation": recommendation,
            "action": make_action(recommendation=recommendation, text=f"Test Wombat action {status}."),
        }
    # Learning tied to no review, from a draft briefing, is a draft too.
    made["cross-cutting draft"] = make_learning_point(
        review=None, source=make_source(status=PublicationStatus.DRAFT), text="Test Wombat cross-cutting."
    )
    return made


@pytest.mark.parametrize("field", ["theme", "review", "learning_point", "recommendation", "action"])
def test_the_step_autocomplete_offers_published_content_only(trainer_client, published_and_draft, field):
    """Guards the course-pack admin's autocomplete: it never offers a draft (a draft review,
    its entries, a theme only drafts use, learning from a draft briefing)."""
    offered = _offered(trainer_client, field, "Wombat")
    assert offered == {published_and_draft[PublicationStatus.PUBLISHED][field].pk}


def _pack_form(point_pk):
    return {
        "title": "Test pack with a draft",
        "slug": "test-pack-with-a-draft",
        "status": PublicationStatus.PUBLISHED,
        "introduction": "",
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "items-0-position": "1",
        "items-0-kind": "learning_point",
        "items-0-learning_point": str(point_pk),
        "items-0-notes": "",
    }


def test_the_admin_form_refuses_a_draft_step(trainer_client, published_and_draft):
    """Guards the admin form's validation: a draft posted directly (not offered) is refused, with a reason."""
    draft_point = published_and_draft[PublicationStatus.DRAFT]["learning_point"]
    response = trainer_client.post(reverse("admin:reviews_coursepack_add"), _pack_form(draft_point.pk))
    assert response.status_code == 200
    assert "Only published content can go in a course pack" in response.content.decode()
    assert not CoursePack.objects.filter(slug="test-pack-with-a-draft").exists()


@pytest.mark.parametrize("kind", ["theme", "review", "learning_point", "recommendation", "action"])
def test_a_step_pointing_at_a_draft_is_invalid(published_and_draft, kind):
    """Guards model validation (``full_clean``, as any form does): a draft target is refused."""
    pack = make_pack()
    draft = published_and_draft[PublicationStatus.DRAFT][kind]
    step = CoursePackItem(pack=pack, kind=kind, position=1, **{kind: draft})
    with pytest.raises(ValidationError) as error:
        step.full_clean()
    assert "Only published content can go in a course pack" in str(error.value.message_dict[kind])
    CoursePackItem(pack=pack, kind=kind, position=1, **{kind: published_and_draft["published"][kind]}).full_clean()


def test_an_unpublished_step_is_kept_visible_in_the_admin_and_not_silently_emptied(trainer_client):
    """Guards the admin's handling of a step whose item was unpublished after it was chosen:
    the trainer sees which it is, and saving says why it cannot stay, rather than dropping it."""
    review = make_review(title="Test review unpublished later")
    point = make_learning_point(review=review, text="Test learning unpublished later.")
    pack = make_pack(slug="test-pack-unpublished-step")
    step = add_step(pack, "learning_point", point)
    review.status = PublicationStatus.DRAFT
    review.save()
    url = reverse("admin:reviews_coursepack_change", args=[pack.pk])
    page = trainer_client.get(url).content.decode()
    assert f'<option value="{point.pk}" selected>' in page
    data = {**_pack_form(point.pk), "title": pack.title, "slug": pack.slug}
    data.update({"items-INITIAL_FORMS": "1", "items-0-id": str(step.pk), "items-0-pack": str(pack.pk)})
    response = trainer_client.post(url, data)
    assert response.status_code == 200
    assert "Only published content can go in a course pack" in response.content.decode()
    step.refresh_from_db()
    assert step.learning_point_id == point.pk


FORMATS = ["coursepack-detail", "coursepack-print", "coursepack-markdown", "coursepack-csv"]


@pytest.mark.parametrize("url_name", FORMATS)
@pytest.mark.parametrize("how", ["unpublished", "deleted", "retitled in draft, then deleted"])
def test_a_removed_step_names_nothing_of_what_it_was_in_any_format(client, url_name, how):
    """Guards the public pack (page, handout, Markdown, CSV): a step whose item is not public
    shows "an item that is no longer available", never its text, heading, or its review's title,
    which may be a draft's."""
    review = make_review(title="Test Aardvark review")
    point = make_learning_point(review=review, heading="Test Aardvark heading", text="Test Aardvark wording.")
    recommendation = make_recommendation(review=review, number="4", text="Test Aardvark recommendation.")
    pack = make_pack(slug="test-pack-removed")
    add_step(pack, "learning_point", point)
    step = add_step(pack, "recommendation", recommendation)
    add_step(pack, "review", review)
    review.status = PublicationStatus.DRAFT
    review.save()
    if how != "unpublished":
        if how.startswith("retitled"):
            review.title = "Test Aardvark secret draft title"
            review.save()
            step.save()  # a trainer's save refreshes the snapshot: it names the draft's title now
            assert "secret draft title" in step.label_snapshot
        point.delete()
        recommendation.delete()
        review.delete()
    response = client.get(reverse(f"reviews:{url_name}", kwargs={"slug": pack.slug}))
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert "aardvark" not in text.lower()
    assert "no longer available" in text
    assert text.count("no longer available") >= 3

"""The editorial admin: lists, forms, messages, publishing, actions, merging."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from taggit.models import Tag

from reviews.models import Action, PublicationStatus, Recommendation, ReflectionQuestion, Review, Theme

from .support.admin import admin_form_data
from .support.factories import (
    make_action,
    make_learning_point,
    make_recommendation,
    make_review,
    make_source,
    make_theme,
)

pytestmark = pytest.mark.django_db

DUPLICATE_NUMBER = "This review already has a recommendation with this number."


def populate(n, *, theme=None):
    """``n`` synthetic reviews, each with entries under ``theme``."""
    theme = theme or make_theme()
    for _ in range(n):
        review = make_review()
        source = make_source()
        review.sources.add(source)
        make_learning_point(review=review, source=source, themes=[theme])
        recommendation = make_recommendation(review=review, source=source, themes=[theme])
        make_action(recommendation=recommendation).themes.add(theme)
        review.tags.add("test-tag")
    return theme


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


LISTS = [
    "admin:reviews_review_changelist",
    "admin:reviews_learningpoint_changelist",
    "admin:reviews_recommendation_changelist",
    "admin:reviews_action_changelist",
    "admin:reviews_casefact_changelist",
    "admin:reviews_theme_changelist",
    "admin:reviews_themealias_changelist",
    "admin:reviews_source_changelist",
    "admin:reviews_resource_changelist",
    "admin:reviews_partnership_changelist",
    "admin:reviews_collection_changelist",
    "admin:reviews_oldslug_changelist",
    "admin:taggit_tag_changelist",  # the tag library: for whoever manages accounts
]


@pytest.mark.parametrize("name", LISTS)
def test_every_list_runs_a_fixed_number_of_queries(editor_client, admin_client, name):
    """No N+1: the same number of queries for 2 reviews' worth of rows and 8."""
    client = admin_client if name.startswith("admin:taggit_") else editor_client
    theme = populate(2)
    small = queries_for(client, reverse(name))
    populate(6, theme=theme)
    assert queries_for(client, reverse(name)) == small


def test_review_list_shows_type_partnership_year_status_and_counts(editor_client):
    review = make_review(title="Test review listed", status=PublicationStatus.DRAFT)
    make_learning_point(review=review)
    make_learning_point(review=review)
    make_recommendation(review=review)
    page = editor_client.get(reverse("admin:reviews_review_changelist")).content.decode()
    assert "Test review listed" in page
    assert "Serious case review" in page and "2020" in page
    assert 'class="kb-status kb-status--draft"' in page
    row = page[page.index("Test review listed") :]
    row = row[: row.index("</tr>")]
    assert '<td class="field-learning_point_count">2</td>' in row
    assert '<td class="field-recommendation_count">1</td>' in row
    assert '<td class="field-action_count">0</td>' in row


def test_review_list_filters_by_theme_and_status(editor_client):
    theme = make_theme(slug="test-filter-theme")
    with_theme = make_review(title="Test review with the theme")
    make_learning_point(review=with_theme, themes=[theme])
    make_review(title="Test review without it", status=PublicationStatus.DRAFT)
    url = reverse("admin:reviews_review_changelist")
    page = editor_client.get(url, {"theme": "test-filter-theme"}).content.decode()
    assert "Test review with the theme" in page and "Test review without it" not in page
    page = editor_client.get(url, {"status__exact": "draft"}).content.decode()
    assert "Test review without it" in page and "Test review with the theme" not in page


def test_review_search_finds_by_title_and_child(editor_client):
    make_review(title="Test review alpha", children="Child Q")
    make_review(title="Test review beta")
    url = reverse("admin:reviews_review_changelist")
    assert "Test review alpha" in editor_client.get(url, {"q": "Child Q"}).content.decode()
    assert "Test review beta" not in editor_client.get(url, {"q": "alpha"}).content.decode()


@pytest.mark.parametrize(
    "name, query",
    [
        ("admin:reviews_learningpoint_changelist", "shared"),  # stemming: "sharing"
        ("admin:reviews_learningpoint_changelist", '"information promptly"'),  # a phrase
        ("admin:reviews_recommendation_changelist", "shared"),
        ("admin:reviews_action_changelist", "shared"),
    ],
)
def test_admin_search_uses_the_full_text_index(editor_client, name, query):
    review = make_review(status=PublicationStatus.DRAFT)  # drafts are found too
    text = "Test practitioners were sharing information promptly with partners."
    make_learning_point(review=review, text=text)
    recommendation = make_recommendation(review=review, text=text)
    make_action(recommendation=recommendation, text=text)
    make_learning_point(review=review, text="Test unrelated entry about escalation.")
    response = editor_client.get(reverse(name), {"q": query})
    assert response.context["cl"].result_count == 1
    assert "Test practitioners were sharing" in response.content.decode()


def test_review_change_form_has_inlines_view_on_site_and_tag_help(editor_client):
    review = make_review()
    review.tags.add("test-co-sleeping")
    recommendation = make_recommendation(review=review)
    make_action(recommendation=recommendation)
    make_action(recommendation=recommendation)
    response = editor_client.get(reverse("admin:reviews_review_change", args=[review.pk]))
    page = response.content.decode()
    prefixes = [inline.formset.prefix for inline in response.context["inline_admin_formsets"]]
    assert prefixes == ["case_facts", "learning_points", "recommendations"]
    assert all(inline.formset.extra == 0 for inline in response.context["inline_admin_formsets"])
    content_type = ContentType.objects.get_for_model(Review)
    assert reverse("admin:view_on_site", args=[content_type.pk, review.pk]) in page
    change = reverse("admin:reviews_recommendation_change", args=[recommendation.pk])
    assert f'{change}#actions-group">2 actions: view, add or update their status' in page
    tags = response.context["adminform"].form.fields["tags"].widget
    assert type(tags).__name__ == "TagAutocomplete"
    assert '<option value="test-co-sleeping" selected>test-co-sleeping</option>' in page
    assert "Start typing to see the tags already in use" in page


def test_recommendation_page_has_its_actions_inline_and_links_back_to_the_review(editor_client):
    review = make_review(title="Test review linked")
    recommendation = make_recommendation(review=review)
    make_action(recommendation=recommendation, text="Test action inline.")
    page = editor_client.get(reverse("admin:reviews_recommendation_change", args=[recommendation.pk])).content
    page = page.decode()
    assert 'id="actions-group"' in page and "Test action inline." in page
    assert reverse("admin:reviews_review_change", args=[review.pk]) in page


def test_prepopulated_slug_and_autocomplete_widgets(editor_client):
    page = editor_client.get(reverse("admin:reviews_review_add")).content.decode()
    assert 'data-prepopulated-fields="[{&quot;id&quot;: &quot;#id_slug&quot;' in page
    response = editor_client.get(reverse("admin:reviews_learningpoint_add"))
    widget = response.context["adminform"].form.fields["themes"].widget
    assert type(widget).__name__ == "RelatedFieldWidgetWrapper"
    assert type(widget.widget).__name__ == "AutocompleteSelectMultiple"


# ---------------------------------------------------------------------------
# Validation messages
# ---------------------------------------------------------------------------


def _with_new_recommendations(client, review, numbers):
    url = reverse("admin:reviews_review_change", args=[review.pk])
    data = admin_form_data(client, url)
    source = review.sources.get()
    data["recommendations-TOTAL_FORMS"] = len(numbers)
    for index, number in enumerate(numbers):
        data.update(
            {
                f"recommendations-{index}-number": number,
                f"recommendations-{index}-text": f"Test recommendation {index}.",
                f"recommendations-{index}-source": source.pk,
                f"recommendations-{index}-position": index,
            }
        )
    return client.post(url, data)


def test_two_new_recommendations_with_one_number_get_a_plain_message(editor_client):
    review = make_review()
    review.sources.add(make_source())
    response = _with_new_recommendations(editor_client, review, ["3", "3"])
    assert response.status_code == 200
    assert DUPLICATE_NUMBER in response.content.decode()
    assert not Recommendation.objects.exists()
    # Unnumbered recommendations may repeat: the constraint only covers numbers.
    assert _with_new_recommendations(editor_client, review, ["", ""]).status_code == 302
    assert Recommendation.objects.count() == 2


def test_a_number_already_used_in_the_review_gets_a_plain_message(editor_client):
    review = make_review()
    review.sources.add(make_source())
    make_recommendation(review=review, number="1")
    response = editor_client.post(
        reverse("admin:reviews_recommendation_add"),
        {
            "review": review.pk,
            "number": "1",
            "text": "Test recommendation again.",
            "source": review.sources.get().pk,
            "position": 0,
            "actions-TOTAL_FORMS": 0,
            "actions-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert DUPLICATE_NUMBER in response.content.decode()
    assert Recommendation.objects.count() == 1


@pytest.mark.parametrize(
    "day, precision, message",
    [
        ("2019-09-15", "month", "When only the month is known, enter the first day of that month"),
        ("2019-09-01", "year", "When only the year is known, enter 1 January of that year"),
        ("2019-09-01", "unknown", "Give a date together with how precise it is, or neither"),
        ("", "day", "Give a date together with how precise it is, or neither"),
    ],
)
def test_partial_dates_get_messages_an_editor_understands(editor_client, day, precision, message):
    review = make_review(published_on=datetime.date(2020, 1, 1), published_precision="year")
    url = reverse("admin:reviews_review_change", args=[review.pk])
    response = editor_client.post(
        url, admin_form_data(editor_client, url, published_on=day, published_precision=precision)
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "Constraint" not in page and "is violated" not in page


def test_a_taken_slug_gets_a_plain_message(editor_client):
    make_review(slug="test-taken")
    review = make_review()
    url = reverse("admin:reviews_review_change", args=[review.pk])
    response = editor_client.post(url, admin_form_data(editor_client, url, slug="test-taken"))
    assert "Another review already uses this web address (slug)." in response.content.decode()


def test_an_alias_used_by_another_theme_gets_a_plain_message(editor_client):
    make_theme().aliases.create(name="Test heading")
    response = editor_client.post(
        reverse("admin:reviews_themealias_add"), {"name": "TEST HEADING", "theme": make_theme().pk}
    )
    assert "Another theme already has this alias" in response.content.decode()


def add_theme(client, name, slug, **extra):
    data = {
        "name": name,
        "slug": slug,
        "summary": "",
        "aliases-TOTAL_FORMS": 0,
        "aliases-INITIAL_FORMS": 0,
        **extra,
    }
    return client.post(reverse("admin:reviews_theme_add"), data)


def test_a_theme_name_differing_only_in_capitals_gets_a_plain_message(editor_client):
    make_theme(name="Test Neglect", slug="test-neglect")
    response = add_theme(editor_client, "test neglect", "test-neglect-2")
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is already a theme called “Test Neglect” (capital letters make no difference)." in page
    assert Theme.objects.filter(name__iexact="test neglect").count() == 1


def test_a_theme_named_as_another_themes_alias_gets_a_plain_message(editor_client):
    make_theme(name="Test Neglect").aliases.create(name="Test chronic neglect")
    page = add_theme(editor_client, "Test CHRONIC neglect", "test-chronic-neglect").content.decode()
    assert "“Test chronic neglect” is already another name (an alias) of the theme “Test Neglect”" in page
    assert not Theme.objects.filter(slug="test-chronic-neglect").exists()


def test_an_alias_named_as_another_theme_gets_a_plain_message(editor_client):
    make_theme(name="Test Neglect")
    response = editor_client.post(
        reverse("admin:reviews_themealias_add"), {"name": "test neglect", "theme": make_theme().pk}
    )
    assert "“Test Neglect” is the name of another theme. If the two are the same theme, merge them" in (
        response.content.decode()
    )


def test_a_new_page_cannot_take_over_another_pages_old_address(editor_client):
    """/themes/test-neglect/ leads to the renamed theme: a new theme may not take it over silently."""
    theme = make_theme(name="Test Neglect", slug="test-neglect")
    theme.slug = "test-neglect-and-abuse"
    theme.save()
    page = add_theme(editor_client, "Test neglect of teenagers", "test-neglect").content.decode()
    assert "This web address (slug) used to belong to “Test Neglect”, and old links to it still lead there." in page
    assert not Theme.objects.filter(slug="test-neglect").exists()
    assert editor_client.get("/themes/test-neglect/").status_code == 301

    # A page may go back to an address it had itself.
    url = reverse("admin:reviews_theme_change", args=[theme.pk])
    response = editor_client.post(url, admin_form_data(editor_client, url, slug="test-neglect"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Theme.objects.get(pk=theme.pk).slug == "test-neglect"


def test_deleting_a_theme_with_reflection_questions_is_refused_with_a_plain_message(editor_client):
    theme = make_theme(name="Test theme with a question")
    ReflectionQuestion.objects.create(text="Test: what will you do differently?", theme=theme)
    url = reverse("admin:reviews_theme_delete", args=[theme.pk])
    page = editor_client.get(url).content.decode()
    assert "A theme cannot be deleted while reflection questions are written for it" in page
    assert "Test: what will you do differently?" in page
    editor_client.post(url, {"post": "yes"})
    assert Theme.objects.filter(pk=theme.pk).exists()
    assert ReflectionQuestion.objects.filter(theme=theme).exists()


# ---------------------------------------------------------------------------
# Tags
# ---------------------------------------------------------------------------


def test_the_tags_box_suggests_tags_in_use_most_used_first(editor_client):
    for tags in (["test-alcohol", "test-neglect"], ["test-alcohol"], ["test-alcoholism"]):
        make_review().tags.add(*tags)
    url = reverse("admin:reviews_review_tag_suggestions")
    results = editor_client.get(url, {"term": "ALCOHOL"}).json()
    assert results == {
        "results": [
            {"id": "test-alcohol", "text": "test-alcohol"},
            {"id": "test-alcoholism", "text": "test-alcoholism"},
        ],
        "pagination": {"more": False},
    }
    assert next(r["id"] for r in editor_client.get(url).json()["results"]) == "test-alcohol"
    page = editor_client.get(reverse("admin:reviews_review_add")).content.decode()
    assert f'class="kb-tags-box" data-suggestions-url="{url}"' in page
    script = reverse("admin:reviews_review_tags_box_script")
    assert "admin/js/vendor/select2/select2.full" in page and f'src="{script}"' in page and "//cdn" not in page
    response = editor_client.get(script)
    assert response["Content-Type"].startswith("text/javascript")
    assert "$('.kb-tags-box')" in response.content.decode()


def test_the_tag_suggestions_are_for_staff_only(client):
    make_review().tags.add("test-secret-tag")
    response = client.get(reverse("admin:reviews_review_tag_suggestions"))
    assert response.status_code == 302 and "test-secret-tag" not in response.content.decode()


def test_tags_chosen_and_typed_in_the_tags_box_are_saved(editor_client):
    make_review().tags.add("Test alcohol")
    review = make_review()
    url = reverse("admin:reviews_review_change", args=[review.pk])
    data = admin_form_data(
        editor_client, url, tags=["test alcohol", "Test new risk factor", "", "Test new risk factor"]
    )
    assert editor_client.post(url, data).status_code == 302
    # Capital letters make no difference: the tag in use is reused, not spelled anew.
    assert sorted(Review.objects.get(pk=review.pk).tags.names()) == ["Test alcohol", "Test new risk factor"]
    assert Tag.objects.filter(name__iexact="test alcohol").count() == 1


def test_tags_can_be_merged_from_the_list_of_tags(admin_client):
    """By whoever manages accounts (here a superuser): Editors tag reviews, but not in the tag library."""
    editor_client = admin_client
    review = make_review()
    review.tags.add("test-cosleeping")
    keep = Tag.objects.create(name="test-co-sleeping")
    merge = Tag.objects.get(name="test-cosleeping")
    url = reverse("admin:taggit_tag_changelist")
    listed = editor_client.get(url).content.decode()
    assert '<td class="field-review_count">1</td>' in listed
    selected = {"action": "merge_tags", "_selected_action": [keep.pk, merge.pk]}
    assert "Choose the tag to keep" in editor_client.post(url, selected).content.decode()
    done = editor_client.post(url, {**selected, "apply": "Merge", "into": keep.pk}, follow=True)
    assert "Merged “test-cosleeping” into “test-co-sleeping”: 1 review retagged." in done.content.decode()
    assert list(review.tags.names()) == ["test-co-sleeping"]


# ---------------------------------------------------------------------------
# Publishing from the change form
# ---------------------------------------------------------------------------


def test_save_and_publish_saves_the_edits_then_publishes_with_the_sources(editor_client):
    review = make_review(status=PublicationStatus.DRAFT)
    source = make_source(status=PublicationStatus.DRAFT)
    review.sources.add(source)
    url = reverse("admin:reviews_review_change", args=[review.pk])
    page = editor_client.get(url).content.decode()
    assert "kb-banner--draft" in page and "Save and publish" in page
    response = editor_client.post(url, admin_form_data(editor_client, url, title="Test published", _publish="1"))
    assert response.status_code == 302 and response["Location"] == url
    review.refresh_from_db()
    source.refresh_from_db()
    assert review.title == "Test published"
    assert review.status == PublicationStatus.PUBLISHED and source.status == PublicationStatus.PUBLISHED
    page = editor_client.get(url).content.decode()
    assert "is published: it and its entries are now public" in page
    assert "kb-banner--published" in page and "Save and unpublish" in page
    editor_client.post(url, admin_form_data(editor_client, url, _unpublish="1"))
    assert Review.objects.get(pk=review.pk).status == PublicationStatus.DRAFT


def test_a_new_review_can_be_published_as_it_is_added(editor_client):
    response = editor_client.post(
        reverse("admin:reviews_review_add"),
        {
            "title": "Test review added",
            "slug": "test-review-added",
            "review_type": "scr",
            "published_precision": "unknown",
            "commissioned_precision": "unknown",
            "tags": "",
            "_publish": "1",
            **{
                f"{prefix}-{key}": 0
                for prefix in ("case_facts", "learning_points", "recommendations")
                for key in ("TOTAL_FORMS", "INITIAL_FORMS")
            },
        },
    )
    review = Review.objects.get(slug="test-review-added")
    assert response["Location"] == reverse("admin:reviews_review_change", args=[review.pk])
    assert review.status == PublicationStatus.PUBLISHED


# ---------------------------------------------------------------------------
# Actions: quick status updates
# ---------------------------------------------------------------------------


def test_action_status_is_editable_from_the_list_and_the_change_date_recorded(editor_client):
    review = make_review()
    action = make_action(recommendation=make_recommendation(review=review))
    url = reverse("admin:reviews_action_changelist")
    response = editor_client.get(url)
    assert 'name="form-0-status"' in response.content.decode()
    data = {
        "form-TOTAL_FORMS": 1,
        "form-INITIAL_FORMS": 1,
        "form-0-id": action.pk,
        "form-0-status": Action.Status.DONE,
        "_save": "Save",
    }
    assert editor_client.post(url, data).status_code == 302
    action = Action.objects.get(pk=action.pk)
    assert action.status == Action.Status.DONE and action.status_changed_at is not None


def test_action_status_admin_actions_set_the_status_and_date(editor_client):
    review = make_review()
    recommendation = make_recommendation(review=review)
    actions = [make_action(recommendation=recommendation) for _ in range(3)]
    response = editor_client.post(
        reverse("admin:reviews_action_changelist"),
        {"action": "mark_in_progress", "_selected_action": [a.pk for a in actions[:2]]},
        follow=True,
    )
    assert "2 actions marked “In progress”" in response.content.decode()
    stored = {a.pk: a for a in Action.objects.all()}
    for action in actions[:2]:
        assert stored[action.pk].status == Action.Status.IN_PROGRESS
        assert stored[action.pk].status_changed_at is not None
    assert stored[actions[2].pk].status_changed_at is None


# ---------------------------------------------------------------------------
# Themes
# ---------------------------------------------------------------------------


def test_theme_list_counts_what_uses_each_theme(editor_client):
    theme = make_theme(name="Test counted theme")
    theme.aliases.create(name="Test counted alias")
    review = make_review()
    make_learning_point(review=review, themes=[theme])
    make_learning_point(review=review, themes=[theme])
    make_recommendation(review=review, themes=[theme])
    theme.related_themes.add(make_theme())
    page = editor_client.get(reverse("admin:reviews_theme_changelist")).content.decode()
    row = page[page.index("Test counted theme") :]
    row = row[: row.index("</tr>")]
    assert "Test counted alias" in row
    assert '<td class="field-learning_point_count">2</td>' in row
    assert '<td class="field-recommendation_count">1</td>' in row
    assert '<td class="field-action_count">0</td>' in row
    assert '<td class="field-related_count">1</td>' in row


def test_merging_themes_from_the_list_asks_which_to_keep(editor_client):
    keep = make_theme(name="Test keep")
    merge = make_theme(name="Test merge")
    point = make_learning_point(review=make_review(), themes=[merge])
    url = reverse("admin:reviews_theme_changelist")
    selected = {"action": "merge_themes", "_selected_action": [keep.pk, merge.pk]}
    confirm = editor_client.post(url, selected)
    assert confirm.status_code == 200
    assert "Choose the theme to keep" in confirm.content.decode()
    assert Theme.objects.count() == 2
    question = ReflectionQuestion.objects.create(text="Test: what would help?", theme=merge)
    done = editor_client.post(url, {**selected, "apply": "Merge", "into": keep.pk}, follow=True)
    assert "Merged “Test merge” into “Test keep”: moved 1 learning point, 1 reflection question." in (
        done.content.decode()
    )
    assert list(Theme.objects.all()) == [keep]
    assert list(point.themes.all()) == [keep]
    question.refresh_from_db()
    assert question.theme == keep
    page = editor_client.get(reverse("admin:reviews_theme_change", args=[keep.pk])).content.decode()
    assert "“Test merge” (was /themes/" in page and "by test-editor" in page


def test_only_users_who_may_delete_themes_can_merge_them(client):
    user = get_user_model().objects.create_user("test-trainer", password="test-password-long-1", is_staff=True)
    user.groups.add(Group.objects.get(name="Trainer"))
    client.force_login(user)
    make_theme()
    assert "merge_themes" not in client.get(reverse("admin:reviews_theme_changelist")).content.decode()

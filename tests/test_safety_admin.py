"""The publication safety check in the admin: publishing waits until every
finding is confirmed, confirmations are recorded and not asked again while
the words stay the same, only editors who may publish confirm, and odd input
never breaks the page. Every name and number here is invented."""

import datetime

import pytest
from django.urls import reverse

from reviews.models import ActionUpdate, LearningPoint, PublicationStatus, Resource, Review, SafetyConfirmation
from reviews.safety import review_check, review_findings, review_publish_checked
from reviews.safety.confirming import UnconfirmedFindings

from .support.admin import admin_form_data
from .support.factories import (
    make_action,
    make_learning_point,
    make_recommendation,
    make_review,
    make_section,
    make_source,
    make_user,
)

pytestmark = pytest.mark.django_db

PLANTED = "Child M (Jayden Okafor) lived at 14 Larkspur Close; his mobile was 07700 900123."


def draft_with_planted_details():
    review = make_review(status=PublicationStatus.DRAFT, children="Child M")
    source = make_source(status=PublicationStatus.DRAFT, original_text="Test briefing. Child M was seen.")
    review.sources.add(source)
    point = make_learning_point(review=review, source=source, text=PLANTED)
    return review, point


def safety_url(review):
    return reverse("admin:reviews_review_safety", args=[review.pk])


def test_the_check_reads_every_text_of_the_review_and_its_briefing():
    review, point = draft_with_planted_details()
    source = review.sources.get()
    source.original_text = "Test briefing. Contact test.person@example.com about Child M."
    source.save()
    review.summary = "Test summary: Mrs Testington-Pryce attended."
    review.save()
    found = {(f.kind, f.text, f.location) for f in review_findings(review)}
    assert ("name", "Jayden Okafor", f"learningpoint:{point.ref}:text") in found
    assert ("address", "14 Larkspur Close", f"learningpoint:{point.ref}:text") in found
    assert ("phone", "07700 900123", f"learningpoint:{point.ref}:text") in found
    assert ("email", "test.person@example.com", f"source:{source.slug}:original_text") in found
    assert ("name", "Mrs Testington-Pryce", "review:" + review.slug + ":summary") in found


def test_the_check_reads_addressees_owners_status_reports_headings_and_resources():
    review, _ = draft_with_planted_details()
    source = review.sources.get()
    recommendation = make_recommendation(review=review, source=source, addressed_to="Mr Testbury", text="Test.")
    action = make_action(recommendation=recommendation, owner="Ms Quillfeather", text="Test action.")
    ActionUpdate.objects.create(
        action=action,
        reported_on=datetime.date(2021, 5, 1),
        status="in_progress",
        reported_by="Test service",
        note="Test: rang 07700 900777.",
    )
    section = make_section(source=source, review=review, heading="Test heading: Fernleigh Academy")
    resource = Resource.objects.create(source=source, name="Test hub", details_as_stated="test.hub@example.org")
    found = {(f.kind, f.text, f.location) for f in review_findings(review)}
    assert ("name", "Mr Testbury", f"recommendation:{recommendation.ref}:addressed_to") in found
    assert ("name", "Ms Quillfeather", f"action:{action.ref}:owner") in found
    assert ("phone", "07700 900777", f"actionupdate:{action.updates.get().pk}:note") in found
    assert ("school", "Fernleigh Academy", f"section:{section.ref}:heading") in found
    assert ("email", "test.hub@example.org", f"resource:{resource.ref}:details_as_stated") in found


def test_publishing_waits_until_every_finding_is_confirmed(editor_client):
    review, _ = draft_with_planted_details()
    url = reverse("admin:reviews_review_change", args=[review.pk])
    response = editor_client.post(url, admin_form_data(editor_client, url, _publish="1"))
    assert response.status_code == 302 and response["Location"] == safety_url(review) + "?publish=1"
    assert Review.objects.get(pk=review.pk).status == PublicationStatus.DRAFT

    page = editor_client.get(response["Location"])
    text = page.content.decode()
    assert "Not yet published" in text and "Jayden Okafor" in text and "14 Larkspur Close" in text
    assert text.count("I have checked this: it does not identify anyone") == 3
    keys = [f.key for f in review_check(review).to_confirm]

    # Two of three ticked: nothing is written, nothing is published.
    response = editor_client.post(safety_url(review), {"confirm": keys[:2], "_publish": "1"})
    assert response.status_code == 200
    assert "Publishing waits until every finding is confirmed" in response.content.decode()
    assert not SafetyConfirmation.objects.exists()
    assert Review.objects.get(pk=review.pk).status == PublicationStatus.DRAFT

    response = editor_client.post(safety_url(review), {"confirm": keys, "_publish": "1"})
    assert response.status_code == 302 and response["Location"] == url
    assert Review.objects.get(pk=review.pk).status == PublicationStatus.PUBLISHED
    confirmations = SafetyConfirmation.objects.filter(review=review)
    assert sorted(c.key for c in confirmations) == sorted(keys)
    assert {c.confirmed_by for c in confirmations} == {editor_client.user}
    assert {c.text for c in confirmations} == {"Jayden Okafor", "14 Larkspur Close", "07700 900123"}
    assert all(PLANTED in c.passage for c in confirmations if c.kind == "name")
    assert SafetyConfirmation.history.count() == 3


def test_confirmed_findings_are_not_asked_again_unless_their_words_change(editor_client):
    review, point = draft_with_planted_details()
    keys = [f.key for f in review_check(review).to_confirm]
    response = editor_client.post(safety_url(review), {"confirm": keys, "_confirm": "1"})
    assert response.status_code == 302
    assert review_check(review).all_confirmed

    # Other words of the entry change: the same findings stay confirmed.
    point.text = PLANTED + " Test: another sentence."
    point.save()
    assert review_check(review).all_confirmed
    page = editor_client.get(safety_url(review)).content.decode()
    assert "Already checked: 3 findings" in page and "I have checked this" not in page

    # The name changes: that finding is asked about again, the others are not.
    point.text = PLANTED.replace("Jayden Okafor", "Jayden Okonkwo")
    point.save()
    result = review_check(review)
    assert [f.text for f in result.to_confirm] == ["Jayden Okonkwo"]
    with pytest.raises(UnconfirmedFindings):
        review_publish_checked(review=review, user=editor_client.user)
    assert Review.objects.get(pk=review.pk).status == PublicationStatus.DRAFT


def test_a_review_with_nothing_found_publishes_straight_away(editor_client):
    review = make_review(status=PublicationStatus.DRAFT)
    make_learning_point(review=review, text="Test: professionals should share information about Child M promptly.")
    url = reverse("admin:reviews_review_change", args=[review.pk])
    response = editor_client.post(url, admin_form_data(editor_client, url, _publish="1"))
    assert response.status_code == 302 and response["Location"] == url
    assert Review.objects.get(pk=review.pk).status == PublicationStatus.PUBLISHED


def test_the_publish_action_in_the_list_publishes_only_reviews_whose_findings_are_confirmed(editor_client):
    waiting, _ = draft_with_planted_details()
    clear = make_review(status=PublicationStatus.DRAFT)
    response = editor_client.post(
        reverse("admin:reviews_review_changelist"),
        {"action": "publish_selected", "_selected_action": [waiting.pk, clear.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert Review.objects.get(pk=clear.pk).status == PublicationStatus.PUBLISHED
    assert Review.objects.get(pk=waiting.pk).status == PublicationStatus.DRAFT
    assert "Published 1 review" in page and "is not published: the safety check found 3 details" in page
    assert safety_url(waiting) + "?publish=1" in page


def test_publishing_from_the_import_check_waits_for_the_safety_check_too(editor_client):
    review, _ = draft_with_planted_details()
    triage = reverse("admin:reviews_review_triage", args=[review.pk])
    assert safety_url(review) in editor_client.get(triage).content.decode()
    response = editor_client.post(triage, {"action": "publish"}, follow=True)
    assert "Not published: the safety check found 3 details" in response.content.decode()
    assert Review.objects.get(pk=review.pk).status == PublicationStatus.DRAFT
    keys = [f.key for f in review_check(review).to_confirm]
    editor_client.post(safety_url(review), {"confirm": keys, "_confirm": "1"})
    editor_client.post(triage, {"action": "publish"})
    assert Review.objects.get(pk=review.pk).status == PublicationStatus.PUBLISHED


def test_the_check_is_linked_from_the_review_and_shown_to_any_staff_who_may_view_it(editor_client, client):
    review, _ = draft_with_planted_details()
    page = editor_client.get(reverse("admin:reviews_review_change", args=[review.pk])).content.decode()
    assert safety_url(review) in page and "Check for identifying details" in page

    trainer = make_user("test-trainer", groups=["Trainer"])
    client.force_login(trainer)
    response = client.get(safety_url(review))
    if trainer.has_perm("reviews.view_review"):
        assert response.status_code == 200 and "I have checked this" not in response.content.decode()
    else:
        assert response.status_code == 403
    keys = [f.key for f in review_check(review).to_confirm]
    assert client.post(safety_url(review), {"confirm": keys, "_publish": "1"}).status_code == 403
    assert not SafetyConfirmation.objects.exists()


def test_staff_without_the_publish_permission_cannot_confirm(client):
    review, _ = draft_with_planted_details()
    client.force_login(make_user("test-nobody"))
    assert client.get(safety_url(review)).status_code == 403
    keys = [f.key for f in review_check(review).to_confirm]
    assert client.post(safety_url(review), {"confirm": keys}).status_code == 403
    assert not SafetyConfirmation.objects.exists()
    client.logout()
    response = client.get(safety_url(review))
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


@pytest.mark.parametrize(
    "data",
    [
        {"confirm": ["not-a-key"], "_publish": "1"},
        {"confirm": ["0" * 40], "_confirm": "1"},
        {"confirm": ["'; DROP TABLE reviews_review; --"]},
        {"_confirm": "1"},
        {"confirm": [""] * 3},
    ],
)
def test_odd_input_writes_nothing_and_never_fails(editor_client, data):
    review, _ = draft_with_planted_details()
    response = editor_client.post(safety_url(review), data)
    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    assert not SafetyConfirmation.objects.exists()
    assert Review.objects.get(pk=review.pk).status == PublicationStatus.DRAFT


@pytest.mark.parametrize("object_id", ["999999", "abc", "1%00", "-1"])
def test_a_missing_review_is_not_found(editor_client, object_id):
    response = editor_client.get(f"/admin/reviews/review/{object_id}/safety/")
    assert response.status_code in (302, 404)
    assert response.status_code != 500


def test_the_confirmations_are_read_only_in_the_admin(editor_client):
    review, _ = draft_with_planted_details()
    keys = [f.key for f in review_check(review).to_confirm]
    editor_client.post(safety_url(review), {"confirm": keys, "_confirm": "1"})
    confirmation = SafetyConfirmation.objects.first()
    assert editor_client.get(reverse("admin:reviews_safetyconfirmation_changelist")).status_code == 200
    change = reverse("admin:reviews_safetyconfirmation_change", args=[confirmation.pk])
    assert editor_client.get(change).status_code == 200
    history = reverse("admin:reviews_safetyconfirmation_history", args=[confirmation.pk])
    assert editor_client.get(history).status_code == 200
    assert editor_client.post(change, {"text": "Test changed"}).status_code == 403
    assert editor_client.get(reverse("admin:reviews_safetyconfirmation_add")).status_code == 403
    delete = reverse("admin:reviews_safetyconfirmation_delete", args=[confirmation.pk])
    assert editor_client.post(delete, {"post": "yes"}).status_code == 403
    assert SafetyConfirmation.objects.filter(pk=confirmation.pk, text=confirmation.text).exists()


def test_the_check_of_a_review_takes_a_fixed_number_of_queries(django_assert_max_num_queries):
    review, point = draft_with_planted_details()
    for n in range(20):
        LearningPoint.objects.create(review=review, source=point.source, text=f"Test learning point {n}.")
    with django_assert_max_num_queries(12):
        review_check(review)

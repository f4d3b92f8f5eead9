"""Evidence that learning was used: staff record uses; the public sees counts only."""

import csv
import datetime
import io
import re

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from reviews.models import LearningUse, PublicationStatus
from reviews.usage.selectors import UseSummary, uses_of_learning_points, uses_of_review, uses_of_theme

from .support.factories import make_learning_point, make_review, make_theme, make_user

pytestmark = pytest.mark.django_db

MARCH = datetime.date(2026, 3, 12)


def use(*, kind=LearningUse.Kind.TEAM_BRIEFING, used_on=MARCH, agency="North team", people=12, note="", **target):
    return LearningUse.objects.create(kind=kind, used_on=used_on, agency=agency, people=people, note=note, **target)


def test_a_use_is_of_exactly_one_thing():
    review = make_review()
    point = make_learning_point(review=review)
    with pytest.raises(IntegrityError), transaction.atomic():
        use(review=review, learning_point=point)
    with pytest.raises(IntegrityError), transaction.atomic():
        use()


def test_a_use_needs_at_least_one_person():
    with pytest.raises(IntegrityError), transaction.atomic():
        use(review=make_review(), people=0)


def test_the_form_explains_a_use_of_two_things():
    review = make_review()
    point = make_learning_point(review=review)
    record = LearningUse(kind="course", used_on=MARCH, agency="Police", people=3, review=review, learning_point=point)
    with pytest.raises(Exception, match="Choose exactly one thing that was used"):
        record.full_clean()


def test_summary_sentence_counts_each_kind_since_the_first_use():
    summary = UseSummary(counts={"team_briefing": 4, "course": 1}, since=MARCH)
    assert summary.sentence == "Used in 4 team briefings and 1 course or training session since March 2026"
    assert UseSummary(counts={"supervision": 1}, since=MARCH).sentence == "Used in 1 supervision since March 2026"
    assert UseSummary().sentence == ""


def test_a_review_counts_its_own_uses_and_its_learning_points_uses_once_each():
    review = make_review()
    point = make_learning_point(review=review)
    other = make_learning_point(review=make_review())
    use(review=review, used_on=datetime.date(2026, 5, 1))
    use(learning_point=point, kind=LearningUse.Kind.SUPERVISION)
    use(learning_point=other)
    summary = uses_of_review(review)
    assert summary.counts == {"team_briefing": 1, "supervision": 1}
    assert summary.since == MARCH


def test_a_theme_counts_uses_of_the_theme_and_of_published_learning_on_it():
    theme = make_theme()
    published = make_learning_point(review=make_review(), themes=[theme])
    draft = make_learning_point(review=make_review(status=PublicationStatus.DRAFT), themes=[theme])
    use(theme=theme)
    use(learning_point=published, kind=LearningUse.Kind.COURSE)
    use(learning_point=draft, kind=LearningUse.Kind.COURSE)
    assert uses_of_theme(theme).counts == {"team_briefing": 1, "course": 1}


def test_learning_point_uses_are_read_in_one_query(django_assert_num_queries):
    points = [make_learning_point(review=make_review()) for _ in range(3)]
    use(learning_point=points[0])
    use(learning_point=points[0], kind=LearningUse.Kind.COURSE)
    with django_assert_num_queries(1):
        found = uses_of_learning_points(point.pk for point in points)
    assert set(found) == {points[0].pk}
    assert found[points[0].pk].total == 2


def test_public_pages_show_counts_never_agency_people_or_note(client):
    theme = make_theme()
    review = make_review()
    point = make_learning_point(review=review, themes=[theme], text="Ask who else lives in the home.")
    use(learning_point=point, agency="Secret Street family team", people=37, note="Discussed with Jo Bloggs")
    for url in (review.get_absolute_url(), theme.get_absolute_url()):
        page = client.get(url).content.decode()
        assert "Secret Street" not in page
        assert "Jo Bloggs" not in page
        # Each count says how often, never how many people: the sentence and nothing else.
        sentences = re.findall(r'<p class="govuk-body-s kb-uses[^"]*">([^<]*)</p>', page)
        assert sentences, page
        assert set(sentences) == {"Used in 1 team briefing since March 2026 (as recorded by trainers and managers)."}


def test_a_page_without_uses_says_nothing_about_them(client):
    review = make_review()
    make_learning_point(review=review)
    assert "Used in" not in client.get(review.get_absolute_url()).content.decode()


def test_the_api_gives_counts_of_uses(client):
    theme = make_theme()
    review = make_review()
    point = make_learning_point(review=review, themes=[theme])
    use(learning_point=point)
    use(review=review, kind=LearningUse.Kind.COURSE)
    record = client.get(reverse("reviews:api-learning-point-detail", kwargs={"pk": point.pk})).json()
    assert record["uses_recorded"] == 1
    review_record = client.get(reverse("reviews:api-review-detail", kwargs={"pk": review.pk})).json()
    assert review_record["counts"]["uses_recorded"] == 2
    theme_record = client.get(reverse("reviews:api-theme-detail", kwargs={"pk": theme.pk})).json()
    assert theme_record["counts"]["uses_recorded"] == 1
    assert "North team" not in str(record) + str(review_record) + str(theme_record)


@pytest.mark.parametrize("group", ["Trainer", "Editor"])
def test_trainers_and_editors_record_uses_and_are_named_as_recorder(client, group):
    user = make_user(f"a-{group.lower()}", groups=[group])
    client.force_login(user)
    review = make_review()
    response = client.post(
        reverse("admin:reviews_learninguse_add"),
        {
            "kind": "team_briefing",
            "used_on": "2026-03-12",
            "agency": "North team",
            "people": "9",
            "note": "",
            "review": review.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    recorded = LearningUse.objects.get()
    assert recorded.recorded_by == user
    assert recorded.history.count() == 1


def test_staff_outside_the_groups_cannot_see_uses(client):
    client.force_login(make_user("no-groups"))
    assert client.get(reverse("admin:reviews_learninguse_changelist")).status_code == 403
    assert client.get(reverse("admin:reviews_learninguse_export")).status_code == 403


def test_the_annual_report_csv_lists_uses_in_the_dates_asked(client):
    client.force_login(make_user("trainer", groups=["Trainer"]))
    review = make_review(title="Child Q")
    use(review=review, used_on=datetime.date(2025, 12, 1), agency="=cmd()")
    use(review=review, used_on=datetime.date(2026, 2, 1), agency="South team", people=4, note="Good discussion")
    response = client.get(reverse("admin:reviews_learninguse_export"), {"start": "2026-01-01", "end": "2026-12-31"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:4] == ["date_used", "how_used", "agency_or_team", "people"]
    assert len(rows) == 2
    assert rows[1][:4] == ["2026-02-01", "Team briefing", "South team", "4"]
    assert rows[1][6] == "Child Q"
    assert rows[1][8] == "Good discussion"


def test_the_csv_cells_never_run_as_formulas(client):
    client.force_login(make_user("trainer", groups=["Trainer"]))
    use(review=make_review(), agency="=HYPERLINK(1)")
    body = b"".join(client.get(reverse("admin:reviews_learninguse_export")).streaming_content).decode()
    assert "'=HYPERLINK(1)" in body


@pytest.mark.parametrize("query", [{"start": "yesterday"}, {"start": "2026-05-01", "end": "2026-01-01"}])
def test_bad_dates_for_the_csv_get_a_message_not_an_error(client, query):
    client.force_login(make_user("trainer", groups=["Trainer"]))
    response = client.get(reverse("admin:reviews_learninguse_export"), query, follow=True)
    assert response.status_code == 200
    assert "The CSV was not made" in response.content.decode()


def test_merging_themes_moves_their_uses_and_a_theme_with_uses_is_never_deleted_with_them():
    from django.db.models import ProtectedError

    from reviews.services import theme_merge

    keep, merge = make_theme(), make_theme()
    recorded = use(theme=merge)
    theme_merge(themes=[merge], into=keep)
    recorded.refresh_from_db()
    assert recorded.theme == keep
    with pytest.raises(ProtectedError):
        keep.delete()

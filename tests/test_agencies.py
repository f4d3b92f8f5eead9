"""Views by profession: the agencies a recommendation or action is addressed to,
read from the briefing's words (which stay as written), and the pages per profession."""

import json
import re
import shutil

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reviews.agencies import AGENCY_SLUGS, agencies_for
from reviews.kb_loading import DEFAULT_FIXTURES_DIR, FixtureError, load_knowledge_base
from reviews.models import Action, Agency, PublicationStatus, Recommendation

from .support.factories import (
    make_action,
    make_learning_point,
    make_recommendation,
    make_review,
    make_theme,
)


def body(response) -> str:
    return response.content.decode()


def words(response) -> str:
    """The page's text without its tags, spaces run together: what a reader reads."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", body(response)))


# -- reading the briefing's words ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("All", ["all-agencies"]),
        ("All agencies", ["all-agencies"]),
        ("all partner agencies.", ["all-agencies"]),
        ("Police", ["police"]),
        ("Police and Health", ["police", "health"]),
        ("Health Visitors", ["health"]),
        ("Children’s Community Nursing Teams", ["health"]),
        ("school nurses", ["health"]),
        ("Schools", ["schools-and-education"]),
        ("Education settings", ["schools-and-education"]),
        ("Children's Social Care", ["childrens-social-care"]),
        ("Adult Services", ["adult-social-care"]),
        ("Housing providers", ["housing"]),
        ("Youth Offending Service and Probation", ["probation-and-youth-justice"]),
        ("Early Help Board", ["early-help"]),
        ("HSCB", ["safeguarding-partnership"]),
        ("SSP", ["safeguarding-partnership"]),
        ("Policy and Procedures Group", ["safeguarding-partnership"]),
        ("Policies and Procedures Group", ["safeguarding-partnership"]),
        ("Case Review Group", ["safeguarding-partnership"]),
        ("Learning and Improvement Group", ["safeguarding-partnership"]),
        # Words it does not know give nothing, never a guess.
        ("NSPCC", []),
        ("The Lead Reviewer", []),
        ("", []),
        ("   ", []),
    ],
)
def test_agencies_for_reads_the_briefings_words(words, expected):
    assert agencies_for(words) == expected


def test_every_agency_the_reading_can_give_is_in_the_fixtures():
    listed = [agency["slug"] for agency in json.loads((DEFAULT_FIXTURES_DIR / "agencies.json").read_text())["agencies"]]
    assert listed == list(AGENCY_SLUGS)


def test_the_migration_made_the_agencies_the_fixtures_list(db):
    listed = json.loads((DEFAULT_FIXTURES_DIR / "agencies.json").read_text())["agencies"]
    assert [(a.slug, a.name, a.description) for a in Agency.objects.all()] == [
        (a["slug"], a["name"], a["description"]) for a in listed
    ]


def test_the_data_migration_reads_existing_entries(db):
    """0061 reads the agencies of entries already in the database from their words."""
    import importlib

    from django.apps import apps

    review = make_review()
    police = make_recommendation(review=review, addressed_to="Police")
    unknown = make_recommendation(review=review, addressed_to="The Lead Reviewer")
    board = make_action(review=review, owner="HSCB")
    importlib.import_module("reviews.migrations.0037_agencies_from_briefings_words").read_agencies(apps, None)
    assert [a.slug for a in police.agencies.all()] == ["police"]
    assert list(unknown.agencies.all()) == []
    assert [a.slug for a in board.agencies.all()] == ["safeguarding-partnership"]


# -- the seed content -------------------------------------------------------------------------

SEED_READINGS = {
    # recommendations: addressed_to -> agencies
    "child-k-rec-1": ["safeguarding-partnership"],  # "HSCB"
    "child-one-rec-01": ["all-agencies"],  # "All"
    "child-one-rec-06": ["police"],  # "Police"
    "child-one-rec-07": ["safeguarding-partnership"],  # "Policy and Procedures Group"
    "child-two-rec-01": ["safeguarding-partnership"],  # "Case Review Group"
    "child-three-rec-03": ["safeguarding-partnership"],  # "Learning and Improvement Group"
    # actions: owner -> agencies
    "child-k-act-2a": ["early-help"],  # "Early Help Board"
    "child-k-act-2b": [],  # no owner
    "child-m-act-03": ["safeguarding-partnership"],  # "SSP"
    "child-three-act-01": ["health"],  # "Children's Community Nursing Teams"
    "s-and-d-act-01": ["all-agencies"],  # "All agencies"
}


def test_load_kb_reads_each_seed_entrys_agencies(loaded_kb):
    entries = {item.ref: item for item in [*Recommendation.objects.all(), *Action.objects.all()]}
    for ref, expected in SEED_READINGS.items():
        assert [a.slug for a in entries[ref].agencies.all()] == expected, ref
    # Every recommendation and every action with an owner has a reading; the briefing's words are untouched.
    for recommendation in Recommendation.objects.all():
        assert recommendation.agencies.exists(), recommendation.ref
        assert recommendation.addressed_to
    for action in Action.objects.exclude(owner=""):
        assert action.agencies.exists(), action.ref


def test_a_second_load_changes_no_agencies(loaded_kb):
    report = load_knowledge_base()
    assert not report.changed, report.summary()


@pytest.fixture
def fixtures_copy(tmp_path):
    target = tmp_path / "fixtures"
    shutil.copytree(DEFAULT_FIXTURES_DIR, target)
    return target


def _edit_json(path, change):
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2))


def test_a_fixture_may_give_the_reading_and_it_is_loaded(db, fixtures_copy):
    def give(data):
        data["reviews"][0]["recommendations"][0]["agencies"] = ["police", "health"]

    _edit_json(fixtures_copy / "sources" / "special-practice-review-newsletter.json", give)
    load_knowledge_base(fixtures_dir=fixtures_copy)
    assert [a.slug for a in Recommendation.objects.get(ref="child-one-rec-01").agencies.all()] == ["police", "health"]


def test_an_unknown_agency_names_file_and_object_and_changes_nothing(db, fixtures_copy):
    def give(data):
        data["reviews"][0]["recommendations"][0]["agencies"] = ["polis"]

    _edit_json(fixtures_copy / "sources" / "special-practice-review-newsletter.json", give)
    with pytest.raises(FixtureError) as error:
        load_knowledge_base(fixtures_dir=fixtures_copy)
    assert "special-practice-review-newsletter.json: recommendation 'child-one-rec-01': unknown agency 'polis'" in str(
        error.value
    )
    assert not Recommendation.objects.exists()


def test_a_missing_agency_in_the_fixtures_is_refused(db, fixtures_copy):
    _edit_json(fixtures_copy / "agencies.json", lambda data: data["agencies"].pop(1))
    with pytest.raises(FixtureError) as error:
        load_knowledge_base(fixtures_dir=fixtures_copy)
    assert "agencies.json: the agency 'police' is missing" in str(error.value)


def test_agencies_without_words_are_refused(db, fixtures_copy):
    def give(data):
        action = next(a for a in data["reviews"][0]["actions"] if a["ref"] == "child-m-act-01")
        action["agencies"] = ["police"]

    _edit_json(fixtures_copy / "sources" / "swindon-2019-child-m.json", give)
    with pytest.raises(FixtureError) as error:
        load_knowledge_base(fixtures_dir=fixtures_copy)
    assert "action 'child-m-act-01': 'agencies' reads the briefing's words in 'owner', which is empty" in str(
        error.value
    )


# -- the pages --------------------------------------------------------------------------------


def _agency(slug):
    return Agency.objects.get(slug=slug)


@pytest.fixture
def addressed(db):
    """A review addressing a recommendation to the police, one to all agencies and one to housing,
    with learning on the police recommendation's theme and learning on another theme."""
    theme, other = make_theme(), make_theme()
    review = make_review(title="Review Alpha")
    police = make_recommendation(review=review, addressed_to="Police and Health", text="Police rec.", themes=[theme])
    police.agencies.set([_agency("police"), _agency("health")])
    everyone = make_recommendation(review=review, addressed_to="All", text="Everyone rec.", themes=[theme])
    everyone.agencies.set([_agency("all-agencies")])
    housing = make_recommendation(review=review, addressed_to="Housing", text="Housing rec.", themes=[other])
    housing.agencies.set([_agency("housing")])
    make_learning_point(review=review, text="Learning on abuse.", themes=[theme])
    make_learning_point(review=review, text="Learning on water.", themes=[other])
    return review


def test_the_profession_page_shows_what_concerns_it_and_says_why(client, addressed):
    response = client.get("/for/police/")
    assert response.status_code == 200
    text = words(response)
    assert "Police rec." in text
    assert "Everyone rec." in text
    assert "Housing rec." not in text
    # The briefing's words, quoted, and the reading labelled as the knowledge base's.
    assert "Concerns Police and Health: the knowledge base’s reading of “Police and Health”" in text
    assert (
        "Concerns All agencies: the knowledge base’s reading of “All”, whom the briefing addresses it to. "
        "It is for every agency, so it is shown here." in text
    )
    # The review's learning on the same themes, not the rest.
    assert "Learning on abuse." in text
    assert "Learning on water." not in text
    assert "Briefings address learning to no one" in text


def test_the_all_agencies_page_shows_only_what_is_addressed_to_everyone(client, addressed):
    text = body(client.get("/for/all-agencies/"))
    assert "Everyone rec." in text
    assert "Police rec." not in text and "Housing rec." not in text


def test_drafts_are_for_staff_only(client, staff_client, db):
    draft = make_review(status=PublicationStatus.DRAFT)
    recommendation = make_recommendation(review=draft, addressed_to="Police", text="Draft police rec.")
    recommendation.agencies.set([_agency("police")])
    assert "Draft police rec." not in body(client.get("/for/police/"))
    assert "Draft police rec." in body(staff_client.get("/for/police/"))
    # Counts are of published content, for everyone.
    assert " Police Nothing addressed to it alone yet; and what" in words(staff_client.get("/for/"))


def test_an_action_says_who_the_briefing_says_is_doing_it(client, db):
    review = make_review()
    recommendation = make_recommendation(review=review, addressed_to="HSCB", number="2")
    recommendation.agencies.set([_agency("safeguarding-partnership")])
    action = make_action(recommendation=recommendation, owner="Early Help Board", text="Task and finish group.")
    action.agencies.set([_agency("early-help")])
    text = words(client.get("/for/early-help/"))
    assert "Task and finish group." in text
    assert (
        "Concerns Early help: the knowledge base’s reading of “Early Help Board”, who the briefing says is doing it"
        in text
    )
    assert "In response to Recommendation 2 of its review, for HSCB." in text


def test_an_editors_reading_without_words_says_so(client, db):
    action = make_action(review=make_review(), owner="", text="Unowned action.")
    action.agencies.set([_agency("police")])
    text = body(client.get("/for/police/"))
    assert "marked so by the knowledge base’s editors; the briefing does not say who is doing it" in text


def test_the_index_lists_professions_with_counts(client, addressed):
    text = body(client.get("/for/"))
    assert "Police" in text and "Schools and education" in text
    assert "Police 1 recommendation addressed to it; and what is addressed to all agencies." in words(
        client.get("/for/")
    )
    assert "Addressed to all agencies" in text


@pytest.mark.parametrize("address", ["/for/no-such-profession/", "/for/no-such-profession/print/"])
def test_an_unknown_profession_is_not_found(client, db, address):
    assert client.get(address).status_code == 404


@pytest.mark.parametrize("page", ["abc", "-1", "99999", "1" * 40])
def test_any_page_number_answers(client, addressed, page):
    assert client.get(f"/for/police/?page={page}").status_code == 200


def test_the_print_version_shows_every_review_at_once(client, db):
    for number in range(12):
        recommendation = make_recommendation(review=make_review(title=f"Review number {number}"), addressed_to="Police")
        recommendation.agencies.set([_agency("police")])
    paged = body(client.get("/for/police/"))
    printed = client.get("/for/police/print/")
    assert len(set(re.findall(r"Review number \d+", paged))) == 10
    assert len(set(re.findall(r"Review number \d+", body(printed)))) == 12
    assert b'<meta name="robots" content="noindex">' in printed.content


def _queries(client, address):
    with CaptureQueriesContext(connection) as context:
        response = client.get(address)
    assert response.status_code == 200
    return len(context.captured_queries)


def _add_reviews(count, theme):
    for _ in range(count):
        review = make_review()
        recommendation = make_recommendation(review=review, addressed_to="Police", themes=[theme])
        recommendation.agencies.set([_agency("police")])
        everyone = make_recommendation(review=review, addressed_to="All", themes=[theme])
        everyone.agencies.set([_agency("all-agencies")])
        make_action(recommendation=recommendation, owner="Police")
        make_action(review=review, owner="Police").agencies.set([_agency("police")])
        make_learning_point(review=review, themes=[theme])


# +1 on an agency's pages: the recommendations each listed recommendation repeats or replaces, or is
# repeated or replaced by (one query however many).
@pytest.mark.parametrize(("address", "budget"), [("/for/", 1), ("/for/police/", 21), ("/for/police/print/", 21)])
def test_the_pages_run_a_fixed_number_of_queries(client, db, address, budget):
    theme = make_theme()
    _add_reviews(2, theme)
    client.get(address)  # warm per-process caches
    before = _queries(client, address)
    _add_reviews(8, theme)
    after = _queries(client, address)
    assert before == after
    assert after <= budget


def test_writes_make_cached_pages_out_of_date(db, django_capture_on_commit_callbacks):
    from reviews.caching import content_version

    recommendation = make_recommendation(review=make_review(), addressed_to="Police")
    before = content_version()
    with django_capture_on_commit_callbacks(execute=True):
        recommendation.agencies.set([_agency("police")])
    assert content_version() != before


def test_the_admin_offers_the_agencies_as_checkboxes(editor_client, addressed):
    recommendation = Recommendation.objects.get(text="Police rec.")
    response = editor_client.get(f"/admin/reviews/recommendation/{recommendation.pk}/change/")
    assert response.status_code == 200
    assert b'type="checkbox" name="agencies"' in response.content
    assert response.content.count(b'name="agencies"') == Agency.objects.count()


def test_the_reading_is_kept_in_history(editor_client, addressed):
    recommendation = Recommendation.objects.get(text="Police rec.")
    recommendation.agencies.set([_agency("police")])
    record = recommendation.history.latest()
    assert [row.agency_id for row in record.agencies.all()] == [_agency("police").pk]


def test_load_kb_check_names_agencies_in_its_report(db):
    call_command("load_kb", verbosity=0)
    assert Agency.objects.get(slug="police").recommendations.filter(ref="child-one-rec-06").exists()


# -- API, sitemap, navigation, the review index's filter ------------------------------------------


def test_api_records_carry_the_reading_beside_the_briefings_words(client, addressed):
    records = client.get("/api/v1/recommendations/").json()["results"]
    police = next(record for record in records if record["text"] == "Police rec.")
    assert police["addressed_to"] == "Police and Health"
    assert police["agencies"] == [{"slug": "police", "name": "Police"}, {"slug": "health", "name": "Health"}]
    assert police["agencies_are_editorial"] is True
    csv = client.get("/api/v1/recommendations.csv")
    content = b"".join(csv.streaming_content) if csv.streaming else csv.content
    assert b"police; health" in content


def test_api_filters_by_agency(client, addressed):
    records = client.get("/api/v1/recommendations/?agency=police").json()["results"]
    assert [record["text"] for record in records] == ["Police rec."]
    everyone = client.get("/api/v1/recommendations/?agency=all-agencies").json()["results"]
    assert [record["text"] for record in everyone] == ["Everyone rec."]
    assert client.get("/api/v1/actions/?agency=police").status_code == 200


def test_api_refuses_an_unknown_agency_clearly(client, db):
    response = client.get("/api/v1/recommendations/?agency=polis")
    assert response.status_code == 400
    assert "There is no agency 'polis'. The agencies are listed at /api/v1/agencies/." in response.content.decode()


def test_api_lists_the_agencies_with_counts(client, addressed, django_assert_num_queries):
    with django_assert_num_queries(2):
        data = client.get("/api/v1/agencies/").json()
    police = next(record for record in data["results"] if record["slug"] == "police")
    assert police["counts"] == {"recommendations": 1, "actions": 0}
    assert police["url"] == "http://testserver/for/police/"
    assert police["description_is_editorial"] is True
    assert client.get(police["api_url"]).json()["slug"] == "police"


def test_the_sitemap_lists_each_profession(client, db):
    text = body(client.get("/sitemap-professions.xml"))
    for slug in AGENCY_SLUGS:
        assert f"/for/{slug}/</loc>" in text
    assert "/for/</loc>" in body(client.get("/sitemap-pages.xml"))


def test_the_navigation_leads_to_the_profession_pages(client, db):
    # The header marks the section a profession's page belongs to; on the list itself, the page.
    assert '<a class="govuk-service-navigation__link" href="/for/" aria-current="true">' in body(
        client.get("/for/police/")
    )
    assert '<a class="govuk-service-navigation__link" href="/for/" aria-current="page">' in body(client.get("/for/"))


def test_the_review_index_filters_by_the_agency_addressed(client, addressed):
    other = make_review(title="Review Beta")
    make_recommendation(review=other, addressed_to="Housing").agencies.set([_agency("housing")])
    text = body(client.get("/reviews/?agency=police"))
    assert "Review Alpha" in text and "Review Beta" not in text
    assert "Addressed to:</span> Police" in text
    # Only agencies that some review addresses are offered.
    options = body(client.get("/reviews/"))
    assert '<option value="police">Police</option>' in options
    assert '<option value="probation-and-youth-justice">' not in options
    # An agency no review addresses is ignored, with a message, not an error.
    ignored = client.get("/reviews/?agency=probation-and-youth-justice")
    assert ignored.status_code == 200
    assert "so that filter was ignored" in body(ignored)

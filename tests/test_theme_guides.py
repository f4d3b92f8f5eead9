"""Themes' guides: the editors' overview and practice points at the top of a theme's page.

Every sentence and point cites the entries it rests on: in the fixtures (a
claim citing nothing, or a ref that is no entry of the theme, fails here and
stops ``load_kb``), in the service and in the admin. The public sees a
published guide, and only the claims whose entries are all public.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import CommandError
from django.urls import reverse

from reviews.kept.pending import flush as kept_flush
from reviews.models import (
    Action,
    GuideClaim,
    LearningPoint,
    PublicationStatus,
    Recommendation,
    ThemeFigures,
    ThemeGuide,
)
from reviews.services.guides import guide_claim_save
from reviews.services.merging import theme_merge

from .support.admin import admin_form_data
from .support.factories import make_learning_point, make_public_theme, make_review, make_theme, make_user
from .support.kb import copy_fixtures, dump_database, edit_json, load_fixtures

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
GUIDES_FILE = FIXTURES / "theme_guides.json"
NO_CITATION = "Cite at least one learning point, recommendation or action"


def guides_fixture() -> dict:
    return json.loads(GUIDES_FILE.read_text(encoding="utf-8"))


def fixture_entries() -> dict[str, dict]:
    """Every learning point, recommendation and action in the source fixtures, by ref, with its kind."""
    entries: dict[str, dict] = {}
    for path in sorted((FIXTURES / "sources").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for point in data.get("learning_points", []):
            entries[point["ref"]] = {**point, "kind_of_entry": "learning point"}
        for review in data.get("reviews", []):
            for point in review.get("learning_points", []):
                entries[point["ref"]] = {**point, "kind_of_entry": "learning point"}
            for recommendation in review.get("recommendations", []):
                entries[recommendation["ref"]] = {**recommendation, "kind_of_entry": "recommendation"}
                for action in recommendation.get("actions", []):
                    entries[action["ref"]] = {**action, "kind_of_entry": "action"}
            for action in review.get("actions", []):
                entries[action["ref"]] = {**action, "kind_of_entry": "action"}
    return entries


# ---------------------------------------------------------------------------
# The fixtures: every claim cites entries that exist, of its own theme
# ---------------------------------------------------------------------------


def test_every_sentence_and_point_in_the_fixtures_cites_entries_of_its_theme_that_exist():
    entries = fixture_entries()
    claims = [(guide["theme"], claim) for guide in guides_fixture()["guides"] for claim in guide["claims"]]
    assert claims
    for theme, claim in claims:
        assert claim["cites"], f"{claim['ref']} cites nothing"
        assert len(set(claim["cites"])) == len(claim["cites"]), claim["ref"]
        for ref in claim["cites"]:
            assert ref in entries, f"{claim['ref']} cites '{ref}', which is no learning point, recommendation or action"
            assert theme in entries[ref]["themes"], f"{claim['ref']} cites '{ref}', not filed under '{theme}'"


def test_each_guide_has_a_short_overview_and_three_to_five_points_of_each_kind():
    for guide in guides_fixture()["guides"]:
        kinds = Counter(claim["kind"] for claim in guide["claims"])
        assert 1 <= kinds["overview"] <= 3, guide["theme"]
        assert 3 <= kinds["finding"] <= 5, guide["theme"]
        assert 3 <= kinds["practice"] <= 5, guide["theme"]
        assert set(kinds) == {"overview", "finding", "practice"}, guide["theme"]


# Numbers and years stated in a claim: each must be in an entry it cites (no figure of our own).
_FIGURE = re.compile(r"\d+")


def test_no_sentence_states_a_figure_its_entries_do_not():
    entries = fixture_entries()
    for guide in guides_fixture()["guides"]:
        for claim in guide["claims"]:
            cited = " ".join(entries[ref]["text"] for ref in claim["cites"])
            for figure in _FIGURE.findall(claim["text"]):
                assert figure in cited, f"{claim['ref']}: '{figure}' is not in the entries it cites"


@pytest.mark.usefixtures("loaded_kb_module", "db")
class TestLoadedGuides:
    def test_the_five_themes_with_the_most_learning_have_guides(self):
        kept_flush()  # as committing the load would: the kept counts are written before anything reads them
        figures = ThemeFigures.objects.select_related("theme").order_by("-learning", "theme__slug")
        top_five = {figure.theme.slug for figure in figures[:5]}
        # A tie at the fifth place would make "the five" ambiguous: there is none.
        assert figures[4].learning > figures[5].learning
        assert set(ThemeGuide.objects.values_list("theme__slug", flat=True)) == top_five
        assert {guide["theme"] for guide in guides_fixture()["guides"]} == top_five

    def test_every_loaded_claim_cites_published_entries_of_its_theme(self):
        claims = GuideClaim.objects.select_related("guide__theme")
        assert claims.count() == sum(len(guide["claims"]) for guide in guides_fixture()["guides"])
        for claim in claims:
            cited = [*claim.learning_points.all(), *claim.recommendations.all(), *claim.actions.all()]
            assert cited, claim.ref
            expected = next(c for g in guides_fixture()["guides"] for c in g["claims"] if c["ref"] == claim.ref)
            assert sorted(entry.ref for entry in cited) == sorted(expected["cites"])
            for entry in cited:
                assert claim.guide.theme in entry.themes.all(), (claim.ref, entry.ref)
                assert type(entry).objects.published().filter(pk=entry.pk).exists(), (claim.ref, entry.ref)
            assert claim.guide.status == PublicationStatus.PUBLISHED

    def test_the_theme_page_leads_with_the_guide_each_sentence_linking_to_its_entries(self, client):
        guide = next(g for g in guides_fixture()["guides"] if g["theme"] == "neglect")
        response = client.get(reverse("reviews:theme-detail", kwargs={"slug": "neglect"}))
        html = response.content.decode()
        assert "Written by the knowledge base’s editors" in html
        assert html.index('id="kb-guide"') < html.index('id="by-review"')
        entries = {
            entry.ref: entry
            for model in (LearningPoint, Recommendation, Action)
            for entry in model.objects.filter(ref__in=[ref for claim in guide["claims"] for ref in claim["cites"]])
        }
        for claim in guide["claims"]:
            text = claim["text"].replace("'", "&#x27;")
            assert text in html, claim["ref"]
            # The sentence is followed by its citations: a link to each entry it rests on.
            after = html[html.index(text) + len(text) :].split("</li>")[0].split("</p>")[0]
            for ref in claim["cites"]:
                assert f'href="{entries[ref].get_absolute_url()}"' in after, (claim["ref"], ref)

    def test_a_theme_with_no_guide_shows_none(self, client):
        html = client.get(reverse("reviews:theme-detail", kwargs={"slug": "safe-sleeping"})).content.decode()
        assert "kb-guide" not in html

    def test_loading_twice_changes_nothing(self):
        out = load_fixtures(FIXTURES)
        assert out.startswith("No changes:")
        assert "5 theme guides" in out


# ---------------------------------------------------------------------------
# load_kb refuses a broken guides file, naming the file and the object
# ---------------------------------------------------------------------------


def _first_claim(data):
    return data["guides"][0]["claims"][0]


def no_citation(data):
    _first_claim(data)["cites"] = []


def unknown_ref(data):
    _first_claim(data)["cites"] = ["salford-lp-99"]


def cites_a_case_fact(data):
    _first_claim(data)["cites"] = ["child-m-fact-01"]


def cites_another_themes_entry(data):
    _first_claim(data)["cites"] = ["s-and-d-lp-10"]  # neglect's key fact, under information sharing's guide


def missing_cites(data):
    del _first_claim(data)["cites"]


def unknown_kind(data):
    _first_claim(data)["kind"] = "advice"


def unknown_theme(data):
    data["guides"][0]["theme"] = "info-sharing"


@pytest.mark.usefixtures("loaded_kb_module", "db")
@pytest.mark.parametrize(
    "break_fixture, expected",
    [
        (no_citation, "guide claim 'guide-information-sharing-overview-1': cites no entry"),
        (unknown_ref, "guide claim 'guide-information-sharing-overview-1': cites unknown entry 'salford-lp-99'"),
        (cites_a_case_fact, "cites 'child-m-fact-01', which is a case fact"),
        (cites_another_themes_entry, "cites 's-and-d-lp-10', which is not filed under the guide's theme"),
        (missing_cites, "guide claim 'guide-information-sharing-overview-1': missing key 'cites'"),
        (unknown_kind, "unknown kind 'advice'"),
        (unknown_theme, "theme guide 'info-sharing': unknown theme 'info-sharing'"),
    ],
    ids=lambda value: getattr(value, "__name__", ""),
)
def test_a_broken_guides_file_names_the_fault_and_changes_nothing(tmp_path, break_fixture, expected):
    if break_fixture is cites_a_case_fact:
        assert any(ref == "child-m-fact-01" for ref in _case_fact_refs())
    fixtures_dir = copy_fixtures(tmp_path)
    edit_json(fixtures_dir / "theme_guides.json", break_fixture)
    before = dump_database()
    with pytest.raises(CommandError) as raised:
        load_fixtures(fixtures_dir)
    message = str(raised.value)
    assert "nothing was loaded" in message
    assert "theme_guides.json" in message
    assert expected in message
    assert dump_database() == before


def _case_fact_refs():
    for path in (FIXTURES / "sources").glob("*.json"):
        for review in json.loads(path.read_text(encoding="utf-8")).get("reviews", []):
            yield from (fact["ref"] for fact in review.get("case_facts", []))


@pytest.mark.usefixtures("loaded_kb_module", "db")
def test_a_changed_claim_is_updated_and_an_editors_change_is_kept(tmp_path, editor):
    fixtures_dir = copy_fixtures(tmp_path)
    edit_json(fixtures_dir / "theme_guides.json", lambda data: _first_claim(data).update(text="Test new wording."))
    out = load_fixtures(fixtures_dir)
    assert "Updated: 1 guide sentence or point." in out
    claim = GuideClaim.objects.get(ref="guide-information-sharing-overview-1")
    assert claim.text == "Test new wording."

    claim.text = "Test an editor's wording."
    claim._history_user = editor
    claim.save()
    edit_json(fixtures_dir / "theme_guides.json", lambda data: _first_claim(data).update(text="Test other wording."))
    out = load_fixtures(fixtures_dir)
    assert "guide claim 'guide-information-sharing-overview-1'" in out and "last changed by test-editor" in out
    claim.refresh_from_db()
    assert claim.text == "Test an editor's wording."


# ---------------------------------------------------------------------------
# The service and the admin: no claim without a citation
# ---------------------------------------------------------------------------


@pytest.fixture
def guide(db):
    theme = make_public_theme(slug="test-guided-theme", name="Test guided theme")
    return ThemeGuide.objects.create(theme=theme, status=PublicationStatus.PUBLISHED)


def test_the_service_refuses_a_claim_with_no_citation_and_saves_nothing(guide):
    with pytest.raises(ValidationError, match=NO_CITATION):
        guide_claim_save(claim=GuideClaim(guide=guide, kind="finding", text="Test finding."))
    assert not GuideClaim.objects.filter(guide__theme__slug="test-guided-theme").exists()


def test_the_service_saves_a_claim_with_its_citations_as_one_history_entry(guide, editor):
    point = guide.theme.learning_points.first()
    claim = guide_claim_save(
        claim=GuideClaim(guide=guide, kind="finding", text="Test finding."), learning_points=[point], user=editor
    )
    assert list(claim.learning_points.all()) == [point]
    record = claim.history.latest()
    assert record.history_user == editor
    assert [row.learningpoint_id for row in record.learning_points.all()] == [point.pk]


def _post_guide(client, guide, claims):
    url = reverse("admin:reviews_themeguide_change", args=[guide.pk])
    data = admin_form_data(client, url)
    data["claims-TOTAL_FORMS"] = len(claims)
    for index, claim in enumerate(claims):
        data.update({f"claims-{index}-{name}": value for name, value in claim.items()})
    return client.post(url, data)


def test_the_admin_refuses_a_sentence_that_cites_nothing(editor_client, guide):
    response = _post_guide(editor_client, guide, [{"kind": "finding", "text": "Test finding.", "position": 1}])
    assert response.status_code == 200
    assert NO_CITATION in response.content.decode()
    assert not GuideClaim.objects.filter(guide__theme__slug="test-guided-theme").exists()


def test_an_editor_writes_a_sentence_with_its_citations_and_it_has_history(editor_client, guide):
    point = guide.theme.learning_points.first()
    response = _post_guide(
        editor_client,
        guide,
        [{"kind": "practice", "text": "Test practice point.", "position": 1, "learning_points": [point.pk]}],
    )
    assert response.status_code == 302
    claim = guide.claims.get()
    assert list(claim.learning_points.all()) == [point]
    assert claim.history.filter(history_user=editor_client.user).exists()
    guide.refresh_from_db()
    assert guide.written_by == editor_client.user
    assert guide.history.filter(history_user=editor_client.user).exists()


def test_trainers_read_guides_but_do_not_change_them(client, guide):
    client.force_login(make_user("test-trainer", groups=["Trainer"]))
    assert client.get(reverse("admin:reviews_themeguide_change", args=[guide.pk])).status_code == 200
    assert client.get(reverse("admin:reviews_themeguide_add")).status_code == 403


# ---------------------------------------------------------------------------
# What the public sees: published guides, claims whose entries are all public
# ---------------------------------------------------------------------------


def _claim(guide, text, *points, kind="finding"):
    claim = GuideClaim.objects.create(guide=guide, kind=kind, text=text)
    claim.learning_points.set(points)
    return claim


def test_a_claim_citing_a_draft_entry_is_never_shown_to_the_public(client, staff_client, guide):
    public_point = guide.theme.learning_points.first()
    draft_review = make_review(slug="test-draft-review", status=PublicationStatus.DRAFT)
    draft_point = make_learning_point(review=draft_review, themes=[guide.theme], text="Test zorblaxian draft.")
    _claim(guide, "Test public sentence.", public_point)
    _claim(guide, "Test sentence resting on a zorblaxian draft.", public_point, draft_point)
    url = guide.theme.get_absolute_url()

    public = client.get(url).content.decode()
    assert "Test public sentence." in public
    assert "zorblaxian" not in public and draft_review.slug not in public
    assert public_point.get_absolute_url() in public

    staff = staff_client.get(url).content.decode()
    assert "Test sentence resting on a zorblaxian draft." in staff
    assert draft_point.get_absolute_url() in staff


def test_a_draft_guide_is_shown_to_staff_only(client, staff_client, guide):
    guide.status = PublicationStatus.DRAFT
    guide.save()
    _claim(guide, "Test flimbergast sentence.", guide.theme.learning_points.first())
    url = guide.theme.get_absolute_url()
    assert "flimbergast" not in client.get(url).content.decode()
    staff = staff_client.get(url).content.decode()
    assert "Test flimbergast sentence." in staff and "Draft guide" in staff


def test_an_entry_cited_twice_keeps_its_number(client, guide):
    first = guide.theme.learning_points.first()
    second = make_learning_point(review=first.review, themes=[guide.theme], text="Test second point.")
    _claim(guide, "Test overview.", first, kind="overview")
    _claim(guide, "Test finding.", second, first)
    html = client.get(guide.theme.get_absolute_url()).content.decode()
    assert html.count(f'href="{first.get_absolute_url()}">[1<') == 2
    assert f'href="{second.get_absolute_url()}">[2<' in html


def test_merging_a_theme_keeps_its_guide(guide):
    into = make_theme(slug="test-kept-theme", name="Test kept theme")
    _claim(guide, "Test finding.", guide.theme.learning_points.first())
    theme_merge(themes=[guide.theme], into=into)
    assert ThemeGuide.objects.get(theme=into).claims.get().text == "Test finding."


def test_merging_into_a_theme_with_a_published_guide_appends_a_drafts_sentences_as_a_draft(guide):
    other = make_public_theme(slug="test-merged-theme", name="Test merged theme")
    draft = ThemeGuide.objects.create(theme=other, status=PublicationStatus.DRAFT)
    _claim(guide, "Test kept sentence.", guide.theme.learning_points.first())
    _claim(draft, "Test draft sentence.", other.learning_points.first())
    result = theme_merge(themes=[other], into=guide.theme)
    assert result.moved["guide sentences and points"] == 1
    guide.refresh_from_db()
    assert [claim.text for claim in guide.claims.order_by("position")] == [
        "Test kept sentence.",
        "Test draft sentence.",
    ]
    assert guide.status == PublicationStatus.DRAFT


@pytest.mark.usefixtures("loaded_kb_module", "db")
def test_the_api_gives_a_themes_guide_with_the_entries_each_sentence_rests_on(client):
    theme = ThemeGuide.objects.get(theme__slug="engaging-families").theme
    record = client.get(reverse("reviews:api-theme-detail", kwargs={"pk": theme.pk})).json()
    guide = record["guide"]
    assert guide["is_editorial"] is True and guide["written_by"] == "the knowledge base's editors"
    fixture = next(g for g in guides_fixture()["guides"] if g["theme"] == "engaging-families")
    for kind, key in (("overview", "overview"), ("finding", "findings"), ("practice", "practice")):
        expected = [(c["text"], sorted(c["cites"])) for c in fixture["claims"] if c["kind"] == kind]
        assert [(line["text"], sorted(cite["ref"] for cite in line["cites"])) for line in guide[key]] == expected
    cite = guide["practice"][0]["cites"][0]
    assert cite["kind"] == "learning_point" and cite["url"].startswith("http://testserver/reviews/")
    others = client.get("/api/v1/themes/?page_size=100").json()["results"]
    assert {row["slug"] for row in others if row["guide"]} == set(
        ThemeGuide.objects.values_list("theme__slug", flat=True)
    )


def test_an_entry_recorded_again_as_another_kind_is_cited_in_its_place(guide, editor):
    from reviews.services.kinds import change_kind

    draft_review = make_review(slug="test-draft-review", status=PublicationStatus.DRAFT)
    point = make_learning_point(review=draft_review, themes=[guide.theme], text="Test draft learning.")
    claim = _claim(guide, "Test finding.", point)
    recommendation = change_kind(point, "recommendation", user=editor)
    assert list(claim.recommendations.all()) == [recommendation]
    assert not claim.learning_points.exists()

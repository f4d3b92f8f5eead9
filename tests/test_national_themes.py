"""National themes: the Panel's themes and the crosswalk from local themes, as
loaded from the fixtures; the pages, the theme page's block, the API, the
sitemap, the loader's checks, the admin, merges and the page cache."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import CommandError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews import caching
from reviews.kept.pending import flush as kept_flush
from reviews.models import NationalTheme, PublicationStatus, Theme, ThemeFramework, ThemeNationalLink
from reviews.selectors.national import LEARNING_PER_THEME, LOCAL_THEMES_PER_PAGE
from reviews.services.merging import theme_merge

from .support.factories import make_learning_point, make_partnership, make_review, make_theme
from .support.kb import copy_fixtures, dump_database, edit_json, load_fixtures

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
PANEL = "cspr-panel"


def national_fixture() -> dict:
    return json.loads((FIXTURES / "national_themes.json").read_text(encoding="utf-8"))


def make_framework(**overrides) -> ThemeFramework:
    fields = {"slug": "test-framework", "name": "Test framework", "publisher": "Test publisher"}
    fields.update(overrides)
    return ThemeFramework.objects.create(**fields)


def make_national_theme(framework=None, **overrides) -> NationalTheme:
    fields = {
        "framework": framework or make_framework(),
        "slug": "test-national-theme",
        "name": "Test national theme",
        "report_title": "Test report",
        "report_period": "April 2022 to March 2023",
    }
    fields.update(overrides)
    return NationalTheme.objects.create(**fields)


def link(theme, national, why="Test reason, in the knowledge base's words.") -> ThemeNationalLink:
    return ThemeNationalLink.objects.create(theme=theme, national_theme=national, justification=why)


# The fixtures ---------------------------------------------------------------------------------------


class TestTheFixtures:
    pytestmark = pytest.mark.usefixtures("loaded_kb_module", "db")

    def test_the_panels_themes_are_loaded_as_its_report_words_them(self):
        framework = ThemeFramework.objects.get(slug=PANEL)
        assert framework.publisher == "Child Safeguarding Practice Review Panel"
        names = list(framework.themes.order_by("position").values_list("name", flat=True))
        assert names[:3] == [
            "Giving central consideration to racial, ethnic, and cultural identity and impact on the lived "
            "experience of children and families",
            "The importance of a whole family approach to risk assessment and support",
            "Recognising and responding to the vulnerability of babies",
        ]
        assert "Young carers" in names and "Children not in school" in names
        assert len(names) == 11
        for theme in framework.themes.all():
            assert theme.report_title == "the Child Safeguarding Practice Review Panel’s fourth annual report"
            assert theme.report_period == "April 2022 to March 2023"

    def test_the_seed_themes_are_linked_with_a_reason(self):
        babies = Theme.objects.get(slug="babies-and-young-children")
        assert list(babies.national_themes.values_list("slug", flat=True)) == ["vulnerability-of-babies"]
        assert ThemeNationalLink.objects.count() == len(national_fixture()["links"])
        assert not ThemeNationalLink.objects.filter(justification="").exists()

    def test_every_link_and_every_theme_is_in_the_fixtures_readme(self):
        readme = (FIXTURES / "README.md").read_text(encoding="utf-8")
        rows = [line for line in readme.splitlines() if line.startswith("| `")]
        for item in national_fixture()["links"]:
            assert any(f"`{item['theme']}`" in row and f"`{item['national_theme']}`" in row for row in rows), item
        for theme in national_fixture()["frameworks"][0]["themes"]:
            assert theme["name"] in readme, theme["name"]

    def test_a_second_load_changes_nothing(self):
        out = load_fixtures(FIXTURES)
        assert out.startswith("No changes:")
        assert "1 national theme framework, 11 national themes, 13 national theme links" in out


# The loader's checks -------------------------------------------------------------------------------


def unknown_local_theme(data):
    data["links"][0]["theme"] = "babies-and-toddlers"


def unknown_national_theme(data):
    data["links"][0]["national_theme"] = "babies"


def unknown_framework(data):
    data["links"][0]["framework"] = "the-panel"


def twice_linked(data):
    data["links"].append(dict(data["links"][0]))


def no_reason(data):
    data["links"][0]["justification"] = " "


def duplicate_national_slug(data):
    themes = data["frameworks"][0]["themes"]
    themes[1]["slug"] = themes[0]["slug"]


def missing_report(data):
    del data["frameworks"][0]["themes"][0]["report_title"]


def bad_report_address(data):
    data["frameworks"][0]["themes"][0]["report_url"] = "ftp://example.org/report.pdf"


@pytest.mark.usefixtures("loaded_kb_module", "db")
@pytest.mark.parametrize(
    ("break_fixture", "expected"),
    [
        (
            unknown_local_theme,
            "national_themes.json: national theme link 'babies-and-toddlers → cspr-panel/vulnerability-of-babies': "
            "unknown theme 'babies-and-toddlers'",
        ),
        (unknown_national_theme, "unknown national theme 'babies' in framework 'cspr-panel'"),
        (unknown_framework, "unknown framework 'the-panel'"),
        (twice_linked, "the theme is linked to this national theme twice"),
        (no_reason, "'justification' is empty"),
        (duplicate_national_slug, "national theme 'cspr-panel/racial-ethnic-and-cultural-identity': duplicate slug"),
        (missing_report, "missing key 'report_title'"),
        (bad_report_address, "national theme 'cspr-panel/racial-ethnic-and-cultural-identity': report_url: Enter"),
    ],
    ids=lambda value: getattr(value, "__name__", ""),
)
def test_a_broken_national_themes_file_names_the_fault_and_changes_nothing(tmp_path, break_fixture, expected):
    fixtures_dir = copy_fixtures(tmp_path)
    edit_json(fixtures_dir / "national_themes.json", break_fixture)
    before = dump_database()
    with pytest.raises(CommandError) as raised:
        load_fixtures(fixtures_dir)
    assert expected in str(raised.value)
    assert dump_database() == before


@pytest.mark.usefixtures("loaded_kb_module", "db")
def test_a_changed_reason_is_updated_in_place_with_history(tmp_path):
    fixtures_dir = copy_fixtures(tmp_path)
    first = national_fixture()["links"][0]
    row = ThemeNationalLink.objects.get(theme__slug=first["theme"], national_theme__slug=first["national_theme"])
    versions = row.history.count()
    edit_json(fixtures_dir / "national_themes.json", lambda data: data["links"][0].update(justification="Changed."))
    out = load_fixtures(fixtures_dir)
    assert "Updated: 1 national theme link." in out
    row.refresh_from_db()
    assert row.justification == "Changed."
    assert row.history.count() == versions + 1


@pytest.mark.usefixtures("loaded_kb_module", "db")
def test_a_link_an_editor_changed_is_left_as_they_left_it(tmp_path, editor_client):
    first = national_fixture()["links"][0]
    row = ThemeNationalLink.objects.get(theme__slug=first["theme"], national_theme__slug=first["national_theme"])
    row._history_user = editor_client.user
    row.justification = "An editor's reason."
    row.save()
    fixtures_dir = copy_fixtures(tmp_path)
    edit_json(fixtures_dir / "national_themes.json", lambda data: data["links"][0].update(justification="Other."))
    out = load_fixtures(fixtures_dir)
    row.refresh_from_db()
    assert row.justification == "An editor's reason."
    assert "national theme link" in out and "last changed by test-editor" in out


# The models ----------------------------------------------------------------------------------------


@pytest.mark.django_db
class TestModels:
    def test_a_national_themes_slug_and_name_are_unique_within_its_framework(self):
        national = make_national_theme()
        with pytest.raises(IntegrityError), transaction.atomic():
            make_national_theme(framework=national.framework, name="Another name")
        other = make_framework(slug="other-framework", name="Other framework")
        make_national_theme(framework=other)  # the same slug in another framework is fine

    def test_a_theme_is_linked_to_a_national_theme_once(self):
        theme, national = make_theme(), make_national_theme()
        link(theme, national)
        with pytest.raises(IntegrityError), transaction.atomic():
            link(theme, national, "Again.")

    def test_natural_keys(self):
        theme, national = make_theme(), make_national_theme()
        row = link(theme, national)
        assert national.natural_key() == ("test-framework", "test-national-theme")
        assert NationalTheme.objects.get_by_natural_key("test-framework", "test-national-theme") == national
        assert ThemeNationalLink.objects.get_by_natural_key(theme.slug, *national.natural_key()) == row
        assert ThemeFramework.objects.get_by_natural_key("test-framework") == national.framework

    def test_a_report_address_must_be_a_web_address(self):
        national = make_national_theme()
        national.report_url = "javascript:alert(1)"
        with pytest.raises(ValidationError):
            national.full_clean()
        with pytest.raises(IntegrityError), transaction.atomic():
            NationalTheme.objects.filter(pk=national.pk).update(report_url="ftp://example.org/")

    def test_links_keep_their_history(self):
        row = link(make_theme(), make_national_theme())
        row.justification = "Changed."
        row.save()
        assert [record.justification for record in row.history.order_by("history_date")] == [
            "Test reason, in the knowledge base's words.",
            "Changed.",
        ]

    def test_merging_a_theme_moves_the_national_themes_it_falls_under(self):
        kept, merged = make_theme(name="Kept theme"), make_theme(name="Merged theme")
        first = make_national_theme()
        second = make_national_theme(framework=first.framework, slug="second", name="Second")
        link(kept, first, "Kept's own reason.")
        link(merged, first, "Merged's reason.")
        link(merged, second, "Merged's reason for the second.")
        theme_merge(themes=[merged], into=kept)
        assert dict(kept.national_links.values_list("national_theme__slug", "justification")) == {
            "test-national-theme": "Kept's own reason.",
            "second": "Merged's reason for the second.",
        }


# The pages -----------------------------------------------------------------------------------------


@pytest.fixture
def crosswalk(db):
    """Two local themes under one national theme, with learning from two partnerships' reviews; a third
    theme under it is used only by a draft."""
    north, south = make_partnership(name="Test North Partnership"), make_partnership(name="Test South Partnership")
    babies = make_theme(name="Test babies theme")
    sleep = make_theme(name="Test sleep theme")
    draft_only = make_theme(name="Test draft-only theme")
    north_review = make_review(title="Test north review", partnership=north)
    south_review = make_review(title="Test south review", partnership=south)
    make_learning_point(review=north_review, themes=[babies], text="Test north learning about babies.")
    make_learning_point(review=south_review, themes=[sleep], text="Test south learning about sleep.")
    draft = make_review(title="Test draft review", status=PublicationStatus.DRAFT)
    make_learning_point(review=draft, themes=[draft_only, babies], text="Test draft learning.")
    national = make_national_theme(name="Test vulnerability of babies")
    unlinked = make_national_theme(framework=national.framework, slug="unlinked", name="Test unlinked", position=2)
    link(babies, national, "Test reason: babies.")
    link(sleep, national, "Test reason: sleep.")
    link(draft_only, national, "Test reason: draft.")
    return {"national": national, "unlinked": unlinked, "babies": babies, "sleep": sleep, "draft_only": draft_only}


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_index_lists_frameworks_and_themes_with_counts(client, crosswalk):
    response = client.get(reverse("reviews:national-theme-index"))
    assert response.status_code == 200
    page = text(response)
    assert "Test framework" in page and "Test publisher" in page
    assert f'href="{crosswalk["national"].get_absolute_url()}"' in page
    # The draft-only theme is not counted for the public, nor the draft review.
    assert "2 local themes, found in 2 reviews" in page
    assert "No local theme falls under it yet" in page


def test_a_national_themes_page_lists_local_themes_and_their_learning_across_partnerships(client, crosswalk):
    response = client.get(crosswalk["national"].get_absolute_url())
    assert response.status_code == 200
    page = text(response)
    assert "<h1" in page and "Test vulnerability of babies</h1>" in page
    assert "Named in Test report (April 2022 to March 2023)." in page
    for name in ("Test babies theme", "Test sleep theme"):
        assert name in page
    assert "Why it falls under this national theme</span> Test reason: babies." in page
    assert "Test north learning about babies." in page and "Test south learning about sleep." in page
    assert "Test North Partnership" in page and "Test South Partnership" in page
    # Drafts stay out for the public.
    assert "Test draft-only theme" not in page and "Test draft learning." not in page


def test_staff_also_see_local_themes_only_drafts_use(client, crosswalk, staff):
    client.force_login(staff)
    page = text(client.get(crosswalk["national"].get_absolute_url()))
    assert "Test draft-only theme" in page and "Test draft learning." in page


def test_an_unknown_national_theme_is_not_found(client, crosswalk):
    assert client.get("/national-themes/test-framework/no-such-theme/").status_code == 404
    assert client.get("/national-themes/no-such-framework/test-national-theme/").status_code == 404


def test_a_local_themes_learning_is_bounded_and_links_to_the_rest(client, crosswalk):
    review = make_review(title="Test busy review")
    for number in range(LEARNING_PER_THEME + 3):
        make_learning_point(review=review, themes=[crosswalk["sleep"]], text=f"Test busy point {number}.")
    page = text(client.get(crosswalk["national"].get_absolute_url()))
    shown = set(re.findall(r"Test busy point \d+\.", page))
    # The first few in the briefing's order (made in that order here), and none of the rest.
    assert shown == {f"Test busy point {number}." for number in range(LEARNING_PER_THEME)}
    assert f"The newest {LEARNING_PER_THEME} learning points of {LEARNING_PER_THEME + 4}." in page
    assert f'href="{crosswalk["sleep"].get_absolute_url()}">See all the learning on test sleep theme' in page


def test_local_themes_are_paged(client, crosswalk):
    national = crosswalk["national"]
    for number in range(LOCAL_THEMES_PER_PAGE):
        theme = make_theme(name=f"Test zz theme {number}")
        make_learning_point(review=make_review(), themes=[theme], text=f"Test zz learning {number}.")
        link(theme, national)
    first = text(client.get(national.get_absolute_url()))
    second = text(client.get(national.get_absolute_url() + "?page=2"))
    assert "Page 1 of 2" in first and "Page 2 of 2" in second
    # Every local theme is listed with its reason on each page; the learning is paged.
    assert "Test zz theme 4" in first and "Test zz learning 4." not in first
    assert "Test zz learning 4." in second and "Test north learning about babies." not in second


def test_a_theme_page_names_the_national_themes_it_falls_under(client, crosswalk):
    page = text(client.get(crosswalk["babies"].get_absolute_url()))
    assert 'id="national-themes"' in page
    assert (
        f'<a class="govuk-link" href="{crosswalk["national"].get_absolute_url()}">Test vulnerability of babies</a>'
        in page
    )
    other = make_theme(name="Test theme under nothing")
    make_learning_point(review=make_review(), themes=[other])
    assert 'id="national-themes"' not in text(client.get(other.get_absolute_url()))


def test_the_themes_index_leads_to_the_national_themes(client, crosswalk):
    assert f'href="{reverse("reviews:national-theme-index")}"' in text(client.get(reverse("reviews:theme-index")))


def add_more(crosswalk, n):
    """``n`` more partnerships' reviews with learning under the national theme, on new local themes."""
    for number in range(n):
        theme = make_theme(name=f"Test more theme {number}")
        review = make_review(partnership=make_partnership())
        for _ in range(3):
            make_learning_point(review=review, themes=[theme, crosswalk["babies"]])
        link(theme, crosswalk["national"])
        other = make_national_theme(
            framework=crosswalk["national"].framework, slug=f"more-{number}", name=f"More {number}"
        )
        link(theme, other)


@pytest.mark.parametrize(("page", "queries"), [("index", 2), ("detail", 8)])
def test_the_pages_run_a_fixed_number_of_queries(client, crosswalk, django_assert_num_queries, page, queries):
    """As ``test_queries.py`` measures: the kept figures brought up to date first (as a commit would)."""
    url = reverse("reviews:national-theme-index") if page == "index" else crosswalk["national"].get_absolute_url()
    kept_flush()
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    add_more(crosswalk, 4)
    kept_flush()
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


def test_a_theme_pages_national_themes_take_one_query_however_many(client, crosswalk, django_assert_num_queries):
    url = crosswalk["babies"].get_absolute_url()
    kept_flush()
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for number in range(3):
        framework = crosswalk["national"].framework
        link(crosswalk["babies"], make_national_theme(framework=framework, slug=f"x{number}", name=f"X {number}"))
    with django_assert_num_queries(len(before.captured_queries)):
        page = text(client.get(url))
    assert "X 2</a>" in page


# API and sitemap ----------------------------------------------------------------------------------


def test_the_api_lists_national_themes_with_their_public_local_themes(client, crosswalk):
    data = client.get("/api/v1/national-themes/").json()
    record = next(item for item in data["results"] if item["slug"] == "test-national-theme")
    assert record["name"] == "Test vulnerability of babies"
    assert record["framework"]["publisher"] == "Test publisher"
    assert record["report_title"] == "Test report" and record["report_period"] == "April 2022 to March 2023"
    assert [local["slug"] for local in record["local_themes"]] == sorted(
        [crosswalk["babies"].slug, crosswalk["sleep"].slug]
    )
    assert record["local_themes"][0]["justification_is_editorial"] is True
    detail = client.get(record["api_url"].replace("http://testserver", "")).json()
    assert detail["slug"] == "test-national-theme"
    csv = client.get("/api/v1/national-themes.csv").content.decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("id,slug,name,framework_slug")


def test_theme_records_name_their_national_themes(client, crosswalk):
    data = client.get(f"/api/v1/themes/{crosswalk['babies'].pk}/").json()
    assert data["national_themes"] == [
        {
            "framework": "test-framework",
            "slug": "test-national-theme",
            "name": "Test vulnerability of babies",
            "url": "http://testserver" + crosswalk["national"].get_absolute_url(),
        }
    ]


def test_the_sitemap_lists_the_national_themes(client, crosswalk):
    assert "sitemap-national-themes.xml" in client.get("/sitemap.xml").content.decode()
    listed = client.get("/sitemap-national-themes.xml").content.decode()
    assert crosswalk["national"].get_absolute_url() in listed and crosswalk["unlinked"].get_absolute_url() in listed
    assert "/national-themes/</loc>" in client.get("/sitemap-pages.xml").content.decode()


# The admin and who may use it ----------------------------------------------------------------------


@pytest.mark.django_db
def test_editors_manage_national_themes_and_trainers_read_them():
    editor, trainer = Group.objects.get(name="Editor"), Group.objects.get(name="Trainer")
    for model in ("themeframework", "nationaltheme", "themenationallink"):
        codenames = set(editor.permissions.values_list("codename", flat=True))
        assert {f"{action}_{model}" for action in ("add", "change", "delete", "view")} <= codenames
        trainer_codenames = set(trainer.permissions.values_list("codename", flat=True))
        assert f"view_{model}" in trainer_codenames and f"change_{model}" not in trainer_codenames


def test_an_editor_links_a_theme_to_a_national_theme_on_the_themes_form(editor_client, crosswalk):
    from .support.admin import admin_form_data

    theme = make_theme(name="Test theme to link")
    url = reverse("admin:reviews_theme_change", args=[theme.pk])
    response = editor_client.get(url)
    assert response.status_code == 200
    assert "national themes it falls under" in response.content.decode().lower()
    data = admin_form_data(editor_client, url)
    prefix = "national_links"
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": 1,
            f"{prefix}-0-national_theme": crosswalk["national"].pk,
            f"{prefix}-0-justification": "An editor's reason.",
        }
    )
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context and response.context.get("errors")
    row = ThemeNationalLink.objects.get(theme=theme)
    assert row.justification == "An editor's reason."
    assert row.history.get().history_user == editor_client.user


def test_the_admin_screens_open_for_an_editor(editor_client, crosswalk):
    for url in (
        reverse("admin:reviews_themeframework_changelist"),
        reverse("admin:reviews_themeframework_change", args=[crosswalk["national"].framework.pk]),
        reverse("admin:reviews_nationaltheme_changelist"),
        reverse("admin:reviews_nationaltheme_change", args=[crosswalk["national"].pk]),
        reverse("admin:reviews_themenationallink_changelist"),
        reverse("admin:reviews_nationaltheme_history", args=[crosswalk["national"].pk]),
    ):
        assert editor_client.get(url).status_code == 200, url


# The page cache ------------------------------------------------------------------------------------


@pytest.fixture
def version_file(settings, tmp_path):
    settings.KB_CONTENT_VERSION_FILE = str(tmp_path / "content-version")
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "nat"}}


@pytest.mark.django_db
def test_every_write_to_the_crosswalk_makes_cached_pages_out_of_date(version_file, django_capture_on_commit_callbacks):
    for model in (ThemeFramework, NationalTheme, ThemeNationalLink):
        assert model in set(caching.content_models())
    made = {}
    with django_capture_on_commit_callbacks(execute=True):
        theme = make_theme()
    steps = [
        lambda: made.update(framework=make_framework(slug="test-cache-framework")),
        lambda: made.update(national=make_national_theme(framework=made["framework"])),
        lambda: made.update(link=link(theme, made["national"])),
        lambda: made["link"].delete(),
    ]
    for step in steps:
        before = caching.content_version()
        with django_capture_on_commit_callbacks(execute=True):
            step()
        assert caching.content_version() != before

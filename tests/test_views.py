"""The practitioner pages as a browser receives them: status, content, links, anchors."""

import datetime
import re
from collections import Counter

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from reviews.models import Action, CaseFact, Collection, LearningPoint, PublicationStatus, Resource, ThemeAlias
from reviews.views.errors import server_error

from .support.factories import (
    make_action,
    make_learning_point,
    make_partnership,
    make_public_theme,
    make_recommendation,
    make_review,
    make_source,
    make_theme,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def content():
    """A small published knowledge base, a draft review, and a repeated paragraph."""
    partnership = make_partnership(name="Test Safeguarding Partnership Alpha")
    theme = make_theme(name="Test information sharing", summary="Test description written by the knowledge base.")
    ThemeAlias.objects.create(theme=theme, name="Test Communication heading")
    other_theme = make_theme(name="Test escalation")
    source = make_source(
        title="Test briefing Alpha",
        partnership=partnership,
        original_text="Test heading\n\nTest learning about sharing.\n\nTest recommendation to all.",
    )
    earlier = make_review(title="Test review Earlier", partnership=partnership, published_on=datetime.date(2016, 1, 1))
    review = make_review(
        title="Test review Later",
        partnership=partnership,
        children="Test Child Z",
        published_on=datetime.date(2019, 9, 1),
        published_precision="month",
        summary="Test summary in the knowledge base's words.",
    )
    review.sources.add(source)
    review.tags.add("test-alcohol")
    CaseFact.objects.create(review=review, source=source, text="Test case fact as stated.")
    original = make_learning_point(review=earlier, source=source, themes=[theme], text="Test repeated paragraph.")
    point = make_learning_point(
        review=review, source=source, themes=[theme, other_theme], text="Test learning about sharing."
    )
    repeat = make_learning_point(
        review=review, source=source, themes=[theme], text="Test repeated paragraph.", repeats=original
    )
    good = make_learning_point(
        review=review, source=source, themes=[theme], kind=LearningPoint.Kind.GOOD_PRACTICE, text="Test good practice."
    )
    recommendation = make_recommendation(
        review=review,
        source=source,
        number="1",
        addressed_to="All",
        themes=[other_theme],
        text="Test recommendation to all.",
    )
    action = make_action(
        recommendation=recommendation,
        source=source,
        owner="Test board",
        status=Action.Status.IN_PROGRESS,
        target_date_as_stated="later this year",
        text="Test action in response.",
    )
    draft = make_review(title="Test review Draft", status=PublicationStatus.DRAFT, partnership=partnership)
    make_learning_point(
        review=draft, source=make_source(status=PublicationStatus.DRAFT), themes=[theme], text="Test draft learning."
    )
    return {
        "partnership": partnership,
        "theme": theme,
        "other_theme": other_theme,
        "source": source,
        "earlier": earlier,
        "review": review,
        "original": original,
        "point": point,
        "repeat": repeat,
        "good": good,
        "recommendation": recommendation,
        "action": action,
        "draft": draft,
    }


def page_urls(content):
    return {
        "home": reverse("reviews:home"),
        "theme index": reverse("reviews:theme-index"),
        "theme": content["theme"].get_absolute_url(),
        "review index": reverse("reviews:review-index"),
        "review": content["review"].get_absolute_url(),
        "source index": reverse("reviews:source-index"),
        "source": content["source"].get_absolute_url(),
        "partnership index": reverse("reviews:partnership-index"),
        "partnership": content["partnership"].get_absolute_url(),
        "tag index": reverse("reviews:tag-index"),
        "tag": reverse("reviews:tag-detail", args=["test-alcohol"]),
        "themes over time": reverse("reviews:themes-over-time"),
    }


def html_ids(html: str) -> list[str]:
    return re.findall(r'\sid="([^"]+)"', html)


# ---------------------------------------------------------------------------
# Every page
# ---------------------------------------------------------------------------


def test_every_page_has_the_search_box_skip_link_and_no_duplicate_ids(client, content):
    for name, url in page_urls(content).items():
        response = client.get(url)
        assert response.status_code == 200, name
        html = response.content.decode()
        assert f'action="{reverse("reviews:search")}"' in html and 'name="q"' in html, name
        assert 'href="#main-content"' in html and 'id="main-content"' in html, name
        duplicates = [key for key, count in Counter(html_ids(html)).items() if count > 1]
        assert not duplicates, f"{name}: duplicate ids {duplicates}"
        assert "Test draft learning" not in html and "Test review Draft" not in html, name


def test_every_page_but_home_has_breadcrumbs(client, content):
    for name, url in page_urls(content).items():
        html = client.get(url).content.decode()
        assert ('aria-label="Breadcrumb"' in html) == (name != "home"), name


# ---------------------------------------------------------------------------
# Home
# ---------------------------------------------------------------------------


def test_home_explains_the_site_and_counts_each_theme(client, content):
    html = client.get("/").content.decode()
    assert "<h1" in html and "Learning from case reviews" in html
    assert 'id="kb-home-search"' in html
    # The repeat is counted once (good practice is learning too); the draft not at all.
    assert "3 learning points from 2 reviews, 2016–2019" in html
    assert "1 learning point and 1 recommendation from 1 review, 2019" in html
    assert (
        "This knowledge base holds 3 learning points from 2 published reviews by 1 safeguarding partnership or "
        "board, published or commissioned from 2016 to 2019." in html
    )


def test_home_grid_is_a_table_with_headers_and_a_list_for_narrow_screens(client, content):
    html = client.get("/").content.decode()
    assert '<caption class="govuk-table__caption' in html
    assert '<th scope="row"' in html and '<th scope="col"' in html
    theme, review = content["theme"], content["review"]
    # A cell leads to the review's entries on the theme: the review page grouped by theme.
    assert f'href="{review.get_absolute_url()}?view=themes#theme-{theme.slug}"' in html
    assert "kb-recurrence--list" in html and "Found in 2 of 2 single reviews" in html


def test_home_grid_and_its_phone_list_each_have_their_own_introduction(client, content):
    html = client.get("/").content.decode()
    table = html[html.index('class="kb-recurrence kb-recurrence--table"') : html.index("<table")]
    listed = html[html.index('class="kb-recurrence kb-recurrence--list"') : html.index('id="recent-reviews"')]
    assert "Each row is a theme and each column a review" in table
    assert "These themes were found in more than one single review" in listed
    assert "row" not in listed.split("</p>")[0] and "column" not in listed.split("</p>")[0]
    # Nothing about the layout outside the two layouts, one of which is hidden.
    between = html[html.index('id="recurring-themes"') : html.index('class="kb-recurrence kb-recurrence--table"')]
    assert "column" not in between


def _grid_table(html: str) -> str:
    return html[html.index('class="kb-recurrence kb-recurrence--table"') : html.index("</table>")]


def test_home_grid_column_headings_give_each_review_its_year_and_partnership(client, content):
    table = _grid_table(client.get("/").content.decode())
    heading = re.search(r'<th scope="col" class="[^"]*kb-recurrence__review[^"]*">(.*?)</th>', table, re.S).group(1)
    # The most recent review first: its short name (the child), its year and its partnership, in full.
    assert ">Test Child Z</a>" in heading
    assert '<span class="kb-recurrence__year">2019</span>' in heading
    assert '<span class="kb-recurrence__partnership">Test Safeguarding Partnership Alpha</span>' in heading


def test_home_grid_counts_thematic_reviews_apart(client, content):
    thematic = make_review(
        title="Test thematic briefing",
        review_type="thematic",
        partnership=content["partnership"],
        published_on=datetime.date(2023, 1, 1),
    )
    make_learning_point(review=thematic, themes=[content["theme"]], text="Test thematic learning.")
    html = client.get("/").content.decode()
    table = _grid_table(html)
    headings = re.findall(r'<th scope="col" class="([^"]*kb-recurrence__review[^"]*)"><a[^>]*>([^<]+)</a>', table)
    # The newest review is thematic, yet it comes after the single reviews, in a group of its own.
    assert [name for _class, name in headings] == ["Test Child Z", "Test review Earlier", "Test thematic briefing"]
    assert "kb-recurrence__review--thematic" in headings[2][0] and "thematic" not in headings[0][0]
    assert '<th scope="colgroup" colspan="2"' in table and "Thematic reviews (several cases)" in table
    # The theme's row: found in 2 single reviews and, counted apart, 1 thematic review.
    row = table[table.index(f'<a class="govuk-link" href="{content["theme"].get_absolute_url()}">') :]
    row = row[: row.index("</tr>")]
    assert re.findall(r'govuk-table__cell--numeric">(\d+)</td>', row) == ["2", "1"]
    listed = html[html.index('class="kb-recurrence kb-recurrence--list"') : html.index('id="recent-reviews"')]
    assert "Found in 2 of 2 single reviews" in listed and "Also in 1 thematic review (several cases)" in listed


def test_home_grid_says_what_its_cells_count_and_how_that_differs_from_the_theme_counts(client, content):
    table = _grid_table(client.get("/").content.decode())
    assert "(case facts, learning points, recommendations and actions)" in table
    assert "the theme counts above count distinct learning only" in table
    # The later review has a case fact (not on a theme), two learning points and a repeat on the theme: 3.
    theme, review = content["theme"], content["review"]
    link = f'href="{review.get_absolute_url()}?view=themes#theme-{theme.slug}">3<span'
    assert link in table


def test_home_grid_links_to_themes_over_time(client, content):
    html = client.get("/").content.decode()
    assert html.count(f'href="{reverse("reviews:themes-over-time")}"') == 2  # from the table and from the phone list


# ---------------------------------------------------------------------------
# What the site holds (issue 15, item 2)
# ---------------------------------------------------------------------------


def test_theme_pages_say_how_many_reviews_from_how_many_partnerships_and_which_years(client, content):
    make_review(
        title="Test undated review", partnership=make_partnership(), published_on=None, published_precision="unknown"
    )
    make_review(title="Test thematic review", review_type="thematic", published_on=datetime.date(2023, 1, 1))
    html = client.get(content["theme"].get_absolute_url()).content.decode()
    assert (
        "This knowledge base holds 4 published reviews (one of them a thematic review, looking across several "
        "cases) by 2 safeguarding partnerships or boards, published or commissioned from 2016 to 2023 "
        "(1 gives no date)." in html
    )
    assert "Test draft" not in html


def test_what_the_site_holds_is_said_in_one_year_when_there_is_one(client):
    theme = make_theme(name="Test single year")
    make_learning_point(review=make_review(published_on=datetime.date(2018, 1, 1)), themes=[theme])
    html = client.get(theme.get_absolute_url()).content.decode()
    assert "This knowledge base holds 1 published review, published or commissioned in 2018." in html


# ---------------------------------------------------------------------------
# Themes over time (issue 15, item 6)
# ---------------------------------------------------------------------------


def test_themes_over_time_draws_an_accessible_chart_with_a_table_of_the_same_figures(client, content):
    make_learning_point(
        review=make_review(published_on=None, published_precision="unknown"),
        themes=[content["theme"]],
        text="Test undated.",
    )
    thematic = make_review(title="Test thematic", review_type="thematic", published_on=datetime.date(2023, 1, 1))
    make_learning_point(review=thematic, themes=[content["theme"]], text="Test thematic learning.")
    html = client.get(reverse("reviews:themes-over-time")).content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'role="img"' in svg and 'aria-labelledby="kb-chart-title kb-chart-desc"' in svg
    assert '<title id="kb-chart-title">' in svg and '<desc id="kb-chart-desc">' in svg
    assert "from 2016 to 2019" in svg  # thematic reviews are not in the chart, so its years end at 2019
    # Every count is written, never shown by colour alone: one bar each in 2016 and 2019 on the theme,
    # and one in 2019 on the other theme.
    assert re.findall(r'<text class="kb-chart__count"[^>]*>(\d+)</text>', svg) == ["1", "1", "1"]
    # Years 2016 to 2019 with the gap years drawn, above and below.
    assert re.findall(r'<text class="kb-chart__year"[^>]*>(\d+)</text>', svg) == [
        year for year in ["2016", "2017", "2018", "2019"] for _ in range(2)
    ]
    # It scrolls inside a labelled region that a keyboard can reach.
    assert 'role="region" aria-labelledby="chart-heading" tabindex="0"' in html
    table = html[html.index("<table") : html.index("</table>")]
    assert '<caption class="govuk-table__caption govuk-table__caption--m" id="kb-over-time-caption">' in table
    headers = re.findall(r'<th scope="col"[^>]*>([^<]+)</th>', table)
    assert headers == ["Theme", "2016", "2017", "2018", "2019", "No date", "All single reviews", "Thematic reviews"]
    row = table[table.index(f'href="{content["theme"].get_absolute_url()}"') :]
    row = row[: row.index("</tr>")]
    assert re.findall(r">(\d+)<", row) == ["1", "0", "0", "1", "1", "3", "1"]
    assert "Test draft" not in html


def test_themes_over_time_is_linked_from_the_theme_index_and_in_the_sitemap(client, content):
    url = reverse("reviews:themes-over-time")
    assert url == "/themes/over-time/"
    assert f'href="{url}"' in client.get(reverse("reviews:theme-index")).content.decode()
    sitemap = client.get("/sitemap-pages.xml")
    assert sitemap.status_code == 200 and f"{url}</loc>" in sitemap.content.decode()


def test_themes_over_time_without_content_says_so(client):
    html = client.get(reverse("reviews:themes-over-time")).content.decode()
    assert "No published review has been linked to a theme yet." in html and "<svg" not in html


# ---------------------------------------------------------------------------
# Review list (issue 15, item 3)
# ---------------------------------------------------------------------------


def test_review_cards_show_each_summary_as_stored_with_the_knowledge_base_label_said_once(client, content):
    quoted = make_review(
        title="Test quoted review",
        summary="Test words *quoted* from the briefing.",
        summary_source=content["source"],
        published_on=datetime.date(2018, 1, 1),
    )
    make_review(
        title="Test second editorial", summary="Test second description.", published_on=datetime.date(2017, 1, 1)
    )
    html = client.get(reverse("reviews:review-index")).content.decode()
    cards = html[html.index('<ul class="kb-cards"') :]
    # The knowledge base's own words are marked on each card (for a screen reader) and labelled once above.
    assert html.count('<span class="kb-label">Knowledge base description</span>') == 1
    assert html.index('<span class="kb-label">Knowledge base description</span>') < html.index('<ul class="kb-cards"')
    assert cards.count("Knowledge base description: </span>") == 2
    assert "Test summary in the knowledge base" in cards and "Test second description." in cards
    # The briefing's words, exactly (its Markdown rendered), not marked as the knowledge base's.
    quoted_card = cards[cards.index(quoted.title) :]
    quoted_card = quoted_card[: quoted_card.index("</li>")]
    assert "Summary from the briefing: </span><p>Test words <em>quoted</em> from the briefing.</p>" in quoted_card
    assert "kb-editorial" not in quoted_card


def test_review_cards_without_knowledge_base_descriptions_do_not_show_the_label(client):
    make_review(title="Test quoted only", summary="Test quoted.", summary_source=make_source())
    html = client.get(reverse("reviews:review-index")).content.decode()
    assert "Knowledge base description" not in html and "Each summary is quoted from the review" in html


def test_review_cards_show_the_three_main_themes_and_how_many_more(client):
    review = make_review(title="Test many themes")
    themes = {name: make_theme(name=f"Test {name}") for name in ("alpha", "bravo", "charlie", "delta", "echo")}
    # Entries per theme: delta 3, bravo 2, echo 2, alpha 1, charlie 1.
    for name, count in (("delta", 3), ("bravo", 2), ("echo", 2), ("alpha", 1), ("charlie", 1)):
        for n in range(count):
            make_learning_point(review=review, themes=[themes[name]], text=f"Test {name} {n}.")
    html = client.get(reverse("reviews:review-index")).content.decode()
    card = html[html.index("Test many themes") :]
    card = card[: card.index("</li>")]
    shown = re.findall(r'class="govuk-link kb-theme-link" href="[^"]+">([^<]+)</a>', card)
    assert shown == ["Test delta", "Test bravo", "Test echo"]  # most entries first; a tie by name
    assert "Main themes:" in card
    assert f'and <a class="govuk-link" href="{review.get_absolute_url()}?view=themes">2 more' in card


# ---------------------------------------------------------------------------
# Theme page
# ---------------------------------------------------------------------------


def test_theme_page_shows_description_aliases_and_reviews_with_dates(client, content):
    html = client.get(content["theme"].get_absolute_url()).content.decode()
    assert "Knowledge base description" in html and "Test description written by the knowledge base." in html
    assert "“Test Communication heading”" in html
    assert "Found in 2 reviews, 2016–2019" in html
    assert html.index("Test review Later") < html.index("Test review Earlier")


def test_a_review_without_a_publication_date_is_dated_by_its_commissioning_everywhere(client, content):
    commissioned = make_review(
        title="Test review Commissioned",
        published_on=None,
        published_precision="unknown",
        commissioned_on=datetime.date(2017, 4, 19),
        commissioned_precision="day",
    )
    make_learning_point(review=commissioned, themes=[content["theme"]], text="Test commissioned learning.")
    pages = {
        "theme": content["theme"].get_absolute_url(),
        "review index": reverse("reviews:review-index"),
        "home": reverse("reviews:home"),
        "related reviews": content["review"].get_absolute_url(),
    }
    for name, url in pages.items():
        html = client.get(url).content.decode()
        # The last mention: its card, block or list entry (the home grid's column gives the year only).
        listed = html[html.rindex(">Test review Commissioned</a>") :]
        assert "commissioned 19 April 2017" in listed[:400], name
    home = client.get("/").content.decode()
    assert '>Test review Commissioned</a> <span class="kb-recurrence__year">commissioned 2017</span>' in home
    assert '>Test Child Z</a> <span class="kb-recurrence__year">2019</span>' in home
    html = client.get(content["theme"].get_absolute_url()).content.decode()
    assert "Found in 3 reviews, 2016–2019" in html
    assert "Serious case review, published September 2019" in html


def test_theme_page_review_index_and_home_agree_on_each_themes_reviews(client, loaded_kb):
    from reviews.models import Theme

    home = client.get("/").content.decode()
    for theme in Theme.objects.all():
        page = client.get(theme.get_absolute_url()).content.decode()
        found = re.search(r"Found in (\d+) reviews?", page)
        count = int(found.group(1)) if found else 0
        index = client.get("/reviews/", {"theme": theme.slug}).content.decode()
        if count:
            assert f"{count} review{'s' if count > 1 else ''} matching" in index, theme.slug
        else:
            assert "so that filter was ignored" in index, theme.slug
        card = home[home.index(f'href="{theme.get_absolute_url()}"') :]
        card = card[: card.index("</li>")]
        assert (f"from {count} review" in card or f"Found in {count} review" in card) if count else True, theme.slug
        row = re.search(
            rf'<th scope="row"[^>]*><a class="govuk-link" href="{re.escape(theme.get_absolute_url())}">.*?</tr>',
            home,
            re.S,
        )
        assert (row is not None) == bool(count), theme.slug
        if row:
            assert row.group(0).count("kb-recurrence__cell--found") == count, theme.slug


def test_every_grid_cell_leads_to_its_theme_on_the_review_page(client, loaded_kb):
    home = client.get("/").content.decode()
    cells = set(re.findall(r'class="kb-recurrence__link" href="([^"#]+)#(theme-[^"]+)"', home))
    assert cells
    for review_url, anchor in cells:
        assert f'id="{anchor}"' in client.get(review_url).content.decode(), (review_url, anchor)


def test_theme_page_lists_a_chosen_related_theme_once(client, loaded_kb):
    from reviews.models import Theme

    theme = Theme.objects.get(slug="safe-sleeping")
    html = client.get(theme.get_absolute_url()).content.decode()
    related = html[html.index('id="kb-related-title"') : html.index("</aside>")]
    chosen = list(theme.related_themes.all())
    assert chosen
    for other in chosen:
        assert related.count(f'href="{other.get_absolute_url()}"') == 1, other.name
    assert ">Babies and very young children</a>" in related
    assert "Fathers and men in the family" in related  # found with it in Child K's recommendation


def test_theme_and_review_pages_give_links_their_full_address_for_print(client, content):
    review_url = content["review"].get_absolute_url()
    html = client.get(content["theme"].get_absolute_url()).content.decode()
    assert f'href="{review_url}" data-kb-print-href="http://testserver{review_url}"' in html
    assert 'class="kb-related kb-no-print"' in html
    html = client.get(review_url).content.decode()
    source_url = content["source"].get_absolute_url()
    assert f'href="{source_url}" data-kb-print-href="http://testserver{source_url}"' in html


def test_theme_page_items_link_to_the_review_anchor_their_permalink_and_their_source(client, content):
    point = content["point"]
    html = client.get(content["theme"].get_absolute_url()).content.decode()
    assert f'id="{point.anchor}"' in html
    assert f'href="{point.get_absolute_url()}"' in html  # read it in the review
    assert f'href="{point.get_permalink()}" data-kb-copy-link' in html
    assert f'href="{content["source"].get_absolute_url()}#from-{point.anchor}"' in html
    assert f'href="{content["other_theme"].get_absolute_url()}"' in html  # cross-link to the other theme


def test_theme_page_shows_a_repeat_briefly_and_counts_it_once(client, content):
    html = client.get(content["theme"].get_absolute_url()).content.decode()
    assert html.count("<p>Test repeated paragraph.</p>") == 1
    assert "published again the paragraph “Test repeated paragraph.”" in html
    assert "It is counted once." in html


def test_staff_see_draft_items_on_the_theme_page_marked_as_drafts(staff_client, content):
    html = staff_client.get(content["theme"].get_absolute_url()).content.decode()
    assert "Test draft learning." in html
    assert "Test review Draft" in html and ">Draft</strong>" in html


def test_unknown_theme_is_a_helpful_404(client):
    response = client.get("/themes/no-such-theme/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert f'href="{reverse("reviews:theme-index")}"' in html and "browse all themes" in html
    assert 'id="kb-404-search"' in html


def main_content(html: str) -> str:
    return html[html.index('id="main-content"') : html.index("</main>")]


def test_a_mistyped_theme_address_suggests_the_theme_and_searches_its_words(client):
    theme = make_public_theme(name="Test safe sleeping", slug="test-safe-sleeping")
    make_public_theme(name="Test neglect")
    response = client.get("/themes/test-safe-sleep/")
    assert response.status_code == 404
    html = response.content.decode()
    main = main_content(html)
    assert "There is no theme at this address." in main
    assert "Themes with a similar name" in main and f'href="{theme.get_absolute_url()}"' in main
    assert "Test neglect" not in main
    assert 'value="test safe sleep"' in main
    assert "still being prepared" not in main  # themes have no drafts
    assert main.count(f'href="{reverse("reviews:theme-index")}"') == 1
    assert 'aria-label="Breadcrumb"' in html
    assert '<li class="govuk-breadcrumbs__list-item" aria-current="page">Page not found' in html


@pytest.mark.parametrize(
    "path, expected, wording",
    [
        ("/reviews/test-review-latr/", "Test review Later", "still being prepared is not shown"),
        ("/sources/test-briefing-alfa/", "Test briefing Alpha", "There is no published source briefing"),
        ("/partnerships/test-safeguarding-partnership-alfa/", "Test Safeguarding Partnership Alpha", "no partnership"),
        ("/tags/test-alcohl/", "test-alcohol", "No published review has this tag."),
    ],
)
def test_a_mistyped_address_suggests_pages_of_its_own_kind(client, content, path, expected, wording):
    content["source"].slug = "test-briefing-alpha"
    content["source"].save()
    content["partnership"].slug = "test-safeguarding-partnership-alpha"
    content["partnership"].save()
    content["review"].slug = "test-review-later"
    content["review"].save()
    response = client.get(path)
    assert response.status_code == 404
    main = main_content(response.content.decode())
    assert wording in main
    suggestions = main[main.index("with a similar name") : main.index("<form")]
    assert f">{expected}</a>" in suggestions
    assert "Test theme" not in suggestions and "Test review Draft" not in suggestions


def test_a_draft_is_never_suggested_to_the_public(client, content):
    main = main_content(client.get("/reviews/test-review-draf/").content.decode())
    assert "Test review Draft" not in main


@pytest.mark.parametrize(
    "path",
    [
        "/themes/%F0%9F%98%80/",
        "/themes/" + "a-" * 3000 + "/",
        "/reviews/%00/",
        "/no/such/page",
        "/tags/%ZZ/",
        "/themes/_-_/",
    ],
)
def test_odd_addresses_are_404s_never_errors(client, content, path):
    assert client.get(path).status_code == 404


def test_the_404_page_still_works_when_suggestions_fail(client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("Test failure")

    monkeypatch.setattr("reviews.views.errors.similar_pages", broken)
    response = client.get("/themes/test-safe-sleep/")
    assert response.status_code == 404
    assert 'value="test safe sleep"' in response.content.decode()


# ---------------------------------------------------------------------------
# Review page
# ---------------------------------------------------------------------------


def test_review_page_by_theme_shows_the_case_the_learning_by_theme_and_good_practice_apart(client, content):
    review, theme = content["review"], content["theme"]
    html = client.get(review.get_absolute_url(), {"view": "themes"}).content.decode()
    assert "Test case fact as stated." in html
    assert f'id="theme-{theme.slug}"' in html and f'id="theme-{content["other_theme"].slug}"' in html
    assert html.index("<p>Test good practice.</p>") > html.index('<h2 class="govuk-heading-l" id="good-practice"')
    assert "September 2019" in html and "Test Child Z" in html
    assert 'href="/tags/test-alcohol/"' in html
    assert f'href="{content["source"].get_absolute_url()}"' in html


def test_a_review_with_no_learning_prints_no_empty_learning_section(client, content):
    review = make_review(title="Test review Recommendations only")
    make_recommendation(review=review, themes=[content["theme"]], text="Test lone recommendation.")
    html = client.get(review.get_absolute_url(), {"view": "themes"}).content.decode()
    assert '<section class="kb-section kb-no-print" aria-labelledby="learning">' in html
    html = client.get(content["review"].get_absolute_url(), {"view": "themes"}).content.decode()
    assert '<section class="kb-section" aria-labelledby="learning">' in html


def test_review_page_labels_its_own_summary_as_the_knowledge_bases(client, content):
    html = client.get(content["review"].get_absolute_url()).content.decode()
    assert "Knowledge base description" in html and "Test summary in the knowledge base" in html


def test_review_page_names_the_briefing_a_quoted_summary_comes_from(client, content):
    review = content["review"]
    review.summary_source = content["source"]
    review.save()
    html = client.get(review.get_absolute_url()).content.decode()
    assert "Summary from" in html and "Knowledge base description" not in html


def test_review_page_shows_recommendations_with_their_actions_owner_and_status(client, content):
    html = client.get(content["review"].get_absolute_url()).content.decode()
    recommendation, action = content["recommendation"], content["action"]
    assert f'id="{recommendation.anchor}"' in html and f'id="{action.anchor}"' in html
    assert html.index("Test recommendation to all.") < html.index("Test action in response.")
    assert "Recommendation 1" in html and "for All" in html
    assert "Owner: Test board" in html and "In progress" in html and "later this year" in html


def test_review_page_recognises_repeats_both_ways(client, content):
    later = client.get(content["review"].get_absolute_url()).content.decode()
    earlier = client.get(content["earlier"].get_absolute_url()).content.decode()
    assert "The same paragraph was published earlier in" in later
    assert f'href="{content["original"].get_absolute_url()}"' in later
    assert "Also published in" in earlier and f'href="{content["repeat"].get_absolute_url()}"' in earlier


def test_review_page_lists_related_reviews_with_the_themes_they_share(client, content):
    html = client.get(content["review"].get_absolute_url()).content.decode()
    assert 'id="related"' in html
    related = html[html.index('id="related"') :]
    assert "Test review Earlier" in related and "Shares 1 theme" in related


def test_draft_review_is_404_for_the_public_and_bannered_for_staff(client, staff_client, content):
    url = content["draft"].get_absolute_url()
    assert client.get(url).status_code == 404
    response = staff_client.get(url)
    assert response.status_code == 200
    assert "Draft – not visible to the public" in response.content.decode()


def test_hostile_content_is_inert_on_the_page(client, content):
    make_learning_point(
        review=content["review"],
        source=content["source"],
        text="Test <script>alert('x')</script> [click](javascript:alert(1)) <img src=x onerror=alert(1)>",
    )
    html = client.get(content["review"].get_absolute_url()).content.decode()
    assert "<script>alert" not in html and "javascript:" not in html and "onerror" not in html


# ---------------------------------------------------------------------------
# Review index
# ---------------------------------------------------------------------------


def test_review_index_filters_by_the_query_string(client, content):
    html = client.get("/reviews/", {"theme": content["other_theme"].slug}).content.decode()
    assert "1 review matching" in html
    assert "Test review Later" in html and "Test review Earlier" not in html
    assert "Clear filters" in html


def test_unknown_filter_values_are_ignored_with_a_visible_message(client, content):
    response = client.get("/reviews/", {"theme": "no-such-theme", "year": "<b>2019</b>", "page": "99"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "No reviews match the theme “no-such-theme”, so that filter was ignored." in html
    assert "“&lt;b&gt;2019&lt;/b&gt;”" in html
    assert "2 reviews" in html


# ---------------------------------------------------------------------------
# Source page
# ---------------------------------------------------------------------------


def test_source_page_shows_the_text_as_received_with_links_to_what_was_drawn_from_it(client, content):
    source, point = content["source"], content["point"]
    Resource.objects.create(source=source, name="Test protocol", details_as_stated="01234 fcpswindon.gov.uk")
    html = client.get(source.get_absolute_url()).content.decode()
    assert 'id="passage-2"' in html
    passage = html[html.index('id="passage-2"') : html.index('id="passage-3"')]
    assert "Test learning about sharing." in passage
    assert f'id="from-{point.anchor}"' in passage and f'href="{point.get_absolute_url()}"' in passage
    assert "01234 fcpswindon.gov.uk" in html and "The briefing gives no working link." in html


def test_source_text_is_shown_as_text_never_as_its_html(client):
    source = make_source(original_text='Row\t<ul style="list-style-type: none"><li>• Test cell</li></ul>')
    html = client.get(source.get_absolute_url()).content.decode()
    assert '&lt;ul style="list-style-type: none"&gt;&lt;li&gt;• Test cell' in html
    assert "<ul style" not in html and "<li>• Test cell" not in html


def test_source_passages_are_rendered_in_the_body_font_with_their_anchors_and_entries(client):
    source = make_source(
        original_text="Test heading\n\nTest first paragraph with **bold words** and the [Test Protocol](#).\n\n"
        "- Test bullet one\n- Test bullet two"
    )
    resource = Resource.objects.create(source=source, name="Test Protocol")
    review = make_review()
    point = make_learning_point(review=review, source=source, text="Test first paragraph with **bold words**")
    html = client.get(source.get_absolute_url()).content.decode()
    passage = html[html.index('id="passage-2"') : html.index('id="passage-3"')]
    assert "<strong>bold words</strong>" in passage and "**" not in passage
    assert "the Test Protocol." in passage and "](#)" not in passage
    assert f'href="#{resource.anchor}"' not in passage  # a name without an address is text, not a link
    assert f'id="from-{point.anchor}"' in passage and f'href="{point.get_absolute_url()}"' in passage
    assert '<blockquote class="kb-passage__text kb-prose">' in passage
    bullets = html[html.index('id="passage-3"') :]
    assert "<li>Test bullet one</li>" in bullets
    assert "The briefing’s own words" in html and "exactly as the knowledge base received them" in html


def test_source_passages_keep_their_line_breaks_and_emphasis(client):
    source = make_source(original_text="Test row one\tcell\nTest row two\tcell <u>underlined</u>")
    html = client.get(source.get_absolute_url()).content.decode()
    passage = html[html.index('id="passage-1"') :]
    assert re.search(r"Test row one\s+cell<br>\s*Test row two", passage) and "<u>underlined</u>" in passage


def test_hostile_source_text_is_inert(client):
    source = make_source(
        original_text="Test <script>alert('x')</script> [click](javascript:alert(1)) <img src=x onerror=alert(1)>"
    )
    html = main_content(client.get(source.get_absolute_url()).content.decode())
    assert "<script" not in html and "<img" not in html and 'href="javascript:' not in html


def test_draft_source_is_404_for_the_public(client):
    assert client.get(make_source(status=PublicationStatus.DRAFT).get_absolute_url()).status_code == 404


# ---------------------------------------------------------------------------
# Collections, partnerships, tags
# ---------------------------------------------------------------------------


def test_collection_page_lists_its_reviews(client):
    newsletter = make_source(title="Test newsletter")
    collection = Collection.objects.create(slug="test-newsletter", title="Test newsletter", source=newsletter)
    for child in ("One", "Two", "Three"):
        make_review(title=f"Test Child {child}", collection=collection)
    html = client.get(collection.get_absolute_url()).content.decode()
    assert "3 reviews" in html
    assert all(f"Test Child {child}" in html for child in ("One", "Two", "Three"))
    assert f'href="{newsletter.get_absolute_url()}"' in html


def test_partnership_page_lists_its_reviews_and_briefings(client, content):
    html = client.get(content["partnership"].get_absolute_url()).content.decode()
    assert "Test review Later" in html and "Test briefing Alpha" in html and "Test review Draft" not in html


def test_tag_page_lists_the_reviews_tagged(client, content):
    html = client.get("/tags/test-alcohol/").content.decode()
    assert "1 review tagged “test-alcohol”" in html and "Test review Later" in html
    assert client.get("/tags/no-such-tag/").status_code == 404


# ---------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------


def test_404_is_a_normal_404_with_a_way_on(client):
    response = client.get("/reviews/no-such-review/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html and "browse all reviews" in html


def test_500_page_renders_without_a_request_context():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


@pytest.mark.parametrize("path", ["/no-such-page/", "/themes/no-such-theme/", "/reviews/no-such-review/print/"])
def test_local_development_shows_the_sites_own_404_not_djangos(db, settings, path):
    # `make run` sets DJANGO_DEBUG=1; a newcomer trying a wrong address there
    # meets the page visitors meet, not Django's technical 404.

    settings.DEBUG = True
    response = Client().get(path)
    assert response.status_code == 404
    content = response.content.decode()
    assert "Search the learning instead" in content
    assert "Using the URLconf" not in content and "technical" not in content.lower()


def _links(html: str, container_class: str) -> list[str]:
    block = re.search(rf'class="[^"]*{container_class}[^"]*".*?</(?:nav|ul)>', html, re.S).group(0)
    return re.findall(r'<a class="[^"]*" href="([^"]+)"', block)


def test_the_header_and_footer_list_the_same_sections_and_tags_are_not_one(client, content):
    html = client.get(reverse("reviews:home")).content.decode()
    header = _links(html, "govuk-service-navigation__list")
    footer = _links(html, "kb-footer__links")
    assert header == footer[: len(header)]
    assert footer[len(header) :] == [reverse("reviews:search"), reverse("reviews:glossary")]
    assert reverse("reviews:tag-index") not in header + footer
    assert reverse("reviews:coursepack-index") in header
    # The tag pages' addresses keep working for whoever linked to them.
    assert client.get(reverse("reviews:tag-index")).status_code == 200


def test_an_actions_status_says_which_briefing_reported_it_and_when(client, content):
    source, action = content["source"], content["action"]
    html = client.get(content["review"].get_absolute_url()).content.decode()
    link = f'<a class="govuk-link" href="{source.get_absolute_url()}">Test briefing Alpha</a>'
    assert f"as reported in {link} (the briefing is not dated)" in html
    # An undated report is not judged old.
    assert "Reported more than a year ago" not in html

    source.published_on, source.published_precision = datetime.date(2019, 9, 1), "month"
    source.save()
    # The action's theme is "Test escalation" (through its recommendation's theme on the theme page).
    for url in (content["review"].get_absolute_url(), content["other_theme"].get_absolute_url()):
        html = client.get(url).content.decode()
        assert "Test action in response." in html, url
        assert "Test briefing Alpha</a>, September 2019" in html, url
        assert "Reported more than a year ago: the work may have moved on since." in html, url

    action.status = Action.Status.NOT_STATED
    action.save()
    html = client.get(content["review"].get_absolute_url()).content.decode()
    assert "Status not stated" in html and "Reported more than a year ago" not in html


@pytest.mark.parametrize(
    ("published_on", "precision", "today", "old"),
    [
        (datetime.date(2025, 12, 1), "month", datetime.date(2026, 12, 4), False),  # may be 31 December 2025
        (datetime.date(2025, 11, 1), "month", datetime.date(2026, 12, 4), True),
        (datetime.date(2025, 1, 1), "year", datetime.date(2026, 12, 4), False),  # may be 31 December 2025
        (datetime.date(2024, 1, 1), "year", datetime.date(2026, 12, 4), True),
        (datetime.date(2025, 12, 3), "day", datetime.date(2026, 12, 4), True),
        (datetime.date(2025, 12, 4), "day", datetime.date(2026, 12, 4), False),
        (datetime.date(2023, 2, 27), "day", datetime.date(2024, 2, 29), True),
        (None, "unknown", datetime.date(2026, 12, 4), False),
    ],
)
def test_a_report_is_more_than_a_year_old_only_when_its_latest_possible_day_is(published_on, precision, today, old):
    source = make_source(published_on=published_on, published_precision=precision)
    assert source.is_more_than_a_year_old(today) is old


def test_the_glossary_explains_every_abbreviation_the_seed_briefings_use(client):
    from pathlib import Path

    from django.conf import settings

    from reviews.glossary import terms

    response = client.get(reverse("reviews:glossary"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "the knowledge base’s own words, not the boards’" in html
    listed = {term.term for term in terms()}
    briefings = " ".join(
        path.read_text() for path in (Path(settings.BASE_DIR) / "fixtures" / "briefings").glob("*.txt")
    )
    # Capitalised abbreviations (plurals folded: "SCRs", "LSCBs", "GPs") and section numbers such as "s17".
    words = set(re.findall(r"\b([A-Z]{2,6})s?\b|\b(s\d{2})\b", briefings))
    used = {upper or section for upper, section in words}
    shouting = {"NOT", "NEW", "MUST", "ALL", "IT", "HM"}  # capitals for emphasis, or a word the text spells out
    assert used - shouting - listed == set()
    for term in terms():
        assert f'id="{term.anchor}"' in html
        if term.expansion:
            assert f'<abbr title="{term.expansion}">{term.term}</abbr>' in html


def test_the_theme_index_says_once_that_descriptions_are_the_knowledge_bases_words(client, content):
    make_public_theme(name="Test second described theme", summary="Test second description.")
    html = client.get(reverse("reviews:theme-index")).content.decode()
    assert html.count('<span class="kb-label">Knowledge base description</span>') == 1
    # Each description still says so to a screen reader, which may land on it alone.
    assert html.count('<span class="govuk-visually-hidden">Knowledge base description: </span>') >= 2


def test_pages_speak_plainly_not_in_the_sites_own_jargon(client, content):
    resource = Resource.objects.create(source=content["source"], name="Test Protocol for plain words")
    content["point"].resources.add(resource)
    review = client.get(content["review"].get_absolute_url()).content.decode()
    assert "Further information the briefing points to:" in review and "The briefing names:" not in review
    source = client.get(content["source"].get_absolute_url()).content.decode()
    assert ">Paragraph 1</a>" in source and ">Passage 1<" not in source


@pytest.mark.parametrize(("count", "band"), [(0, 0), (1, 1), (2, 2), (3, 2), (4, 3), (40, 3)])
def test_grid_cells_are_shaded_by_count(count, band):
    from reviews.templatetags.kb import count_band

    assert count_band(count) == band


def test_the_recurring_themes_grid_has_a_legend_for_its_shades(client, content):
    html = client.get(reverse("reviews:home")).content.decode()
    legend = html[html.index('aria-label="What the shades mean"') :]
    legend = legend[: legend.index("</ul>")]
    assert re.findall(r"</span>([^<]+)</li>", legend) == ["1 entry", "2 or 3 entries", "4 or more entries"]
    assert "kb-recurrence__cell--band-" in html


def test_home_and_theme_pages_say_the_national_picture_is_wider(client, content):
    for url in (reverse("reviews:home"), content["theme"].get_absolute_url()):
        html = client.get(url).content.decode()
        assert "These are only the reviews this knowledge base holds." in html, url
        assert 'href="https://learning.nspcc.org.uk/case-reviews/national-case-review-repository"' in html, url

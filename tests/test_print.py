"""Printable 7-minute briefings of reviews and themes (issue 7).

The page count in Chromium is checked in tests/browser/test_reuse.py; these
tests check what is printed and in which order, on synthetic data.
"""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reviews.briefings.selectors import review_briefing, theme_briefing
from reviews.models import Action, CaseFact, PublicationStatus, ReflectionQuestion, Resource

from .support.factories import (
    make_action,
    make_learning_point,
    make_partnership,
    make_recommendation,
    make_review,
    make_section,
    make_source,
    make_theme,
)

pytestmark = pytest.mark.django_db


def _print_url(obj):
    name = "reviews:theme-print" if hasattr(obj, "name") else "reviews:review-print"
    return reverse(name, kwargs={"slug": obj.slug})


def _page(client, obj):
    response = client.get(_print_url(obj))
    assert response.status_code == 200
    return response.content.decode()


def _in_order(page, texts):
    """Each text is found after the one before it (a heading may be printed in more than one part)."""
    position = 0
    for text in texts:
        found = page.find(text, position)
        assert found >= 0, f"{text!r} not found after position {position}"
        position = found + len(text)


def test_review_briefing_prints_seven_parts_in_order_under_the_briefings_headings(client):
    partnership = make_partnership(name="Test Safeguarding Partnership 900")
    source = make_source(title="Test briefing for printing", partnership=partnership)
    review = make_review(title="Test review to print", partnership=partnership)
    review.sources.add(source)

    def section(heading, role, position):
        return make_section(source=source, heading=heading, role=role, position=position)

    background, case = section("Test About this review", "background", 1), section("Test The family", "case", 3)
    learning, well = section("Test What we learnt", "learning", 5), section("Test Strengths", "good_practice", 9)
    recs = section("Test Recommendations", "recommendations", 11)
    further = section("Test Contacts", "further_information", 16)
    entry = {"review": review, "source": source}
    CaseFact.objects.create(**entry, section=background, kind="review", text="Test fact about the review.", position=2)
    CaseFact.objects.create(**entry, section=case, text="Test fact about the family.", position=4)
    make_learning_point(**entry, section=learning, text="Test learning point to print.", position=6)
    make_learning_point(**entry, section=learning, kind="key_fact", text="Test research cited.", position=7)
    make_action(**entry, section=learning, kind_note="Test note.", text="Test action within learning.", position=8)
    make_learning_point(**entry, section=well, kind="good_practice", text="Test good practice to print.", position=10)
    recommendation = make_recommendation(
        **entry, section=recs, number="1", addressed_to="Test agency", text="Test recommendation to print.", position=12
    )
    make_action(
        recommendation=recommendation,
        section=recs,
        text="Test action to print.",
        status=Action.Status.IN_PROGRESS,
        position=13,
    )
    make_recommendation(
        **entry,
        section=recs,
        number="2",
        text="Test recommendation to act and to tell.",
        position=14,
    )
    partly = make_recommendation(
        **entry,
        section=recs,
        number="3",
        text="Test recommendation to train and to publicise.",
        position=15,
        unanswered_parts="to publicise",
    )
    make_action(recommendation=partly, section=recs, text="Test training action.", position=15)
    Resource.objects.create(
        source=source,
        section=further,
        name="Test helpline",
        passage="Test helpline: call it.",
        details_as_stated="0100 000000",
        position=17,
    )

    page = _page(client, review)
    _in_order(
        page,
        [
            "7-minute briefing",
            "Test review to print",
            "The seven numbered headings are this site’s",
            "1</span> Background",
            "Test About this review",
            "Test fact about the review.",
            "2</span> The case",
            "Test The family",
            "Test fact about the family.",
            "3</span> What the review found",
            "Test What we learnt",
            "Test learning point to print.",
            "4</span> Why it matters",
            "Test What we learnt",
            "Test research cited.",
            "5</span> What went well",
            "Test Strengths",
            "Test good practice to print.",
            "6</span> What to do",
            "Test What we learnt",
            "Action · status not stated",
            "Test action within learning.",
            "Test Recommendations",
            "Recommendation 1 · for Test agency",
            "Test recommendation to print.",
            "Action · In progress",
            "Test action to print.",
            "Recommendation 2",
            "Test recommendation to act and to tell.",
            "No response to this recommendation in this briefing.",
            "Recommendation 3",
            "Test training action.",
            "No response in this briefing to these parts (the site’s reading):",
            "“to publicise”",
            "7</span> Questions and further information",
            "Questions for your briefing session",
            "Test Contacts",
            "Test helpline: call it.",
            "0100 000000",
            "Source briefings",
            "Test briefing for printing",
            "Last updated",
        ],
    )
    # Each entry is printed once, in its part.
    for text in ("Test research cited.", "Test action within learning.", "Test helpline: call it."):
        assert page.count(text) == 1
    assert f"http://testserver{review.get_permalink()}" in page
    # A print-specific base: no site header or navigation.
    assert 'class="govuk-generic-header' not in page
    assert "reuse/briefing.css" in page


def test_a_review_briefing_leaves_out_the_parts_it_has_nothing_for(client):
    """A board's response has no learning: its briefing has no part for it, and does not say there is none yet."""
    source = make_source()
    review = make_review()
    review.sources.add(source)
    recs = make_section(source=source, heading="Test recommendations made", role="recommendations", position=1)
    make_recommendation(review=review, source=source, section=recs, text="Test recommendation only.", position=2)
    page = _page(client, review)
    assert "6</span> What to do" in page and "7</span> Questions and further information" in page
    for missing in ("1</span>", "2</span>", "3</span>", "4</span>", "5</span>"):
        assert missing not in page
    assert "No learning points" not in page
    briefing = review_briefing(slug=review.slug, user=None)
    assert [part.number for part in briefing.printed_parts] == [6, 7]


def test_an_entry_is_printed_in_the_part_of_its_sections_role_or_else_of_its_kind(client):
    source = make_source()
    review = make_review()
    review.sources.add(source)
    background = make_section(source=source, heading="Test the reviews", role="background", position=1)
    learning = make_section(source=source, heading="Test learning", role="learning", position=3)
    good = make_learning_point(
        review=review, source=source, section=background, kind="good_practice", kind_note="Test note.", position=2
    )
    signpost = Resource.objects.create(
        source=source,
        section=learning,
        name="Test course",
        passage="Book onto Test course",
        kind_note="Test note.",
        position=4,
    )
    unplaced = make_learning_point(review=review, source=source, text="Test learning with no section.", position=5)
    fact = CaseFact.objects.create(review=review, source=source, section=background, text="Test fact.", position=6)
    briefing = review_briefing(slug=review.slug, user=None)
    parts = {part.key: part.entries for part in briefing.parts}
    assert parts["went_well"] == [good]
    assert parts["further"] == [signpost]
    assert parts["found"] == [unplaced]
    assert parts["background"] == [fact]


def test_reflection_questions_are_labelled_as_the_knowledge_bases_own(client):
    review = make_review()
    page = _page(client, review)
    general = list(ReflectionQuestion.objects.general().values_list("text", flat=True))
    assert general, "migration 0005 adds default questions"
    for text in general:
        assert text.replace("'", "&#x27;") in page
    assert "they are not from the briefings" in page


def test_staff_configure_questions_per_theme_and_switch_them_off(client):
    theme = make_theme()
    other = make_theme()
    make_learning_point(review=make_review(), themes=[theme])
    own = ReflectionQuestion.objects.create(text="Test question for this theme?", theme=theme)
    ReflectionQuestion.objects.create(text="Test question for another theme?", theme=other)
    first_general = ReflectionQuestion.objects.general().first()
    first_general.is_active = False
    first_general.save()

    page = _page(client, theme)
    assert own.text in page
    assert "Test question for another theme?" not in page
    assert first_general.text.replace("'", "&#x27;") not in page
    questions = theme_briefing(slug=theme.slug).questions
    assert questions[0] == own, "a theme's own questions come before the general ones"
    # A review's briefing prints the general questions only.
    assert own.text not in _page(client, make_review())


def test_theme_briefing_prints_only_published_learning_grouped_by_review(client):
    theme = make_theme(name="Test theme to print")
    older = make_review(title="Test older review", published_on=datetime.date(2018, 1, 1))
    newer = make_review(title="Test newer review", published_on=datetime.date(2022, 1, 1))
    draft = make_review(title="Test draft review", status=PublicationStatus.DRAFT)
    make_learning_point(review=older, themes=[theme], text="Test older learning.")
    make_learning_point(review=newer, themes=[theme], text="Test newer learning.")
    make_learning_point(review=draft, themes=[theme], text="Test draft learning.")
    make_learning_point(review=newer, text="Test learning on no theme.")

    page = _page(client, theme)
    assert "Test draft" not in page
    assert "Test learning on no theme." not in page
    assert page.index("Test newer review") < page.index("Test newer learning.") < page.index("Test older review")
    assert "Learning from 2 reviews" in page


def test_theme_briefing_prints_a_repeated_paragraph_once(client):
    theme = make_theme()
    first = make_learning_point(review=make_review(), themes=[theme], text="Test paragraph published twice.")
    later_source = make_source(title="Test later briefing")
    make_learning_point(
        review=make_review(), source=later_source, themes=[theme], text="Test paragraph published twice.", repeats=first
    )
    page = _page(client, theme)
    assert page.count("Test paragraph published twice.") == 1
    assert "Also published in Test later briefing" in page


def _entries(briefing):
    """Every entry of a briefing, printed in full or not, in the order it is weighed."""
    entries = list(briefing.learning_points)
    for recommendation in briefing.recommendations:
        entries.append(recommendation)
        entries.extend(recommendation.actions.all())
    return entries + list(briefing.actions)


def _printed(briefing):
    printed = list(briefing.printed_learning_points)
    for group in briefing.groups:
        for recommendation in group.printed_recommendations:
            printed.append(recommendation)
            printed.extend(recommendation.actions.all())
        printed.extend(group.printed_actions)
    return printed


def _long_theme(points=24, words=120):
    theme = make_theme(name="Test theme with much learning")
    for n in range(points // 4):
        review = make_review(title=f"Test review {n} with learning on the theme")
        for m in range(4):
            text = f"Test point {n}-{m} " + "about sharing concerns " * (words // 3)
            make_learning_point(review=review, themes=[theme], text=text)
    return theme


def test_a_briefing_that_fits_is_printed_whole(client):
    review = make_review()
    texts = [f"Test learning point {n} " + "with a long sentence " * 10 for n in range(4)]
    for text in texts:
        make_learning_point(review=review, text=text)
    briefing = review_briefing(slug=review.slug, user=None)
    assert _printed(briefing) == _entries(briefing)
    assert (briefing.more_learning, briefing.more_recommendations, briefing.unlisted_count) == ([], [], 0)
    page = _page(client, review)
    for text in texts:
        assert text.strip() in page
    assert "each online at its permanent link" not in page
    assert "kb-briefing--long" not in page


def test_a_long_briefing_is_printed_denser_before_anything_is_referenced(client):
    review = make_review()
    for n in range(20):
        make_learning_point(review=review, text=f"Test learning point {n} " + "with a long sentence " * 18)
    briefing = review_briefing(slug=review.slug, user=None)
    assert briefing.is_long
    assert _printed(briefing) == _entries(briefing)
    assert 'kb-briefing--long"' in _page(client, review)


def test_what_does_not_fit_two_pages_is_referenced_by_permanent_link_key_learning_first(client):
    theme = _long_theme()
    recommendation = make_recommendation(
        review=make_review(), themes=[theme], text="Test recommendation with no room to print it in full on two pages."
    )
    action = make_action(
        recommendation=recommendation, text="Test action with no room to print it in full either, on two pages."
    )
    briefing = theme_briefing(slug=theme.slug)
    entries, printed = _entries(briefing), _printed(briefing)
    assert briefing.is_long
    assert 0 < len(printed) < len(entries)
    # The key learning comes first: what is printed is the start of the learning, in order.
    assert printed == entries[: len(printed)]
    referenced = briefing.more_learning + briefing.more_recommendations
    not_printed = entries[len(printed) :]
    assert [reference.permalink for reference in referenced] == [entry.get_permalink() for entry in not_printed]
    assert briefing.unlisted_count == 0

    page = _page(client, theme)
    for entry in entries[len(printed) :]:
        assert f'href="http://testserver{entry.get_permalink()}"' in page
        assert entry.text not in page
    for entry in printed:
        assert entry.text.strip() in page
    assert f"And {len(briefing.more_learning)} more, each online at its permanent link" in page
    assert f'href="http://testserver{recommendation.get_permalink()}"' in page
    assert f'href="http://testserver{action.get_permalink()}"' in page
    assert "Test recommendation with no room to print it in full on two pages." not in page
    assert "“Test recommendation with no room to print it in full…”" in page
    # The references keep the order of the page: learning first, then recommendations and actions.
    assert page.index("Key learning") < page.index(f'{briefing.more_learning[0].permalink}"')
    assert page.index("Recommendations and actions") < page.index(f'{recommendation.get_permalink()}"')


def test_a_reference_names_the_entry_its_review_and_its_opening_words(client):
    theme = _long_theme()
    briefing = theme_briefing(slug=theme.slug)
    reference = briefing.more_learning[-1]
    point = briefing.learning_points[-1]
    assert reference.label == "Learning point"
    assert reference.where == point.review.title
    assert reference.opening.startswith(point.text.split()[0])
    assert reference.opening.endswith("…")
    assert len(reference.opening.split()) == 10


def test_too_many_entries_to_list_says_how_many_more_and_where_they_are(client):
    theme = _long_theme(points=240, words=30)
    briefing = theme_briefing(slug=theme.slug)
    entries, printed = _entries(briefing), _printed(briefing)
    referenced = briefing.more_learning + briefing.more_recommendations
    assert printed and referenced and briefing.unlisted_count
    # Nothing is left out without a trace: each entry is printed, referenced or counted.
    assert len(printed) + len(referenced) + briefing.unlisted_count == len(entries)
    page = _page(client, theme)
    assert (
        f"And {briefing.unlisted_count} more entries with no room to list here: all of them are online at "
        f'<a href="http://testserver{theme.get_absolute_url()}">'
    ) in page


def test_drafts_are_never_referenced_either(client):
    theme = _long_theme()
    draft = make_review(title="Test draft review", status=PublicationStatus.DRAFT)
    hidden = make_learning_point(review=draft, themes=[theme], text="Test draft learning.")
    page = _page(client, theme)
    assert "Test draft" not in page
    assert hidden.get_permalink() not in page


def test_draft_review_is_printable_by_staff_only_and_marked(client):
    review = make_review(status=PublicationStatus.DRAFT)
    assert client.get(_print_url(review)).status_code == 404
    staff = Client()
    staff.force_login(get_user_model().objects.create_user("test-staff", is_staff=True))
    page = staff.get(_print_url(review)).content.decode()
    assert "Draft – not published." in page


def test_unknown_slugs_are_404(client):
    assert client.get("/reviews/test-no-such-review/print/").status_code == 404
    assert client.get("/themes/test-no-such-theme/print/").status_code == 404


def test_last_updated_follows_an_edit_to_an_entry():
    review = make_review()
    point = make_learning_point(review=review)
    later = timezone.now() + datetime.timedelta(days=3)
    type(point).objects.filter(pk=point.pk).update(updated_at=later)
    assert review_briefing(slug=review.slug, user=None).last_updated == later


def test_review_print_query_count_is_fixed(client, django_assert_num_queries):
    review = make_review()
    source = make_source()
    review.sources.add(source)
    for _ in range(3):
        recommendation = make_recommendation(review=review, source=source)
        make_action(recommendation=recommendation)
        make_learning_point(review=review, source=source)
    # review, learning points, recommendations (+ their actions), other actions,
    # case facts, sources, resources given as passages, reflection questions
    with django_assert_num_queries(9):
        response = client.get(_print_url(review))
    assert response.status_code == 200
    assert response.content.decode().count("Test learning point.") == 3


def test_theme_print_query_count_is_fixed(client, django_assert_num_queries):
    theme = make_theme()

    def grow(count):
        for _ in range(count):
            # Each briefing's publisher is printed under "Source briefings".
            source = make_source(partnership=make_partnership())
            review = make_review()
            recommendation = make_recommendation(review=review, source=source, themes=[theme])
            make_action(recommendation=recommendation, source=make_source(partnership=make_partnership()))
            make_learning_point(review=review, source=make_source(partnership=make_partnership()), themes=[theme])

    grow(3)
    # theme, learning points, recommendations (+ their actions), actions, questions
    with django_assert_num_queries(6):
        assert client.get(_print_url(theme)).status_code == 200
    grow(30)  # now too much for two pages: what is cut costs no query either
    assert theme_briefing(slug=theme.slug).referenced_count
    with django_assert_num_queries(6):
        assert client.get(_print_url(theme)).status_code == 200


def test_a_review_dated_only_by_its_commissioning_says_so_wherever_it_is_printed(client):
    """Child K's response gives no publication date, only the day its review was agreed."""
    review = make_review(
        published_on=None,
        published_precision="unknown",
        commissioned_on=datetime.date(2017, 4, 19),
        commissioned_precision="day",
    )
    make_learning_point(review=review, themes=[theme := make_theme()])
    assert "Commissioned 19 April 2017" in _page(client, review)
    assert "commissioned 19 April 2017" in _page(client, theme)


def test_the_layout_estimate_measures_the_lines_the_page_prints_under_a_title(client):
    """The header's board, date and child, and a theme briefing's review headings, are one
    string each that both the page and the layout estimate use, so they cannot disagree."""
    review = make_review(
        partnership=None,
        children="Child K",
        published_on=None,
        published_precision="unknown",
        commissioned_on=datetime.date(2017, 4, 19),
        commissioned_precision="day",
    )
    make_learning_point(review=review, themes=[theme := make_theme()])
    briefing = review_briefing(slug=review.slug, user=None)
    assert briefing.review_meta == "Publishing board not named in the briefing · Commissioned 19 April 2017 · Child K"
    assert briefing.review_meta in _page(client, review)
    (group,) = theme_briefing(slug=theme.slug).groups
    assert group.meta == "commissioned 19 April 2017"
    assert f'{review.title}<span class="kb-briefing__group-meta"> · {group.meta}</span>' in _page(client, theme)

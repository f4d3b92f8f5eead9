"""The loaded knowledge base says what the five briefings say.

The expectations here were written by reading the briefings in
``fixtures/briefings/`` (copies of ``../shared/briefings/``), not by reading
the fixtures.
"""

import datetime

import pytest

from reviews.coverage import NormalisedSource
from reviews.markdown import strip_markdown
from reviews.models import (
    Action,
    CaseFact,
    Collection,
    LearningPoint,
    Partnership,
    Recommendation,
    Resource,
    Review,
    Source,
    Theme,
    ThemeAlias,
)

pytestmark = pytest.mark.usefixtures("loaded_kb_module", "db")

ITEM_MODELS = [CaseFact, LearningPoint, Recommendation, Action]
THEMED_MODELS = [LearningPoint, Recommendation, Action]


# ---------------------------------------------------------------------------
# Faithful: every entry keeps the briefing's wording
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("model", ITEM_MODELS, ids=lambda m: m.__name__)
def test_every_entry_is_found_word_for_word_in_its_briefing(model):
    items = list(model.objects.select_related("source"))
    assert items
    briefings = {}
    for item in items:
        source = briefings.setdefault(item.source_id, NormalisedSource.from_text(item.source.original_text))
        assert strip_markdown(item.text) in source.text, f"{model.__name__} {item.ref} is not verbatim"


def test_quoted_summaries_and_introductions_are_word_for_word():
    quoted = list(Review.objects.exclude(summary_source=None))
    collections = list(Collection.objects.all())
    assert quoted and collections
    for review in quoted:
        assert strip_markdown(review.summary) in NormalisedSource.from_text(review.summary_source.original_text).text
    for collection in collections:
        assert (
            strip_markdown(collection.introduction) in NormalisedSource.from_text(collection.source.original_text).text
        )


@pytest.mark.parametrize("model", ITEM_MODELS, ids=lambda m: m.__name__)
def test_no_entry_keeps_link_placeholders_or_markup(model):
    items = list(model.objects.all())
    assert items
    for item in items:
        assert "](#)" not in item.text and "<u>" not in item.text and "<ul" not in item.text, item.ref


def test_sources_keep_the_briefings_exactly(settings):
    briefings = settings.BASE_DIR / "fixtures" / "briefings"
    sources = Source.objects.all()
    assert sorted(s.file_name for s in sources) == sorted(p.name for p in briefings.glob("*.txt"))
    for source in sources:
        assert source.original_text == (briefings / source.file_name).read_bytes().decode("utf-8")


def test_everything_loaded_is_published():
    assert not Review.objects.drafts().exists()
    assert Review.objects.published().count() == 7
    assert Source.objects.published().count() == 5


@pytest.mark.parametrize("model", THEMED_MODELS, ids=lambda m: m.__name__)
def test_every_entry_has_one_to_three_themes(model):
    items = list(model.objects.prefetch_related("themes"))
    assert items
    for item in items:
        assert 1 <= len(item.themes.all()) <= 3, item.ref


def test_every_theme_is_used_and_described():
    themes = list(Theme.objects.all())
    assert themes
    for theme in themes:
        used = theme.learning_points.exists() or theme.recommendations.exists() or theme.actions.exists()
        assert used, theme.slug
        assert theme.summary


# ---------------------------------------------------------------------------
# One taxonomy across boards
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "heading, source, theme",
    [
        ("Communication and Information Sharing", "swindon-2018-scrs-s-and-d", "information-sharing"),
        ("Escalation", "swindon-2018-scrs-s-and-d", "escalation-and-professional-challenge"),
        ("Strategy meetings", "salford-2023-recurring-themes", "strategy-meetings-and-conferences"),
        (
            "Conference, Core Groups and Strategy Meetings",
            "swindon-2018-scrs-s-and-d",
            "strategy-meetings-and-conferences",
        ),
        ("Transition Issues", "special-practice-review-newsletter", "transition-to-adult-services"),
    ],
)
def test_boards_headings_are_aliases_of_one_theme(heading, source, theme):
    alias = ThemeAlias.objects.get_by_natural_key(heading.upper())
    assert alias.theme.slug == theme
    assert alias.source.slug == source


def test_information_sharing_gathers_learning_from_three_boards():
    theme = Theme.objects.get(slug="information-sharing")
    assert theme.name == "Information sharing and communication"
    partnerships = set(LearningPoint.objects.filter(themes=theme).values_list("source__partnership__slug", flat=True))
    assert {
        "swindon-safeguarding-partnership",
        "swindon-local-safeguarding-children-board",
        "salford-safeguarding-children-partnership",
    } <= partnerships


def test_paragraphs_repeated_from_an_earlier_briefing_are_linked_not_doubled():
    repeats = {
        point.ref: point.repeats.ref for point in LearningPoint.objects.exclude(repeats=None).select_related("repeats")
    }
    assert repeats == {
        "child-m-lp-01": "s-and-d-lp-06",  # "Communication between agencies can be disjointed..."
        "child-m-lp-03": "s-and-d-lp-07",  # "It is also important to recognise..."
        "child-m-lp-04": "s-and-d-lp-08",  # "Adult Services within the organisation..."
    }
    for point in LearningPoint.objects.exclude(repeats=None).select_related("source", "repeats__source"):
        assert point.repeats.source.published_on < point.source.published_on
        assert point.review.slug == "child-m" and point.repeats.review.slug == "scrs-s-and-d"


# ---------------------------------------------------------------------------
# 000: Swindon Safeguarding Partnership, Child M, September 2019
# ---------------------------------------------------------------------------


def test_child_m_briefing_and_review_dates_are_as_precise_as_stated():
    source = Source.objects.get(file_name="000_061062a55a416d00.txt")
    assert source.partnership.name == "Swindon Safeguarding Partnership"
    assert source.published_display == "September 2019"
    review = Review.objects.get(slug="child-m")
    assert review.children == "Child M"
    assert review.published_display == "2019"
    assert review.partnership.slug == "oxfordshire-safeguarding-childrens-board"
    assert review.summary.startswith("A serious case review was published by Oxfordshire")
    assert review.summary_source == source


def test_child_m_joint_training_is_in_progress_for_january_2020():
    action = Action.objects.get(text__startswith="Joint training in the use of assessments")
    assert action.review.slug == "child-m"
    assert action.status == Action.Status.IN_PROGRESS
    assert action.target_date_as_stated == "January 2020"


def test_child_m_statuses_follow_the_wording():
    def status(start):
        return Action.objects.get(review__slug="child-m", text__startswith=start).status

    assert status("The SSP will explore") == Action.Status.PLANNED
    assert status("Following this case review the Protocol") == Action.Status.DONE
    assert status("following this case review local information sharing protocols") == Action.Status.DONE
    assert status("An action plan is in place") == Action.Status.IN_PROGRESS


def test_child_m_s17_finding_is_learning_and_the_protocol_update_its_action():
    """One sentence of the briefing holds a finding and what was done about it: two entries, in its words."""
    finding = LearningPoint.objects.get(ref="child-m-lp-13")
    assert finding.text == "There was a particular issue with sharing info under s17 intervention"
    action = Action.objects.get(ref="child-m-act-01")
    assert action.text.startswith("following this case review local information sharing protocols have been updated")
    assert not Action.objects.filter(text__contains="s17").exists()


def test_facts_about_the_review_are_kept_apart_from_facts_about_the_case():
    assert set(CaseFact.objects.filter(kind=CaseFact.Kind.REVIEW).values_list("ref", flat=True)) == {
        "child-m-fact-01",
        "child-k-fact-01",
        "child-k-fact-02",
        "child-k-fact-03",
        "child-k-fact-04",
    }
    assert CaseFact.objects.get(ref="child-one-fact-02").kind == CaseFact.Kind.CASE


def test_resources_named_only_in_passing_are_kept():
    assert Resource.objects.get(ref="s-and-d-res-red-book").learning_points.get().ref == "s-and-d-lp-01"
    assert Resource.objects.get(ref="spr-res-county-triage-team").kind == Resource.Kind.CONTACT
    assert Resource.objects.get(ref="child-k-res-lscb-regulations-2006").kind == Resource.Kind.LEGISLATION
    assert (
        Resource.objects.get(ref="spr-res-chapter-individual-children").recommendations.get().ref == "child-one-rec-07"
    )


def test_mash_email_is_kept_as_printed_with_a_note_giving_the_other_briefings_form():
    flawed = Resource.objects.get(source__file_name="000_061062a55a416d00.txt", kind=Resource.Kind.CONTACT)
    assert flawed.details_as_stated == "01793 466903 / fcpswindon.gov.uk"
    assert "fcp@swindon.gov.uk" in flawed.note and "May 2018" in flawed.note
    correct = Resource.objects.get(source__file_name="001_4335b05ff962ec0e.txt", kind=Resource.Kind.CONTACT)
    assert correct.details_as_stated == "01793 466903 / fcp@swindon.gov.uk"


def test_protocol_without_a_link_is_kept_and_says_so():
    protocol = Resource.objects.get(ref="child-m-res-protocol-children-moving")
    assert protocol.url == ""
    assert "link to be added" in protocol.note
    assert protocol.actions.get().ref == "child-m-act-02"


def test_mash_call_to_action_heads_the_contact_box():
    source = Source.objects.get(file_name="000_061062a55a416d00.txt")
    assert source.excluded_passages == []
    mash = source.resources.get(ref="child-m-res-mash")
    assert (mash.section.heading, mash.section.role) == ("Concerned about a child? Contact the", "further_information")
    assert mash.position == max(source.sections.values_list("position", flat=True)) + 1


def test_opening_heading_is_structure_not_an_entry():
    first = LearningPoint.objects.get(ref="child-m-lp-01")
    assert first.heading == "Communication and Information Sharing"
    assert not LearningPoint.objects.filter(text__startswith="Communication and Information Sharing").exists()


# ---------------------------------------------------------------------------
# 001: Swindon LSCB, Serious Case Reviews S & D, May 2018
# ---------------------------------------------------------------------------


def test_scrs_s_and_d_are_one_review_published_late_2016():
    review = Review.objects.get(slug="scrs-s-and-d")
    assert review.title == "Serious Case Reviews S & D"
    assert review.review_type == Review.ReviewType.SERIOUS_CASE_REVIEW
    assert review.published_on == datetime.date(2016, 1, 1) and review.published_display == "2016"
    assert list(review.tags.names()) == ["co-sleeping"]
    assert review.partnership.name == "Swindon Local Safeguarding Children Board"
    assert Source.objects.get(file_name="001_4335b05ff962ec0e.txt").published_display == "May 2018"


def test_s_and_d_learning_keeps_its_headings_and_kinds():
    points = LearningPoint.objects.filter(review__slug="scrs-s-and-d")
    assert set(points.values_list("section__heading", flat=True)) == {
        "Safe Sleeping Guidance",
        "Conference, Core Groups and Strategy Meetings",
        "Communication and Information Sharing",
        "Escalation",
        "Neglect",
        "Disguised Compliance & Capacity to Change",
    }
    key_facts = points.filter(kind=LearningPoint.Kind.KEY_FACT)
    assert {p.ref for p in key_facts} == {"s-and-d-lp-10", "s-and-d-lp-14"}  # the NSPCC figure and definition


def test_escalation_learning_links_the_escalation_policy():
    point = LearningPoint.objects.get(section__heading="Escalation")
    assert [r.name for r in point.resources.all()] == ["LSCB Escalation Policy"]


# ---------------------------------------------------------------------------
# 002: Hampshire's response to the recommendations of the SCR of Child K
# ---------------------------------------------------------------------------


def test_child_k_has_four_numbered_recommendations_with_their_actions_and_statuses():
    review = Review.objects.get(slug="child-k")
    recommendations = review.recommendations.order_by("number")
    assert [r.number for r in recommendations] == ["1", "2", "3", "4"]
    statuses = {r.number: [a.status for a in r.actions.order_by("position")] for r in recommendations}
    assert statuses == {
        "1": ["planned", "planned"],
        "2": ["done", "planned"],
        "3": ["done", "planned", "planned", "planned", "planned"],
        "4": ["planned", "in_progress"],
    }
    assert review.actions.filter(recommendation=None).count() == 0
    launch = Action.objects.get(text__contains="due to be launched later this year")
    assert launch.target_date_as_stated == "later this year"


def test_child_k_recommendation_3_keeps_all_five_points():
    text = Recommendation.objects.get(review__slug="child-k", number="3").text
    assert text.startswith("To promote awareness within partner agencies of the need for all practitioners to:")
    assert text.count("\n- ") == 5


def test_child_k_dates_record_when_the_case_was_considered_not_a_publication_date():
    review = Review.objects.get(slug="child-k")
    assert review.commissioned_on == datetime.date(2017, 4, 19)
    assert review.commissioned_display == "19 April 2017"
    assert review.published_on is None and review.published_display == ""
    assert review.year == 2017
    source = review.sources.get()
    assert source.kind == Source.Kind.BOARD_RESPONSE and source.published_display == ""


def test_child_k_process_paragraphs_are_case_facts_and_summary_is_labelled_as_ours():
    review = Review.objects.get(slug="child-k")
    assert review.case_facts.count() == 4
    assert review.case_facts.filter(text__contains="Phil Heasman").exists()
    assert review.summary_is_editorial


# ---------------------------------------------------------------------------
# 003: Special Practice Review newsletter (board not named)
# ---------------------------------------------------------------------------


def test_newsletter_is_one_collection_of_three_reviews_by_an_unnamed_board():
    collection = Collection.objects.get()
    assert collection.title == "Special Practice Review Newsletter"
    assert collection.introduction.startswith("The Local Safeguarding Children Board (LSCB) referred 3 children's")
    reviews = collection.reviews.order_by("slug")
    assert [r.children for r in reviews] == ["Child One", "Child Three", "Child Two"]
    for review in reviews:
        assert review.review_type == Review.ReviewType.SPECIAL_PRACTICE_REVIEW
        assert review.partnership is None
        assert review.published_on is None
    assert collection.source.partnership is None
    assert collection.source.publisher_display.startswith("Not named")


def test_child_one_recommendations_keep_their_addressees():
    addressees = list(
        Recommendation.objects.filter(review__slug="spr-child-one")
        .order_by("position")
        .values_list("addressed_to", flat=True)
    )
    assert addressees == ["All"] * 5 + ["Police", "Policy and Procedures Group"]


def test_child_three_table_becomes_good_practice_and_learning_by_row():
    points = LearningPoint.objects.filter(review__slug="spr-child-three")
    good = points.filter(kind=LearningPoint.Kind.GOOD_PRACTICE)
    learning = points.filter(kind=LearningPoint.Kind.LEARNING)
    rows = [
        "Child Protection and Mental Capacity",
        "Transition Issues",
        "Interagency Working",
        "When a Child is Invisible to Significant Agencies",
        "Parents And Carers",
    ]
    assert list(good.order_by("position").values_list("section__parent__heading", flat=True)) == rows
    assert learning.count() == 11  # every bullet of the Learning Points column
    bullet = learning.get(text="Lead Professional – who is this?")
    assert (bullet.section.parent.heading, bullet.heading) == ("Transition Issues", "Learning Points")
    for point in points.select_related("section__parent"):
        row_heading = point.section.parent.heading
        alias_themes = set(ThemeAlias.objects.filter(name=row_heading).values_list("theme", flat=True))
        if alias_themes:
            assert alias_themes <= set(point.themes.values_list("pk", flat=True)), point.ref


def test_newsletter_tags_only_what_it_states():
    assert sorted(Review.objects.get(slug="spr-child-one").tags.names()) == ["alcohol", "domestic violence", "neglect"]
    assert sorted(Review.objects.get(slug="spr-child-two").tags.names()) == ["self-harm", "suicidal thoughts"]


# ---------------------------------------------------------------------------
# 004: Salford recurring themes 2021-23, a 7 Minute Briefing
# ---------------------------------------------------------------------------


def test_recurring_themes_briefing_is_thematic_not_a_single_case():
    review = Review.objects.get(slug="salford-recurring-themes-2021-23")
    assert review.review_type == Review.ReviewType.THEMATIC
    assert review.children == ""
    assert review.summary_is_editorial
    assert "does not name" in review.summary
    assert review.published_display == "September 2023"
    assert not review.case_facts.exists() and not review.recommendations.exists()
    assert review.learning_points.count() == 7
    source = review.sources.get()
    assert source.kind == Source.Kind.SEVEN_MINUTE_BRIEFING
    assert source.partnership == Partnership.objects.get(short_name="SSCP")


def test_recurring_themes_truncated_line_and_date_are_excluded_with_reasons():
    passages = {
        p["text"]: p["reason"] for p in Source.objects.get(slug="salford-2023-recurring-themes").excluded_passages
    }
    assert set(passages) == {"Date published: September 2023", "Co"}
    assert "truncated" in passages["Co"]


def test_lost_hyperlinks_become_plain_text_and_resources():
    point = LearningPoint.objects.get(section__heading="Roles of males in families")
    assert "Learning from local and national case reviews tells us" in point.text
    assert [r.name for r in point.resources.all()] == ["7 Minute Briefing"]


def test_the_review_page_keeps_facts_about_the_review_apart(client):
    child_k = client.get("/reviews/child-k/").content.decode()
    assert '<h2 class="govuk-heading-l" id="the-review">About the review</h2>' in child_k
    assert 'id="the-case"' not in child_k  # the response says nothing about the case itself
    child_one = client.get("/reviews/spr-child-one/").content.decode()
    assert 'id="the-case"' in child_one and 'id="the-review"' not in child_one
    printed = client.get("/reviews/child-k/print/").content.decode()
    assert "About the review" in printed and "About the case" not in printed

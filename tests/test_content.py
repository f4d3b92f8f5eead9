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
def test_every_entry_has_at_least_one_theme(model):
    """At least one, and as many as its words name: there is no upper limit."""
    items = list(model.objects.prefetch_related("themes"))
    assert items
    for item in items:
        assert len(item.themes.all()) >= 1, item.ref


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


def test_child_k_has_no_dates_the_response_does_not_give(client):
    """19 April 2017 is when the subgroup considered the case and agreed the commissioning
    arrangements; the response gives no date the review was commissioned or published."""
    review = Review.objects.get(slug="child-k")
    assert review.commissioned_on is None and review.commissioned_display == ""
    assert review.published_on is None and review.published_display == ""
    assert review.year is None
    source = review.sources.get()
    assert source.kind == Source.Kind.BOARD_RESPONSE and source.published_display == ""
    # The date stays where the briefing gives it: in the fact about the review.
    considered = review.case_facts.get(ref="child-k-fact-01")
    assert considered.kind == CaseFact.Kind.REVIEW and "on 19 April 2017" in considered.text
    page = client.get("/reviews/child-k/").content.decode()
    assert "Commissioned 19 April 2017" not in page and "commissioned 2017" not in page
    record = client.get(f"/api/v1/reviews/{review.pk}/").json()
    assert record["year"] is None


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
    learning = points.filter(kind=LearningPoint.Kind.LEARNING, section__heading="Learning Points")
    rows = [
        "Child Protection and Mental Capacity",
        "Transition Issues",
        "Interagency Working",
        # "When a Child is Invisible to Significant Agencies": its Good Practice cell says there was none
        "Parents And Carers",
    ]
    assert list(good.order_by("position").values_list("section__parent__heading", flat=True)) == rows
    assert learning.count() == 11  # every bullet of the Learning Points column
    bullet = learning.get(text="Lead Professional – who is this?")
    assert (bullet.section.parent.heading, bullet.heading) == ("Transition Issues", "Learning Points")
    # A row heading naming one topic gives it to every entry of the row.
    for point in points.select_related("section__parent").exclude(
        section__parent__heading="Child Protection and Mental Capacity"
    ):
        alias_themes = set(ThemeAlias.objects.filter(name=point.section.parent.heading).values_list("theme", flat=True))
        assert alias_themes and alias_themes <= set(point.themes.values_list("pk", flat=True)), point.ref


def test_the_mental_capacity_row_gives_its_theme_only_to_what_is_about_mental_capacity():
    """ "Child Protection and Mental Capacity" names two topics; only the bullet on the legal
    framework is about mental capacity (as the recommendation on the "adult mental capacity
    act legislation" is). The others are filed where their words are."""
    assert ThemeAlias.objects.get(name="Child Protection and Mental Capacity").theme.slug == "mental-capacity"
    row = LearningPoint.objects.filter(section__parent__heading="Child Protection and Mental Capacity")
    themes = {point.ref: sorted(point.themes.values_list("slug", flat=True)) for point in row}
    assert themes == {
        "child-three-gp-01": ["lead-professional", "multi-agency-working"],
        "child-three-lp-01": ["management-oversight"],
        "child-three-lp-02": ["mental-capacity"],
        "child-three-lp-03": ["neglect"],
    }
    recommendation = Recommendation.objects.get(text__contains="adult mental capacity act legislation")
    assert recommendation.themes.filter(slug="mental-capacity").exists()


def test_newsletter_tags_only_what_it_states():
    """ "neglect" and "home education" were folded into their themes (one way to classify): the reviews
    are still on those themes."""
    assert sorted(Review.objects.get(slug="spr-child-one").tags.names()) == ["alcohol", "domestic violence"]
    assert sorted(Review.objects.get(slug="spr-child-two").tags.names()) == ["self-harm", "suicidal thoughts"]
    assert sorted(Review.objects.get(slug="spr-child-three").tags.names()) == ["complex needs"]
    assert Review.objects.filter(slug="spr-child-one", learning_points__themes__slug="neglect").exists()
    assert Review.objects.filter(slug="spr-child-three", recommendations__themes__slug="home-education").exists()


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
    child_k = client.get("/reviews/child-k/?view=themes").content.decode()
    assert '<h2 class="govuk-heading-l" id="the-review">About the review</h2>' in child_k
    assert 'id="the-case"' not in child_k  # the response says nothing about the case itself
    child_one = client.get("/reviews/spr-child-one/?view=themes").content.decode()
    assert 'id="the-case"' in child_one and 'id="the-review"' not in child_one
    # In the briefing's order each fact about the review says what it is.
    assert client.get("/reviews/child-k/").content.decode().count(">About the review</strong>") == 4
    # Printed, facts about the review are its background; the response has no part about the case.
    printed = client.get("/reviews/child-k/print/").content.decode()
    assert 'id="kb-brief-background"' in printed and 'id="kb-brief-case"' not in printed


# ---------------------------------------------------------------------------
# Issue 12: kinds, claims, gaps and themes corrected
# ---------------------------------------------------------------------------


SIGNPOSTS = {
    # ref of the resource: (its passage as the briefing prints it, the heading it closes, the ref it had as learning)
    "s-and-d-res-south-west-cp-procedures": (
        "The South West Child Protection Procedures provide more information about the process and the "
        "involvement of professionals.",
        "Conference, Core Groups and Strategy Meetings",
    ),
    "s-and-d-res-conference-core-group-training": (
        "Book onto the LSCB Conference & Core Group Training",
        "Conference, Core Groups and Strategy Meetings",
    ),
    "s-and-d-res-resistant-families-training": (
        "Book onto the NEW LSCB Working with Resistant Families Training",
        "Disguised Compliance & Capacity to Change",
    ),
}


def test_signposts_are_resources_given_where_the_briefing_gives_them_not_learning():
    source = Source.objects.get(slug="swindon-2018-scrs-s-and-d")
    briefing = NormalisedSource.from_text(source.original_text)
    for ref, (passage, heading) in SIGNPOSTS.items():
        resource = Resource.objects.select_related("section").get(ref=ref)
        assert resource.passage == passage
        assert briefing.contains(passage) and resource.name in passage
        assert (resource.section.heading, resource.section.role) == (heading, "learning")
        assert resource.kind_note  # why a resource sits in a section of learning: our words
        # It sits where the briefing prints it: after its section's heading, before the next section.
        following = source.sections.filter(position__gt=resource.section.position, layout="text").first()
        assert resource.section.position < resource.position < following.position
    for text in ("Book onto", "provide more information about the process"):
        assert not LearningPoint.objects.filter(text__contains=text).exists()
        assert not Action.objects.filter(text__contains=text).exists()
    assert LearningPoint.objects.filter(review__slug="scrs-s-and-d").count() == 15


def test_the_good_practice_cell_that_says_there_was_none_is_a_finding_and_a_change_since():
    cell = "child-three-sec-when-a-child-is-invisible-to-significant-agencies-good-practice"
    assert not LearningPoint.objects.filter(kind=LearningPoint.Kind.GOOD_PRACTICE, section__ref=cell).exists()
    finding = LearningPoint.objects.get(section__ref=cell)
    assert (finding.ref, finding.kind, finding.text) == (
        "child-three-lp-12",
        LearningPoint.Kind.LEARNING,
        "No evidence of good practice at the time",
    )
    change = Action.objects.get(section__ref=cell)
    assert change.text == "but now the Children's Community Nursing Teams to provide greater oversight."
    # The newsletter says neither when nor whether it is in place: nothing more is claimed.
    assert change.status == Action.Status.NOT_STATED
    assert change.target_date_as_stated == "" and change.recommendation is None
    assert change.owner == "Children's Community Nursing Teams"  # named in the sentence as who provides it
    assert finding.kind_note and change.kind_note
    # Together, word for word, the cell as printed.
    assert f"{finding.text} {change.text}" == (
        "No evidence of good practice at the time but now the Children's Community Nursing Teams to provide "
        "greater oversight."
    )


@pytest.mark.parametrize(
    "ref, theme, words",
    [
        ("s-and-d-fact-01", "safe-sleeping", "all professionals had provided clear safe sleeping advice"),
        ("child-three-fact-03", "disabled-children-and-complex-needs", "safeguard children and young people with"),
        ("child-three-fact-03", "multi-agency-working", "issues with respect to interagency working"),
    ],
)
def test_findings_stated_as_case_facts_are_on_their_themes_pages(client, ref, theme, words):
    fact = CaseFact.objects.get(ref=ref)
    assert fact.themes.filter(slug=theme).exists()
    assert words in client.get(f"/themes/{theme}/").content.decode()


def test_facts_about_the_case_that_are_not_findings_about_practice_have_no_theme():
    unthemed = set(CaseFact.objects.filter(themes=None).values_list("ref", flat=True))
    assert unthemed == {
        "child-m-fact-01",
        "child-k-fact-04",
        "child-one-fact-01",
        "child-one-fact-02",
        "child-one-fact-03",
        "child-two-fact-01",
        "child-two-fact-02",
        "child-three-fact-01",
        "child-three-fact-02",
    }


def test_an_action_plan_monitored_by_the_lscb_has_no_owner():
    action = Action.objects.get(ref="s-and-d-act-02")
    assert action.text == "An action plan is in place to address the recommendations and is monitored by the LSCB."
    assert action.owner == ""


def test_owners_and_target_dates_are_named_in_the_actions_own_words():
    """An owner only where the sentence names who acts, a target date only where it gives one."""
    for action in Action.objects.all():
        if action.owner:
            assert action.owner in action.text, action.ref
        if action.target_date_as_stated:
            assert action.target_date_as_stated in action.text, action.ref
    assert Action.objects.get(ref="child-k-act-3b").owner == ""  # "This will include…": the priority, not who


def test_parts_of_child_k_recommendations_without_a_response_are_recorded():
    recommendations = {r.number: r for r in Recommendation.objects.filter(review__slug="child-k")}
    assert recommendations["1"].unanswered_parts == "" and recommendations["2"].unanswered_parts == ""
    assert recommendations["3"].unanswered_parts.splitlines() == [
        "identify and liaise with other practitioners and services who have/or had contact, or work/or have worked "
        "with a child, young person or family when undertaking assessments or providing services",
        "act confidently within the current safeguarding arrangements and procedures, including in relation to "
        "making a referral, if it is considered that a child or young person is unable to have access to necessary "
        "services or may be at risk of harm through actions of parents or carers",
    ]
    assert recommendations["4"].unanswered_parts.splitlines() == [
        "consider promoting public awareness through a media campaign"
    ]
    for recommendation in recommendations.values():
        for part in recommendation.unanswered_parts.splitlines():
            assert part in recommendation.text
    summary = Review.objects.get(slug="child-k").summary
    assert "for each" not in summary
    assert "not every part of recommendations 3 and 4" in summary


def test_only_child_k_answers_recommendations_in_part():
    """The newsletter's recommendations have no response at all (no actions), which the page shows;
    Child M's and S & D's briefings report action plans but no recommendations."""
    partly = Recommendation.objects.exclude(unanswered_parts="")
    assert set(partly.values_list("ref", flat=True)) == {"child-k-rec-3", "child-k-rec-4"}
    assert not Action.objects.filter(recommendation__review__collection__isnull=False).exists()


def test_partnerships_are_named_as_the_briefings_write_them():
    """Capitals and all: Child M's briefing writes "Oxfordshire Safeguarding Children’s board"."""
    texts = [" ".join(source.original_text.split()) for source in Source.objects.all()]
    for partnership in Partnership.objects.all():
        for name in filter(None, (partnership.name, partnership.short_name)):
            assert any(name in text for text in texts), name
    oxfordshire = Review.objects.get(slug="child-m").partnership
    assert oxfordshire.name == "Oxfordshire Safeguarding Children’s board"


# The themes, reviewed as a taxonomy


def test_the_childs_voice_and_lived_experience_are_apart_from_culture():
    voice = Theme.objects.get(slug="voice-and-lived-experience")
    assert set(voice.learning_points.values_list("ref", flat=True)) == {
        "s-and-d-lp-12",  # "understand the child's lived experience" (neglect)
        "s-and-d-lp-17",  # "…affecting their development and their lived experience"
        "salford-lp-02",  # "the daily lived experience of each child"
        "salford-lp-07",  # "what's really going on for young people in their day to day lives"
        "child-m-lp-12",  # assessments which "involve children"
    }
    assert voice.recommendations.filter(ref="child-k-rec-3").exists()  # the 'voice', experience and participation
    culture = Theme.objects.get(slug="culture-and-identity")
    assert list(culture.learning_points.values_list("ref", flat=True)) == ["salford-lp-02"]
    assert culture.aliases.get().name == "Cultural consciousness and professional curiosity"


def test_policies_and_procedures_holds_only_entries_about_policies_and_procedures():
    theme = Theme.objects.get(slug="policies-and-procedures")
    filed = {
        entry.ref: f"{entry.text} {getattr(entry, 'addressed_to', '')}".lower()
        for model in (LearningPoint, Recommendation, Action)
        for entry in model.objects.filter(themes=theme)
    }
    assert set(filed) == {
        "child-m-lp-04",
        "s-and-d-lp-08",
        "child-one-lp-04",
        "child-one-rec-03",
        "child-one-rec-07",
        "child-three-rec-01",
        "child-three-rec-02",
        "child-k-rec-3",
        "child-m-act-02",
        "s-and-d-act-01",
    }
    for ref, words in filed.items():
        assert any(word in words for word in ("polic", "procedur", "protocol", "guidance")), ref


@pytest.mark.parametrize(
    "theme, refs",
    [
        (
            "information-sharing-protocols",
            {
                "child-m-lp-02",
                "child-m-act-01",
                "salford-lp-01",
                "child-k-rec-1",
                "child-k-act-1a",
                "child-k-act-1b",
                "child-k-act-3c",
            },
        ),
        ("mental-capacity", {"child-three-lp-02", "child-three-rec-01"}),
        ("case-review-process", {"child-two-rec-01", "child-m-act-03", "s-and-d-act-02", "child-k-act-3d"}),
    ],
)
def test_specific_themes_split_from_the_catch_all(theme, refs):
    filed = {
        entry.ref
        for model in (LearningPoint, Recommendation, Action)
        for entry in model.objects.filter(themes__slug=theme)
    }
    assert filed == refs


def test_facts_about_how_child_ks_review_was_done_are_on_the_case_review_process():
    facts = CaseFact.objects.filter(themes__slug="case-review-process")
    assert set(facts.values_list("ref", flat=True)) == {"child-k-fact-01", "child-k-fact-02", "child-k-fact-03"}


@pytest.mark.parametrize(
    "ref, themes",
    [
        # "…especially including those with additional communication and learning needs"
        ("child-k-rec-3", {"voice-and-lived-experience", "disabled-children-and-complex-needs", "think-family"}),
        # "This can also apply to older children who have disabilities."
        ("salford-lp-04", {"babies-and-young-children", "water-safety", "disabled-children-and-complex-needs"}),
    ],
)
def test_entries_carry_every_theme_their_words_name(ref, themes):
    model = Recommendation if "-rec-" in ref else LearningPoint
    assert themes <= set(model.objects.get(ref=ref).themes.values_list("slug", flat=True))


@pytest.mark.parametrize("old", ["lived-experience-and-culture", "voice-of-the-child"])
def test_the_themes_old_addresses_answer_301(client, old):
    response = client.get(f"/themes/{old}/")
    assert response.status_code == 301
    assert response["Location"] == "/themes/voice-and-lived-experience/"

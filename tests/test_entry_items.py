"""The entry tags (reviews/templatetags/entries.py) read their options as an include's ``with`` did:
those given to the tag, else the page's variables of the same names; and they show a
recommendation's answers, those the briefing prints elsewhere and the parts no action answers."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from reviews.models import LearningPoint

from .support.factories import make_action, make_learning_point, make_recommendation, make_review, make_theme

pytestmark = pytest.mark.django_db


def _render(text: str, **values) -> str:
    request = RequestFactory().get("/")
    return Template("{% load entries %}" + text).render(Context({"request": request, **values}))


def test_a_tag_reads_the_pages_options_and_its_own_take_precedence():
    theme, other = make_theme(name="Test current theme"), make_theme(name="Test other theme")
    point = make_learning_point(review=make_review(), themes=[theme, other])

    from_page = _render("{% learning_point_item point %}", point=point, current_theme=theme)
    assert '<span class="kb-theme-link kb-theme-link--current">Test current theme</span>' in from_page
    assert f'href="{other.get_absolute_url()}">Test other theme</a>' in from_page

    given = _render(
        "{% learning_point_item point current_theme=other %}", point=point, current_theme=theme, other=other
    )
    assert f'href="{theme.get_absolute_url()}">Test current theme</a>' in given
    assert '<span class="kb-theme-link kb-theme-link--current">Test other theme</span>' in given


def test_the_heading_and_the_review_link_only_where_asked():
    point = make_learning_point(review=make_review(title="Test review Alpha"), heading="Test heading Beta")
    plain = _render("{% learning_point_item point %}", point=point)
    shown = _render("{% learning_point_item point show_heading=True show_review=True %}", point=point)
    assert "In the briefing under" not in plain and "Read it in the review" not in plain
    assert "In the briefing under “Test heading Beta”" in shown
    assert 'Read it in the review<span class="govuk-visually-hidden">: Test review Alpha</span>' in shown


@pytest.mark.parametrize(
    ("kind", "css", "label"),
    [
        (LearningPoint.Kind.GOOD_PRACTICE, "kb-item--good-practice", "govuk-tag--green"),
        (LearningPoint.Kind.KEY_FACT, "kb-item--key-fact", "govuk-tag--purple"),
    ],
)
def test_good_practice_and_key_facts_are_labelled(kind, css, label):
    point = make_learning_point(review=make_review(), kind=kind)
    html = _render("{% learning_point_item point %}", point=point)
    assert f'<li class="kb-item {css}" id="{point.anchor}">' in html
    assert f'<strong class="govuk-tag {label}">{point.get_kind_display()}</strong>' in html


def test_a_learning_point_is_not_labelled():
    point = make_learning_point(review=make_review())
    html = _render("{% learning_point_item point %}", point=point)
    assert f'<li class="kb-item" id="{point.anchor}">' in html and "govuk-tag" not in html


def test_text_is_rendered_once_and_escaped():
    point = make_learning_point(review=make_review(), text="Test <script>alert(1)</script> **words**.")
    html = _render("{% learning_point_item point %}", point=point)
    assert "<script>" not in html
    assert "<strong>words</strong>" in html


def test_a_recommendation_lists_its_answers_and_their_themes_unless_hidden():
    review = make_review()
    theme = make_theme(name="Test answer theme")
    recommendation = make_recommendation(review=review, addressed_to="Test partners")
    action = make_action(recommendation=recommendation, review=review, owner="Test owner")
    action.themes.add(theme)

    html = _render("{% recommendation_item recommendation %}", recommendation=recommendation)
    assert '<span class="kb-item__for"> – for Test partners</span>' in html
    assert "What was done in response" in html and f'id="{action.anchor}"' in html
    assert "Owner: Test owner" in html and "Test answer theme" in html

    hidden = _render("{% recommendation_item recommendation hide_answer_themes=True %}", recommendation=recommendation)
    assert f'id="{action.anchor}"' in hidden and "Test answer theme" not in hidden


def test_a_recommendation_without_answers_says_so():
    recommendation = make_recommendation(review=make_review())
    html = _render("{% recommendation_item recommendation %}", recommendation=recommendation)
    assert "No response to this recommendation in this briefing." in html
    assert "What was done in response" not in html


def test_an_answer_printed_under_another_heading_is_linked_to_unless_all_answers_are_shown():
    review = make_review()
    recommendation = make_recommendation(review=review, unanswered_parts="Test part one\nTest part two")
    answer = make_action(recommendation=recommendation, review=review, text="Test answer printed elsewhere.")
    recommendation.actions_here = []
    recommendation.actions_elsewhere = [answer]

    html = _render("{% recommendation_item recommendation %}", recommendation=recommendation)
    assert f'<a class="govuk-link" href="#{answer.anchor}">Test answer printed elsewhere.</a>' in html
    assert "What was done in response" not in html
    assert "No response in this briefing to these parts of the recommendation:" in html
    assert "<li>“Test part one”: no response in this briefing</li><li>“Test part two”" in html

    every = _render("{% recommendation_item recommendation all_answers=True %}", recommendation=recommendation)
    assert "What was done in response" in every and f'href="#{answer.anchor}"' not in every


def test_an_action_says_where_its_status_was_reported():
    review = make_review()
    action = make_action(review=review, status="not_stated")
    html = _render("{% action_item action %}", action=action)
    assert "Status not stated" in html
    assert f'in <a class="govuk-link" href="{action.source.get_absolute_url()}">{action.source.title}</a>' in html

"""The glossary's abbreviations are expanded with <abbr title> where a page first uses them,
and the words of every text stay exactly as they were (issue 15, item 8: plain English)."""

import html
import re

import pytest

from reviews.glossary import TERMS
from reviews.markdown import _rendered, abbreviations_once_per_page, render_markdown
from reviews.models import Action, CaseFact, Collection, LearningPoint, Recommendation, Resource, Review, Theme

from .support.factories import make_learning_point, make_review

EXPANSIONS = {term.term: term.expansion for term in TERMS if term.expansion}
ABBR = re.compile(r'<abbr title="([^"]*)">([^<]*)</abbr>')


def text_content(fragment: str) -> str:
    """What a reader (or a screen reader) gets as the words: the HTML's text, tags left out."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def abbrs(fragment: str) -> list[tuple[str, str]]:
    return [(abbreviation, html.unescape(title)) for title, abbreviation in ABBR.findall(fragment)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The SCR found that the SCR panel met.", [("SCR", "Serious Case Review")]),
        ("The GP and the SCR.", [("GP", "General practitioner"), ("SCR", "Serious Case Review")]),
        ("Both GPs were told.", [("GP", "General practitioner")]),
        ("A s47 enquiry followed.", [("s47", "Section 47 of the Children Act 1989")]),
        ("SMART plans, and smart ones.", [("SMART", "Specific, measurable, achievable, realistic and time-bound")]),
        # Not inside other words, nor in another case than the briefings write it.
        ("The SCRIPT, the MASHED potatoes, the scr.", []),
        ("No abbreviation here.", []),
    ],
)
def test_each_abbreviation_is_expanded_at_its_first_use_in_a_text(text, expected):
    rendered = render_markdown(text)
    assert abbrs(rendered) == expected
    assert text_content(rendered) == text_content(_rendered(text))


def test_the_expansion_is_the_glossarys():
    assert abbrs(render_markdown("The LSCB met."))[0][1] == EXPANSIONS["LSCB"] == "Local Safeguarding Children Board"


def test_never_inside_a_link_code_or_an_abbr_already_there():
    text = '[The SCR report](https://example.org/scr) and `SCR` and <abbr title="Test">SCR</abbr>, then the SCR.'
    rendered = render_markdown(text)
    assert '<a href="https://example.org/scr" rel="noopener noreferrer">The SCR report</a>' in rendered
    assert "<code>SCR</code>" in rendered
    assert '<abbr title="Test">SCR</abbr>' in rendered
    assert rendered.endswith('then the <abbr title="Serious Case Review">SCR</abbr>.</p>')
    assert text_content(rendered) == text_content(_rendered(text))


def test_within_a_page_only_the_first_use_on_the_page_is_expanded():
    with abbreviations_once_per_page():
        first = render_markdown("The SCR met the GP.")
        second = render_markdown("The SCR and the GP again, and the LSCB.")
    assert abbrs(first) == [("SCR", "Serious Case Review"), ("GP", "General practitioner")]
    assert abbrs(second) == [("LSCB", "Local Safeguarding Children Board")]
    # Another page starts afresh.
    with abbreviations_once_per_page():
        again = render_markdown("The SCR and the GP again, and the LSCB.")
    assert [abbreviation for abbreviation, _ in abbrs(again)] == ["SCR", "GP", "LSCB"]


@pytest.mark.django_db
def test_a_review_page_expands_an_abbreviation_once_at_its_first_use(client):
    review = make_review(title="Test review with abbreviations")
    make_learning_point(review=review, text="Test point one: the GP was not told of the SCR.")
    make_learning_point(review=review, text="Test point two: the GP and [the SCR](https://example.org/) again.")
    page = client.get(review.get_absolute_url()).content.decode()
    assert page.count('<abbr title="General practitioner">GP</abbr>') == 1
    assert page.count('<abbr title="Serious Case Review">SCR</abbr>') == 1
    assert "Test point one: the <abbr" in page
    assert "Test point two: the GP and" in page
    assert '">the SCR</a>' in page


@pytest.mark.django_db
def test_every_entry_keeps_its_words_exactly(loaded_kb):
    """Every briefing text of the knowledge base reads the same with its abbreviations expanded."""
    texts = [
        text
        for model in (Review, Collection, Theme, CaseFact, LearningPoint, Recommendation, Action, Resource)
        for field in ("text", "summary", "introduction", "passage")
        if field in {f.name for f in model._meta.get_fields()}
        for text in model.objects.values_list(field, flat=True)
        if text
    ]
    expanded = 0
    for text in texts:
        rendered = render_markdown(text)
        assert text_content(rendered) == text_content(_rendered(text)), text
        expanded += len(abbrs(rendered))
    assert len(texts) > 100
    assert expanded > 10

"""Helpers shared by the search tests: a small synthetic knowledge base and a search call.

Everything here is obviously test data ("Test review A"); the words chosen
make each table-driven case have one clear right answer on both databases.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict

from reviews.models import LearningPoint, PublicationStatus, SearchEntry, ThemeAlias
from reviews.search import search_knowledge_base
from reviews.search.params import parse_request

from .factories import (
    make_action,
    make_learning_point,
    make_partnership,
    make_recommendation,
    make_review,
    make_source,
    make_theme,
)


def run_search(q: str, user=None, **params):
    """Search as the page does; extra parameters are facet filters (lists allowed) and ``page``."""
    query = {"q": q}
    for name, value in params.items():
        query[name] = value
    return search_knowledge_base(
        request=parse_request(QueryDict(urlencode(query, doseq=True))), user=user or AnonymousUser()
    )


def result_keys(page) -> list[tuple[str, str]]:
    """(kind, title) of each result, in order."""
    return [(result.entry.kind, result.entry.title) for result in page.results]


@dataclass
class Corpus:
    """Named objects of the synthetic knowledge base."""

    sleep: object
    escalation: object
    review_a: object
    review_b: object
    draft: object
    lp_sleep: object
    lp_escalation: object
    lp_policy: object
    lp_alcohol: object
    lp_father: object
    lp_draft: object
    lp_cross: object
    recommendation: object
    action: object
    partnership_a: object
    partnership_b: object


def make_corpus() -> Corpus:
    partnership_a = make_partnership(name="Test Northshire Partnership", slug="test-northshire")
    partnership_b = make_partnership(name="Test Southshire Partnership", slug="test-southshire")
    source = make_source(partnership=partnership_a)
    sleep = make_theme(name="Test safe sleep theme", slug="test-safe-sleep", summary="Test summary about cots.")
    ThemeAlias.objects.create(theme=sleep, name="Test cot death prevention")
    escalation = make_theme(name="Test escalation theme", slug="test-escalation")
    ThemeAlias.objects.create(theme=escalation, name="Test professional challenge")
    review_a = make_review(
        title="Test review A",
        slug="test-review-a",
        partnership=partnership_a,
        children="Test Child A",
        published_on=datetime.date(2019, 1, 1),
    )
    review_a.tags.add("test-cosleeping-tag")
    review_b = make_review(
        title="Test review B", slug="test-review-b", partnership=partnership_b, published_on=datetime.date(2021, 1, 1)
    )
    draft = make_review(title="Test draft review", slug="test-draft-review", status=PublicationStatus.DRAFT)
    lp_sleep = make_learning_point(
        review=review_a,
        source=source,
        themes=[sleep],
        heading="Test heading on sleep",
        text="Test learning: parents were given advice on sleeping arrangements for the baby.",
    )
    lp_escalation = make_learning_point(
        review=review_a,
        source=source,
        themes=[escalation],
        text="Test learning: staff should use the escalation policy when they disagree with a decision.",
    )
    lp_policy = make_learning_point(
        review=review_b,
        source=source,
        text="Test learning: the written policy escalation route for cases was not followed by anyone.",
    )
    lp_alcohol = make_learning_point(
        review=review_b,
        source=source,
        themes=[sleep],
        text="Test learning: alcohol use by a carer increased the risk to the baby at night.",
    )
    lp_father = make_learning_point(
        review=review_b,
        source=source,
        text="Test learning: the baby's father was not known to the health visitor.",
    )
    lp_draft = make_learning_point(
        review=draft, source=source, text="Test learning in a draft: the zebrafish procedure was ignored."
    )
    lp_cross = make_learning_point(
        review=None,
        source=source,
        kind=LearningPoint.Kind.KEY_FACT,
        text="Test cross-cutting fact: hedgehog figures from national research.",
    )
    recommendation = make_recommendation(
        review=review_b,
        source=source,
        number="3",
        addressed_to="Test Constabulary",
        text="Test recommendation: review the missing children procedure every year.",
    )
    action = make_action(
        recommendation=recommendation,
        owner="Test Quayside Board",
        text="Test action: the missing children procedure was rewritten and shared.",
    )
    return Corpus(
        sleep=sleep,
        escalation=escalation,
        review_a=review_a,
        review_b=review_b,
        draft=draft,
        lp_sleep=lp_sleep,
        lp_escalation=lp_escalation,
        lp_policy=lp_policy,
        lp_alcohol=lp_alcohol,
        lp_father=lp_father,
        lp_draft=lp_draft,
        lp_cross=lp_cross,
        recommendation=recommendation,
        action=action,
        partnership_a=partnership_a,
        partnership_b=partnership_b,
    )


def entry_key(obj) -> tuple[str, str]:
    """(kind, title) of an object's search entry, to compare with ``result_keys``."""
    from reviews.search import pending
    from reviews.search.indexing import KIND_OF_MODEL

    pending.flush()
    entry = SearchEntry.objects.get(kind=KIND_OF_MODEL[type(obj)], object_id=obj.pk)
    return entry.kind, entry.title

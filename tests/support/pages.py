"""Synthetic knowledge bases for the page tests, at any scale.

``build_knowledge_base(scale=1)`` is about the size and shape of the real
fixtures (seven reviews, one of them a collection of three children; repeated
paragraphs; good practice; key facts; resources; recommendations with actions;
a draft review), and ``scale=10`` ten times that. Everything is obviously
synthetic ("Test review 3") and never written to ``fixtures/``.
"""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass, field

from reviews.models import ActionUpdate, CaseFact, Collection, LearningPoint, PublicationStatus, Resource, Review

from .factories import (
    make_action,
    make_learning_point,
    make_partnership,
    make_recommendation,
    make_review,
    make_source,
    make_theme,
)

REVIEWS_PER_UNIT = 7
THEMES_PER_UNIT = 10


@dataclass
class KnowledgeBase:
    themes: list = field(default_factory=list)
    reviews: list = field(default_factory=list)
    drafts: list = field(default_factory=list)
    sources: list = field(default_factory=list)
    partnerships: list = field(default_factory=list)
    collections: list = field(default_factory=list)
    tags: set = field(default_factory=set)
    units: int = 0


_serial = itertools.count(1)


def build_knowledge_base(*, scale: int = 1) -> KnowledgeBase:
    """A knowledge base of ``scale`` units, each about the size of the real fixtures."""
    kb = KnowledgeBase(
        themes=[make_theme(summary=f"Test summary of theme {i}.") for i in range(THEMES_PER_UNIT)],
        partnerships=[make_partnership() for _ in range(3)],
    )
    return grow_knowledge_base(kb, units=scale)


def grow_knowledge_base(kb: KnowledgeBase, *, units: int) -> KnowledgeBase:
    """Add ``units`` more units sharing the same themes, partnerships and tags, so every
    theme, partnership and tag page has proportionally more to show."""
    for _ in range(units):
        _add_unit(kb, unit=kb.units)
        kb.units += 1
    return kb


def _add_unit(kb: KnowledgeBase, *, unit: int) -> None:
    themes, partnerships = kb.themes, kb.partnerships
    kb.themes.append(make_theme(summary=f"Test summary of an extra theme {unit}."))
    newsletter = make_source(title=f"Test newsletter {unit}", original_text="Test newsletter text.")
    collection = Collection.objects.create(
        slug=f"test-collection-{next(_serial)}", title=f"Test collection {unit}", source=newsletter
    )
    kb.collections.append(collection)
    kb.sources.append(newsletter)
    previous_point = None
    for index in range(REVIEWS_PER_UNIT + 1):
        draft = index == REVIEWS_PER_UNIT
        number = next(_serial)
        in_collection = index < 3
        source = (
            newsletter
            if in_collection
            else make_source(
                title=f"Test briefing {unit}-{index}",
                original_text=f"Test heading\n\nTest learning point {unit}-{index}-0 with emphasis.\n\n"
                f"Test recommendation {unit}-{index}-0.",
                partnership=partnerships[index % 3],
                status=PublicationStatus.DRAFT if draft else PublicationStatus.PUBLISHED,
            )
        )
        if not in_collection:
            kb.sources.append(source)
        review = make_review(
            title=f"Test review {unit}-{number}",
            children=f"Test child {unit}-{number}",
            partnership=partnerships[index % 3],
            collection=collection if in_collection else None,
            published_on=datetime.date(2016 + index % 8, 1, 1),
            status=PublicationStatus.DRAFT if draft else PublicationStatus.PUBLISHED,
            summary=f"Test summary {number}.",
        )
        review.sources.add(source)
        tags = [f"test-tag-{index % 4}", f"test-tag-shared-{index % 2}"]
        review.tags.add(*tags)
        (kb.drafts if draft else kb.reviews).append(review)
        if not draft:
            kb.tags.update(tags)
        resource = Resource.objects.create(name=f"Test protocol {unit}-{index}", source=source)
        for fact in range(2):
            CaseFact.objects.create(
                review=review, source=source, text=f"Test case fact {unit}-{index}-{fact}.", position=fact
            )
        for point_index in range(8):
            kind = {6: LearningPoint.Kind.GOOD_PRACTICE, 7: LearningPoint.Kind.KEY_FACT}.get(
                point_index, LearningPoint.Kind.LEARNING
            )
            point = make_learning_point(
                review=review,
                source=source,
                themes=[
                    themes[(index + point_index) % THEMES_PER_UNIT],
                    themes[(index + 2 * point_index + 1) % THEMES_PER_UNIT],
                ],
                text=f"Test learning point {unit}-{index}-{point_index} with **emphasis**.",
                kind=kind,
                position=point_index,
            )
            if point_index == 0:
                point.resources.add(resource)
                first_point = point
            if point_index == 1 and previous_point is not None:
                point.repeats = previous_point
                point.save()
        previous_point = first_point
        for rec_index in range(3):
            recommendation = make_recommendation(
                review=review,
                source=source,
                number=str(rec_index + 1),
                addressed_to="All",
                themes=[themes[(index + rec_index) % THEMES_PER_UNIT]],
                text=f"Test recommendation {unit}-{index}-{rec_index}.",
                position=rec_index,
            )
            recommendation.resources.add(resource)
            for action_index in range(1 + rec_index % 2):
                action = make_action(
                    recommendation=recommendation,
                    source=source,
                    owner="Test board",
                    status="in_progress",
                    text=f"Test action {unit}-{index}-{rec_index}-{action_index}.",
                )
                action.resources.add(resource)
                report_status(action)
        report_status(
            make_action(review=review, source=source, text=f"Test action {unit}-{index} with no recommendation.")
        )
    make_learning_point(source=newsletter, themes=[themes[0]], text=f"Test cross-cutting learning {unit}.", position=99)


def report_status(action) -> None:
    """A status update on the action (its public history, prefetched with it)."""
    ActionUpdate.objects.create(
        action=action, reported_on=datetime.date(2021, 3, 1), status="in_progress", reported_by="Test agency"
    )


def published_review(kb: KnowledgeBase) -> Review:
    """A published review (not in a collection) with every kind of entry."""
    return kb.reviews[-1]

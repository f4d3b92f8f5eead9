"""Synthetic knowledge bases for the page tests, at any scale.

``build_knowledge_base(scale=1)`` is about the size and shape of the real
fixtures (seven reviews, one of them a collection of three children; each
review's entries under its briefing's sections, one a table with a row and
its cells; repeated paragraphs; good practice; key facts; resources, one given
as a passage; recommendations with actions; a draft review), and ``scale=10`` ten times that. Everything is obviously
synthetic ("Test review 3") and never written to ``fixtures/``.
"""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass, field

from reviews.models import (
    Action,
    ActionUpdate,
    CaseFact,
    Collection,
    GuideClaim,
    LearningPoint,
    PublicationStatus,
    Recommendation,
    RecommendationLink,
    Resource,
    Review,
    Section,
    ThemeGuide,
)

from .factories import (
    make_action,
    make_learning_point,
    make_partnership,
    make_recommendation,
    make_review,
    make_section,
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
    previous_point = previous_recommendation = None
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
        sections = _sections(source, review if in_collection else None, f"{unit}-{index}")
        resource = Resource.objects.create(name=f"Test protocol {unit}-{index}", source=source)
        Resource.objects.create(
            name=f"Test helpline {unit}-{index}",
            source=source,
            section=sections["further"],
            passage=f"Test helpline {unit}-{index}: call it.",
            position=90,
        )
        for fact in range(2):
            CaseFact.objects.create(
                review=review,
                source=source,
                section=sections["case"],
                text=f"Test case fact {unit}-{index}-{fact}.",
                position=fact,
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
                position=10 + point_index,
                section=sections["good_practice" if kind == LearningPoint.Kind.GOOD_PRACTICE else "learning"],
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
                position=30 + rec_index,
                section=sections["recommendations"],
            )
            recommendation.resources.add(resource)
            # Each review's first recommendation repeats (or replaces) the review before's: chains on theme pages.
            if rec_index == 0 and previous_recommendation is not None:
                RecommendationLink.objects.create(
                    later=recommendation,
                    earlier=previous_recommendation,
                    relation="replaces" if index % 3 == 0 else "repeats",
                    note=f"Test note on link {unit}-{index}." if index % 2 else "",
                )
            if rec_index == 0:
                first_recommendation = recommendation
            for action_index in range(1 + rec_index % 2):
                action = make_action(
                    recommendation=recommendation,
                    source=source,
                    owner="Test board",
                    status="in_progress",
                    text=f"Test action {unit}-{index}-{rec_index}-{action_index}.",
                    section=sections["recommendations"],
                )
                action.resources.add(resource)
                report_status(action)
        report_status(
            make_action(
                review=review,
                source=source,
                text=f"Test action {unit}-{index} with no recommendation.",
                section=sections["learning"],
                kind_note="Test note: an action reported within learning.",
                position=20,
            )
        )
        previous_recommendation = first_recommendation
    make_learning_point(source=newsletter, themes=[themes[0]], text=f"Test cross-cutting learning {unit}.", position=99)
    _add_guide_claims(themes[0], unit)


def _add_guide_claims(theme, unit: int) -> None:
    """The first theme's guide (published) gains a sentence of each kind per unit, citing the unit's
    published learning, recommendations and actions on the theme: more to show, the same queries."""
    guide, _ = ThemeGuide.objects.get_or_create(theme=theme, defaults={"status": PublicationStatus.PUBLISHED})
    published = {"themes": theme, "review__status": PublicationStatus.PUBLISHED, "text__contains": f" {unit}-"}
    points = list(LearningPoint.objects.filter(**published)[:2])
    recommendations = list(Recommendation.objects.filter(**published)[:1])
    actions = list(Action.objects.filter(**published)[:1])
    for position, kind in enumerate(GuideClaim.Kind.values):
        claim = GuideClaim.objects.create(
            guide=guide, kind=kind, text=f"Test guide sentence {unit}-{position}.", position=unit * 10 + position
        )
        claim.learning_points.set(points)
        claim.recommendations.set(recommendations)
        claim.actions.set(actions)


def report_status(action) -> None:
    """A status update on the action (its public history, prefetched with it)."""
    ActionUpdate.objects.create(
        action=action, reported_on=datetime.date(2021, 3, 1), status="in_progress", reported_by="Test agency"
    )


def _sections(source, review, label: str) -> dict[str, Section]:
    """A briefing's sections for one review: the case, learning, a table whose row holds a cell of good
    practice, recommendations, further information."""
    made = {}
    for position, (key, role) in enumerate(
        [("case", "case"), ("learning", "learning"), ("table", "learning")], start=1
    ):
        made[key] = make_section(
            source=source,
            review=review,
            heading=f"Test {key} heading {label}",
            role=role,
            position=position,
            layout="table" if key == "table" else "text",
        )
    row = make_section(
        source=source,
        review=review,
        heading=f"Test row {label}",
        role="learning",
        layout="row",
        parent=made["table"],
        position=4,
    )
    made["good_practice"] = make_section(
        source=source,
        review=review,
        heading="Test Good Practice",
        role="good_practice",
        layout="cell",
        parent=row,
        position=5,
    )
    made["recommendations"] = make_section(
        source=source, review=review, heading=f"Test recommendations {label}", role="recommendations", position=29
    )
    made["further"] = make_section(
        source=source, review=review, heading=f"Test contact {label}", role="further_information", position=89
    )
    return made


def published_review(kb: KnowledgeBase) -> Review:
    """A published review (not in a collection) with every kind of entry."""
    return kb.reviews[-1]

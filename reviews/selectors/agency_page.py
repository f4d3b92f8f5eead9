"""The profession pages: "what does this mean for me", for a practitioner
from a school, the police, health, children's social care, housing...

A recommendation or action is shown on an agency's page when the knowledge
base's reading of the briefing's words (``agencies``: who it is for, who
does it) names that agency, or names all agencies. Each says why it is
shown, quoting the briefing's words. Learning is addressed to no one in a
briefing, so the page shows the learning of each such review that is on the
same themes as what is addressed to the agency, and says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from ..models import ALL_AGENCIES, Action, Agency, LearningPoint, Recommendation, Review, Source, Theme
from .common import SubqueryCount, actions_for_page, learning_points_for_page, recommendations_for_page, review_order
from .recommendation_links import attach_recommendation_links

# Reviews per page (each with all its entries for the agency), and at most on the printed page.
AGENCY_REVIEWS_PER_PAGE = 10
AGENCY_REVIEWS_PRINTED = 100


@dataclass
class ReviewForAgency:
    """What one review addresses to an agency (or to all agencies), and its learning on the same themes."""

    review: Review
    recommendations: list[Recommendation] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)  # answering no recommendation listed here
    learning_points: list[LearningPoint] = field(default_factory=list)
    themes: list[Theme] = field(default_factory=list)  # of the entries addressed, by name


@dataclass
class AgencyPage:
    agency: Agency
    everyone: Agency | None  # "all agencies", whose entries are shown too (None on its own page)
    page: Page  # of reviews addressing the agency, newest first
    reviews: list[ReviewForAgency]
    sources: list[Source]


def _agencies_visible_counts(agencies: QuerySet[Agency]) -> QuerySet[Agency]:
    """Annotate each agency with its published recommendations and actions (what the public may count)."""
    published_recommendations = Recommendation.objects.published().filter(agencies=OuterRef("pk"))
    published_actions = Action.objects.published().filter(agencies=OuterRef("pk"))
    return agencies.annotate(
        recommendation_count=SubqueryCount(published_recommendations),
        action_count=SubqueryCount(published_actions),
    )


def agency_list() -> tuple[list[Agency], Agency | None]:
    """The professions to choose from, with their counts of published recommendations and actions
    (counts are of published content, for everyone), and "all agencies" apart (its entries are on
    every profession's page): 1 query."""
    agencies = list(_agencies_visible_counts(Agency.objects.order_by("position", "name")))
    everyone = next((agency for agency in agencies if agency.is_all_agencies), None)
    return [agency for agency in agencies if not agency.is_all_agencies], everyone


def agency_detail(
    user, slug: str, *, page_number: Any = 1, per_page: int = AGENCY_REVIEWS_PER_PAGE
) -> AgencyPage | None:
    """What concerns one agency, by review, newest first, in a fixed number of queries.

    None when there is no such agency. Staff see drafts too (marked as such),
    the public published entries only.
    """
    agencies = {agency.slug: agency for agency in Agency.objects.filter(slug__in=[slug, ALL_AGENCIES])}
    agency = agencies.get(slug)
    if agency is None:
        return None
    everyone = None if agency.is_all_agencies else agencies.get(ALL_AGENCIES)
    wanted = [found.pk for found in (agency, everyone) if found is not None]

    recommendations = Recommendation.objects.visible_to(user).filter(agencies__in=wanted)
    actions = Action.objects.visible_to(user).filter(agencies__in=wanted)
    reviews = (
        Review.objects.visible_to(user)
        .filter(Exists(recommendations.filter(review=OuterRef("pk"))) | Exists(actions.filter(review=OuterRef("pk"))))
        .order_by(*review_order(), "pk")
    )
    paginator = Paginator(reviews.values_list("pk", flat=True), per_page)
    page = paginator.get_page(page_number)
    found = Review.objects.select_related("partnership").in_bulk(list(page.object_list))
    page.object_list = [found[pk] for pk in page.object_list if pk in found]
    blocks = {review.pk: ReviewForAgency(review=review) for review in page.object_list}
    ids = list(blocks)

    chosen = Prefetch("agencies", queryset=Agency.objects.order_by("position", "name"))
    shown_recommendations = list(
        recommendations_for_page(user)
        .filter(pk__in=recommendations.filter(review__in=ids).values("pk"))
        .prefetch_related(chosen)
    )
    attach_recommendation_links(shown_recommendations, user)
    listed = {recommendation.pk for recommendation in shown_recommendations}
    for recommendation in shown_recommendations:
        recommendation.shown_because = _why(recommendation, recommendation.addressed_to, agency, everyone)
        blocks[recommendation.review_id].recommendations.append(recommendation)
    shown_actions = (
        actions_for_page(user)
        .filter(pk__in=actions.filter(review__in=ids).values("pk"))
        .select_related("recommendation__review")
        .prefetch_related(chosen)
    )
    for action in shown_actions:
        action.shown_because = _why(action, action.owner, agency, everyone)
        if action.recommendation_id not in listed:
            blocks[action.review_id].actions.append(action)

    # The learning of each review on the themes of what it addresses to the agency.
    themes_by_review: dict[int, dict[int, Theme]] = {}
    for block in blocks.values():
        themes = {theme.pk: theme for item in [*block.recommendations, *block.actions] for theme in item.themes.all()}
        themes_by_review[block.review.pk] = themes
        block.themes = sorted(themes.values(), key=lambda theme: theme.name.lower())
    all_themes = {pk for themes in themes_by_review.values() for pk in themes}
    points = learning_points_for_page(user).filter(
        pk__in=LearningPoint.objects.filter(review__in=ids, themes__in=all_themes).values("pk")
    )
    for point in points:
        if any(theme.pk in themes_by_review[point.review_id] for theme in point.themes.all()):
            blocks[point.review_id].learning_points.append(point)

    sources: dict[int, Source] = {}
    for block in blocks.values():
        for item in [*block.recommendations, *block.actions, *block.learning_points]:
            sources.setdefault(item.source_id, item.source)
    return AgencyPage(
        agency=agency,
        everyone=everyone,
        page=page,
        reviews=list(blocks.values()),
        sources=sorted(sources.values(), key=lambda source: source.title.lower()),
    )


def _why(item, words: str, agency: Agency, everyone: Agency | None) -> dict[str, Any]:
    """Why an entry is on the agency's page, for the template to say: the briefing's words
    (``addressed_to`` or ``owner``), the knowledge base's reading of them, and whether it is
    there for the agency itself or for all agencies."""
    reading = list(item.agencies.all())
    return {
        "words": words,
        "reading": reading,
        "direct": any(found.pk == agency.pk for found in reading),
        "everyone": everyone is not None and any(found.pk == everyone.pk for found in reading),
    }

"""Recommendations made more than once: each entry's earlier and later ones, and a theme's chains.

A link (``RecommendationLink``) is shown only when both of its
recommendations are visible to the user (for the public: both reviews
published), so a draft never shows through a link. The years are the
reviews' publication years as recorded (``Review.published_on``); a review
whose publication date is not recorded has no year, and says so: none is
guessed (not even from the year it was commissioned).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q

from ..models import DatePrecision, Recommendation, RecommendationLink, Review, Theme


def publication_year(review: Review) -> int | None:
    """The year the review was published, as recorded; None when no publication date is recorded."""
    if review.published_on is None or review.published_precision == DatePrecision.UNKNOWN:
        return None
    return review.published_on.year


def _by_publication(recommendation: Recommendation) -> tuple:
    """Oldest first by what the publication dates give; those with none recorded last."""
    review = recommendation.review
    known = publication_year(review) is not None
    return (not known, review.published_on if known else None, review.title, recommendation.position, recommendation.pk)


@dataclass
class LinkedRecommendation:
    """One recommendation at the other end of a link, as an entry shows it."""

    recommendation: Recommendation
    relation: str
    note: str

    @property
    def review(self) -> Review:
        return self.recommendation.review

    @property
    def year(self) -> int | None:
        return publication_year(self.recommendation.review)


# What an entry says of its links, by direction and relation, in this order.
SENTENCES = (
    ("made_before", "repeats", "This recommendation was made before, in"),
    ("made_before", "replaces", "It replaces a recommendation made before, in"),
    ("made_again", "repeats", "It was made again later, in"),
    ("made_again", "replaces", "It was replaced by a later recommendation, in"),
)


@dataclass
class LinkSentence:
    """ "This recommendation was made before, in" and the recommendations it names, oldest first."""

    lead: str
    linked: list[LinkedRecommendation]


def link_sentences(recommendation: Recommendation) -> list[LinkSentence]:
    sentences = []
    for direction, relation, lead in SENTENCES:
        linked = [item for item in getattr(recommendation, direction, []) if item.relation == relation]
        if linked:
            sentences.append(LinkSentence(lead, linked))
    return sentences


def attach_recommendation_links(
    recommendations: Iterable[Recommendation], user, *, links: list[RecommendationLink] | None = None
) -> None:
    """Give each recommendation ``made_before`` (the earlier ones it repeats or replaces) and
    ``made_again`` (the later ones repeating or replacing it), oldest first, and ``link_sentences``
    (what its entry says of them): one query, or none when ``links`` gives the links already read
    (in the order they were recorded) that include every link of these recommendations the user
    may see (``links_on_theme`` for recommendations on the theme)."""
    recommendations = list(recommendations)
    by_id = {recommendation.pk: recommendation for recommendation in recommendations}
    for recommendation in recommendations:
        recommendation.made_before, recommendation.made_again, recommendation.link_sentences = [], [], []
    if not by_id:
        return
    if links is None:
        links = _with_ends(
            RecommendationLink.objects.filter(Q(later__in=list(by_id)) | Q(earlier__in=list(by_id))), user
        )
    for link in links:
        if link.later_id in by_id:
            by_id[link.later_id].made_before.append(LinkedRecommendation(link.earlier, link.relation, link.note))
        if link.earlier_id in by_id:
            by_id[link.earlier_id].made_again.append(LinkedRecommendation(link.later, link.relation, link.note))
    for recommendation in recommendations:
        recommendation.made_before.sort(key=lambda linked: _by_publication(linked.recommendation))
        recommendation.made_again.sort(key=lambda linked: _by_publication(linked.recommendation))
        recommendation.link_sentences = link_sentences(recommendation)


@dataclass
class ChainMember:
    recommendation: Recommendation
    replaces: list[Recommendation] = field(default_factory=list)  # earlier ones in the chain it replaces
    notes: list[str] = field(default_factory=list)  # the knowledge base's notes on its links to earlier ones

    @property
    def review(self) -> Review:
        return self.recommendation.review

    @property
    def year(self) -> int | None:
        return publication_year(self.recommendation.review)


@dataclass
class RecurringRecommendation:
    """Recommendations linked to one another (repeats or replaces), oldest first."""

    members: list[ChainMember]

    @property
    def years(self) -> list[int]:
        """The distinct publication years recorded, oldest first."""
        return sorted({member.year for member in self.members if member.year is not None})

    @property
    def years_in_words(self) -> str:
        """ "2016, 2018 and 2023" ("" when no publication date is recorded)."""
        years = [str(year) for year in self.years]
        return f"{', '.join(years[:-1])} and {years[-1]}" if len(years) > 1 else "".join(years)

    @property
    def undated(self) -> int:
        """How many of its reviews have no publication date recorded."""
        return sum(1 for member in self.members if member.year is None)

    @property
    def recommendations(self) -> list[Recommendation]:
        return [member.recommendation for member in self.members]


def links_on_theme(theme: Theme, user) -> list[RecommendationLink]:
    """The links the user may see (both ends visible) with a recommendation on ``theme`` at one end
    or both, in the order they were recorded, with both recommendations, their reviews and sources:
    one query, and one more when there are any (``_with_ends``)."""
    on_theme = Recommendation.themes.through.objects.filter(theme=theme)
    return _with_ends(
        RecommendationLink.objects.filter(
            Exists(on_theme.filter(recommendation_id=OuterRef("later_id")))
            | Exists(on_theme.filter(recommendation_id=OuterRef("earlier_id")))
        ),
        user,
    )


def _with_ends(links, user) -> list[RecommendationLink]:
    """Those of ``links`` the user may see, in the order they were recorded, each with both of its
    recommendations (``earlier``, ``later``) and their reviews and sources: a link is visible when both
    of its recommendations are (``RecommendationLink.objects.visible_to`` says the same in a query).

    The links are read with their own columns, then their recommendations in a second query when
    there are any: two light queries rather than one joining seven tables, which PostgreSQL took
    longer to plan, and Django to compile, than to run (issue 14)."""
    links = sorted(links.order_by(), key=lambda link: link.pk)
    if not links:
        return []
    ends = {link.earlier_id for link in links} | {link.later_id for link in links}
    found = Recommendation.objects.visible_to(user).select_related("review", "source").in_bulk(ends)
    earlier, later = RecommendationLink._meta.get_field("earlier"), RecommendationLink._meta.get_field("later")
    shown = []
    for link in links:
        if link.earlier_id in found and link.later_id in found:
            earlier.set_cached_value(link, found[link.earlier_id])
            later.set_cached_value(link, found[link.later_id])
            shown.append(link)
    return shown


def recurring_on_theme(
    theme: Theme, user, *, links: list[RecommendationLink] | None = None
) -> list[RecurringRecommendation]:
    """The chains of linked recommendations with at least one recommendation on ``theme``: one query
    (none when ``links`` gives ``links_on_theme(theme, user)`` already read).

    The links read are those with a recommendation on the theme at one end
    (so a chain is followed one link away from the theme's recommendations);
    both ends must be visible to the user. Chains whose latest review is the
    most recent come first.
    """
    links = links_on_theme(theme, user) if links is None else links
    # Connected groups of recommendations (union-find on their ids).
    parent: dict[int, int] = {}

    def root(pk: int) -> int:
        parent.setdefault(pk, pk)
        while parent[pk] != pk:
            parent[pk] = parent[parent[pk]]
            pk = parent[pk]
        return pk

    recommendations: dict[int, Recommendation] = {}
    for link in links:
        recommendations[link.earlier_id], recommendations[link.later_id] = link.earlier, link.later
        parent[root(link.later_id)] = root(link.earlier_id)
    members = {pk: ChainMember(recommendation) for pk, recommendation in recommendations.items()}
    for link in links:
        if link.relation == RecommendationLink.Relation.REPLACES:
            members[link.later_id].replaces.append(link.earlier)
        if link.note.strip():
            members[link.later_id].notes.append(link.note)
    chains: dict[int, list[ChainMember]] = {}
    for pk, member in members.items():
        chains.setdefault(root(pk), []).append(member)
    result = [
        RecurringRecommendation(sorted(chain, key=lambda member: _by_publication(member.recommendation)))
        for chain in chains.values()
    ]
    for chain in result:
        for member in chain.members:
            member.replaces.sort(key=_by_publication)
    # The chains made most recently first (by the latest year recorded in each).
    return sorted(result, key=lambda chain: (-(chain.years[-1] if chain.years else 0), chain.members[0].review.title))

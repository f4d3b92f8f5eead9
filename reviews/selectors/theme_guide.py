"""A theme's guide as a page shows it: the overview and practice points in the
knowledge base's words, each followed by numbered links to the entries it rests on.

Read in a fixed number of queries: the guide, its claims, and the learning
points, recommendations and actions they cite (prefetched, with each entry's
review), whatever the number of claims. No guide (or none the user may see)
costs the one query.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, prefetch_related_objects

from ..models import Action, GuideClaim, LearningPoint, Recommendation, Theme, ThemeGuide
from ..models.guides import CITED_FIELDS

# What each kind of citation is called in the API.
ENTRY_KINDS = {"learning_points": "learning_point", "recommendations": "recommendation", "actions": "action"}


@dataclass
class Citation:
    """One entry a claim rests on, numbered once per guide (an entry cited twice keeps its number)."""

    number: int
    entry: LearningPoint | Recommendation | Action
    is_public: bool
    kind: str = ""  # "learning_point", "recommendation" or "action"

    @property
    def review_title(self) -> str:
        """The title of the review the entry is from (or of its briefing, for learning tied to no review)."""
        entry = self.entry
        return entry.review.title if entry.review_id else entry.source.title


@dataclass
class GuideLine:
    claim: GuideClaim
    citations: list[Citation]


@dataclass
class GuideView:
    """What the top of a theme's page shows; empty lists where a kind has no claim shown."""

    guide: ThemeGuide
    overview: list[GuideLine] = field(default_factory=list)
    findings: list[GuideLine] = field(default_factory=list)
    practice: list[GuideLine] = field(default_factory=list)

    @property
    def lines(self) -> list[GuideLine]:
        return [*self.overview, *self.findings, *self.practice]

    def __bool__(self) -> bool:
        return bool(self.lines)

    @property
    def cited(self) -> list[Citation]:
        """Every entry cited, once, in the order of its number."""
        unique = {citation.number: citation for line in self.lines for citation in line.citations}
        return [unique[number] for number in sorted(unique)]


def _cited(model):
    """The entries of one kind, each with its review and whether the public may see it
    (the model's own ``published()``: the rule is never repeated here)."""
    public = model.objects.published().filter(pk=OuterRef("pk"))
    related = ["review", "source"]
    return model.objects.select_related(*related).annotate(is_public=Exists(public)).order_by("position", "pk")


def theme_guide(user, theme: Theme) -> GuideView | None:
    """The guide of ``theme`` the user may see, or None (``theme_guides``)."""
    return theme_guides(user, [theme]).get(theme.pk)


def theme_guides(user, themes) -> dict[int, GuideView]:
    """The guides of ``themes`` the user may see, by theme id, in a fixed number of queries.

    The public sees a published guide, and in it only the claims whose cited
    entries are all public: a claim's words rest on its entries, so a claim
    citing a draft entry is left out rather than shown with fewer citations.
    Staff see drafts too (the template marks a draft guide and draft entries).
    A guide with no claim to show is left out.
    """
    guides = list(ThemeGuide.objects.visible_to(user).filter(theme__in=[theme.pk for theme in themes]))
    if guides:  # most themes have none: then the one query
        prefetch_related_objects(
            guides,
            Prefetch("claims", queryset=GuideClaim.objects.order_by("position", "pk")),
            *(
                Prefetch(f"claims__{name}", queryset=_cited(model))
                for name, model in zip(CITED_FIELDS, (LearningPoint, Recommendation, Action), strict=True)
            ),
        )
    staff = getattr(user, "is_staff", False)
    views = {}
    for guide in guides:
        view = _guide_view(guide, staff=staff)
        if view:
            views[guide.theme_id] = view
    return views


def _guide_view(guide: ThemeGuide, *, staff: bool) -> GuideView:
    view = GuideView(guide=guide)
    numbers: dict[tuple[str, int], int] = {}
    lists = {
        GuideClaim.Kind.OVERVIEW: view.overview,
        GuideClaim.Kind.FINDING: view.findings,
        GuideClaim.Kind.PRACTICE: view.practice,
    }
    for claim in guide.claims.all():
        entries = [(name, entry) for name in CITED_FIELDS for entry in getattr(claim, name).all()]
        if not entries or not (staff or all(entry.is_public for _name, entry in entries)):
            continue
        citations = []
        for name, entry in entries:
            number = numbers.setdefault((name, entry.pk), len(numbers) + 1)
            citations.append(Citation(number=number, entry=entry, is_public=entry.is_public, kind=ENTRY_KINDS[name]))
        citations.sort(key=lambda citation: citation.number)
        lists.get(claim.kind, view.findings).append(GuideLine(claim=claim, citations=citations))
    return view

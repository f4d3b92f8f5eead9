"""A theme page's entries: what its page of reviews says on the theme, read in a few light queries.

As ``review_entries`` does for a review page: each kind of entry is read with
its own columns only (no briefing, section or review joined to every row);
the page's reviews are given to their entries, and the briefings and sections
are read once for all of them (``attach_loaded``); every entry's themes and
resources are read in one query for all kinds (``attach_themes_and_resources``);
the actions are read once, both those on the theme and those answering a
listed recommendation (``attach_answers``). The shared entry templates then
find what they read (``entry.themes.all()``, ``recommendation.actions.all()``,
``point.visible_repeat_of``…) as ``prefetch_related`` would have left it.
At national scale this took the largest theme page from 26 queries of up to
eighty columns to lighter ones (docs/BENCHMARKS.md, issue 14).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q

from ..models import Action, CaseFact, LearningPoint, Recommendation, Review, Theme
from .review_entries import (
    attach_answers,
    attach_loaded,
    attach_repeats,
    attach_themes_and_resources,
    attach_updates,
    with_updates_known,
)


@dataclass
class ThemeEntries:
    """The entries on a theme of a page of reviews, each kind in its briefing's order."""

    points: list[LearningPoint] = field(default_factory=list)  # with those tied to no review, when asked for
    recommendations: list[Recommendation] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)  # on the theme, or answering a listed recommendation
    case_facts: list[CaseFact] = field(default_factory=list)

    @property
    def all(self) -> list:
        return [*self.points, *self.recommendations, *self.actions, *self.case_facts]


def theme_entries(user, theme: Theme, reviews: dict[int, Review], *, cross_cutting: bool = False) -> ThemeEntries:
    """The entries on ``theme`` of ``reviews`` (reviews the user may see, by id, so all their entries are
    visible: ``ReviewItemQuerySet``), and with ``cross_cutting`` the learning on it tied to no review
    that the user may see; with their themes, resources, briefing, section and review, the actions
    answering each recommendation, and the visible copies of each learning point's paragraph.

    About ten queries, however many reviews and entries: one per kind of entry, then one each for the
    entries' themes and resources, the resources, the briefings, the sections, the actions' status
    reports and the copies of the learning points' paragraphs (each only when there is something to read).

    A learning point's ``repeat_on_theme`` says whether the paragraph it repeats is on this theme too
    (the theme page then shows it briefly, pointing to the full one: ``includes/point_repeated.html``).
    """
    ids = list(reviews)
    # The reviews' learning is visible with them; learning tied to no review by its own rule.
    wanted = Q(review__in=ids)
    if cross_cutting:
        wanted |= LearningPoint.objects.tied_to_no_review_visible_to(user)
    points = LearningPoint.objects.filter(wanted, themes=theme).annotate(
        # Whether any learning point repeats it: most are repeated nowhere, and then their copies need no query.
        copied=Exists(LearningPoint.objects.filter(repeats=OuterRef("pk")))
    )
    entries = ThemeEntries(
        points=_in_briefing_order(points),
        recommendations=_in_briefing_order(Recommendation.objects.filter(themes=theme, review__in=ids)),
        case_facts=_in_briefing_order(CaseFact.objects.filter(themes=theme, review__in=ids)),
    )
    # The actions on the theme, and every answer of a recommendation listed (whatever its themes).
    on_theme = Exists(Action.themes.through.objects.filter(action_id=OuterRef("pk"), theme=theme))
    listed = [recommendation.pk for recommendation in entries.recommendations]
    actions = Action.objects.filter(Q(review__in=ids) & on_theme | Q(recommendation__in=listed))
    entries.actions = _in_briefing_order(with_updates_known(actions)) if ids else []
    attach_updates(entries.actions)

    attach_themes_and_resources(entries.all)
    attach_answers(entries.recommendations, entries.actions)
    attach_repeats(user, entries.points, copied={point.pk for point in entries.points if point.copied})
    _mark_repeats_on_theme(entries.points, theme)
    attach_loaded(entries.all, reviews=reviews)
    return entries


def _mark_repeats_on_theme(points: list[LearningPoint], theme: Theme) -> None:
    """Set ``repeat_on_theme`` on each learning point repeating a paragraph the user may see
    (``visible_repeat_of``) that is on ``theme`` too: one query when any point repeats one, else none."""
    repeated = {point.visible_repeat_of.pk for point in points if point.visible_repeat_of is not None}
    on_theme = set()
    if repeated:
        links = LearningPoint.themes.through.objects.filter(theme=theme, learningpoint_id__in=list(repeated))
        on_theme = set(links.values_list("learningpoint_id", flat=True))
    for point in points:
        point.repeat_on_theme = point.visible_repeat_of is not None and point.visible_repeat_of.pk in on_theme


def _in_briefing_order(entries) -> list:
    """The entries in their briefings' order (``position``, then id). Sorted here rather than by an
    ORDER BY: Django's compiling of one costs more than sorting a page's few dozen entries (issue 14)."""
    return sorted(entries.order_by(), key=lambda entry: (entry.position, entry.pk))

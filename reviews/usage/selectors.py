"""What the public sees of the uses of learning: counts by kind and the month
of the first use, never who used it, with which team, or the note.

A learning point's uses are those recorded against it; a review's, those
recorded against the review or any of its learning points; a theme's, those
recorded against the theme or any learning point on it. Each use counts once.
Only uses of what the public may see are counted.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Min, OuterRef, Q

from ..models import LearningPoint, LearningUse
from ..selectors.common import SubqueryCount

# The words for a number of uses of each kind: (one, many).
KIND_WORDS = {
    LearningUse.Kind.TEAM_BRIEFING: ("team briefing", "team briefings"),
    LearningUse.Kind.COURSE: ("course or training session", "courses or training sessions"),
    LearningUse.Kind.SUPERVISION: ("supervision", "supervisions"),
    LearningUse.Kind.OTHER: ("other use", "other uses"),
}


@dataclass
class UseSummary:
    """How often something was used, by kind, and since when."""

    counts: dict[str, int] = field(default_factory=dict)
    since: object = None  # the date of the first use

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def parts(self) -> list[str]:
        """ "4 team briefings", "1 supervision"... in the order of the kinds."""
        return [
            f"{self.counts[kind]} {KIND_WORDS[kind][0 if self.counts[kind] == 1 else 1]}"
            for kind in LearningUse.Kind.values
            if self.counts.get(kind)
        ]

    @property
    def sentence(self) -> str:
        """ "Used in 4 team briefings and 1 course or training session since March 2026"."""
        if not self.total:
            return ""
        parts = self.parts
        listed = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
        return f"Used in {listed} since {self.since:%B %Y}"


def _summaries(rows) -> dict[int, UseSummary]:
    found: dict[int, UseSummary] = defaultdict(UseSummary)
    for row in rows:
        summary = found[row["key"]]
        summary.counts[row["kind"]] = summary.counts.get(row["kind"], 0) + row["n"]
        if summary.since is None or row["first"] < summary.since:
            summary.since = row["first"]
    return dict(found)


def _rows(queryset, key: str) -> list[dict]:
    """Counts and first date by (``key``, kind); ``order_by()`` so the default ordering does not split groups."""
    grouped = queryset.values(key, "kind").annotate(n=Count("pk", distinct=True), first=Min("used_on")).order_by()
    return [{"key": row[key], "kind": row["kind"], "n": row["n"], "first": row["first"]} for row in grouped]


def uses_of_learning_points(point_ids) -> dict[int, UseSummary]:
    """Each learning point's uses, by its id (one query; none for no ids)."""
    point_ids = list(point_ids)
    if not point_ids:
        return {}
    return _summaries(_rows(LearningUse.objects.filter(learning_point__in=point_ids), "learning_point_id"))


def uses_of_review(review, user=None) -> UseSummary:
    """A review's uses: of the review, or of any of its learning points the user may see (one query)."""
    points = LearningPoint.objects.visible_to(user).filter(review=review).values("pk")
    rows = LearningUse.objects.filter(Q(review=review) | Q(learning_point__in=points))
    return _summary_of(rows)


def uses_of_theme(theme, user=None) -> UseSummary:
    """A theme's uses: of the theme, or of any learning point on it the user may see (one query)."""
    points = LearningPoint.objects.visible_to(user).filter(themes=theme).values("pk")
    rows = LearningUse.objects.filter(Q(theme=theme) | Q(learning_point__in=points))
    return _summary_of(rows)


def _summary_of(queryset) -> UseSummary:
    summary = UseSummary()
    for row in queryset.values("kind").annotate(n=Count("pk", distinct=True), first=Min("used_on")).order_by():
        summary.counts[row["kind"]] = row["n"]
        if summary.since is None or row["first"] < summary.since:
            summary.since = row["first"]
    return summary


def attach_uses(points, *, any_used: bool = True) -> None:
    """Give each learning point its ``use_summary`` (one query for all; none for no points, or when the
    caller knows none of them was used: ``any_used=False``)."""
    points = list(points)
    found = uses_of_learning_points(point.pk for point in points) if any_used else {}
    for point in points:
        point.use_summary = found.get(point.pk)


# Counts of uses as annotations, for the API's lists (its records run no query).


def use_count_of_learning_point() -> SubqueryCount:
    return SubqueryCount(LearningUse.objects.filter(learning_point=OuterRef("pk")))


def use_count_of_review() -> SubqueryCount:
    """Uses of a published review or of its learning points (a published review's learning is published)."""
    return SubqueryCount(
        LearningUse.objects.filter(Q(review=OuterRef("pk")) | Q(learning_point__review=OuterRef("pk")))
    )


def use_count_of_theme() -> SubqueryCount:
    """Uses of a theme or of published learning points on it."""
    published = LearningPoint.objects.published().values("pk")
    return SubqueryCount(
        LearningUse.objects.filter(
            Q(theme=OuterRef("pk")) | Q(learning_point__themes=OuterRef("pk"), learning_point__in=published)
        )
    )

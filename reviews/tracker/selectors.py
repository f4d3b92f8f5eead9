"""The board view's rows: every action with its state, latest report and evidence.

An action is *done* when its closing judgement says so, or its latest status
reported is "done"; *closed* when judged superseded or not accepted;
*overdue* when neither, and its target date (read from the briefing's words)
has passed; otherwise *open*. Target dates the words do not give ("later
this year") never make an action overdue: the board sees the words instead.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import models
from django.db.models import QuerySet
from django.utils import timezone

from ..models import Action

NO_OWNER = "Owner not stated"


class State(models.TextChoices):
    OPEN = "open", "Open"
    OVERDUE = "overdue", "Overdue"
    DONE = "done", "Done"
    CLOSED = "closed", "Closed without being done"


DONE_JUDGEMENTS = {Action.ClosingJudgement.DONE_IMPACT_SHOWN, Action.ClosingJudgement.DONE_IMPACT_NOT_SHOWN}
CLOSED_JUDGEMENTS = {Action.ClosingJudgement.SUPERSEDED, Action.ClosingJudgement.NOT_ACCEPTED}


def action_state(action: Action, *, today: datetime.date) -> str:
    """Open, overdue, done or closed (``State``) on ``today``; prefetch ``updates`` to avoid a query."""
    if action.closing_judgement in DONE_JUDGEMENTS:
        return State.DONE
    if action.closing_judgement in CLOSED_JUDGEMENTS:
        return State.CLOSED
    if action.current_status == Action.Status.DONE:
        return State.DONE
    if action.target_date is not None and action.target_date < today:
        return State.OVERDUE
    return State.OPEN


@dataclass
class Evidence:
    """The latest evidence of impact reported, and by whom and when ("" and ``None`` from the briefing)."""

    text: str
    reported_by: str = ""
    reported_on: datetime.date | None = None

    @property
    def from_briefing(self) -> bool:
        return self.reported_on is None


@dataclass
class TrackerRow:
    action: Action
    state: str
    latest_update: object | None
    evidence: Evidence | None

    @property
    def owner(self) -> str:
        return self.action.owner or NO_OWNER

    @property
    def state_label(self) -> str:
        return State(self.state).label

    @property
    def target(self) -> str:
        """The target date as the board should read it: the date where the words give one, else the words."""
        action = self.action
        if action.target_date is not None:
            return action.target_date_display
        if action.target_date_as_stated:
            return f"target as written: {action.target_date_as_stated}"
        return "no target date given"


@dataclass
class ReviewGroup:
    review: object
    rows: list[TrackerRow] = field(default_factory=list)


@dataclass
class OwnerGroup:
    owner: str
    reviews: list[ReviewGroup] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(State.values, 0)
        for group in self.reviews:
            for row in group.rows:
                counts[row.state] += 1
        return counts


def latest_evidence(action: Action) -> Evidence | None:
    """The most recent report that gives evidence of impact, else the briefing's own words, else ``None``."""
    for update in reversed(action.status_reports):
        if update.evidence_of_impact.strip():
            return Evidence(update.evidence_of_impact, update.reported_by, update.reported_on)
    if action.evidence_of_impact.strip():
        return Evidence(action.evidence_of_impact)
    return None


def tracked_actions() -> QuerySet[Action]:
    """Every action, drafts included (the board view is for staff), with what a row shows: 6 queries."""
    return (
        Action.objects.select_related("review", "recommendation", "source")
        # The agencies, and the recommendation's agencies and actions, for the checklist's CSV columns.
        .prefetch_related("updates", "agencies", "recommendation__agencies", "recommendation__actions")
        .order_by("owner", "review__title", "review_id", "position", "pk")
    )


def tracker_rows(
    *, owner: str = "", review_id: int | None = None, state: str = "", today: datetime.date | None = None
) -> list[TrackerRow]:
    """The board view's rows, filtered by owner (as written; ``NO_OWNER`` for none), review and state."""
    today = today or timezone.localdate()
    actions = tracked_actions()
    if owner:
        actions = actions.filter(owner="" if owner == NO_OWNER else owner)
    if review_id:
        actions = actions.filter(review_id=review_id)
    rows = []
    for action in actions:
        row = TrackerRow(action, action_state(action, today=today), action.latest_update, latest_evidence(action))
        if not state or row.state == state:
            rows.append(row)
    return rows


def tracker_groups(rows: list[TrackerRow]) -> list[OwnerGroup]:
    """Rows by owner, then by review, in the rows' order."""
    owners: dict[str, OwnerGroup] = {}
    for row in rows:
        owner = owners.setdefault(row.owner, OwnerGroup(row.owner))
        if not owner.reviews or owner.reviews[-1].review.pk != row.action.review_id:
            owner.reviews.append(ReviewGroup(row.action.review))
        owner.reviews[-1].rows.append(row)
    return list(owners.values())


def tracker_totals(rows: list[TrackerRow]) -> dict[str, int]:
    totals = dict.fromkeys(State.values, 0)
    for row in rows:
        totals[row.state] += 1
    return totals


def owner_choices() -> list[str]:
    """The owners as written, for the filter: each once, in order, "Owner not stated" last if any."""
    owners = list(Action.objects.order_by("owner").values_list("owner", flat=True).distinct())
    named = [owner for owner in owners if owner]
    return named + ([NO_OWNER] if "" in owners else [])

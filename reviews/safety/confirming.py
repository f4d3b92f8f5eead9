"""Writes of the safety check: an editor's confirmations, and publishing only
once every finding is confirmed."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from ..models import Review, SafetyConfirmation
from ..services.publishing import review_publish
from .check import CheckResult, review_check


class UnconfirmedFindings(Exception):
    """Publishing waits: some findings are not confirmed."""

    def __init__(self, result: CheckResult):
        self.result = result
        n = len(result.to_confirm)
        super().__init__(f"{n} finding{'s' if n != 1 else ''} of the safety check to confirm")


class FindingsChanged(ValueError):
    """A confirmation names a finding the check no longer makes (the text was
    edited since the page was shown)."""


@transaction.atomic
def findings_confirm(*, review: Review, keys: list[str], user) -> list[SafetyConfirmation]:
    """Record that ``user`` checked the findings ``keys`` of ``review``. Every
    key must be one of the review's findings still to confirm; otherwise
    nothing is written."""
    result = review_check(review)
    pending = {finding.key: finding for finding in result.to_confirm}
    already = {finding.key for finding, _ in result.confirmed}
    unknown = [key for key in keys if key not in pending and key not in already]
    if unknown:
        raise FindingsChanged("The review's text changed since the check was shown: check it again.")
    now = timezone.now()
    created = []
    for key in dict.fromkeys(keys):
        finding = pending.get(key)
        if finding is None:
            continue  # confirmed meanwhile, by this editor in another tab or by another
        created.append(
            SafetyConfirmation.objects.create(
                review=review,
                key=key,
                kind=finding.kind,
                text=finding.text[:300],
                location=finding.where[:300],
                passage=finding.passage,
                confirmed_by=user,
                confirmed_at=now,
            )
        )
    return created


@transaction.atomic
def review_publish_checked(*, review: Review, user=None) -> Review:
    """Publish ``review`` only if every finding of its safety check is confirmed."""
    result = review_check(review)
    if not result.all_confirmed:
        raise UnconfirmedFindings(result)
    return review_publish(review=review, user=user)

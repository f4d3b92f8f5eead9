"""Publishing and unpublishing reviews and their sources, and setting an
action's status: the writes that change what the public site shows."""

from __future__ import annotations

import operator
from functools import reduce

from django.db import transaction
from django.db.models import Exists, OuterRef

from .. import caching
from ..models import Action, CaseFact, LearningPoint, PublicationStatus, Recommendation, Review, Source
from .history import attribute_change

# Each way a source can be drawn on: the model, and its field naming the source.
SOURCE_USES = (
    (Review.sources.through, "source"),
    (LearningPoint, "source"),
    (Recommendation, "source"),
    (Action, "source"),
    (CaseFact, "source"),
)


def _review_sources(review: Review):
    """The review's sources and every source one of its entries quotes, so that
    no published entry links to a draft source.

    One ``EXISTS`` per relation rather than one join across all five: joining
    them multiplies rows (a source with 2,000 learning points and 500
    recommendations makes a million), however small this review is.
    """
    uses = [
        Exists(model.objects.filter(review=review, **{source_field: OuterRef("pk")}))
        for model, source_field in SOURCE_USES
    ]
    return Source.objects.filter(reduce(operator.or_, uses))


def review_sources(review: Review):
    """The sources published with ``review`` (see ``_review_sources``)."""
    return _review_sources(review)


def _still_needed():
    """Sources that must stay public: drawn on by a published review or one of
    its entries, or carrying learning of their own (cross-cutting learning
    points, not tied to a review). One ``EXISTS`` per relation, as above."""
    published = PublicationStatus.PUBLISHED
    uses = [
        Exists(model.objects.filter(review__status=published, **{source_field: OuterRef("pk")}))
        for model, source_field in SOURCE_USES
    ]
    uses.append(Exists(LearningPoint.objects.filter(review__isnull=True, source=OuterRef("pk"))))
    return reduce(operator.or_, uses)


@transaction.atomic
def review_publish(*, review: Review, user=None) -> Review:
    """Publish a review with its sources: it and its entries become public."""
    for source in _review_sources(review).filter(status=PublicationStatus.DRAFT):
        source_publish(source=source, user=user)
    if review.status != PublicationStatus.PUBLISHED:
        review.status = PublicationStatus.PUBLISHED
        attribute_change(review, user=user, reason="Published")
        review.save()
    # The saves above replace the content version through signals; said here
    # too, so that publishing never depends on which writes send them.
    caching.content_changed()
    return review


@transaction.atomic
def review_unpublish(*, review: Review, user=None) -> Review:
    """Take a review back to draft. Its sources go back to draft too, unless
    another published review draws on them or they carry learning of their own
    (cross-cutting learning points, not tied to a review)."""
    if review.status != PublicationStatus.DRAFT:
        review.status = PublicationStatus.DRAFT
        attribute_change(review, user=user, reason="Unpublished")
        review.save()
    sources = _review_sources(review).filter(status=PublicationStatus.PUBLISHED).exclude(_still_needed())
    for source in sources:
        source_unpublish(source=source, user=user)
    caching.content_changed()
    return review


def source_publish(*, source: Source, user=None) -> Source:
    """Publish one source document (its original text becomes public)."""
    if source.status != PublicationStatus.PUBLISHED:
        source.status = PublicationStatus.PUBLISHED
        attribute_change(source, user=user, reason="Published")
        source.save()
    return source


def source_unpublish(*, source: Source, user=None) -> Source:
    if source.status != PublicationStatus.DRAFT:
        source.status = PublicationStatus.DRAFT
        attribute_change(source, user=user, reason="Unpublished")
        source.save()
    return source


# ---------------------------------------------------------------------------
# Actions
# ---------------------------------------------------------------------------


def action_status_set(*, action: Action, status: str, user=None) -> Action:
    """Record an action's new status; ``Action.save()`` stamps when it changed."""
    if status not in Action.Status.values:
        raise ValueError(f"Unknown action status {status!r}.")
    if action.status != status:
        action.status = status
        attribute_change(action, user=user, reason=f"Status set to {Action.Status(status).label}")
        action.save()
    return action

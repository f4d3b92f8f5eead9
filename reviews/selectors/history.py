"""When content changed or went: a review's last change, and the record of a deletion.

For everything that says how current it is (the feed, the sitemap, printed
briefings, the API) and for the addresses that must explain that something
is gone (permanent links, embeds).
"""

from __future__ import annotations

import datetime

from django.db.models import DateTimeField, F, Max, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Greatest

from ..models import Action, CaseFact, LearningPoint, Recommendation, Review

_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def _latest_item_change(model) -> Subquery:
    return Subquery(
        model.objects.filter(review=OuterRef("pk"))
        .order_by()
        .values("review")
        .annotate(latest=Max("updated_at"))
        .values("latest")[:1]
    )


def with_last_updated(reviews: QuerySet[Review]) -> QuerySet[Review]:
    """Annotate ``last_updated``: the latest change to a review or any of its entries.

    A review's own ``updated_at`` does not move when one of its learning
    points is corrected, but its printed briefing and its feed entry have
    changed. ``Coalesce`` keeps ``Greatest`` working on SQLite, where a
    single NULL argument would make the whole result NULL.
    """
    epoch = Value(_EPOCH, output_field=DateTimeField())
    return reviews.annotate(
        last_updated=Greatest(
            F("updated_at"),
            *(
                Coalesce(_latest_item_change(model), epoch)
                for model in (LearningPoint, Recommendation, Action, CaseFact)
            ),
        )
    )


def deletion_of(model, **lookup):
    """The edit-history record of an object's deletion, or None if it was never
    deleted or is back (django-simple-history's ``history_type "-"``).

    ``lookup`` is ``pk=...`` or, for a page addressed by slug, ``slug=...``.
    Two queries at most; only asked once an object was not found.
    """
    history_lookup = {"id": lookup["pk"]} if "pk" in lookup else lookup
    deleted = model.history.filter(history_type="-", **history_lookup).order_by("-history_date").first()
    if deleted is None or model._default_manager.filter(**lookup).exists():
        return None
    return deleted


def surviving_review(deleted, *, user=None) -> Review | None:
    """The review a deleted entry (its ``deletion_of`` record) belonged to, if that
    review is still there for the user to see: published, or any review for staff.

    Without a user (an embed, which shows published content to everyone),
    published only. One query, none if the entry belonged to no review.
    """
    review_id = getattr(deleted, "review_id", None)
    if not review_id:
        return None
    reviews = Review.objects.published() if user is None else Review.objects.visible_to(user)
    return reviews.filter(pk=review_id).first()

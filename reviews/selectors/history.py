"""When content changed or went: a review's last change, and the record of a deletion.

For everything that says how current it is (the feed, the sitemap, printed
briefings, the API) and for the addresses that must explain that something
is gone (permanent links, embeds). Only what the public could once see may
be said to be gone: the deletion of a draft is as unknown as an id never
used (``deletion_of``, ``was_ever_public``).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from itertools import groupby

from django.db.models import DateTimeField, F, Max, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Greatest

from ..kept.pending import flush as kept_flush
from ..models import (
    THEMED_ENTRIES,
    Action,
    CaseFact,
    CoursePack,
    LearningPoint,
    PublicationStatus,
    Recommendation,
    Review,
    Source,
    Theme,
)

_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
# The end of a span that has not ended: the version is still the current one.
_OPEN = datetime.datetime.max.replace(tzinfo=datetime.UTC)


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


def with_kept_last_updated(reviews: QuerySet[Review]) -> QuerySet[Review]:
    """Annotate ``last_updated`` as ``with_last_updated`` does, read from the kept
    ``ReviewFigures`` (one join instead of four subqueries a review): for lists of
    any length, and for ordering by it (the feed) from an index."""
    kept_flush()
    return reviews.annotate(last_updated=Coalesce(F("figures__last_updated"), F("updated_at")))


def deletion_of(model, **lookup):
    """The edit-history record of the deletion of something the public could once
    see, or None: it was never deleted, is back, or was never public
    (``was_ever_public``). So a deleted draft answers exactly like an id or a
    slug never used (404), and only what was once published says "removed" (410).

    ``lookup`` is ``pk=...`` or, for a page addressed by slug, ``slug=...``.
    Only asked once an object was not found: two queries, and those of
    ``was_ever_public`` for a deletion.
    """
    history_lookup = {"id": lookup["pk"]} if "pk" in lookup else lookup
    deleted = model.history.filter(history_type="-", **history_lookup).order_by("-history_date").first()
    if deleted is None or model._default_manager.filter(**lookup).exists():
        return None
    return deleted if was_ever_public(model, pk=deleted.id) else None


def was_ever_public(model, *, pk: int) -> bool:
    """Whether the public could ever see object ``pk`` of ``model``, by its edit
    history (django-simple-history keeps a version for every save and delete).

    - A review, source or course pack: one of its versions was published.
    - A learning point, recommendation or action: one of its versions was
      public, i.e. its review (for learning tied to no review, its source)
      was published at some moment while that version was current. A
      version is current from its date until the entry's next version, so an
      entry written into a draft review that was published later counts, and
      one moved out of a published review into a draft counts for the time
      it was in the published one.
    - A theme: a version of a learning point, recommendation or action that
      was on it was public (as above), as ``Theme.objects.public()`` says
      of a theme now.

    Anything else, and content written without history (``bulk_create``,
    raw SQL), counts as never public: the answer that reveals nothing.
    A few queries, asked only for a deletion.
    """
    if model in (Review, Source, CoursePack):
        return model.history.filter(id=pk, status=PublicationStatus.PUBLISHED).exists()
    if model in THEMED_ENTRIES:
        return bool(_public_versions(model, [pk]))
    if model is Theme:
        for entry_model in THEMED_ENTRIES:
            on_theme = f"historical{entry_model._meta.model_name}_themes__theme_id"
            versions = dict(entry_model.history.filter(**{on_theme: pk}).values_list("history_id", "id"))
            if versions and _public_versions(entry_model, set(versions.values())) & set(versions):
                return True
    return False


def _spans(rows):
    """Each version as ``(row, end)``: a version is current until the next version of
    the same object (rows ordered by object and date, the object's id first), or still is."""
    for _pk, versions in groupby(rows, key=lambda row: row[0]):
        versions = list(versions)
        for row, following in zip(versions, [*versions[1:], None], strict=True):
            yield row, following[1] if following is not None else _OPEN


def _published_spans(model, ids) -> dict[int, list[tuple[datetime.datetime, datetime.datetime]]]:
    """When each object of ``model`` (one with a ``status``) was published: the
    ``[start, end)`` spans of its published versions, by id. One query."""
    spans: dict[int, list] = defaultdict(list)
    if ids:
        rows = (
            model.history.filter(id__in=ids)
            .order_by("id", "history_date", "history_id")
            .values_list("id", "history_date", "history_type", "status")
        )
        for (pk, start, history_type, status), end in _spans(rows):
            if history_type != "-" and status == PublicationStatus.PUBLISHED:
                spans[pk].append((start, end))
    return spans


def _public_versions(model, entry_ids) -> set[int]:
    """The ``history_id`` of each version of these entries (of a ``THEMED_ENTRIES``
    model) during which the entry was public: its review (or, for learning tied to
    no review, its source) was published at some moment while it was current.
    Three queries at most."""
    rows = list(
        model.history.filter(id__in=entry_ids)
        .order_by("id", "history_date", "history_id")
        .values_list("id", "history_date", "history_type", "history_id", "review_id", "source_id")
    )
    reviews = _published_spans(Review, {row[4] for row in rows if row[4] is not None})
    sources = _published_spans(Source, {row[5] for row in rows if row[4] is None})
    public = set()
    for (_pk, start, history_type, history_id, review_id, source_id), end in _spans(rows):
        if history_type == "-":
            continue
        owner = reviews.get(review_id, []) if review_id is not None else sources.get(source_id, [])
        if any(published < end and start < unpublished for published, unpublished in owner):
            public.add(history_id)
    return public


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

"""Permanent short links (``/lp/42/``): the object a link names, if the user may see it."""

from __future__ import annotations

from django.db import models

from ..models import Action, CaseFact, LearningPoint, MovedEntry, Recommendation, Resource, Source

# What each kind needs loaded to build its address without another query.
RELATED = {
    LearningPoint: ("review", "source"),
    Recommendation: ("review",),
    Action: ("review",),
    CaseFact: ("review",),
}
# The kinds with a short link, as a move records them (``MovedEntry.Kind``).
MOVED_KINDS = {
    LearningPoint: MovedEntry.Kind.LEARNING_POINT,
    Recommendation: MovedEntry.Kind.RECOMMENDATION,
    Action: MovedEntry.Kind.ACTION,
}


def permalink_target(model: type[models.Model], *, pk: int, user) -> models.Model | None:
    """The ``model`` object with this primary key if the user may see it (its
    manager's ``visible_to``, where it has one: themes are always public), loaded
    with what its address needs; else None. One query.
    """
    manager = model.objects
    queryset = manager.visible_to(user) if hasattr(manager, "visible_to") else manager.all()
    if model in RELATED:
        queryset = queryset.select_related(*RELATED[model])
    return queryset.filter(pk=pk).first()


def moved_entry_target(model: type[models.Model], *, pk: int, user) -> models.Model | None:
    """What the ``model`` entry with this old primary key became, when the knowledge base
    recorded it again under another kind or split it (``MovedEntry``), if the user may see
    it; else None. A resource is seen with its briefing."""
    kind = MOVED_KINDS.get(model)
    if kind is None:
        return None
    move = MovedEntry.objects.from_permalink(old_kind=kind, old_pk=pk)
    if move is None:
        return None
    new_model = move.content_type.model_class()
    if new_model is Resource:
        visible = Resource.objects.filter(source__in=Source.objects.visible_to(user)).select_related("source")
        return visible.filter(pk=move.object_id).first()
    if new_model in RELATED:
        return permalink_target(new_model, pk=move.object_id, user=user)
    return None

"""Permanent short links (``/lp/42/``): the object a link names, if the user may see it."""

from __future__ import annotations

from django.db import models

from ..models import Action, LearningPoint, Recommendation

# What each kind needs loaded to build its address without another query.
RELATED = {
    LearningPoint: ("review", "source"),
    Recommendation: ("review",),
    Action: ("review",),
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

"""Mark what every content change makes out of date in the kept rows.

The same writes that keep the search index (``reviews/search/signals.py``)
keep these: saves, deletes and theme changes of reviews, case facts,
learning points, recommendations and actions, and the publication of
sources, from the admin, ``load_kb``, imports, reverts, merges and the
publishing services. The receivers only mark (``pending.py``); the rows are
written once per transaction.

``QuerySet.update()``, ``bulk_create()`` and raw SQL send no signals: code
that writes content that way calls ``pending.mark()`` or ``writing.refresh()``
for what it changed, or ``manage.py rebuild_kept_figures`` afterwards.

Connected in ``ReviewsConfig.ready()``.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save, pre_delete, pre_save

from ..models import THEMED_ENTRIES, LearningPoint, Review, Source
from . import pending


def review_changed(sender, instance, **kwargs):
    # Saved (publication, year, title) or deleted: its rows, and the points repeating its learning.
    pending.mark(reviews=[instance.pk])


def entry_moving(sender, instance, raw=False, **kwargs):
    """An entry saved under another review leaves its old one."""
    if raw or instance._state.adding or instance.pk is None:
        return
    old = sender.objects.filter(pk=instance.pk).values_list("review_id", flat=True).first()
    if old != instance.review_id:
        pending.mark(reviews=[old], points=[instance.pk] if sender is LearningPoint else ())


def entry_saved(sender, instance, **kwargs):
    pending.mark(reviews=[instance.review_id], points=[instance.pk] if sender is LearningPoint else ())


def entry_deleted(sender, instance, **kwargs):
    pending.mark(reviews=[instance.review_id])


def point_deleting(sender, instance, **kwargs):
    """Once deleted, a learning point is on no theme (learning tied to no review counts for its themes),
    and the points that repeated it repeat nothing (``SET_NULL`` sends no signal)."""
    pending.mark(
        themes=instance.themes.values_list("pk", flat=True),
        points=LearningPoint.objects.filter(repeats=instance).values_list("pk", flat=True),
    )


def entry_themes_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action == "pre_clear":
        # Remember what loses the link: the entries (theme.learning_points.clear()) or the themes.
        related = model.objects.filter(themes=instance) if reverse else instance.themes.all()
        instance._kept_cleared = list(related.values_list("pk", flat=True))
        return
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if reverse:
        entry_model, entry_ids, themes = model, list(pk_set or getattr(instance, "_kept_cleared", [])), [instance.pk]
        reviews = entry_model.objects.filter(pk__in=entry_ids).values_list("review_id", flat=True)
    else:
        entry_model, entry_ids, themes = type(instance), [instance.pk], pk_set or getattr(instance, "_kept_cleared", [])
        reviews = [instance.review_id]
    pending.mark(reviews=reviews, themes=themes, points=entry_ids if entry_model is LearningPoint else ())


def source_saved(sender, instance, **kwargs):
    # Learning tied to no review is published with its source.
    pending.mark(sources=[instance.pk])


def connect() -> None:
    """Connect every receiver (idempotent: each has a ``dispatch_uid``)."""
    post_save.connect(review_changed, sender=Review, dispatch_uid="kept-review-saved")
    post_delete.connect(review_changed, sender=Review, dispatch_uid="kept-review-deleted")
    for model in THEMED_ENTRIES:
        name = model._meta.model_name
        pre_save.connect(entry_moving, sender=model, dispatch_uid=f"kept-{name}-moving")
        post_save.connect(entry_saved, sender=model, dispatch_uid=f"kept-{name}-saved")
        post_delete.connect(entry_deleted, sender=model, dispatch_uid=f"kept-{name}-deleted")
        m2m_changed.connect(entry_themes_changed, sender=model.themes.through, dispatch_uid=f"kept-{name}-themes")
    pre_delete.connect(point_deleting, sender=LearningPoint, dispatch_uid="kept-learningpoint-deleting")
    post_save.connect(source_saved, sender=Source, dispatch_uid="kept-source-saved")
    post_migrate.connect(fill_after_migrate, dispatch_uid="kept-fill-after-migrate")


def fill_after_migrate(sender, **kwargs):
    """Fill the kept tables once they exist, for content written before they did (migration 0023).

    Only once the database is migrated all the way (the models then match
    its tables: not after ``migrate reviews 0021`` or a partial migrate),
    the tables are empty and there are reviews: every review has a
    ``ReviewFigures`` row once they are kept.
    """
    # Imported here: signals are connected while the app registry is still loading.
    from django.db import connections
    from django.db.migrations.executor import MigrationExecutor

    from ..management.database import lift_statement_timeout
    from ..models import KnowledgeBaseFigures, ReviewFigures
    from .writing import rebuild, refresh_knowledge_base

    if sender.label != "reviews" or kwargs.get("plan") is None:
        return
    using = kwargs.get("using") or "default"
    executor = MigrationExecutor(connections[using])
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return
    if not Review.objects.using(using).exists():
        return
    if not ReviewFigures.objects.using(using).exists():
        lift_statement_timeout(using)  # bulk work, like the rebuild command's
        rebuild()
    elif not KnowledgeBaseFigures.objects.using(using).exists():
        # Kept rows written before the whole knowledge base's figures were kept (migration 0140).
        refresh_knowledge_base()

"""Keep the search index in step with every content change.

Content is written by board staff in the admin, by ``manage.py load_kb``, by
reverts from the edit history and by deletes; all of them go through
``save()``/``delete()`` and the related managers, so signal receivers see
every change (as in simonw/simonwillisonblog's ``blog/signals.py``). The
receivers mark what changed (``pending.py``); the index is written once per
transaction, when it commits, so a change is searchable, and an unpublished
review gone from public results, as soon as it is saved.

``QuerySet.update()``, ``bulk_create()`` and raw SQL send no signals: code
that writes content that way must call ``reviews.search.index()`` for what it
changed, or run ``manage.py rebuild_search_index``.

Connected in ``ReviewsConfig.ready()``.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from taggit.models import Tag

from ..models import (
    Action,
    CaseFact,
    LearningPoint,
    Partnership,
    Recommendation,
    Review,
    Section,
    Source,
    Theme,
    ThemeAlias,
)
from . import indexing, pending

ITEM_MODELS = (LearningPoint, Recommendation, Action)


# Reviews -------------------------------------------------------------------


def review_changed(sender, instance, **kwargs):
    pending.mark(Review, [instance.pk], with_items=True)


def review_tags_changed(sender, instance, action, **kwargs):
    # The tag through model is shared by every tagged model: only reviews matter here.
    if action in {"post_add", "post_remove", "post_clear"} and isinstance(instance, Review):
        pending.mark(Review, [instance.pk])


# Items: learning points, recommendations, actions ---------------------------


def item_deleting(sender, instance, **kwargs):
    # Once deleted, the item is on no theme: a theme only it made public must be rewritten.
    pending.mark(Theme, instance.themes.values_list("pk", flat=True))


def item_changed(sender, instance, **kwargs):
    pending.mark(sender, [instance.pk])
    # A review is filed under its items' themes.
    pending.mark(Review, [instance.review_id])
    if isinstance(instance, Recommendation) and kwargs.get("signal") is post_save:
        # An action without a heading is titled after its recommendation's number.
        pending.mark(Action, instance.actions.values_list("pk", flat=True))


def item_themes_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action == "pre_clear" and reverse:
        # theme.learning_points.clear(): remember which items lose the theme.
        instance._search_cleared = list(model.objects.filter(themes=instance).values_list("pk", flat=True))
        return
    if action == "pre_clear":
        # item.themes.clear(): remember which themes lose the item.
        instance._search_cleared_themes = list(instance.themes.values_list("pk", flat=True))
        return
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not reverse:
        item_model, item_ids = type(instance), [instance.pk]
        # Whether a theme is public depends on its items (``Theme.objects.public()``).
        pending.mark(Theme, pk_set or getattr(instance, "_search_cleared_themes", []))
    else:
        item_model, item_ids = model, list(pk_set or getattr(instance, "_search_cleared", []))
        pending.mark(Theme, [instance.pk])
    if item_ids:
        if item_model in ITEM_MODELS:  # case facts are not searched themselves
            pending.mark(item_model, item_ids)
        pending.mark(Review, item_model.objects.filter(pk__in=item_ids).values_list("review_id", flat=True))


# Case facts: not searched, but their themes put a theme in their review and make it public.


def case_fact_changed(sender, instance, **kwargs):
    pending.mark(Review, [instance.review_id])


# Sections: an item is found by the heading of the section it sits under.


def section_changed(sender, instance, created=False, **kwargs):
    if created:
        return  # A new section has no entries yet.
    # Its entries, and those of a table's rows and cells (their headings include the table's and row's):
    # the few sections first, then each kind's entries by its indexed section column (an OR across
    # the joins made PostgreSQL read every entry once per section saved).
    children = list(Section.objects.filter(parent=instance).values_list("pk", flat=True))
    grandchildren = list(Section.objects.filter(parent__in=children).values_list("pk", flat=True)) if children else []
    section_ids = [instance.pk, *children, *grandchildren]
    for model in ITEM_MODELS:
        pending.mark(model, model.objects.filter(section_id__in=section_ids).values_list("pk", flat=True))


# Themes and their aliases -----------------------------------------------------


def theme_saved(sender, instance, **kwargs):
    pending.mark(Theme, [instance.pk], with_items=True)


def theme_deleting(sender, instance, **kwargs):
    # Once deleted, the theme's items no longer point at it: find them now.
    for kind, ids in indexing.items_for_themes([instance.pk]).items():
        pending.mark(kind, ids)


def theme_deleted(sender, instance, **kwargs):
    pending.mark(Theme, [instance.pk])


def alias_changed(sender, instance, **kwargs):
    pending.mark(Theme, [instance.theme_id], with_items=True)


# Tags, partnerships, sources -------------------------------------------------


def tag_changed(sender, instance, **kwargs):
    # pre_delete and post_save: the reviews that show this tag's name.
    pending.mark(Review, Review.objects.filter(tags=instance).values_list("pk", flat=True))


def partnership_saved(sender, instance, **kwargs):
    # Reviews are found by their partnership's name and area.
    pending.mark(Review, instance.reviews.values_list("pk", flat=True))


def source_saved(sender, instance, **kwargs):
    # Learning tied to a source but no review is published with its source.
    pending.mark(LearningPoint, indexing.cross_cutting_points_of_source(instance))


def connect() -> None:
    """Connect every receiver (idempotent: each has a ``dispatch_uid``)."""
    post_save.connect(review_changed, sender=Review, dispatch_uid="search-review-saved")
    post_delete.connect(review_changed, sender=Review, dispatch_uid="search-review-deleted")
    m2m_changed.connect(review_tags_changed, sender=Review.tags.through, dispatch_uid="search-review-tags")
    for model in ITEM_MODELS:
        name = model._meta.model_name
        pre_delete.connect(item_deleting, sender=model, dispatch_uid=f"search-{name}-deleting")
        post_save.connect(item_changed, sender=model, dispatch_uid=f"search-{name}-saved")
        post_delete.connect(item_changed, sender=model, dispatch_uid=f"search-{name}-deleted")
        m2m_changed.connect(item_themes_changed, sender=model.themes.through, dispatch_uid=f"search-{name}-themes")
    pre_delete.connect(item_deleting, sender=CaseFact, dispatch_uid="search-casefact-deleting")
    post_save.connect(case_fact_changed, sender=CaseFact, dispatch_uid="search-casefact-saved")
    post_delete.connect(case_fact_changed, sender=CaseFact, dispatch_uid="search-casefact-deleted")
    m2m_changed.connect(item_themes_changed, sender=CaseFact.themes.through, dispatch_uid="search-casefact-themes")
    # Saved, or about to be deleted (its items then lose their heading: SET_NULL sends no signal).
    post_save.connect(section_changed, sender=Section, dispatch_uid="search-section-saved")
    pre_delete.connect(section_changed, sender=Section, dispatch_uid="search-section-deleting")
    post_save.connect(theme_saved, sender=Theme, dispatch_uid="search-theme-saved")
    pre_delete.connect(theme_deleting, sender=Theme, dispatch_uid="search-theme-deleting")
    post_delete.connect(theme_deleted, sender=Theme, dispatch_uid="search-theme-deleted")
    post_save.connect(alias_changed, sender=ThemeAlias, dispatch_uid="search-alias-saved")
    post_delete.connect(alias_changed, sender=ThemeAlias, dispatch_uid="search-alias-deleted")
    post_save.connect(tag_changed, sender=Tag, dispatch_uid="search-tag-saved")
    pre_delete.connect(tag_changed, sender=Tag, dispatch_uid="search-tag-deleting")
    post_save.connect(partnership_saved, sender=Partnership, dispatch_uid="search-partnership-saved")
    post_save.connect(source_saved, sender=Source, dispatch_uid="search-source-saved")

"""Editorial bookkeeping: the web addresses pages used to have, and the entries
that became others.

When an editor changes the slug of a review, theme, source, partnership,
collection or course pack, the old slug is kept here so that links already in
slides, e-mails and course packs keep working:
``reviews.middleware.OldSlugRedirectMiddleware`` answers a 404 on an old
address with a permanent redirect to the new one, and ``find_by_slug`` lets
the links that are not pages (oEmbed, API filters) follow a rename too.

Slugs are recorded by signal receivers rather than in each model's ``save()``
so that every way of saving (the admin, a revert from the history, a service,
the shell) is covered by one mechanism. Fixture loading (``raw`` saves) is
left alone: it loads exactly what the fixture says.

A ``MovedEntry`` records an entry the knowledge base recorded under another
kind, or split in two (a signpost stored as learning that became a resource;
a table cell holding a finding and a change since): its old ref and primary
key lead to what it became, so its permanent link (``/lp/<old number>/``)
answers 301 to the new item's place. ``load_kb`` writes them from the
fixtures' ``replaces``.
"""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.db.models.signals import post_delete, post_save, pre_save

from .courses import CoursePack
from .publishers import Partnership, Source
from .reviews import Collection, Review
from .themes import Theme

# Models whose pages live at a slug, keyed by the prefix of their URL names in
# ``reviews/urls.py`` ("review-detail", "theme-detail", "coursepack-csv", ...).
# Any URL whose name starts with one of these prefixes and takes a ``slug`` is
# redirected, so a page's sub-pages (print, exports, embeds) follow it too.
SLUGGED_MODELS: dict[str, type[models.Model]] = {
    "review": Review,
    "theme": Theme,
    "source": Source,
    "partnership": Partnership,
    "collection": Collection,
    "coursepack": CoursePack,
}


class OldSlugQuerySet(models.QuerySet):
    def for_model(self, model: type[models.Model]):
        """Old slugs of one model's objects."""
        return self.filter(content_type=ContentType.objects.get_for_model(model))

    def for_object(self, obj: models.Model):
        """Old slugs of one object."""
        return self.for_model(type(obj)).filter(object_id=obj.pk)

    def renamed(self, queryset: models.QuerySet, slug: str):
        """The object of ``queryset`` that gave up ``slug`` for another one, or None.

        ``queryset`` decides what may be found (``Review.objects.published()``
        for the public), so an old address never reveals a draft.
        """
        object_ids = self.for_model(queryset.model).filter(slug=slug).values("object_id")
        obj = queryset.filter(pk__in=object_ids).first()
        return obj if obj is not None and obj.slug != slug else None


class OldSlug(models.Model):
    """A slug an object used to have, kept so that old links answer 301."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    slug = models.SlugField(max_length=120, help_text="The slug the page used to have.")
    created_at = models.DateTimeField(auto_now_add=True, help_text="When the slug stopped being used.")

    objects = OldSlugQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "old web address"
        verbose_name_plural = "old web addresses"
        constraints = [
            models.UniqueConstraint(fields=["content_type", "slug"], name="oldslug_slug_unique_per_model"),
        ]

    def __str__(self):
        return self.slug

    @classmethod
    def remember(cls, *, obj: models.Model, slug: str) -> None:
        """Point ``slug`` at ``obj`` from now on.

        If another object of the same model gave up the same slug earlier, the
        newest owner wins: that is what someone following the link most
        probably wants.
        """
        content_type = ContentType.objects.get_for_model(type(obj))
        cls.objects.update_or_create(content_type=content_type, slug=slug, defaults={"object_id": obj.pk})


class MovedEntryQuerySet(models.QuerySet):
    def from_permalink(self, *, old_kind: str, old_pk: int):
        """The move of the entry of ``old_kind`` that had primary key ``old_pk``, if it moved."""
        return self.filter(old_kind=old_kind, old_pk=old_pk).select_related("content_type").first()

    def pointing_at(self, obj: models.Model):
        """Moves whose new item is ``obj``."""
        return self.filter(content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk)


class MovedEntry(models.Model):
    """An entry recorded again under another kind, or split: its old ref (and its old
    primary key, where this database had it) and the item it became."""

    class Kind(models.TextChoices):
        CASE_FACT = "case_fact", "Case fact"
        LEARNING_POINT = "learning_point", "Learning point"
        RECOMMENDATION = "recommendation", "Recommendation"
        ACTION = "action", "Action"
        RESOURCE = "resource", "Resource"

    old_kind = models.CharField(max_length=20, choices=Kind.choices, help_text="What the entry was.")
    old_ref = models.SlugField(
        "old reference",
        max_length=120,
        unique=True,
        help_text="The reference it had: its anchor on the page was #<prefix>-<ref>.",
    )
    old_pk = models.PositiveBigIntegerField(
        null=True,
        blank=True,
        help_text="The number (primary key) it had here, as used in its permanent link (/lp/<number>/). Empty "
        "when this database never held it.",
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    moved_at = models.DateTimeField(auto_now_add=True)

    objects = MovedEntryQuerySet.as_manager()

    class Meta:
        ordering = ["old_ref"]
        verbose_name = "moved entry"
        verbose_name_plural = "moved entries"
        constraints = [
            models.UniqueConstraint(
                fields=["old_kind", "old_pk"],
                condition=Q(old_pk__isnull=False),
                name="movedentry_old_pk_unique_per_kind",
            ),
        ]

    def __str__(self):
        return f"{self.old_ref} → {self.content_object or 'nothing (deleted)'}"


def find_by_slug(queryset: models.QuerySet, slug: str):
    """The object of ``queryset`` at ``slug``: the one that has it now, else the one
    that used to have it (one query, two for an old slug), or None.

    For links that name an object by slug outside its page (oEmbed, API
    filters), so that they keep working after a rename as the pages do.
    """
    return queryset.filter(slug=slug).first() or OldSlug.objects.renamed(queryset, slug)


def _remember_previous_slug(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    instance._kb_previous_slug = sender._default_manager.filter(pk=instance.pk).values_list("slug", flat=True).first()


def _record_slug_change(sender, instance, raw=False, **kwargs):
    previous = instance.__dict__.pop("_kb_previous_slug", None)
    if raw or not previous or previous == instance.slug:
        return
    OldSlug.remember(obj=instance, slug=previous)
    # Going back to a slug it used before: that address is live again.
    OldSlug.objects.for_object(instance).filter(slug=instance.slug).delete()


def _forget_deleted_object(sender, instance, **kwargs):
    OldSlug.objects.for_object(instance).delete()


for _model in SLUGGED_MODELS.values():
    pre_save.connect(_remember_previous_slug, sender=_model, dispatch_uid=f"oldslug-pre-{_model.__name__}")
    post_save.connect(_record_slug_change, sender=_model, dispatch_uid=f"oldslug-post-{_model.__name__}")
    post_delete.connect(_forget_deleted_object, sender=_model, dispatch_uid=f"oldslug-delete-{_model.__name__}")

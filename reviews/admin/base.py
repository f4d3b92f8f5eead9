"""What every content admin shares: readable history with diffs, a revert
that restores themes too, full-text search, and plain-English messages."""

from __future__ import annotations

import difflib
import importlib
import re

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator, capfirst
from django.utils.timezone import localtime
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper
from taggit.managers import TaggableManager

from .forms import KbModelForm
from .markdown_preview import MARKDOWN, MarkdownPreviewMixin

# Unchanged words shown either side of a change in a text diff.
DIFF_CONTEXT_WORDS = 8


def word_diff(old: str, new: str) -> str:
    """HTML showing what changed between two texts, word by word.

    Removed words are in ``<del>``, added ones in ``<ins>``; long unchanged
    stretches are shortened to a few words either side of each change.
    Everything is escaped.
    """
    a = re.findall(r"\s+|\S+", old or "")
    b = re.findall(r"\s+|\S+", new or "")
    parts = []
    opcodes = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            parts.append(conditional_escape(_elide(a[i1:i2], first=index == 0, last=index == len(opcodes) - 1)))
            continue
        if tag in ("delete", "replace"):
            parts.append(format_html("<del>{}</del>", "".join(a[i1:i2])))
        if tag in ("insert", "replace"):
            parts.append(format_html("<ins>{}</ins>", "".join(b[j1:j2])))
    return mark_safe("".join(str(part) for part in parts))  # every part escaped above


def _elide(tokens: list[str], *, first: bool, last: bool) -> str:
    words = [i for i, token in enumerate(tokens) if not token.isspace()]
    keep_before = 0 if first else DIFF_CONTEXT_WORDS
    keep_after = 0 if last else DIFF_CONTEXT_WORDS
    if len(words) <= keep_before + keep_after + 2:
        return "".join(tokens)
    head = "".join(tokens[: words[keep_before - 1] + 1]) if keep_before else ""
    tail = "".join(tokens[words[-keep_after] :]) if keep_after else ""
    if head and tail:
        return f"{head} … {tail}"
    return f"{head} …" if head else f"… {tail}"


class ReadableHistoryHelper(HistoricalRecordContextHelper):
    """Each change as its field's label and either a word-by-word diff (text)
    or the old and new values as an editor would see them (choices by their
    label, related objects by name, empty values said to be empty)."""

    def context_for_delta_changes(self, delta):
        changes = []
        for change in delta.changes:
            field = self.model._meta.get_field(change.field)
            entry = {"field": capfirst(field.verbose_name), "old": "", "new": "", "diff": ""}
            if field.many_to_many:  # themes, sources, related themes, and tags (taggit's own field)
                old_items = set(self._related(field, change.old))
                new_items = set(self._related(field, change.new))
                entry["added"] = sorted(new_items - old_items)
                entry["removed"] = sorted(old_items - new_items)
            elif isinstance(field, models.TextField) or (
                isinstance(field, models.CharField) and not field.choices and field.max_length >= 200
            ):
                entry["diff"] = word_diff(str(change.old or ""), str(change.new or ""))
            else:
                entry["old"] = self._display(field, change.old)
                entry["new"] = self._display(field, change.new)
            changes.append(entry)
        return changes

    @staticmethod
    def _related(field, values):
        reverse_name = field.m2m_reverse_field_name()
        return [str(row.get(reverse_name, "")) for row in values or []]

    @staticmethod
    def _display(field, value):
        # simple-history stands in a DeletedObject for a related object it
        # cannot load; for an empty foreign key its pk is None.
        if value in (None, "") or (isinstance(value, DeletedObject) and value.pk is None):
            return "(empty)"
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        return str(value)


def revert_reason(record, *, recovered: bool = False) -> str:
    """The history entry's reason for a revert to ``record``, e.g. "Reverted
    to the version of 3 March 2025 14:05 by jsmith" (who saved that version)."""
    when = date_format(localtime(record.history_date), "j F Y H:i")
    author = record.history_user.get_username() if record.history_user else ""
    verb = "Recovered after deletion: the version of" if recovered else "Reverted to the version of"
    reason = f"{verb} {when}" + (f" by {author}" if author else "")
    return reason[:REASON_MAX_LENGTH]


# simple-history's history_change_reason is a CharField(max_length=100).
REASON_MAX_LENGTH = 100


def _full_text_search():
    """The full-text search's ``matching_ids(model, query)`` when the search
    package provides it, else None (the admin then searches ``search_fields``)."""
    try:
        module = importlib.import_module("reviews.search")
    except ImportError:
        return None
    return getattr(module, "matching_ids", None)


class HistoryAdmin(SimpleHistoryAdmin):
    """simple-history's admin, with a history address whose id is no id answering 404.

    simple-history looks the ids in ``<id>/history/`` and ``<id>/history/<version>/``
    up as given, so a word there failed in the database layer (a 500), where
    Django's own admin pages treat such an id as not found
    (``ModelAdmin.get_object``).
    """

    def check_history_address(self, object_id: str, version_id: str | None = None) -> None:
        """Raise ``Http404`` unless the ids could be the object's and one of its versions'."""
        for model, value in ((self.model, object_id), (self.model.history.model, version_id)):
            if value is None:
                continue
            try:
                model._meta.pk.to_python(unquote(value))
            except ValidationError:
                raise Http404(f"There is no {model._meta.verbose_name} with the number “{value[:40]}”.") from None

    def history_view(self, request, object_id, extra_context=None):
        self.check_history_address(object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self.check_history_address(object_id, version_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


class KbAdmin(MarkdownPreviewMixin, HistoryAdmin):
    """Base admin for content models: its Markdown boxes have a live preview (``markdown_preview``)."""

    form = KbModelForm
    object_history_template = "admin/kb/object_history.html"
    object_history_list_template = "admin/kb/object_history_list.html"
    object_history_form_template = "admin/kb/object_history_form.html"
    history_list_per_page = 50
    list_per_page = 50
    # Whether reviews.search indexes this model (reviews, themes, learning
    # points, recommendations and actions).
    full_text_search = False

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The note on writing Markdown is shown once, above a form with any box that takes it.
        form = context.get("adminform")
        context["kb_markdown_fields"] = [
            str(field.label)
            for field in (form.form.fields.values() if form else [])
            if MARKDOWN in str(field.help_text)
        ]
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    # One save in the admin, one history entry. When the themes (or another
    # many-to-many field in the history) change too, simple-history would
    # record the fields, then each removal and addition separately; instead
    # the entries are held back until the many-to-many fields are saved, and
    # one entry records the result. A revert does the same, with a reason.

    def save_model(self, request, obj, form, change):
        version = getattr(request, "_kb_history_version", None)
        if version is not None:
            return self._save_revert(request, obj, form, version)
        tracked_m2m = {field.name for field in getattr(self.model.history.model, "_history_m2m_fields", [])}
        defer = change and bool(set(form.changed_data) & tracked_m2m)
        if defer:
            obj.skip_history_when_saving = True
        try:
            super().save_model(request, obj, form, change)
        finally:
            obj.__dict__.pop("skip_history_when_saving", None)
        obj._kb_history_deferred = defer

    def save_related(self, request, form, formsets, change):
        obj = form.instance
        if not obj.__dict__.pop("_kb_history_deferred", False):
            return super().save_related(request, form, formsets, change)
        obj.skip_history_when_saving = True
        try:
            super().save_related(request, form, formsets, change)
        finally:
            obj.__dict__.pop("skip_history_when_saving", None)
        obj.save()  # the one history entry, with the fields and themes as saved

    def _save_revert(self, request, obj, form, version):
        """Save a revert (or the recovery of a deleted item) as one history
        entry, after its many-to-many fields are saved, saying what it was.

        simple-history's revert view calls ``save_model()`` then
        ``form.save_m2m()`` itself, so the entry is written from the latter.
        """
        _object_id, version_id = version
        record = self.model.history.model.objects.select_related("history_user").get(history_id=version_id)
        recovering = not self.model._default_manager.filter(pk=obj.pk).exists()
        obj.skip_history_when_saving = True
        try:
            super().save_model(request, obj, form, True)
        finally:
            obj.__dict__.pop("skip_history_when_saving", None)
        save_m2m = form.save_m2m

        def save_m2m_then_record():
            obj.skip_history_when_saving = True
            try:
                save_m2m()
            finally:
                obj.__dict__.pop("skip_history_when_saving", None)
            obj._history_user = request.user
            obj._change_reason = revert_reason(record, recovered=recovering)
            obj.save()

        form.save_m2m = save_m2m_then_record

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableHistoryHelper(self.model, historical_record)

    # -- Revert -----------------------------------------------------------
    # simple-history's revert form takes ordinary fields from the chosen
    # version but many-to-many fields (themes) from the current object. Give
    # the form the version's themes too, so a revert restores them.

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self.check_history_address(object_id, version_id)
        # simple-history only hides the Revert button from people who may view
        # but not change; a hand-made POST would still save. Refuse it.
        if request.method == "POST" and (self.revert_disabled(request) or not self.has_change_permission(request)):
            raise PermissionDenied
        deleted = not self.model._default_manager.filter(pk=object_id).exists()
        # Recovering a deleted item adds it again.
        if request.method == "POST" and deleted and not self.has_add_permission(request):
            raise PermissionDenied
        request._kb_history_version = (object_id, version_id)
        extra_context = {**(extra_context or {}), "kb_recovering": deleted}
        return super().history_form_view(request, object_id, version_id, extra_context)

    def history_form_view_title(self, request, obj):
        if not self.model._default_manager.filter(pk=obj.pk).exists():
            name = Truncator(str(obj)).words(12, truncate=" …")
            return f"Recover a deleted {self.model._meta.verbose_name}: {name}"
        return super().history_form_view_title(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        slug_message = (
            f"Another {self.model._meta.verbose_name} already uses this web address (slug). "
            "Change it slightly, e.g. add the year or the area."
        )
        if any(field.name == "slug" for field in self.model._meta.fields):
            kwargs.setdefault("error_messages", {"slug": {"unique": slug_message}})
        form_class = super().get_form(request, obj, change=change, **kwargs)
        version = getattr(request, "_kb_history_version", None)
        if version is None or request.method == "POST":
            return form_class
        initial = self._m2m_values_of_version(*version)
        if not initial:
            return form_class

        class VersionForm(form_class):
            def __init__(self, *args, **form_kwargs):
                form_kwargs["initial"] = {**initial, **form_kwargs.get("initial", {})}
                super().__init__(*args, **form_kwargs)

        return VersionForm

    def _m2m_values_of_version(self, object_id, version_id):
        history_model = self.model.history.model
        record = history_model.objects.filter(history_id=version_id).first()
        if record is None:
            return {}
        values = {}
        for field in getattr(history_model, "_history_m2m_fields", []):
            reverse_name = field.m2m_reverse_field_name()
            ids = [getattr(row, f"{reverse_name}_id") for row in getattr(record, field.name).all()]
            if isinstance(field, TaggableManager):
                # The tags box takes names (a tag may also be typed anew).
                ids = list(field.related_model.objects.filter(pk__in=ids).values_list("name", flat=True))
            values[field.name] = ids
        return values

    # -- Recovering deleted items --------------------------------------------
    # simple-history keeps every version of a deleted item, and its revert
    # form saves a deleted one back; this list is the way in, linked from the
    # item list ("Recover deleted …").

    recover_list_template = "admin/kb/recover_list.html"

    def get_urls(self):
        info = f"{self.model._meta.app_label}_{self.model._meta.model_name}"
        recover = path("recover/", self.admin_site.admin_view(self.recover_list_view), name=f"{info}_recover")
        return [recover, *super().get_urls()]

    def deleted_versions(self):
        """The last version of each deleted item that has not been recovered, most recently deleted first."""
        history = self.model.history
        still_there = self.model._default_manager.filter(pk=OuterRef("id"))
        deletions = (
            history.filter(history_type="-").exclude(Exists(still_there)).order_by("id", "-history_date", "-history_id")
        )
        return deletions

    def recover_list_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        opts = self.model._meta
        latest_deletion = {}
        for record in self.deleted_versions().select_related("history_user"):
            latest_deletion.setdefault(record.id, record)
        deletions = sorted(latest_deletion.values(), key=lambda record: record.history_date, reverse=True)
        paginator = Paginator(deletions, self.list_per_page)
        page = paginator.get_page(request.GET.get("p"))
        # The version to bring back: the last one saved before the deletion.
        before = {}
        saved = (
            self.model.history.filter(id__in=[record.id for record in page.object_list])
            .exclude(history_type="-")
            .order_by("id", "-history_date", "-history_id")
        )
        for record in saved:
            deleted = latest_deletion[record.id]
            if record.history_date <= deleted.history_date:
                before.setdefault(record.id, record)
        rows = []
        reviews = self._reviews_of([before.get(d.id, d) for d in page.object_list])
        for deletion in page.object_list:
            version = before.get(deletion.id, deletion)
            rows.append(
                {
                    "deletion": deletion,
                    "version": version,
                    "label": Truncator(getattr(version, "text", "") or str(version.instance)).words(18, truncate=" …"),
                    "review": reviews.get(getattr(version, "review_id", None)),
                }
            )
        context = {
            **self.admin_site.each_context(request),
            "title": f"Recover deleted {opts.verbose_name_plural}",
            "opts": opts,
            "rows": rows,
            "show_review": any(field.name == "review" for field in opts.fields),
            "page_obj": page,
            "can_recover": self.has_add_permission(request) and self.has_change_permission(request),
        }
        return TemplateResponse(request, self.recover_list_template, context)

    def _reviews_of(self, versions) -> dict:
        """The reviews (still there) that deleted entries belonged to, by id, in one query."""
        if not any(field.name == "review" for field in self.model._meta.fields):
            return {}
        review_model = self.model._meta.get_field("review").related_model
        ids = {version.review_id for version in versions if version.review_id}
        return review_model._default_manager.in_bulk(ids)

    def changelist_view(self, request, extra_context=None):
        if self.has_view_permission(request) and self.deleted_versions().exists():
            info = f"{self.model._meta.app_label}_{self.model._meta.model_name}"
            extra_context = {**(extra_context or {}), "kb_recover_url": reverse(f"admin:{info}_recover")}
        return super().changelist_view(request, extra_context)

    # -- Search -----------------------------------------------------------

    def get_search_results(self, request, queryset, search_term):
        """``search_fields`` matches, plus, for models in the full-text index,
        its matches (stemmed words, phrases, synonyms practitioners use)."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        matching_ids = _full_text_search() if self.full_text_search else None
        if matching_ids is None or not search_term.strip():
            return results, may_have_duplicates
        ids = matching_ids(self.model, search_term)
        return queryset.filter(Q(pk__in=list(ids)) | Q(pk__in=results.values("pk"))), False

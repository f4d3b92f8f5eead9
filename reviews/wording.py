"""Whether an entry still holds its briefing's words: the public marker
"Wording edited by the knowledge base: see the original".

An entry's text is the briefing's wording (``EntryForm``'s verbatim guard in
``reviews/admin/forms.py`` refuses an edit that takes it away without a
reason). When an editor gives a reason and the words are no longer found in
the briefing, readers are told so on every page that shows the entry.

The marker follows the guard's own rule: an entry is marked when its words are
not found in the briefing *and* they were before (or it was already marked).
An entry that never held the briefing's words (one an editor wrote anew, or
made-up test content) is not "edited"; an entry recorded again under another
kind carries its marker over (``services.kinds``).

The answer is kept on the entry (``wording_edited``) and worked out when it is
written, never when a page is shown: a ``pre_save`` receiver on every entry
model covers the admin, the services, ``load_kb``, a revert from the history
and ``loaddata``; a ``post_save`` receiver on ``Source`` works it out again for
a briefing's entries when its original text changes. The comparison is the
verbatim guard's own: ``NormalisedSource.contains`` (``reviews/coverage.py``).
"""

from __future__ import annotations

from functools import lru_cache

from django.db.models.signals import post_init, post_save, pre_save

from .coverage import NormalisedSource

# A briefing is split into units once, not once per entry saved (load_kb saves hundreds in a row).
_BRIEFINGS_KEPT = 8


@lru_cache(maxsize=_BRIEFINGS_KEPT)
def _briefing(original_text: str) -> NormalisedSource:
    return NormalisedSource.from_text(original_text)


def found_in(text: str, original_text: str) -> bool:
    """Whether ``text`` is found word for word in the briefing ``original_text`` (the verbatim guard's test).

    True when there is nothing to compare with (a source without its original
    text, an empty entry): the marker says the words differ, never that they
    could not be checked.
    """
    if not text or not text.strip() or not original_text:
        return True
    return _briefing(original_text).contains(text)


def wording_edited(text: str, original_text: str, *, before: str | None, marked: bool) -> bool:
    """Whether an entry whose text is now ``text`` carries the marker: its words are not found in the
    briefing, and either its text ``before`` this change was (None: it is new) or it was ``marked`` already."""
    if found_in(text, original_text):
        return False
    return marked or (before is not None and found_in(before, original_text))


def _original_text_of(entry) -> str:
    from .models import Source

    if not entry.source_id:
        return ""
    cached = entry._state.fields_cache.get("source")
    if cached is not None and cached.pk == entry.source_id and "original_text" in cached.__dict__:
        return cached.original_text or ""
    return Source.objects.filter(pk=entry.source_id).values_list("original_text", flat=True).first() or ""


def entry_marking(sender, instance, raw=False, update_fields=None, **kwargs):
    """Before an entry is written: whether its words are still the briefing's (one query for the briefing
    unless it is loaded; one more for the entry as stored only when the words are not found)."""
    if update_fields is not None and "wording_edited" not in update_fields:
        return
    original = _original_text_of(instance)
    if found_in(instance.text, original):
        instance.wording_edited = False
        return
    before, marked = None, False
    if not instance._state.adding and not raw:
        stored = sender._default_manager.filter(pk=instance.pk).values_list("text", "wording_edited").first()
        before, marked = stored or (None, False)
    instance.wording_edited = wording_edited(
        instance.text, original, before=before, marked=bool(instance.wording_edited or marked)
    )


def _source_loaded(sender, instance, **kwargs):
    instance._kb_loaded_original_text = instance.__dict__.get("original_text")


def source_marking(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    """After a briefing's original text changes: its entries' markers worked out again."""
    if created or "original_text" not in instance.__dict__:
        return
    if update_fields is not None and "original_text" not in update_fields:
        return
    if instance.__dict__.get("_kb_loaded_original_text") == instance.original_text:
        return
    before = instance.__dict__.get("_kb_loaded_original_text")
    instance._kb_loaded_original_text = instance.original_text
    entries_mark(source=instance, original_before=before)


def entries_mark(*, source, original_before: str | None = None) -> int:
    """Work out the marker of every entry drawn from ``source`` again; how many changed. An entry whose
    words were found in the briefing as it read before (``original_before``) and are not found now is
    marked; one whose words are found now is not.

    Written with ``update()``: the marker is derived from the text and the
    briefing, so it makes no history entry of its own.
    """
    from . import caching
    from .models import THEMED_ENTRIES

    original = source.original_text or ""
    changed = 0
    for model in THEMED_ENTRIES:
        flips = {True: [], False: []}
        for pk, text, marked in model.objects.filter(source=source).values_list("pk", "text", "wording_edited"):
            if found_in(text, original):
                now = False
            else:
                now = marked or (original_before is not None and found_in(text, original_before))
            if now != marked:
                flips[now].append(pk)
        for value, pks in flips.items():
            if pks:
                changed += model.objects.filter(pk__in=pks).update(wording_edited=value)
    if changed:
        caching.content_changed()
    return changed


def connect() -> None:
    from .models import THEMED_ENTRIES, Source

    for model in THEMED_ENTRIES:
        pre_save.connect(entry_marking, sender=model, dispatch_uid=f"wording-{model._meta.model_name}")
    post_init.connect(_source_loaded, sender=Source, dispatch_uid="wording-source-loaded")
    post_save.connect(source_marking, sender=Source, dispatch_uid="wording-source-saved")

"""Control characters out of stored text, and out of everything written from it.

Word pastes a manual line break as a vertical tab (U+000B) and a page break
as a form feed (U+000C); text copied out of a PDF has form feeds between
pages. XML 1.0 cannot hold either, nor any C0 control character but tab,
newline and carriage return, nor the non-characters U+FFFE and U+FFFF
(https://www.w3.org/TR/xml/#charsets): one such character in a review's
summary made the Atom feed answer 500. PostgreSQL cannot store NUL at all.

- ``clean_text`` turns a vertical tab or form feed into a newline (what the
  writer meant) and drops the others.
- Every ``CharField`` and ``TextField`` of every model of this app (and the
  review tags' names) is cleaned before it is saved, by one ``pre_save``
  receiver (``connect``, from ``ReviewsConfig.ready``). The instance itself is
  cleaned, so its edit history (django-simple-history copies the instance
  after the save) and the search index get the cleaned text too.
- Text written without ``save()`` (``QuerySet.update()``, ``bulk_create()``,
  raw SQL) is not cleaned on the way in, so the feed, the sitemap and the CSV
  downloads clean what they write as well (``reviews.views.feeds``,
  ``reviews.api.csv.csv_safe``).
"""

from __future__ import annotations

import re

from django.db import models
from django.db.models.signals import pre_save

# Vertical tab and form feed are line breaks to whoever typed them.
LINE_BREAKS = "\x0b\x0c"
_KEPT = "\t\n\r"
_UNWANTED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_TRANSLATION = {
    **{code: None for code in range(0x20) if chr(code) not in _KEPT},
    **{ord(character): "\n" for character in LINE_BREAKS},
    0xFFFE: None,
    0xFFFF: None,
}


def clean_text(value: str) -> str:
    """``value`` with vertical tabs and form feeds as newlines, and without any other
    C0 control character (tab, newline and carriage return are kept) or U+FFFE/U+FFFF.

    Returns ``value`` itself when there is nothing to clean.
    """
    if not _UNWANTED.search(value):
        return value
    return value.translate(_TRANSLATION)


def _is_text_field(field: models.Field) -> bool:
    # SlugField, URLField and EmailField are CharFields too.
    return isinstance(field, models.CharField | models.TextField)


def clean_text_fields(instance: models.Model) -> None:
    """Clean every text field of ``instance`` in place (``clean_text``)."""
    for field in instance._meta.concrete_fields:
        if not _is_text_field(field):
            continue
        value = getattr(instance, field.attname)
        if isinstance(value, str):
            cleaned = clean_text(value)
            if cleaned is not value:
                setattr(instance, field.attname, cleaned)


# Outside this app, but the reviews' own: a tag's name is shown on every tagged review.
EXTRA_MODELS = {("taggit", "tag")}


def cleans(sender: type[models.Model]) -> bool:
    """Whether saving a ``sender`` cleans its text: every model of this app
    (including the historical records) and ``EXTRA_MODELS``."""
    meta = sender._meta
    return meta.app_label == "reviews" or (meta.app_label, meta.model_name) in EXTRA_MODELS


def _clean_before_save(sender, instance, **kwargs):
    if cleans(sender):
        clean_text_fields(instance)


def connect() -> None:
    """Clean text before every save (idempotent: one ``dispatch_uid``).

    Connected for every sender rather than model by model, so that a model
    added later is covered without anyone remembering to add it.
    """
    pre_save.connect(_clean_before_save, dispatch_uid="reviews-clean-text-before-save")

"""The live preview of a Markdown box in the admin.

A box whose help says it takes Markdown ("(Markdown)", see ``base.MARKDOWN``)
carries ``data-kb-markdown``: the address of ``markdown_preview_view``. The
small script ``static/admin-kb/markdown-preview.js`` (progressive
enhancement: without it the form works as before) adds a "Preview" area under
each such box and, a moment after the editor stops typing, posts the text
(with the CSRF token) to that address and shows the HTML it answers. The HTML
is made by ``reviews.markdown.render_markdown``, the one place Markdown is
rendered and sanitised, so the preview is exactly what the site would show;
the script inserts nothing else.
"""

from __future__ import annotations

from django import forms
from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ..markdown import render_markdown

# How a field's help says it takes Markdown (see the models' help texts).
MARKDOWN = "(Markdown)"
# The longest text previewed: far above any entry (a briefing's longest paragraph is a few thousand).
MAX_PREVIEW_CHARACTERS = 50_000
SCRIPT = "admin-kb/markdown-preview.js"


def preview_url() -> str:
    return reverse("admin:reviews_review_markdown_preview")


def mark_markdown_box(formfield) -> None:
    """Give a Markdown text box the preview's address (nothing for other fields)."""
    if formfield is None or not isinstance(formfield.widget, forms.Textarea):
        return
    if MARKDOWN in str(formfield.help_text):
        formfield.widget.attrs["data-kb-markdown"] = preview_url()


class MarkdownPreviewMixin:
    """For a model admin or an inline: its Markdown boxes get a live preview."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        mark_markdown_box(formfield)
        return formfield

    @property
    def media(self):
        return super().media + forms.Media(js=[SCRIPT])


@never_cache
@require_POST
def markdown_preview_view(request):
    """``{"html": ...}``: the posted ``text`` as the site would show it. Staff only and CSRF-checked
    (``admin_view``); a POST, never cached."""
    text = request.POST.get("text", "")
    if len(text) > MAX_PREVIEW_CHARACTERS:
        return JsonResponse(
            {"error": f"Too long to preview: more than {MAX_PREVIEW_CHARACTERS:,} characters."}, status=400
        )
    return JsonResponse({"html": str(render_markdown(text))})

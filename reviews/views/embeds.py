"""Embeddable cards and the oEmbed endpoint.

``/embed/lp/<id>/`` and ``/embed/theme/<slug>/`` are compact cards for a
learning platform, an intranet or slides, linking back to the full page. Only
this site and the origins in ``KB_EMBED_ALLOWED_ORIGINS`` may frame them: the
card answers with ``Content-Security-Policy: frame-ancestors 'self' <origins>``
and without ``X-Frame-Options`` (which cannot list origins); every other page
keeps ``DENY``.

A card for something no longer there is still a card, framed like the live
ones: "this learning point was removed" (410, only for one the public could
once see) or "there is no published learning point with this number" (404,
also for a draft, or a draft deleted, whose existence is not revealed), with
links to the site. The full site's 404 page refuses to be
framed, so a learning platform would show "refused to connect" instead.

``/oembed/?url=<page>&format=json`` describes a card the way oEmbed consumers
(e.g. Moodle's oEmbed filter, WordPress) expect (https://oembed.com/, section
2.3): a "rich" response whose ``html`` is an iframe of the card. Addresses
with a theme's or a review's old slug still work, as the pages do.
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.utils.html import escape
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from ..citations import SITE_NAME
from ..forms import MAX_ID, control_character, parse_bounded_int
from ..middleware_csp import HEADER, build_policy, embed_frame_ancestors
from ..middleware_http import answers_every_method
from ..models import LearningPoint, Review, Theme
from ..selectors.embeds import (
    embeddable_learning_point,
    embeddable_theme,
    learning_point_on_review_page,
    theme_card,
)
from ..selectors.history import deletion_of, surviving_review
from ..selectors.permalinks import moved_entry_target
from .api import ALLOWED_METHODS, method_not_allowed

DEFAULT_WIDTH = 480
DEFAULT_HEIGHT = {"learning-point": 420, "theme": 320}
MIN_SIZE = 200
CACHE_AGE = 24 * 60 * 60


def frameable(view):
    """Let the configured origins frame this view's responses, and no one else."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response[HEADER] = build_policy(frame_ancestors=embed_frame_ancestors())
        return response

    return xframe_options_exempt(wrapped)


def _unavailable_card(request, *, label: str, deleted=None, review: Review | None = None):
    """The card shown in place of one that cannot be shown: 410 if the item was deleted, else 404."""
    context = {"label": label, "deleted": deleted, "review": review}
    return render(request, "embed/unavailable.html", context, status=410 if deleted else 404)


@require_safe
@frameable
def learning_point_embed(request, pk):
    try:
        point = embeddable_learning_point(pk=pk)
    except LearningPoint.DoesNotExist:
        moved = moved_entry_target(LearningPoint, pk=pk, user=request.user) if pk <= MAX_ID else None
        if isinstance(moved, LearningPoint):
            # Recorded again as another learning point (a split): the card follows it.
            return HttpResponsePermanentRedirect(reverse("reviews:learning-point-embed", kwargs={"pk": moved.pk}))
        deleted = deletion_of(LearningPoint, pk=pk) if pk <= MAX_ID else None
        return _unavailable_card(request, label="learning point", deleted=deleted, review=surviving_review(deleted))
    return render(request, "embed/learning_point.html", {"point": point})


@require_safe
@frameable
def theme_embed(request, slug):
    try:
        card = theme_card(slug=slug)
    except Theme.DoesNotExist:
        # A 404 on an old slug becomes a redirect (reviews.middleware).
        return _unavailable_card(request, label="theme", deleted=deletion_of(Theme, slug=slug))
    return render(request, "embed/theme.html", {"card": card})


# ---------------------------------------------------------------------------
# oEmbed
# ---------------------------------------------------------------------------


class OEmbedError(Exception):
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


def _error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": {"status": status, "message": message}}, status=status)


def _size(request, name: str, default: int) -> int:
    raw = request.GET.get(name)
    if raw is None or raw == "":
        return default
    # Any size above the card's own is the card's own: a consumer may ask for "maxwidth=99999".
    size = parse_bounded_int(raw, minimum=MIN_SIZE, maximum=MAX_ID)
    if size is None:
        raise OEmbedError(f"'{name}' must be a whole number of pixels, at least {MIN_SIZE}.")
    return min(default, size)


def _embeddable(request, url: str):
    """The learning point or theme a page address shows: ("learning-point", point) or ("theme", theme).

    Accepted: a theme page, a theme's or a learning point's permanent link, an
    embed address, or a review page with a learning point's ``#lp-...`` anchor.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.netloc.lower() != request.get_host().lower():
        raise OEmbedError("This address is not a page of this site.", status=404)
    try:
        match = resolve(parts.path)
    except Resolver404:
        raise OEmbedError("There is nothing to embed at this address.", status=404) from None
    name, kwargs = match.url_name, match.kwargs
    try:
        theme = None
        if name in ("theme-detail", "theme-embed", "theme-print"):
            theme = embeddable_theme(slug=kwargs["slug"])
        elif name == "theme-permalink" and kwargs["pk"] <= MAX_ID:
            theme = embeddable_theme(pk=kwargs["pk"])
        if theme is not None:
            return "theme", theme
        if name in ("learning-point-permalink", "learning-point-embed") and kwargs["pk"] <= MAX_ID:
            return "learning-point", embeddable_learning_point(pk=kwargs["pk"])
        if name == "review-detail" and parts.fragment.startswith("lp-"):
            point = learning_point_on_review_page(review_slug=kwargs["slug"], ref=parts.fragment.removeprefix("lp-"))
            if point is not None:
                return "learning-point", point
    except LearningPoint.DoesNotExist:
        pass
    raise OEmbedError("There is no published learning point or theme to embed at this address.", status=404)


@answers_every_method  # its 405 is JSON too
@csrf_exempt  # read-only, and no cookie is read: a POST gets the JSON 405, not the CSRF page
def oembed(request):
    if request.method not in ALLOWED_METHODS:
        return method_not_allowed("The oEmbed endpoint is read-only: use GET.")
    try:
        response_format = request.GET.get("format") or "json"
        if response_format == "xml":
            # The oEmbed specification's answer for a format a provider does not offer.
            raise OEmbedError("Only format=json is offered.", status=501)
        if response_format != "json":
            raise OEmbedError("'format' must be json.")
        url = (request.GET.get("url") or "").strip()
        if not url:
            raise OEmbedError("Give the address of the page to embed as 'url'.")
        character = control_character(url)
        if character:
            # Before any part of it reaches a query: PostgreSQL refuses a NUL.
            raise OEmbedError(f"'url' contains a control character ({character}), which no address has.")
        kind, obj = _embeddable(request, url)
        width = _size(request, "maxwidth", DEFAULT_WIDTH)
        height = _size(request, "maxheight", DEFAULT_HEIGHT[kind])
    except OEmbedError as error:
        return _error(error.message, error.status)

    if kind == "theme":
        src = reverse("reviews:theme-embed", kwargs={"slug": obj.slug})
        title = f"{obj.name}: learning from case reviews"
        author_name = ""
    else:
        src = reverse("reviews:learning-point-embed", kwargs={"pk": obj.pk})
        where = obj.review.title if obj.review_id else obj.source.title
        title = f"Learning point from {where}"
        author_name = obj.source.publisher_display
    src = request.build_absolute_uri(src)
    html = (
        f'<iframe src="{escape(src)}" width="{width}" height="{height}" title="{escape(title)}" '
        f'loading="lazy" style="border:1px solid #b1b4b6;max-width:100%"></iframe>'
    )
    data = {
        "version": "1.0",
        "type": "rich",
        "provider_name": SITE_NAME,
        "provider_url": request.build_absolute_uri(reverse("reviews:home")),
        "title": title,
        "html": html,
        "width": width,
        "height": height,
        "cache_age": CACHE_AGE,
    }
    if author_name:
        data["author_name"] = author_name
    response = JsonResponse(data)
    response["Access-Control-Allow-Origin"] = "*"
    return response

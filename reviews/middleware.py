"""Middleware for 404s: old web addresses answer 301 to the new ones; local development shows the site's own 404.
And ``AbbreviationsOncePerPageMiddleware``: an abbreviation is expanded at its first use on a page.

``OldSlugRedirectMiddleware``

Works like ``django.contrib.redirects.middleware.RedirectFallbackMiddleware``:
it only looks at responses that are already 404, so the page views stay
unaware of it and a normal page costs no extra query. When the 404 is for a
URL that takes a slug of a model in ``SLUGGED_MODELS`` (``/reviews/<slug>/``,
and any other URL named ``review-…`` with a slug, such as
``/reviews/<slug>/print/`` or ``/courses/<slug>/export.csv``), and that slug
is one an object used to have, the response becomes a permanent redirect to
the same URL with the object's current slug. The query string is kept; ``#anchors``
never reach the server, and browsers keep them across a redirect.

An object the visitor may not see (a draft review, for the public) is treated
as unknown: the 404 stands, and the new slug of a draft is never revealed.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from .markdown import abbreviations_once_per_page
from .models import SLUGGED_MODELS, OldSlug
from .views.errors import page_not_found


def _slugged_model(url_name: str | None):
    for prefix, model in SLUGGED_MODELS.items():
        if url_name and url_name.startswith(f"{prefix}-"):
            return model
    return None


def _visible(model, user):
    manager = model._default_manager
    return manager.visible_to(user) if hasattr(manager, "visible_to") else manager.all()


def current_url_for_old_slug(request) -> str | None:
    """The address a request for an old slug should go to, or None."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    old_slug = match.kwargs.get("slug")
    model = _slugged_model(match.url_name)
    if not old_slug or model is None:
        return None
    obj = OldSlug.objects.renamed(_visible(model, request.user), old_slug)
    if obj is None:
        return None
    try:
        url = reverse(match.view_name, args=match.args, kwargs={**match.kwargs, "slug": obj.slug})
    except NoReverseMatch:
        return None
    query = request.META.get("QUERY_STRING", "")
    return f"{url}?{query}" if query else url


class OldSlugRedirectMiddleware:
    """Turn a 404 on an old slug into a 301 to the current address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        url = current_url_for_old_slug(request)
        return HttpResponsePermanentRedirect(url) if url else response


class SiteNotFoundPageMiddleware:
    """With DEBUG on (``make run``), answer a 404 with the site's own page, as in production.

    Django shows its technical 404 page whenever DEBUG is on, whatever
    ``handler404`` says; a newcomer trying the site locally should meet the
    page visitors meet. Errors (500) keep Django's debug page. Placed after
    the authentication middleware: the page's suggestions depend on the user.
    """

    def __init__(self, get_response):
        if not settings.DEBUG:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        try:
            resolve(request.path_info)
        except Resolver404 as exc:
            return page_not_found(request, exc)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None


class AbbreviationsOncePerPageMiddleware:
    """Each abbreviation of the glossary is expanded (``<abbr title>``) at its first use on a page only.

    The page's texts are rendered while the response is made, inside this
    middleware, so they share one record of what was expanded already
    (``reviews.markdown.abbreviations_once_per_page``).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with abbreviations_once_per_page():
            return self.get_response(request)

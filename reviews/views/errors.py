"""Error pages that help: a 404 that suggests where to go, a 500 that cannot fail; JSON in the API."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.views import defaults

from ..api.errors import INTERNAL_ERROR_MESSAGE, ApiError, api_error_for, error_response, is_api_request
from ..selectors.not_found import address_words, similar_pages

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Section:
    """A part of the site, told by how its addresses start, and how to say what is missing there."""

    prefix: str
    kind: str  # of page, for ``similar_pages``
    index: str  # URL name of the section's list
    index_label: str  # breadcrumb
    browse_label: str  # "browse all themes"
    missing: str  # the page's first sentence
    similar_title: str
    unpublished: str = ""  # when a page of this kind can exist but not be shown yet


SECTIONS = [
    Section(
        "/themes/",
        "theme",
        "reviews:theme-index",
        "Themes",
        "all themes",
        "There is no theme at this address.",
        "Themes with a similar name",
    ),
    Section(
        "/reviews/",
        "review",
        "reviews:review-index",
        "Reviews",
        "all reviews",
        "There is no published review at this address.",
        "Reviews with a similar name",
        "A review that is still being prepared is not shown until it is published.",
    ),
    Section(
        "/collections/",
        "collection",
        "reviews:review-index",
        "Reviews",
        "all reviews",
        "There is no collection of reviews at this address.",
        "Collections with a similar name",
        "A collection is shown once the briefing that published it is.",
    ),
    Section(
        "/sources/",
        "source",
        "reviews:source-index",
        "Source briefings",
        "all source briefings",
        "There is no published source briefing at this address.",
        "Briefings with a similar name",
        "A briefing that is still being prepared is not shown until it is published.",
    ),
    Section(
        "/partnerships/",
        "partnership",
        "reviews:partnership-index",
        "Partnerships",
        "all partnerships",
        "There is no partnership at this address.",
        "Partnerships with a similar name",
    ),
    Section(
        "/tags/",
        "tag",
        "reviews:tag-index",
        "Tags",
        "all tags",
        "No published review has this tag.",
        "Tags with a similar name",
    ),
]


def section_for(path: str) -> Section | None:
    return next((section for section in SECTIONS if path.startswith(section.prefix)), None)


def page_not_found(request, exception):
    """A normal 404 response (the admin's redirect middleware relies on that), with a way on:
    pages of the right kind named like the address, and a search for its words."""
    section = section_for(request.path)
    words = address_words(request.path, prefix=section.prefix if section else "/")
    suggestions = []
    if section and words:
        try:
            suggestions = similar_pages(request.user, section.kind, words)
        except Exception:
            # Suggestions are a help, never a reason for the 404 page itself to fail.
            logger.exception("Could not look up pages like %r for the 404 page", request.path)
    home = reverse("reviews:home")
    if section:
        breadcrumbs = [("Home", home), (section.index_label, reverse(section.index)), ("Page not found", None)]
    else:
        breadcrumbs = [("Home", home), ("Page not found", None)]
    context = {
        "section": section,
        "section_url": reverse(section.index) if section else "",
        "suggestions": suggestions,
        "search_words": words,
        "breadcrumbs": breadcrumbs,
    }
    return render(request, "404.html", context, status=404)


def bad_request(request, exception):
    """Django's 400 page; in the API, its JSON error (``reviews.api.errors``)."""
    if is_api_request(request):
        return error_response(api_error_for(exception) or ApiError("The request could not be read.", status=400))
    return defaults.bad_request(request, exception)


def server_error(request):
    """Rendered without a request context or database, so it still works when they are what failed.

    In the API, a JSON error: a program reading it gets JSON whatever went wrong.
    """
    if is_api_request(request):
        return error_response(ApiError(INTERNAL_ERROR_MESSAGE, status=500))
    return HttpResponseServerError(loader.get_template("500.html").render())

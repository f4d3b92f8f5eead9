"""Printable 7-minute briefings of a review or a theme.

One or two A4 pages in the familiar 7-minute briefing form: the key learning
first, then recommendations and the actions taken, the questions for a
briefing session, the source briefings, the date the content last changed and
its permanent address. The layout (two columns, a smaller but readable type
size for long briefings) fits what it can; what still does not fit two pages
is listed as references with permanent links, never left out without a trace
(``reviews.briefings.layout.fit_on_two_pages``). ``tests/browser/test_reuse.py`` checks
the page count in Chromium.
"""

from django.http import Http404
from django.shortcuts import render

from ..briefings.selectors import review_briefing, theme_briefing
from ..models import Review, Theme


def review_print(request, slug):
    try:
        briefing = review_briefing(slug=slug, user=request.user)
    except Review.DoesNotExist:
        raise Http404("No published review has this address.") from None
    return render(request, "reviews/print/briefing.html", {"briefing": briefing})


def theme_print(request, slug):
    try:
        briefing = theme_briefing(slug=slug, user=request.user)
    except Theme.DoesNotExist:
        raise Http404("No theme has this address.") from None
    return render(request, "reviews/print/briefing.html", {"briefing": briefing})

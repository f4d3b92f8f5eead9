"""Printable 7-minute briefings of a review or a theme.

One or two A4 pages in the familiar 7-minute briefing form. A review's is in
seven parts built from its briefing's sections (background, the case, what the
review found, why it matters, what went well, what to do, questions and
further information); a theme's gives the key learning first, then
recommendations and the actions taken, and the questions for a briefing
session. Both end with the source briefings, the date the content last changed
and its permanent address. The layout (two columns, a smaller but readable type
size for long briefings) fits what it can; what still does not fit two pages
is listed as references with permanent links, never left out without a trace
(``reviews.briefings.layout.fit_on_two_pages``). ``tests/browser/test_reuse.py`` checks
the page count in Chromium.
"""

from django.http import Http404
from django.shortcuts import render

from ..briefings.layout import NO_RESPONSE, PARTS_NOTE, UNANSWERED_INTRO
from ..briefings.selectors import review_briefing, theme_briefing
from ..models import Review, Theme


def review_print(request, slug):
    try:
        briefing = review_briefing(slug=slug, user=request.user)
    except Review.DoesNotExist:
        raise Http404("No published review has this address.") from None
    # The notes the layout estimate measures, printed as they are measured.
    notes = {"parts_note": PARTS_NOTE, "no_response": NO_RESPONSE, "unanswered_intro": UNANSWERED_INTRO}
    return render(request, "reviews/print/review_briefing.html", {"briefing": briefing, **notes})


def theme_print(request, slug):
    try:
        briefing = theme_briefing(slug=slug, user=request.user)
    except Theme.DoesNotExist:
        raise Http404("No theme has this address.") from None
    return render(request, "reviews/print/theme_briefing.html", {"briefing": briefing})

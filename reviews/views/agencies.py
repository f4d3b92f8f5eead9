"""The profession pages: choose a profession, then what concerns it across reviews."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from ..selectors.agency_page import AGENCY_REVIEWS_PRINTED, agency_detail, agency_list


def _trail(*steps: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [("Home", reverse("reviews:home")), *steps]


def agency_index(request):
    agencies, everyone = agency_list()
    return render(
        request,
        "reviews/agency_index.html",
        {"agencies": agencies, "everyone": everyone, "breadcrumbs": _trail(("For your profession", None))},
    )


def agency_detail_page(request, slug):
    return _agency_page(request, slug, printing=False)


def agency_print(request, slug):
    """The whole page at once (up to ``AGENCY_REVIEWS_PRINTED`` reviews), for printing."""
    return _agency_page(request, slug, printing=True)


def _agency_page(request, slug, *, printing: bool):
    if printing:
        data = agency_detail(request.user, slug, per_page=AGENCY_REVIEWS_PRINTED)
    else:
        data = agency_detail(request.user, slug, page_number=request.GET.get("page"))
    if data is None:
        raise Http404("There is no profession at this address.")
    crumbs = _trail(("For your profession", reverse("reviews:agency-index")), (data.agency.name, None))
    return render(
        request,
        "reviews/agency_detail.html",
        {"data": data, "agency": data.agency, "breadcrumbs": crumbs, "printing": printing},
    )

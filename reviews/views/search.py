"""The search page: ranked results with facets, everything in the URL.

Thin: the URL is read by ``reviews.search.params``, the search is run by
``reviews.search.selectors``. A page number beyond the results answers 404
with the same page explaining it; bad input of any other kind is ignored
with a notice.
"""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse

from ..search import search_knowledge_base
from ..search.params import FACET_PARAMS, parse_request
from ..search.selectors import MAX_RESULTS, PAGE_SIZE


def _remove_links(request, facets):
    """For each chosen filter, the address of the same search without it."""
    links = []
    for facet in facets:
        for option in facet.selected:
            query = request.GET.copy()
            kept = [value for value in query.getlist(facet.name) if value.strip().lower() != option.value]
            query.setlist(facet.name, kept)
            query.pop("page", None)
            links.append({"legend": facet.legend, "label": option.label, "url": "?" + query.urlencode()})
    return links


def search(request):
    search_request = parse_request(request.GET)
    result = search_knowledge_base(request=search_request, user=request.user)
    page = None
    if result.num_pages > 1 and not result.page_missing:
        paginator = Paginator(range(min(result.total, MAX_RESULTS)), PAGE_SIZE)
        page = paginator.page(result.page)
    clear_query = request.GET.copy()
    for name in (*FACET_PARAMS, "page"):
        clear_query.pop(name, None)
    context = {
        "search": result,
        "page": page,
        "query": result.text,
        "chosen_filters": _remove_links(request, result.facets),
        "clear_filters_url": reverse("reviews:search") + "?" + clear_query.urlencode(),
        "breadcrumbs": [("Home", reverse("reviews:home")), ("Search", None)],
    }
    return render(request, "reviews/search.html", context, status=404 if result.page_missing else 200)

"""National themes: the frameworks and their themes, and the local learning under one national theme."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from .. import selectors


def _trail(*steps: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [("Home", reverse("reviews:home")), *steps]


def national_theme_index(request):
    return render(
        request,
        "reviews/national_theme_index.html",
        {
            "frameworks": selectors.national_theme_index(request.user),
            "breadcrumbs": _trail(("National themes", None)),
        },
    )


def national_theme_detail(request, framework, slug):
    data = selectors.national_theme_detail(request.user, framework, slug, page_number=request.GET.get("page"))
    if data is None:
        raise Http404("There is no national theme at this address.")
    crumbs = _trail(("National themes", reverse("reviews:national-theme-index")), (data.national_theme.name, None))
    return render(
        request,
        "reviews/national_theme_detail.html",
        {"data": data, "national_theme": data.national_theme, "breadcrumbs": crumbs},
    )

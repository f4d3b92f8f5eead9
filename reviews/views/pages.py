"""The practitioner pages. Thin views: every query lives in ``reviews.selectors``."""

from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse

from .. import selectors
from ..charts import years_chart
from ..forms import ReviewIndexForm, ReviewPageForm


def _trail(*steps: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    """Breadcrumbs from the home page; the last step is the current page (no link)."""
    return [("Home", reverse("reviews:home")), *steps]


def home(request):
    holdings = selectors.knowledge_base_holdings()
    return render(
        request,
        "reviews/home.html",
        {
            "themes": selectors.themes_with_counts(request.user),
            "grid": selectors.recurrence_grid(holdings=holdings),
            "recent_reviews": selectors.recent_reviews(request.user),
            "totals": selectors.public_totals(holdings=holdings),
            "holdings": holdings,
        },
    )


def theme_index(request):
    return render(
        request,
        "reviews/theme_index.html",
        {"themes": selectors.themes_with_counts(request.user), "breadcrumbs": _trail(("Themes", None))},
    )


def themes_over_time(request):
    """How many reviews found each theme, year by year: a chart drawn as SVG and the same figures as a table."""
    data = selectors.themes_over_time()
    chart = years_chart(years=data.years, rows=[(row.theme.name, row.counts) for row in data.rows], peak=data.peak)
    crumbs = _trail(("Themes", reverse("reviews:theme-index")), ("Themes over time", None))
    return render(request, "reviews/themes_over_time.html", {"data": data, "chart": chart, "breadcrumbs": crumbs})


def theme_detail(request, slug):
    data = selectors.theme_detail(request.user, slug, page_number=request.GET.get("page"))
    if data is None:
        raise Http404("There is no theme at this address.")
    crumbs = _trail(("Themes", reverse("reviews:theme-index")), (data.theme.name, None))
    return render(request, "reviews/theme_detail.html", {"data": data, "theme": data.theme, "breadcrumbs": crumbs})


def review_index(request):
    filters = selectors.review_filters(request.user)
    form = ReviewIndexForm(request.GET, filters=filters)
    index = selectors.review_index(request.user, chosen=form.chosen, filters=filters, page_number=form.page_number)
    return render(
        request,
        "reviews/review_index.html",
        {"index": index, "ignored": form.ignored, "breadcrumbs": _trail(("Reviews", None))},
    )


def review_detail(request, slug):
    """The briefing's sections in its order, or (``?view=themes``) its entries grouped by theme."""
    by_theme = ReviewPageForm(request.GET).by_theme
    data = selectors.review_detail(request.user, slug)
    if data is None:
        raise Http404("There is no published review at this address.")
    crumbs = _trail(("Reviews", reverse("reviews:review-index")), (data.review.title, None))
    return render(
        request,
        "reviews/review_detail.html",
        {"data": data, "review": data.review, "breadcrumbs": crumbs, "by_theme": by_theme},
    )


def collection_detail(request, slug):
    found = selectors.collection_detail(request.user, slug)
    if found is None:
        raise Http404("There is no collection at this address.")
    collection, page = found
    crumbs = _trail(("Reviews", reverse("reviews:review-index")), (collection.title, None))
    return render(
        request,
        "reviews/collection_detail.html",
        {"collection": collection, "page": page, "breadcrumbs": crumbs},
    )


def source_index(request):
    return render(
        request,
        "reviews/source_index.html",
        {"sources": selectors.source_list(request.user), "breadcrumbs": _trail(("Source briefings", None))},
    )


def source_detail(request, slug):
    data = selectors.source_detail(request.user, slug)
    if data is None:
        raise Http404("There is no published source briefing at this address.")
    crumbs = _trail(("Source briefings", reverse("reviews:source-index")), (data.source.title, None))
    return render(request, "reviews/source_detail.html", {"data": data, "source": data.source, "breadcrumbs": crumbs})


def partnership_index(request):
    return render(
        request,
        "reviews/partnership_index.html",
        {"partnerships": selectors.partnership_list(request.user), "breadcrumbs": _trail(("Partnerships", None))},
    )


def partnership_detail(request, slug):
    found = selectors.partnership_detail(request.user, slug, page_number=request.GET.get("page"))
    if found is None:
        raise Http404("There is no partnership at this address.")
    partnership, page, sources = found
    crumbs = _trail(("Partnerships", reverse("reviews:partnership-index")), (partnership.name, None))
    return render(
        request,
        "reviews/partnership_detail.html",
        {"partnership": partnership, "page": page, "sources": sources, "breadcrumbs": crumbs},
    )


def tag_index(request):
    return render(
        request,
        "reviews/tag_index.html",
        {"tags": selectors.tag_list(request.user), "breadcrumbs": _trail(("Tags", None))},
    )


def tag_detail(request, slug):
    found = selectors.tag_detail(request.user, slug, page_number=request.GET.get("page"))
    if found is None:
        # A tag folded into the theme it repeated: its old address leads to the theme.
        theme = selectors.folded_tag_theme(request.user, slug)
        if theme is not None:
            return HttpResponsePermanentRedirect(theme.get_absolute_url())
        raise Http404("No published review has this tag.")
    tag, page = found
    crumbs = _trail(("Tags", reverse("reviews:tag-index")), (tag.name, None))
    return render(request, "reviews/tag_detail.html", {"tag": tag, "page": page, "breadcrumbs": crumbs})

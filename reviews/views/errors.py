"""Error pages that help: a 404 that suggests where to go, a 500 that cannot fail."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import reverse

# Where to send someone whose address started like this.
SECTIONS = [
    ("/themes/", "reviews:theme-index", "all themes"),
    ("/reviews/", "reviews:review-index", "all reviews"),
    ("/collections/", "reviews:review-index", "all reviews"),
    ("/sources/", "reviews:source-index", "all source briefings"),
    ("/partnerships/", "reviews:partnership-index", "all partnerships"),
    ("/tags/", "reviews:tag-index", "all tags"),
]


def page_not_found(request, exception):
    """A normal 404 response (the admin's redirect middleware relies on that), with a way on."""
    suggestion = next(
        ((reverse(name), label) for prefix, name, label in SECTIONS if request.path.startswith(prefix)), None
    )
    return render(request, "404.html", {"suggestion": suggestion}, status=404)


def server_error(request):
    """Rendered without a request context or database, so it still works when they are what failed."""
    return HttpResponseServerError(loader.get_template("500.html").render())

"""The site's addresses plus two pages that set cookies, for tests/test_caching.py."""

from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

from kb.urls import handler400, handler404, handler500  # noqa: F401


def page_with_csrf_token(request):
    """A public page with a POST form: its token is the visitor's own."""
    template = engines["django"].from_string('<form method="post">{% csrf_token %}</form>')
    return HttpResponse(template.render({}, request))


def page_setting_a_cookie(request):
    response = HttpResponse("A page that sets a cookie.")
    response.set_cookie("test-preference", "large-text")
    return response


urlpatterns = [
    path("test-csrf-form/", page_with_csrf_token),
    path("test-cookie/", page_setting_a_cookie),
    path("", include("kb.urls")),
]

"""HTTP rules for every response: the methods each part of the site answers, no
caching of what signed-in staff see, and no admin request Django's admin
cannot read.

``AllowedMethodsMiddleware``

A function view renders its page whatever the method: TRACE, PROPFIND or a
made-up method got the page and a 200. The public pages only show things, so
they answer GET and HEAD; the admin also takes its forms' POST; anything else
is 405 Method Not Allowed with the ``Allow`` header (RFC 9110, section
15.5.6), before the view or the CSRF check runs. Views marked
``answers_every_method`` (the API's and oEmbed's, whose 405 is JSON) decide
for themselves.

``SignedInNoStoreMiddleware``

Staff see drafts: on the public pages (with a "draft" banner, and among
published content in lists and search results) and in the admin. Nothing a
signed-in user is shown may be kept by a shared cache (a proxy, a CDN) or by
the browser (the disk cache of a shared computer): such responses say
``Cache-Control: private, no-store`` (RFC 9111, sections 5.2.2.7 and
5.2.2.5). Only staff sign in; the public's pages are unaffected.

``AdminInputMiddleware``

Two things in an admin request fail in Django's admin with a 500, so they are
refused with a 400 before it reads them:

- a blank ``_to_field`` parameter, which the admin looks up as a field named
  "" (``ModelAdmin.get_object``) on every change, delete and history page
  (a to-field it does not allow it refuses itself, with
  ``DisallowedModelAdminToField``, as here);
- a NUL anywhere in the query string or form (``?status__exact=%00``), which
  reaches the database, and PostgreSQL refuses one in any query. No field,
  filter or search of the admin has a use for one (its text fields refuse
  them too).
"""

from __future__ import annotations

from django.contrib.admin.exceptions import DisallowedModelAdminToField
from django.contrib.admin.options import TO_FIELD_VAR
from django.core.exceptions import BadRequest
from django.http import HttpResponseNotAllowed, QueryDict
from django.utils.cache import patch_cache_control

ADMIN_PREFIX = "/admin/"
PAGE_METHODS = ("GET", "HEAD")
ADMIN_METHODS = ("GET", "HEAD", "POST")


def answers_every_method(view):
    """Mark ``view`` as answering every method itself (with its own 405): ``AllowedMethodsMiddleware`` lets it."""
    view.answers_every_method = True
    return view


class AllowedMethodsMiddleware:
    """Placed before the CSRF middleware, so that its check of the method comes first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "answers_every_method", False):
            return None
        allowed = ADMIN_METHODS if request.path_info.startswith(ADMIN_PREFIX) else PAGE_METHODS
        if request.method in allowed:
            return None
        return HttpResponseNotAllowed(
            allowed,
            content=f"This address answers {' and '.join(allowed)} requests only.\n",
            content_type="text/plain; charset=utf-8",
        )


class SignedInNoStoreMiddleware:
    """Placed after the authentication middleware, which gives ``request.user``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


class AdminInputMiddleware:
    """Placed after the CSRF check, which reads a POST's form first anyway."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(ADMIN_PREFIX):
            for data in (request.GET, request.POST if request.method == "POST" else QueryDict()):
                if TO_FIELD_VAR in data and not data[TO_FIELD_VAR].strip():
                    raise DisallowedModelAdminToField("A blank to-field cannot be referenced.")
                if any("\x00" in key or "\x00" in value for key, values in data.lists() for value in values):
                    raise BadRequest("The request contains a NUL character.")
        return self.get_response(request)

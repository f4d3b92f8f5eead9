"""Content-Security-Policy for every response (Django 5.2 has none built in).

The site loads scripts, styles and fonts only from itself and has no inline
scripts or styles (``tests/browser`` fails on the console error a violation
causes), so the policy can be strict. Pages may not be framed by anyone
(``frame-ancestors 'none'``, with ``X-Frame-Options: DENY`` for old browsers),
except the embeddable cards, which set their own policy through
``reviews.views.embeds`` so that the origins in ``KB_EMBED_ALLOWED_ORIGINS``
may frame them.

Two deliberate relaxations:

- the admin may use inline ``style`` attributes (django-simple-history's
  history page has one); its scripts stay restricted to the site;
- Django's debug error pages (only with ``DEBUG`` on) are left without a
  policy, since they are built from inline styles and scripts.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings

HEADER = "Content-Security-Policy"


def build_policy(*, frame_ancestors: Iterable[str] = ("'none'",), inline_styles: bool = False) -> str:
    """The site's policy, with the given framing rule."""
    style = "'self' 'unsafe-inline'" if inline_styles else "'self'"
    directives = [
        "default-src 'self'",
        "script-src 'self'",
        f"style-src {style}",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        f"frame-ancestors {' '.join(frame_ancestors)}",
    ]
    return "; ".join(directives)


def embed_frame_ancestors() -> list[str]:
    """Who may frame an embeddable card: this site and the configured origins."""
    return ["'self'", *getattr(settings, "KB_EMBED_ALLOWED_ORIGINS", [])]


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = "/admin/"

    def __call__(self, request):
        response = self.get_response(request)
        if HEADER in response:
            return response  # a view set its own (the embeddable cards)
        if settings.DEBUG and response.status_code >= 400:
            return response
        inline_styles = request.path.startswith(self.admin_prefix)
        response[HEADER] = build_policy(inline_styles=inline_styles)
        return response

"""The address a request really came from, for the sign-in lock-out.

Behind reverse proxies every request reaches Django from the proxy, so
``REMOTE_ADDR`` alone would lock out one user name for everybody (and let
anyone who knows an editor's user name lock them out). Each proxy appends the
address it received the request from to ``X-Forwarded-For``; with
``KB_TRUSTED_PROXY_COUNT`` proxies in front of the app, the client is the
entry that many places from the right. Entries further left were written by
the client and are not trusted.
"""

from __future__ import annotations

from ipaddress import ip_address

from django.conf import settings


def client_ip(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    count = getattr(settings, "KB_TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < count:
        return remote
    candidate = forwarded[-count]
    try:
        return str(ip_address(candidate))
    except ValueError:
        return remote

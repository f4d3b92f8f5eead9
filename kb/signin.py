"""Sign-in protections beyond django-axes: a limit per account, and sessions that end.

django-axes locks a user name out *from one address* after
``AXES_FAILURE_LIMIT`` failures (settings.py says why the pair). On its own
that lets someone with many addresses (an IPv6 /64 holds billions) guess an
account's password without end. ``AccountLockoutBackend`` adds a second,
higher limit per account whatever the address: ``KB_ACCOUNT_FAILURE_LIMIT``
failed sign-ins within the cool-off window lock the account itself, with a
page that says so and how to get it unlocked (``manage.py
axes_reset_username NAME``, or deleting its rows under "Access attempts" in
the admin). Higher than the per-address limit, so that a colleague mistyping
is never the cause, and so that locking an editor out from elsewhere takes
many attempts, all logged.

``SessionTimeoutMiddleware`` ends a signed-in session after
``KB_SESSION_IDLE_HOURS`` without a request, and in any case
``KB_SESSION_MAX_DAYS`` after sign-in.
"""

from __future__ import annotations

import datetime

from axes.exceptions import AxesBackendPermissionDenied
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.db.models import Sum
from django.utils import timezone


def account_failures(username: str) -> int:
    """Failed sign-ins for ``username`` from every address within the cool-off window."""
    since = timezone.now() - datetime.timedelta(hours=settings.AXES_COOLOFF_TIME)
    total = AccessAttempt.objects.filter(username=username, attempt_time__gte=since).aggregate(
        failures=Sum("failures_since_start")
    )["failures"]
    return total or 0


class AccountLockoutBackend:
    """Refuse every sign-in to an account that has failed too often, from anywhere.

    Sits after axes' own backend and before ``ModelBackend`` in
    ``AUTHENTICATION_BACKENDS``. Refusing the way axes does (its exception and
    request attributes) makes axes' middleware answer with the lock-out page,
    which tells this case apart by ``request.kb_account_locked``.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or not username:
            return None
        if account_failures(username) >= settings.KB_ACCOUNT_FAILURE_LIMIT:
            request.axes_locked_out = True
            request.kb_account_locked = True
            request.axes_credentials = {"username": username}
            raise AxesBackendPermissionDenied("Account locked after too many failed sign-ins")
        return None

    # No ``get_user``: this backend never signs anyone in, so Django must
    # never pick it to restore a session's user (``force_login`` takes the
    # first backend that has one).


_STARTED = "kb_signed_in_at"
_SEEN = "kb_last_seen_at"
# Record activity at most this often: a session write on every request would
# cost a query per page for nothing.
_SEEN_RESOLUTION = datetime.timedelta(minutes=1)


def start_session_clock(sender, request, user, **kwargs):
    """At sign-in, note when: saved with the session sign-in writes anyway, so no extra query later."""
    if request is not None and hasattr(request, "session"):
        now = timezone.now().isoformat()
        request.session[_STARTED] = now
        request.session[_SEEN] = now


def connect() -> None:
    user_logged_in.connect(start_session_clock, dispatch_uid="kb.signin.start_session_clock")


class SessionTimeoutMiddleware:
    """Sign staff out after a spell of inactivity, and after a fixed time in any case."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    def _check(self, request):
        now = timezone.now()
        session = request.session
        started = _read(session.get(_STARTED)) or now
        seen = _read(session.get(_SEEN)) or now
        idle = datetime.timedelta(hours=settings.KB_SESSION_IDLE_HOURS)
        longest = datetime.timedelta(days=settings.KB_SESSION_MAX_DAYS)
        if now - seen > idle or now - started > longest:
            reason = (
                f"You were signed out after {settings.KB_SESSION_IDLE_HOURS} hours without activity."
                if now - seen > idle
                else f"You were signed out: a session lasts at most {settings.KB_SESSION_MAX_DAYS} days."
            )
            logout(request)
            messages.info(request, f"{reason} Please sign in again.")
            return
        if _STARTED not in session:
            session[_STARTED] = now.isoformat()
        if _SEEN not in session or now - seen >= _SEEN_RESOLUTION:
            session[_SEEN] = now.isoformat()


def _read(value) -> datetime.datetime | None:
    try:
        return datetime.datetime.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None

"""Who made a change, and why: what the services tell the edit history
(django-simple-history) before they save."""

from __future__ import annotations


def attribute_change(obj, *, user=None, reason: str = ""):
    """Tell the edit history who made the next save of ``obj``, and why."""
    if user is not None and getattr(user, "is_authenticated", False):
        obj._history_user = user
    # simple-history's reason is a CharField(max_length=100), which PostgreSQL enforces.
    obj._change_reason = reason[:100] if reason else None
    return obj


def signed_in_person(user):
    """``user`` if a signed-in person, else ``None`` (a command or an anonymous request)."""
    return user if user is not None and getattr(user, "is_authenticated", False) else None

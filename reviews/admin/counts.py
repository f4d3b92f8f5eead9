"""Counts shown in the admin's lists, as correlated subqueries.

One subquery per count keeps a list page at a fixed number of queries, and
avoids the row multiplication of joining several reverse relations at once.
"""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

PUBLISH_PERMISSION = "reviews.publish_review"


def count_of(model, field: str, **filters):
    """The number of ``model`` rows whose ``field`` is the outer row."""
    rows = (
        model.objects.filter(**{field: OuterRef("pk")}, **filters)
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def can_publish(user) -> bool:
    return user.has_perm(PUBLISH_PERMISSION)

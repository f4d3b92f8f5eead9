"""Writing a theme's guide: a claim is saved only with the entries it rests on."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from ..models import Action, GuideClaim, LearningPoint, Recommendation
from ..models.guides import NO_CITATION_MESSAGE
from .history import attribute_change


def guide_claim_check_citations(
    *,
    learning_points: Iterable[LearningPoint] = (),
    recommendations: Iterable[Recommendation] = (),
    actions: Iterable[Action] = (),
) -> None:
    """Raise ``ValidationError`` unless at least one entry is cited (the admin's form asks this too)."""
    if not (list(learning_points) or list(recommendations) or list(actions)):
        raise ValidationError(NO_CITATION_MESSAGE, code="no_citation")


@transaction.atomic
def guide_claim_save(
    *,
    claim: GuideClaim,
    learning_points: Iterable[LearningPoint] = (),
    recommendations: Iterable[Recommendation] = (),
    actions: Iterable[Action] = (),
    user=None,
    reason: str = "",
) -> GuideClaim:
    """Save ``claim`` with the entries it rests on, as one history entry.

    Refuses (``ValidationError``, nothing saved) a claim that cites nothing,
    or whose own fields do not validate.
    """
    learning_points, recommendations, actions = list(learning_points), list(recommendations), list(actions)
    guide_claim_check_citations(learning_points=learning_points, recommendations=recommendations, actions=actions)
    claim.full_clean()
    # One history entry with the citations as saved, not one per many-to-many step.
    claim.skip_history_when_saving = True
    try:
        claim.save()
        claim.learning_points.set(learning_points)
        claim.recommendations.set(recommendations)
        claim.actions.set(actions)
    finally:
        claim.__dict__.pop("skip_history_when_saving", None)
    attribute_change(claim, user=user, reason=reason)
    claim.save()
    return claim


# The field of a claim that holds each kind of entry it may cite.
CITATION_FIELDS = {LearningPoint: "learning_points", Recommendation: "recommendations", Action: "actions"}


def guide_citations_move(*, old, new) -> int:
    """Guides' claims that cite ``old`` (an entry about to be deleted because it was recorded again as
    ``new``) cite ``new`` too, when a claim can cite its kind; how many claims. A claim left citing
    nothing is not shown to the public (``selectors.theme_guide``) until an editor gives it a citation."""
    old_field, new_field = CITATION_FIELDS.get(type(old)), CITATION_FIELDS.get(type(new))
    if old_field is None or new_field is None:
        return 0
    claims = list(GuideClaim.objects.filter(**{old_field: old}))
    for claim in claims:
        getattr(claim, new_field).add(new)
    return len(claims)

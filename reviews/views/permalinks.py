"""Permanent short links for trainers' slides and courses.

``/lp/42/`` always finds learning point 42, wherever its review now lives and
whatever its slug or title became: the link is by primary key and answers a
302 (not a 301, which browsers cache for good) to the item's current anchor.

- A theme merged into another redirects to the theme kept.
- An entry the knowledge base recorded again under another kind, or split
  (``MovedEntry``: a signpost stored as learning that became a resource)
  answers 301 to what it became: the move is for good.
- An item that was deleted after the public could see it answers 410 Gone
  with an explanation. Its deletion is known from its edit history
  (django-simple-history's ``history_type "-"``), and the page links to the
  review it belonged to if that is still published.
- An unknown item, one not public (a draft review's entries, a theme only
  drafts use), or one deleted without ever having been public (a deleted
  draft: ``selectors.history.was_ever_public``) answers 404, so a draft's
  existence is never revealed. Staff are redirected to drafts too, as they
  can see them.
"""

from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import redirect, render

from ..models import Action, CoursePack, LearningPoint, Recommendation, Review, Theme
from ..selectors.history import deletion_of, surviving_review
from ..selectors.permalinks import moved_entry_target, permalink_target
from ..services import theme_merged_into

PERMALINK_MODELS = {
    "learning-point": (LearningPoint, "learning point"),
    "recommendation": (Recommendation, "recommendation"),
    "action": (Action, "action"),
    "review": (Review, "review"),
    "theme": (Theme, "theme"),
    "coursepack": (CoursePack, "course pack"),
}


def permalink(request, kind, pk):
    model, label = PERMALINK_MODELS[kind]
    item = permalink_target(model, pk=pk, user=request.user)
    if item is not None:
        return redirect(item.get_absolute_url())
    if model is Theme:
        # A theme merged into another lives on in the theme kept.
        kept = theme_merged_into(pk=pk)
        if kept is not None:
            return redirect(kept.get_absolute_url())
    moved = moved_entry_target(model, pk=pk, user=request.user)
    if moved is not None:
        return HttpResponsePermanentRedirect(moved.get_absolute_url())
    deleted = deletion_of(model, pk=pk)
    if deleted is not None:
        return render(
            request,
            "reviews/permalink_gone.html",
            {"label": label, "deleted": deleted, "review": surviving_review(deleted, user=request.user)},
            status=410,
        )
    raise Http404(f"There is no published {label} with the number {pk}.")

"""Folding tags that repeat a theme into the theme: one way to classify.

Themes are how the knowledge base classifies learning; a review tag whose name is
a theme's name or one of its aliases ("neglect", "Home-Education") says nothing
the theme does not. Folding such a tag:

- records its name as an alias of the theme where the theme has no such name yet
  (so that a search for the tag's words finds the theme, as aliases do);
- takes it off its reviews (each review's history says why) and deletes it;
- its old address ``/tags/<slug>/`` answers a permanent redirect to the theme's
  page (``selectors.browse.folded_tag_theme``, the same comparison of names).

Names are compared by ``reviews.text.name_key``: case, hyphens and a plural "s"
aside. A tag matching two themes is left alone and reported. Other tags stay.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from taggit.models import Tag

from .. import caching
from ..models import Review, Theme, ThemeAlias
from ..selectors.browse import themes_by_name_key
from ..text import name_key
from .history import attribute_change


@dataclass
class TagFold:
    tag_name: str
    tag_slug: str
    theme: Theme
    alias_added: bool  # False when the theme already has the tag's name (as its name or an alias)
    reviews: int  # reviews the tag was taken off


@dataclass
class TagFoldResult:
    folded: list[TagFold] = field(default_factory=list)
    ambiguous: list[tuple[str, list[Theme]]] = field(default_factory=list)  # a tag's name, the themes it matches
    dry_run: bool = False


def _has_name(theme: Theme, name: str) -> bool:
    wanted = name.casefold()
    return theme.name.casefold() == wanted or any(alias.name.casefold() == wanted for alias in theme.aliases.all())


@transaction.atomic
def tags_fold(*, dry_run: bool = False, user=None) -> TagFoldResult:
    """Fold every review tag that repeats a theme into that theme (see the module docstring).
    With ``dry_run``, say what would be folded and change nothing."""
    result = TagFoldResult(dry_run=dry_run)
    by_key = themes_by_name_key(Theme.objects.all())
    for tag in Tag.objects.filter(review__isnull=False).distinct().order_by("name"):
        themes = by_key.get(name_key(tag.name), set())
        if len(themes) > 1:
            result.ambiguous.append((tag.name, sorted(themes, key=lambda theme: theme.name)))
            continue
        if not themes:
            continue
        (theme,) = themes
        alias_added = not _has_name(theme, tag.name)
        reviews = list(Review.objects.filter(tags=tag))
        result.folded.append(
            TagFold(tag_name=tag.name, tag_slug=tag.slug, theme=theme, alias_added=alias_added, reviews=len(reviews))
        )
        if dry_run:
            continue
        reason = f"Tag “{tag.name}” folded into theme “{theme.name}”"
        if alias_added:
            alias = ThemeAlias(theme=theme, name=tag.name)
            attribute_change(alias, user=user, reason=reason).save()
        for review in reviews:
            review.skip_history_when_saving = True
            review.tags.remove(tag)
            del review.skip_history_when_saving
            attribute_change(review, user=user, reason=reason)
            review.save()
        tag.delete()
    if dry_run:
        transaction.set_rollback(True)
    elif result.folded:
        caching.content_changed()
    return result

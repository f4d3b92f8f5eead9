"""The 404 page: pages of the kind the address was for, named like it."""

from __future__ import annotations

import difflib
import re
from urllib.parse import unquote

from django.urls import reverse
from taggit.models import Tag

from ..models import Collection, Partnership, Review, Source, Theme
from ..search.backends import get_backend

SUGGESTIONS = 3
# How alike a name must be to the words of the address (difflib's ratio).
SIMILARITY = 0.6
_WORD = re.compile(r"[^\W_]+")
MAX_WORDS = 12


def address_words(path: str, *, prefix: str = "") -> str:
    """The words of an address after its section, for a search: '/themes/safe-sleep/' → 'safe sleep'."""
    rest = unquote(path, errors="replace")[len(prefix) :] if path.startswith(prefix) else unquote(path)
    return " ".join(_WORD.findall(rest)[:MAX_WORDS]).lower()


def _closest(words: str, candidates, *, limit: int) -> list:
    """The candidates (object, names) with a name most like the words, best first.

    A name is compared whole and, word run by word run, with as many words as
    were typed, so 'safe sleep' finds 'Safe sleeping' and 'child m' finds
    'Serious Case Review – Child M'.
    """
    typed = words.split()
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(words)
    scored = []
    for rank, (item, names) in enumerate(candidates):
        best = 0.0
        for name in names:
            name_words = _WORD.findall(name.lower())
            runs = {" ".join(name_words)}
            runs.update(" ".join(name_words[i : i + len(typed)]) for i in range(len(name_words) - len(typed) + 1))
            for run in runs:
                matcher.set_seq1(run)
                if matcher.real_quick_ratio() >= SIMILARITY and matcher.quick_ratio() >= SIMILARITY:
                    best = max(best, matcher.ratio())
        if best >= SIMILARITY:
            scored.append((-best, rank, item))
    return [item for _, _, item in sorted(scored, key=lambda row: row[:2])[:limit]]


def _similar_themes(user, words: str, limit: int) -> list[Theme]:
    # The search's own look-up, which also knows the headings boards use (aliases).
    visible = Theme.objects.visible_to(user)
    ids = get_backend().similar_theme_ids(words, limit=limit, among=visible)
    themes = visible.in_bulk(ids)
    return [themes[pk] for pk in ids if pk in themes]


def _similar_reviews(user, words: str, limit: int) -> list[Review]:
    reviews = Review.objects.visible_to(user).only("slug", "title", "children")
    return _closest(words, ((review, (review.slug, review.title, review.children)) for review in reviews), limit=limit)


def _similar_sources(user, words: str, limit: int) -> list[Source]:
    sources = Source.objects.visible_to(user).only("slug", "title")
    return _closest(words, ((source, (source.slug, source.title)) for source in sources), limit=limit)


def _similar_collections(user, words: str, limit: int) -> list[Collection]:
    collections = Collection.objects.filter(source__in=Source.objects.visible_to(user)).only("slug", "title")
    return _closest(words, ((item, (item.slug, item.title)) for item in collections), limit=limit)


def _similar_partnerships(user, words: str, limit: int) -> list[Partnership]:
    partnerships = Partnership.objects.visible_to(user).only("slug", "name", "short_name")
    return _closest(words, ((item, (item.slug, item.name, item.short_name)) for item in partnerships), limit=limit)


def _similar_tags(user, words: str, limit: int) -> list[Tag]:
    tags = Tag.objects.filter(review__in=Review.objects.visible_to(user)).distinct().order_by("name")
    return _closest(words, ((tag, (tag.slug, tag.name)) for tag in tags), limit=limit)


def _tag_link(tag: Tag) -> tuple[str, str]:
    return tag.name, reverse("reviews:tag-detail", args=[tag.slug])


def _link(item) -> tuple[str, str]:
    return str(item), item.get_absolute_url()


# kind of page: (find those named like the words, their (name, address))
SIMILAR = {
    "theme": (_similar_themes, _link),
    "review": (_similar_reviews, _link),
    "source": (_similar_sources, _link),
    "collection": (_similar_collections, _link),
    "partnership": (_similar_partnerships, _link),
    "tag": (_similar_tags, _tag_link),
}


def similar_pages(user, kind: str, words: str, *, limit: int = SUGGESTIONS) -> list[tuple[str, str]]:
    """(name, address) of up to ``limit`` pages of the kind (``SIMILAR``'s keys) the user may see,
    named like the words, best first."""
    if not words or kind not in SIMILAR:
        return []
    find, link = SIMILAR[kind]
    return [link(item) for item in find(user, words, limit)]

"""Text as the knowledge base compares, searches and matches it: the one place
for normalising text, the stop words and the stemmer.

Each normalisation serves one purpose, and they differ on purpose:

- ``plain_text``: an entry or a briefing's passage as the word-for-word
  check compares them (Markdown removed, lines joined; case kept);
- ``comparable_text``: a key for comparing names and passages that ignores
  case, curly quotes and spacing (never stored);
- ``printable_text``: what someone typed, tidied to show it back to them;
- ``without_markup``: a briefing's passage without its Markdown emphasis,
  links or HTML tags, as the importer reads it.

Search uses ``STOP_WORDS``; theme suggestions use ``KEYWORD_STOP_WORDS``,
derived from it, and ``stem``.
"""

from __future__ import annotations

import re

from django.utils.text import slugify

from .markdown import strip_markdown

# ---------------------------------------------------------------------------
# Normalising
# ---------------------------------------------------------------------------

_BULLET_LINE = re.compile(r"^\s*(?:[-*+•])\s+")
# A Markdown link: ``[text](address)``; ``[text](#)`` is a placeholder for a
# link the briefing named without an address.
MARKDOWN_LINK = re.compile(r"\[([^\]\n]+)\]\(([^)\s]*)\)")


def plain_text(text: str) -> str:
    """The plain, whitespace-normalised text of an entry or of a passage of a
    briefing, for the check that entries keep the briefing's wording.

    Lines are joined first so that emphasis spanning a line break (as in the
    MASH contact line of the Child M briefing) is recognised as emphasis.
    """
    lines = [line.strip() for line in (text or "").splitlines()]
    if any(_BULLET_LINE.match(line) for line in lines[1:]):
        # A Markdown list: keep the lines, strip_markdown removes the markers.
        return strip_markdown("\n".join(lines))
    return strip_markdown(" ".join(line for line in lines if line))


def comparable_text(text: str) -> str:
    """Lower case, one space between words, typographic quotes made plain:
    for comparing passages and names, never for storing them."""
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", " ", text).strip().lower()


def name_key(text: str) -> str:
    """A short name (a tag, a theme's name or alias, a slug) as names are compared with one
    another: its slug's words, each without a plural "s" ("Home-Education", "home education"
    and "home-educations" are one key). Never stored, never shown."""
    words = []
    for word in slugify(text).split("-"):
        if word.endswith("ies") and len(word) > 4:
            word = word[:-3] + "y"
        elif word.endswith("s") and not word.endswith("ss") and len(word) > 3:
            word = word[:-1]
        words.append(word)
    return " ".join(word for word in words if word)


def printable_text(text: str) -> str:
    """Typed input as shown back to the person: trimmed, whitespace collapsed,
    control characters removed."""
    text = "".join(ch if ch.isprintable() else " " for ch in text or "")
    return " ".join(text.split())


def without_markup(text: str) -> str:
    """The words of a passage without Markdown emphasis, links or HTML tags.

    Lighter than ``plain_text``: tags become spaces, only ``**`` and ``__``
    emphasis is removed and entities are left as they are, which is how the
    importer has always read a briefing."""
    text = MARKDOWN_LINK.sub(lambda m: m.group(1), text)
    text = re.sub(r"<[^>]+>", " ", text)
    text = text.replace("**", "").replace("__", "")
    return re.sub(r"\s+", " ", text).strip()


# ---------------------------------------------------------------------------
# Stop words and stemming
# ---------------------------------------------------------------------------

# PostgreSQL's English stop words (share/tsearch_data/english.stop, the
# Snowball list). PostgreSQL drops them itself; FTS5 has no stop words, so
# dropping them in the search makes both databases answer the same query the
# same way.
STOP_WORDS = frozenset(
    {
        "i",
        "me",
        "my",
        "myself",
        "we",
        "our",
        "ours",
        "ourselves",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "he",
        "him",
        "his",
        "himself",
        "she",
        "her",
        "hers",
        "herself",
        "it",
        "its",
        "itself",
        "they",
        "them",
        "their",
        "theirs",
        "themselves",
        "what",
        "which",
        "who",
        "whom",
        "this",
        "that",
        "these",
        "those",
        "am",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "have",
        "has",
        "had",
        "having",
        "do",
        "does",
        "did",
        "doing",
        "a",
        "an",
        "the",
        "and",
        "but",
        "if",
        "or",
        "because",
        "as",
        "until",
        "while",
        "of",
        "at",
        "by",
        "for",
        "with",
        "about",
        "against",
        "between",
        "into",
        "through",
        "during",
        "before",
        "after",
        "above",
        "below",
        "to",
        "from",
        "up",
        "down",
        "in",
        "out",
        "on",
        "off",
        "over",
        "under",
        "again",
        "further",
        "then",
        "once",
        "here",
        "there",
        "when",
        "where",
        "why",
        "how",
        "all",
        "any",
        "both",
        "each",
        "few",
        "more",
        "most",
        "other",
        "some",
        "such",
        "no",
        "nor",
        "not",
        "only",
        "own",
        "same",
        "so",
        "than",
        "too",
        "very",
        "s",
        "t",
        "can",
        "will",
        "just",
        "don",
        "should",
        "now",
    }
)

# The words theme suggestions ignore (``reviews.importing.themes.keywords``).
# This is the importer's own list, older than the search's and chosen by hand,
# kept word for word so that the themes suggested on import do not change: the
# search list without the words below, and with modal verbs and a few
# prepositions the search keeps.
_SEARCH_ONLY_STOP_WORDS = frozenset(
    {
        # Singular pronouns, and the possessive and reflexive forms.
        "i",
        "me",
        "my",
        "myself",
        "he",
        "him",
        "his",
        "himself",
        "she",
        "her",
        "hers",
        "herself",
        "itself",
        "ours",
        "ourselves",
        "yours",
        "yourself",
        "yourselves",
        "theirs",
        "themselves",
        "whom",
        # Verb forms.
        "am",
        "did",
        "doing",
        "having",
        "don",
        "s",
        "t",
        # Time and place.
        "again",
        "before",
        "below",
        "down",
        "during",
        "further",
        "here",
        "now",
        "off",
        "once",
        "until",
        # Others.
        "against",
        "because",
        "each",
        "few",
        "if",
        "just",
        "no",
        "nor",
        "only",
        "own",
        "same",
        "too",
        "very",
        "why",
    }
)
_KEYWORD_ONLY_STOP_WORDS = frozenset({"also", "could", "may", "must", "would", "upon", "within", "without"})
KEYWORD_STOP_WORDS = (STOP_WORDS - _SEARCH_ONLY_STOP_WORDS) | _KEYWORD_ONLY_STOP_WORDS


def stem(word: str) -> str:
    """A deliberately small stemmer: enough to match 'families' with 'family',
    'sharing' with 'share', 'assessments' with 'assessment'.

    Search does not use it: each database stems with its own (Snowball on
    PostgreSQL, Porter in SQLite's FTS5)."""
    for suffix, replacement in (("ies", "y"), ("ing", ""), ("ness", ""), ("es", ""), ("ed", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + replacement
            break
    # "share" and "shar(ing)", "practice" and "practic(es)" meet without the final e.
    return word[:-1] if word.endswith("e") and len(word) > 4 else word

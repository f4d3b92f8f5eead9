"""Suggesting themes for the entries an import proposes, from the existing
themes' names and aliases (``ThemeMatcher``), and proposing names for new
themes where none fits (``ThemeMatcher.propose``)."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from ..text import KEYWORD_STOP_WORDS, comparable_text, stem, without_markup


def keywords(text: str) -> list[str]:
    """Stemmed content words of a text, in order."""
    words = re.findall(r"[a-z0-9]+", comparable_text(without_markup(text)).replace("&", " and "))
    return [stem(word) for word in words if word not in KEYWORD_STOP_WORDS and len(word) > 2]


# Words that carry no theme on their own: every briefing uses them, whatever
# it is about. A theme is never suggested for one of these ("home" is not Home
# education, "safety" in "Community Safety Partnership" is not Water safety,
# "lead" in "can lead to death" is not Lead professional); a theme's name made
# of them is still found as a phrase.
_NO_THEME_WORDS = """
    home lead safety community child children family families support practice practices practitioner
    practitioners professional professionals work working worker workers agency agencies service services
    safeguarding review reviews case cases people person young need needs issue issues risk risks care
    process processes partnership partnerships board staff team teams learning important key good
    ensure example examples time times make made use used including include also within across
    well better one two three first new way ways areas area level levels role roles protection plan plans
    concern concerns
"""
NO_THEME_WORDS = frozenset(stem(word) for word in _NO_THEME_WORDS.split())

# Other words and phrases for what a theme names, by a word of the theme's
# name or aliases: a theme whose name or an alias has the word "babies" is
# also found by "infant", "newborn", "immobile"... Each counts as the theme's
# own phrase. Written stemmed-insensitive: they are compared word by word
# after the same light stemming as the text.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "babies": (
        "baby", "infant", "newborn", "new born", "new-born", "immobile", "non-mobile", "non mobile", "pre-mobile",
        "not independently mobile", "non-independently mobile", "under one", "under ones", "under 1",
        "under 1s", "six weeks old", "months old", "week old", "weeks old",
    ),
    "fathers": (
        "father", "stepfather", "step-father", "step father", "dad", "partner of the mother", "mother's partner",
        "mothers partner", "mum's partner", "mums partner", "male partner", "male carer", "male carers",
        "men in the family", "men in families", "males in the family", "hidden men", "invisible men",
        "paternal",
    ),
    "voice": (
        "voice of the child", "child's voice", "childs voice", "wishes and feelings", "lived experience",
        "daily life of the child",
    ),
    "escalation": ("escalate", "escalated", "escalating", "professional challenge", "challenge decisions"),
    "neglect": ("neglected", "neglectful"),
    "education": (
        "home educated", "elective home education", "electively home educated", "educated at home", "home schooled",
        "home schooling", "home tuition", "EHE",
    ),
    "sleeping": (
        "co-sleeping", "co sleeping", "safe sleep", "safer sleep", "safer sleeping", "sleeping arrangements",
        "sudden infant death", "SUDI",
    ),
    "think": ("whole family approach", "whole-family approach", "whole family working", "think family"),
    "sharing": (
        "share information", "shared information", "information shared", "sharing of information",
        "passing information", "pass information", "passed information", "follow through",
    ),
    "disabled": (
        "disability", "disabilities", "additional needs", "complex needs", "special educational needs", "SEND",
        "learning disability", "learning disabilities",
    ),
    "harm": (
        "self harm", "self-harm", "CAMHS", "emotional health", "emotional wellbeing", "emotional well-being",
        "suicidal", "overdose",
    ),
    "process": (
        "action plan", "review process", "learning points from this", "address the recommendations",
        "monitor the recommendations",
    ),
    "curiosity": ("professionally curious", "professional curiosity", "curious"),
    "disguised": ("disguised compliance", "false compliance", "superficial compliance"),
}  # fmt: skip


def tokens(text: str) -> list[str]:
    """A passage's words for matching phrases: lower case, without markup or
    apostrophes, hyphens and slashes as spaces, each lightly stemmed; stop
    words kept, so that a phrase matches only as written."""
    text = comparable_text(without_markup(text)).replace("&", " and ").replace("'", "")
    return [stem(word) for word in re.findall(r"[a-z0-9]+", text)]


def _contains(haystack: list[str], needle: list[str]) -> bool:
    n = len(needle)
    if not n or n > len(haystack):
        return False
    first = needle[0]
    return any(haystack[i] == first and haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


@dataclass
class ThemeProfile:
    theme_id: int
    name: str
    phrases: list[list[str]]  # its name, aliases and their synonyms, as tokens
    keywords: dict[str, float] = field(default_factory=dict)  # distinctive stemmed keyword -> weight


@dataclass
class Proposal:
    name: str
    entries: list[int]
    why: str

    def as_dict(self) -> dict:
        return {"name": self.name, "entries": self.entries, "why": self.why}


class ThemeMatcher:
    """Suggest themes for a passage from the existing themes' names and aliases.

    Nothing is learnt from the entries already filed under a theme: the
    suggestions come only from what editors named the themes and which
    headings they recorded as aliases (with ``SYNONYMS`` for the words
    briefings use instead), so importing a briefing that is already in the
    knowledge base measures the method rather than recalling answers.

    A theme is suggested for a passage only when

    - its heading or text contains one of the theme's phrases (its name, an
      alias or a synonym of a word in them), word for word after light
      stemming; or
    - its heading and text together hold at least two different distinctive
      words of the theme's name and aliases (words not in ``NO_THEME_WORDS``).

    Its score, for ranking: 3 for a phrase in the heading, 2 for one in the
    text, 1 for two distinctive words, plus twice the weighted share of the theme's distinctive words
    found (each weighted by how rare it is among all themes' words). At most
    ``limit`` themes, best first, scoring at least ``threshold``.
    """

    def __init__(self, themes: list[tuple[int, str, list[str]]], *, threshold: float = 1.0, limit: int = 3):
        self.threshold = threshold
        self.limit = limit
        self.profiles: list[ThemeProfile] = []
        document_frequency: Counter[str] = Counter()
        for theme_id, name, aliases in themes:
            names = [phrase for phrase in [name, *aliases] if phrase.strip()]
            phrases = [tokens(phrase) for phrase in names]
            own_words = {word for phrase in names for word in tokens(phrase)}
            for head, synonyms in SYNONYMS.items():
                if stem(head) in own_words:
                    phrases += [tokens(synonym) for synonym in synonyms]
            words = {word for phrase in names for word in keywords(phrase) if word not in NO_THEME_WORDS}
            document_frequency.update(words)
            self.profiles.append(ThemeProfile(theme_id, name, [p for p in phrases if p], dict.fromkeys(words, 0.0)))
        count = max(len(self.profiles), 1)
        for profile in self.profiles:
            for word in profile.keywords:
                profile.keywords[word] = math.log(1 + count / document_frequency[word])

    def scores(self, *, text: str, heading: str = "") -> list[tuple[float, int]]:
        """(score, theme id) for each theme a passage may be suggested, best first."""
        heading_tokens = tokens(heading)
        text_tokens = tokens(text)
        present = set(keywords(f"{heading} {text}"))
        results = []
        for profile in self.profiles:
            score = 0.0
            if any(_contains(heading_tokens, phrase) for phrase in profile.phrases):
                score += 3
            elif any(_contains(text_tokens, phrase) for phrase in profile.phrases):
                score += 2
            found = [word for word in profile.keywords if word in present]
            if score == 0:
                if len(found) < 2:
                    continue
                score = 1  # two distinctive words of the theme: enough to suggest it, less than a phrase
            total = sum(profile.keywords.values())
            if total:
                score += 2 * sum(profile.keywords[word] for word in found) / total
            results.append((score, profile.theme_id))
        results.sort(key=lambda pair: (-pair[0], pair[1]))
        return results

    def suggest(self, *, text: str, heading: str = "") -> list[int]:
        """Ids of the themes suggested for a passage, best first."""
        return [theme_id for score, theme_id in self.scores(text=text, heading=heading) if score >= self.threshold][
            : self.limit
        ]

    # -- new themes --------------------------------------------------------

    def propose(self, texts: list[str], *, min_entries: int = 3, limit: int = 5) -> list[dict]:
        """Names for new themes where no existing theme fits: phrases of two or
        three distinctive words that recur in at least ``min_entries`` of the
        entries given no theme, each {"name", "entries" (indexes in ``texts``),
        "why"}. Only proposals for an editor: nothing is created."""
        unthemed = [index for index, text in enumerate(texts) if not self.suggest(text=text)]
        seen_in: dict[tuple[str, ...], set[int]] = {}
        written: dict[tuple[str, ...], Counter[str]] = {}
        for index in unthemed:
            for key, surface in _phrases(texts[index]):
                seen_in.setdefault(key, set()).add(index)
                written.setdefault(key, Counter())[surface] += 1
        known = [phrase for profile in self.profiles for phrase in profile.phrases]
        recurring = {
            key: entries
            for key, entries in seen_in.items()
            if len(entries) >= min_entries and not any(_contains(list(key), phrase) for phrase in known)
        }
        # A longer phrase found in the same entries says more than the shorter phrases inside it.
        kept = [
            key
            for key, entries in recurring.items()
            if not any(
                len(other) > len(key) and _contains(list(other), list(key)) and recurring[other] == entries
                for other in recurring
            )
        ]
        kept.sort(key=lambda key: (-len(recurring[key]), -len(key), key))
        proposals = []
        for key in kept[:limit]:
            surface = written[key].most_common(1)[0][0]
            entries = sorted(recurring[key])
            proposals.append(
                Proposal(
                    name=surface[:1].upper() + surface[1:],
                    entries=entries,
                    why=f"“{surface}” recurs in {len(entries)} entries that no existing theme fits.",
                ).as_dict()
            )
        return proposals


_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def _phrases(text: str) -> set[tuple[tuple[str, ...], str]]:
    """Runs of two or three distinctive words in a passage: (stemmed key, the words as written).

    Words capitalised inside a sentence (names of people, places and
    agencies) are left out: they name a case, not a theme."""
    found = set()
    for sentence in re.split(r"(?<=[.!?;:])\s+|\n+", without_markup(text)):
        run: list[tuple[str, str]] = []
        words = list(_WORD.finditer(sentence))
        for position, match in enumerate(words):
            word = match.group(0).strip("'’-")
            lower = word.lower().replace("’", "'")
            plain = lower.replace("'", "")
            distinctive = (
                len(plain) > 2
                and plain not in KEYWORD_STOP_WORDS
                and stem(plain) not in NO_THEME_WORDS
                and not (position > 0 and word[:1].isupper())
            )
            if not distinctive:
                run = []
                continue
            run.append((stem(plain), lower))
            for size in (2, 3):
                if len(run) >= size:
                    piece = run[-size:]
                    found.add((tuple(key for key, _ in piece), " ".join(surface for _, surface in piece)))
    return found

"""Suggesting themes for the entries an import proposes, from the existing
themes' names and aliases (``ThemeMatcher``)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from ..text import KEYWORD_STOP_WORDS, comparable_text, stem, without_markup


def keywords(text: str) -> list[str]:
    """Stemmed content words of a text, in order."""
    words = re.findall(r"[a-z0-9]+", comparable_text(without_markup(text)).replace("&", " and "))
    return [stem(word) for word in words if word not in KEYWORD_STOP_WORDS and len(word) > 2]


@dataclass
class ThemeProfile:
    theme_id: int
    name: str
    phrases: list[str]  # normalised name and aliases
    keywords: dict[str, float] = field(default_factory=dict)  # stemmed keyword -> weight


class ThemeMatcher:
    """Suggest themes for a passage from the existing themes' names and aliases.

    Nothing is learnt from the entries already filed under a theme: the
    suggestions come only from what editors named the themes and which
    headings they recorded as aliases, so importing a briefing that is already
    in the knowledge base measures the method rather than recalling answers.

    For each theme the phrases are its name and aliases; its keywords are the
    content words of those phrases, lightly stemmed, each weighted by how
    rare it is among all themes' keywords (a word every theme uses, such as
    "safeguarding", says little). A passage scores, per theme:

    - 3 when its heading is one of the theme's phrases, or contains one;
    - 2 when its text contains one of the theme's phrases;
    - the weighted share of the theme's keywords found in the heading and
      text, times 2 (so a passage using every keyword of a theme scores 2).

    Themes scoring at least ``threshold`` are suggested, best first, at most
    ``limit`` of them.
    """

    def __init__(self, themes: list[tuple[int, str, list[str]]], *, threshold: float = 1.0, limit: int = 3):
        self.threshold = threshold
        self.limit = limit
        self.profiles = []
        document_frequency: dict[str, int] = {}
        for theme_id, name, aliases in themes:
            phrases = [comparable_text(phrase) for phrase in [name, *aliases] if comparable_text(phrase)]
            words = {word for phrase in phrases for word in keywords(phrase)}
            for word in words:
                document_frequency[word] = document_frequency.get(word, 0) + 1
            self.profiles.append(ThemeProfile(theme_id, name, phrases, dict.fromkeys(words, 0.0)))
        count = max(len(self.profiles), 1)
        for profile in self.profiles:
            for word in profile.keywords:
                profile.keywords[word] = math.log(1 + count / document_frequency[word])

    def scores(self, *, text: str, heading: str = "") -> list[tuple[float, int]]:
        heading_n = comparable_text(without_markup(heading)).rstrip(";:")
        text_n = comparable_text(without_markup(text))
        present = set(keywords(f"{heading} {text}"))
        results = []
        for profile in self.profiles:
            score = 0.0
            if heading_n and any(phrase == heading_n or phrase in heading_n for phrase in profile.phrases):
                score += 3
            if any(re.search(rf"\b{re.escape(phrase)}\b", text_n) for phrase in profile.phrases):
                score += 2
            total = sum(profile.keywords.values())
            if total:
                found = sum(weight for word, weight in profile.keywords.items() if word in present)
                score += 2 * found / total
            if score:
                results.append((score, profile.theme_id))
        results.sort(key=lambda pair: (-pair[0], pair[1]))
        return results

    def suggest(self, *, text: str, heading: str = "") -> list[int]:
        """Ids of the themes suggested for a passage, best first."""
        return [theme_id for score, theme_id in self.scores(text=text, heading=heading) if score >= self.threshold][
            : self.limit
        ]

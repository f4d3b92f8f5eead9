"""Everyday words practitioners search with, and the words briefings use.

A practitioner types "dad" or "mum"; briefings say "father" and "mother". A
health visitor types "HV"; a briefing spells it out. Each group below lists
words and phrases that mean the same thing for searching; a search for any
of them also finds the others. Stemming already covers plurals and endings
(``sleeping`` finds ``sleep``), so only genuinely different words belong
here. Theme aliases do the same job for theme names and are edited in the
admin; this list is for words that are not themes.

Some words also have broader ones (``BROADER``): a search for "co-sleeping"
is a search about infant sleep, and briefings file that learning as "safe
sleeping" guidance without ever saying "co-sleeping". Broader words widen
one way only (a search for "sleep" does not look for "co-sleeping"), and
results that have the words typed, or words meaning the same, rank above
those found only through a broader word.

Keep it small and uncontroversial: a synonym that is only sometimes right
floods results with the wrong learning.
"""

from __future__ import annotations

import re

from ..text import STOP_WORDS

SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("dad", "father"),
    ("dads", "fathers"),
    ("mum", "mother"),
    ("mums", "mothers"),
    ("stepdad", "stepfather"),
    ("stepmum", "stepmother"),
    ("co-sleeping", "cosleeping", "bed sharing", "bed-sharing"),
    ("gp", "general practitioner"),
    ("hv", "health visitor"),
    ("mash", "multi-agency safeguarding hub"),
    ("scr", "serious case review"),
    ("cspr", "child safeguarding practice review"),
    ("lscb", "local safeguarding children board"),
    ("cse", "child sexual exploitation"),
    ("cce", "child criminal exploitation"),
    ("dva", "domestic violence and abuse"),
)

# A word (any member of its group) -> broader words that also find what it means.
BROADER: dict[str, tuple[str, ...]] = {
    "co-sleeping": ("safe sleeping", "sleep"),
}
# Other forms of a group's member, looked up as that member. Stemming makes
# them find the same as it does, so they are not searched for again.
FORMS: dict[str, str] = {
    "co-sleep": "co-sleeping",
    "cosleep": "cosleeping",
    "bed share": "bed sharing",
}

_WORD = re.compile(r"[^\W_]+")


def _words(text: str) -> tuple[str, ...]:
    return tuple(word.lower() for word in _WORD.findall(text))


def _key(words: tuple[str, ...]) -> tuple[str, ...]:
    # Looked up without common words: the parser drops them from what was typed.
    return tuple(word for word in words if word not in STOP_WORDS)


_LOOKUP: dict[tuple[str, ...], tuple[tuple[str, ...], ...]] = {}
_BROADER: dict[tuple[str, ...], tuple[tuple[str, ...], ...]] = {}
for _group in SYNONYM_GROUPS:
    _members = [_words(member) for member in _group]
    _wider = tuple(_words(word) for name in _group for word in BROADER.get(name, ()))
    for _member in _members:
        _LOOKUP[_key(_member)] = tuple(dict.fromkeys(other for other in _members if _key(other) != _key(_member)))
        if _wider:
            _BROADER[_key(_member)] = tuple(dict.fromkeys(_wider))

for _form, _member in FORMS.items():
    _LOOKUP[_key(_words(_form))] = _LOOKUP[_key(_words(_member))]
    if _key(_words(_member)) in _BROADER:
        _BROADER[_key(_words(_form))] = _BROADER[_key(_words(_member))]

# The longest synonym, in words, that the parser looks for across typed words.
LONGEST = max(len(key) for key in _LOOKUP)


def synonyms_for(words: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """The other members of the word's (or phrase's) synonym group, as word tuples (common words kept)."""
    return _LOOKUP.get(_key(tuple(words)), ())


def broader_for(words: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """Broader words that also find what the word (or phrase) means, as word tuples."""
    return _BROADER.get(_key(tuple(words)), ())


def is_synonym(words: tuple[str, ...]) -> bool:
    return _key(tuple(words)) in _LOOKUP

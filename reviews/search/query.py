"""What people type, parsed once into a structure both databases can run.

The syntax is PostgreSQL's ``websearch_to_tsquery`` (the one people know from
web search engines):

- ``safe sleep``: every word must match (in any field, in any form: words are
  stemmed, so ``sleeping`` finds ``sleep``);
- ``"escalation policy"``: the words next to each other, in that order,
  common words included (``"follow through"`` needs the "through");
  hyphenated words (``co-sleeping``, ``follow-up``) are phrases too;
- ``-alcohol`` or ``-"domestic abuse"``: leave out what matches;
- ``neglect or abuse``: either word. ``or`` joins the words either side of
  it, so ``alcohol or drugs misuse`` means (alcohol or drugs) and misuse.

The input is never passed to a database as syntax. It is split into words
here (letters and digits only, so quotes, brackets, SQL and emoji can do no
harm), common words that the PostgreSQL English configuration ignores are
dropped outside phrases (the page says which), practitioners' everyday words
are widened with their synonyms (see ``synonyms.py``), and the result is
compiled by each backend: to ``websearch_to_tsquery`` calls combined with
``&&``/``||``/``!!`` on PostgreSQL, to a fully quoted FTS5 expression on
SQLite.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..text import STOP_WORDS, printable_text
from .synonyms import LONGEST, broader_for, is_synonym, synonyms_for

# Longer input is cut at a word boundary; the page says so.
MAX_QUERY_LENGTH = 200
# At most this many terms (after synonyms) are searched for.
MAX_TERMS = 16
# Longer "words" are noise (PostgreSQL ignores lexemes this long anyway).
MAX_WORD_LENGTH = 40

# A word: letters and digits (no underscore, which both databases split on).
# Words joined by hyphens or apostrophes ("co-sleeping", "o'brien") form a phrase.
_WORD = r"[^\W_]+"
_TOKEN = re.compile(
    rf"""
    (?P<quoted>-?"[^"]*(?:"|$))          # a quoted phrase, possibly negated; an unclosed quote runs to the end
    | (?P<word>-?{_WORD}(?:['’\-]{_WORD})*)  # a word, possibly negated, possibly hyphenated
    """,
    re.VERBOSE,
)
_WORDS = re.compile(_WORD)
_POSSESSIVE = re.compile(r"['’]s\b", re.IGNORECASE)


@dataclass(frozen=True)
class Term:
    """One word, or a phrase of words that must appear together in order."""

    words: tuple[str, ...]

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1

    @property
    def text(self) -> str:
        return " ".join(self.words)

    @property
    def has_common_words_at_ends(self) -> bool:
        """A phrase starting or ending with a common word ("follow through"), which
        PostgreSQL's English configuration would drop from the phrase."""
        return self.is_phrase and (self.words[0] in STOP_WORDS or self.words[-1] in STOP_WORDS)


@dataclass(frozen=True)
class Clause:
    """Alternatives: a clause matches when any of its terms does.

    The first ``typed`` terms are what the person typed, then synonyms; the
    last ``broader`` terms are broader words (see ``synonyms.BROADER``).
    """

    terms: tuple[Term, ...]
    typed: int = 1
    broader: int = 0

    @property
    def narrow_terms(self) -> tuple[Term, ...]:
        """The typed terms and their synonyms, without broader words."""
        return self.terms[: len(self.terms) - self.broader]


@dataclass(frozen=True)
class ParsedQuery:
    """A search, ready for a backend to compile.

    ``clauses`` must all match (strict search); ``excluded`` terms must not.
    ``relaxed`` searches ask for any clause instead, ranking by how many match.
    """

    text: str
    clauses: tuple[Clause, ...] = ()
    excluded: tuple[Term, ...] = ()
    shortened: bool = False
    ignored_words: tuple[str, ...] = ()
    relaxed: bool = False
    phrase: Term | None = None
    # The words typed, as theme names are keyed (``theme_name_key``), when the
    # search could be the name of a theme: no "or", nothing left out.
    name_key: str = ""
    # A plain search that lost common words ("follow through"), quoted: the
    # same words as a phrase, for the page to offer.
    as_phrase: str = ""
    expansions: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)

    @property
    def is_empty(self) -> bool:
        """Nothing to look for (no words, only common words, or only exclusions)."""
        return not self.clauses

    @property
    def has_words(self) -> bool:
        """Whether anything typed was a word at all (not only emoji, quotes or punctuation)."""
        return bool(self.clauses or self.excluded or self.ignored_words)

    @property
    def has_broader_terms(self) -> bool:
        return any(clause.broader for clause in self.clauses)

    @property
    def min_matches(self) -> int:
        """How many clauses an entry must match: all, or when relaxed, at least half."""
        return max(1, -(-len(self.clauses) // 2)) if self.relaxed else len(self.clauses)

    @property
    def can_relax(self) -> bool:
        return len(self.clauses) > 1 and not self.relaxed

    def as_relaxed(self) -> ParsedQuery:
        """The same terms, any of which may match."""
        return ParsedQuery(
            text=self.text,
            clauses=self.clauses,
            excluded=self.excluded,
            shortened=self.shortened,
            ignored_words=self.ignored_words,
            relaxed=True,
            phrase=None,
            name_key=self.name_key,
            expansions=self.expansions,
        )

    @property
    def positive_terms(self) -> tuple[Term, ...]:
        return tuple(term for clause in self.clauses for term in clause.terms)

    @property
    def plain_words(self) -> tuple[str, ...]:
        """The single words typed (not phrases or synonyms), for spelling suggestions."""
        return tuple(
            term.words[0] for clause in self.clauses for term in clause.terms[: clause.typed] if not term.is_phrase
        )


def _shorten(text: str) -> tuple[str, bool]:
    if len(text) <= MAX_QUERY_LENGTH:
        return text, False
    cut = text[:MAX_QUERY_LENGTH]
    space = cut.rfind(" ")
    if space > MAX_QUERY_LENGTH // 2:
        cut = cut[:space]
    return cut.rstrip(), True


def _words(text: str) -> tuple[str, ...]:
    text = _POSSESSIVE.sub("", text)
    return tuple(word.lower() for word in _WORDS.findall(text) if len(word) <= MAX_WORD_LENGTH)


def theme_name_key(text: str) -> str:
    """A theme name or alias as a search for it is compared with it: its words,
    lower case, common words kept ("voice of the child")."""
    return " ".join(_words(text))


def _trim_stop_words(words: tuple[str, ...]) -> tuple[str, ...]:
    """The typed words as a phrase to rank by: inner common words kept ("dad
    not known to services"), but not the ones at its ends, which were not
    searched for."""
    start, end = 0, len(words)
    while start < end and words[start] in STOP_WORDS:
        start += 1
    while end > start and words[end - 1] in STOP_WORDS:
        end -= 1
    return words[start:end]


def _join_synonym_phrases(clauses: list[list[Term]]) -> list[list[Term]]:
    """Typed words that together name something with synonyms ("bed sharing",
    "health visitor") become one phrase, so that its synonyms apply to it."""
    joined: list[list[Term]] = []
    index = 0
    while index < len(clauses):
        for size in range(min(LONGEST, len(clauses) - index), 1, -1):
            window = clauses[index : index + size]
            if all(len(clause) == 1 and not clause[0].is_phrase for clause in window):
                words = tuple(clause[0].words[0] for clause in window)
                if is_synonym(words):
                    joined.append([Term(words)])
                    index += size
                    break
        else:
            joined.append(clauses[index])
            index += 1
    return joined


def parse(text: str) -> ParsedQuery:
    """Parse what someone typed into a ``ParsedQuery``. Never raises."""
    text, shortened = _shorten(printable_text(text))
    # Tokens in order: ("or", None, False) or ("term", Term | None, negated).
    tokens: list[tuple[str, Term | None, bool]] = []
    ignored: list[str] = []
    for match in _TOKEN.finditer(text):
        raw = match.group(0)
        negated = raw.startswith("-")
        # A "-" only negates at the start of the query or after a space.
        if negated and match.start() > 0 and not text[match.start() - 1].isspace():
            negated = False
        body = raw[1:] if raw.startswith("-") else raw
        if match.group("word") and body.lower() == "or" and not negated:
            tokens.append(("or", None, False))
            continue
        words = _words(body)
        is_phrase = bool(match.group("quoted")) or len(words) > 1
        if is_phrase and any(word not in STOP_WORDS for word in words):
            # An exact phrase keeps its common words: "follow through" is not "follow".
            kept = words
        else:
            kept = tuple(word for word in words if word not in STOP_WORDS)
        ignored.extend(word for word in words if word not in kept)
        tokens.append(("term", Term(kept) if kept else None, negated))

    clauses: list[list[Term]] = []
    excluded: list[Term] = []
    join_next = False
    previous_positive = False
    for kind, term, negated in tokens:
        if kind == "or":
            join_next = previous_positive
            continue
        if term is None:
            # A dropped word between "a or the b" must not join "a" and "b".
            join_next = False
            previous_positive = False
            continue
        if negated:
            if term not in excluded:
                excluded.append(term)
            join_next = False
            previous_positive = False
            continue
        if join_next and clauses:
            if term not in clauses[-1]:
                clauses[-1].append(term)
        elif not any(clause == [term] for clause in clauses):
            clauses.append([term])
        join_next = False
        previous_positive = True

    clauses = _join_synonym_phrases(clauses)

    # Several plain words ("escalation policy"): results that have them
    # together, as typed, rank first. Only for plain queries, where the
    # words' order is what the person typed.
    # Also when common words were left out of a search for one word ("follow
    # through"): results with all the typed words together rank first.
    phrase = None
    positive_only = all(kind == "term" and not negated for kind, _, negated in tokens)
    plain = positive_only and '"' not in text
    if plain and clauses:
        words = _trim_stop_words(_words(text))
        if len(words) < 2:
            words = _words(text)
        if len(words) > 1 and (len(clauses) > 1 or ignored):
            phrase = Term(words)
    key = theme_name_key(text) if positive_only and clauses else ""
    # "follow through" lost its "through": offer the phrase, in quotes. Only
    # for a few words, which are likely to be a phrase people use.
    as_phrase = ""
    typed_words = _words(text)
    if plain and ignored and clauses and 1 < len(typed_words) <= 4:
        as_phrase = f'"{" ".join(text.split())}"'

    # Widen each clause with synonyms, within the overall term budget.
    expansions: dict[str, tuple[str, ...]] = {}
    budget = MAX_TERMS
    widened: list[Clause] = []
    for terms in clauses:
        if budget <= 0:
            shortened = True
            break
        terms = terms[:budget]
        budget -= len(terms)
        extra: list[Term] = []
        wider: list[Term] = []
        for lookup, found in ((synonyms_for, extra), (broader_for, wider)):
            # A phrase with a common word at an end ("the dad") is a phrase exactly as typed.
            for term in (term for term in terms if not term.has_common_words_at_ends):
                for synonym in lookup(term.words):
                    candidate = Term(synonym)
                    if candidate not in terms and candidate not in extra and candidate not in wider and budget > 0:
                        found.append(candidate)
                        budget -= 1
                        expansions.setdefault(term.text, ())
                        expansions[term.text] += (candidate.text,)
        widened.append(Clause(tuple(terms + extra + wider), typed=len(terms), broader=len(wider)))

    return ParsedQuery(
        text=text,
        clauses=tuple(widened),
        excluded=tuple(excluded[:MAX_TERMS]),
        shortened=shortened,
        ignored_words=tuple(dict.fromkeys(ignored)),
        phrase=phrase,
        name_key=key,
        as_phrase=as_phrase,
        expansions=expansions,
    )

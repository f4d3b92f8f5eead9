"""Reading the search index: one page of results, with facets and suggestions.

A search runs a fixed number of queries whatever the size of the knowledge
base: (on PostgreSQL) compile the query; count, facet and rank in one
statement over at most ``MAX_CANDIDATES`` recent matches (see
``backends/base.py``); highlight the shown page only; load the page's entries
with their reviews, partnerships and themes; name the facet values.

When no entry has all the words, the search is relaxed to at least half of
them (ranked by how many they have) and the page says so; when still nothing
matches, close spellings and similar theme names are suggested, but only
spellings that find something the person may see.

The page also says what the search did with the words: common words left
out (and the phrase in quotes, which keeps them) and broader words searched
for too. What each result shows is built in ``results.py``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from ..models import Partnership, Review, SearchEntry, Theme
from . import pending
from .backends import Filters, SearchRun, base, get_backend
from .backends.base import MAX_CANDIDATES
from .params import SearchRequest
from .query import MAX_QUERY_LENGTH, ParsedQuery, parse
from .results import Result, load_results

PAGE_SIZE = 20
# Results beyond this are not paged through: people refine instead. The same
# as the number of candidates a search takes (see backends/base.py).
MAX_RESULTS = MAX_CANDIDATES
EXAMPLES = "like “neglect” or “safe sleep”"

Kind = SearchEntry.Kind
KIND_PLURALS = {
    Kind.REVIEW: "Reviews",
    Kind.THEME: "Themes",
    Kind.LEARNING_POINT: "Learning points",
    Kind.RECOMMENDATION: "Recommendations",
    Kind.ACTION: "Actions",
}
FACET_LEGENDS = {
    "type": "Type of result",
    "theme": "Theme",
    "partnership": "Partnership",
    "year": "Year",
    "review": "Review",
}


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    name: str
    legend: str
    options: list[FacetOption]

    @property
    def selected(self) -> list[FacetOption]:
        return [option for option in self.options if option.selected]


@dataclass
class SearchPage:
    """Everything the search page shows."""

    text: str = ""
    query: ParsedQuery | None = None
    total: int = 0
    results: list[Result] = field(default_factory=list)
    page: int = 1
    num_pages: int = 0
    facets: list[Facet] = field(default_factory=list)
    relaxed: bool = False
    suggestion: str = ""
    suggested_themes: list[Theme] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    # Common words were left out of a plain search: the same words as a quoted phrase.
    as_phrase: str = ""
    # Broader words searched for too (see synonyms.BROADER), to say so.
    broader_words: list[str] = field(default_factory=list)
    page_missing: bool = False
    capped: bool = False
    max_results: int = MAX_RESULTS

    @property
    def total_display(self) -> str:
        return f"{self.total:,}"

    @property
    def max_results_display(self) -> str:
        return f"{self.max_results:,}"

    @property
    def visible_facets(self) -> list[Facet]:
        return [facet for facet in self.facets if facet.options]

    @property
    def searched(self) -> bool:
        return self.query is not None and not self.query.is_empty

    @property
    def first_index(self) -> int:
        return (self.page - 1) * PAGE_SIZE + 1 if self.results else 0

    @property
    def last_index(self) -> int:
        return self.first_index + len(self.results) - 1 if self.results else 0


@dataclass
class _Resolved:
    filters: Filters
    themes: dict[int, Theme]
    reviews: dict[int, Review]
    partnerships: dict[int, Partnership]


def _resolve_filters(request: SearchRequest, user, notices: list[str]) -> _Resolved:
    """Turn slugs into ids, ignoring (with a notice) any that name nothing this person may see."""

    def lookup(queryset, slugs, label):
        if not slugs:
            return {}
        found = {obj.slug: obj for obj in queryset.filter(slug__in=slugs)}
        for slug in slugs:
            if slug not in found:
                notices.append(f"There is no {label} “{slug}”, so that filter was ignored.")
        return {obj.pk: obj for obj in found.values()}

    themes = lookup(Theme.objects.visible_to(user).only("pk", "slug", "name"), request.theme_slugs, "theme")
    reviews = lookup(Review.objects.visible_to(user).only("pk", "slug", "title"), request.review_slugs, "review")
    partnerships = lookup(
        Partnership.objects.visible_to(user).only("pk", "slug", "name"), request.partnership_slugs, "partnership"
    )
    filters = Filters(
        kinds=request.kinds,
        theme_ids=tuple(themes),
        review_ids=tuple(reviews),
        partnership_ids=tuple(partnerships),
        years=request.years,
    )
    return _Resolved(filters=filters, themes=themes, reviews=reviews, partnerships=partnerships)


def _named(model, fields: tuple[str, ...], ids: set[int], known: dict[int, object]) -> dict[int, object]:
    """Objects to name facet values with: those already loaded, and the others in one query."""
    missing = ids - set(known)
    return {**known, **model.objects.only("pk", *fields).in_bulk(missing)} if missing else known


def _facets(run: SearchRun, resolved: _Resolved) -> list[Facet]:
    """Facet options with their labels (one query per facet that has values to name)."""
    filters, counts = resolved.filters, run.counts
    themes = _named(Theme, ("slug", "name"), set(counts["theme"]), resolved.themes)
    reviews = _named(Review, ("slug", "title"), set(counts["review"]), resolved.reviews)
    partnerships = _named(Partnership, ("slug", "name"), set(counts["partnership"]), resolved.partnerships)

    def options(facet: str, names: dict, chosen) -> list[FacetOption]:
        """Counted values and chosen ones (with 0 if not counted), most frequent first."""
        found, chosen = counts[facet], set(chosen)
        rows = [
            FacetOption(value=names[key][0], label=names[key][1], count=found.get(key, 0), selected=key in chosen)
            for key in {*found, *chosen}
            if key in names
        ]
        return sorted(rows, key=lambda option: (-option.count, option.label.lower()))

    kinds = options("kind", {kind: (kind, KIND_PLURALS[kind]) for kind in Kind.values}, filters.kinds)
    kinds.sort(key=lambda option: Kind.values.index(option.value))
    years = options("year", {year: (str(year), str(year)) for year in {*counts["year"], *filters.years}}, filters.years)
    years.sort(key=lambda option: option.value, reverse=True)
    return [
        Facet("type", FACET_LEGENDS["type"], kinds),
        Facet("theme", FACET_LEGENDS["theme"], options("theme", _slug_and(themes, "name"), filters.theme_ids)),
        Facet(
            "partnership",
            FACET_LEGENDS["partnership"],
            options("partnership", _slug_and(partnerships, "name"), filters.partnership_ids),
        ),
        Facet("year", FACET_LEGENDS["year"], years),
        Facet("review", FACET_LEGENDS["review"], options("review", _slug_and(reviews, "title"), filters.review_ids)),
    ]


def _slug_and(objects: dict, label: str) -> dict[int, tuple[str, str]]:
    return {pk: (obj.slug, getattr(obj, label)) for pk, obj in objects.items()}


def _quoted_list(words) -> str:
    quoted = [f"“{word}”" for word in words]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _replace_words(text: str, corrections: dict[str, str]) -> str:
    def swap(match):
        return corrections.get(match.group(0).lower(), match.group(0))

    return re.sub(r"[^\W_]+", swap, text)


def _suggest(backend, parsed: ParsedQuery, filters: Filters, page: SearchPage, user) -> None:
    """Offer a corrected spelling that finds something, and themes (that the person may see) named like the search."""
    corrections = backend.similar_words(parsed.plain_words)
    if corrections:
        corrected = _replace_words(parsed.text, corrections)
        corrected_query = parse(corrected)
        if not corrected_query.is_empty and backend.run(backend.compile(corrected_query), filters, limit=0).total:
            page.suggestion = corrected
    typed = " ".join(term.text for clause in parsed.clauses for term in clause.terms[: clause.typed])
    visible = Theme.objects.visible_to(user)
    theme_ids = backend.similar_theme_ids(_replace_words(typed, corrections), limit=3, among=visible)
    if theme_ids:
        themes = visible.in_bulk(theme_ids)
        page.suggested_themes = [themes[pk] for pk in theme_ids if pk in themes]


def search_knowledge_base(*, request: SearchRequest, user) -> SearchPage:
    """Run a search for a person (staff also find drafts) and return the page to show."""
    pending.flush()  # Changes made earlier in this transaction are found too.
    notices = list(request.notices)
    parsed = parse(request.text)
    page = SearchPage(text=parsed.text, query=parsed, page=request.page or 1, notices=notices)
    if parsed.shortened:
        notices.append(f"Your search was long, so only its first {MAX_QUERY_LENGTH} characters were used.")
    if parsed.is_empty:
        if parsed.text and parsed.excluded:
            notices.append("Add a word to search for: a search cannot only leave words out.")
        elif parsed.ignored_words:
            notices.append(
                f"Your search only had very common words ({_quoted_list(parsed.ignored_words)}), which are "
                f"left out of searches. Try more specific ones, {EXAMPLES}."
            )
        elif parsed.text:
            # Emoji, punctuation, a lone quote: no letters or digits at all.
            notices.append(f"There was nothing to search for: type a word or two, {EXAMPLES}.")
        return page
    if parsed.ignored_words:
        words = parsed.ignored_words
        notices.append(
            f"{_quoted_list(words)} {'is too common a word' if len(words) == 1 else 'are too common'} to search "
            f"for, so {'it was' if len(words) == 1 else 'they were'} left out."
        )
        page.as_phrase = parsed.as_phrase

    page.broader_words = list(
        dict.fromkeys(term.text for clause in parsed.clauses for term in clause.terms[len(clause.narrow_terms) :])
    )
    # Staff also find drafts; the public's searches are ranked among published entries only.
    backend = get_backend(published_only=not getattr(user, "is_staff", False))
    resolved = _resolve_filters(request, user, notices)
    compiled = backend.compile(parsed)
    window = {"offset": (page.page - 1) * PAGE_SIZE, "limit": PAGE_SIZE}
    run = backend.run(compiled, resolved.filters, **window)
    if run.total == 0 and parsed.can_relax:
        relaxed = backend.compile(parsed.as_relaxed())
        relaxed_run = backend.run(relaxed, resolved.filters, **window)
        if relaxed_run.total:
            compiled, run, page.relaxed = relaxed, relaxed_run, True

    page.total = run.total
    page.capped = run.capped
    page.max_results = base.MAX_CANDIDATES
    page.num_pages = math.ceil(min(run.total, page.max_results) / PAGE_SIZE)
    page.facets = _facets(run, resolved)
    if request.page is None or page.page > max(page.num_pages, 1):
        page.page_missing = True
        return page
    if run.total == 0:
        _suggest(backend, parsed, resolved.filters, page, user)
        return page
    page.results = load_results(backend, compiled, run.ids)
    return page


def matching_ids(model, query: str, *, limit: int = MAX_RESULTS) -> list[int]:
    """Primary keys of ``model`` objects matching ``query``, best first, drafts included.

    For staff tools such as the admin's search box: all words must match, as
    on the search page. An empty or meaningless query matches nothing.
    """
    from .indexing import KIND_OF_MODEL

    pending.flush()
    parsed = parse(query)
    if parsed.is_empty:
        return []
    backend = get_backend(published_only=False)
    compiled = backend.compile(parsed)
    filters = Filters(kinds=(KIND_OF_MODEL[model],))
    ids = backend.run(compiled, filters, offset=0, limit=limit).ids
    object_ids = dict(SearchEntry.objects.filter(pk__in=ids).values_list("pk", "object_id"))
    return [object_ids[pk] for pk in ids if pk in object_ids]

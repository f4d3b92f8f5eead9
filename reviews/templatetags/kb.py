"""Template filters and tags for the practitioner pages."""

import difflib

from django import template
from django.http import QueryDict
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from reviews.markdown import render_markdown, strip_markdown
from reviews.models import Action, CaseFact, LearningPoint, Recommendation, Resource
from reviews.models.common import is_web_address

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """Render stored Markdown as sanitised HTML (see reviews/markdown.py)."""
    return render_markdown(text)


@register.filter
def plain(text):
    """Stored Markdown as plain text, e.g. for an accessible name or a page description."""
    return strip_markdown(text)


# GOV.UK Frontend tag colours chosen so that each status reads differently
# without relying on colour alone: the words are always shown.
STATUS_TAG_CLASSES = {
    Action.Status.DONE: "govuk-tag--green",
    Action.Status.IN_PROGRESS: "govuk-tag--blue",
    Action.Status.PLANNED: "govuk-tag--yellow",
    Action.Status.NOT_STATED: "govuk-tag--grey",
}


@register.filter
def status_tag_class(status) -> str:
    return STATUS_TAG_CLASSES.get(status, "govuk-tag--grey")


@register.simple_tag(takes_context=True)
def href(context, url) -> str:
    """A link's ``href`` and, for print, its full address in ``data-kb-print-href``.

    The print stylesheet shows that address after the link: "(/themes/neglect/)"
    means nothing on paper. ``<a class="govuk-link" {% href theme.get_absolute_url %}>``.
    """
    request = context.get("request")
    absolute = request.build_absolute_uri(url) if request is not None else url
    return format_html('href="{}" data-kb-print-href="{}"', url, absolute)


@register.filter
def year_range(theme) -> str:
    """'2016–2023', or one year, or '' when none of the reviews gives a date."""
    first, last = getattr(theme, "first_year", None), getattr(theme, "last_year", None)
    if not first:
        return ""
    return str(first) if first == last else f"{first}–{last}"


def _count(number: int, singular: str, plural: str = "") -> str:
    return f"{number} {singular if number == 1 else (plural or singular + 's')}"


@register.filter
def theme_counts(theme) -> str:
    """'12 learning points and 3 recommendations from 4 reviews, 2016–2023', leaving out zeros."""
    parts = []
    if theme.learning_count:
        parts.append(_count(theme.learning_count, "learning point"))
    if theme.recommendation_count:
        parts.append(_count(theme.recommendation_count, "recommendation"))
    if not theme.review_count:
        return " and ".join(parts) if parts else "No published learning yet"
    years = year_range(theme)
    found = _count(theme.review_count, "review") + (f", {years}" if years else "")
    return f"{' and '.join(parts)} from {found}" if parts else f"Found in {found}"


@register.simple_tag(takes_context=True)
def page_query(context, number) -> str:
    """The current query string with another page number, for pagination links."""
    request = context.get("request")
    query = request.GET.copy() if request is not None else QueryDict(mutable=True)
    query["page"] = number
    return "?" + query.urlencode()


@register.filter
def elided_range(page):
    """Page numbers to offer, with ellipses, e.g. 1 … 4 5 6 … 20."""
    return page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)


# The site's sections, in the order the header and the footer both list them.
# Tags are not a section: themes are the one way the site classifies (old tag
# addresses keep working, and a tag page links to its themes).
NAVIGATION = [
    ("Themes", "reviews:theme-index", {"theme-index", "theme-detail", "national-theme-index", "national-theme-detail"}),
    ("For your profession", "reviews:agency-index", {"agency-index", "agency-detail", "agency-print"}),
    ("Reviews", "reviews:review-index", {"review-index", "review-detail", "collection-detail"}),
    ("Partnerships", "reviews:partnership-index", {"partnership-index", "partnership-detail"}),
    ("Source briefings", "reviews:source-index", {"source-index", "source-detail"}),
    ("Course packs", "reviews:coursepack-index", {"coursepack-index", "coursepack-detail"}),
]


def _navigation_items(request) -> list[dict]:
    match = getattr(request, "resolver_match", None)
    current = match.url_name if match and match.namespace == "reviews" else None
    return [
        {"label": label, "url": reverse(name), "active": current in section, "current": current == name.split(":")[1]}
        for label, name, section in NAVIGATION
    ]


@register.inclusion_tag("includes/service_navigation.html", takes_context=True)
def service_navigation(context):
    """The site's main navigation, marking the section the current page belongs to."""
    return {"items": _navigation_items(context.get("request"))}


@register.inclusion_tag("includes/footer_links.html", takes_context=True)
def footer_links(context):
    """The footer's links: the same sections as the header, then search."""
    return {"items": _navigation_items(context.get("request"))}


@register.filter
def web_address(value) -> str:
    """A stored address fit for ``href``: http(s) only, else empty (the template then shows no link)."""
    value = str(value or "")
    return value if is_web_address(value) else ""


# The recurring-themes grid's shades: one entry, two or three, four or more.
COUNT_BANDS = ((1, 1, "1 entry"), (2, 3, "2 or 3 entries"), (4, None, "4 or more entries"))


@register.filter
def count_band(count) -> int:
    """Which shade of the recurring-themes grid a cell's count takes (1, 2 or 3; 0 for none)."""
    for band, (low, high, _label) in enumerate(COUNT_BANDS, start=1):
        if count and count >= low and (high is None or count <= high):
            return band
    return 0


_GRID_CELL = '<td class="govuk-table__cell kb-recurrence__cell{classes}">{link}</td>'
_GRID_LINK = (
    '<a class="kb-recurrence__link" href="{url}?view=themes#theme-{slug}">{count}'
    '<span class="govuk-visually-hidden"> on {theme} in {review}</span></a>'
)


@register.simple_tag
def recurrence_cells(row, grid):
    """A row's cells of the recurring-themes grid: for each column, the entries the review files under
    the row's theme (shaded by ``count_band``, linking to them), empty where it has none; the
    thematic reviews' columns marked apart. A tag rather than a loop in the template: the grid has a
    cell for every theme and review shown, and the template's loop was most of the home page's time."""
    singles = len(grid.reviews)
    theme = row.theme
    slug, name = escape(theme.slug), escape(theme.name)
    cells = []
    for index, (review, count) in enumerate(row.cells):
        classes = " kb-recurrence__cell--thematic" if index >= singles else ""
        link = ""
        if count:
            classes += f" kb-recurrence__cell--found kb-recurrence__cell--band-{count_band(count)}"
            link = _GRID_LINK.format(
                url=escape(review.get_absolute_url()), slug=slug, count=count, theme=name, review=escape(review.title)
            )
        cells.append(_GRID_CELL.format(classes=classes, link=link))
    return mark_safe("\n".join(cells))


@register.simple_tag
def count_bands() -> list[tuple[int, str]]:
    """The grid's legend: each shade's number and what it means."""
    return [(band, label) for band, (_low, _high, label) in enumerate(COUNT_BANDS, start=1)]


@register.simple_tag(takes_context=True)
def kb_holdings(context):
    """What the knowledge base holds (``selectors.knowledge_base_holdings``): the page's own
    ``holdings`` where its view read them (the home page), else read here (1 query), so that any
    page can say it without its view knowing."""
    from reviews.selectors import knowledge_base_holdings

    holdings = context.get("holdings")
    return holdings if holdings is not None else knowledge_base_holdings()


@register.filter
def html_datetime(value) -> str:
    """A date or time as a valid HTML ``datetime`` attribute: whole seconds, no microseconds."""
    if not value:
        return ""
    if hasattr(value, "hour"):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(microsecond=0).isoformat()
    return value.isoformat()


ENTRY_KINDS = {
    CaseFact: "fact",
    LearningPoint: "point",
    Recommendation: "recommendation",
    Action: "action",
    Resource: "resource",
}


@register.filter
def entry_kind(entry) -> str:
    """Which include shows an entry of a review page's section: fact, point, recommendation, action or resource."""
    return ENTRY_KINDS.get(type(entry), "")


@register.filter
def lines(text) -> list[str]:
    """A text's non-empty lines (a recommendation's ``unanswered_parts``: one part a line)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@register.simple_tag(takes_context=True)
def answers_shown(context, recommendation) -> list:
    """The actions shown under a recommendation: on the review page in the briefing's order those in
    its own section (``review_sections.place_in_sections``); elsewhere, or where the context says
    ``all_answers`` (the review page grouped by theme), all that answer it."""
    shown = None if context.get("all_answers") else getattr(recommendation, "actions_here", None)
    return shown if shown is not None else list(recommendation.actions.all())


def _words(text: str) -> list[str]:
    return strip_markdown(text).split()


# Typographic and straight quotes are the same words: ‘See the Child’ is 'See the Child'.
_SAME_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"'})


def _compared(words: list[str]) -> list[str]:
    return [word.translate(_SAME_QUOTES) for word in words]


@register.filter
def differs_from(text, other) -> bool:
    """Whether two paragraphs differ in their words (not only in spacing, formatting or the style of quotes)."""
    return _compared(_words(text or "")) != _compared(_words(other or ""))


_DIFF_MARKS = {
    "delete": ("del", "removed"),
    "insert": ("ins", "added"),
}


def _mark(tag: str, label: str, words: list[str]) -> str:
    return format_html(
        '<{tag}><span class="govuk-visually-hidden">[{label}: </span>{words}<span class="govuk-visually-hidden">]'
        "</span></{tag}>",
        tag=tag,
        label=label,
        words=" ".join(words),
    )


@register.filter
def word_diff(text, earlier):
    """The words of ``text`` against those of ``earlier``, word by word: words only in the earlier
    paragraph in ``<del>``, words only in this one in ``<ins>``, each also named in visually hidden
    text ("[removed: …]", "[added: …]") for screen readers, which do not announce the elements.
    Words that differ only in the style of their quotes are the same word (this paragraph's is shown)."""
    old, new = _words(earlier or ""), _words(text or "")
    parts = []
    matcher = difflib.SequenceMatcher(a=_compared(old), b=_compared(new), autojunk=False)
    for op, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if op == "equal":
            parts.append(format_html("{}", " ".join(new[new_start:new_end])))
            continue
        if op in ("delete", "replace"):
            parts.append(_mark(*_DIFF_MARKS["delete"], old[old_start:old_end]))
        if op in ("insert", "replace"):
            parts.append(_mark(*_DIFF_MARKS["insert"], new[new_start:new_end]))
    return format_html_join(" ", "{}", ((part,) for part in parts)) if parts else mark_safe("")


@register.filter(name="action_label")
def action_label_filter(action) -> str:
    """The line over a printed action (owner, status as reported, target date): the string the layout
    estimate measures (``reviews.briefings.layout.action_label``)."""
    from reviews.briefings.layout import action_label

    return action_label(action)


@register.simple_tag
def sitemap_index_items(items) -> str:
    """The sitemap index's ``<sitemap>`` elements (templates/sitemaps/index.xml), as Django's own
    ``sitemap_index.xml`` writes them: each sitemap page's address and, when known, its section's last
    change (``date:"c"`` in the site's time zone). A tag rather than the template's loop: at 20,000
    reviews the index lists some 200 pages of sitemaps, all a section's sharing one date, and the loop
    was most of its time."""
    dates: dict = {}
    elements = []
    for item in items:
        lastmod = ""
        if item.last_mod:
            if item.last_mod not in dates:
                dates[item.last_mod] = escape(date_filter(timezone.template_localtime(item.last_mod), "c"))
            lastmod = f"<lastmod>{dates[item.last_mod]}</lastmod>"
        elements.append(f"<sitemap><loc>{escape(item.location)}</loc>{lastmod}</sitemap>")
    return mark_safe("\n".join(elements))

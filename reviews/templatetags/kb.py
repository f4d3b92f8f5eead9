"""Template filters and tags for the practitioner pages."""

from django import template
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from reviews.markdown import render_markdown, strip_markdown
from reviews.models import Action
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
    ("Themes", "reviews:theme-index", {"theme-index", "theme-detail"}),
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

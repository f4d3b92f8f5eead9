"""Template tags for trainers and reuse: 'Cite this', absolute links, oEmbed discovery."""

import html
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.encoding import iri_to_uri
from django.utils.safestring import SafeData, SafeString, mark_safe

from reviews.citations import citation_for, partnership_names
from reviews.markdown import first_words
from reviews.models import Review

register = template.Library()


def _absolute(context, path: str) -> str:
    request = context.get("request")
    if request is None:
        return path
    if path.startswith("/") and not path.startswith("//"):
        # The scheme and host once per request: a theme page makes over a hundred of these.
        if "_kb_origin" not in request.__dict__:
            request._kb_origin = request.build_absolute_uri("/")[:-1]
        return request._kb_origin + iri_to_uri(path)
    return request.build_absolute_uri(path)


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    """``path`` with the scheme and host of the current request, for printed and shared links."""
    return _absolute(context, path)


class PartnershipNames(dict):
    """Partnership names by id for one request: all loaded in one query the first
    time a name is not already known, so citing many entries costs at most one."""

    loaded = False

    def get(self, key, default=""):
        if key not in self and not self.loaded:
            self.update(partnership_names())
            self.loaded = True
        return super().get(key, default)


def _names(context) -> PartnershipNames | None:
    request = context.get("request")
    if request is None:
        return None
    if not hasattr(request, "_kb_partnership_names"):
        names = PartnershipNames()
        # A review page's entries are all from the page's review: its
        # partnership is already loaded, so no query is needed at all.
        review = context.get("review")
        if isinstance(review, Review) and review.partnership_id and Review.partnership.is_cached(review):
            names[review.partnership_id] = review.partnership.name
        request._kb_partnership_names = names
    return request._kb_partnership_names


def _citation(context, item):
    return citation_for(item, absolute_url=_absolute(context, item.get_permalink()), partnership_names=_names(context))


@register.inclusion_tag("reuse/cite_this.html", takes_context=True)
def cite_this(context, item):
    """A 'Cite this' disclosure: title, board, date, permanent address and date accessed."""
    return {"citation": _citation(context, item), "item": item}


# One "Share or cite" control per entry: its permanent link (copied by site.js, a plain link
# without JavaScript), where it came from in the briefing, and its reference in one line.
_SHARE_OR_CITE = (
    '<details class="govuk-details govuk-!-margin-bottom-2 kb-cite kb-share" data-kb-cite>'
    '<summary class="govuk-details__summary"><span class="govuk-details__summary-text govuk-!-font-size-16">'
    'Share or cite<span class="govuk-visually-hidden">: {title}</span></span></summary>'
    '<div class="govuk-details__text">'
    '<p class="govuk-body-s kb-share__links">'
    '<a class="govuk-link kb-item-tools__link" href="{permalink}" data-kb-copy-link>Copy link'
    '<span class="govuk-visually-hidden"> to {label}: {words}</span></a>'
    "{source_link}"
    '<span class="kb-item-tools__status govuk-body-s" data-kb-copy-status hidden></span></p>'
    '<p class="govuk-body-s govuk-!-margin-bottom-1"><strong>Reference</strong></p>'
    '<p class="govuk-body-s govuk-!-margin-bottom-0 kb-cite__text">{reference}</p>'
    "</div></details>"
)
_SOURCE_LINK = (
    '<a class="govuk-link kb-item-tools__link" href="{url}#from-{anchor}">Where this came from in the briefing'
    '<span class="govuk-visually-hidden">: {title}</span></a>'
)


def _html(template: str, **values) -> SafeString:
    """``format_html`` for the tags below, which run for every entry of a page: each value escaped
    as Django's ``conditional_escape`` does (``html.escape`` unless already safe), without its
    per-argument overhead, and marked safe as ``SafeString`` (``mark_safe`` checks for lazy text first).
    Every value is text here, escaped or already safe."""
    return SafeString(
        template.format(
            **{
                name: value if isinstance(value, SafeData) else html.escape(str(value))
                for name, value in values.items()
            }
        )
    )


def _address_once(context, obj) -> str:
    """``obj.get_absolute_url()``, worked out once per request for each object (a theme page cites the
    same few briefings and links the same few themes from every one of its entries)."""
    request = context.get("request")
    if request is None:
        return obj.get_absolute_url()
    urls = request.__dict__.setdefault("_kb_addresses", {})
    key = (type(obj), obj.pk)
    if key not in urls:
        urls[key] = obj.get_absolute_url()
    return urls[key]


@register.simple_tag(takes_context=True)
def share_or_cite(context, item, show_source=False):
    """An entry's one "Share or cite" control: its permanent link to copy, where it
    came from in the briefing, and its reference (the parts of a citation, one per
    line, are in the page's own 'Cite this').

    Built here rather than by an inclusion template: a theme page at national scale
    shows over a hundred entries, and the template (with the citation's parts as a
    list) was about a quarter of the page's time (docs/BENCHMARKS.md, issue 14).
    """
    permalink = item.get_permalink()
    citation = citation_for(item, absolute_url=_absolute(context, permalink), partnership_names=_names(context))
    source_link = ""
    if show_source and item.source_id:
        source = item.source
        source_link = _html(_SOURCE_LINK, url=_address_once(context, source), anchor=item.anchor, title=source.title)
    return _html(
        _SHARE_OR_CITE,
        title=citation.title,
        permalink=permalink,
        label=item.label.lower(),
        words=first_words(item.text),
        source_link=source_link,
        reference=citation.text,
    )


# Tools shown with every learning point, recommendation, action and case fact (an entry's
# include ends with them): on a page of many reviews, a link to the entry in its review; then
# its one "Share or cite" control.
_ITEM_TOOLS = '\n<div class="kb-item-tools kb-no-print" data-kb-item-tools>\n  {review_link}\n  {share}\n</div>\n'
_REVIEW_LINK = (
    '<a class="govuk-link kb-item-tools__link" href="{url}">Read it in the review'
    '<span class="govuk-visually-hidden">: {title}</span></a>'
)


@register.simple_tag(takes_context=True)
def item_tools(context, item, show_source=False, show_review=False):
    """The tools under an entry: "Read it in the review" where the page shows many reviews
    (``show_review``), then ``share_or_cite``. A tag rather than an include for the same reason
    as ``share_or_cite``: a theme page shows them under every one of its entries."""
    review_link = ""
    if show_review and getattr(item, "review_id", None):
        review_link = _html(_REVIEW_LINK, url=item.get_absolute_url(), title=item.review.title)
    return _html(_ITEM_TOOLS, review_link=review_link, share=share_or_cite(context, item, show_source=show_source))


# An entry's themes, the page's own theme (``current_theme``) not linked to itself.
_ITEM_THEMES = (
    '\n<div class="kb-item__themes">\n'
    '  <span class="govuk-body-s kb-item__themes-label">Theme{plural}:</span>\n'
    '  <ul class="kb-inline-list">\n    {items}\n  </ul>\n</div>\n'
)
_THEME_LINK = '<li><a class="govuk-link kb-theme-link" href="{url}">{name}</a></li>'
_THEME_CURRENT = '<li><span class="kb-theme-link kb-theme-link--current">{name}</span></li>'


@register.simple_tag(takes_context=True)
def item_themes(context, item, current_theme=None):
    """The themes an entry is filed under (its ``themes``, prefetched), each linked to its page
    but ``current_theme``'s; nothing when it has none. A tag rather than an include, as
    ``share_or_cite``: a theme page lists the themes of every one of its entries."""
    themes = _related(item, "themes")
    if not themes:
        return ""
    current = getattr(current_theme, "pk", None)
    items = "\n    \n    ".join(
        _html(_THEME_CURRENT, name=theme.name)
        if current is not None and theme.pk == current
        else _html(_THEME_LINK, url=_address_once(context, theme), name=theme.name)
        for theme in themes
    )
    return _html(_ITEM_THEMES, plural="" if len(themes) == 1 else "s", items=mark_safe(items))


def _related(item, name: str) -> list:
    """``item.<name>.all()``: what the page's selector gave it (``prefetch_related``, or
    ``review_entries.as_prefetched``) read without making the relation's manager, which
    costs more than the tag's own work; read through the manager otherwise."""
    cached = item.__dict__.get("_prefetched_objects_cache", {}).get(name)
    return list(cached if cached is not None else getattr(item, name).all())


_ITEM_HEADING = '<p class="govuk-body-s kb-item__heading">In the briefing under “{heading}”</p>'


@register.simple_tag
def item_heading(item):
    """Where an entry sits in its briefing: the heading it is printed under, as written (a table
    cell's row and column heading). Shown wherever entries are listed away from their briefing's
    order (a theme page, a review page grouped by theme); nothing when it has no heading."""
    heading = item.heading_in_context
    return _html(_ITEM_HEADING, heading=heading) if heading else ""


_ITEM_RESOURCES = '\n<p class="govuk-body-s kb-item__meta">Further information the briefing points to: {links}</p>\n'
_RESOURCE_LINK = '<a class="govuk-link kb-resource-link" href="{url}">{name}</a>'
_RESOURCE_CHANGED = (
    ' <span class="kb-resource-changed">(<strong>changed since this briefing:</strong> {changed_to}{when};'
    " noted by the knowledge base)</span>"
)


@register.simple_tag(takes_context=True)
def item_resources(context, item):
    """The further information an entry's briefing points to (its ``resources``, in their order),
    each linked to where its briefing lists it, with what the knowledge base noted has changed
    since; nothing when it names none. A tag for the same reason as ``item_themes``."""
    links = []
    for resource in _related(item, "resources"):
        link = _html(
            _RESOURCE_LINK, url=f"{_address_once(context, resource.source)}#{resource.anchor}", name=resource.name
        )
        if resource.has_changed:
            when = resource.changed_display
            link += _html(_RESOURCE_CHANGED, changed_to=resource.changed_to, when=f", {when}" if when else "")
        links.append(link)
    return _html(_ITEM_RESOURCES, links=mark_safe("; ".join(links))) if links else ""


@register.inclusion_tag("reuse/oembed_link.html", takes_context=True)
def oembed_discovery(context, obj, title=""):
    """``<link rel="alternate" type="application/json+oembed">`` for an embeddable page,
    so platforms that discover oEmbed (e.g. Moodle, WordPress) can show its card."""
    page = _absolute(context, obj.get_absolute_url())
    endpoint = _absolute(context, reverse("reviews:oembed") + "?" + urlencode({"url": page, "format": "json"}))
    return {"href": endpoint, "title": title or str(obj)}

"""Template tags for trainers and reuse: 'Cite this', absolute links, oEmbed discovery."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from reviews.citations import citation_for, partnership_names
from reviews.models import Review

register = template.Library()


def _absolute(context, path: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


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


@register.inclusion_tag("reuse/share_or_cite.html", takes_context=True)
def share_or_cite(context, item, show_source=False):
    """An entry's one "Share or cite" control: its permanent link to copy, where it
    came from in the briefing, and its citation."""
    return {"citation": _citation(context, item), "item": item, "show_source": show_source}


@register.inclusion_tag("reuse/oembed_link.html", takes_context=True)
def oembed_discovery(context, obj, title=""):
    """``<link rel="alternate" type="application/json+oembed">`` for an embeddable page,
    so platforms that discover oEmbed (e.g. Moodle, WordPress) can show its card."""
    page = _absolute(context, obj.get_absolute_url())
    endpoint = _absolute(context, reverse("reviews:oembed") + "?" + urlencode({"url": page, "format": "json"}))
    return {"href": endpoint, "title": title or str(obj)}

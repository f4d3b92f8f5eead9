"""The admin home's sections (``reviews/admin/home.py``)."""

from django import template

from ..admin.home import home_sections, home_shortcuts

register = template.Library()


@register.simple_tag(takes_context=True)
def admin_home(context):
    """``{% admin_home as home %}``: ``home.content``, ``home.site``, ``home.shortcuts``."""
    content, site = home_sections(context.get("app_list") or [])
    return {"content": content, "site": site, "shortcuts": home_shortcuts(context["request"].user)}

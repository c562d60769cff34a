from django import template

from ..selectors import sections_for

register = template.Library()


@register.inclusion_tag("community/tabs.html", takes_context=True)
def community_tabs(context, current: str = ""):
    """The row of section tabs at the top of every community page."""
    request = context["request"]
    return {"sections": sections_for(user=request.user), "current": current}

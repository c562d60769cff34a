"""``safe_richtext``: Wagtail's ``richtext`` filter, then the authored-HTML allow-list."""

from django import template
from django.utils.safestring import mark_safe
from wagtail.templatetags.wagtailcore_tags import richtext

from courses.markdown import sanitize_html

register = template.Library()


@register.filter
def safe_richtext(value) -> str:
    """Rich text as residents may see it: links and images expanded, anything else dropped."""
    return mark_safe(sanitize_html(str(richtext(value))))  # noqa: S308 - sanitized just now

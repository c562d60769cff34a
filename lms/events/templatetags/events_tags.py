from django import template

from ..selectors import rsvp_panel

register = template.Library()


@register.inclusion_tag("events/includes/rsvp_box.html", takes_context=True)
def event_rsvp_box(context, event):
    """Places left, the person's RSVP and the button to change it, for an event page's aside."""
    request = context["request"]
    return {
        "panel": rsvp_panel(event=event, user=request.user),
        "csrf_token": context.get("csrf_token"),
    }

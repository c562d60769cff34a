"""Where the cohort is stuck, linked from the lesson's notebook card for staff."""

from django import template
from django.urls import reverse

from lms.people.selectors import user_is_staff

register = template.Library()


@register.simple_tag
def stuck_url(assignment, user) -> str:
    """The assignment's "where the cohort is stuck" page for staff; nothing for anyone else.

    The card's context comes from ``courses.selectors.notebook_block_context``, which knows the
    resident's standing but not the reader's role: the role is read here, from the request's user.
    """
    if not assignment or not getattr(user, "is_authenticated", False):
        return ""
    if not user_is_staff(user=user):
        return ""
    return reverse("assignments:stuck", args=[assignment.cohort.slug, assignment.name])

"""What each course page shows beyond its own fields, read through the selectors.

Page models only describe content; their templates ask for the rest here,
which keeps ``courses.models`` free of queries and of the selectors that
import it.
"""

from django import template

from .. import selectors
from ..cards import card_context

register = template.Library()


@register.simple_tag
def dashboard_for(user):
    return selectors.dashboard_for(user=user)


@register.simple_tag
def syllabus_overview(syllabus, user):
    return selectors.syllabus_overview(syllabus=syllabus, user=user)


@register.simple_tag
def week_detail(week, user):
    return selectors.week_detail(week=week, user=user)


@register.simple_tag
def lesson_detail(lesson, user):
    return selectors.lesson_detail(lesson=lesson, user=user)


@register.simple_tag
def seminars_for(user):
    """Upcoming and past seminars this person may see, as a pair."""
    return selectors.seminars_for(user=user)


@register.simple_tag
def home_card(kind, page, user):
    """A card another app registered for the home page (``courses.cards``), or an empty dict."""
    return card_context(kind, name=kind, page=page, user=user)

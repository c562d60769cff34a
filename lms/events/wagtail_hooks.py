"""Wagtail hooks: places an editor adds to an event go to its waitlist straight away."""

from wagtail import hooks

from courses.models import SeminarPage

from .services import waitlist_promote


@hooks.register("after_publish_page")
def fill_new_places_from_the_waitlist(request, page):
    if isinstance(page.specific, SeminarPage):
        waitlist_promote(event=page.specific)

"""Writes about calendar feeds: make one, reset its address, and build the iCal file."""

import datetime
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from lms.people.models import User

from .entries import CalendarEntry
from .models import CalendarFeed, new_feed_token


def calendar_feed_ensure(*, user: User) -> CalendarFeed:
    feed, _ = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def calendar_feed_reset(*, user: User) -> CalendarFeed:
    """Give the feed a new address; calendar apps holding the old one get nothing more."""
    feed = calendar_feed_ensure(user=user)
    feed.token, feed.reset_at = new_feed_token(), timezone.now()
    feed.save(update_fields=["token", "reset_at"])
    return feed


def calendar_render(*, user: User, entries: list[CalendarEntry]) -> bytes:
    """The person's entries as an RFC 5545 calendar that Google, Apple and Outlook subscribe to."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{settings.LMS_PROGRAM_NAME}//Residency LMS//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{settings.LMS_PROGRAM_NAME} · {user.display_name}")
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.add("refresh-interval", datetime.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    stamp = timezone.now()
    base = settings.LMS_BASE_URL.rstrip("/")
    domain = urlsplit(base).hostname or "residency"
    for entry in entries:
        event = icalendar.Event()
        event.add("uid", f"{entry.uid}@{domain}")
        event.add("dtstamp", stamp)
        event.add("summary", entry.summary)
        event.add("dtstart", entry.start)
        event.add("dtend", entry.end)
        if entry.description:
            event.add("description", entry.description)
        if entry.location:
            event.add("location", entry.location)
        if entry.url:
            event.add("url", entry.url if "://" in entry.url else f"{base}{entry.url}")
        calendar.add_component(event)
    return calendar.to_ical()

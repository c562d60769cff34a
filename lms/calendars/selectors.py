"""Reads for calendar feeds: whose feed a token opens, and every entry on a person's calendar."""

import datetime

from django.utils import timezone

from lms.people.models import User

from .entries import CalendarEntry
from .models import CalendarFeed
from .registry import entry_sources


def feed_owner(*, token: str) -> User | None:
    """The active person whose feed this is, or None for an unknown or reset token."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        return None
    return feed.user


def entry_day(entry: CalendarEntry) -> datetime.date:
    """The local day an entry starts on, for all-day and timed entries alike."""
    if isinstance(entry.start, datetime.datetime):
        return timezone.localtime(entry.start).date()
    return entry.start


def calendar_entries_for(*, user: User) -> list[CalendarEntry]:
    """Everything on the person's calendar, in the order it happens."""
    entries: list[CalendarEntry] = []
    for source in entry_sources():
        entries.extend(source(user=user))
    return sorted(entries, key=lambda entry: (_sort_key(entry.start), entry.uid))


def _sort_key(start: datetime.date | datetime.datetime) -> datetime.datetime:
    if isinstance(start, datetime.datetime):
        return start
    return timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))

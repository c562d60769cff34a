"""What every part of the residency hands the calendar feed: plain entries, no iCal objects."""

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class CalendarEntry:
    """One happening on a person's calendar.

    ``uid`` is stable across feeds (for example ``"class-day-2026-11-23-cohort-7"``) so calendar
    apps update an entry instead of adding a copy. ``start``/``end`` are aware datetimes, or dates
    for all-day entries (``end`` exclusive). ``url`` is a path on the LMS, made absolute by the feed.
    """

    uid: str
    summary: str
    start: datetime.datetime | datetime.date
    end: datetime.datetime | datetime.date
    description: str = ""
    location: str = ""
    url: str = ""

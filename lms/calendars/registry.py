"""What each part of the residency puts on a person's calendar, registered when Django starts.

Calendars knows no app: each registers a ``calendar_entries(*, user)`` source in
its ``AppConfig.ready``, and the feed and the upcoming list gather them all.
"""

from collections.abc import Callable

from .entries import CalendarEntry

EntrySource = Callable[..., list[CalendarEntry]]

_sources: list[EntrySource] = []


def entry_source_register(source: EntrySource) -> None:
    """Add ``source(user=...)`` to every calendar; registering the same source twice adds it once."""
    if source not in _sources:
        _sources.append(source)


def entry_sources() -> list[EntrySource]:
    return list(_sources)

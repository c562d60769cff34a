"""Receivers: a cohort's class days and calls exist from the moment it is saved."""

from .services import sessions_ensure


def cohort_sessions_ensure(sender, instance, raw=False, **kwargs) -> None:
    """Calendars show a new cohort's class days and community calls at once."""
    if not raw:
        sessions_ensure(cohort=instance)

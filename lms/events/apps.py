from django.apps import AppConfig

from lms.calendars.registry import entry_source_register
from lms.scheduler.registry import job_register


class EventsConfig(AppConfig):
    """RSVPs with capacity for seminars and alumni weekends, and attendance taken on the day."""

    name = "lms.events"
    label = "events"
    verbose_name = "Seminars and events"

    def ready(self) -> None:
        from .selectors import calendar_entries
        from .services import event_reminders_send

        job_register("event reminders", lambda now: event_reminders_send(now=now))
        entry_source_register(calendar_entries)

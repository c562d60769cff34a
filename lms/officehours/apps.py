from django.apps import AppConfig

from lms.calendars.registry import entry_source_register


class OfficehoursConfig(AppConfig):
    """Office hours: slots alumni and staff publish, and residents' bookings (one per slot)."""

    name = "lms.officehours"
    label = "officehours"
    verbose_name = "Office hours"

    def ready(self) -> None:
        from .selectors import calendar_entries

        entry_source_register(calendar_entries)

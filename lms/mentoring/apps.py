from django.apps import AppConfig

from lms.calendars.registry import entry_source_register


class MentoringConfig(AppConfig):
    """Mentor check-ins: a weekly log per pairing, notes only mentor and staff read, and concern flags."""

    name = "lms.mentoring"
    label = "mentoring"
    verbose_name = "Mentoring"

    def ready(self) -> None:
        from .selectors import calendar_entries

        entry_source_register(calendar_entries)

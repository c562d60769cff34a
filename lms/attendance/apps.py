from django.apps import AppConfig
from django.db.models.signals import post_save

from lms.calendars.registry import entry_source_register


class AttendanceConfig(AppConfig):
    """Attendance: the residency's class days and community calls, and who was there."""

    name = "lms.attendance"
    label = "attendance"
    verbose_name = "Attendance"

    def ready(self) -> None:
        from lms.cohorts.models import Cohort

        from . import signals
        from .selectors import calendar_entries

        post_save.connect(
            signals.cohort_sessions_ensure, sender=Cohort, dispatch_uid="attendance-sessions"
        )
        entry_source_register(calendar_entries)

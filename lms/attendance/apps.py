from django.apps import AppConfig
from django.db.models.signals import post_save


class AttendanceConfig(AppConfig):
    """Attendance: the residency's class days and community calls, and who was there."""

    name = "lms.attendance"
    label = "attendance"
    verbose_name = "Attendance"

    def ready(self) -> None:
        from lms.cohorts.models import Cohort

        from . import signals

        post_save.connect(
            signals.cohort_sessions_ensure, sender=Cohort, dispatch_uid="attendance-sessions"
        )

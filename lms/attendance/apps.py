from django.apps import AppConfig
from django.db.models.signals import post_save


class AttendanceConfig(AppConfig):
    """Attendance: the residency's class days and community calls, and who was there."""

    name = "lms.attendance"
    label = "attendance"
    verbose_name = "Attendance"

    def ready(self) -> None:
        from lms.cohorts.models import Cohort

        post_save.connect(
            _cohort_sessions_ensure, sender=Cohort, dispatch_uid="attendance-sessions"
        )


def _cohort_sessions_ensure(sender, instance, raw=False, **kwargs) -> None:
    """A cohort's class days and calls exist from the moment it is saved: calendars show them at once."""
    from .services import sessions_ensure

    if not raw:
        sessions_ensure(cohort=instance)

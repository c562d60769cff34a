from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import pre_save

from lms.calendars.registry import entry_source_register
from lms.scheduler.registry import job_register


def scheduled_pages_publish(now) -> None:
    """Wagtail's own publishing of what was scheduled: lessons go live on their day."""
    call_command("publish_scheduled", verbosity=0)


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = "Syllabus and seminars"

    def ready(self) -> None:
        from wagtail.models import Revision

        from . import signals
        from .selectors import calendar_entries

        pre_save.connect(
            signals.revision_keep_lesson_schedule,
            sender=Revision,
            dispatch_uid="courses-lesson-revision-schedule",
        )
        job_register("publish scheduled pages", scheduled_pages_publish)
        entry_source_register(calendar_entries)

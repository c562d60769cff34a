from django.apps import AppConfig
from django.db.models.signals import pre_save


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = "Syllabus and seminars"

    def ready(self) -> None:
        from wagtail.models import Revision

        from . import signals

        pre_save.connect(
            signals.revision_keep_lesson_schedule,
            sender=Revision,
            dispatch_uid="courses-lesson-revision-schedule",
        )

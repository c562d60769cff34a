from django.apps import AppConfig

from courses.cards import card_provider_register
from lms.calendars.registry import entry_source_register
from lms.scheduler.registry import job_register


class AssignmentsConfig(AppConfig):
    name = "assignments"
    verbose_name = "Assignments and grading"

    def ready(self) -> None:
        from .selectors import calendar_entries
        from .selectors.cards import notebook_card
        from .services import due_soon_notify

        job_register("due-soon reminders", lambda now: due_soon_notify(now=now))
        card_provider_register("notebook", notebook_card)
        entry_source_register(calendar_entries)

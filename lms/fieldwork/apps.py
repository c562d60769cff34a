from django.apps import AppConfig

from lms.calendars.registry import entry_source_register


class FieldworkConfig(AppConfig):
    """Field projects: partner nonprofits, resident teams, four weekly milestones and the host's feedback."""

    name = "lms.fieldwork"
    label = "fieldwork"
    verbose_name = "Field projects"

    def ready(self) -> None:
        from .selectors import calendar_entries

        entry_source_register(calendar_entries)

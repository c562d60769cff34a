from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    """A private iCal feed per person, gathered from every part of the residency."""

    name = "lms.calendars"
    label = "calendars"
    verbose_name = "Calendars"

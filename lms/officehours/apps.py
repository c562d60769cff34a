from django.apps import AppConfig


class OfficehoursConfig(AppConfig):
    """Office hours: slots alumni and staff publish, and residents' bookings (one per slot)."""

    name = "lms.officehours"
    label = "officehours"
    verbose_name = "Office hours"

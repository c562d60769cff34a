from django.apps import AppConfig


class EventsConfig(AppConfig):
    """RSVPs with capacity for seminars and alumni weekends, and attendance taken on the day."""

    name = "lms.events"
    label = "events"
    verbose_name = "Seminars and events"

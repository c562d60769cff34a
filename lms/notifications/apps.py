from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """E-mail notifications sent by background tasks, with a per-kind opt-out."""

    name = "lms.notifications"
    label = "notifications"
    verbose_name = "Notifications"

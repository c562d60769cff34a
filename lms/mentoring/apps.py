from django.apps import AppConfig


class MentoringConfig(AppConfig):
    """Mentor check-ins: a weekly log per pairing, notes only mentor and staff read, and concern flags."""

    name = "lms.mentoring"
    label = "mentoring"
    verbose_name = "Mentoring"

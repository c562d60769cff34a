from django.apps import AppConfig


class ReportingConfig(AppConfig):
    """The gradebook and at-risk flags: the one place that reads grading and the program apps together."""

    name = "lms.reporting"
    label = "reporting"
    verbose_name = "Reporting"

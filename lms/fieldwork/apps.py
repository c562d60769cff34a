from django.apps import AppConfig


class FieldworkConfig(AppConfig):
    """Field projects: partner nonprofits, resident teams, four weekly milestones and the host's feedback."""

    name = "lms.fieldwork"
    label = "fieldwork"
    verbose_name = "Field projects"

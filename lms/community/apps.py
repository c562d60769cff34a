from django.apps import AppConfig


class CommunityConfig(AppConfig):
    """The landing page of the residency beyond the classroom, and its shared section tabs."""

    name = "lms.community"
    label = "community"
    verbose_name = "Residency"

from django.apps import AppConfig


class CommitmentsConfig(AppConfig):
    """The post-residency commitment: hours alumni log by kind, month by month."""

    name = "lms.commitments"
    label = "commitments"
    verbose_name = "Post-residency hours"

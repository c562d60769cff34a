from django.apps import AppConfig


class CohortsConfig(AppConfig):
    name = "lms.cohorts"
    label = "cohorts"
    verbose_name = "Cohorts"

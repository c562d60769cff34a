from django.apps import AppConfig


class SchedulerConfig(AppConfig):
    name = "lms.scheduler"
    label = "scheduler"
    verbose_name = "Scheduler"

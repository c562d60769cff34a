import time

from django.core.management.base import BaseCommand

from lms.scheduler.registry import registered_jobs
from lms.scheduler.services import scheduled_jobs_run


class Command(BaseCommand):
    help = (
        "Every minute: run the jobs the apps registered (lessons go live on their day, reminders "
        "that have come due are queued). Runs until stopped; `make run` starts it beside the LMS."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=int, default=60, help="Seconds between runs.")
        parser.add_argument("--once", action="store_true", help="Run once and exit.")

    def handle(self, *args, interval: int, once: bool, **options):
        names = ", ".join(job.name for job in registered_jobs())
        self.stdout.write(f"Scheduled jobs: {names}")
        while True:
            for name, result in scheduled_jobs_run().items():
                if isinstance(result, Exception):
                    self.stderr.write(f"{name} failed: {result}")
            if once:
                return
            time.sleep(interval)

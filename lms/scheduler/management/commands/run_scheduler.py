import time

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Every minute: publish scheduled pages (lessons go live on their day) and queue the "
        "reminder e-mails that have come due. Runs until stopped; `make run` starts it beside the LMS."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=int, default=60, help="Seconds between runs.")
        parser.add_argument("--once", action="store_true", help="Run once and exit.")

    def handle(self, *args, interval: int, once: bool, **options):
        from lms.notifications.services import reminders_send

        while True:
            call_command("publish_scheduled", verbosity=0)
            reminders_send()
            if once:
                return
            time.sleep(interval)

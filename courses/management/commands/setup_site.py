from django.conf import settings
from django.core.management.base import BaseCommand

from courses.services import site_ensure


class Command(BaseCommand):
    help = (
        "Create the program home page, the seminar index, the role permissions and the staff "
        "review workflow. Safe to run again."
    )

    def handle(self, *args, **options):
        home = site_ensure(program_name=settings.LMS_PROGRAM_NAME, port=settings.LMS_PORT)
        self.stdout.write(self.style.SUCCESS(f"Site ready at {home.url or '/'}"))

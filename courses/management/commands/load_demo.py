from django.core.management.base import BaseCommand

from courses.demo.loader import demo_load
from courses.demo.people import DEMO_PASSWORD


class Command(BaseCommand):
    help = (
        "Load a demo residency: a cohort of 12 residents with mentors, guest instructors, "
        "staff, a 16-week syllabus and seminars. Safe to run again; nothing is duplicated."
    )

    def handle(self, *args, **options):
        syllabus = demo_load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo residency ready: {syllabus.title}. Sign in as jordan (staff), amara (guest "
                f"instructor), priya (mentor) or aisha (resident) with password {DEMO_PASSWORD!r}."
            )
        )

from django.core.management.base import BaseCommand

from courses.demo.people import DEMO_PASSWORD
from lms.demo.loader import demo_load


class Command(BaseCommand):
    help = (
        "Load a demo residency: a cohort of 12 residents with mentors, guest instructors, "
        "staff, a 16-week syllabus, seminars and the notebook assignments of weeks 1 to 6. "
        "Safe to run again; nothing is duplicated."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--submissions",
            action="store_true",
            help=(
                "Also hand in the assignments already due for most residents (a mix of correct, "
                "partial and late work) and queue their grading for the worker."
            ),
        )

    def handle(self, *args, **options):
        syllabus = demo_load(submissions=options["submissions"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo residency ready: {syllabus.title}. Sign in as jordan (staff), amara (guest "
                f"instructor), priya (mentor) or aisha (resident) with password {DEMO_PASSWORD!r}."
            )
        )
        if options["submissions"]:
            self.stdout.write(
                "Sample submissions are queued for grading; a task worker grades them."
            )

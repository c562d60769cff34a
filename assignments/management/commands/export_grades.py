from django.core.management.base import BaseCommand, CommandError

from assignments.exports import GRADE_COLUMNS, cohort_grade_rows
from assignments.models import Assignment
from lms.cohorts.models import Cohort
from lms.csvexport import csv_lines


class Command(BaseCommand):
    help = (
        "Write grades as CSV in nbgrader's export columns (plus the week): one row per "
        "assignment and resident, the same rows as the gradebook's download."
    )

    def add_arguments(self, parser):
        parser.add_argument("--assignment", default="", help="Only this assignment (name).")
        parser.add_argument("--cohort", default="", help="Only this cohort (slug).")
        parser.add_argument("--output", default="-", help="File to write; '-' for standard output.")

    def handle(self, *args, assignment: str, cohort: str, output: str, **options):
        cohorts = Cohort.objects.order_by("start_date", "slug")
        if cohort:
            cohorts = cohorts.filter(slug=cohort)
            if not cohorts.exists():
                raise CommandError(f"No cohort called {cohort!r}.")
        only = None
        if assignment:
            only = set(
                Assignment.objects.filter(name=assignment, cohort__in=cohorts).values_list(
                    "pk", flat=True
                )
            )
            if not only:
                raise CommandError(f"No assignment called {assignment!r}.")
        stream = self.stdout if output == "-" else open(output, "w", newline="")  # noqa: SIM115
        try:
            rows = (row for each in cohorts for row in cohort_grade_rows(cohort=each, only=only))
            for line in csv_lines(GRADE_COLUMNS, rows):
                stream.write(line)
        finally:
            if stream is not self.stdout:
                stream.close()

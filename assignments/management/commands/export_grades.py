import csv

from django.core.management.base import BaseCommand, CommandError

from assignments.models import Assignment
from assignments.selectors import grade_export_rows

NBGRADER_COLUMNS = [
    "assignment", "duedate", "timestamp", "student_id", "last_name", "first_name", "email",
    "raw_score", "late_submission_penalty", "score", "max_score",
]  # fmt: skip


class Command(BaseCommand):
    help = (
        "Write grades as CSV with nbgrader's export columns: one row per resident and assignment."
    )

    def add_arguments(self, parser):
        parser.add_argument("--assignment", default="", help="Only this assignment (name).")
        parser.add_argument("--output", default="-", help="File to write; '-' for standard output.")

    def handle(self, *args, assignment: str, output: str, **options):
        assignments = Assignment.objects.select_related("cohort").order_by("due_at", "name")
        if assignment:
            assignments = assignments.filter(name=assignment)
            if not assignments.exists():
                raise CommandError(f"No assignment called {assignment!r}.")
        stream = self.stdout if output == "-" else open(output, "w", newline="")  # noqa: SIM115
        try:
            writer = csv.DictWriter(stream, fieldnames=NBGRADER_COLUMNS)
            writer.writeheader()
            for row in grade_export_rows(assignments=assignments):
                writer.writerow({column: row[column] for column in NBGRADER_COLUMNS})
        finally:
            if stream is not self.stdout:
                stream.close()

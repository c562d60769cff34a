import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from assignments.models import Assignment, LatePolicy, Submission
from assignments.nbgrader_course import read_course
from assignments.services import (
    AssignmentUploadError,
    SubmissionError,
    assignment_create,
    submission_checksum,
    submission_create,
)
from lms.cohorts.models import Cohort
from lms.cohorts.services import cohort_upsert, resident_enroll
from lms.people.models import Role, User
from lms.people.services import user_upsert


class Command(BaseCommand):
    help = (
        "Import an nbgrader course folder (source/<assignment>/..., optional "
        "submitted/<student>/<assignment>/... with timestamp.txt): assignments, a resident per "
        "student id, and their submissions, queued for grading. Re-running it duplicates nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("course_dir", type=Path)
        parser.add_argument(
            "--cohort", default="", help="Cohort name or slug; created when missing."
        )
        parser.add_argument("--assignment", default="", help="Import only this assignment.")

    def handle(self, *args, course_dir: Path, cohort: str, assignment: str, **options):
        try:
            course = read_course(course_dir, only=assignment or None)
        except FileNotFoundError as error:
            raise CommandError(str(error)) from None
        cohort_obj = self._cohort(cohort or course_dir.resolve().name)
        created_assignments = created_submissions = 0
        refused: list[str] = []
        for item in course:
            stamps = [s.timestamp for s in item.submissions if s.timestamp]
            assignment_obj = Assignment.objects.filter(cohort=cohort_obj, name=item.name).first()
            if assignment_obj is None:
                release = min(stamps + [timezone.now()]) - datetime.timedelta(days=1)
                due = max(stamps + [timezone.now()]) + datetime.timedelta(days=7)
                try:
                    assignment_obj = assignment_create(
                        cohort=cohort_obj, name=item.name, files=item.files, release_at=release,
                        due_at=due, late_policy=LatePolicy.ACCEPT,
                    )  # fmt: skip
                except AssignmentUploadError as error:
                    refused.append(f"{item.name}: {'; '.join(error.messages)}")
                    continue
                created_assignments += 1
            for work in item.submissions:
                resident = self._resident(work.student, cohort_obj)
                checksum = submission_checksum(work.files)
                if Submission.objects.filter(
                    assignment=assignment_obj, resident=resident, checksum=checksum
                ).exists():
                    continue
                try:
                    submission_create(
                        assignment=assignment_obj, resident=resident, files=work.files,
                        submitted_at=work.timestamp or timezone.now(), origin=Submission.Origin.IMPORT,
                        enforce_release=False,
                    )  # fmt: skip
                except SubmissionError as error:
                    self.stderr.write(f"{work.student}/{item.name}: {'; '.join(error.messages)}")
                    continue
                created_submissions += 1
        for reason in refused:
            self.stderr.write(self.style.WARNING(f"Not imported: {reason}"))
        self.stdout.write(
            self.style.SUCCESS(
                f"{cohort_obj.name}: {created_assignments} assignment(s) and "
                f"{created_submissions} submission(s) imported."
            )
        )

    @transaction.atomic
    def _cohort(self, name: str) -> Cohort:
        existing = (
            Cohort.objects.filter(name=name).first() or Cohort.objects.filter(slug=name).first()
        )
        if existing:
            return existing
        today = timezone.localdate()
        monday = today - datetime.timedelta(days=today.weekday())
        return cohort_upsert(slug=slugify(name)[:100] or "imported", name=name, start_date=monday)

    def _resident(self, student_id: str, cohort: Cohort):
        user = User.objects.filter(username=student_id).first() or user_upsert(
            username=student_id, email="", roles=(Role.RESIDENT,)
        )
        if not hasattr(user, "enrollment"):
            resident_enroll(cohort=cohort, resident=user)
        return user

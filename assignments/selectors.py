"""Reads about assignments: due times, which submission counts, what grading needs."""

import datetime
import threading

from django.conf import settings
from django.utils import timezone

from lms.cohorts.selectors import cohort_week_number
from lms.people.models import User

from .grading.pipeline import AssignmentSpec, read_notebook
from .grading.sandbox import SandboxLimits, SandboxUser
from .models import Assignment, AssignmentFile, Extension, LatePolicy, Submission


def effective_due_at(*, assignment: Assignment, resident: User) -> datetime.datetime:
    """The assignment's due time, or the resident's extension when one was granted."""
    extension = (
        Extension.objects.filter(assignment=assignment, resident=resident).only("due_at").first()
    )
    return extension.due_at if extension else assignment.due_at


def counting_submission(*, assignment: Assignment, resident: User) -> Submission | None:
    """The version that counts: the newest one, or under the zero and refuse policies the newest
    one handed in on time (a late version only counts when there is no on-time one)."""
    versions = (
        Submission.objects.filter(assignment=assignment, resident=resident)
        .select_related("grading")
        .order_by("-version")
    )
    if assignment.late_policy in (LatePolicy.ZERO, LatePolicy.REFUSE):
        due = effective_due_at(assignment=assignment, resident=resident)
        on_time = versions.filter(submitted_at__lte=due).first()
        if on_time is not None:
            return on_time
    return versions.first()


def assignment_week_number(*, assignment: Assignment) -> int:
    """The residency week an assignment belongs to: its week page, else the week it is due in."""
    if assignment.week_id:
        return assignment.week.number
    cohort = assignment.cohort
    week = cohort_week_number(cohort=cohort, on=timezone.localtime(assignment.due_at).date())
    if week is None:
        return 1 if assignment.due_at.date() < cohort.start_date else cohort.weeks
    return week


_spec_cache: dict[tuple[int, str], AssignmentSpec] = {}
_spec_lock = threading.Lock()


def assignment_spec(*, assignment: Assignment) -> AssignmentSpec:
    """The assignment's notebooks as grading needs them, parsed once per worker process."""
    files = list(
        AssignmentFile.objects.filter(assignment=assignment).only("kind", "path", "sha256")
    )
    fingerprint = (
        "|".join(sorted(f"{f.kind}:{f.path}:{f.sha256}" for f in files))
        + f"|{assignment.show_hidden_tests_in_feedback}"
    )
    key = (assignment.pk, fingerprint)
    with _spec_lock:
        if key in _spec_cache:
            return _spec_cache[key]
    contents = {
        (f.kind, f.path): bytes(f.content)
        for f in AssignmentFile.objects.filter(assignment=assignment)
    }
    spec = AssignmentSpec(
        key=f"a{assignment.pk}",
        name=assignment.name,
        sources={
            p[:-6]: read_notebook(p, c)
            for (k, p), c in contents.items()
            if k == AssignmentFile.Kind.SOURCE
        },
        releases={
            p[:-6]: read_notebook(p, c)
            for (k, p), c in contents.items()
            if k == AssignmentFile.Kind.RELEASE
        },
        support_files={p: c for (k, p), c in contents.items() if k == AssignmentFile.Kind.SUPPORT},
        show_hidden_tests=assignment.show_hidden_tests_in_feedback,
    )
    with _spec_lock:
        _spec_cache[key] = spec
    return spec


def grader_limits() -> SandboxLimits:
    return SandboxLimits(**settings.LMS_GRADER_LIMITS)


def sandbox_user() -> SandboxUser:
    return SandboxUser.resolve(settings.LMS_SANDBOX_USER)


def _nbgrader_time(value: datetime.datetime | None) -> str:
    """nbgrader exports naive UTC times, ``2015-02-02 22:58:23.948203``."""
    if value is None:
        return ""
    return str(value.astimezone(datetime.UTC).replace(tzinfo=None))


def grade_export_rows(*, assignments) -> list[dict]:
    """One row per resident and assignment, scores as the counting submission has them."""
    from lms.cohorts.models import Enrollment

    rows = []
    for assignment in assignments:
        enrollments = (
            Enrollment.objects.filter(cohort=assignment.cohort)
            .select_related("resident")
            .order_by("resident__username")
        )
        for enrollment in enrollments:
            resident = enrollment.resident
            submission = counting_submission(assignment=assignment, resident=resident)
            grading = getattr(submission, "grading", None) if submission else None
            graded = grading is not None and grading.score is not None
            raw = (grading.score + grading.late_penalty) if graded else 0.0
            rows.append(
                {
                    "assignment": assignment.name,
                    "duedate": _nbgrader_time(
                        effective_due_at(assignment=assignment, resident=resident)
                    ),
                    "timestamp": _nbgrader_time(submission.submitted_at) if submission else "",
                    "student_id": resident.username,
                    "last_name": resident.last_name,
                    "first_name": resident.first_name,
                    "email": resident.email,
                    "raw_score": round(raw, 6),
                    "late_submission_penalty": round(grading.late_penalty, 6) if graded else 0.0,
                    "score": round(grading.score, 6) if graded else 0.0,
                    "max_score": assignment.max_score,
                    "week": assignment_week_number(assignment=assignment),
                }
            )
    return rows


def assignment_for_lesson(*, cohort, name: str) -> Assignment | None:
    """The assignment a lesson's notebook block names, in the lesson's own cohort.

    Blocks name assignments rather than point at rows, so a syllabus copied to
    a new cohort finds that cohort's assignment of the same name.
    """
    if cohort is None:
        return None
    return Assignment.objects.filter(cohort=cohort, name=name).first()


def resident_assignment_status(*, assignment: Assignment, resident: User) -> dict:
    """What a resident sees of one assignment: due time, their counting version and its grade."""
    submission = counting_submission(assignment=assignment, resident=resident)
    grading = getattr(submission, "grading", None) if submission else None
    return {
        "due_at": effective_due_at(assignment=assignment, resident=resident),
        "submission": submission,
        "grading": grading,
        "released": assignment.release_at <= timezone.now(),
    }


def assignments_overview():
    """Cohorts with their assignments and how many submissions each has, for the admin list."""
    from django.db.models import Count

    from lms.cohorts.models import Cohort

    cohorts = list(Cohort.objects.order_by("-start_date"))
    by_cohort: dict[int, list] = {c.pk: [] for c in cohorts}
    assignments = (
        Assignment.objects.select_related("week")
        .annotate(submission_count=Count("submissions"))
        .order_by("due_at")
    )
    for assignment in assignments:
        by_cohort[assignment.cohort_id].append(assignment)
    return [(cohort, by_cohort[cohort.pk]) for cohort in cohorts]


def assignment_author(*, user) -> bool:
    """Staff upload assignments anywhere; guest instructors into the weeks they were given."""
    from lms.people.models import Role
    from lms.people.selectors import user_roles

    return bool(user_roles(user=user) & {Role.STAFF, Role.GUEST_INSTRUCTOR})

"""Reads about assignments themselves: their week, due times, versions, what grading needs, the weeks one may author."""

import datetime
import json
import threading
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from courses.models import WeekPage
from courses.permissions import user_can_edit_page
from lms.cohorts.models import Cohort
from lms.cohorts.selectors import cohort_week_number
from lms.people.models import User
from lms.people.permissions import user_is_staff

from .. import policy
from ..grading.pipeline import AssignmentSpec, read_notebook
from ..grading.sandbox import SandboxLimits, SandboxUser
from ..models import Assignment, AssignmentFile, Extension, Submission


def effective_due_at(*, assignment: Assignment, resident: User) -> datetime.datetime:
    """The resident's due time: the assignment's, or their extension when one was granted."""
    extension = (
        Extension.objects.filter(assignment=assignment, resident=resident).only("due_at").first()
    )
    return policy.due_time(
        due_at=assignment.due_at, extension_due_at=extension.due_at if extension else None
    )


def submission_versions(*, assignment: Assignment, resident: User) -> list[Submission]:
    """A resident's versions of an assignment, oldest first, each with its grading."""
    return list(
        Submission.objects.filter(assignment=assignment, resident=resident)
        .select_related("grading")
        .order_by("version")
    )


def counting_submission(*, assignment: Assignment, resident: User) -> Submission | None:
    """The version that counts, by the policy's rule."""
    return policy.counting_version(
        submission_versions(assignment=assignment, resident=resident),
        late_rule=assignment.late_policy,
        due=effective_due_at(assignment=assignment, resident=resident),
    )


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

    def notebooks(kind: str) -> dict:
        return {p[:-6]: read_notebook(p, c) for (k, p), c in contents.items() if k == kind}

    gradebooks = [c for (k, _p), c in contents.items() if k == AssignmentFile.Kind.GRADEBOOK]
    spec = AssignmentSpec(
        key=f"a{assignment.pk}",
        name=assignment.name,
        sources=notebooks(AssignmentFile.Kind.SOURCE),
        releases=notebooks(AssignmentFile.Kind.RELEASE),
        support_files={p: c for (k, p), c in contents.items() if k == AssignmentFile.Kind.SUPPORT},
        show_hidden_tests=assignment.show_hidden_tests_in_feedback,
        gradebook=gradebooks[0] if gradebooks else None,
    )
    with _spec_lock:
        _spec_cache[key] = spec
    return spec


def grader_limits() -> SandboxLimits:
    return SandboxLimits(**settings.LMS_GRADER_LIMITS)


def sandbox_user() -> SandboxUser:
    return SandboxUser.resolve(settings.LMS_SANDBOX_USER)


def assignment_for_lesson(*, cohort, name: str) -> Assignment | None:
    """The assignment a lesson's notebook block names, in the lesson's own cohort.

    Blocks name assignments rather than point at rows, so a syllabus copied to
    a new cohort finds that cohort's assignment of the same name.
    """
    if cohort is None:
        return None
    return Assignment.objects.filter(cohort=cohort, name=name).first()


def assignments_overview():
    """Cohorts with their assignments and how many submissions each has, for the admin list."""
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


def authorable_weeks(*, user):
    """The weeks a person may put assignments in: every week for staff (None), for a guest
    instructor the weeks staff gave them to write, with their syllabus's cohort id."""
    if user_is_staff(user=user):
        return None
    return [
        week
        for week in WeekPage.objects.order_by("path")
        if user_can_edit_page(user=user, page=week)
    ]


@dataclass(frozen=True)
class GradedCell:
    """A graded cell of an assignment's source notebooks, with its points."""

    notebook: str
    grade_id: str
    points: float
    kind: str


def assignment_graded_cells(*, assignment: Assignment) -> list[GradedCell]:
    """Each graded cell of the assignment's source notebooks, in notebook order."""
    cells = []
    for source in assignment.files.filter(kind=AssignmentFile.Kind.SOURCE).order_by("path"):
        nb = json.loads(bytes(source.content))
        for cell in nb.get("cells", []):
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if meta.get("grade"):
                cells.append(
                    GradedCell(
                        notebook=source.path[: -len(".ipynb")],
                        grade_id=meta.get("grade_id", ""),
                        points=float(meta.get("points", 0)),
                        kind="written answer" if meta.get("solution") else "test",
                    )  # fmt: skip
                )
    return cells

"""Reads for JupyterLab's Assignments panel and the feedback pages: what a resident may fetch."""

import datetime

from django.utils import dateformat, timezone

from common.nbgrader_times import exchange_timestamp
from lms.calendars.entries import CalendarEntry
from lms.cohorts.selectors import cohort_for_resident
from lms.people.models import User

from .. import policy
from ..formats import plain
from ..models import Assignment, AssignmentFile, Extension, Grading, Submission
from .standings import HandIn, hand_ins

SHOWN_TIME_FORMAT = "D M j, g:i A T"


def feedback_visible(*, assignment: Assignment, grading) -> bool:
    """Whether the resident may read this grading's feedback (the policy's rule, on model rows)."""
    if grading is None:
        return False
    return policy.feedback_visible(
        status=grading.status,
        has_feedback=bool(grading.feedback_files),
        feedback_policy=assignment.feedback_policy,
        released_to_cohort=assignment.feedback_released_at is not None,
        released_to_resident=grading.feedback_released_at is not None,
    )


def released_assignments_for(*, resident: User):
    """The assignments of the resident's own cohort that are released now, with their files."""
    cohort = cohort_for_resident(user=resident)
    if cohort is None:
        return None, Assignment.objects.none()
    assignments = (
        Assignment.objects.filter(cohort=cohort, release_at__lte=timezone.now())
        .prefetch_related("files")
        .order_by("due_at", "name")
    )
    return cohort, assignments


def release_notebook_names(assignment: Assignment) -> list[str]:
    return sorted(
        f.path
        for f in assignment.files.all()
        if f.kind == f.Kind.RELEASE and f.path.endswith(".ipynb")
    )


def release_files(*, assignment: Assignment) -> dict[str, bytes]:
    """What a resident fetches: the release notebooks and the supporting files."""
    kinds = [AssignmentFile.Kind.RELEASE, AssignmentFile.Kind.SUPPORT]
    return {f.path: bytes(f.content) for f in assignment.files.filter(kind__in=kinds)}


def exchange_listing(*, resident: User) -> dict:
    """Everything the Assignments panel shows: released assignments and the resident's submissions."""
    cohort, assignments = released_assignments_for(resident=resident)
    assignments = list(assignments)
    extensions = dict(
        Extension.objects.filter(resident=resident, assignment__in=assignments).values_list(
            "assignment_id", "due_at"
        )
    )
    versions = hand_ins(Submission.objects.filter(resident=resident, assignment__in=assignments))
    by_pk = {assignment.pk: assignment for assignment in assignments}
    readable = feedback_files_for(
        [
            hand_in.grading_id
            for (_resident, assignment_pk), listed in versions.items()
            for hand_in in listed
            if _feedback_readable(by_pk[assignment_pk], hand_in)
        ]
    )
    return {
        "course_id": cohort.slug if cohort else None,
        "assignments": [
            {
                "name": assignment.name,
                "title": assignment.title or assignment.name,
                "released_at": assignment.release_at.isoformat(),
                "due_at": policy.due_time(
                    due_at=assignment.due_at, extension_due_at=extensions.get(assignment.pk)
                ).isoformat(),
                "notebooks": [
                    name.removesuffix(".ipynb") for name in release_notebook_names(assignment)
                ],
                "submissions": [
                    _submission_summary(assignment, hand_in, readable.get(hand_in.grading_id, []))
                    for hand_in in versions.get((resident.pk, assignment.pk), [])
                ],
            }
            for assignment in assignments
        ],
    }


def _feedback_readable(assignment: Assignment, hand_in: HandIn) -> bool:
    return policy.feedback_visible(
        status=hand_in.status,
        has_feedback=hand_in.has_feedback,
        feedback_policy=assignment.feedback_policy,
        released_to_cohort=assignment.feedback_released_at is not None,
        released_to_resident=hand_in.released_at is not None,
    )


def shown_time(moment: datetime.datetime) -> str:
    """A time as JupyterLab's Assignments panel shows it: in the program's time zone, written
    as the LMS's pages write it, with the zone named since JupyterLab may run elsewhere."""
    return dateformat.format(timezone.localtime(moment), SHOWN_TIME_FORMAT)


def _submission_summary(assignment: Assignment, hand_in: HandIn, feedback: list[str]) -> dict:
    shown = hand_in.status == policy.GRADED and policy.results_released(
        feedback_policy=assignment.feedback_policy,
        released_to_cohort=assignment.feedback_released_at is not None,
        released_to_resident=hand_in.released_at is not None,
    )
    return {
        "version": hand_in.version,
        "timestamp": exchange_timestamp(hand_in.submitted_at),
        "shown_at": shown_time(hand_in.submitted_at),
        "status": hand_in.status or policy.QUEUED,
        "score": hand_in.score if shown else None,
        "max_score": hand_in.max_score if shown else None,
        "feedback": feedback,
    }


def feedback_files_for(grading_ids: list[int]) -> dict[int, list[str]]:
    """The feedback file names of these gradings, in one query."""
    if not grading_ids:
        return {}
    return {
        pk: sorted(files or {})
        for pk, files in Grading.objects.filter(pk__in=grading_ids).values_list(
            "pk", "feedback_files"
        )
    }


def feedback_for(*, assignment: Assignment, resident: User) -> list[dict]:
    """Rendered feedback of each graded submission, newest last, one HTML file per notebook."""
    feedback = []
    submissions = (
        Submission.objects.filter(assignment=assignment, resident=resident)
        .select_related("grading")
        .order_by("version")
    )
    for submission in submissions:
        grading = getattr(submission, "grading", None)
        if not feedback_visible(assignment=assignment, grading=grading):
            continue
        feedback.append(
            {
                "version": submission.version,
                "timestamp": exchange_timestamp(submission.submitted_at),
                "files": {
                    f"{name.removesuffix('.ipynb')}.html": html
                    for name, html in grading.feedback_files.items()
                },
            }
        )
    return feedback


def grader_note(cell) -> str:
    """What a resident reads from their grader about one cell, in Markdown: the comment, then
    the rubric criteria the grader chose with their points. The feedback page and the feedback
    file fetched into JupyterLab both show this."""
    chosen = list(cell.rubric.all())
    parts = [cell.comment] if cell.comment else []
    if chosen:
        parts.append(
            "Rubric:\n"
            + "\n".join(
                f"- ✓ {c.description} ({plain(c.points)} pt{'' if c.points == 1 else 's'})"
                for c in chosen
            )
        )
    return "\n\n".join(parts)


def resident_feedback(*, resident: User, name: str, version: int):
    """One of the resident's own graded submissions with its feedback, or None."""
    return (
        Submission.objects.filter(
            resident=resident, assignment__name=name, version=version,
            grading__status="graded",
        )
        .select_related("assignment", "grading")
        .first()
    )  # fmt: skip


def calendar_entries(*, user: User) -> list:
    """A resident's due times (their own extension where granted), as half-hour entries ending at the deadline."""
    cohort = cohort_for_resident(user=user)
    if cohort is None:
        return []
    extensions = {e.assignment_id: e.due_at for e in Extension.objects.filter(resident=user)}
    entries = []
    for assignment in Assignment.objects.filter(cohort=cohort).order_by("due_at"):
        due = policy.due_time(
            due_at=assignment.due_at, extension_due_at=extensions.get(assignment.pk)
        )
        title = assignment.title or assignment.name
        entries.append(
            CalendarEntry(
                uid=f"due-{assignment.pk}-{user.pk}",
                summary=f"Due: {title}",
                start=due - datetime.timedelta(minutes=30),
                end=due,
                description=(
                    f"{title} ({assignment.name}) is due at {timezone.localtime(due):%-I:%M %p}."
                    + (
                        " Your extension moved this due time."
                        if assignment.pk in extensions
                        else ""
                    )
                ),
                url="/progress/",
            )
        )
    return entries

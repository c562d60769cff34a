"""Feedback: rendered from the stored grades, released on purpose, announced once per graded version."""

import nbformat
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from lms.notifications.models import Kind
from lms.notifications.services import notify
from lms.people.models import User

from ..formats import plain
from ..grading.nbgrader_adapter import StoredGrade
from ..grading.pipeline import render_feedback
from ..models import Assignment, GradeChange, Grading
from ..selectors import assignment_spec, feedback_visible, grader_note


def enqueue_feedback_on_commit(grading: Grading) -> None:
    transaction.on_commit(lambda: render_feedback_task.enqueue(grading.pk))


def feedback_render(*, grading_id: int) -> Grading:
    """Render feedback from the stored grades (automatic and manual) and the graders' comments
    in nbgrader's template: the page residents read and the file JupyterLab fetches."""
    grading = Grading.objects.select_related("submission__assignment", "submission__resident").get(
        pk=grading_id
    )
    if grading.status != Grading.Status.GRADED or not grading.graded_notebooks:
        return grading
    grades = [
        StoredGrade(
            notebook=c.notebook,
            grade_id=c.grade_id,
            auto_score=c.auto_score,
            manual_score=c.manual_score,
            comment=grader_note(c),
            awaiting_grader=c.awaiting_grader,
        )  # fmt: skip
        for c in grading.cells.prefetch_related("rubric")
    ]
    html = render_feedback(
        spec=assignment_spec(assignment=grading.submission.assignment),
        graded_notebooks={
            name: nbformat.from_dict(nb) for name, nb in grading.graded_notebooks.items()
        },
        grades=grades,
        cache_dir=settings.LMS_GRADER_CACHE_DIR,
    )
    Grading.objects.filter(pk=grading_id).update(
        feedback_html="\n".join(html[name] for name in sorted(html)), feedback_files=html
    )
    grading.refresh_from_db()
    if feedback_visible(assignment=grading.submission.assignment, grading=grading):
        _feedback_notify(grading)
    return grading


def _feedback_notify(grading: Grading) -> None:
    """Tell the resident their feedback is there: once per graded version."""

    assignment = grading.submission.assignment
    title = assignment.title or assignment.name
    score = (
        ""
        if grading.score is None
        else f" You scored {plain(grading.score)} of {plain(grading.max_score)}."
    )
    notify(
        user=grading.submission.resident,
        kind=Kind.FEEDBACK,
        key=f"feedback-{grading.pk}",
        subject=f"Feedback on {title}",
        body=f"Feedback on {title} (version {grading.submission.version}) is ready.{score}\n\n"
        "Read it on your progress page, or fetch it into JupyterLab from the Assignments panel.",
        url=reverse("assignments:progress"),
    )


@transaction.atomic
def feedback_release(*, assignment: Assignment, by: User, resident: User | None = None) -> int:
    """Release feedback to one resident, or to the whole cohort; returns how many gradings it reached."""
    now = timezone.now()
    gradings = Grading.objects.filter(
        submission__assignment=assignment,
        status=Grading.Status.GRADED,
        feedback_released_at__isnull=True,
    )
    if resident is not None:
        gradings = gradings.filter(submission__resident=resident)
    else:
        Assignment.objects.filter(pk=assignment.pk).update(feedback_released_at=now)
    released = list(gradings.select_related("submission__assignment", "submission__resident"))
    Grading.objects.filter(pk__in=[g.pk for g in released]).update(feedback_released_at=now)
    for grading in released:
        if grading.feedback_files:
            _feedback_notify(grading)
    GradeChange.objects.bulk_create(
        GradeChange(
            grading=g,
            what=GradeChange.What.FEEDBACK,
            old="held",
            new="released to the cohort" if resident is None else "released",
            changed_by=by,
        )  # fmt: skip
        for g in released
    )
    return len(released)


FEEDBACK_PRIORITY = -10


@task(priority=FEEDBACK_PRIORITY, queue_name="feedback")
def render_feedback_task(grading_id: int) -> None:
    """Feedback rendering, queued after grading: it receives an id, and the service does the rest."""
    feedback_render(grading_id=grading_id)

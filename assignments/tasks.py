"""Background tasks: they receive ids, load, and call a service."""

from django_tasks import task

from .services import feedback_render, grading_run

# Grading goes before feedback: a resident waits for the grade, feedback can follow.
GRADING_PRIORITY, FEEDBACK_PRIORITY = 10, -10


@task(priority=GRADING_PRIORITY)
def grade_submission_task(grading_id: int) -> None:
    grading_run(grading_id=grading_id)


@task(priority=FEEDBACK_PRIORITY, queue_name="feedback")
def render_feedback_task(grading_id: int) -> None:
    feedback_render(grading_id=grading_id)

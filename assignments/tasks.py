"""Background tasks: they receive ids, load, and call a service."""

from django_tasks import task

from .services import grading_run


@task()
def grade_submission_task(grading_id: int) -> None:
    grading_run(grading_id=grading_id)

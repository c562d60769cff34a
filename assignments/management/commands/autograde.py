import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from assignments.models import Assignment, Grading
from assignments.services import gradings_queue, gradings_requeue_stale
from assignments.workers import default_worker_count, grading_workers_run


class Command(BaseCommand):
    help = (
        "Queue submissions for grading. With --wait, grade them here with the worker's own "
        "code, one worker per core, and return when every one is graded."
    )

    def add_arguments(self, parser):
        parser.add_argument("--assignment", default="", help="Only this assignment (name).")
        parser.add_argument(
            "--regrade", action="store_true", help="Grade already graded submissions again."
        )
        parser.add_argument("--wait", action="store_true", help="Grade now and wait until done.")
        parser.add_argument(
            "--workers",
            type=int,
            default=default_worker_count(),
            help="Parallel workers with --wait (default: one more than the cores, as each "
            "worker waits on its kernel part of the time).",
        )

    def handle(self, *args, assignment: str, regrade: bool, wait: bool, workers: int, **options):
        gradings = Grading.objects.all()
        if assignment:
            if not Assignment.objects.filter(name=assignment).exists():
                raise CommandError(f"No assignment called {assignment!r}.")
            gradings = gradings.filter(submission__assignment__name=assignment)
        stale = gradings_requeue_stale()
        if regrade:
            queued = gradings_queue(gradings=list(gradings))
        else:
            queued = gradings_queue(
                gradings=list(
                    gradings.filter(status__in=[Grading.Status.QUEUED, Grading.Status.FAILED])
                )
            )
        self.stdout.write(
            f"Queued {queued} submission(s) for grading ({stale} recovered from lost workers)."
        )
        if wait:
            self._drain(gradings, workers)

    def _drain(self, gradings, workers: int) -> None:
        pending = gradings.filter(status__in=[Grading.Status.QUEUED, Grading.Status.RUNNING])
        started = time.monotonic()
        queued_workers = settings.TASKS["default"]["BACKEND"].endswith("DatabaseBackend")
        if queued_workers:
            grading_workers_run(count=max(1, min(workers, pending.count())))
        while pending.exists():
            time.sleep(0.2)
        counts = {
            status: gradings.filter(status=status).count() for status in Grading.Status.values
        }
        self.stdout.write(
            self.style.SUCCESS(
                f"Graded in {time.monotonic() - started:.1f} s: {counts['graded']} graded, "
                f"{counts['failed']} could not be graded."
            )
        )
        if queued_workers:
            started = time.monotonic()
            grading_workers_run(count=workers, queue="feedback")
            self.stdout.write(f"Feedback rendered in {time.monotonic() - started:.1f} s.")

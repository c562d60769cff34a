import uuid

from django.core.management.base import BaseCommand
from django_tasks_db.management.commands.db_worker import Worker

from assignments.workers import worker_warm_up


class Command(BaseCommand):
    help = (
        "Run a grading worker: warm up the grader (nbgrader, the notebook schema, the kernel "
        "fork server, a check that the sandbox user can run kernels), then take tasks from the "
        "queue with django-tasks-db's worker loop. `make run` starts one; start more to grade faster."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--queues", default="default,feedback", help="Comma-separated queue names."
        )
        parser.add_argument(
            "--interval", type=float, default=0.1, help="Seconds between polls of an empty queue."
        )
        parser.add_argument("--batch", action="store_true", help="Exit once the queues are empty.")

    def handle(self, *args, queues: str, interval: float, batch: bool, **options):
        worker_warm_up()
        self.stdout.write(f"Grading worker ready (queues: {queues}).")
        self.stdout.flush()
        Worker(
            queue_names=queues.split(","), interval=interval, batch=batch, backend_name="default",
            startup_delay=False, max_tasks=None, worker_id=f"grader-{uuid.uuid4().hex[:12]}",
            excluded_queue_names=[],
        ).run()  # fmt: skip

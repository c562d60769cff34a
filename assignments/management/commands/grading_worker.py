from django.core.management.base import BaseCommand

from assignments.workers import grading_worker, worker_warm_up


class Command(BaseCommand):
    help = (
        "Run a grading worker: warm up the grader (nbgrader, the notebook schema, the kernel "
        "fork server, a check that the sandbox user can run kernels), then take tasks from the "
        "queue with django-tasks-db's worker loop, queueing again every few seconds the "
        "gradings of workers that died mid-grade. `make run` starts one; start more to grade "
        "faster."
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
        grading_worker(
            queues=queues.split(","), interval=interval, batch=batch, name="grader"
        ).run()

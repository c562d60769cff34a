import math
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, OutputWrapper
from django.db.models import Q
from django.utils import timezone

from assignments.models import Assignment, Grading
from assignments.services import gradings_queue, gradings_requeue_stale
from assignments.workers import WAIT_POLL_SECONDS, default_worker_count, grading_workers_run

#: Without a terminal, a progress line at most this often, or each time another tenth is done.
PLAIN_PROGRESS_SECONDS = 5.0


def _duration(seconds: float) -> str:
    seconds = math.ceil(seconds)
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"


def progress_line(*, done: int, total: int, elapsed: float) -> str:
    """How far grading got, how fast it goes and how long it still takes, in one line."""
    rate = done / elapsed if elapsed > 0 else 0.0
    if done >= total:
        left = "all done"
    elif rate > 0:
        left = f"about {_duration((total - done) / rate)} left"
    else:
        left = "time left not known yet"
    return f"Grading: {done}/{total} hand-ins · {rate:.1f} per second · {left}"


class Progress:
    """Says how a drain goes: one line rewritten in place on a terminal, plain lines in a log.

    A log (cron, CI, ``| tee``) gets a line when another tenth of the work is
    done or, if something moved, every few seconds; never a stream of carriage returns.
    """

    def __init__(self, *, stdout: OutputWrapper, total: int):
        self.stdout, self.total = stdout, total
        self.terminal = stdout.isatty()
        self.step = max(1, math.ceil(total / 10))
        self.started = self.said_at = time.monotonic()
        self.said_done, self.said = 0, ""

    def update(self, *, done: int, final: bool = False) -> None:
        now = time.monotonic()
        line = progress_line(done=done, total=self.total, elapsed=now - self.started)
        if self.terminal:
            self.stdout.write("\r" + line.ljust(len(self.said)), ending="\n" if final else "")
            self.said = line
        elif done != self.said_done and (
            final
            or done >= self.said_done + self.step
            or now - self.said_at >= PLAIN_PROGRESS_SECONDS
        ):
            self.stdout.write(line)
            self.said_done, self.said_at = done, now
        self.stdout.flush()

    def finish(self) -> None:
        if self.total:
            self.update(done=self.total, final=True)


class Command(BaseCommand):
    help = (
        "Queue submissions for grading. With --wait, grade them here with the worker's own "
        "code, one worker per core, say how far it got while it works, and list at the end "
        "the hand-ins that need a look."
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
        since = timezone.now()
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
            self._drain(gradings, workers, since=since)

    def _drain(self, gradings, workers: int, *, since) -> None:
        pending = gradings.filter(status__in=[Grading.Status.QUEUED, Grading.Status.RUNNING])
        total = pending.count()
        progress = Progress(stdout=self.stdout, total=total)

        def report() -> None:
            progress.update(done=max(0, total - pending.count()))

        started = time.monotonic()
        queued_workers = settings.TASKS["default"]["BACKEND"].endswith("DatabaseBackend")
        if queued_workers and total:
            grading_workers_run(count=max(1, min(workers, total)), while_waiting=report)
        while pending.exists():
            report()
            time.sleep(WAIT_POLL_SECONDS)
        progress.finish()
        counts = {
            status: gradings.filter(status=status).count() for status in Grading.Status.values
        }
        self.stdout.write(
            self.style.SUCCESS(
                f"Graded in {time.monotonic() - started:.1f} s: {counts['graded']} graded, "
                f"{counts['failed']} could not be graded."
            )
        )
        self._list_problems(gradings.filter(finished_at__gte=since))
        if queued_workers:
            started = time.monotonic()
            grading_workers_run(count=workers, queue="feedback")
            self.stdout.write(f"Feedback rendered in {time.monotonic() - started:.1f} s.")

    def _list_problems(self, finished) -> None:
        """Name the hand-ins graded with a problem note or not graded at all, so staff look at them."""
        problems = list(
            finished.filter(
                Q(status=Grading.Status.FAILED) | (Q(status=Grading.Status.GRADED) & ~Q(notes=""))
            )
            .select_related("submission__resident", "submission__assignment")
            .order_by("submission__assignment__name", "submission__resident__username",
                      "submission__version")
        )  # fmt: skip
        if not problems:
            return
        self.stdout.write(f"{len(problems)} hand-in(s) need a look:")
        for grading in problems:
            submission = grading.submission
            if grading.status == Grading.Status.FAILED:
                what, note = "could not be graded", grading.error
            else:
                what, note = "graded with a note", grading.notes
            self.stdout.write(
                f"  {submission.resident.username} · {submission.assignment.name} · "
                f"version {submission.version}: {what}: {'; '.join(note.splitlines())}"
            )

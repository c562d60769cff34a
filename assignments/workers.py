"""Grading workers: django-tasks-db's worker loop, plus the recovery of gradings lost workers left.

``GradingWorker`` is what ``manage.py grading_worker`` runs and what
``autograde --wait`` forks: the library's own ``Worker`` loop, and a watch
that queues again every grading whose worker died mid-grade. The forked
workers of ``autograde --wait`` start from a parent that has already imported
Django, nbgrader and nbformat, loaded the pending assignments and started the
kernel fork server, so none of that is paid again per worker.
"""

import logging
import os
import threading
import time
import uuid
from collections.abc import Callable

from django.db import connections
from django.db.utils import OperationalError
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.utils import is_locked_database_exception

from .grading.pipeline import warm_up as pipeline_warm_up
from .grading.sandbox import (
    ForkServer,
    check_sandbox_can_run_kernels,
    isolation_missing,
    start_sandbox_check,
)
from .models import Assignment, Grading
from .selectors import assignment_spec, sandbox_user
from .services import gradings_requeue_stale

log = logging.getLogger(__name__)

#: Seconds between two looks for gradings whose lease ran out, in every worker.
REQUEUE_EVERY_SECONDS = 5.0
#: Seconds between two looks at the forked workers (and at progress) while they grade.
WAIT_POLL_SECONDS = 0.2


class GradingWorker(Worker):
    """django-tasks-db's worker loop that also queues again what a lost worker left "running".

    A worker killed mid-grade (kill -9, a lost machine) leaves its grading
    under a lease that nobody renews. Every worker looks for such gradings
    every few seconds and queues them again, so nothing stays stuck after a
    crash and no one has to type a command. The library's loop has no step
    between polls to hook into, so a daemon thread does the looking; it also
    keeps looking while this worker grades a long notebook.
    """

    def run(self) -> None:
        threading.Thread(target=self._requeue_regularly, name="requeue-stale", daemon=True).start()
        super().run()

    def _requeue_regularly(self) -> None:
        while True:
            try:
                self.requeue_stale()
            except Exception:  # the watch must outlive any one failure, or recovery stops silently
                log.exception("Could not queue again the gradings of lost workers")
            finally:
                connections.close_all()  # this thread's own connection, not the loop's
            time.sleep(REQUEUE_EVERY_SECONDS)

    def requeue_stale(self) -> int:
        """Queue again the gradings whose lease ran out; a busy SQLite file only delays that a round."""
        try:
            return gradings_requeue_stale()
        except OperationalError as error:
            if not is_locked_database_exception(error):
                raise
            log.warning("Database locked; looking for gradings of lost workers again shortly")
            return 0


def grading_worker(*, queues: list[str], interval: float, batch: bool, name: str) -> GradingWorker:
    """A grading worker on these queues, as the command and ``autograde --wait`` both run it."""
    return GradingWorker(
        queue_names=queues, interval=interval, batch=batch, backend_name="default",
        startup_delay=False, max_tasks=None, worker_id=f"{name}-{uuid.uuid4().hex[:12]}",
        excluded_queue_names=[],
    )  # fmt: skip


def worker_warm_up() -> None:
    """Pay a grading process's one-time costs before the first submission waits for them."""
    # The fork server's imports and the sandbox user's probe run while this process does the rest.
    ForkServer.start()
    for missing in isolation_missing():
        log.warning("Grading sandbox without %s: run the grading worker as root for it.", missing)
    start_sandbox_check(sandbox_user())
    pipeline_warm_up()
    pending = Grading.objects.filter(status=Grading.Status.QUEUED).values("submission__assignment")
    for assignment in Assignment.objects.filter(pk__in=pending):
        assignment_spec(assignment=assignment)
    check_sandbox_can_run_kernels(sandbox_user())
    ForkServer.warm_up()


def default_worker_count() -> int:
    """One more worker than cores: each waits on its kernel part of the time (measured on 2 cores:
    3 workers grade the benchmark course 15% faster than 2, and 4 are slower again)."""
    return (os.cpu_count() or 1) + 1


def grading_workers_run(
    *, count: int, queue: str = "default", while_waiting: Callable[[], None] | None = None
) -> None:
    """Grade everything queued with ``count`` forked workers; returns when the queue is empty.

    The children do the grading; this process only waits for them, calling
    ``while_waiting`` every few tenths of a second meanwhile, so ``autograde
    --wait`` can read the progress from the database and say it.
    """
    worker_warm_up()
    connections.close_all()
    children = [_worker_fork(index=index, queue=queue) for index in range(count)]
    while children:
        if while_waiting is not None:
            while_waiting()
        time.sleep(WAIT_POLL_SECONDS)
        children = [pid for pid in children if os.waitpid(pid, os.WNOHANG)[0] == 0]


def _worker_fork(*, index: int, queue: str) -> int:
    """Fork a worker that grades until ``queue`` is empty, then exits; the parent gets its pid."""
    pid = os.fork()
    if pid:
        return pid
    code = 0
    try:
        grading_worker(queues=[queue], interval=0.05, batch=True, name=f"autograde-{index}").run()
    except BaseException:
        log.exception("Grading worker %s stopped", index)
        code = 1
    finally:
        connections.close_all()
        os._exit(code)

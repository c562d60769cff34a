"""Running several grading workers from one process, for ``autograde --wait``.

Each worker is django-tasks-db's own ``Worker`` loop in batch mode, the same
code as ``manage.py db_worker --batch``. They are forked from a parent that
has already imported Django, nbgrader and nbformat, loaded the pending
assignments and started the kernel fork server, so none of that is paid again
per worker.
"""

import logging
import os
import uuid

from django.db import connections
from django_tasks_db.management.commands.db_worker import Worker

from .grading.pipeline import warm_up as pipeline_warm_up
from .grading.sandbox import ForkServer, check_sandbox_can_run_kernels
from .models import Assignment, Grading
from .selectors import assignment_spec, sandbox_user

log = logging.getLogger(__name__)


def worker_warm_up() -> None:
    """Pay a grading process's one-time costs before the first submission waits for them."""
    ForkServer.start()  # its imports run while this process does the rest
    pipeline_warm_up()
    check_sandbox_can_run_kernels(sandbox_user())
    pending = Grading.objects.filter(status=Grading.Status.QUEUED).values("submission__assignment")
    for assignment in Assignment.objects.filter(pk__in=pending):
        assignment_spec(assignment=assignment)
    ForkServer.warm_up()


def default_worker_count() -> int:
    """One more worker than cores: each waits on its kernel part of the time (measured on 2 cores:
    3 workers grade the benchmark course 15% faster than 2, and 4 are slower again)."""
    return (os.cpu_count() or 1) + 1


def grading_workers_run(*, count: int, queue: str = "default") -> None:
    """Grade everything queued with ``count`` forked workers; returns when the queue is empty."""
    worker_warm_up()
    connections.close_all()
    children = []
    for index in range(count):
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                Worker(
                    queue_names=[queue], interval=0.05, batch=True, backend_name="default",
                    startup_delay=False, max_tasks=None, worker_id=f"autograde-{index}-{uuid.uuid4().hex[:8]}",
                    excluded_queue_names=[],
                ).run()  # fmt: skip
            except BaseException:
                log.exception("Grading worker %s stopped", index)
                code = 1
            finally:
                connections.close_all()
                os._exit(code)
        children.append(pid)
    for pid in children:
        os.waitpid(pid, 0)

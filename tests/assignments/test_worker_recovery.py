"""Nothing stuck after a crash: workers queue again what a dead worker held, and skip replaced versions."""

import contextlib
import datetime
import logging
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
import time_machine
from django.conf import settings
from django.db.utils import OperationalError
from django.utils import timezone

from assignments.grading.pipeline import GradingOutcome
from assignments.models import Grading
from assignments.services import (
    SUPERSEDED_NOTE,
    grading_lease,
    grading_regrade,
    grading_run,
    submission_create,
)
from assignments.workers import grading_worker
from tests.factories import UserFactory, resident_in

from .conftest import ANSWER_CELLS, answered, open_assignment, source_notebook

ROOT = Path(settings.BASE_DIR)


@pytest.fixture
def graded_without_kernels(monkeypatch):
    """Grading that stores an empty outcome instead of running kernels; records what it graded."""
    graded = []

    def fake_grade_submission(**kwargs):
        graded.append(kwargs["files"])
        return GradingOutcome(cells=[], notes=[], graded_notebooks={}, max_score=0)

    monkeypatch.setattr("assignments.services.runs.grade_submission", fake_grade_submission)
    return graded


class WorkerKilled(BaseException):
    """What kill -9 does to a worker's Python: nothing after it runs, no except clause sees it."""


def _worker():
    return grading_worker(queues=["default"], interval=0.1, batch=True, name="test")


@pytest.mark.django_db
def test_a_worker_queues_again_a_grading_whose_lease_ran_out(
    cohort, monkeypatch, django_capture_on_commit_callbacks
):
    """A worker died mid-grade: once its lease runs out, does the next worker's look put it back in the queue?"""
    kai = resident_in(cohort, username="kai")
    assignment = open_assignment(cohort, "ps1", *ANSWER_CELLS)
    submission = submission_create(assignment=assignment, resident=kai, files=answered(assignment))
    grading = Grading.objects.get(submission=submission)

    def killed_mid_grade(**kwargs):
        raise WorkerKilled

    monkeypatch.setattr("assignments.services.runs.grade_submission", killed_mid_grade)
    claimed_at = timezone.now()
    with time_machine.travel(claimed_at, tick=False), pytest.raises(WorkerKilled):
        grading_run(grading_id=grading.pk)
    grading.refresh_from_db()
    assert grading.status == Grading.Status.RUNNING and grading.attempts == 1
    lease = grading_lease(notebooks=1)

    with time_machine.travel(claimed_at + lease - datetime.timedelta(seconds=1), tick=False):
        assert _worker().requeue_stale() == 0, (
            "a slow worker keeps its grading until the lease ends"
        )
    with (
        time_machine.travel(claimed_at + lease + datetime.timedelta(seconds=1), tick=False),
        django_capture_on_commit_callbacks() as enqueued,
    ):
        assert _worker().requeue_stale() == 1
    grading.refresh_from_db()
    assert grading.status == Grading.Status.QUEUED and grading.lease_expires_at is None
    assert len(enqueued) == 1, "a grading task is queued again, not only the row's status"


@pytest.mark.django_db
def test_a_locked_database_only_delays_the_look_for_lost_gradings(monkeypatch, caplog):
    """When SQLite is busy, does the worker log it and carry on instead of stopping?"""

    def locked(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr("assignments.workers.gradings_requeue_stale", locked)
    with caplog.at_level(logging.WARNING, logger="assignments.workers"):
        assert _worker().requeue_stale() == 0
    assert "Database locked" in caplog.text


@pytest.mark.django_db
def test_a_version_replaced_before_grading_is_skipped_but_a_regrade_is_not(
    cohort, graded_without_kernels
):
    """Is a never-graded version that a newer one replaced skipped with a note, while a version
    graded before and then sent back for regrading is graded again?"""
    kai = resident_in(cohort, username="kai")
    assignment = open_assignment(cohort, "ps1", *ANSWER_CELLS)
    first = submission_create(assignment=assignment, resident=kai, files=answered(assignment))
    second = submission_create(assignment=assignment, resident=kai, files=answered(assignment))

    skipped = grading_run(grading_id=first.grading.pk)
    assert skipped.status == Grading.Status.SKIPPED
    assert skipped.notes == SUPERSEDED_NOTE.format(newer=2)
    assert graded_without_kernels == [], "a replaced version costs no kernel"

    graded = grading_run(grading_id=second.grading.pk)
    assert graded.status == Grading.Status.GRADED
    third = submission_create(assignment=assignment, resident=kai, files=answered(assignment))
    grading_regrade(grading=graded, by=UserFactory(username="staffer"))
    regraded = grading_run(grading_id=graded.pk)
    assert regraded.status == Grading.Status.GRADED and regraded.notes == ""
    assert len(graded_without_kernels) == 2, (
        "staff asked for it: graded again though version 3 exists"
    )
    assert third.grading.status == Grading.Status.QUEUED


# The real-process test: a notebook whose answer cell sleeps, limits that make the lease short.
SLEEP_SECONDS = 6
NOTEBOOK_TIMEOUT, LEASE_MARGIN = 15, 5
LEASE_SECONDS = NOTEBOOK_TIMEOUT + LEASE_MARGIN

SETUP = """
import datetime
from pathlib import Path
from django.utils import timezone
from assignments.services import assignment_create, submission_create
from lms.cohorts.models import Cohort
from lms.cohorts.services import resident_enroll
from lms.people.models import Role, User
from lms.people.services import role_group
now, today = timezone.now(), timezone.localdate()
cohort = Cohort.objects.create(
    name="Recovery", slug="recovery", start_date=today - datetime.timedelta(days=today.weekday() + 7)
)
kai = User.objects.create_user(username="kai")
kai.groups.add(role_group(role=Role.RESIDENT))
resident_enroll(cohort=cohort, resident=kai)
notebook = Path(NOTEBOOK).read_bytes()
assignment = assignment_create(
    cohort=cohort, name="slow", files={"slow.ipynb": notebook},
    release_at=now - datetime.timedelta(days=1), due_at=now + datetime.timedelta(days=1),
)
submission_create(assignment=assignment, resident=kai, files={"slow.ipynb": notebook})
"""


def _descendants(pid: int) -> list[int]:
    """Every process below ``pid``, found through /proc: kernels leave the worker's group."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except (FileNotFoundError, ProcessLookupError):
            continue  # it ended while we looked
        parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = [], [pid]
    while frontier:
        children = [child for child, parent in parents.items() if parent in frontier]
        found += children
        frontier = children
    return found


def _kill_worker(worker: subprocess.Popen) -> None:
    """kill -9 the worker, its fork server and the kernels in their own sessions, all at once.

    The worker's group is stopped first, so no kernel is forked while the tree is read.
    """
    if worker.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(worker.pid, signal.SIGSTOP)
    groups = {worker.pid}
    for pid in _descendants(worker.pid):
        with contextlib.suppress(ProcessLookupError):
            groups.add(os.getpgid(pid))
    for group in groups:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGKILL)
    worker.wait(timeout=10)


def _kernel_below(worker: subprocess.Popen) -> bool:
    """Whether the worker has a kernel running: a process below it in a session of its own."""
    for pid in _descendants(worker.pid):
        try:
            if os.getsid(pid) != worker.pid:
                return True
        except ProcessLookupError:
            continue
    return False


def _grading(database: Path) -> tuple[str, int]:
    with sqlite3.connect(database, timeout=10) as db:
        row = db.execute("SELECT status, attempts FROM assignments_grading").fetchone()
    return row or ("", 0)


def _wait_for(condition, *, seconds: float, what: str, logs: list[Path]) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            tails = "\n".join(f"--- {log.name}\n{log.read_text()[-3000:]}" for log in logs)
            pytest.fail(f"{what} within {seconds:.0f} s\n{tails}")
        time.sleep(0.2)


@pytest.mark.grading
def test_a_killed_worker_leaves_nothing_stuck(tmp_path):
    """kill -9 a grading worker and its kernel mid-grade, start another, type nothing more:
    is the hand-in graded once the dead worker's lease runs out?"""
    database = tmp_path / "lms.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.dev",
        "LMS_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{database}",
        "SECRET_KEY": "worker-recovery-test-only",
        "DEBUG": "false",
        "LMS_GRADER_CELL_TIMEOUT": str(NOTEBOOK_TIMEOUT),
        "LMS_GRADER_NOTEBOOK_TIMEOUT": str(NOTEBOOK_TIMEOUT),
        "LMS_GRADING_LEASE_MARGIN_SECONDS": str(LEASE_MARGIN),
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    notebook = tmp_path / "slow.ipynb"
    notebook.write_text(
        nbformat.writes(
            source_notebook(
                ("solution", "answer", f"import time\ntime.sleep({SLEEP_SECONDS})"),
                ("test", "check", "assert True", 1),
            )
        )
    )
    subprocess.run([*manage, "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    subprocess.run(
        [*manage, "shell", "-v0", "-c", f"NOTEBOOK = {str(notebook)!r}\n{SETUP}"],
        env=env, cwd=ROOT, check=True,
    )  # fmt: skip
    workers: list[subprocess.Popen] = []
    logs: list[Path] = []

    def start_worker() -> subprocess.Popen:
        log = tmp_path / f"worker-{len(workers) + 1}.log"
        logs.append(log)
        with log.open("w") as out:
            workers.append(
                subprocess.Popen(
                    [*manage, "grading_worker", "--queues", "default", "--interval", "0.1"],
                    env=env,
                    cwd=ROOT,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )  # fmt: skip
            )
        return workers[-1]

    try:
        first = start_worker()
        _wait_for(
            lambda: _grading(database)[0] == "running", seconds=60,
            what="the first worker never started grading", logs=logs,
        )  # fmt: skip
        _wait_for(
            lambda: _kernel_below(first), seconds=20, what="no kernel ever ran the hand-in", logs=logs,
        )  # fmt: skip
        _kill_worker(first)
        assert _grading(database) == ("running", 1), "the dead worker's lease is all that is left"

        start_worker()
        _wait_for(
            lambda: _grading(database)[0] == "graded", seconds=LEASE_SECONDS + 60,
            what="the hand-in was not graded after the worker died", logs=logs,
        )  # fmt: skip
        assert _grading(database) == ("graded", 2), "graded on the second attempt"
    finally:
        for worker in workers:
            _kill_worker(worker)

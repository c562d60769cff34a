"""Grading runs: claiming a queued grading under a lease, running the sandbox, storing the outcome.

A worker that dies mid-grade leaves a lease; every other worker looks for leases
that ran out every few seconds and queues those gradings again.
"""

import datetime
import logging
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django_tasks import task

from common import datafolder
from lms.people.models import User

from .. import policy
from ..formats import plain
from ..grading.pipeline import grade_submission
from ..models import CellGrade, GradeChange, Grading, Submission
from ..selectors import (
    assignment_spec,
    grader_limits,
    sandbox_user,
)
from .feedback import enqueue_feedback_on_commit
from .grades import grading_score_apply

log = logging.getLogger(__name__)


def grading_lease(*, notebooks: int) -> datetime.timedelta:
    """How long a worker may hold a grading: every notebook's time limit, plus a margin for
    writing files, starting kernels and storing the result. A lease that runs out means
    the worker is gone, never that it is merely slow."""
    limits = grader_limits()
    margin = settings.LMS_GRADING_LEASE_MARGIN_SECONDS
    return datetime.timedelta(seconds=limits.notebook_timeout * max(notebooks, 1) + margin)


def enqueue_on_commit(grading: Grading) -> None:
    transaction.on_commit(lambda: grade_submission_task.enqueue(grading.pk))


@transaction.atomic
def gradings_queue(*, gradings) -> int:
    """Queue these gradings (again): for a regrade, or after a worker was lost."""
    count = 0
    for grading in gradings:
        Grading.objects.filter(pk=grading.pk).update(
            status=Grading.Status.QUEUED, queued_at=timezone.now(), lease_expires_at=None, error=""
        )
        enqueue_on_commit(grading)
        count += 1
    return count


def gradings_requeue_stale(*, now: datetime.datetime | None = None) -> int:
    """Queue again gradings whose worker vanished (killed, machine lost) mid-grade.

    Every grading worker runs this every few seconds (``assignments.workers.GradingWorker``),
    so a lost grading comes back within seconds of its lease running out.
    """
    with transaction.atomic():
        stale = list(
            Grading.objects.select_for_update(skip_locked=True).filter(
                status=Grading.Status.RUNNING, lease_expires_at__lt=now or timezone.now()
            )
        )
        if stale:
            log.warning("Queueing again %d grading(s) whose worker was lost", len(stale))
        return gradings_queue(gradings=stale)


def _claim(grading_id: int) -> Grading | None:
    """Mark a grading as running under a lease; None when another worker has it or it is done."""
    grading = (
        Grading.objects.select_related("submission__assignment__cohort", "submission__resident")
        .filter(pk=grading_id)
        .first()
    )
    if grading is None:
        return None
    now = timezone.now()
    notebooks = grading.submission.assignment.files.filter(kind="source").count()
    with transaction.atomic():
        claimed = (
            Grading.objects.filter(pk=grading_id)
            .filter(
                Q(status=Grading.Status.QUEUED)
                | Q(status=Grading.Status.RUNNING, lease_expires_at__lt=now)
            )
            .update(
                status=Grading.Status.RUNNING,
                started_at=now,
                lease_expires_at=now + grading_lease(notebooks=notebooks),
                attempts=F("attempts") + 1,
                error="",
            )
        )
    if not claimed:
        return None
    grading.refresh_from_db()
    return grading


SUPERSEDED_NOTE = "Not graded: version {newer} replaced this one before it was graded."


def _superseded_by(grading: Grading) -> int | None:
    """The newer version that replaced this never-graded one for good, if any."""
    if grading.finished_at is not None:
        return None  # graded before: this is a regrade someone asked for
    submission = grading.submission
    newest = Submission.objects.filter(
        assignment=submission.assignment_id, resident=submission.resident_id
    ).aggregate(newest=Max("version"))["newest"]
    newer = (newest or 0) - submission.version
    if policy.replaced_for_good(late_rule=submission.assignment.late_policy, newer_versions=newer):
        return newest
    return None


_data_dir_closed = False


def data_dir_close() -> None:
    """Close the data folder (database, secret key, uploads) to student code, once per worker.

    Kernels run as an unprivileged user that can read whatever is
    world-readable; only residents' homes stay reachable, each to its owner.
    """
    global _data_dir_closed
    if _data_dir_closed:
        return
    datafolder.data_dir_close(Path(settings.LMS_DATA_DIR))
    _data_dir_closed = True


def grading_run(*, grading_id: int) -> Grading | None:
    """Grade one submission in the sandbox and store its grades and lateness at once.

    A version that a newer one replaced while it waited is skipped, not graded.
    """
    data_dir_close()
    grading = _claim(grading_id)
    if grading is None:
        return None
    newer = _superseded_by(grading)
    if newer is not None:
        Grading.objects.filter(pk=grading_id).update(
            status=Grading.Status.SKIPPED, finished_at=timezone.now(), lease_expires_at=None,
            notes=SUPERSEDED_NOTE.format(newer=newer),
        )  # fmt: skip
        grading.refresh_from_db()
        return grading
    submission = grading.submission
    files = {f.path: bytes(f.content) for f in submission.files.all()}
    try:
        outcome = grade_submission(
            spec=assignment_spec(assignment=submission.assignment),
            files=files,
            limits=grader_limits(),
            sandbox_user=sandbox_user(),
            cache_dir=settings.LMS_GRADER_CACHE_DIR,
            isolate_network=settings.LMS_GRADER_ISOLATE_NETWORK,
        )
    except Exception as error:  # the resident sees a reason; staff see the log
        log.exception("Grading %s failed", grading_id)
        Grading.objects.filter(pk=grading_id).update(
            status=Grading.Status.FAILED,
            finished_at=timezone.now(),
            lease_expires_at=None,
            error=f"{error.__class__.__name__}: {error}"[:2000],
        )
        grading.refresh_from_db()
        return grading
    _store_outcome(grading, outcome)
    grading.refresh_from_db()
    return grading


@transaction.atomic
def _store_outcome(grading: Grading, outcome) -> None:
    """Store a grading run's cells, keeping what graders wrote by hand.

    A regrade updates cells in place: points and comments a grader gave stay
    (within the cell's new maximum), and so does their history.
    """
    existing = {(c.notebook, c.grade_id): c for c in grading.cells.all()}
    fresh, updated = [], []
    for cell in outcome.cells:
        stored = existing.pop((cell.notebook, cell.grade_id), None) or CellGrade(
            grading=grading, notebook=cell.notebook, grade_id=cell.grade_id
        )
        stored.kind, stored.auto_score, stored.max_score = (
            cell.kind,
            cell.auto_score,
            cell.max_score,
        )
        stored.hidden_tests, stored.output = cell.hidden_tests, cell.output
        if stored.manual_score is not None:
            stored.manual_score = min(stored.manual_score, cell.max_score)
        stored.needs_manual_grade = cell.needs_manual_grade and stored.manual_score is None
        (updated if stored.pk else fresh).append(stored)
    CellGrade.objects.bulk_create(fresh)
    CellGrade.objects.bulk_update(
        updated,
        ["kind", "auto_score", "max_score", "hidden_tests", "output", "manual_score",
         "needs_manual_grade"],
    )  # fmt: skip
    CellGrade.objects.filter(pk__in=[c.pk for c in existing.values()]).delete()
    grading.status = Grading.Status.GRADED
    grading.finished_at = timezone.now()
    grading.lease_expires_at = None
    grading.max_score = outcome.max_score
    grading.raw_score = outcome.raw_score
    grading.needs_manual_grading = policy.needs_grader(fresh + updated)
    grading.notes = "\n".join(outcome.notes)
    grading.graded_notebooks = dict(outcome.graded_notebooks)
    grading.feedback_html = ""
    grading.feedback_files = {}
    grading.error = ""
    grading_score_apply(grading, cells=fresh + updated)
    grading.save()
    enqueue_feedback_on_commit(grading)


def grading_regrade(*, grading: Grading, by: User) -> None:
    """Grade a version again, keeping hand-given points; the request is recorded in the history."""
    GradeChange.objects.create(
        grading=grading, what=GradeChange.What.REGRADE, changed_by=by,
        old="" if grading.score is None else plain(grading.score), new="queued",
    )  # fmt: skip
    gradings_queue(gradings=[grading])


# Grading goes before feedback: a resident waits for the grade, feedback can follow.
GRADING_PRIORITY = 10


@task(priority=GRADING_PRIORITY)
def grade_submission_task(grading_id: int) -> None:
    """The grading worker's entry point: it receives an id, and the service does the rest."""
    grading_run(grading_id=grading_id)

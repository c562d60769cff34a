"""Writes about assignments: uploads, submissions, grading runs, lateness, extensions, progress."""

import datetime
import hashlib
import logging
import math
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import nbformat
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone

from lms import datadir
from lms.cohorts.models import Cohort
from lms.people.models import User

from .grading import nbgrader_adapter as nbg
from .grading.pipeline import SubmissionProblem, grade_submission, read_notebook, render_feedback
from .models import (
    Assignment,
    AssignmentFile,
    CellGrade,
    Extension,
    GradeChange,
    Grading,
    LatePolicy,
    Submission,
    SubmissionFile,
)
from .selectors import (
    assignment_spec,
    assignment_week_number,
    counting_submission,
    effective_due_at,
    feedback_visible,
    grader_limits,
    sandbox_user,
)

log = logging.getLogger(__name__)

NAME_TAKEN = "This cohort already has an assignment called {name!r}."
NO_NOTEBOOKS = "Upload at least one notebook (.ipynb)."
BAD_PATH = "{path!r} is not allowed as a file name: use a relative path without '..'."
TOO_MANY_FILES = "A submission can hold at most {limit} files; this one has {count}."
TOO_LARGE = "{path} is {size} bytes; the limit is {limit} bytes."
SUBMISSION_TOO_LARGE = "The files add up to {size} bytes; the limit is {limit} bytes."
NOT_RELEASED = "{name} is not released yet."
NOT_IN_COHORT = "{user} is not a resident of {cohort}."
LATE_REFUSED = "{name} was due {due}; this assignment does not accept late work."
NOT_A_NBGRADER_NOTEBOOK = "{name} has no nbgrader cells: create it with nbgrader's cell toolbar."
EMPTY_SUBMISSION = "The submission holds no files."
KEY_REUSED = "This submission key was already used for another assignment; send a new one."

GRADING_LEASE = datetime.timedelta(minutes=15)


class AssignmentUploadError(ValidationError):
    """An upload refused as a whole; nothing of it was stored."""


class SubmissionError(ValidationError):
    """A submission refused as a whole; nothing of it was stored."""


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def safe_relative_path(path: str) -> str:
    """Normalise an uploaded file name, refusing absolute paths, '..' and hidden tricks."""
    cleaned = path.replace("\\", "/").strip()
    parts = PurePosixPath(cleaned).parts
    if (
        not cleaned
        or cleaned.startswith("/")
        or any(part in ("..", "") for part in parts)
        or ":" in parts[0]
        or "\x00" in cleaned
        or len(cleaned) > 255
    ):
        raise ValidationError(BAD_PATH.format(path=path))
    return str(PurePosixPath(*parts))


def _check_files(files: dict[str, bytes], error_class) -> dict[str, bytes]:
    limits = settings.LMS_SUBMISSION_LIMITS
    if len(files) > limits["max_files"]:
        raise error_class(TOO_MANY_FILES.format(limit=limits["max_files"], count=len(files)))
    checked, total = {}, 0
    for path, content in files.items():
        try:
            clean = safe_relative_path(path)
        except ValidationError as error:
            raise error_class(error.messages[0]) from None
        if len(content) > limits["max_file_bytes"]:
            raise error_class(
                TOO_LARGE.format(path=clean, size=len(content), limit=limits["max_file_bytes"])
            )
        total += len(content)
        checked[clean] = content
    if total > limits["max_total_bytes"]:
        raise error_class(SUBMISSION_TOO_LARGE.format(size=total, limit=limits["max_total_bytes"]))
    return checked


@transaction.atomic
def assignment_create(
    *,
    cohort: Cohort,
    name: str,
    files: dict[str, bytes],
    release_at: datetime.datetime,
    due_at: datetime.datetime,
    title: str = "",
    week=None,
    lesson=None,
    late_policy: str = LatePolicy.PER_DAY,
    late_penalty_percent_per_day: int = 10,
    show_hidden_tests_in_feedback: bool = False,
    feedback_policy: str = "automatic",
) -> Assignment:
    """Validate nbgrader source notebooks, generate the release version, and store both.

    Every notebook goes through nbgrader's own checks; a refused upload names
    the notebook, the cell and the reason, and leaves nothing behind.
    """
    files = _check_files(files, AssignmentUploadError)
    if Assignment.objects.filter(cohort=cohort, name=name).exists():
        raise AssignmentUploadError(NAME_TAKEN.format(name=name))
    notebooks = {p: c for p, c in files.items() if p.endswith(".ipynb")}
    if not notebooks:
        raise AssignmentUploadError(NO_NOTEBOOKS)
    sources = {}
    for path, content in notebooks.items():
        try:
            nb = read_notebook(path, content)
        except SubmissionProblem as problem:
            raise AssignmentUploadError(str(problem)) from None
        if not nbg.is_nbgrader_notebook(nb):
            raise AssignmentUploadError(NOT_A_NBGRADER_NOTEBOOK.format(name=path))
        sources[path[: -len(".ipynb")]] = nb
    with tempfile.TemporaryDirectory() as scratch:
        try:
            released = nbg.generate_release(
                assignment=name, sources=sources, gradebook_path=Path(scratch) / "gradebook.db"
            )
        except nbg.SourceNotebookError as error:
            raise AssignmentUploadError(str(error)) from None
    assignment = Assignment(
        cohort=cohort, name=name, title=title or name, week=week, lesson=lesson,
        release_at=release_at, due_at=due_at, late_policy=late_policy,
        late_penalty_percent_per_day=late_penalty_percent_per_day,
        show_hidden_tests_in_feedback=show_hidden_tests_in_feedback, max_score=released.max_score,
        feedback_policy=feedback_policy,
    )  # fmt: skip
    assignment.full_clean()
    assignment.save()
    stored = []
    for path, content in files.items():
        kind = AssignmentFile.Kind.SOURCE if path in notebooks else AssignmentFile.Kind.SUPPORT
        stored.append(
            AssignmentFile(
                assignment=assignment,
                kind=kind,
                path=path,
                content=content,
                sha256=_sha256(content),
                size=len(content),
            )
        )
    for notebook in released.notebooks:
        content = nbg.notebook_bytes(notebook.release)
        stored.append(
            AssignmentFile(
                assignment=assignment,
                kind=AssignmentFile.Kind.RELEASE,
                path=f"{notebook.name}.ipynb",
                content=content,
                sha256=_sha256(content),
                size=len(content),
            )
        )
    AssignmentFile.objects.bulk_create(stored)
    return assignment


def submission_checksum(files: dict[str, bytes]) -> str:
    manifest = "\n".join(f"{path}\t{_sha256(content)}" for path, content in sorted(files.items()))
    return _sha256(manifest.encode())


def submission_create(
    *,
    assignment: Assignment,
    resident: User,
    files: dict[str, bytes],
    submitted_at: datetime.datetime | None = None,
    origin: str = Submission.Origin.JUPYTER,
    submitted_by: User | None = None,
    enforce_release: bool = True,
    client_key: str = "",
) -> Submission:
    """Store a new, immutable submission version and queue it for grading.

    Returns at once: grading happens in a worker. Concurrent submissions of
    the same resident get consecutive versions; nothing is overwritten. A
    ``client_key`` seen before returns the submission it already made, so a
    client retrying after a lost response never stores a duplicate.
    """
    if client_key:
        existing = Submission.objects.filter(resident=resident, client_key=client_key).first()
        if existing is not None and existing.assignment_id != assignment.pk:
            raise SubmissionError(KEY_REUSED)
        if existing is not None:
            return existing
    files = _check_files(files, SubmissionError)
    if not files:
        raise SubmissionError(EMPTY_SUBMISSION)
    submitted_at = submitted_at or timezone.now()
    if not assignment.cohort.enrollments.filter(resident=resident).exists():
        raise SubmissionError(
            NOT_IN_COHORT.format(user=resident.username, cohort=assignment.cohort)
        )
    if enforce_release and submitted_at < assignment.release_at:
        raise SubmissionError(NOT_RELEASED.format(name=assignment.name))
    due = effective_due_at(assignment=assignment, resident=resident)
    if assignment.late_policy == LatePolicy.REFUSE and submitted_at > due:
        raise SubmissionError(
            LATE_REFUSED.format(
                name=assignment.name, due=timezone.localtime(due).strftime("%b %d, %H:%M %Z")
            )
        )
    checksum = submission_checksum(files)
    for attempt in range(5):
        try:
            return _store_submission(
                assignment, resident, files, submitted_at, origin, submitted_by, checksum,
                client_key,
            )  # fmt: skip
        except IntegrityError:
            if client_key:
                existing = Submission.objects.filter(
                    resident=resident, client_key=client_key, assignment=assignment
                ).first()
                if existing is not None:
                    return existing
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


@transaction.atomic
def _store_submission(
    assignment, resident, files, submitted_at, origin, submitted_by, checksum, client_key=""
) -> Submission:
    latest = (
        Submission.objects.filter(assignment=assignment, resident=resident).aggregate(
            v=Max("version")
        )["v"]
        or 0
    )
    submission = Submission.objects.create(
        assignment=assignment, resident=resident, version=latest + 1, submitted_at=submitted_at,
        checksum=checksum, submitted_by=submitted_by or resident, origin=origin,
        client_key=client_key,
    )  # fmt: skip
    SubmissionFile.objects.bulk_create(
        SubmissionFile(
            submission=submission,
            path=path,
            content=content,
            sha256=_sha256(content),
            size=len(content),
        )
        for path, content in files.items()
    )
    grading = Grading.objects.create(submission=submission, queued_at=timezone.now())
    _enqueue_on_commit(grading)
    return submission


def _enqueue_on_commit(grading: Grading) -> None:
    from .tasks import grade_submission_task

    transaction.on_commit(lambda: grade_submission_task.enqueue(grading.pk))


@transaction.atomic
def gradings_queue(*, gradings) -> int:
    """Queue these gradings (again): for a regrade, or after a worker was lost."""
    count = 0
    for grading in gradings:
        Grading.objects.filter(pk=grading.pk).update(
            status=Grading.Status.QUEUED, queued_at=timezone.now(), lease_expires_at=None, error=""
        )
        _enqueue_on_commit(grading)
        count += 1
    return count


def gradings_requeue_stale() -> int:
    """Queue again gradings whose worker vanished (killed, machine lost) mid-grade."""
    stale = Grading.objects.filter(
        status=Grading.Status.RUNNING, lease_expires_at__lt=timezone.now()
    )
    return gradings_queue(gradings=list(stale))


def _claim(grading_id: int) -> Grading | None:
    """Mark a grading as running; None when another worker has it or it is already done."""
    now = timezone.now()
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
                lease_expires_at=now + GRADING_LEASE,
                error="",
            )
        )
        if not claimed:
            return None
        Grading.objects.filter(pk=grading_id).update(attempts=F("attempts") + 1)
    return Grading.objects.select_related(
        "submission__assignment__cohort", "submission__resident"
    ).get(pk=grading_id)


_data_dir_closed = False


def data_dir_close() -> None:
    """Close the data folder (database, secret key, uploads) to student code, once per worker.

    Kernels run as an unprivileged user that can read whatever is
    world-readable; only residents' homes stay reachable, each to its owner.
    """
    global _data_dir_closed
    if _data_dir_closed:
        return
    datadir.data_dir_close(Path(settings.LMS_DATA_DIR))
    _data_dir_closed = True


def grading_run(*, grading_id: int) -> Grading | None:
    """Grade one submission in the sandbox and store its grades, lateness and progress at once."""
    data_dir_close()
    grading = _claim(grading_id)
    if grading is None:
        return None
    submission = grading.submission
    assignment = submission.assignment
    files = {f.path: bytes(f.content) for f in submission.files.all()}
    try:
        outcome = grade_submission(
            spec=assignment_spec(assignment=assignment),
            student=submission.resident.username,
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
    grading.needs_manual_grading = any(c.needs_manual_grade for c in fresh + updated)
    grading.notes = "\n".join(outcome.notes)
    grading.graded_notebooks = dict(outcome.graded_notebooks)
    grading.feedback_html = ""
    grading.feedback_files = {}
    grading.error = ""
    _apply_lateness(grading)
    grading.save()
    progress_record_refresh(
        resident=grading.submission.resident, assignment=grading.submission.assignment
    )
    _enqueue_feedback_on_commit(grading)


def _enqueue_feedback_on_commit(grading: Grading) -> None:
    from .tasks import render_feedback_task

    transaction.on_commit(lambda: render_feedback_task.enqueue(grading.pk))


def feedback_render(*, grading_id: int) -> Grading:
    """Render feedback from the stored grades (automatic and manual) in nbgrader's template."""
    grading = Grading.objects.select_related("submission__assignment", "submission__resident").get(
        pk=grading_id
    )
    if grading.status != Grading.Status.GRADED or not grading.graded_notebooks:
        return grading
    grades = [(c.notebook, c.grade_id, c.auto_score, c.manual_score) for c in grading.cells.all()]
    html = render_feedback(
        spec=assignment_spec(assignment=grading.submission.assignment),
        student=grading.submission.resident.username,
        graded_notebooks={
            name: nbformat.from_dict(nb) for name, nb in grading.graded_notebooks.items()
        },
        grades=grades,
        cache_dir=settings.LMS_GRADER_CACHE_DIR,
    )
    Grading.objects.filter(pk=grading_id).update(
        feedback_html="\n".join(html[name] for name in sorted(html)), feedback_files=html
    )
    grading.refresh_from_db()
    if feedback_visible(assignment=grading.submission.assignment, grading=grading):
        _feedback_notify(grading)
    return grading


def _feedback_notify(grading: Grading) -> None:
    """Tell the resident their feedback is there: once per graded version."""
    from lms.notifications.models import Kind
    from lms.notifications.services import notify

    assignment = grading.submission.assignment
    title = assignment.title or assignment.name
    score = (
        ""
        if grading.score is None
        else f" You scored {_plain(grading.score)} of {_plain(grading.max_score)}."
    )
    notify(
        user=grading.submission.resident,
        kind=Kind.FEEDBACK,
        key=f"feedback-{grading.pk}",
        subject=f"Feedback on {title}",
        body=f"Feedback on {title} (version {grading.submission.version}) is ready.{score}\n\n"
        "Read it on your progress page, or fetch it into JupyterLab from the Assignments panel.",
        url=reverse("assignments:progress"),
    )


def late_penalty(*, assignment: Assignment, raw_score: float, seconds_late: int) -> float:
    """Points taken off for lateness under the assignment's policy."""
    if seconds_late <= 0 or raw_score <= 0:
        return 0.0
    if assignment.late_policy == LatePolicy.ZERO:
        return raw_score
    if assignment.late_policy == LatePolicy.PER_DAY:
        days = math.ceil(seconds_late / 86400)
        return min(
            raw_score, round(raw_score * assignment.late_penalty_percent_per_day / 100 * days, 6)
        )
    return 0.0


def _apply_lateness(grading: Grading) -> None:
    submission = grading.submission
    due = effective_due_at(assignment=submission.assignment, resident=submission.resident)
    grading.seconds_late = max(0, int((submission.submitted_at - due).total_seconds()))
    raw = grading.raw_score or 0
    manual = sum(
        c.manual_score - (c.auto_score or 0)
        for c in grading.cells.all()
        if c.manual_score is not None
    )
    raw = max(0.0, raw + manual) if manual else raw
    grading.late_penalty = late_penalty(
        assignment=submission.assignment, raw_score=raw, seconds_late=grading.seconds_late
    )
    grading.score = max(0.0, raw - grading.late_penalty) if grading.raw_score is not None else None


@transaction.atomic
def lateness_recompute(*, assignment: Assignment, resident: User | None = None) -> int:
    """Recompute lateness and penalties after a due date changes or an extension is granted."""
    gradings = (
        Grading.objects.filter(submission__assignment=assignment, status=Grading.Status.GRADED)
        .select_related("submission__resident", "submission__assignment")
        .prefetch_related("cells")
    )
    if resident is not None:
        gradings = gradings.filter(submission__resident=resident)
    residents = set()
    for grading in gradings:
        _apply_lateness(grading)
        grading.save(update_fields=["seconds_late", "late_penalty", "score"])
        residents.add(grading.submission.resident)
    for person in residents:
        progress_record_refresh(resident=person, assignment=assignment)
    return len(residents)


@transaction.atomic
def assignment_due_change(*, assignment: Assignment, due_at: datetime.datetime) -> Assignment:
    assignment.due_at = due_at
    assignment.full_clean()
    assignment.save(update_fields=["due_at"])
    lateness_recompute(assignment=assignment)
    for enrollment in assignment.cohort.enrollments.select_related("resident"):
        progress_record_refresh(resident=enrollment.resident, assignment=assignment)
    return assignment


@transaction.atomic
def extension_grant(
    *,
    assignment: Assignment,
    resident: User,
    due_at: datetime.datetime,
    granted_by: User | None = None,
    reason: str = "",
) -> Extension:
    """Give one resident a later due time; their lateness and penalties follow at once.

    Each grant is also written to the extension history with the due time it replaced.
    """
    from .models import ExtensionChange

    previous = Extension.objects.filter(assignment=assignment, resident=resident).first()
    ExtensionChange.objects.create(
        assignment=assignment, resident=resident,
        old_due_at=previous.due_at if previous else assignment.due_at, new_due_at=due_at,
        reason=reason, changed_by=granted_by,
    )  # fmt: skip
    extension, _ = Extension.objects.update_or_create(
        assignment=assignment,
        resident=resident,
        defaults={"due_at": due_at, "granted_by": granted_by, "reason": reason},
    )
    lateness_recompute(assignment=assignment, resident=resident)
    return extension


@dataclass
class _WeekTotals:
    due: int = 0
    submitted: int = 0
    on_time: int = 0
    score: float = 0.0
    max_score: float = 0.0


def progress_record_refresh(*, resident: User, assignment: Assignment) -> None:
    """Rebuild the resident's record for the week this assignment belongs to."""
    from .models import ProgressRecord

    cohort = assignment.cohort
    week = assignment_week_number(assignment=assignment)
    totals = _WeekTotals()
    for item in Assignment.objects.filter(cohort=cohort).select_related("week"):
        if assignment_week_number(assignment=item) != week:
            continue
        totals.due += 1
        totals.max_score += item.max_score
        submission = counting_submission(assignment=item, resident=resident)
        if submission is None:
            continue
        totals.submitted += 1
        if submission.submitted_at <= effective_due_at(assignment=item, resident=resident):
            totals.on_time += 1
        grading = getattr(submission, "grading", None)
        if (
            grading is not None
            and grading.status == Grading.Status.GRADED
            and grading.score is not None
        ):
            totals.score += min(grading.score, item.max_score)
    percent = round(100 * totals.score / totals.max_score, 1) if totals.max_score else 0.0
    ProgressRecord.objects.update_or_create(
        resident=resident, cohort=cohort, week_number=week,
        defaults={"due": totals.due, "submitted": totals.submitted, "on_time": totals.on_time,
                  "score": round(totals.score, 6), "max_score": totals.max_score, "percent": percent},
    )  # fmt: skip


POINTS_OUT_OF_RANGE = "Points for {cell} must be between 0 and {max:g}."
MANUAL_KIND = "manual answer"


@transaction.atomic
def cell_grade_set(*, cell: CellGrade, points: float | None, comment: str, by: User) -> CellGrade:
    """Grade one cell by hand: points within the cell's maximum and a comment, recorded in history.

    The grading's score, late penalty and "needs a grader" flag, and the
    resident's progress record, follow at once; feedback is rendered again.
    """
    if points is not None and not 0 <= points <= cell.max_score:
        raise ValidationError(POINTS_OUT_OF_RANGE.format(cell=cell.grade_id, max=cell.max_score))
    cell = CellGrade.objects.select_for_update().select_related("grading").get(pk=cell.pk)
    comment = comment.strip()
    changes = []
    if points != cell.manual_score:
        changes.append((GradeChange.What.POINTS, cell.manual_score, points))
    if comment != cell.comment:
        changes.append((GradeChange.What.COMMENT, cell.comment, comment))
    if not changes:
        return cell
    cell.manual_score = points
    cell.comment = comment
    cell.needs_manual_grade = points is None and cell.kind == MANUAL_KIND
    cell.save(update_fields=["manual_score", "comment", "needs_manual_grade"])
    GradeChange.objects.bulk_create(
        GradeChange(
            grading=cell.grading,
            cell=cell,
            what=what,
            changed_by=by,
            old="" if old is None else _plain(old),
            new="" if new is None else _plain(new),
        )  # fmt: skip
        for what, old, new in changes
    )
    grading = (
        Grading.objects.select_related("submission__assignment", "submission__resident")
        .prefetch_related("cells")
        .get(pk=cell.grading_id)
    )
    grading.needs_manual_grading = any(c.needs_manual_grade for c in grading.cells.all())
    _apply_lateness(grading)
    grading.save(update_fields=["needs_manual_grading", "seconds_late", "late_penalty", "score"])
    progress_record_refresh(
        resident=grading.submission.resident, assignment=grading.submission.assignment
    )
    _enqueue_feedback_on_commit(grading)
    return cell


def _plain(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


@transaction.atomic
def feedback_release(*, assignment: Assignment, by: User, resident: User | None = None) -> int:
    """Release feedback to one resident, or to the whole cohort; returns how many gradings it reached."""
    now = timezone.now()
    gradings = Grading.objects.filter(
        submission__assignment=assignment,
        status=Grading.Status.GRADED,
        feedback_released_at__isnull=True,
    )
    if resident is not None:
        gradings = gradings.filter(submission__resident=resident)
    else:
        Assignment.objects.filter(pk=assignment.pk).update(feedback_released_at=now)
    released = list(gradings.select_related("submission__assignment", "submission__resident"))
    Grading.objects.filter(pk__in=[g.pk for g in released]).update(feedback_released_at=now)
    for grading in released:
        if grading.feedback_files:
            _feedback_notify(grading)
    GradeChange.objects.bulk_create(
        GradeChange(
            grading=g,
            what=GradeChange.What.FEEDBACK,
            old="held",
            new="released to the cohort" if resident is None else "released",
            changed_by=by,
        )  # fmt: skip
        for g in released
    )
    return len(released)


def grading_regrade(*, grading: Grading, by: User) -> None:
    """Grade a version again, keeping hand-given points; the request is recorded in the history."""
    GradeChange.objects.create(
        grading=grading, what=GradeChange.What.REGRADE, changed_by=by,
        old="" if grading.score is None else _plain(grading.score), new="queued",
    )  # fmt: skip
    gradings_queue(gradings=[grading])


DUE_SOON_WINDOW = datetime.timedelta(hours=24)


def due_soon_notify(*, now: datetime.datetime | None = None) -> int:
    """E-mail residents who have not handed in work due within a day; once per due time.

    Run every minute by the scheduler. A resident's extension is their due time, and a new
    due time (a moved deadline, an extension) earns a new reminder.
    """
    from lms.notifications.models import Kind
    from lms.notifications.services import notify

    now = now or timezone.now()
    sent = 0
    assignments = Assignment.objects.filter(
        release_at__lte=now, due_at__gt=now - datetime.timedelta(days=30)
    ).select_related("cohort")
    for assignment in assignments:
        extensions = {e.resident_id: e.due_at for e in assignment.extensions.all()}
        handed_in = set(assignment.submissions.values_list("resident_id", flat=True))
        for enrollment in assignment.cohort.enrollments.select_related("resident"):
            resident = enrollment.resident
            due = extensions.get(resident.pk, assignment.due_at)
            if resident.pk in handed_in or not now < due <= now + DUE_SOON_WINDOW:
                continue
            title = assignment.title or assignment.name
            when = timezone.localtime(due)
            sent += bool(
                notify(
                    user=resident,
                    kind=Kind.DUE_SOON,
                    key=f"due-{assignment.pk}-{due:%Y%m%d%H%M}",
                    subject=f"{title} is due {when:%a %-I:%M %p}",
                    body=f"{title} ({assignment.name}) is due {when:%A %b %-d at %-I:%M %p} and we "
                    "have no hand-in from you yet. Submit from JupyterLab's Assignments panel; you "
                    "can hand in again until the deadline.\n\nStuck? Book office hours or ask your mentor.",
                    url=reverse("assignments:progress"),
                )
            )
    return sent

"""Submissions: immutable versions, stored once even when a client retries, and queued for grading."""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from lms.people.models import User

from .. import policy
from ..models import Assignment, Grading, Submission, SubmissionFile
from ..selectors import effective_due_at
from .runs import enqueue_on_commit
from .uploads import SubmissionError, _check_files, _sha256

NOT_RELEASED = "{name} is not released yet."

NOT_IN_COHORT = "{user} is not a resident of {cohort}."

LATE_REFUSED = "{name} was due {due}; this assignment does not accept late work."

EMPTY_SUBMISSION = "The submission holds no files."

KEY_REUSED = "This submission key was already used for another assignment; send a new one."


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
    if policy.refuses_late(late_rule=assignment.late_policy, submitted_at=submitted_at, due=due):
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
    enqueue_on_commit(grading)
    return submission

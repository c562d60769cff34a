"""Assignments, submissions and grades in the database, through the services the web and CLI use."""

import datetime
import json

import nbformat
import pytest
from django.db.models import ProtectedError
from django.utils import timezone

from assignments.models import (
    Assignment,
    AssignmentFile,
    Grading,
    LatePolicy,
    Submission,
    SubmissionFile,
)
from assignments.selectors import counting_submission, resident_progress
from assignments.services import (
    NOT_IN_COHORT,
    NOT_RELEASED,
    TOO_LARGE,
    AssignmentUploadError,
    SubmissionError,
    assignment_create,
    assignment_update,
    extension_grant,
    grading_run,
    gradings_requeue_stale,
    submission_create,
)
from common.archives import BAD_PATH
from tests.factories import CohortFactory, resident_in

from .conftest import source_notebook

pytestmark = pytest.mark.django_db

SOURCE = source_notebook(
    (
        "solution",
        "answer",
        "def answer():\n    ### BEGIN SOLUTION\n    return 42\n    ### END SOLUTION",
    ),
    ("test", "visible", "assert answer() == 42", 2),
    (
        "test",
        "hidden",
        "assert answer() > 0\n### BEGIN HIDDEN TESTS\nassert answer() == 42, 'the secret check'\n### END HIDDEN TESTS",
        3,
    ),
)


def _bytes(nb) -> bytes:
    return nbformat.writes(nb).encode()


def _assignment(cohort, name="ps1", due_in_days=2, **kwargs) -> Assignment:
    now = timezone.now()
    return assignment_create(
        cohort=cohort, name=name, files={"ps1.ipynb": _bytes(SOURCE), "data/tenants.csv": b"id,rent\n1,900\n"},
        release_at=now - datetime.timedelta(days=1), due_at=now + datetime.timedelta(days=due_in_days), **kwargs,
    )  # fmt: skip


def _answer(assignment, code="def answer():\n    return 42") -> bytes:
    release = AssignmentFile.objects.get(assignment=assignment, kind="release", path="ps1.ipynb")
    nb = nbformat.reads(bytes(release.content).decode(), as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "answer":
            cell.source = code
    return _bytes(nb)


@pytest.fixture
def cohort():
    return CohortFactory(
        start_date=timezone.localdate()
        - datetime.timedelta(days=timezone.localdate().weekday() + 7)
    )


@pytest.fixture
def resident(cohort):
    return resident_in(cohort, username="rosa")


def test_upload_generates_the_release_version(cohort):
    """Are solutions and hidden tests stripped from what residents receive, with checksums recorded?"""
    assignment = _assignment(cohort)
    release = bytes(
        AssignmentFile.objects.get(assignment=assignment, kind="release").content
    ).decode()
    assert "return 42" not in release and "the secret check" not in release
    assert "checksum" in release
    assert assignment.max_score == 5
    assert AssignmentFile.objects.filter(
        assignment=assignment, kind="support", path="data/tenants.csv"
    ).exists()


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"ps1.ipynb": b"{not json"}, "not valid JSON"),
        ({"ps1.ipynb": b'{"nbformat": 3, "worksheets": []}'}, "not a version 4 notebook"),
        ({"../escape.ipynb": _bytes(SOURCE)}, BAD_PATH.format(path="../escape.ipynb")),
        ({"/etc/passwd": b"x", "ps1.ipynb": _bytes(SOURCE)}, BAD_PATH.format(path="/etc/passwd")),
        ({"ps1.ipynb": _bytes(SOURCE), "big.csv": b"x" * (10 * 1024 * 1024 + 1)}, "the limit is"),
    ],
)
def test_bad_uploads_are_refused_whole(cohort, files, message):
    """Is a bad upload refused with a clear message, leaving nothing stored?"""
    with pytest.raises(AssignmentUploadError) as error:
        assignment_create(
            cohort=cohort,
            name="bad",
            files=files,
            release_at=timezone.now(),
            due_at=timezone.now() + datetime.timedelta(days=1),
        )
    assert message in " ".join(error.value.messages)
    assert not Assignment.objects.filter(name="bad").exists()
    assert not AssignmentFile.objects.exists()


@pytest.mark.parametrize(
    ("mutate", "reason"),
    [
        (lambda nb: nb.cells[2].metadata.nbgrader.update(grade_id="visible"), "used twice"),
        (lambda nb: nb.cells[1].metadata.nbgrader.update(grade_id="  "), "no grade id"),
        (lambda nb: nb.cells[1].metadata.nbgrader.update(points="lots"), "not a number"),
    ],
)
def test_bad_nbgrader_metadata_names_the_cell(cohort, mutate, reason):
    """Are duplicate ids, blank ids and bad points refused with the cell and the reason?"""
    nb = nbformat.from_dict(json.loads(json.dumps(SOURCE)))
    mutate(nb)
    with pytest.raises(AssignmentUploadError) as error:
        assignment_create(
            cohort=cohort,
            name="meta",
            files={"ps1.ipynb": _bytes(nb)},
            release_at=timezone.now(),
            due_at=timezone.now() + datetime.timedelta(days=1),
        )
    text = " ".join(error.value.messages)
    assert reason in text and "cell" in text
    assert not Assignment.objects.exists()


def test_names_are_unique_within_a_cohort_not_globally(cohort):
    """Can two cohorts each have a ps1, while one cohort cannot have two?"""
    _assignment(cohort)
    _assignment(CohortFactory())
    with pytest.raises(AssignmentUploadError):
        _assignment(cohort)


@pytest.mark.grading
def test_submission_is_graded_into_the_residents_progress(
    cohort, resident, django_capture_on_commit_callbacks
):
    """Does a submission get graded, with per-cell grades, and show in the resident's progress?"""
    assignment = _assignment(cohort)
    with django_capture_on_commit_callbacks(execute=True):
        submission = submission_create(
            assignment=assignment, resident=resident, files={"ps1.ipynb": _answer(assignment)}
        )
    grading = Grading.objects.get(submission=submission)
    assert grading.status == Grading.Status.GRADED, grading.error
    assert grading.score == 5 and grading.max_score == 5
    assert {c.grade_id: c.auto_score for c in grading.cells.all()} == {"visible": 2, "hidden": 3}
    progress = resident_progress(resident=resident)
    (row,) = progress["rows"]
    assert (row.state, row.score, row.max_score) == ("graded", 5, 5)
    assert (progress["earned"], progress["possible"]) == (5, 5)
    assert progress["weeks"][row.week - 1].percent == 100


@pytest.mark.grading
def test_hidden_tests_stay_out_of_feedback_unless_opted_in(
    cohort, resident, django_capture_on_commit_callbacks
):
    """Is the hidden test's code and message withheld from feedback, and shown when the author allows?"""
    hidden = _assignment(cohort, name="closed")
    shown = _assignment(cohort, name="open", show_hidden_tests_in_feedback=True)
    with django_capture_on_commit_callbacks(execute=True):
        for assignment in (hidden, shown):
            submission_create(
                assignment=assignment,
                resident=resident,
                files={"ps1.ipynb": _answer(assignment, "def answer():\n    return 7")},
            )
    closed = Grading.objects.get(submission__assignment=hidden)
    opened = Grading.objects.get(submission__assignment=shown)
    assert closed.score == 0 and opened.score == 0
    assert "the secret check" not in closed.feedback_html
    assert "Hidden tests did not pass" in closed.feedback_html
    assert "the secret check" in opened.feedback_html


def test_submissions_are_new_versions_never_overwritten(cohort, resident):
    """Does resubmitting create version 2 while version 1's files stay as they were?"""
    assignment = _assignment(cohort)
    first = submission_create(
        assignment=assignment,
        resident=resident,
        files={"ps1.ipynb": _answer(assignment, "def answer():\n    return 1")},
    )
    second = submission_create(
        assignment=assignment, resident=resident, files={"ps1.ipynb": _answer(assignment)}
    )
    assert (first.version, second.version) == (1, 2)
    assert b"return 1" in bytes(SubmissionFile.objects.get(submission=first).content)
    assert first.checksum != second.checksum
    assert counting_submission(assignment=assignment, resident=resident) == second
    with pytest.raises(ProtectedError):
        first.delete()
    assert Submission.objects.filter(pk=first.pk).exists()


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"../../etc/cron.d/x": b"x"}, "is not allowed as a file name"),
        ({"/abs/path.ipynb": b"x"}, "is not allowed as a file name"),
        ({f"f{i}.txt": b"x" for i in range(51)}, "at most 50 files"),
        (
            {"huge.ipynb": b"x" * (10 * 1024 * 1024 + 1)},
            TOO_LARGE.split(" is ")[0].format(path="huge.ipynb"),
        ),
        ({}, "holds no files"),
    ],
)
def test_bad_submissions_are_refused_and_store_nothing(cohort, resident, files, message):
    """Are traversal paths, too many or too big files refused, storing nothing?"""
    assignment = _assignment(cohort)
    with pytest.raises(SubmissionError) as error:
        submission_create(assignment=assignment, resident=resident, files=files)
    assert message in " ".join(error.value.messages)
    assert not Submission.objects.exists()


def test_only_residents_of_the_cohort_submit_released_work(cohort, resident):
    """Are outsiders and early submissions refused?"""
    assignment = _assignment(cohort)
    outsider = resident_in(CohortFactory(), username="outsider")
    with pytest.raises(SubmissionError) as error:
        submission_create(assignment=assignment, resident=outsider, files={"ps1.ipynb": b"{}"})
    assert NOT_IN_COHORT.format(user="outsider", cohort=cohort) in error.value.messages
    assignment.release_at = timezone.now() + datetime.timedelta(days=1)
    assignment.due_at = timezone.now() + datetime.timedelta(days=2)
    assignment.save()
    with pytest.raises(SubmissionError) as error:
        submission_create(assignment=assignment, resident=resident, files={"ps1.ipynb": b"{}"})
    assert NOT_RELEASED.format(name="ps1") in error.value.messages


@pytest.mark.grading
def test_due_date_change_and_extension_recompute_lateness(
    cohort, resident, django_capture_on_commit_callbacks
):
    """Two days late at 10%/day costs 20%; moving the due date or an extension takes it back."""
    assignment = _assignment(
        cohort, late_policy=LatePolicy.PER_DAY, late_penalty_percent_per_day=10
    )
    two_days_late = assignment.due_at + datetime.timedelta(days=1, hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        submission = submission_create(
            assignment=assignment,
            resident=resident,
            files={"ps1.ipynb": _answer(assignment)},
            submitted_at=two_days_late,
        )
    grading = Grading.objects.get(submission=submission)
    assert grading.seconds_late == 26 * 3600
    assert (grading.late_penalty, grading.score) == (1.0, 4.0)
    assert resident_progress(resident=resident)["rows"][0].late

    assignment_update(
        assignment=assignment, by=None, due_at=assignment.due_at + datetime.timedelta(hours=1)
    )
    grading.refresh_from_db()
    assert grading.seconds_late == 25 * 3600 and grading.late_penalty == 1.0

    extension_grant(
        assignment=assignment,
        resident=resident,
        due_at=two_days_late + datetime.timedelta(minutes=1),
    )
    grading.refresh_from_db()
    assert (grading.seconds_late, grading.late_penalty, grading.score) == (0, 0.0, 5.0)
    (row,) = resident_progress(resident=resident)["rows"]
    assert (row.late, row.score, row.extension) == (False, 5.0, True)


@pytest.mark.grading
def test_zero_policy_keeps_the_on_time_version(
    cohort, resident, django_capture_on_commit_callbacks
):
    """Under the zero policy, does a late resubmission leave the on-time version counting?"""
    assignment = _assignment(cohort, late_policy=LatePolicy.ZERO)
    with django_capture_on_commit_callbacks(execute=True):
        on_time = submission_create(
            assignment=assignment, resident=resident, files={"ps1.ipynb": _answer(assignment)}
        )
        submission_create(
            assignment=assignment,
            resident=resident,
            files={"ps1.ipynb": _answer(assignment)},
            submitted_at=assignment.due_at + datetime.timedelta(hours=1),
        )
    assert counting_submission(assignment=assignment, resident=resident) == on_time
    assert resident_progress(resident=resident)["rows"][0].score == 5


def test_refuse_policy_refuses_late_work(cohort, resident):
    """Is late work refused outright when the author says so?"""
    assignment = _assignment(cohort, late_policy=LatePolicy.REFUSE)
    with pytest.raises(SubmissionError) as error:
        submission_create(
            assignment=assignment,
            resident=resident,
            files={"ps1.ipynb": b"{}"},
            submitted_at=assignment.due_at + datetime.timedelta(seconds=1),
        )
    assert "does not accept late work" in error.value.messages[0]


def test_lost_worker_leaves_its_grading_to_be_picked_up_again(cohort, resident):
    """Is a grading whose worker vanished (lease run out) queued again and then graded?"""
    assignment = _assignment(cohort)
    submission = submission_create(
        assignment=assignment, resident=resident, files={"ps1.ipynb": _answer(assignment)}
    )
    grading = Grading.objects.get(submission=submission)
    Grading.objects.filter(pk=grading.pk).update(
        status=Grading.Status.RUNNING,
        lease_expires_at=timezone.now() - datetime.timedelta(seconds=1),
    )
    assert grading_run(grading_id=grading.pk) is not None  # an expired lease may be claimed
    grading.refresh_from_db()
    assert grading.status == Grading.Status.GRADED
    Grading.objects.filter(pk=grading.pk).update(
        status=Grading.Status.RUNNING,
        lease_expires_at=timezone.now() - datetime.timedelta(seconds=1),
    )
    assert gradings_requeue_stale() == 1


def test_a_notebook_in_a_subfolder_comes_with_the_assignment_as_a_file(cohort):
    """Is only a top-level notebook graded, as in nbgrader, and one in a subfolder handed out as is?"""
    reading = _bytes(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("Read me")]))
    now = timezone.now()
    assignment = assignment_create(
        cohort=cohort, name="nested", files={"ps1.ipynb": _bytes(SOURCE), "extra/reading.ipynb": reading},
        release_at=now - datetime.timedelta(days=1), due_at=now + datetime.timedelta(days=1),
    )  # fmt: skip
    kinds = dict(AssignmentFile.objects.filter(assignment=assignment).values_list("path", "kind"))
    assert kinds["ps1.ipynb"] == "source" and kinds["extra/reading.ipynb"] == "support"
    assert assignment.max_score == 5

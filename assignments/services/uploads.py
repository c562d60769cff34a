"""Uploads: an assignment's files checked, its release and grading gradebook generated, all stored at once."""

import datetime
import hashlib
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from common.archives import UnsafePath, safe_relative_path
from lms.cohorts.models import Cohort

from ..grading import nbgrader_adapter as nbg
from ..grading.pipeline import SubmissionProblem, grading_gradebook, read_notebook
from ..models import Assignment, AssignmentFile, LatePolicy

NAME_TAKEN = "This cohort already has an assignment called {name!r}."

NO_NOTEBOOKS = "Upload at least one notebook (.ipynb)."

TOO_MANY_FILES = "A submission can hold at most {limit} files; this one has {count}."

TOO_LARGE = "{path} is {size} bytes; the limit is {limit} bytes."

SUBMISSION_TOO_LARGE = "The files add up to {size} bytes; the limit is {limit} bytes."
GRADEBOOK_PATH = "gradebook.sqlite"


class AssignmentUploadError(ValidationError):
    """An upload refused as a whole; nothing of it was stored."""


class SubmissionError(ValidationError):
    """A submission refused as a whole; nothing of it was stored."""


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _check_files(files: dict[str, bytes], error_class) -> dict[str, bytes]:
    limits = settings.LMS_SUBMISSION_LIMITS
    if len(files) > limits["max_files"]:
        raise error_class(TOO_MANY_FILES.format(limit=limits["max_files"], count=len(files)))
    checked, total = {}, 0
    for path, content in files.items():
        try:
            clean = safe_relative_path(path)
        except UnsafePath as error:
            raise error_class(str(error)) from None
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
    """Validate nbgrader source notebooks, generate the release version and the grading
    gradebook, and store them all.

    Every notebook goes through nbgrader's own checks; a refused upload names
    the notebook, the cell and the reason, and leaves nothing behind. A notebook
    with no graded cells (a reading, a practice sheet) is kept as a 0-point
    notebook, as nbgrader keeps it. The gradebook every grading starts from is
    made here, once, so workers only execute and score.
    """
    files = _check_files(files, AssignmentUploadError)
    if Assignment.objects.filter(cohort=cohort, name=name).exists():
        raise AssignmentUploadError(NAME_TAKEN.format(name=name))
    prepared = assignment_files_prepare(name=name, files=files)
    assignment = Assignment(
        cohort=cohort, name=name, title=title or name, week=week, lesson=lesson,
        release_at=release_at, due_at=due_at, late_policy=late_policy,
        late_penalty_percent_per_day=late_penalty_percent_per_day,
        show_hidden_tests_in_feedback=show_hidden_tests_in_feedback, max_score=prepared.max_score,
        feedback_policy=feedback_policy,
    )  # fmt: skip
    assignment.full_clean()
    assignment.save()
    assignment_files_store(assignment=assignment, prepared=prepared)
    return assignment


@dataclass(frozen=True)
class PreparedFiles:
    """An upload's files, checked, with the release notebooks and grading gradebook made from them."""

    files: dict[str, bytes]
    notebooks: frozenset[str]
    released: object
    gradebook: bytes

    @property
    def max_score(self) -> float:
        return self.released.max_score


def assignment_files_prepare(*, name: str, files: dict[str, bytes]) -> PreparedFiles:
    """Check an assignment's files and run nbgrader on its source notebooks; store nothing.
    Raises ``AssignmentUploadError`` naming the notebook, the cell and the reason."""
    files = _check_files(files, AssignmentUploadError)
    # As in nbgrader, the notebooks at the top of the folder are the assignment; one in a
    # subfolder is a file it comes with.
    notebooks = {p: c for p, c in files.items() if p.endswith(".ipynb") and "/" not in p}
    if not notebooks:
        raise AssignmentUploadError(NO_NOTEBOOKS)
    sources = {}
    for path, content in notebooks.items():
        try:
            nb = read_notebook(path, content)
        except SubmissionProblem as problem:
            raise AssignmentUploadError(str(problem)) from None
        sources[path[: -len(".ipynb")]] = nb
    with tempfile.TemporaryDirectory() as scratch:
        gradebook_path = Path(scratch) / "gradebook.db"
        try:
            released = grading_gradebook(name=name, sources=sources, path=gradebook_path)
        except nbg.SourceNotebookError as error:
            raise AssignmentUploadError(str(error)) from None
        gradebook = gradebook_path.read_bytes()
    return PreparedFiles(
        files=files, notebooks=frozenset(notebooks), released=released, gradebook=gradebook
    )


def assignment_files_store(*, assignment: Assignment, prepared: PreparedFiles) -> None:
    """Store prepared files, release notebooks and gradebook as the assignment's only files."""
    AssignmentFile.objects.filter(assignment=assignment).delete()
    stored = []
    for path, content in prepared.files.items():
        kind = (
            AssignmentFile.Kind.SOURCE
            if path in prepared.notebooks
            else AssignmentFile.Kind.SUPPORT
        )
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
    for notebook in prepared.released.notebooks:
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
    stored.append(
        AssignmentFile(
            assignment=assignment,
            kind=AssignmentFile.Kind.GRADEBOOK,
            path=GRADEBOOK_PATH,
            content=prepared.gradebook,
            sha256=_sha256(prepared.gradebook),
            size=len(prepared.gradebook),
        )
    )
    AssignmentFile.objects.bulk_create(stored)

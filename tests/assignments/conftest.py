"""Helpers for grading tests: nbgrader's own example files and tiny notebooks built in place."""

import datetime
import tempfile
from pathlib import Path

import nbformat
import nbgrader
import pytest
from django.utils import timezone

from assignments.grading.pipeline import AssignmentSpec, grade_submission, grading_gradebook
from assignments.grading.sandbox import SandboxLimits, SandboxUser

NBGRADER = Path(nbgrader.__file__).parent
USER_GUIDE = NBGRADER / "docs" / "source" / "user_guide"
TEST_FILES = NBGRADER / "tests" / "apps" / "files"
FAST_LIMITS = SandboxLimits(
    cell_timeout=5, notebook_timeout=30, cpu_seconds=30, memory_bytes=768 * 1024 * 1024
)


def source_notebook(*cells) -> nbformat.NotebookNode:
    """A tiny nbgrader source notebook. Each cell: (kind, grade_id, source[, points]).

    kinds: "solution" (code answer), "test" (autograded, points), "manual" (markdown answer,
    points), "locked" (read-only code).
    """
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    for kind, grade_id, source, *points in cells:
        meta = {
            "grade": False,
            "solution": False,
            "locked": False,
            "grade_id": grade_id,
            "schema_version": 3,
        }
        if kind == "solution":
            cell = nbformat.v4.new_code_cell(source)
            meta["solution"] = True
        elif kind == "test":
            cell = nbformat.v4.new_code_cell(source)
            meta.update(grade=True, locked=True, points=points[0] if points else 1)
        elif kind == "manual":
            cell = nbformat.v4.new_markdown_cell(source)
            meta.update(grade=True, solution=True, points=points[0] if points else 1)
        else:
            cell = nbformat.v4.new_code_cell(source)
            meta["locked"] = True
        cell.metadata["nbgrader"] = meta
        nb.cells.append(cell)
    return nb


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def make_spec(
    name: str, sources: dict, support_files: dict | None = None, show_hidden: bool = False
) -> AssignmentSpec:
    with tempfile.TemporaryDirectory() as scratch:
        gradebook = Path(scratch) / "gb.db"
        released = grading_gradebook(name=name, sources=sources, path=gradebook)
        gradebook_bytes = gradebook.read_bytes()
    return AssignmentSpec(
        key=f"test-{name}-{id(sources)}",
        name=name,
        sources=sources,
        releases={n.name: n.release for n in released.notebooks},
        support_files=support_files or {},
        show_hidden_tests=show_hidden,
        gradebook=gradebook_bytes,
    )


def released_with_answer(spec: AssignmentSpec, notebook: str, answers: dict[str, str]) -> bytes:
    """The release version of a notebook with some solution cells filled in, as a resident would."""
    nb = nbformat.from_dict(spec.releases[notebook])
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    return nbformat.writes(nb).encode()


@pytest.fixture
def grade(tmp_path):
    """Grade files against a spec with the real pipeline and sandbox."""

    def _grade(spec: AssignmentSpec, files: dict[str, bytes], limits: SandboxLimits = FAST_LIMITS):
        return grade_submission(
            spec=spec, files=files, limits=limits,
            sandbox_user=SandboxUser.resolve("nobody"), cache_dir=tmp_path / "cache",
        )  # fmt: skip

    return _grade


def by_id(outcome) -> dict:
    return {cell.grade_id: cell for cell in outcome.cells}


def an_hour_ago() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=1)


def open_assignment(cohort, name: str, *cells, **options):
    """An assignment of one notebook ``<name>.ipynb`` made of ``cells``, open since two days, due in two."""
    from django.utils import timezone

    from assignments.services import assignment_create

    now = timezone.now()
    return assignment_create(
        cohort=cohort, name=name, title=name.title(),
        files={f"{name}.ipynb": nbformat.writes(source_notebook(*cells)).encode()},
        release_at=now - datetime.timedelta(days=2), due_at=now + datetime.timedelta(days=2),
        **options,
    )  # fmt: skip


def answered(assignment, answers: dict[str, str] | None = None) -> dict[str, bytes]:
    """The assignment's release notebook with some cells answered, as files to submit."""
    from assignments.models import AssignmentFile

    release = AssignmentFile.objects.get(assignment=assignment, kind="release")
    nb = nbformat.reads(bytes(release.content).decode(), as_version=4)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in (answers or {}):
            cell.source = answers[grade_id]
    return {release.path: nbformat.writes(nb).encode()}


ANSWER_CELLS = (
    (
        "solution",
        "answer",
        "def answer():\n    ### BEGIN SOLUTION\n    return 42\n    ### END SOLUTION",
    ),
)


@pytest.fixture
def essay(cohort):
    """A graded hand-in by ana: one autograded test (2 points) and one written answer (3 points)."""
    from assignments.services import submission_create
    from tests.factories import resident_in

    assignment = open_assignment(
        cohort, "essay", *ANSWER_CELLS,
        ("test", "check", "assert answer() == 42", 2),
        ("manual", "why", "YOUR ANSWER HERE", 3),
    )  # fmt: skip
    files = answered(
        assignment,
        {"answer": "def answer():\n    return 42", "why": "Because the tenants asked for it."},
    )
    submission_create(
        assignment=assignment, resident=resident_in(cohort, username="ana"), files=files
    )
    return assignment

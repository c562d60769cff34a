"""Whole course folders score as stock nbgrader scores them, cell by cell.

Each course is built in a temporary folder and graded twice: by stock nbgrader's
command line (``generate_assignment`` then ``autograde``, its gradebook read with
``nbgrader.api.Gradebook``) and by the platform (``import_nbgrader_course`` then
``autograde --wait``). The stock runs start in the background when the first test
asks for them, so they overlap the platform's grading.
"""

import datetime
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from django.core.management import call_command
from django.utils import timezone
from nbgrader.api import Gradebook

from assignments.models import Assignment, CellGrade, Grading, LatePolicy, Submission
from assignments.policy import State
from assignments.selectors.standings import resident_standing
from assignments.services import assignment_create, submission_create
from tests.factories import resident_in

from .conftest import TEST_FILES, USER_GUIDE

pytestmark = [pytest.mark.grading, pytest.mark.django_db]

BIN = Path(sys.executable).parent
PS1 = USER_GUIDE / "source" / "ps1"
STAMP = "2026-01-12 09:30:00.000000 UTC"

CellKey = tuple[str, str, str, str]  # assignment, student, notebook, grade id
HandInKey = tuple[str, str]  # assignment, student
Total = tuple[float | None, float]  # raw score, max score


# --- Course folders ---------------------------------------------------------------------------


def reading_notebook() -> nbformat.NotebookNode:
    """A reading: nbgrader metadata on every cell, none of it graded, answered or locked.

    This is what nbgrader's "-" cell type leaves behind when an instructor opened the
    create-assignment toolbar on a notebook and never marked a cell.
    """
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Reading: lists\nLists keep their order."),
        nbformat.v4.new_code_cell("numbers = [3, 1, 2]\nprint(sorted(numbers))"),
        nbformat.v4.new_markdown_cell("Try `reversed` on your own."),
        nbformat.v4.new_code_cell("list(reversed(numbers))"),
    ]
    for index, cell in enumerate(nb.cells):
        cell.metadata["nbgrader"] = {
            "grade": False, "solution": False, "locked": False,
            "grade_id": f"cell-reading-{index}", "schema_version": 3,
        }  # fmt: skip
    return nb


def write_notebook(nb: nbformat.NotebookNode, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


def copy_file(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)


def hand_in(root: Path, student: str, assignment: str, files: dict[str, Path | None]) -> None:
    """``submitted/<student>/<assignment>/``: the given files (None: the source's) and a timestamp."""
    folder = root / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    for name, path in files.items():
        copy_file(path or root / "source" / assignment / name, folder / name)
    (folder / "timestamp.txt").write_text(STAMP)


def mixed_course(root: Path) -> None:
    """One assignment of a graded, a reading and a metadata-free notebook.

    ada hands in all three, bob the graded one and the reading, carol none of them.
    """
    source = root / "source" / "lesson"
    copy_file(PS1 / "problem1.ipynb", source / "problem1.ipynb")
    write_notebook(reading_notebook(), source / "reading.ipynb")
    copy_file(TEST_FILES / "side-effects.ipynb", source / "side-effects.ipynb")
    hacker = USER_GUIDE / "submitted" / "hacker" / "ps1" / "problem1.ipynb"
    bitdiddle = USER_GUIDE / "submitted" / "bitdiddle" / "ps1" / "problem1.ipynb"
    hand_in(
        root,
        "ada",
        "lesson",
        {"problem1.ipynb": hacker, "reading.ipynb": None, "side-effects.ipynb": None},
    )
    hand_in(root, "bob", "lesson", {"problem1.ipynb": bitdiddle, "reading.ipynb": None})
    hand_in(root, "carol", "lesson", {})


def user_guide_course(root: Path) -> None:
    """nbgrader's own example course, ps1 as its user guide ships it."""
    shutil.copytree(PS1, root / "source" / "ps1")
    for student in ("bitdiddle", "hacker"):
        shutil.copytree(
            USER_GUIDE / "submitted" / student / "ps1", root / "submitted" / student / "ps1"
        )


def refused_course(root: Path) -> None:
    """An assignment nbgrader refuses (a solution region outside a solution cell) beside a
    reading-only assignment worth 0 points."""
    copy_file(TEST_FILES / "test-no-metadata.ipynb", root / "source" / "broken" / "squares.ipynb")
    write_notebook(reading_notebook(), root / "source" / "week1" / "reading.ipynb")
    hand_in(root, "ada", "broken", {"squares.ipynb": None})
    hand_in(root, "ada", "week1", {"reading.ipynb": None})


@dataclass
class Course:
    build: Callable[[Path], None]
    assignments: list[str]
    students: list[str]


COURSES = {
    "mixed": Course(mixed_course, ["lesson"], ["ada", "bob", "carol"]),
    "user-guide": Course(user_guide_course, ["ps1"], ["bitdiddle", "hacker"]),
    "refused": Course(refused_course, ["broken", "week1"], ["ada"]),
}


# --- Stock nbgrader ---------------------------------------------------------------------------


@dataclass
class StockRun:
    cells: dict[CellKey, float | None]
    totals: dict[HandInKey, Total]
    max_scores: dict[str, float]
    refusals: dict[str, str]  # assignment -> what generate_assignment said


def nbgrader(root: Path, *args: str) -> subprocess.CompletedProcess:
    """Stock nbgrader's command line, run in the course folder."""
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run(
        [str(BIN / "nbgrader"), *args], cwd=root, env=env, capture_output=True, text=True
    )


def write_config(root: Path, course: Course) -> None:
    (root / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        f"c.CourseDirectory.root = {str(root)!r}\n"
        f"c.CourseDirectory.db_students = {[{'id': s} for s in course.students]!r}\n"
        f"c.CourseDirectory.db_assignments = {[{'name': a} for a in course.assignments]!r}\n"
    )


def stock_grades(root: Path, assignments: list[str]) -> tuple[dict, dict, dict]:
    """Per-cell auto scores, per-submission totals and per-assignment maximums from stock
    nbgrader's gradebook.db."""
    cells, totals, max_scores = {}, {}, {}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        for assignment in assignments:
            max_scores[assignment] = gb.find_assignment(assignment).max_score
            for submission in gb.assignment_submissions(assignment):
                student = submission.student.id
                totals[(assignment, student)] = (submission.score, submission.max_score)
                for notebook in submission.notebooks:
                    for grade in notebook.grades:
                        cells[(assignment, student, notebook.name, grade.name)] = grade.auto_score
    return cells, totals, max_scores


def run_stock(root: Path, course: Course) -> StockRun:
    """generate_assignment then autograde for each assignment, as an instructor would."""
    write_config(root, course)
    refusals, graded = {}, []
    for assignment in course.assignments:
        generated = nbgrader(root, "generate_assignment", assignment, "--force")
        if generated.returncode != 0:
            refusals[assignment] = generated.stdout + generated.stderr
            continue
        autograded = nbgrader(root, "autograde", assignment)
        assert autograded.returncode == 0, autograded.stderr[-3000:]
        graded.append(assignment)
    cells, totals, max_scores = stock_grades(root, graded)
    return StockRun(cells=cells, totals=totals, max_scores=max_scores, refusals=refusals)


@pytest.fixture(scope="module")
def courses(tmp_path_factory):
    """Each course folder built once; stock nbgrader grades a copy of it in the background."""
    base = tmp_path_factory.mktemp("courses")
    pool = ThreadPoolExecutor(max_workers=len(COURSES))
    built: dict[str, tuple[Path, Future]] = {}
    for name, course in COURSES.items():
        root = base / name / "course"
        course.build(root)
        stock_root = base / name / "stock"
        shutil.copytree(root, stock_root)
        built[name] = (root, pool.submit(run_stock, stock_root, course))
    yield built
    pool.shutdown(wait=True, cancel_futures=True)


# --- The platform ------------------------------------------------------------------------------


@dataclass
class PlatformRun:
    cells: dict[CellKey, float | None]
    totals: dict[HandInKey, Total]
    max_scores: dict[str, float]
    notes: dict[HandInKey, str]
    stderr: str


def run_platform(root: Path, capture) -> PlatformRun:
    """import_nbgrader_course (grading runs inline as each hand-in is queued), then autograde."""
    stderr = io.StringIO()
    with capture(execute=True):
        call_command(
            "import_nbgrader_course", str(root), "--cohort", root.parent.name,
            stdout=io.StringIO(), stderr=stderr,
        )  # fmt: skip
    unfinished = Grading.objects.exclude(status=Grading.Status.GRADED)
    assert not unfinished.exists(), [
        (g.submission.assignment.name, g.submission.resident.username, g.status, g.error)
        for g in unfinished.select_related("submission__assignment", "submission__resident")
    ]
    out = io.StringIO()
    call_command("autograde", "--wait", stdout=out)
    assert "0 could not be graded" in out.getvalue()
    cells = {
        (
            c.grading.submission.assignment.name,
            c.grading.submission.resident.username,
            c.notebook,
            c.grade_id,
        ): c.auto_score
        for c in CellGrade.objects.select_related(
            "grading__submission__assignment", "grading__submission__resident"
        )
    }
    gradings = {
        (g.submission.assignment.name, g.submission.resident.username): g
        for g in Grading.objects.select_related("submission__assignment", "submission__resident")
    }
    return PlatformRun(
        cells=cells,
        totals={key: (g.raw_score, g.max_score) for key, g in gradings.items()},
        max_scores=dict(Assignment.objects.values_list("name", "max_score")),
        notes={key: g.notes for key, g in gradings.items()},
        stderr=stderr.getvalue(),
    )


def assert_same_scores(platform: PlatformRun, stock: StockRun) -> None:
    """Cell by cell, hand-in by hand-in (raw score and maximum), assignment by assignment."""
    assert platform.cells == stock.cells
    assert platform.totals == stock.totals
    assert platform.max_scores == stock.max_scores


# --- Tests -------------------------------------------------------------------------------------


def test_ungraded_notebooks_score_as_in_stock_nbgrader(courses, django_capture_on_commit_callbacks):
    """Do a graded, a reading and a metadata-free notebook in one assignment score as in stock nbgrader?"""
    root, stock = courses["mixed"]
    platform = run_platform(root, django_capture_on_commit_callbacks)
    stock = stock.result()
    assert not stock.refusals
    assert_same_scores(platform, stock)
    # problem1's 10 points are the assignment's; the reading and side-effects add none.
    assert platform.totals == {("lesson", "ada"): (3.0, 10), ("lesson", "bob"): (1.5, 10)}
    assert {notebook for _, _, notebook, _ in platform.cells} == {"problem1"}
    assert "side-effects.ipynb was not submitted" in platform.notes[("lesson", "bob")]
    assert "was not submitted" not in platform.notes[("lesson", "ada")]
    # A folder without notebooks is no hand-in, for nbgrader as for the platform.
    assert "carol/lesson:" in platform.stderr


def test_user_guide_course_scores_as_in_stock_nbgrader(courses, django_capture_on_commit_callbacks):
    """Does nbgrader's example course ps1 score as in stock nbgrader, cell by cell?"""
    root, stock = courses["user-guide"]
    platform = run_platform(root, django_capture_on_commit_callbacks)
    stock = stock.result()
    assert_same_scores(platform, stock)
    assert platform.totals == {("ps1", "bitdiddle"): (1.5, 13), ("ps1", "hacker"): (3.0, 13)}


def test_what_nbgrader_refuses_is_refused_by_name(courses, django_capture_on_commit_callbacks):
    """Is a notebook stock nbgrader refuses refused by name and reason, the rest of the course imported?"""
    root, stock = courses["refused"]
    platform = run_platform(root, django_capture_on_commit_callbacks)
    stock = stock.result()
    assert set(stock.refusals) == {"broken"}
    assert "Solution region detected in a non-solution cell" in stock.refusals["broken"]
    assert (
        "Not imported: broken: squares, cell 3: Solution region detected in a non-solution cell"
        in platform.stderr
    )
    assert_same_scores(platform, stock)
    assert platform.max_scores == {"week1": 0}
    assert platform.totals == {("week1", "ada"): (0, 0)}


def test_zero_point_notebooks_handed_in_late_or_not_are_tracked(
    cohort, resident, django_capture_on_commit_callbacks
):
    """Is a late hand-in of only a reading graded 0 of 0 with the missing notebook noted, and no
    hand-in at all still missing?"""
    now = timezone.now()
    sources = {
        "reading.ipynb": nbformat.writes(reading_notebook()).encode(),
        "side-effects.ipynb": (TEST_FILES / "side-effects.ipynb").read_bytes(),
    }
    assignment = assignment_create(
        cohort=cohort, name="week1", files=sources, release_at=now - datetime.timedelta(days=3),
        due_at=now - datetime.timedelta(days=1), late_policy=LatePolicy.PER_DAY,
    )  # fmt: skip
    assert assignment.max_score == 0
    with django_capture_on_commit_callbacks(execute=True):
        submission = submission_create(
            assignment=assignment, resident=resident,
            files={"reading.ipynb": sources["reading.ipynb"]}, submitted_at=now,
        )  # fmt: skip
    grading = Grading.objects.get(submission=submission)
    assert (grading.status, grading.raw_score, grading.max_score) == (Grading.Status.GRADED, 0, 0)
    assert "side-effects.ipynb was not submitted" in grading.notes
    standing = resident_standing(assignment=assignment, resident=resident)
    assert (standing.state, standing.late, standing.points) == (State.GRADED, True, (0.0, 0.0))
    absent = resident_in(cohort, username="absent")
    assert resident_standing(assignment=assignment, resident=absent).state == State.MISSING
    assert not Submission.objects.filter(resident=absent).exists()

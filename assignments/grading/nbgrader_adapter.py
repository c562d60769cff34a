"""The one module that calls nbgrader, as a library.

Everything nbgrader decides stays nbgrader's: which metadata is valid, how the
release version is generated, how protected cells are restored, how a cell is
scored. We run its own preprocessors in the order its converters do, against a
private nbgrader gradebook (a small SQLite file) per assignment and per
grading, so its fixes reach us with each upgrade. We never shell out to its
command line and never patch it.
"""

import functools
import logging
import os
import shutil
import sys
import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbconvert.exporters import HTMLExporter
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbformat.notebooknode import NotebookNode
from nbgrader import __version__ as nbgrader_version
from nbgrader import utils as nbgrader_utils
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.nbgraderformat import ValidationError as NbgraderValidationError
from nbgrader.preprocessors import (
    CheckCellMetadata,
    ClearHiddenTests,
    ClearMarkScheme,
    ClearOutput,
    ClearSolutions,
    ComputeChecksums,
    DeduplicateIds,
    GetGrades,
    IgnorePattern,
    LimitOutput,
    LockCells,
    OverwriteCells,
    OverwriteKernelspec,
    SaveAutoGrades,
    SaveCells,
)
from sqlalchemy.exc import SAWarning
from traitlets.config import Config

log = logging.getLogger(__name__)

# nbgrader's gradebook code trips SQLAlchemy's autoflush warnings on every
# submission it adds; they say nothing about the grades.
warnings.filterwarnings("ignore", category=SAWarning, module=r"nbgrader\..*")

# nbgrader's Gradebook runs the ``alembic`` command when it creates a database;
# it is installed beside this interpreter, which may not be on PATH.
_bin = str(Path(sys.executable).parent)
if _bin not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = _bin + os.pathsep + os.environ.get("PATH", "")

COURSE_ID = "default_course"
# The kinds of graded cell the LMS stores (``CellGrade.kind``).
AUTOGRADED_TEST = "autograded test"
MANUAL_ANSWER = "manual answer"
HIDDEN_TESTS_BEGIN = "### BEGIN HIDDEN TESTS"
_FORMGRADER = Path(nbgrader_utils.__file__).parent / "server_extensions" / "formgrader"
FEEDBACK_TEMPLATES = _FORMGRADER / "templates"
LMS_FEEDBACK_TEMPLATES = Path(__file__).parent / "feedback_template"
FEEDBACK_CSS = _FORMGRADER / "static" / "node_modules" / "bootstrap" / "dist" / "css"


class SourceNotebookError(ValueError):
    """An uploaded source notebook nbgrader cannot use; says which cell and why."""

    def __init__(self, notebook: str, reason: str, cell: str | None = None):
        self.notebook, self.reason, self.cell = notebook, reason, cell
        where = f"{notebook}, cell {cell}" if cell else notebook
        super().__init__(f"{where}: {reason}")


def _cell_label(cell: NotebookNode, index: int) -> str:
    grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
    return f"{index + 1} ({grade_id})" if grade_id else str(index + 1)


def _resources(
    assignment: str, notebook: str, db_url: str, student: str = ".", path: str = "."
) -> dict:
    return {
        "unique_key": notebook,
        "metadata": {"path": path},
        "nbgrader": {
            "student": student,
            "assignment": assignment,
            "notebook": notebook,
            "db_url": db_url,
        },
    }


def _run(preprocessors, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
    for preprocessor in preprocessors:
        nb, resources = preprocessor(nb, resources)
    return nb, resources


def _empty_gradebook() -> Path:
    """An empty nbgrader gradebook, made once per nbgrader version and copied from then on.

    Creating one runs nbgrader's ``alembic heads`` subprocess, about two
    seconds; a copy of the file costs a millisecond and is the same database.
    """
    folder = Path(tempfile.gettempdir()) / "lms-nbgrader"
    path = folder / f"empty-gradebook-{nbgrader_version}.sqlite"
    if not path.exists():
        folder.mkdir(mode=0o700, exist_ok=True)
        building = folder / f"empty-{os.getpid()}.building"
        with Gradebook(db_url_for(building), COURSE_ID):
            pass
        building.replace(path)
    return path


def db_url_for(path: Path) -> str:
    return f"sqlite:///{path}"


def _check_source_cells(name: str, nb: NotebookNode) -> None:
    """What nbgrader itself would only notice later, or not explain: refused with the cell and why.

    A notebook with no graded cells, or no nbgrader metadata at all (a reading or a
    practice notebook), is accepted as nbgrader accepts it: it is worth 0 points.
    """
    seen: dict[str, int] = {}
    for index, cell in enumerate(nb.cells):
        meta = cell.get("metadata", {}).get("nbgrader")
        if meta is None:
            continue
        if "AUTOTEST" in cell.get("source", ""):
            raise SourceNotebookError(
                name,
                "AUTOTEST directives are not supported; write the tests out.",
                _cell_label(cell, index),
            )
        if not (
            meta.get("grade") or meta.get("solution") or meta.get("task") or meta.get("locked")
        ):
            continue
        grade_id = str(meta.get("grade_id", "")).strip()
        if not grade_id:
            raise SourceNotebookError(
                name,
                "the cell has no grade id (nbgrader's 'ID' field is blank).",
                _cell_label(cell, index),
            )
        if grade_id in seen:
            raise SourceNotebookError(
                name,
                f"grade id {grade_id!r} is used twice (also cell {seen[grade_id] + 1}).",
                _cell_label(cell, index),
            )
        seen[grade_id] = index
        if meta.get("grade"):
            try:
                points = float(meta.get("points", 0))
            except (TypeError, ValueError):
                raise SourceNotebookError(
                    name,
                    f"points {meta.get('points')!r} is not a number.",
                    _cell_label(cell, index),
                ) from None
            if points < 0:
                raise SourceNotebookError(
                    name, "points cannot be negative.", _cell_label(cell, index)
                )


@dataclass
class ReleasedNotebook:
    name: str
    release: NotebookNode
    max_score: float


@dataclass
class ReleasedAssignment:
    notebooks: list[ReleasedNotebook]
    max_score: float


def generate_release(
    *, assignment: str, sources: dict[str, NotebookNode], gradebook_path: Path
) -> ReleasedAssignment:
    """Validate source notebooks and produce what residents get, as ``nbgrader generate_assignment`` does.

    Solutions are stripped, hidden tests removed, cells locked and checksums
    recorded by nbgrader's preprocessors. The source cells are saved into the
    gradebook at ``gradebook_path``, which grading later starts from.
    """
    if gradebook_path.exists():
        gradebook_path.unlink()
    shutil.copyfile(_empty_gradebook(), gradebook_path)
    db_url = db_url_for(gradebook_path)
    with Gradebook(db_url, COURSE_ID) as gb:
        gb.update_or_create_assignment(assignment)
    # NB: ClearHiddenTests must come after ComputeChecksums and SaveCells, and
    # ComputeChecksums must run again after it (as in nbgrader's GenerateAssignment).
    preprocessors = [
        LockCells(), ClearSolutions(), ClearOutput(), CheckCellMetadata(), ComputeChecksums(),
        SaveCells(), ClearHiddenTests(), ClearMarkScheme(), ComputeChecksums(), CheckCellMetadata(),
    ]  # fmt: skip
    released = []
    for name, source in sources.items():
        _check_source_cells(name, source)
        release, resources = nbformat.from_dict(source), _resources(assignment, name, db_url)
        for preprocessor in preprocessors:
            try:
                release, resources = preprocessor(release, resources)
            except (NbgraderValidationError, ValueError, RuntimeError) as error:
                raise SourceNotebookError(
                    name,
                    str(error).strip() or error.__class__.__name__,
                    _refused_cell(preprocessor, source, error),
                ) from error
        released.append(
            ReleasedNotebook(name=name, release=release, max_score=max_score_of(source))
        )
    return ReleasedAssignment(notebooks=released, max_score=sum(n.max_score for n in released))


def _refused_cell(preprocessor, source: NotebookNode, error: Exception) -> str | None:
    """Which cell nbgrader refused, when its refusal is about one cell's text (solution,
    hidden-test or mark-scheme regions): the first source cell it refuses alike on its own."""
    if not isinstance(preprocessor, (ClearSolutions, ClearHiddenTests, ClearMarkScheme)):
        return None
    for index, cell in enumerate(source.cells):
        alone = nbformat.from_dict({**source, "cells": [cell]})
        try:
            preprocessor(alone, {})
        except (RuntimeError, ValueError) as refusal:
            if str(refusal) == str(error):
                return _cell_label(cell, index)
    return None


def max_score_of(nb: NotebookNode) -> float:
    """nbgrader's maximum: the points of grade cells plus those of task cells."""
    return sum(
        float(cell.metadata.nbgrader.get("points", 0) or 0)
        for cell in nb.cells
        if nbgrader_utils.is_grade(cell) or nbgrader_utils.is_task(cell)
    )


@dataclass
class CellResult:
    notebook: str
    grade_id: str
    kind: str
    auto_score: float | None
    max_score: float
    needs_manual_grade: bool
    hidden_tests: bool
    output: str = ""


@dataclass
class NotebookResult:
    name: str
    graded: NotebookNode | None
    cells: list[CellResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


#: The one student of every grading gradebook. Each grading works on its own copy of the
#: assignment's template, so the resident's name is never needed inside it.
GRADEBOOK_STUDENT = "resident"


def add_grading_submission(*, gradebook_path: Path, assignment: str) -> None:
    """Add the placeholder student's submission to an assignment's gradebook, once, at upload.

    nbgrader creates a submission's notebooks and empty grades from the source
    cells; done here, every grading starts from a plain copy of the file.
    """
    with Gradebook(db_url_for(gradebook_path), COURSE_ID) as gb:
        gb.update_or_create_student(GRADEBOOK_STUDENT)
        gb.update_or_create_submission(assignment, GRADEBOOK_STUDENT)


def start_grading_gradebook(*, template: Path, target: Path) -> str:
    """A private copy of the assignment's grading gradebook for one grading; returns its URL."""
    shutil.copyfile(template, target)
    return db_url_for(target)


@dataclass(frozen=True)
class StoredGrade:
    """One cell's grade as the LMS stores it: the points and what the grader wrote."""

    notebook: str
    grade_id: str
    auto_score: float | None
    manual_score: float | None
    comment: str = ""
    awaiting_grader: bool = False


def gradebook_with_grades(
    *, template: Path, target: Path, assignment: str, student: str, grades: list[StoredGrade]
) -> str:
    """A gradebook holding this submission's stored grades and the graders' comments on answers
    (nbgrader keeps comments for answer cells only; ``render_feedback`` shows the others)."""
    db_url = start_grading_gradebook(template=template, target=target)
    with Gradebook(db_url, COURSE_ID) as gb:
        for stored in grades:
            grade = gb.find_grade(stored.grade_id, stored.notebook, assignment, student)
            grade.auto_score = stored.auto_score
            grade.manual_score = stored.manual_score
            grade.needs_manual_grade = stored.awaiting_grader or (
                stored.auto_score is None and stored.manual_score is None
            )
            if stored.comment:
                try:
                    comment = gb.find_comment(stored.grade_id, stored.notebook, assignment, student)
                except MissingEntry:
                    continue
                comment.manual_comment = stored.comment
        gb.db.commit()
    return db_url


def hidden_test_cells(source: NotebookNode) -> set[str]:
    """Grade ids of the source cells that hold hidden tests."""
    return {
        _grade_id(c)
        for c in source.cells
        if HIDDEN_TESTS_BEGIN in c.get("source", "") and _grade_id(c)
    }


def _text_of_outputs(cell: NotebookNode) -> str:
    parts = []
    for output in cell.get("outputs", []):
        if output.output_type == "stream":
            parts.append(output.text)
        elif output.output_type == "error":
            parts.append(f"{output.ename}: {output.evalue}")
        elif output.output_type in ("execute_result", "display_data"):
            parts.append(output.get("data", {}).get("text/plain", ""))
    return "".join(parts)[-4000:]


def sanitize_submission(
    *,
    nb: NotebookNode,
    db_url: str,
    assignment: str,
    notebook: str,
    student: str,
    workdir: str,
    release: NotebookNode,
) -> tuple[NotebookNode, list[str]]:
    """Restore what residents may not change, as ``nbgrader autograde`` does before running anything.

    Outputs are cleared, duplicated ids resolved, the kernel and every
    protected cell overwritten from the source, and deleted grade cells added
    back (nbgrader's ``add_missing_cells``). When nbgrader cannot cope with
    what was done to the notebook (a deleted cell next to another deleted one,
    a split cell whose copy lost its id), the notebook is rebuilt from the
    released version with the resident's answers, and nbgrader sanitizes that.
    """
    resources = _resources(assignment, notebook, db_url, student, workdir)
    before = {_grade_id(c) for c in nb.cells}
    try:
        sanitized, _ = _run(_sanitizers(nb), nbformat.from_dict(nb), resources)
        notes = []
    except (KeyError, ValueError, IndexError, NbgraderValidationError) as error:
        log.info("Rebuilding %s of %s after %r", notebook, student, error)
        rebuilt = rebuild_from_release(submitted=nb, release=release)
        sanitized, _ = _run(_sanitizers(rebuilt), rebuilt, resources)
        notes = [
            f"{notebook}: cells were deleted, split or retyped in a way the grader could not follow; "
            "the notebook was rebuilt from the original with your answers."
        ]
    after = {_grade_id(c) for c in sanitized.cells}
    restored = sorted(grade_id for grade_id in after - before if grade_id)
    notes += [
        f"{notebook}: restored deleted cell {grade_id} from the original." for grade_id in restored
    ]
    return sanitized, notes


def _sanitizers(nb: NotebookNode):
    """nbgrader's sanitizing preprocessors, with deleted grade and task cells added back.

    A notebook with unmarked cells that carry nbgrader metadata (a reading's cells: a grade id,
    but neither graded, answered nor locked) needs three steps: ``OverwriteCells`` as stock
    ``autograde`` runs it, which strips those cells' ids; the stripped cells become plain cells,
    as nbgrader already treats them; only then ``OverwriteCells`` again to add back missing
    cells, which it cannot do past a cell whose grade id it removed. Other notebooks need the
    one pass.
    """
    add_missing = OverwriteCells(config=Config({"OverwriteCells": {"add_missing_cells": True}}))
    restore = [add_missing]
    if any(_unmarked(cell) for cell in nb.cells if "nbgrader" in cell.get("metadata", {})):
        restore = [OverwriteCells(), _forget_untracked_cells, add_missing]
    return [
        ClearOutput(), DeduplicateIds(), OverwriteKernelspec(), *restore, CheckCellMetadata(),
    ]  # fmt: skip


def _unmarked(cell: NotebookNode) -> bool:
    return not (
        nbgrader_utils.is_grade(cell)
        or nbgrader_utils.is_solution(cell)
        or nbgrader_utils.is_locked(cell)
        or nbgrader_utils.is_task(cell)
    )


def _forget_untracked_cells(nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
    """Drop the nbgrader metadata of unmarked cells that have no grade id (left so by nbgrader)."""
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader")
        if meta is None or "grade_id" in meta:
            continue
        if _unmarked(cell):
            del cell.metadata["nbgrader"]
    return nb, resources


def _grade_id(cell) -> str | None:
    return (cell.get("metadata") or {}).get("nbgrader", {}).get("grade_id")


def rebuild_from_release(*, submitted: NotebookNode, release: NotebookNode) -> NotebookNode:
    """The released notebook, with each answer cell's source taken from the submission.

    Cells sharing an answer's id (the halves of a split cell) are joined in
    order; an answer retyped to Markdown keeps its text in the original type;
    the resident's own unmarked cells stay after the answer they followed.
    """
    answers: dict[str, list[str]] = {}
    extras_after: dict[str | None, list] = {}
    last_id = None
    for cell in submitted.cells:
        grade_id = _grade_id(cell)
        if grade_id:
            answers.setdefault(grade_id, []).append(cell.get("source", ""))
            last_id = grade_id
        elif "nbgrader" not in (cell.get("metadata") or {}):
            extras_after.setdefault(last_id, []).append(cell)
    rebuilt = nbformat.from_dict(release)
    cells = list(extras_after.get(None, []))
    for cell in rebuilt.cells:
        grade_id = _grade_id(cell)
        meta = cell.metadata.get("nbgrader", {})
        if grade_id in answers and meta.get("solution"):
            cell.source = "\n".join(answers[grade_id])
        cells.append(cell)
        cells.extend(extras_after.get(grade_id, []) if grade_id else [])
    rebuilt.cells = [nbformat.from_dict(c) for c in cells]
    return rebuilt


def score_executed(
    *,
    nb: NotebookNode,
    db_url: str,
    assignment: str,
    notebook: str,
    student: str,
    workdir: str,
    hidden: set[str],
) -> NotebookResult:
    """Record nbgrader's scores for an executed notebook and read them back per cell."""
    resources = _resources(assignment, notebook, db_url, student, workdir)
    # NB: stock autograde checks the cells' metadata once more after scoring. Executing changes
    # no metadata and the check after sanitizing has passed, so it would only cost time here.
    nb, _ = _run([IgnorePattern(), LimitOutput(), SaveAutoGrades()], nb, resources)
    return _read_grades(
        nb=nb,
        hidden=hidden,
        db_url=db_url,
        assignment=assignment,
        notebook=notebook,
        student=student,
    )


def score_missing_notebook(
    *, db_url: str, assignment: str, notebook: str, student: str, hidden: set[str]
) -> NotebookResult:
    """A notebook the resident did not hand in scores zero, as in nbgrader."""
    with Gradebook(db_url, COURSE_ID) as gb:
        submission = gb.find_submission_notebook(notebook, assignment, student)
        for grade in submission.grades:
            grade.auto_score = 0
            grade.needs_manual_grade = False
        gb.db.commit()
    result = _read_grades(
        nb=None,
        hidden=hidden,
        db_url=db_url,
        assignment=assignment,
        notebook=notebook,
        student=student,
    )
    result.notes.append(f"{notebook}.ipynb was not submitted; its cells score zero.")
    return result


def _read_grades(
    *,
    nb: NotebookNode | None,
    db_url: str,
    assignment: str,
    notebook: str,
    student: str,
    hidden: set[str],
) -> NotebookResult:
    outputs = {}
    if nb is not None:
        outputs = {
            _grade_id(c): _text_of_outputs(c) for c in nb.cells if nbgrader_utils.is_grade(c)
        }
    result = NotebookResult(name=notebook, graded=nb)
    with Gradebook(db_url, COURSE_ID) as gb:
        submission = gb.find_submission_notebook(notebook, assignment, student)
        for grade in sorted(submission.grades, key=lambda g: g.cell.id):
            cell = grade.cell
            is_solution = cell.name in {s.name for s in submission.notebook.solution_cells}
            kind = (
                MANUAL_ANSWER
                if is_solution
                else (AUTOGRADED_TEST if cell.cell_type == "code" else MANUAL_ANSWER)
            )
            result.cells.append(
                CellResult(
                    notebook=notebook,
                    grade_id=grade.name,
                    kind=kind,
                    auto_score=grade.auto_score,
                    max_score=grade.max_score,
                    needs_manual_grade=bool(grade.needs_manual_grade),
                    hidden_tests=grade.name in hidden,
                    output=outputs.get(grade.name, ""),
                )
            )
    return result


def render_feedback(
    *,
    nb: NotebookNode,
    db_url: str,
    assignment: str,
    notebook: str,
    student: str,
    show_hidden_tests: bool,
    release: NotebookNode,
    hidden: set[str],
    comments: dict[str, str] | None = None,
) -> str:
    """Feedback HTML in nbgrader's own template. Hidden tests are replaced by their released
    (test-free) version and their output withheld, unless the author opted in. A grader's
    comment on a cell nbgrader keeps no comments for (a test) follows that cell."""
    nb = nbformat.from_dict(nb)
    if not show_hidden_tests:
        released = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in release.cells}
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if grade_id in hidden and grade_id in released:
                cell.source = released[grade_id].source
                if cell.cell_type == "code":
                    failed = nbgrader_utils.has_failed(cell)
                    cell.outputs = [
                        nbformat.v4.new_output(
                            "stream",
                            name="stdout",
                            text="Hidden tests "
                            + ("did not pass." if failed else "passed.")
                            + "\n",
                        )
                    ]
    nb.cells = [made for cell in nb.cells for made in (cell, *_comment_cell(cell, comments))]
    body, _ = _feedback_exporter().from_notebook_node(
        nb, resources=_resources(assignment, notebook, db_url, student)
    )
    return body


GRADER_COMMENT = "**Your grader's comment on `{grade_id}`:**\n\n{comment}"


def _comment_cell(cell: NotebookNode, comments: dict[str, str] | None) -> list[NotebookNode]:
    grade_id = _grade_id(cell)
    if not comments or grade_id not in comments or nbgrader_utils.is_solution(cell):
        return []
    return [
        nbformat.v4.new_markdown_cell(
            GRADER_COMMENT.format(grade_id=grade_id, comment=comments[grade_id])
        )
    ]


class GetGradesMarkingAwaited(GetGrades):
    """nbgrader's GetGrades, also marking the cells no grader has scored yet and adding up
    their points, so feedback says "Awaiting a grader" where stock nbgrader prints a 0."""

    def preprocess(self, nb, resources):
        resources["nbgrader"]["awaiting_points"] = 0.0
        return super().preprocess(nb, resources)

    def _get_score(self, cell, resources):
        super()._get_score(cell, resources)
        grade = self.gradebook.find_grade(
            cell.metadata["nbgrader"]["grade_id"], self.notebook_id, self.assignment_id,
            self.student_id,
        )  # fmt: skip
        awaiting = bool(grade.needs_manual_grade) and grade.manual_score is None
        cell.metadata.nbgrader["awaiting_grader"] = awaiting
        if awaiting:
            resources["nbgrader"]["awaiting_points"] += grade.max_score or 0.0


@functools.cache
def _feedback_exporter() -> HTMLExporter:
    """nbgrader's feedback exporter with its template changed for cells awaiting a grader
    (``feedback_template/lms_feedback``), built once: compiling templates costs more than rendering."""
    config = Config()
    config.HTMLExporter.template_name = "lms_feedback"
    config.HTMLExporter.extra_template_basedirs = [
        str(LMS_FEEDBACK_TEMPLATES),
        str(FEEDBACK_TEMPLATES),
    ]
    config.HTMLExporter.extra_template_paths = [str(FEEDBACK_CSS)]
    exporter = HTMLExporter(config=config)
    exporter.register_preprocessor(GetGradesMarkingAwaited(), enabled=True)
    exporter.register_preprocessor(CSSHTMLHeaderPreprocessor(), enabled=True)
    return exporter


def warm_up() -> None:
    _feedback_exporter()


def parse_utc(text: str):
    """nbgrader's own reading of submission timestamps; returns a naive UTC datetime."""
    return nbgrader_utils.parse_utc(text)


def notebook_bytes(nb: NotebookNode) -> bytes:
    return nbformat.writes(nb).encode("utf-8")


def is_nbgrader_notebook(nb: NotebookNode) -> bool:
    return any("nbgrader" in cell.get("metadata", {}) for cell in nb.get("cells", []))


def kernel_name(nb: NotebookNode) -> str:
    return nb.get("metadata", {}).get("kernelspec", {}).get("name", "python3")


def env_for_autograde() -> dict[str, str]:
    """nbgrader marks autograding runs so notebooks can tell (``NBGRADER_EXECUTION``)."""
    return {"NBGRADER_EXECUTION": "autograde"}


def render_notebook_html(notebook) -> str:
    """A graded notebook as a standalone HTML page (JupyterLab's look), outputs included.

    The result holds whatever HTML and scripts the resident's outputs hold; the
    LMS shows it only inside a sandboxed frame without scripts.
    """
    body, _ = _notebook_exporter().from_notebook_node(notebook)
    return body


_plain_exporter: HTMLExporter | None = None


def _notebook_exporter() -> HTMLExporter:
    global _plain_exporter
    if _plain_exporter is None:
        _plain_exporter = HTMLExporter(template_name="lab")
    return _plain_exporter

"""Grade one submission: files in, per-cell scores, notes and executed notebooks out.

This module knows nothing of the database. The grading service loads a
submission, calls ``grade_submission`` and stores what comes back, so the same
code serves the web, the task worker and the command line.

The order is nbgrader's: sanitize (restore protected cells from the source),
execute in the sandbox, score. Feedback is rendered afterwards (``render_feedback``).
"""

import functools
import hashlib
import json
import logging
import os
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import nbformat
from nbformat.notebooknode import NotebookNode

from . import nbgrader_adapter as nbg
from .execute import SandboxedExecute
from .sandbox import (
    SandboxedKernelManager,
    SandboxLimits,
    SandboxRun,
    SandboxUser,
    check_sandbox_can_run_kernels,
    kernel_manager_settings,
)

log = logging.getLogger(__name__)


class SubmissionProblem(ValueError):
    """A submitted file that cannot be graded at all; the message is for the resident."""


@dataclass
class AssignmentSpec:
    """What grading needs to know about an assignment, as plain data."""

    key: str
    name: str
    sources: dict[str, NotebookNode]
    releases: dict[str, NotebookNode]
    support_files: dict[str, bytes] = field(default_factory=dict)
    show_hidden_tests: bool = False
    #: The grading gradebook made at upload (sources' cells and an empty submission), if stored.
    gradebook: bytes | None = None


@dataclass
class GradingOutcome:
    cells: list[nbg.CellResult]
    notes: list[str]
    graded_notebooks: dict[str, NotebookNode]
    max_score: float

    @property
    def raw_score(self) -> float:
        return sum(cell.auto_score or 0 for cell in self.cells)

    @property
    def needs_manual_grading(self) -> bool:
        return any(cell.needs_manual_grade for cell in self.cells)


_template_lock = threading.Lock()

SHARED_MEMORY = Path("/dev/shm")  # noqa: S108 - only a parent for private, randomly named 0700 folders


@functools.cache
def memory_scratch() -> str | None:
    """Where a grading keeps its private copy of the gradebook: in memory when the machine has
    a tmpfs at /dev/shm. nbgrader commits after every cell it scores, and on a disk each commit
    waits for a flush (about 40 ms a notebook here); the copy is thrown away after grading."""
    return str(SHARED_MEMORY) if os.access(SHARED_MEMORY, os.W_OK) else None


def gradebook_template(spec: AssignmentSpec, cache_dir: Path) -> Path:
    """The assignment's grading gradebook on this worker's disk, keyed by its contents.

    Made at upload and stored with the assignment, so a worker only writes the
    file out once; an assignment stored without one has it built here, once.
    """
    if spec.gradebook is not None:
        digest = hashlib.sha256(spec.gradebook).hexdigest()[:16]
    else:
        digest = hashlib.sha256(
            json.dumps({n: spec.sources[n] for n in sorted(spec.sources)}, sort_keys=True).encode()
        ).hexdigest()[:16]
    path = cache_dir / f"{spec.key}-{digest}.sqlite"
    with _template_lock:
        if not path.exists():
            cache_dir.mkdir(parents=True, exist_ok=True)
            building = path.with_suffix(f".{os.getpid()}.building")
            if spec.gradebook is not None:
                building.write_bytes(spec.gradebook)
            else:
                grading_gradebook(name=spec.name, sources=spec.sources, path=building)
            building.replace(path)
    return path


def grading_gradebook(*, name: str, sources: dict[str, NotebookNode], path: Path):
    """Validate the sources and generate the release, leaving at ``path`` the gradebook every
    grading of the assignment starts from; returns the released assignment."""
    released = nbg.generate_release(assignment=name, sources=sources, gradebook_path=path)
    nbg.add_grading_submission(gradebook_path=path, assignment=name)
    return released


def warm_up() -> None:
    """Pay the one-time costs of a grading process (schema compilation, feedback templates) now."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    nbformat.validate(nb)
    nbg.warm_up()


def read_notebook(name: str, data: bytes) -> NotebookNode:
    """Parse a submitted notebook; a file that is not a notebook is refused with a reason."""
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SubmissionProblem(
            f"{name} is not a notebook: it is not valid JSON ({error})."
        ) from None
    if not isinstance(raw, dict) or raw.get("nbformat") != 4:
        raise SubmissionProblem(
            f"{name} is not a version 4 notebook (nbformat {raw.get('nbformat') if isinstance(raw, dict) else '?'})."
        )
    # nbformat.reads joins multi-line sources, which nbgrader's checksums expect, and validates
    # the notebook once (a second validation costs as much as the parse).
    invalid: dict = {}
    try:
        nb = nbformat.reads(data.decode("utf-8"), as_version=4, capture_validation_error=invalid)
    except nbformat.ValidationError as error:  # too broken to even read
        invalid["ValidationError"] = error
    if "ValidationError" in invalid:
        message = invalid["ValidationError"].message
        raise SubmissionProblem(f"{name} is not a valid notebook: {message}")
    return nb


def _write_files(run: SandboxRun, files: dict[str, bytes]) -> None:
    for path, content in files.items():
        target = run.workdir / PurePosixPath(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    run.give_tree(run.workdir)


def _zero_everything(
    db_url: str, spec: AssignmentSpec, notebook: str, student: str, reason: str
) -> nbg.NotebookResult:
    result = nbg.score_missing_notebook(
        db_url=db_url,
        assignment=spec.name,
        notebook=notebook,
        student=student,
        hidden=nbg.hidden_test_cells(spec.sources[notebook]),
    )
    result.notes = [reason]
    return result


def grade_submission(
    *,
    spec: AssignmentSpec,
    files: dict[str, bytes],
    limits: SandboxLimits,
    sandbox_user: SandboxUser,
    cache_dir: Path,
    isolate_network: bool = True,
) -> GradingOutcome:
    """Grade every notebook of one submission in a fresh sandbox folder."""
    student = nbg.GRADEBOOK_STUDENT
    check_sandbox_can_run_kernels(sandbox_user)
    template = gradebook_template(spec, cache_dir)
    run = SandboxRun(user=sandbox_user)
    results: list[nbg.NotebookResult] = []
    graded: dict[str, NotebookNode] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="lms-gradebook-", dir=memory_scratch()) as private:
            db_url = nbg.start_grading_gradebook(
                template=template, target=Path(private) / "gradebook.db"
            )
            # Supporting files come from the source, as nbgrader copies them over whatever was submitted.
            graded_files = {f"{name}.ipynb" for name in spec.sources}
            workdir_files = {p: c for p, c in files.items() if p not in graded_files}
            workdir_files.update(spec.support_files)
            _write_files(run, workdir_files)
            for name in spec.sources:
                filename = f"{name}.ipynb"
                if filename not in files:
                    results.append(
                        nbg.score_missing_notebook(
                            db_url=db_url,
                            assignment=spec.name,
                            notebook=name,
                            student=student,
                            hidden=nbg.hidden_test_cells(spec.sources[name]),
                        )
                    )
                    continue
                try:
                    submitted = read_notebook(filename, files[filename])
                except SubmissionProblem as problem:
                    results.append(
                        _zero_everything(
                            db_url, spec, name, student, f"{problem} Its cells score zero."
                        )
                    )
                    continue
                result = _grade_notebook(
                    spec, name, submitted, student, db_url, run, limits, isolate_network
                )
                results.append(result)
                if result.graded is not None:
                    graded[name] = result.graded
    finally:
        run.cleanup()
    cells = [cell for result in results for cell in result.cells]
    notes = [note for result in results for note in result.notes]
    return GradingOutcome(
        cells=cells, notes=notes, graded_notebooks=graded, max_score=sum(c.max_score for c in cells)
    )


def render_feedback(
    *,
    spec: AssignmentSpec,
    graded_notebooks: dict[str, NotebookNode],
    grades: list[nbg.StoredGrade],
    cache_dir: Path,
) -> dict[str, str]:
    """Feedback HTML per notebook, in nbgrader's template, from the stored grades.

    Rendered after grading, not during it (stock ``nbgrader autograde`` does
    not render feedback either), and again whenever grades or comments change by hand.
    """
    student = nbg.GRADEBOOK_STUDENT
    template = gradebook_template(spec, cache_dir)
    with tempfile.TemporaryDirectory(prefix="lms-feedback-", dir=memory_scratch()) as private:
        db_url = nbg.gradebook_with_grades(
            template=template,
            target=Path(private) / "gradebook.db",
            assignment=spec.name,
            student=student,
            grades=grades,
        )
        return {
            name: nbg.render_feedback(
                nb=nb,
                db_url=db_url,
                assignment=spec.name,
                notebook=name,
                student=student,
                hidden=nbg.hidden_test_cells(spec.sources[name]),
                show_hidden_tests=spec.show_hidden_tests,
                release=spec.releases[name],
                comments={
                    g.grade_id: g.comment for g in grades if g.notebook == name and g.comment
                },
            )  # fmt: skip
            for name, nb in graded_notebooks.items()
            if name in spec.sources
        }


def _grade_notebook(
    spec, name, submitted, student, db_url, run, limits, isolate_network
) -> nbg.NotebookResult:
    sanitized, notes = nbg.sanitize_submission(
        nb=submitted,
        db_url=db_url,
        assignment=spec.name,
        notebook=name,
        student=student,
        workdir=str(run.workdir),
        release=spec.releases[name],
    )
    settings = kernel_manager_settings(
        run, limits, nbg.env_for_autograde(), isolate_network=isolate_network
    )
    executor = SandboxedExecute(
        notebook_timeout=limits.notebook_timeout,
        output_bytes_per_cell=limits.output_bytes_per_cell,
        timeout=limits.cell_timeout,
        kernel_manager_class=SandboxedKernelManager,
        extra_arguments=["--HistoryManager.hist_file=:memory:"],
    )
    km = SandboxedKernelManager(kernel_name=nbg.kernel_name(sanitized), **settings)
    executed, _ = executor.preprocess(sanitized, {"metadata": {"path": str(run.workdir)}}, km=km)
    result = nbg.score_executed(
        nb=executed,
        db_url=db_url,
        assignment=spec.name,
        notebook=name,
        student=student,
        workdir=str(run.workdir),
        hidden=nbg.hidden_test_cells(spec.sources[name]),
    )
    result.notes = notes + result.notes
    if executor.timed_out:
        result.notes.append(
            f"{name}: stopped after {limits.notebook_timeout} s; cells not reached score zero."
        )
    return result

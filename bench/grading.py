"""Grading benchmark: stock nbgrader against the platform, on the same courses, in one run.

Two courses. "quickstart": nbgrader's quickstart ``ps1`` and a data lesson whose
notebook imports pandas and numpy, each submitted by 20 residents (half
answered, half blank). "user-guide": nbgrader's own user-guide course as it
ships (``ps1``, handed in by Ben Bitdiddle and Alyssa Hacker).

For each: stock nbgrader runs ``generate_assignment`` and ``autograde`` as its
command line does. The platform, cold from the command line, imports the same
folder into a scratch database (``import_nbgrader_course``, which also makes
the release and the grading gradebook) and grades it (``autograde --wait``);
then, as deployed, with grading workers already running when the course is
imported. Scores are compared cell by cell. Last, each side's overhead per
notebook beyond its cells' own run time: stock's from its autograde run, the
platform's from submit-to-graded on one idle worker.

Run with ``make bench``; prints the figures, writes nothing outside a temp folder.
"""

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

import nbformat

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
RESIDENTS = int(os.environ.get("BENCH_RESIDENTS", "20"))
LATENCY_SAMPLES = int(os.environ.get("BENCH_LATENCY_SAMPLES", "20"))


def _nbgrader_dir() -> Path:
    import nbgrader

    return Path(nbgrader.__file__).parent


def data_lesson_notebook() -> nbformat.NotebookNode:
    """A data lesson as a residency would teach it: pandas and numpy on a small table."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }

    def cell(kind, grade_id, source, points=None):
        meta = {
            "grade": False,
            "solution": False,
            "locked": False,
            "grade_id": grade_id,
            "schema_version": 3,
        }
        made = nbformat.v4.new_code_cell(source)
        if kind == "solution":
            meta["solution"] = True
        elif kind == "test":
            meta.update(grade=True, locked=True, points=points)
        else:
            meta["locked"] = True
        made.metadata["nbgrader"] = meta
        return made

    nb.cells = [
        cell(
            "locked",
            "setup",
            "import numpy as np\nimport pandas as pd\nrents = pd.DataFrame({'unit': range(1, 9), 'rent': [900, 1150, 1300, 875, 2100, 990, 1400, 1250]})",
        ),
        cell(
            "solution",
            "median",
            "def median_rent(df):\n    ### BEGIN SOLUTION\n    return float(df['rent'].median())\n    ### END SOLUTION",
        ),
        cell("test", "test_median", "assert median_rent(rents) == 1200.0", 2),
        cell(
            "solution",
            "burdened",
            "def burdened(df, income):\n    ### BEGIN SOLUTION\n    return int((df['rent'] * 12 > 0.3 * income).sum())\n    ### END SOLUTION",
        ),
        cell(
            "test",
            "test_burdened",
            "assert burdened(rents, 48000) == 4\nassert isinstance(burdened(rents, 48000), int)",
            3,
        ),
        cell(
            "solution",
            "zscores",
            "def zscores(values):\n    ### BEGIN SOLUTION\n    values = np.asarray(values, dtype=float)\n    return (values - values.mean()) / values.std()\n    ### END SOLUTION",
        ),
        cell(
            "test",
            "test_zscores",
            "z = zscores(rents['rent'])\nassert abs(z.mean()) < 1e-9 and abs(z.std() - 1) < 1e-9",
            2,
        ),
    ]
    return nb


def build_quickstart(root: Path) -> list[str]:
    """source/ and nbgrader_config.py: nbgrader's quickstart ps1 and the data lesson."""
    quickstart = _nbgrader_dir() / "docs" / "source" / "user_guide" / "source" / "ps1"
    shutil.copytree(quickstart, root / "source" / "ps1")
    (root / "source" / "data").mkdir(parents=True)
    nbformat.write(data_lesson_notebook(), root / "source" / "data" / "rents.ipynb")
    students = [f"resident{i:02d}" for i in range(RESIDENTS)]
    _config(root, students, ["ps1", "data"])
    return ["ps1", "data"]


def build_user_guide(root: Path) -> list[str]:
    """nbgrader's user-guide course as it ships: ps1, handed in by two students."""
    guide = _nbgrader_dir() / "docs" / "source" / "user_guide"
    shutil.copytree(guide / "source" / "ps1", root / "source" / "ps1")
    students = sorted(p.name for p in (guide / "submitted").iterdir() if p.is_dir())
    for student in students:
        shutil.copytree(guide / "submitted" / student / "ps1", root / "submitted" / student / "ps1")
    _config(root, students, ["ps1"])
    return ["ps1"]


def _config(root: Path, students: list[str], assignments: list[str]) -> None:
    (root / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        f"c.CourseDirectory.root = {str(root)!r}\n"
        f"c.CourseDirectory.db_students = {[{'id': s} for s in students]!r}\n"
        f"c.CourseDirectory.db_assignments = {[{'name': a} for a in assignments]!r}\n"
    )


def submit_everyone(root: Path, assignments: list[str]) -> None:
    """Quickstart hand-ins: answered residents hand in the source (solutions in place), the others
    the release version."""
    for assignment in assignments:
        for i in range(RESIDENTS):
            folder = root / "submitted" / f"resident{i:02d}" / assignment
            shutil.copytree(root / ("source" if i % 2 == 0 else "release") / assignment, folder)
            (folder / "timestamp.txt").write_text("2026-11-20 10:00:00.000000 UTC")


def run(command, **kwargs):
    return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)


def cells_seconds(nb: dict) -> float:
    """The cells' own run time in an executed notebook, from the timings nbclient records."""
    total = 0.0
    for cell in nb.get("cells", []):
        timing = cell.get("metadata", {}).get("execution", {})
        start, end = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
        if start and end:
            total += (_moment(end) - _moment(start)).total_seconds()
    return total


def _moment(text: str):
    import datetime

    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


class Stock(NamedTuple):
    generate: float
    autograde: float
    cells: dict
    totals: dict
    notebooks: int
    cells_seconds: float


def stock_nbgrader(root: Path, assignments: list[str], hand_in) -> Stock:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    started = time.monotonic()
    for assignment in assignments:
        run(
            [str(BIN / "nbgrader"), "generate_assignment", assignment, "--force"], cwd=root, env=env
        )
    generated = time.monotonic()
    hand_in(root)
    autograde_started = time.monotonic()
    for assignment in assignments:
        run([str(BIN / "nbgrader"), "autograde", assignment], cwd=root, env=env)
    finished = time.monotonic()
    from nbgrader.api import Gradebook

    cells, totals = {}, {}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        for assignment in assignments:
            for student in gb.students:
                submission = gb.find_submission(assignment, student.id)
                totals[(assignment, student.id)] = submission.score
                for notebook in submission.notebooks:
                    for grade in notebook.grades:
                        cells[(assignment, student.id, notebook.name, grade.name)] = (
                            grade.auto_score
                        )
    executed = list((root / "autograded").glob("*/*/*.ipynb"))
    return Stock(
        generate=generated - started,
        autograde=finished - autograde_started,
        cells=cells,
        totals=totals,
        notebooks=len(executed),
        cells_seconds=sum(cells_seconds(json.loads(p.read_text())) for p in executed),
    )


def lms_env(scratch: Path) -> dict:
    """The LMS on a scratch database in its own data folder, as the docs suggest for trials."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.dev",
        "LMS_DATA_DIR": str(scratch),
        "DATABASE_URL": f"sqlite:///{scratch / 'bench.sqlite3'}",
        "DEBUG": "false",
        "SECRET_KEY": "benchmark-only",
    }


MANAGE = [PYTHON, str(ROOT / "manage.py")]

DUMP_CELLS = (
    "import json\n"
    "from assignments.models import CellGrade, Grading\n"
    "cells = [[c.grading.submission.assignment.name, c.grading.submission.resident.username, "
    "c.notebook, c.grade_id, c.auto_score] for c in CellGrade.objects.select_related("
    "'grading__submission__assignment', 'grading__submission__resident')]\n"
    "totals = [[g.submission.assignment.name, g.submission.resident.username, g.raw_score] "
    "for g in Grading.objects.select_related('submission__assignment', 'submission__resident')]\n"
    "print(json.dumps({'cells': cells, 'totals': totals}))"
)


def platform_cold(root: Path, scratch: Path) -> tuple[float, float, float, dict, dict]:
    env = lms_env(scratch)
    run([*MANAGE, "migrate", "-v0"], cwd=ROOT, env=env)
    started = time.monotonic()
    run([*MANAGE, "import_nbgrader_course", str(root), "--cohort", "Bench"], cwd=ROOT, env=env)
    imported = time.monotonic()
    output = run([*MANAGE, "autograde", "--wait"], cwd=ROOT, env=env).stdout
    finished = time.monotonic()
    feedback = float(re.search(r"Feedback rendered in ([0-9.]+) s", output).group(1))
    # Stock `nbgrader autograde` renders no feedback (that is `generate_feedback`), so the
    # comparison stops when grades are stored; feedback time is reported on its own.
    finished -= feedback
    dump = json.loads(
        run([*MANAGE, "shell", "-v", "0", "-c", DUMP_CELLS], cwd=ROOT, env=env).stdout
    )
    cells = {(a, s, n, g): score for a, s, n, g, score in dump["cells"]}
    totals = {(a, s): score for a, s, score in dump["totals"]}
    return imported - started, finished - imported, feedback, cells, totals


WAIT_UNTIL_GRADED = """
import time
from assignments.models import Grading
while Grading.objects.exclude(status__in=("graded", "failed")).exists() or not Grading.objects.exists():
    time.sleep(0.05)
print(Grading.objects.filter(status="graded").count())
"""


def start_warm_workers(env: dict, count: int) -> list[subprocess.Popen]:
    """Grading workers as a deployment runs them: started ahead, warmed up, waiting for work."""
    workers = [
        subprocess.Popen(
            [*MANAGE, "grading_worker", "--queues", "default", "--interval", "0.05"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        for _ in range(count)
    ]
    for worker in workers:
        assert "ready" in worker.stdout.readline(), "a grading worker did not start"
    return workers


def stop(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        worker.terminate()
    for worker in workers:
        worker.wait(timeout=30)


def platform_warm(root: Path, scratch: Path) -> tuple[float, int]:
    """Import the course into a deployment whose workers are already running; time until all graded."""
    env = lms_env(scratch)
    run([*MANAGE, "migrate", "-v0"], cwd=ROOT, env=env)
    workers = start_warm_workers(env, (os.cpu_count() or 1) + 1)
    try:
        started = time.monotonic()
        run([*MANAGE, "import_nbgrader_course", str(root), "--cohort", "Bench"], cwd=ROOT, env=env)
        graded = int(
            run([*MANAGE, "shell", "-v", "0", "-c", WAIT_UNTIL_GRADED], cwd=ROOT, env=env).stdout
        )
        return time.monotonic() - started, graded
    finally:
        stop(workers)


LATENCY_SCRIPT = """
import json, sys, time
from assignments.models import Assignment, AssignmentFile, Grading
from assignments.services import submission_create
from lms.people.models import User
assignment = Assignment.objects.get(name="ps1")
resident = User.objects.get(username="resident00")
files = {f.path: bytes(f.content) for f in AssignmentFile.objects.filter(assignment=assignment, kind="source")}
samples = []
for _ in range(SAMPLES):
    started = time.monotonic()
    submission = submission_create(assignment=assignment, resident=resident, files=files)
    while Grading.objects.filter(submission=submission).values_list("status", flat=True).first() not in ("graded", "failed"):
        time.sleep(0.01)
    grading = Grading.objects.get(submission=submission)
    samples.append([time.monotonic() - started, len(grading.graded_notebooks), [nb for nb in grading.graded_notebooks.values()]])
    time.sleep(0.3)
print(json.dumps(samples))
"""


def latency(scratch: Path) -> list[tuple[float, float, int]]:
    """Submit-to-graded on one idle, warm worker: (seconds, the cells' own seconds, notebooks)."""
    env = lms_env(scratch)
    workers = start_warm_workers(env, 1)
    try:
        warm_up = LATENCY_SCRIPT.replace("SAMPLES", "2")
        run([*MANAGE, "shell", "-v", "0", "-c", warm_up], cwd=ROOT, env=env)
        script = LATENCY_SCRIPT.replace("SAMPLES", str(LATENCY_SAMPLES))
        samples = json.loads(
            run([*MANAGE, "shell", "-v", "0", "-c", script], cwd=ROOT, env=env).stdout
        )
        return [(s, sum(cells_seconds(nb) for nb in nbs), n) for s, n, nbs in samples]
    finally:
        stop(workers)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def compare(name: str, stock: Stock, cells: dict, totals: dict) -> bool:
    mismatches = [key for key in stock.cells if stock.cells[key] != cells.get(key)]
    missing = [key for key in stock.cells if key not in cells]
    total_mismatches = [
        key
        for key in stock.totals
        if round(stock.totals[key] or 0, 6) != round(totals.get(key) or 0, 6)
    ]
    same = not mismatches and not total_mismatches and len(stock.cells) == len(cells)
    print(
        f"  scores equal cell by cell: {'yes' if same else 'NO'} ({len(stock.cells)} cells and "
        f"{len(stock.totals)} hand-ins compared, {len(mismatches)} cells differ, {len(missing)} missing, "
        f"{len(total_mismatches)} totals differ)"
    )
    for key in (mismatches + total_mismatches)[:10]:
        print(f"  differs: {key}: stock {stock.cells.get(key, stock.totals.get(key))} "
              f"platform {cells.get(key, totals.get(key))}")  # fmt: skip
    return same


def bench_course(tmp: Path, name: str, build, hand_in) -> tuple[bool, Stock, Path]:
    stock_root, platform_root = tmp / f"{name}-stock", tmp / f"{name}-platform"
    scratch, warm_root, warm_scratch = (
        tmp / f"{name}-lms",
        tmp / f"{name}-warm",
        tmp / f"{name}-lms-warm",
    )
    for folder in (stock_root, scratch, warm_scratch):
        folder.mkdir()
    assignments = build(stock_root)
    stock = stock_nbgrader(stock_root, assignments, hand_in(assignments))
    hand_ins = len(stock.totals)
    print(f"{name}: {', '.join(assignments)}; {hand_ins} hand-ins, {stock.notebooks} notebooks")
    stock_total = stock.generate + stock.autograde
    print(
        f"  stock nbgrader        generate_assignment {stock.generate:6.1f} s   autograde {stock.autograde:6.1f} s"
        f"   total {stock_total:6.1f} s"
    )
    platform_root.mkdir()
    shutil.copytree(stock_root / "source", platform_root / "source")
    shutil.copytree(stock_root / "submitted", platform_root / "submitted")
    imported, graded, feedback, cells, totals = platform_cold(platform_root, scratch)
    cold = imported + graded
    print(
        f"  platform, cold (CLI)  import (+release)   {imported:6.1f} s   autograde {graded:6.1f} s"
        f"   total {cold:6.1f} s   ratio {stock_total / cold:.1f}x"
        f"   (autograde alone {stock.autograde / graded:.1f}x)"
    )
    shutil.copytree(platform_root, warm_root)
    warm, warm_graded = platform_warm(warm_root, warm_scratch)
    print(
        f"  platform, warm workers import + grading {warm:6.1f} s for {warm_graded} hand-ins"
        f"   ratio {stock_total / warm:.1f}x"
    )
    print(
        f"  platform feedback rendering, after grading (stock autograde renders none): {feedback:.1f} s"
    )
    return compare(name, stock, cells, totals), stock, scratch


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="lms-bench-") as tmp:
        tmp = Path(tmp)
        same_quickstart, quickstart, scratch = bench_course(
            tmp,
            "quickstart",
            build_quickstart,
            lambda assignments: lambda root: submit_everyone(root, assignments),
        )
        same_guide, _guide, _ = bench_course(
            tmp, "user-guide", build_user_guide, lambda assignments: lambda root: None
        )
        samples = latency(scratch)
        seconds = [s for s, _c, _n in samples]
        per_notebook = statistics.median((s - c) / n for s, c, n in samples)
        stock_per_notebook = (
            quickstart.autograde - quickstart.cells_seconds
        ) / quickstart.notebooks
        print(
            f"submit-to-graded on an idle worker ({len(samples)} hand-ins of ps1, 2 notebooks): "
            f"p50 {statistics.median(seconds):.2f} s   p95 {percentile(seconds, 0.95):.2f} s"
        )
        print(
            f"overhead per notebook beyond its cells' own run time: stock {stock_per_notebook:.2f} s "
            f"(quickstart autograde), platform {per_notebook:.2f} s (idle warm worker): "
            f"{stock_per_notebook / per_notebook:.1f}x"
        )
        if not (same_quickstart and same_guide):
            sys.exit(1)


if __name__ == "__main__":
    main()

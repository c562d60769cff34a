"""Grading benchmark: stock nbgrader against the platform, on the same course, in one run.

The course: nbgrader's quickstart ``ps1`` and a data lesson whose notebook
imports pandas and numpy, each submitted by 20 residents (half answered, half
blank). Stock nbgrader runs ``generate_assignment`` and ``autograde`` as its
command line does; the platform imports the same folder into a scratch
database and grades it with ``autograde --wait``. Scores are compared cell by
cell. Then the latency from submit to graded on an idle, warm worker.

Run with ``make bench``; prints the figures, writes nothing outside a temp folder.
"""

import csv
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


def build_course(root: Path) -> None:
    """source/ and submitted/ in nbgrader's layout: half the residents answered, half handed in blank."""
    quickstart = _nbgrader_dir() / "docs" / "source" / "user_guide" / "source" / "ps1"
    shutil.copytree(quickstart, root / "source" / "ps1")
    (root / "source" / "data").mkdir(parents=True)
    nbformat.write(data_lesson_notebook(), root / "source" / "data" / "rents.ipynb")
    (root / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        f"c.CourseDirectory.root = {str(root)!r}\n"
        "c.CourseDirectory.db_students = "
        + repr([{"id": f"resident{i:02d}"} for i in range(RESIDENTS)])
        + "\n"
        "c.CourseDirectory.db_assignments = [dict(name='ps1'), dict(name='data')]\n"
    )


def submit_everyone(root: Path) -> None:
    """Answered residents hand in the source (solutions in place); the others the release version."""
    for assignment in ("ps1", "data"):
        for i in range(RESIDENTS):
            folder = root / "submitted" / f"resident{i:02d}" / assignment
            shutil.copytree(root / ("source" if i % 2 == 0 else "release") / assignment, folder)
            (folder / "timestamp.txt").write_text("2026-11-20 10:00:00.000000 UTC")


def run(command, **kwargs):
    return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)


def stock_nbgrader(root: Path) -> tuple[float, float, dict]:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    started = time.monotonic()
    for assignment in ("ps1", "data"):
        run(
            [str(BIN / "nbgrader"), "generate_assignment", assignment, "--force"], cwd=root, env=env
        )
    generated = time.monotonic()
    submit_everyone(root)
    autograde_started = time.monotonic()
    for assignment in ("ps1", "data"):
        run([str(BIN / "nbgrader"), "autograde", assignment], cwd=root, env=env)
    finished = time.monotonic()
    from nbgrader.api import Gradebook

    cells = {}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        for assignment in ("ps1", "data"):
            for i in range(RESIDENTS):
                student = f"resident{i:02d}"
                submission = gb.find_submission(assignment, student)
                for notebook in submission.notebooks:
                    for grade in notebook.grades:
                        cells[(assignment, student, notebook.name, grade.name)] = grade.auto_score
    return generated - started, finished - autograde_started, cells


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


def platform(root: Path, scratch: Path) -> tuple[float, float, dict, dict]:
    env = lms_env(scratch)
    manage = [PYTHON, str(ROOT / "manage.py")]
    run([*manage, "migrate", "-v0"], cwd=ROOT, env=env)
    started = time.monotonic()
    run([*manage, "import_nbgrader_course", str(root), "--cohort", "Bench"], cwd=ROOT, env=env)
    imported = time.monotonic()
    output = run([*manage, "autograde", "--wait"], cwd=ROOT, env=env).stdout
    finished = time.monotonic()
    feedback = float(re.search(r"Feedback rendered in ([0-9.]+) s", output).group(1))
    # Stock `nbgrader autograde` renders no feedback (that is `generate_feedback`), so the
    # comparison stops when grades are stored; feedback time is reported on its own.
    finished -= feedback
    dump = (
        "import json\n"
        "from assignments.models import CellGrade\n"
        "print(json.dumps([[c.grading.submission.assignment.name, c.grading.submission.resident.username, c.notebook, c.grade_id, c.auto_score] for c in CellGrade.objects.select_related('grading__submission__assignment', 'grading__submission__resident')]))"
    )
    rows = json.loads(run([*manage, "shell", "-v", "0", "-c", dump], cwd=ROOT, env=env).stdout)
    cells = {(a, s, n, g): score for a, s, n, g, score in rows}
    export = run([*manage, "export_grades"], cwd=ROOT, env=env).stdout
    totals = {
        (row["assignment"], row["student_id"]): float(row["raw_score"])
        for row in csv.DictReader(export.splitlines())
    }
    return imported - started, finished - imported, cells, totals, feedback


WAIT_UNTIL_GRADED = """
import time
from assignments.models import Grading
while Grading.objects.exclude(status__in=("graded", "failed")).exists() or not Grading.objects.exists():
    time.sleep(0.05)
print(Grading.objects.filter(status="graded").count())
"""


def start_warm_workers(env: dict, count: int) -> list[subprocess.Popen]:
    """Grading workers as a deployment runs them: started ahead, warmed up, waiting for work."""
    manage = [PYTHON, str(ROOT / "manage.py")]
    workers = [
        subprocess.Popen(
            [*manage, "grading_worker", "--queues", "default", "--interval", "0.05"],
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
    manage = [PYTHON, str(ROOT / "manage.py")]
    run([*manage, "migrate", "-v0"], cwd=ROOT, env=env)
    workers = start_warm_workers(env, (os.cpu_count() or 1) + 1)
    try:
        started = time.monotonic()
        run([*manage, "import_nbgrader_course", str(root), "--cohort", "Bench"], cwd=ROOT, env=env)
        graded = int(
            run([*manage, "shell", "-v", "0", "-c", WAIT_UNTIL_GRADED], cwd=ROOT, env=env).stdout
        )
        return time.monotonic() - started, graded
    finally:
        stop(workers)


LATENCY_SCRIPT = """
import statistics, sys, time
from django.db import close_old_connections
from assignments.models import Assignment, AssignmentFile, Grading
from assignments.services import submission_create
from lms.people.models import User
assignment = Assignment.objects.get(name="ps1")
resident = User.objects.get(username="resident00")
files = {f.path: bytes(f.content) for f in AssignmentFile.objects.filter(assignment=assignment, kind="release")}
samples = []
for _ in range(int(sys.argv[-1])):
    started = time.monotonic()
    submission = submission_create(assignment=assignment, resident=resident, files=files)
    while Grading.objects.filter(submission=submission).values_list("status", flat=True).first() not in ("graded", "failed"):
        time.sleep(0.01)
    samples.append(time.monotonic() - started)
    time.sleep(0.3)
print(" ".join(f"{s:.4f}" for s in samples))
"""


def latency(scratch: Path) -> list[float]:
    env = lms_env(scratch)
    manage = [PYTHON, str(ROOT / "manage.py")]
    workers = start_warm_workers(env, 1)
    try:
        run(
            [*manage, "shell", "-v", "0", "-c", LATENCY_SCRIPT.replace("int(sys.argv[-1])", "2")],
            cwd=ROOT,
            env=env,
        )  # warm-up
        out = run(
            [
                *manage,
                "shell",
                "-v",
                "0",
                "-c",
                LATENCY_SCRIPT.replace("int(sys.argv[-1])", str(LATENCY_SAMPLES)),
            ],
            cwd=ROOT,
            env=env,
        ).stdout
        return [float(x) for x in out.split()]
    finally:
        stop(workers)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="lms-bench-") as tmp:
        tmp = Path(tmp)
        stock_root, platform_root, scratch = tmp / "stock", tmp / "platform", tmp / "lms"
        stock_root.mkdir()
        scratch.mkdir()
        build_course(stock_root)
        print(
            f"Course: ps1 (nbgrader quickstart) and data (pandas + numpy), {RESIDENTS} residents each, half answered."
        )
        stock_generate, stock_autograde, stock_cells = stock_nbgrader(stock_root)
        stock_total = stock_generate + stock_autograde
        print(
            f"stock nbgrader   generate_assignment {stock_generate:6.1f} s   autograde {stock_autograde:6.1f} s   total {stock_total:6.1f} s"
        )
        platform_root.mkdir()
        shutil.copytree(stock_root / "source", platform_root / "source")
        shutil.copytree(stock_root / "submitted", platform_root / "submitted")
        ours_import, ours_grade, our_cells, our_totals, feedback = platform(platform_root, scratch)
        ours_total = ours_import + ours_grade
        print(
            f"platform         import (+release)   {ours_import:6.1f} s   autograde {ours_grade:6.1f} s   total {ours_total:6.1f} s"
        )
        print(
            f"throughput ratio, cold (stock / platform): {stock_total / ours_total:.1f}x   (autograde alone: {stock_autograde / ours_grade:.1f}x)"
        )
        print(
            f"platform feedback rendering, after grading (stock autograde renders none): {feedback:.1f} s"
        )
        mismatches = [key for key in stock_cells if stock_cells[key] != our_cells.get(key)]
        missing = [key for key in stock_cells if key not in our_cells]
        print(
            f"scores equal cell by cell: {'yes' if not mismatches and len(stock_cells) == len(our_cells) else 'NO'} "
            f"({len(stock_cells)} cells compared, {len(mismatches)} differ, {len(missing)} missing)"
        )
        for key in mismatches[:10]:
            print(f"  differs: {key}: stock {stock_cells[key]} platform {our_cells.get(key)}")
        warm_root, warm_scratch = tmp / "platform-warm", tmp / "lms-warm"
        warm_scratch.mkdir()
        shutil.copytree(platform_root, warm_root)
        warm_total, warm_graded = platform_warm(warm_root, warm_scratch)
        print(
            f"platform, workers already running (as deployed): import + grading {warm_total:6.1f} s "
            f"for {warm_graded} submissions; ratio {stock_total / warm_total:.1f}x"
        )
        samples = latency(scratch)
        print(
            f"submit-to-graded latency on an idle worker ({len(samples)} submissions): "
            f"p50 {statistics.median(samples):.2f} s   p95 {percentile(samples, 0.95):.2f} s"
        )
        if mismatches:
            sys.exit(1)


if __name__ == "__main__":
    main()

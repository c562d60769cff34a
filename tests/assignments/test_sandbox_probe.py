"""The probe notebook, graded the way a deployment grades: import_nbgrader_course + autograde --wait.

Each test cell is one thing a resident's code must not do or see: list the host's
folders, read a world-readable file of the host (where an SQLite database outside
the data folder would sit), write to the host's /tmp, or see other processes.
"""

import io
import shutil
import tempfile
from pathlib import Path

import nbformat
import pytest
from django.core.management import call_command

from assignments.models import CellGrade
from common import confinement

from .conftest import make_spec, released_with_answer, source_notebook

pytestmark = [
    pytest.mark.grading,
    pytest.mark.django_db,
    pytest.mark.skipif(
        not confinement.private_machine_available(),
        reason="a private filesystem and process list need a root worker",
    ),
]

HOST_MARKER = Path(tempfile.gettempdir()) / "probe-wrote-here"


@pytest.fixture
def host_database():
    folder = Path(tempfile.mkdtemp(prefix="probe-host-", dir="/var/tmp"))
    folder.chmod(0o755)
    database = folder / "lms.sqlite3"
    database.write_bytes(b"SQLite format 3\x00 the LMS database")
    database.chmod(0o644)
    yield database
    shutil.rmtree(folder, ignore_errors=True)


def _probe_cells(database: Path):
    return (
        ("solution", "answer", "# YOUR CODE HERE\nraise NotImplementedError()"),
        (
            "test",
            "no_host_folders",
            "import os\nassert not {'home', 'root', 'srv', 'var', 'opt'} & set(os.listdir('/'))",
        ),
        (
            "test",
            "no_host_database",
            f"import os\nassert not os.path.exists({str(database)!r})",
        ),
        (
            "test",
            "private_tmp",
            f"open('/tmp/{HOST_MARKER.name}', 'w').write('x')\nassert True",
        ),
        (
            "test",
            "own_processes_only",
            "import os\npids = [p for p in os.listdir('/proc') if p.isdigit()]\nassert len(pids) < 10, pids",
        ),
    )


def test_the_probe_through_the_grading_worker_sees_a_machine_of_its_own(
    tmp_path, host_database, django_capture_on_commit_callbacks
):
    HOST_MARKER.unlink(missing_ok=True)
    source = source_notebook(*_probe_cells(host_database))
    spec = make_spec("probe", {"probe": source})
    course = tmp_path / "course"
    (course / "source" / "probe").mkdir(parents=True)
    nbformat.write(source, course / "source" / "probe" / "probe.ipynb")
    submitted = course / "submitted" / "mallory" / "probe"
    submitted.mkdir(parents=True)
    (submitted / "probe.ipynb").write_bytes(
        released_with_answer(spec, "probe", {"answer": "x = 1"})
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "import_nbgrader_course", str(course), "--cohort", "Probe", "--assignment", "probe",
            stdout=io.StringIO(),
        )  # fmt: skip
    out = io.StringIO()
    call_command("autograde", "--wait", stdout=out)
    assert "0 could not be graded" in out.getvalue(), out.getvalue()
    scores = {
        cell.grade_id: (cell.auto_score, cell.output)
        for cell in CellGrade.objects.filter(grading__submission__resident__username="mallory")
    }
    failed = {grade_id: output for grade_id, (score, output) in scores.items() if score != 1}
    assert set(scores) >= {
        "no_host_folders",
        "no_host_database",
        "private_tmp",
        "own_processes_only",
    }
    assert failed == {}
    assert not HOST_MARKER.exists(), "the probe wrote to the host's /tmp"

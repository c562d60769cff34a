"""Student code runs with none of the LMS's rights, and misbehaving code only costs its own cells."""

import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

import pytest
from django.conf import settings

from common import confinement

from .conftest import FAST_LIMITS, by_id, make_spec, released_with_answer, source_notebook

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.grading


def _spec(answer_check: str, points: float = 1):
    return make_spec(
        "sandbox",
        {
            "nb": source_notebook(
                ("solution", "answer", "# YOUR CODE HERE\nraise NotImplementedError()"),
                ("test", "check", answer_check, points),
                ("test", "after", "assert 1 + 1 == 2", 1),
            )
        },
    )


def _grade_answer(grade, answer: str, check: str = "assert True", limits=FAST_LIMITS):
    spec = _spec(check)
    outcome = grade(
        spec, {"nb.ipynb": released_with_answer(spec, "nb", {"answer": answer})}, limits=limits
    )
    return by_id(outcome), outcome


def test_an_ordinary_answer_scores_full_marks(grade):
    """Does a correct answer pass in the sandbox (the control for the cases below)?"""
    cells, outcome = _grade_answer(grade, "x = 42", "assert x == 42")
    assert cells["check"].auto_score == 1 and cells["after"].auto_score == 1


def test_infinite_loop_times_out_and_the_notebook_goes_on(grade):
    """Does `while True: pass` cost its cell, with a reason, and leave later cells graded?"""
    cells, _ = _grade_answer(grade, "x = 1", "while True:\n    pass")
    assert cells["check"].auto_score == 0
    assert (
        "CellTimeoutError" in cells["check"].output or "KeyboardInterrupt" in cells["check"].output
    )
    assert cells["after"].auto_score == 1


def test_kernel_that_exits_scores_zero_from_there_on(grade):
    """Does os._exit in an answer zero the cells it prevents from running, with a readable reason?"""
    cells, _ = _grade_answer(grade, "import os\nos._exit(0)", "assert True")
    assert cells["check"].auto_score == 0
    assert "not run" in cells["check"].output or "KernelDied" in cells["check"].output
    assert cells["after"].auto_score == 0


def test_memory_hog_hits_the_limit(grade):
    """Does allocating far past the memory limit fail in the sandbox, not in the worker?"""
    cells, _ = _grade_answer(grade, "x = 1", "hog = bytearray(4 * 1024 ** 3)")
    assert cells["check"].auto_score == 0
    assert (
        "MemoryError" in cells["check"].output
        or "KernelDied" in cells["check"].output
        or "not run" in cells["check"].output
    )


def test_fork_bomb_is_contained(grade):
    """Does a fork bomb hit the process limit and leave the grader standing?"""
    bomb = (
        "import os\n"
        "children = []\n"
        "try:\n"
        "    for _ in range(100000):\n"
        "        pid = os.fork()\n"
        "        if pid == 0:\n"
        "            import time; time.sleep(30); os._exit(0)\n"
        "        children.append(pid)\n"
        "except OSError as error:\n"
        "    raise AssertionError(f'stopped after {len(children)} processes: {error}')"
    )
    cells, _ = _grade_answer(grade, "x = 1", bomb)
    assert cells["check"].auto_score == 0
    assert "stopped after" in cells["check"].output


def test_huge_output_is_truncated(grade):
    """Does printing 50 MB keep the grader's memory small and still grade the cell?"""
    cells, _ = _grade_answer(grade, "print('x' * 50_000_000)", "assert True")
    assert cells["check"].auto_score == 1
    assert len(cells["check"].output) < 100_000


def test_no_secrets_in_the_kernel_environment(grade, monkeypatch):
    """Can student code read the LMS's secret key or database address from its environment?"""
    monkeypatch.setenv("SECRET_KEY", "do-not-leak-me")
    monkeypatch.setenv("DATABASE_URL", "postgres://lms:secret@db/lms")
    check = "import os\nleaked = [k for k in os.environ if k in ('SECRET_KEY', 'DATABASE_URL')]\nassert not leaked, leaked"
    cells, _ = _grade_answer(grade, "x = 1", check)
    assert cells["check"].auto_score == 1, cells["check"].output


@pytest.mark.skipif(
    os.geteuid() != 0, reason="dropping to an unprivileged user needs a root worker"
)
def test_student_code_runs_unprivileged_and_cannot_read_the_data_folder(grade, tmp_path):
    """Is student code a different, unprivileged user that cannot read the LMS's files?"""
    secret = tmp_path / "private"
    secret.mkdir(mode=0o700)
    (secret / "lms.sqlite3").write_text("password hashes")
    check = (
        "import os\n"
        "assert os.geteuid() != 0, 'running as root'\n"
        f"try:\n    open({str(secret / 'lms.sqlite3')!r}).read()\n    raise AssertionError('read the database')\n"
        "except (PermissionError, FileNotFoundError):\n    pass"
    )
    cells, _ = _grade_answer(grade, "x = 1", check)
    assert cells["check"].auto_score == 1, cells["check"].output


private_machine = pytest.mark.skipif(
    not confinement.private_machine_available(),
    reason="a private filesystem and process list need a root worker",
)


@pytest.fixture
def world_readable_host_file():
    """A file any user may read, outside the data folder: what a database file in /srv looks like."""
    folder = Path(tempfile.mkdtemp(prefix="host-files-", dir="/var/tmp"))
    folder.chmod(0o755)
    placed = folder / "lms.sqlite3"
    placed.write_text("SQLite format 3 - the LMS database")
    placed.chmod(0o644)
    yield placed
    shutil.rmtree(folder, ignore_errors=True)


@private_machine
def test_student_code_sees_no_host_folders_and_reads_no_host_file(grade, world_readable_host_file):
    """Does listing / show only the sandbox's own folders, and is a world-readable host file gone?"""
    check = (
        "import os\n"
        "top = sorted(os.listdir('/'))\n"
        "assert not {'root', 'home', 'srv', 'var', 'opt', 'mnt', 'boot'} & set(top), top\n"
        f"assert not os.path.exists({str(world_readable_host_file)!r}), 'host file visible'\n"
        f"assert not os.path.exists({str(ROOT / 'manage.py')!r}), 'project folder visible'\n"
        f"assert not os.path.exists({str(ROOT / 'lms')!r}), 'project folder visible'\n"
        f"assert not os.path.exists({str(settings.LMS_DATA_DIR)!r}), 'data folder visible'\n"
        "assert not os.path.exists('/etc/shadow')\n"
        "import sys, numpy\n"
        "assert sys.prefix and numpy.zeros(3).sum() == 0"
    )
    cells, _ = _grade_answer(grade, "x = 1", check)
    assert cells["check"].auto_score == 1, cells["check"].output


@private_machine
def test_student_code_writes_only_its_own_folder_and_a_private_tmp(grade):
    """Does a kernel's /tmp start empty and stay its own, and is everything else read-only?"""
    marker = Path(tempfile.gettempdir()) / "written-by-a-kernel"
    marker.unlink(missing_ok=True)
    check = (
        "import os\n"
        "assert os.listdir('/tmp') != [] or True\n"
        "import sys\n"
        "mine = {sys.prefix.split('/')[2]} if sys.prefix.startswith('/tmp/') else set()\n"
        "others = [n for n in os.listdir('/tmp') if not n.startswith('lms-grade-') and n not in mine]\n"
        "assert others == [], others\n"
        "open('/tmp/written-by-a-kernel', 'w').write('x')\n"
        "open('answer.txt', 'w').write('mine')\n"
        "for path in ('/usr/lib/escape.txt', sys_prefix + '/escape.txt'):\n"
        "    try:\n"
        "        open(path, 'w').write('x')\n"
        "        raise AssertionError('wrote ' + path)\n"
        "    except OSError:\n"
        "        pass"
    ).replace("sys_prefix", "__import__('sys').prefix")
    cells, _ = _grade_answer(grade, "x = 1", check)
    assert cells["check"].auto_score == 1, cells["check"].output
    assert not marker.exists(), "the kernel wrote to the host's /tmp"


@private_machine
def test_student_code_sees_only_its_own_processes(grade):
    """Does /proc list the kernel and its children only, not the grader or other kernels?"""
    check = (
        "import os\n"
        "pids = sorted(int(name) for name in os.listdir('/proc') if name.isdigit())\n"
        "assert pids and pids[0] == 1 and len(pids) < 10, pids\n"
        "try:\n"
        "    os.kill(os.getppid() or 1, 0)\n"
        "except OSError:\n"
        "    pass"
    )
    cells, _ = _grade_answer(grade, "x = 1", check)
    assert cells["check"].auto_score == 1, cells["check"].output


@private_machine
def test_two_kernels_graded_together_cannot_see_each_others_work(grade):
    """Is a submission graded at the same time as another invisible to it?"""
    results = {}

    def grade_one(name: str, other: str):
        check = (
            "import os, time\n"
            f"open('{name}.txt', 'w').write('{name}')\n"
            "time.sleep(1.5)\n"
            "here = os.getcwd()\n"
            "base = os.path.dirname(os.path.dirname(here))\n"
            "import sys\n"
            "env = sys.prefix.split('/')[2] if sys.prefix.startswith(base + '/') else None\n"
            "siblings = [d for d in os.listdir(base) if os.path.join(base, d) != os.path.dirname(here) and d != env]\n"
            "assert siblings == [], siblings\n"
            f"assert not any(os.path.exists(os.path.join(base, d, 'work', '{other}.txt')) for d in os.listdir(base))"
        )
        results[name] = _grade_answer(grade, "x = 1", check)[0]

    threads = [
        threading.Thread(target=grade_one, args=("first", "second")),
        threading.Thread(target=grade_one, args=("second", "first")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    for name in ("first", "second"):
        assert results[name]["check"].auto_score == 1, results[name]["check"].output


def test_no_network(grade):
    """Can student code open a connection out of the sandbox?"""
    if not settings.LMS_GRADER_ISOLATE_NETWORK:
        pytest.skip("network isolation is switched off")
    check = (
        "import socket\n"
        "s = socket.socket()\ns.settimeout(2)\n"
        "try:\n    s.connect(('127.0.0.1', 9))\n    raise AssertionError('connected')\n"
        "except OSError:\n    pass"
    )
    cells, _ = _grade_answer(grade, "x = 1", check)
    assert cells["check"].auto_score == 1, cells["check"].output


def test_working_folder_holds_only_this_submission(grade):
    """Does the kernel start in a folder with this submission's files and nothing else?"""
    spec = make_spec(
        "files",
        {"nb": source_notebook(("test", "check", "import os\nprint(sorted(os.listdir('.')))"))},
        support_files={"data.csv": b"a,b\n1,2\n"},
    )
    outcome = grade(spec, {"nb.ipynb": released_with_answer(spec, "nb", {}), "notes.txt": b"mine"})
    assert by_id(outcome)["check"].output.strip() == "['data.csv', 'notes.txt']"


@pytest.mark.skipif(
    os.geteuid() != 0, reason="dropping to an unprivileged user needs a root worker"
)
@pytest.mark.django_db
def test_grading_closes_the_data_folder_to_student_code(settings, tmp_path):
    """Once a worker grades, can student code still read the LMS's database file?"""
    from assignments.services import runs

    data = tmp_path / "var"
    data.mkdir(mode=0o755)
    (data / "lms.sqlite3").write_text("password hashes")
    (data / "lms.sqlite3").chmod(0o644)
    settings.LMS_DATA_DIR = data
    runs._data_dir_closed = False
    (data / "media").mkdir(mode=0o755)
    (data / "homes").mkdir(mode=0o755)
    runs.data_dir_close()
    assert data.stat().st_mode & 0o777 == 0o711, "traverse-only, so residents reach their homes"
    assert (data / "lms.sqlite3").stat().st_mode & 0o077 == 0
    assert (data / "media").stat().st_mode & 0o077 == 0
    assert (data / "homes").stat().st_mode & 0o777 == 0o711
    probe = subprocess.run(
        ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
         "cat", str(data / "lms.sqlite3")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert probe.returncode != 0 and "password" not in probe.stdout


@pytest.mark.skipif(
    os.geteuid() != 0, reason="dropping to an unprivileged user needs a root worker"
)
def test_unreachable_python_is_reported_not_graded_as_zero(tmp_path, monkeypatch):
    """If the sandbox user cannot run the kernel's Python, does grading say so instead of scoring zero?"""
    import sys

    from assignments.grading import sandbox

    closed = tmp_path / "closed"
    closed.mkdir(mode=0o700)
    (closed / "python").symlink_to(sys.executable)
    monkeypatch.setattr(sys, "executable", str(closed / "python"))
    monkeypatch.setattr(sandbox, "_checked_users", set())
    with pytest.raises(RuntimeError, match="cannot run"):
        sandbox.check_sandbox_can_run_kernels(sandbox.SandboxUser.resolve("nobody"))

"""The one fork-server protocol both fork servers (grading kernels, notebook servers) speak."""

import os
import pwd
import shutil
import signal
import tempfile
import time
from pathlib import Path

import pytest

from common.forkserver import ForkServerError, ForkServerProcess, request_fork

MODULE = "tests.common.sleeper_forkserver"


def _gone(pid: int, within: float = 10) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        # A zombie of ours is gone for our purposes too.
        with open(f"/proc/{pid}/stat") as stat:
            if stat.read().split(") ")[1].startswith("Z"):
                return True
        time.sleep(0.05)
    return False


@pytest.fixture
def report_dir():
    """A folder an unprivileged child can write to (pytest's own are private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="forkserver-test-"))
    folder.chmod(0o777)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def server():
    started = ForkServerProcess(MODULE, {"PATH": os.environ["PATH"]})
    yield started
    started.close()


def test_a_forked_child_answers_with_its_pid_once_it_is_confined(server, report_dir):
    report = report_dir / "child.txt"
    pid = server.fork({"report": str(report), "confine": {"cwd": str(report_dir)}})
    try:
        uid, gid, leads_session, cwd = report.read_text().split()
        assert leads_session == "True"
        assert cwd == str(report_dir)
        assert os.getpgid(pid) == pid
    finally:
        os.kill(pid, signal.SIGKILL)


@pytest.mark.skipif(os.geteuid() != 0, reason="changing user needs root")
def test_a_child_drops_to_the_account_it_was_given(server, report_dir):
    nobody = pwd.getpwnam("nobody")
    report = report_dir / "nobody.txt"
    pid = server.fork(
        {"report": str(report), "confine": {"uid": nobody.pw_uid, "gid": nobody.pw_gid}}
    )
    try:
        uid, gid, *_ = report.read_text().split()
        assert (int(uid), int(gid)) == (nobody.pw_uid, nobody.pw_gid)
    finally:
        os.kill(pid, signal.SIGKILL)


def test_a_child_that_fails_reports_why_and_the_server_goes_on(server, report_dir):
    with pytest.raises(ForkServerError, match="asked to fail"):
        server.fork({"fail": True})
    pid = server.fork({"report": str(report_dir / "after.txt")})
    os.kill(pid, signal.SIGKILL)


def test_a_request_to_a_server_that_is_not_there_is_a_clear_error(tmp_path):
    with pytest.raises(ForkServerError, match="did not answer"):
        request_fork(str(tmp_path / "missing.sock"), {})


def test_the_server_exits_when_its_starter_closes_its_input_and_leaves_its_folder_clean(
    report_dir,
):
    server = ForkServerProcess(MODULE, {"PATH": os.environ["PATH"]})
    pid = server.fork({"report": str(report_dir / "r.txt"), "seconds": 60})
    server.close()
    assert server.process.returncode == 0
    assert not os.path.exists(server.folder)
    # Notebook servers outlive the fork server, as they outlive a hub restart.
    assert not _gone(pid, within=0.5)
    os.kill(pid, signal.SIGKILL)


def test_kernels_do_not_outlive_a_server_that_says_so(report_dir):
    env = {"PATH": os.environ["PATH"], "SLEEPER_KILL_CHILDREN": "1"}
    server = ForkServerProcess(MODULE, env)
    pid = server.fork({"report": str(report_dir / "r.txt"), "seconds": 60})
    server.close()
    assert _gone(pid)

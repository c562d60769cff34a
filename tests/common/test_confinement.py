"""Confining a process: one implementation for grading kernels and notebook servers."""

import os
import pwd
import resource
import shutil
import tempfile
from pathlib import Path

import pytest

from common.confinement import (
    ConfinementError,
    apply_limits,
    confine,
    drop_privileges,
    private_machine_available,
)


def _in_child(action) -> tuple[int, str]:
    """Run ``action`` in a forked child; return its exit status and what it wrote."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        try:
            message = action() or ""
            code = 0
        except ConfinementError as error:
            message, code = f"refused: {error}", 3
        except BaseException as error:  # noqa: BLE001 - reported to the parent
            message, code = f"{type(error).__name__}: {error}", 4
        os.write(write_end, message.encode())
        os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        output = pipe.read()
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), output


@pytest.mark.skipif(os.geteuid() != 0, reason="changing user needs root")
def test_confine_drops_to_the_account_sets_limits_umask_folder_and_environment():
    nobody = pwd.getpwnam("nobody")

    def action():
        confine(
            {
                "uid": nobody.pw_uid,
                "gid": nobody.pw_gid,
                "isolate_network": False,
                "limits": {"RLIMIT_NPROC": 64, "RLIMIT_CORE": 0},
                "cwd": "/tmp",
                "env": {"ONLY": "this"},
            }
        )
        umask = os.umask(0)
        return repr(
            (
                os.getresuid(),
                os.getgroups(),
                resource.getrlimit(resource.RLIMIT_NPROC),
                oct(umask),
                os.getcwd(),
                dict(os.environ),
                os.getsid(0) == os.getpid(),
            )
        )

    code, output = _in_child(action)
    assert code == 0, output
    expected = (
        (nobody.pw_uid,) * 3,
        [],
        (64, 64),
        "0o77",
        "/tmp",
        {"ONLY": "this"},
        True,
    )
    assert output == repr(expected)


@pytest.mark.skipif(os.geteuid() != 0, reason="changing user needs root")
def test_a_confined_process_cannot_become_root_again():
    nobody = pwd.getpwnam("nobody")

    def action():
        drop_privileges(nobody.pw_uid, nobody.pw_gid)
        os.setuid(0)

    code, output = _in_child(action)
    assert code == 4 and "PermissionError" in output


def test_a_process_that_cannot_switch_users_keeps_its_own():
    def action():
        if os.geteuid() == 0:
            os.setuid(pwd.getpwnam("nobody").pw_uid)
        before = os.getresuid()
        drop_privileges(12345, 12345)
        return repr(os.getresuid() == before)

    assert _in_child(action) == (0, "True")


def test_limits_are_hard_limits_that_student_code_cannot_raise_again():
    def action():
        nobody = pwd.getpwnam("nobody")
        drop_privileges(nobody.pw_uid, nobody.pw_gid)
        apply_limits({"RLIMIT_NOFILE": 64, "RLIMIT_FSIZE": None})
        resource.setrlimit(resource.RLIMIT_NOFILE, (128, 128))

    code, output = _in_child(action)
    assert code == 4 and "ValueError" in output


@pytest.mark.skipif(not private_machine_available(), reason="a private machine needs root")
def test_a_private_machine_shows_what_it_was_given_even_under_the_hosts_tmp():
    """A Python environment or work folder under the host's /tmp (a clone there, say) stays
    visible inside, although the confined process gets a /tmp of its own."""
    given = Path(tempfile.mkdtemp(prefix="given-"))
    work = Path(tempfile.mkdtemp(prefix="work-"))
    root = Path(tempfile.mkdtemp(prefix="root-"))
    (given / "library.py").write_text("VALUE = 42\n")
    hidden = Path(tempfile.mkdtemp(prefix="hidden-"))
    try:

        def action():
            confine(
                {
                    "isolate_network": False,
                    "filesystem": {
                        "root": str(root),
                        "readable": [str(given)],
                        "writable": [str(work)],
                    },
                }
            )
            (work / "out.txt").write_text("written")
            return repr(
                (
                    (given / "library.py").read_text(),
                    hidden.exists(),
                    sorted(p.name for p in Path("/tmp").iterdir()),
                )
            )

        code, output = _in_child(action)
        assert code == 0, output
        text, hidden_seen, tmp_entries = eval(output)  # noqa: S307 - our own repr
        assert text == "VALUE = 42\n"
        assert hidden_seen is False
        assert set(tmp_entries) == {given.name, work.name}
        assert (work / "out.txt").read_text() == "written"
    finally:
        for folder in (given, work, root, hidden):
            shutil.rmtree(folder, ignore_errors=True)

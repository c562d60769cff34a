"""``make run``'s services start clean and stop clean: Ctrl-C ends everything within five seconds,
a run killed with SIGKILL leaves nothing that stops the next one, and a port held by something
else is named with how to stop it."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from .hub import PROJECT_DIR, free_port

pytestmark = [pytest.mark.e2e]

RUN = [sys.executable, "scripts/run_services.py"]


@pytest.fixture(scope="module")
def environment(tmp_path_factory):
    """A data folder with a migrated database, and free ports, as make run would have them."""
    data_dir = tmp_path_factory.mktemp("make-run")
    data_dir.chmod(0o711)
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DEBUG")}
    env.update(
        DJANGO_SETTINGS_MODULE="lms.settings.dev",
        LMS_DATA_DIR=str(data_dir),
        LMS_PORT=str(free_port()),
        HUB_PORT=str(free_port()),
        HUB_PROXY_API_URL=f"http://127.0.0.1:{free_port()}",
        HUB_INTERNAL_URL=f"http://127.0.0.1:{free_port()}",
    )
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=PROJECT_DIR, env=env, check=True,
    )  # fmt: skip
    return env


def _ignoring_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _start(env, log: Path, *, sigint_ignored: bool = False) -> subprocess.Popen:
    """The supervisor in its own process group, as a terminal's foreground job; or started with
    SIGINT ignored, as a shell's background job or nohup leaves it."""
    out = open(log, "ab")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(
        RUN, cwd=PROJECT_DIR, env=env, stdout=out, stderr=subprocess.STDOUT,
        start_new_session=True, preexec_fn=_ignoring_sigint if sigint_ignored else None,
    )  # fmt: skip


def _ready(env, process, log: Path, timeout: float = 120) -> None:
    lms = f"http://127.0.0.1:{env['LMS_PORT']}/accounts/login/"
    hub = f"http://127.0.0.1:{env['HUB_PORT']}/hub/health"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()[-3000:]
        try:
            if requests.get(lms, timeout=2).ok and requests.get(hub, timeout=2).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise AssertionError("services did not come up:\n" + log.read_text()[-3000:])


def _ctrl_c(process) -> float:
    """SIGINT to the whole process group, as the terminal sends it; seconds until all is gone."""
    started = time.monotonic()
    os.killpg(process.pid, signal.SIGINT)
    process.wait(timeout=30)
    return time.monotonic() - started


def _ours() -> list[int]:
    marker = f"LMS_RUN_SERVICES={PROJECT_DIR}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker in (entry / "environ").read_bytes().split(b"\0"):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def _ports_free(env) -> bool:
    for port in (env["LMS_PORT"], env["HUB_PORT"]):
        with socket.socket() as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind(("127.0.0.1", int(port)))
            except OSError:
                return False
    return True


@pytest.mark.parametrize("sigint_ignored", [False, True], ids=["terminal", "background job"])
def test_ctrl_c_stops_everything_within_five_seconds(environment, tmp_path, sigint_ignored):
    """Does everything stop within five seconds, the hub's proxy and culler too, also when the
    run was started with SIGINT ignored (its children would inherit that)?"""
    log = tmp_path / "run.log"
    process = _start(environment, log, sigint_ignored=sigint_ignored)
    _ready(environment, process, log)
    took = _ctrl_c(process)
    assert took < 5, f"stopping took {took:.1f} s:\n{log.read_text()[-2000:]}"
    time.sleep(0.5)
    assert _ours() == [], "no proxy, culler or server left running"
    assert _ports_free(environment)


def test_a_run_killed_outright_does_not_stop_the_next(environment, tmp_path):
    """SIGKILL the supervisor and the hub (a crash): the proxy, culler and Django processes are
    orphaned. Does the next run end them and come up?"""
    log = tmp_path / "run.log"
    first = _start(environment, log)
    _ready(environment, first, log)
    hub = next(
        pid for pid in _ours() if b"jupyterhub\0-f" in Path(f"/proc/{pid}/cmdline").read_bytes()
    )
    os.kill(first.pid, signal.SIGKILL)
    os.kill(hub, signal.SIGKILL)
    first.wait(timeout=10)
    assert _ours(), "the crash left processes behind"

    second = _start(environment, log)
    _ready(environment, second, log)
    assert "left by an earlier run" in log.read_text()
    assert _ctrl_c(second) < 5
    time.sleep(0.5)
    assert _ours() == []


def test_a_port_held_by_something_else_is_named_with_how_to_stop_it(environment, tmp_path):
    with socket.socket() as squatter:
        # Earlier tests served on this port; their closed connections may linger in TIME_WAIT.
        squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        squatter.bind(("127.0.0.1", int(environment["HUB_PORT"])))
        squatter.listen()
        result = subprocess.run(
            RUN, cwd=PROJECT_DIR, env=environment, capture_output=True, text=True, timeout=60
        )
    assert result.returncode == 1
    assert f"Port {environment['HUB_PORT']}, for JupyterHub, is held by process {os.getpid()}" in (
        result.stderr
    )
    assert f"kill {os.getpid()}" in result.stderr
    assert _ours() == [], "nothing was started"

"""Start the LMS, the grading worker, the scheduler and JupyterHub together (``make run``).

Ctrl-C (or SIGTERM) stops all of them within a few seconds: the hub is asked first, so it
stops its proxy, its idle culler and any notebook servers itself, and whatever is still
running after that is ended. Every process started here carries ``LMS_RUN_SERVICES`` in its
environment, as do the ones the hub starts; a run that was killed outright (SIGKILL, a crash)
leaves some behind, and the next run from this checkout ends them before it starts. A port
held by anything else is named, with how to stop it, instead of failing half-way.

Only the standard library: it runs before anything is imported from the project.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_DIR = Path(__file__).resolve().parents[1]
MARKER = "LMS_RUN_SERVICES"
STOP_SECONDS = 4.0


def _port(url: str, default: int) -> int:
    return urlsplit(url).port or default if url else default


def ports(environ) -> dict[str, int]:
    """The ports this run listens on, as the settings and hub configuration read them."""
    return {
        "the LMS": int(environ.get("LMS_PORT", "8000")),
        "JupyterHub": int(environ.get("HUB_PORT", "8001")),
        "JupyterHub's proxy API": _port(environ.get("HUB_PROXY_API_URL", ""), 8002),
        "JupyterHub's internal API": _port(environ.get("HUB_INTERNAL_URL", ""), 8081),
    }


def _pids():
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            yield int(entry.name)


def _read(pid: int, name: str) -> bytes:
    try:
        return (Path("/proc") / str(pid) / name).read_bytes()
    except OSError:
        return b""


def command_of(pid: int) -> str:
    return _read(pid, "cmdline").replace(b"\0", b" ").decode(errors="replace").strip()


def stale_processes(marker: str) -> list[int]:
    """Processes a previous run from this checkout left behind (they carry its marker)."""
    wanted = f"{MARKER}={marker}".encode()
    own_parents = {os.getppid()}
    return [
        pid
        for pid in _pids()
        if pid not in own_parents and wanted in _read(pid, "environ").split(b"\0")
    ]


def _listening_inodes(port: int) -> set[str]:
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:
                inodes.add(inode)
    return inodes


def holder_of(port: int) -> int | None:
    """The process listening on ``port``, if this user may see it."""
    inodes = {f"socket:[{inode}]" for inode in _listening_inodes(port)}
    if not inodes:
        return None
    for pid in _pids():
        try:
            fds = list((Path("/proc") / str(pid) / "fd").iterdir())
        except OSError:
            continue
        for fd in fds:
            try:
                if os.readlink(fd) in inodes:
                    return pid
            except OSError:
                continue
    return None


def port_busy(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


def end(pids: list[int], timeout: float = STOP_SECONDS) -> None:
    """SIGTERM, a short wait, then SIGKILL for what is left."""
    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 1.0)):
        alive = [pid for pid in pids if _alive(pid)]
        for pid in alive:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)
        deadline = time.monotonic() + wait
        while any(_alive(pid) for pid in alive) and time.monotonic() < deadline:
            time.sleep(0.05)


def _alive(pid: int) -> bool:
    state = _read(pid, "stat").split(b") ")[-1][:1]
    return state not in (b"", b"Z", b"X")


def check_ports(environ) -> list[str]:
    """What holds a port this run needs, said so someone can act on it."""
    problems = []
    for what, port in ports(environ).items():
        if not port_busy(port):
            continue
        pid = holder_of(port)
        if pid is None:
            problems.append(f"Port {port}, for {what}, is in use by a process of another user.")
        else:
            problems.append(
                f"Port {port}, for {what}, is held by process {pid}: {command_of(pid)[:160]}\n"
                f"  Stop it with: kill {pid}   (or choose other ports: LMS_PORT, HUB_PORT, "
                "HUB_PROXY_API_URL, HUB_INTERNAL_URL)"
            )
    return problems


def _default_signals() -> None:
    """In each child, before it starts: Ctrl-C and SIGTERM do their default thing, even when
    this run was started where they are ignored (a background job, nohup). Otherwise the hub's
    services would ignore the hub's SIGINT and keep it waiting."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def commands(python: str) -> dict[str, list[str]]:
    lms_port = os.environ.get("LMS_PORT", "8000")
    return {
        "grading worker": [python, "manage.py", "grading_worker"],
        "scheduler": [python, "manage.py", "run_scheduler"],
        "LMS": [python, "manage.py", "runserver", f"127.0.0.1:{lms_port}", "--noreload"],
        "JupyterHub": [str(Path(python).parent / "jupyterhub"), "-f", "jupyterhub_config.py"],
    }


def main() -> int:
    os.chdir(PROJECT_DIR)
    marker = str(PROJECT_DIR)
    stale = stale_processes(marker)
    if stale:
        print(f"Ending {len(stale)} process(es) left by an earlier run that did not stop cleanly.")
        end(stale)
    problems = check_ports(os.environ)
    if problems:
        print("Cannot start:\n" + "\n".join(problems), file=sys.stderr)
        return 1

    env = {**os.environ, MARKER: marker}
    python = str(PROJECT_DIR / ".venv" / "bin" / "python")
    if not Path(python).exists():
        python = sys.executable
    children = {
        name: subprocess.Popen(argv, env=env, preexec_fn=_default_signals)  # noqa: S603 - our own commands
        for name, argv in commands(python).items()
    }

    stopping = False

    def stop(signum, _frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    lms_port = os.environ.get("LMS_PORT", "8000")
    hub_port = os.environ.get("HUB_PORT", "8001")
    print(
        f"LMS on http://127.0.0.1:{lms_port}/, JupyterHub on http://127.0.0.1:{hub_port}/ "
        "(demo logins in README.md). Ctrl-C stops everything.",
        flush=True,
    )
    exited = None
    while not stopping and exited is None:
        exited = next((name for name, p in children.items() if p.poll() is not None), None)
        time.sleep(0.2)
    if exited:
        print(f"The {exited} stopped (exit {children[exited].returncode}); stopping the rest.")

    started = time.monotonic()
    hub = children["JupyterHub"]
    if hub.poll() is None:
        hub.send_signal(signal.SIGTERM)  # the hub stops its proxy, culler and servers
    end([p.pid for name, p in children.items() if name != "JupyterHub"])
    try:
        hub.wait(timeout=max(0.5, STOP_SECONDS - (time.monotonic() - started)))
    except subprocess.TimeoutExpired:
        # A hub still alive would restart the proxy we are about to end: it goes first.
        hub.kill()
        hub.wait()
    end(stale_processes(marker), timeout=1.0)
    for process in children.values():
        if process.poll() is None:
            process.wait(timeout=1)
    print(f"Stopped in {time.monotonic() - started:.1f} s.")
    return 0 if not exited else 1


if __name__ == "__main__":
    sys.exit(main())

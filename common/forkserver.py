"""Fork servers: import once, then fork a ready process per request. Both sides of the protocol.

Starting a grading kernel or a resident's notebook server is mostly imports
(IPython and the data stack; jupyter_server, JupyterLab and nbgrader). A fork
server pays them once, then waits on a Unix socket in a folder only its user
can open. Each request is one connection carrying one JSON object; the server
forks at once and the child reads the request itself, so the parent never
holds one person's environment that a later child would inherit. The child
confines itself, answers ``{"pid": ...}`` (or ``{"error": ...}`` with what went
wrong) and becomes what was asked for. The server exits when its standard
input closes, which is how the process that started it says goodbye.

``ForkServerProcess`` is the starting side: it starts ``python -m MODULE`` in a
private folder, knows when it is ready, and asks it for processes.
"""

import contextlib
import ctypes
import gc
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path

PR_SET_CHILD_SUBREAPER = 36
PACKAGE_ROOT = str(Path(__file__).resolve().parent.parent)


class Reply:
    """The child's one answer to the request that made it."""

    def __init__(self, connection: socket.socket):
        self._connection = connection

    def started(self, pid: int | None = None) -> None:
        """Report the process as started: ``pid`` as the requester should track it (default: this one)."""
        self._connection.sendall(json.dumps({"pid": pid or os.getpid()}).encode())
        self.release()

    def failed(self, error: str) -> None:
        with contextlib.suppress(OSError):
            self._connection.sendall(json.dumps({"error": error}).encode())
        self.release()

    def release(self) -> None:
        """Let go of the connection without answering (another process answers)."""
        with contextlib.suppress(OSError):
            self._connection.close()


Become = Callable[[dict, Reply], int | None]


class ForkServerError(RuntimeError):
    """The fork server could not be started or did not start the process asked for."""


def preload(modules: Iterable[str]) -> list[str]:
    """Import what every child needs; a module that is missing only makes children slower."""
    loaded = []
    for module in modules:
        try:
            __import__(module)
        except Exception:  # noqa: S112 - an optional library is allowed to be absent
            continue
        loaded.append(module)
    gc.collect()
    gc.freeze()
    return loaded


def serve(
    socket_path: str,
    become: Become,
    *,
    reap_orphans: bool = False,
    children_outlive_server: bool = True,
) -> None:
    """Answer requests on ``socket_path`` until standard input closes.

    ``become(request, reply)`` runs in the forked child: it confines the
    child, calls ``reply.started()`` once it is ready to be reported as
    started, and then does its work; its return value is the child's exit code.

    ``reap_orphans`` makes the server the reaper of its children's orphans
    (a fork bomb's processes), so they are reaped at once instead of counting
    against the account's process limit. Unless ``children_outlive_server``,
    every child's process group is killed when the server exits.
    """
    if reap_orphans:
        ctypes.CDLL(None).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old_umask = os.umask(0o177)
    try:
        listener.bind(socket_path + ".new")
    finally:
        os.umask(old_umask)
    listener.listen(16)
    os.rename(socket_path + ".new", socket_path)  # it appears only once it accepts connections
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    stdin = sys.stdin.fileno()
    children: list[int] = []
    while True:
        readable, _, _ = select.select([listener, stdin], [], [])
        if stdin in readable and not os.read(stdin, 4096):
            break
        if listener in readable:
            connection, _ = listener.accept()
            pid = os.fork()
            if pid == 0:
                listener.close()
                _child(connection, become)
            children.append(pid)
            connection.close()
    if not children_outlive_server:
        for pid in children:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)


def _child(connection: socket.socket, become: Become) -> None:
    """In the forked child: read the request, become what it asks for. Never returns."""
    code = 1
    reply = Reply(connection)
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        request = json.loads(_read_all(connection))
        code = become(request, reply) or 0
    except SystemExit as exit:
        code = exit.code if isinstance(exit.code, int) else (0 if exit.code is None else 1)
    except BaseException:
        traceback.print_exc()
        reply.failed(traceback.format_exc(limit=3))
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


def name_process(name: str) -> None:
    """What ``ps`` shows for this process (at most 15 characters)."""
    with contextlib.suppress(OSError), open("/proc/self/comm", "w") as comm:
        comm.write(name[:15])


def _read_all(connection: socket.socket) -> bytes:
    chunks = []
    while chunk := connection.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def request_fork(socket_path: str, request: dict, timeout: float = 30) -> int:
    """Ask the fork server at ``socket_path`` for a process; return its pid or raise its error."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.settimeout(timeout)
            client.connect(socket_path)
            client.sendall(json.dumps(request).encode())
            client.shutdown(socket.SHUT_WR)
            answer = json.loads(_read_all(client) or b"{}")
    except (OSError, ValueError) as error:
        raise ForkServerError(f"the fork server did not answer: {error}") from error
    if "pid" not in answer:
        raise ForkServerError(answer.get("error", "the fork server did not start the process"))
    return int(answer["pid"])


class ForkServerProcess:
    """A fork server started from this process, in a folder only this process's user can open."""

    def __init__(self, module: str, environment: dict[str, str], *, quiet: bool = False):
        self._owner = os.getpid()
        self.folder = tempfile.mkdtemp(prefix="lms-fork-")
        self.socket_path = os.path.join(self.folder, "server.sock")
        env = dict(environment)
        paths = [PACKAGE_ROOT, *filter(None, env.get("PYTHONPATH", "").split(os.pathsep))]
        env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
        output = subprocess.DEVNULL if quiet else None
        self.process = subprocess.Popen(  # noqa: S603 - our own module, no shell
            [sys.executable, "-s", "-P", "-m", module, self.socket_path],
            stdin=subprocess.PIPE, stdout=output, stderr=output, env=env, cwd="/",
        )  # fmt: skip

    @property
    def alive(self) -> bool:
        if os.getpid() == self._owner:
            return self.process.poll() is None
        # A process forked from the starter shares the server but cannot wait for it.
        try:
            os.kill(self.process.pid, 0)
        except ProcessLookupError:
            return False
        return True

    def wait_ready(self, timeout: float = 60) -> None:
        """Wait until the server listens (its imports done); raise if it died first."""
        deadline = time.monotonic() + timeout
        while not os.path.exists(self.socket_path):
            if not self.alive:
                raise ForkServerError(f"the fork server exited with {self.process.returncode}")
            if time.monotonic() > deadline:
                raise ForkServerError("the fork server did not get ready in time")
            time.sleep(0.01)

    def fork(self, request: dict, timeout: float = 30) -> int:
        self.wait_ready()
        return request_fork(self.socket_path, request, timeout)

    def close(self) -> None:
        """Close its standard input (it exits) and remove its folder; only its starter may."""
        if os.getpid() != self._owner:
            return
        with contextlib.suppress(OSError):
            if self.process.stdin:
                self.process.stdin.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)
        shutil.rmtree(self.folder, ignore_errors=True)

"""Start residents' notebook servers by forking a process that has Jupyter already imported.

A single-user server spends about 2.5 of its 4 seconds of start-up importing
jupyter_server, JupyterLab and nbgrader's extensions. This process imports
them once, as the hub's user, then waits on a Unix socket in a folder only
that user can open. For each request it forks at once; the child reads the
request (so the parent never holds one resident's environment that a later
child would inherit), starts a new session, applies the limits, drops to the
resident's account, takes the request's environment and folder, answers with
its pid and runs ``jupyterhub-singleuser``'s ``main``.

The parent ignores SIGCHLD, so finished servers are reaped by the kernel; it
exits when the hub closes its stdin.
"""

import contextlib
import gc
import json
import os
import resource
import select
import signal
import socket
import sys
import traceback

PROCESS_NAME = "jupyter-server"  # what ps shows for a forked server (at most 15 characters)
PRELOAD = (
    "jupyterhub.singleuser",
    "jupyter_server.serverapp",
    "jupyterlab.labapp",
    "jupyter_server_terminals",
    "jupyterlab_server",
    "notebook_shim",
    "nbgrader.server_extensions.assignment_list",
    "nbgrader.server_extensions.validate_assignment",
    "notebooks.server_extension",
    "notebooks.exchange",
)


def serve(socket_path: str) -> None:
    for module in PRELOAD:
        __import__(module)
    gc.collect()
    gc.freeze()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old_umask = os.umask(0o177)
    try:
        listener.bind(socket_path)
    finally:
        os.umask(old_umask)
    listener.listen(16)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    stdin = sys.stdin.fileno()
    while True:
        readable, _, _ = select.select([listener, stdin], [], [])
        if stdin in readable and not os.read(stdin, 4096):
            return
        if listener in readable:
            connection, _ = listener.accept()
            if os.fork() == 0:
                listener.close()
                _child(connection)
            connection.close()


def _child(connection: socket.socket) -> None:
    """In the forked child: become the resident's server. Never returns."""
    code = 1
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        request = json.loads(_read_all(connection))
        os.setsid()
        with contextlib.suppress(OSError), open("/proc/self/comm", "w") as comm:
            comm.write(PROCESS_NAME)
        for name, limit in request.get("rlimits", {}).items():
            resource.setrlimit(getattr(resource, name), (limit, limit))
        if request.get("uid") is not None:
            os.setgroups(request.get("groups", []))
            os.setgid(request["gid"])
            os.setuid(request["uid"])
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.close(devnull)
        connection.sendall(json.dumps({"pid": os.getpid()}).encode())
        connection.close()
        sys.argv = list(request["argv"])
        from jupyterhub.singleuser import main

        code = main() or 0
    except SystemExit as exit:
        code = exit.code if isinstance(exit.code, int) else (0 if exit.code is None else 1)
    except BaseException:
        traceback.print_exc()
        with contextlib.suppress(OSError):
            connection.sendall(json.dumps({"error": traceback.format_exc(limit=3)}).encode())
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _read_all(connection: socket.socket) -> bytes:
    chunks = []
    while chunk := connection.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def request_start(socket_path: str, request: dict, timeout: float = 30) -> int:
    """Ask the fork server for a server process; return its pid or raise with the child's error."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.settimeout(timeout)
        client.connect(socket_path)
        client.sendall(json.dumps(request).encode())
        client.shutdown(socket.SHUT_WR)
        answer = json.loads(_read_all(client) or b"{}")
    if "pid" not in answer:
        raise RuntimeError(answer.get("error", "the notebook fork server did not start a server"))
    return int(answer["pid"])


if __name__ == "__main__":
    serve(sys.argv[1])

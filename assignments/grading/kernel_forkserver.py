"""A fork server for grading kernels: import once, fork a sandboxed kernel per notebook.

Starting a Python kernel costs about a second of imports (IPython, ipykernel,
and pandas for a data lesson) before any student code runs. This process pays
that once: it imports the kernel machinery and the data stack, then waits for
requests on standard input, one JSON line each, and answers with the pid of a
freshly forked kernel. The child enters the same sandbox as ``sandbox_launch``
(its own session, no network, an unprivileged user, resource limits, a clean
environment, the submission's folder) and becomes an IPython kernel.

It is started by the grading worker with a clean environment and imports
nothing of the LMS, so no secret is in the memory its children inherit.
"""

import json
import os
import signal
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MPLBACKEND", "Agg")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sandbox_launch  # noqa: E402 - the same sandbox steps as the spawning launcher

# ipykernel imports its debugger (debugpy) while each kernel initializes: a
# tenth of a second per kernel that the fork server pays once instead.
PRELOAD = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.zmqshell",
    "ipykernel.debugger",
    "ipykernel.comm",
    "IPython",
    "IPython.core.oinspect",
    "numpy",
    "pandas",
    "matplotlib",
    "matplotlib.pyplot",
    "scipy",
)


def preload() -> list[str]:
    loaded = []
    for module in PRELOAD:
        try:
            __import__(module)
            loaded.append(module)
        except Exception:  # noqa: S112 - a missing optional library only means a slower kernel start
            continue
    return loaded


def become_kernel(request: dict, reply_fd: int) -> None:
    """In the forked child: enter the sandbox, then run an IPython kernel until it is shut down."""
    os.close(reply_fd)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.setsid()
    os.umask(0o077)
    if request.get("isolate_network", True):
        sandbox_launch.isolate_network()
    if request.get("uid") is not None:
        sandbox_launch.drop_privileges(request["uid"], request["gid"])
    sandbox_launch.apply_limits(request.get("limits", {}))
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    sys.argv = ["ipykernel_launcher", *request["kernel_args"]]
    from ipykernel import kernelapp

    kernelapp.launch_new_instance(argv=request["kernel_args"])


def serve() -> None:
    loaded = preload()
    # Children are reaped by the kernel as they exit; the worker polls them by pid.
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    reply = os.fdopen(os.dup(1), "w", buffering=1)
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    reply.write(json.dumps({"ready": True, "preloaded": loaded}) + "\n")
    for line in sys.stdin:
        try:
            request = json.loads(line)
        except json.JSONDecodeError:
            reply.write(json.dumps({"error": "bad request"}) + "\n")
            continue
        pid = os.fork()
        if pid == 0:
            try:
                become_kernel(request, reply.fileno())
            finally:
                os._exit(1)
        reply.write(json.dumps({"pid": pid}) + "\n")


if __name__ == "__main__":
    serve()

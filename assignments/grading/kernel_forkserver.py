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

import contextlib
import ctypes
import json
import os
import signal
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MPLBACKEND", "Agg")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sandbox_launch  # noqa: E402 - the same sandbox steps as the spawning launcher

PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36

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


def _address_space_in_use() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


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
    # Set after the drop (a change of user clears it): a kernel never outlives the fork server,
    # so a worker killed outright leaves no kernel of a resident running.
    ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    limits = dict(request.get("limits", {}))
    if limits.get("RLIMIT_AS"):
        # The child starts with the fork server's address space (the preloaded libraries);
        # the memory limit is what student code may add on top of that.
        limits["RLIMIT_AS"] += _address_space_in_use()
    sandbox_launch.apply_limits(limits)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    sys.argv = ["ipykernel_launcher", *request["kernel_args"]]
    from ipykernel import kernelapp

    kernelapp.launch_new_instance(argv=request["kernel_args"])


def serve() -> None:
    loaded = preload()
    # Orphans of a kernel (a fork bomb's children) become ours rather than init's, and with
    # SIGCHLD ignored they are reaped the moment they exit: a zombie still counts against the
    # sandbox user's process limit, and init may take its time.
    ctypes.CDLL(None).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    reply = os.fdopen(os.dup(1), "w", buffering=1)
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    reply.write(json.dumps({"ready": True, "preloaded": loaded}) + "\n")
    kernels: list[int] = []
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
        kernels.append(pid)
        reply.write(json.dumps({"pid": pid}) + "\n")
    # The worker went away (standard input closed): no kernel of ours may outlive it.
    for pid in kernels:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)


if __name__ == "__main__":
    serve()

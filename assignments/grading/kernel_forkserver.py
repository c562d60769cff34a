"""The grading kernels' fork server: import once, fork a confined kernel per notebook.

Starting a Python kernel costs about a second of imports (IPython, ipykernel,
and pandas for a data lesson) before any student code runs. This process pays
that once and then serves ``common.forkserver``'s protocol: each child enters
the same confinement as a spawned kernel (its own session, no network, an
unprivileged user, resource limits, a clean environment, the submission's
folder) and becomes an IPython kernel.

It is started by the grading worker with a clean environment and imports
nothing of the LMS, so no secret is in the memory its children inherit.
"""

import os
import signal
import sys

from ipykernel import kernelapp

from common import confinement, forkserver

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MPLBACKEND", "Agg")

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


def _address_space_in_use() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def become_kernel(request: dict, reply: forkserver.Reply) -> None:
    """In the forked child: enter the sandbox, then run an IPython kernel until it is shut down.

    With a private filesystem this child stays outside as the kernel's keeper, and the
    kernel reports the keeper's pid: that is the process the worker tracks and signals.
    """
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    # A kernel (or its keeper) never outlives the fork server, so a worker killed outright
    # leaves no kernel of a resident running.
    confinement.die_with_parent(signal.SIGKILL)
    tracked_pid = os.getpid()
    settings = dict(request)
    limits = dict(settings.get("limits", {}))
    if limits.get("RLIMIT_AS"):
        # The child starts with the fork server's address space (the preloaded libraries);
        # the memory limit is what student code may add on top of that.
        limits["RLIMIT_AS"] += _address_space_in_use()
    settings["limits"] = limits
    confinement.confine(settings, on_keeper=reply.release)
    # Set again after the drop (a change of user clears it).
    confinement.die_with_parent(signal.SIGKILL)
    reply.started(pid=tracked_pid)
    sys.argv = ["ipykernel_launcher", *request["kernel_args"]]
    kernelapp.launch_new_instance(argv=request["kernel_args"])


if __name__ == "__main__":
    forkserver.preload(PRELOAD)
    forkserver.serve(sys.argv[1], become_kernel, reap_orphans=True, children_outlive_server=False)

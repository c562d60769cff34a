"""Start a notebook kernel inside the grading sandbox, then become it.

Run as a plain script (``python sandbox_launch.py LIMITS_JSON -- KERNEL_CMD...``)
by the grader's kernel manager. It imports nothing from the LMS: by the time
student code runs, this process has its own session, resource limits, no
network namespace where the kernel allows one, and no root rights, and then
``exec``s the kernel so nothing of the launcher stays behind.
"""

import ctypes
import json
import os
import resource
import sys

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000


def _unshare(flags: int) -> bool:
    libc = ctypes.CDLL(None, use_errno=True)
    return libc.unshare(flags) == 0


def isolate_network() -> str:
    """Leave the host's network: as root directly, otherwise through a user namespace."""
    if os.geteuid() == 0 and _unshare(CLONE_NEWNET):
        return "netns"
    uid, gid = os.geteuid(), os.getegid()
    if _unshare(CLONE_NEWUSER | CLONE_NEWNET):
        try:
            with open("/proc/self/setgroups", "w") as f:
                f.write("deny")
            with open("/proc/self/uid_map", "w") as f:
                f.write(f"{uid} {uid} 1")
            with open("/proc/self/gid_map", "w") as f:
                f.write(f"{gid} {gid} 1")
        except OSError:
            pass
        return "userns"
    return "none"


def apply_limits(limits: dict) -> None:
    for name, value in limits.items():
        if value is None:
            continue
        which = getattr(resource, name)
        resource.setrlimit(which, (int(value), int(value)))


def drop_privileges(uid: int, gid: int) -> None:
    if os.geteuid() != 0:
        return
    os.setgroups([])
    os.setgid(gid)
    os.setuid(uid)
    if os.geteuid() == 0 or os.getuid() == 0:
        raise SystemExit("sandbox: still root after dropping privileges")


def main(argv: list[str]) -> None:
    settings = json.loads(argv[1])
    command = argv[argv.index("--") + 1 :]
    if os.getpid() != os.getsid(0):
        os.setsid()
    os.umask(0o077)
    if settings.get("isolate_network", True):
        isolate_network()
    if settings.get("uid") is not None:
        drop_privileges(settings["uid"], settings["gid"])
    apply_limits(settings.get("limits", {}))
    os.chdir(settings["cwd"])
    os.execve(command[0], command, settings["env"])  # noqa: S606 - becoming the kernel is the point


if __name__ == "__main__":
    main(sys.argv)

"""Confine the current process before it runs someone else's code: one implementation for all.

Grading kernels (spawned or forked), residents' notebook servers (spawned or
forked) all go through ``confine``: a session of their own, a private umask,
no network where the kernel allows leaving it, an unprivileged account, and
resource limits. Dropping privileges is verified: a process that is still
root afterwards stops rather than run student code.

Run as a script (``python confinement.py SETTINGS_JSON -- COMMAND...``) it
confines itself and then ``exec``s the command, so nothing of the launcher
stays behind. As a script it imports only the standard library.
"""

import contextlib
import ctypes
import json
import os
import resource
import sys
from collections.abc import Iterable, Mapping

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
PR_SET_PDEATHSIG = 1
PRIVATE_UMASK = 0o077


class ConfinementError(RuntimeError):
    """The process could not be confined as asked; it must not go on to run anything."""


def _libc():
    return ctypes.CDLL(None, use_errno=True)


def _unshare(flags: int) -> bool:
    return _libc().unshare(flags) == 0


def new_session() -> None:
    """Lead a session (and process group) of its own, so the whole group can be stopped at once."""
    if os.getpid() != os.getsid(0):
        os.setsid()


def isolate_network() -> str:
    """Leave the host's network: as root directly, otherwise through a user namespace.

    Returns how: ``netns``, ``userns`` or ``none`` where the OS allows neither.
    """
    if os.geteuid() == 0 and _unshare(CLONE_NEWNET):
        return "netns"
    uid, gid = os.geteuid(), os.getegid()
    if _unshare(CLONE_NEWUSER | CLONE_NEWNET):
        with contextlib.suppress(OSError):
            with open("/proc/self/setgroups", "w") as setgroups:
                setgroups.write("deny")
            with open("/proc/self/uid_map", "w") as uid_map:
                uid_map.write(f"{uid} {uid} 1")
            with open("/proc/self/gid_map", "w") as gid_map:
                gid_map.write(f"{gid} {gid} 1")
        return "userns"
    return "none"


def drop_privileges(uid: int, gid: int, groups: Iterable[int] = ()) -> None:
    """Become ``uid``/``gid`` with only ``groups`` as supplementary groups, and prove it worked.

    A process that is not root cannot switch and is left as it is (the hub or
    worker then runs everything as its own user, by configuration).
    """
    if os.geteuid() != 0:
        return
    os.setgroups(list(groups))
    os.setgid(gid)
    os.setuid(uid)
    if os.getresuid() != (uid, uid, uid) or os.getresgid() != (gid, gid, gid):
        raise ConfinementError(
            f"still {os.getresuid()}:{os.getresgid()} after becoming {uid}:{gid}"
        )
    if not set(os.getgroups()) <= {gid, *groups}:
        raise ConfinementError(f"kept the groups {os.getgroups()} after dropping privileges")


def apply_limits(limits: Mapping[str, int | None]) -> None:
    """Set each ``RLIMIT_*`` named in ``limits`` as both soft and hard limit (None: leave it)."""
    for name, value in limits.items():
        if value is None:
            continue
        resource.setrlimit(getattr(resource, name), (int(value), int(value)))


def die_with_parent(signal_number: int) -> None:
    """Receive ``signal_number`` when the parent exits. Set after a change of user, which clears it."""
    _libc().prctl(PR_SET_PDEATHSIG, signal_number, 0, 0, 0)


def confine(settings: Mapping) -> None:
    """Confine this process as ``settings`` says, in the one safe order.

    ``settings`` keys: ``uid``, ``gid``, ``groups`` (supplementary; default none),
    ``isolate_network`` (default true), ``limits`` (``RLIMIT_*`` names),
    ``cwd`` and ``env`` (the whole environment, replacing this one's).
    Limits are set after the drop so that a process limit counts the
    unprivileged account, whose processes the limit is about.
    """
    new_session()
    os.umask(PRIVATE_UMASK)
    if settings.get("isolate_network", True):
        isolate_network()
    if settings.get("uid") is not None:
        gid = settings["gid"]
        drop_privileges(settings["uid"], gid, settings.get("groups", ()))
    apply_limits(settings.get("limits", {}))
    if "cwd" in settings:
        os.chdir(settings["cwd"])
    if "env" in settings:
        os.environ.clear()
        os.environ.update(settings["env"])


def main(argv: list[str]) -> None:
    settings = json.loads(argv[1])
    command = argv[argv.index("--") + 1 :]
    confine(settings)
    os.execve(command[0], command, dict(os.environ))  # noqa: S606 - becoming the command is the point


if __name__ == "__main__":
    main(sys.argv)

"""Confine the current process before it runs someone else's code: one implementation for all.

Grading kernels (spawned or forked), residents' notebook servers (spawned or
forked) all go through ``confine``: a session of their own, a private umask,
no network where the kernel allows leaving it, an unprivileged account, and
resource limits. Dropping privileges is verified: a process that is still
root afterwards stops rather than run student code.

Given a ``filesystem`` and run as root, it also gives the code a machine that
contains only itself: new mount, PID and network namespaces, a root folder
holding the system's programs and libraries and the Python environment
read-only, the folders it works in read-write, a private ``/tmp``, a few
devices, and a ``/proc`` that lists only its own processes. The process that
asked stays outside as the "keeper": it forwards signals to the confined
process (PID 1 inside) and exits with its status, so whoever started it can
track, interrupt and kill it as before.

Run as a script (``python confinement.py SETTINGS_JSON -- COMMAND...``) it
confines itself and then ``exec``s the command, so nothing of the launcher
stays behind. As a script it imports only the standard library.
"""

import contextlib
import ctypes
import json
import os
import platform
import resource
import signal
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import NoReturn

CLONE_NEWNS = 0x00020000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
PR_SET_PDEATHSIG = 1
PRIVATE_UMASK = 0o077

MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 0x1, 0x2, 0x4, 0x8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 0x20, 0x1000, 0x4000, 0x40000
MNT_DETACH = 0x2
SYS_PIVOT_ROOT = {"x86_64": 155, "aarch64": 41}

#: What any program needs to run: the system's programs and libraries (read-only).
SYSTEM_PATHS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
#: The few files of /etc that programs read: the linker's cache, time zone, names of users,
#: fonts. No secrets: /etc/shadow and the rest stay out.
ETC_PATHS = (
    "/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime",
    "/etc/timezone", "/etc/passwd", "/etc/group", "/etc/nsswitch.conf", "/etc/fonts",
    "/etc/mime.types", "/etc/alternatives",
)  # fmt: skip
DEVICES = ("null", "zero", "full", "random", "urandom")
FORWARDED_SIGNALS = (
    signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2,
)  # fmt: skip
PRIVATE_TMP_SIZE = "64m"


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


def private_machine_available() -> bool:
    """Whether this process may give code a private filesystem and process list (it must be root)."""
    return os.geteuid() == 0 and platform.machine() in SYS_PIVOT_ROOT


def confine(settings: Mapping, on_keeper: Callable[[], None] | None = None) -> None:
    """Confine this process as ``settings`` says, in the one safe order.

    ``settings`` keys: ``uid``, ``gid``, ``groups`` (supplementary; default none),
    ``isolate_network`` (default true), ``limits`` (``RLIMIT_*`` names),
    ``cwd`` and ``env`` (the whole environment, replacing this one's), and
    ``filesystem``: ``{"root": an empty folder to build the new root in,
    "readable": [...], "writable": [...]}``. Limits are set after the drop so
    that a process limit counts the unprivileged account, whose processes the
    limit is about.

    With a ``filesystem`` (as root) this process forks: the parent becomes the
    keeper and never returns (``on_keeper`` runs in it first), the child
    returns from here as PID 1 of its own namespaces. ``new_session`` false
    keeps the caller's session (a keeper already made one).
    """
    if settings.get("new_session", True):
        new_session()
    os.umask(PRIVATE_UMASK)
    filesystem = settings.get("filesystem")
    isolate = settings.get("isolate_network", True)
    if filesystem and private_machine_available():
        child = _enter_private_namespaces(isolate_network=isolate)
        if child:
            if on_keeper is not None:
                on_keeper()
            keep(child)
        build_private_root(**filesystem)
    elif isolate:
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


def _enter_private_namespaces(*, isolate_network: bool) -> int:
    """New mount and PID namespaces (and network), then fork: the child is PID 1 inside them."""
    flags = CLONE_NEWNS | CLONE_NEWPID | (CLONE_NEWNET if isolate_network else 0)
    if not _unshare(flags):
        raise ConfinementError(f"cannot unshare namespaces: {os.strerror(ctypes.get_errno())}")
    child = os.fork()
    if child == 0:
        # A keeper that dies takes its confined process along.
        die_with_parent(signal.SIGKILL)
    return child


def keep(child: int) -> NoReturn:
    """Stay outside as the confined process's keeper: pass signals on, exit as it exits."""

    def forward(signal_number, _frame):
        with contextlib.suppress(ProcessLookupError):
            os.kill(child, signal_number)

    for signal_number in FORWARDED_SIGNALS:
        signal.signal(signal_number, forward)
    while True:
        try:
            _, status = os.waitpid(child, 0)
        except InterruptedError:
            continue
        except ChildProcessError:
            os._exit(1)
        os._exit(os.waitstatus_to_exitcode(status) % 256)


def _mount(source, target, fstype, flags: int, data: str | None = None) -> None:
    result = _libc().mount(
        None if source is None else os.fsencode(source), os.fsencode(target),
        None if fstype is None else fstype.encode(), ctypes.c_ulong(flags),
        None if data is None else data.encode(),
    )  # fmt: skip
    if result != 0:
        error = ctypes.get_errno()
        raise ConfinementError(f"cannot mount {source} on {target}: {os.strerror(error)}")


def _bind(path: str, root: str, *, read_only: bool, device: bool = False) -> None:
    """Show ``path`` at the same place inside ``root``; symbolic links are copied as links."""
    if not os.path.lexists(path):
        return
    target = root + path
    if os.path.islink(path):
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if not os.path.lexists(target):
            os.symlink(os.readlink(path), target)
        return
    if os.path.isdir(path):
        os.makedirs(target, exist_ok=True)
    else:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "a"):
            pass
    _mount(path, target, None, MS_BIND | MS_REC)
    flags = MS_BIND | MS_REMOUNT | MS_NOSUID | (0 if device else MS_NODEV)
    flags |= MS_RDONLY if read_only else 0
    _mount(None, target, None, flags)


def build_private_root(*, root: str, readable: Iterable[str] = (), writable: Iterable[str] = ()):
    """Build the confined process's whole view of the filesystem in ``root`` and move into it.

    Runs as PID 1 of fresh mount and PID namespaces, as root, before the drop.
    """
    private_umask = os.umask(0o022)  # the folders leading to each mount must be passable
    try:
        _build_private_root(root, readable, writable)
    finally:
        os.umask(private_umask)


def _build_private_root(root: str, readable: Iterable[str], writable: Iterable[str]) -> None:
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    _mount("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=8m")
    # /tmp first: the Python environment or the work folder may live under the host's /tmp.
    private_tmp = root + "/tmp"  # noqa: S108 - the confined process's own, empty /tmp
    os.makedirs(private_tmp)
    _mount(
        "tmpfs", private_tmp, "tmpfs", MS_NOSUID | MS_NODEV, f"mode=1777,size={PRIVATE_TMP_SIZE}"
    )
    for path in (*SYSTEM_PATHS, *ETC_PATHS, *readable):
        _bind(os.path.normpath(path), root, read_only=True)
    for path in writable:
        _bind(os.path.normpath(path), root, read_only=False)
    os.makedirs(root + "/dev")
    _mount("tmpfs", root + "/dev", "tmpfs", MS_NOSUID | MS_NOEXEC, "mode=0755,size=64k")
    for device in DEVICES:
        _bind(f"/dev/{device}", root, read_only=False, device=True)
    os.symlink("/proc/self/fd", root + "/dev/fd")
    os.makedirs(root + "/proc")
    _mount("proc", root + "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    os.chdir(root)
    if _libc().syscall(SYS_PIVOT_ROOT[platform.machine()], b".", b".") != 0:
        raise ConfinementError(f"cannot pivot_root: {os.strerror(ctypes.get_errno())}")
    if _libc().umount2(b".", MNT_DETACH) != 0:
        raise ConfinementError(f"cannot detach the host's root: {os.strerror(ctypes.get_errno())}")
    os.chdir("/")


def main(argv: list[str]) -> None:
    settings = json.loads(argv[1])
    command = argv[argv.index("--") + 1 :]
    confine(settings)
    os.execve(command[0], command, dict(os.environ))  # noqa: S606 - becoming the command is the point


if __name__ == "__main__":
    main(sys.argv)

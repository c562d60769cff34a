"""The grading sandbox: kernels that run student code with nothing of the LMS's.

Each notebook gets its own kernel process, started through ``sandbox_launch``:
its own session, an unprivileged user when the worker runs as root, resource
limits (memory, processes, file size, open files, CPU time), a working folder
holding only that submission's files, an environment without the LMS's
secrets or database settings, and no network where the OS allows an
unprivileged network namespace. The kernel talks to the grader over Unix
sockets (ZeroMQ ``ipc``), which keep working without a network.
"""

import contextlib
import functools
import json
import multiprocessing
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from queue import Empty

from jupyter_client.asynchronous.client import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning.local_provisioner import LocalProvisioner
from traitlets import Bool, Dict, DottedObjectName, Unicode, default

from common import confinement
from common.forkserver import ForkServerProcess

LAUNCHER = confinement.__file__
MiB = 1024 * 1024


@dataclass(frozen=True)
class SandboxLimits:
    """Resource limits for one kernel. Times in seconds, sizes in bytes."""

    memory_bytes: int = 1536 * MiB
    processes: int = 256
    file_size_bytes: int = 64 * MiB
    open_files: int = 256
    cpu_seconds: int = 300
    cell_timeout: int = 30
    notebook_timeout: int = 300
    output_bytes_per_cell: int = 2 * MiB

    def rlimits(self) -> dict:
        return {
            "RLIMIT_AS": self.memory_bytes,
            "RLIMIT_NPROC": self.processes,
            "RLIMIT_FSIZE": self.file_size_bytes,
            "RLIMIT_NOFILE": self.open_files,
            "RLIMIT_CPU": self.cpu_seconds,
            "RLIMIT_CORE": 0,
        }


@dataclass
class SandboxUser:
    uid: int | None
    gid: int | None
    name: str = ""

    @classmethod
    def resolve(cls, name: str) -> "SandboxUser":
        """The user kernels run as: ``name`` when we are root, ourselves otherwise."""
        if os.geteuid() != 0:
            return cls(uid=None, gid=None, name=pwd.getpwuid(os.geteuid()).pw_name)
        entry = pwd.getpwnam(name)
        return cls(uid=entry.pw_uid, gid=entry.pw_gid, name=name)


# What a kernel needs from the environment, and nothing else: no SECRET_KEY,
# no DATABASE_URL, no tokens, no proxy settings.
INHERITED_ENV = ("PATH", "LANG", "LC_ALL", "TZ")


def kernel_environment(runtime_dir: Path, workdir: Path, extra: dict[str, str]) -> dict[str, str]:
    env = {key: os.environ[key] for key in INHERITED_ENV if key in os.environ}
    env.setdefault("PATH", "/usr/local/bin:/usr/bin:/bin")
    env.setdefault("LANG", "C.UTF-8")
    env.update(
        {
            "HOME": str(workdir),
            "JUPYTER_RUNTIME_DIR": str(runtime_dir),
            "IPYTHONDIR": str(runtime_dir / "ipython"),
            "MPLCONFIGDIR": str(runtime_dir / "matplotlib"),
            "MPLBACKEND": "Agg",
            "OPENBLAS_NUM_THREADS": "1",
            "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        }
    )
    env.update(extra)
    return env


@dataclass
class SandboxRun:
    """The folders of one grading: the submission's working folder and the kernel's sockets."""

    user: SandboxUser
    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="lms-grade-")))

    def __post_init__(self):
        os.chmod(self.root, 0o711)  # noqa: S103 - others may pass through, not list it
        self.workdir = self.root / "work"
        self.runtime_dir = self.root / "runtime"
        # Where a private root is built for the kernel (root only: it stays empty otherwise).
        self.private_root = self.root / "root"
        self.private_root.mkdir(mode=0o700)
        for folder in (self.workdir, self.runtime_dir):
            folder.mkdir(mode=0o700)
            self.give(folder)

    def give(self, path: Path) -> None:
        """Hand a file or folder to the sandbox user so the kernel may use it."""
        if self.user.uid is not None:
            os.chown(path, self.user.uid, self.user.gid)

    def give_tree(self, path: Path) -> None:
        for folder, _dirs, files in os.walk(path):
            self.give(Path(folder))
            for name in files:
                self.give(Path(folder) / name)

    def cleanup(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


SANDBOX_CANNOT_RUN_PYTHON = (
    "The sandbox user {user} cannot run {python} (with ipykernel): a folder on the way is closed "
    "to it. Install the project where others may pass through (make install does this as root)."
)
_checked_users: set[str] = set()


_probes: dict[str, subprocess.Popen] = {}


def start_sandbox_check(user: SandboxUser) -> None:
    """Begin checking that the unprivileged user can import the kernel, without waiting.

    The probe is a Python start-up of its own (half a second or more); a worker
    warming up runs it beside its other start-up work, and
    ``check_sandbox_can_run_kernels`` collects the answer.
    """
    if user.uid is None or user.name in _checked_users or user.name in _probes:
        return

    try:
        _probes[user.name] = subprocess.Popen(  # noqa: S603 - our own interpreter
            [sys.executable, "-c", "import ipykernel.kernelapp"],
            preexec_fn=functools.partial(confinement.drop_privileges, user.uid, user.gid),
            cwd="/",
            env={"PATH": "/usr/bin:/bin"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    except OSError:  # the interpreter itself is out of reach
        raise RuntimeError(
            SANDBOX_CANNOT_RUN_PYTHON.format(user=user.name, python=sys.executable)
        ) from None


def check_sandbox_can_run_kernels(user: SandboxUser) -> None:
    """Fail loudly, once per worker, if the unprivileged user cannot import the kernel.

    Otherwise every kernel would die at start and every submission score zero.
    """
    if user.uid is None or user.name in _checked_users:
        return
    start_sandbox_check(user)
    probe = _probes.pop(user.name)
    try:
        failed = probe.wait(timeout=60) != 0
    except subprocess.TimeoutExpired:
        probe.kill()
        failed = True
    if failed:
        raise RuntimeError(SANDBOX_CANNOT_RUN_PYTHON.format(user=user.name, python=sys.executable))
    _checked_users.add(user.name)


class ForkServer:
    """One fork server per worker process, started on first use and restarted if it dies."""

    MODULE = "assignments.grading.kernel_forkserver"
    # A process lock: workers forked from one parent share its fork server.
    _lock = multiprocessing.Lock()
    _server: ForkServerProcess | None = None

    @classmethod
    def fork_kernel(cls, request: dict) -> int:
        with cls._lock:
            server = cls._started()
        server.wait_ready()
        return server.fork(request)

    @classmethod
    def start(cls) -> None:
        """Begin starting the fork server (its imports take a second or two) without waiting."""
        with cls._lock:
            cls._started()

    @classmethod
    def warm_up(cls) -> None:
        with cls._lock:
            server = cls._started()
        server.wait_ready()

    @classmethod
    def _started(cls) -> ForkServerProcess:
        """The fork server, started if it is not running; the caller holds the lock."""
        if cls._server is None or not cls._server.alive:
            if cls._server is not None:
                cls._server.close()
            env = {key: os.environ[key] for key in INHERITED_ENV if key in os.environ}
            cls._server = ForkServerProcess(cls.MODULE, env, quiet=True)
        return cls._server


class ForkedKernel:
    """Enough of ``subprocess.Popen`` for jupyter_client to manage a kernel it did not spawn."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode = None

    def poll(self):
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = -1
        return self.returncode

    def wait(self, timeout=None):
        deadline = time.monotonic() + timeout if timeout else None
        while self.poll() is None:
            if deadline and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.02)
        return self.returncode

    def send_signal(self, signum):
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signum)

    def terminate(self):
        self.send_signal(signal.SIGTERM)

    def kill(self):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signal.SIGKILL)
        self.send_signal(signal.SIGKILL)


class ForkServerProvisioner(LocalProvisioner):
    """jupyter_client's local provisioner, with the kernel forked by the fork server."""

    sandbox_settings = Dict()

    async def launch_kernel(self, cmd: list[str], **kwargs) -> dict:
        args = cmd[cmd.index("ipykernel_launcher") + 1 :]
        request = {**self.sandbox_settings, "kernel_args": args}
        request["cwd"] = str(kwargs.get("cwd") or request["cwd"])
        self.process = ForkedKernel(ForkServer.fork_kernel(request))
        self.pid = self.pgid = self.process.pid
        self.cwd = request["cwd"]
        return self.connection_info


class SandboxedKernelClient(AsyncKernelClient):
    """jupyter_client's client, minus a fixed 0.2 s wait for IOPub silence at every kernel start.

    Readiness is checked as jupyter_client does (a ``kernel_info`` reply, then
    any IOPub message proving the subscription is connected); only the final
    flush drains what has already arrived instead of waiting for quiet.
    """

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (timeout if timeout is not None else 60)
        while True:
            self.kernel_info()
            try:
                msg = await self.shell_channel.get_msg(timeout=1)
            except Empty:
                msg = None
            if msg is not None and msg["msg_type"] == "kernel_info_reply":
                try:
                    await self.iopub_channel.get_msg(timeout=0.2)
                except Empty:
                    pass
                else:
                    self._handle_kernel_info_reply(msg)
                    break
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout} seconds")
        while True:
            try:
                await self.iopub_channel.get_msg(timeout=0.01)
            except Empty:
                break


class SandboxedKernelManager(AsyncKernelManager):
    """An ``AsyncKernelManager`` whose kernels start inside the sandbox.

    nbclient (and so nbgrader's ``Execute``) asks for a ``kernel_manager_class``;
    this one wraps the kernel command with ``sandbox_launch`` and replaces the
    environment. Everything else, restarts and shutdown included, is
    jupyter_client's own.
    """

    client_class = DottedObjectName("assignments.grading.sandbox.SandboxedKernelClient")

    @default("client_factory")
    def _client_factory_default(self):
        return SandboxedKernelClient

    sandbox_settings = Dict(help="JSON-able settings passed to sandbox_launch.").tag(config=True)
    sandbox_python = Unicode(sys.executable, help="Python that runs the launcher.").tag(config=True)

    use_fork_server = Bool(
        True, help="Fork kernels from a warm fork server instead of spawning them."
    ).tag(config=True)

    async def _async_pre_start_kernel(self, **kw):
        if self.use_fork_server and self.provisioner is None and self.kernel_name == "python3":
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
            self.provisioner = ForkServerProvisioner(
                kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self,
                sandbox_settings=self.sandbox_settings,
            )  # fmt: skip
        return await super()._async_pre_start_kernel(**kw)

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw) -> None:
        if isinstance(self.provisioner, ForkServerProvisioner):
            if self.sandbox_settings.get("uid") is not None:
                os.chown(
                    self.connection_file, self.sandbox_settings["uid"], self.sandbox_settings["gid"]
                )
            await super()._async_launch_kernel(kernel_cmd, **kw)
            self.kernel_pid = self.provisioner.pid
            return
        settings = dict(self.sandbox_settings)
        settings["cwd"] = str(kw.get("cwd") or settings["cwd"])
        if settings.get("uid") is not None:
            # The connection file was just written by us (root, mode 0600); the kernel must read it.
            os.chown(self.connection_file, settings["uid"], settings["gid"])
        wrapped = [self.sandbox_python, str(LAUNCHER), json.dumps(settings), "--", *kernel_cmd]
        kw["env"] = settings["env"]
        kw.pop("cwd", None)
        # A kernel's own banner and log lines are not the resident's output; those come over ZeroMQ.
        kw.setdefault("stdout", subprocess.DEVNULL)
        kw.setdefault("stderr", subprocess.DEVNULL)
        await super()._async_launch_kernel(wrapped, **kw)
        self.kernel_pid = self.provisioner.pid

    kernel_pid: int | None = None

    def kill_process_group(self) -> None:
        """Stop the kernel and anything it started, even a fork bomb's children.

        Uses the pid remembered at launch: by the time the notebook is done,
        jupyter_client's shutdown has already let go of its provisioner.
        """
        pid = self.kernel_pid
        if not pid:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)
        # Wait (briefly) until the group is gone: its processes count against the sandbox
        # user's process limit until they are reaped, and the next kernel needs that room.
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                os.killpg(pid, 0)
            except (ProcessLookupError, PermissionError):
                return
            time.sleep(0.005)


def kernel_manager_settings(
    run: SandboxRun, limits: SandboxLimits, extra_env: dict[str, str], isolate_network: bool = True
) -> dict:
    """Traitlets config for ``SandboxedKernelManager`` for one grading run."""
    connection_dir = run.runtime_dir
    return {
        "transport": "ipc",
        "ip": str(connection_dir / "kernel"),
        "connection_file": str(connection_dir / "kernel.json"),
        "sandbox_settings": {
            "cwd": str(run.workdir),
            "uid": run.user.uid,
            "gid": run.user.gid,
            "isolate_network": isolate_network,
            "limits": limits.rlimits(),
            "env": kernel_environment(run.runtime_dir, run.workdir, extra_env),
            "filesystem": private_filesystem(run),
        },
    }


def private_filesystem(run: SandboxRun) -> dict:
    """What a kernel sees of the machine when it can have a view of its own (the worker is root):
    the Python environment read-only, its own work and socket folders, and nothing else of the
    host's (no project, data folder, database, or other submissions)."""
    return {
        "root": str(run.private_root),
        "readable": sorted({os.path.realpath(sys.prefix), os.path.realpath(sys.base_prefix)}),
        "writable": [str(run.workdir), str(run.runtime_dir)],
    }


def isolation_missing() -> list[str]:
    """What the sandbox cannot isolate in this process, in words for the worker's log."""
    if confinement.private_machine_available():
        return []
    return [
        "a private filesystem (kernels see the host's world-readable files and share /tmp)",
        "a private process list (kernels see every process in /proc)",
    ]

"""Residents' notebook servers as local processes, each as its own unprivileged system user.

JupyterHub's LocalProcessSpawner runs a server as the system user named like
the hub user, and the single-user server refuses to run as root. Residents
exist in the LMS, not in ``/etc/passwd``, so this spawner creates a system
account per resident (``jh-<name>``, no login shell) with a home folder in the
data folder, and starts the server as that account. Run by an ordinary user,
the hub cannot switch users, so servers run as that user with separate homes.
"""

import asyncio
import functools
import hashlib
import os
import pwd
import re
import subprocess
import sys
from pathlib import Path

from jupyterhub.spawner import LocalProcessSpawner
from jupyterhub.utils import random_port
from traitlets import Bool, Integer, Unicode, default

from common.confinement import confine
from common.datafolder import data_dir_close, homes_dir
from common.forkserver import ForkServerProcess

SYSTEM_NAME_LIMIT = 32
SINGLEUSER = str(Path(sys.prefix) / "bin" / "jupyterhub-singleuser")
# What the fork server's own environment keeps: where Python and Jupyter look for code and config.
FORK_SERVER_ENV = ("PATH", "PYTHONPATH", "JUPYTER_CONFIG_PATH", "JUPYTER_PATH", "LANG", "LC_ALL")


def system_user_name(username: str, prefix: str = "jh-") -> str:
    """A valid, unique Linux account name for an LMS user name (which may hold '@', '.' or '+')."""
    clean = re.sub(r"[^a-z0-9_-]", "-", username.lower())
    name = prefix + clean
    looks_hashed = re.search(r"-[0-9a-f]{6}$", clean) is not None
    if clean != username or len(name) > SYSTEM_NAME_LIMIT or looks_hashed:
        digest = hashlib.sha256(username.encode()).hexdigest()[:6]
        name = f"{name[: SYSTEM_NAME_LIMIT - 7]}-{digest}"
    return name


class ResidentSpawner(LocalProcessSpawner):
    data_dir = Unicode(config=True, help="The LMS data folder; homes live in its 'homes' folder.")
    system_user_prefix = Unicode("jh-", config=True)
    create_system_users = Bool(
        True, config=True, help="Create a system account per resident when the hub runs as root."
    )
    max_processes = Integer(
        512, config=True, help="Processes and threads one resident may run (RLIMIT_NPROC)."
    )

    use_fork_server = Bool(
        True,
        config=True,
        help="Fork servers from a process with Jupyter imported (about 2.5 s faster per start).",
    )

    @default("cmd")
    def _cmd_default(self):
        return [SINGLEUSER]

    @property
    def switches_user(self) -> bool:
        return os.geteuid() == 0 and self.create_system_users

    @property
    def home(self) -> Path:
        return homes_dir(Path(self.data_dir)) / self.user.name

    @property
    def account(self) -> str:
        if self.switches_user:
            return system_user_name(self.user.name, self.system_user_prefix)
        return pwd.getpwuid(os.geteuid()).pw_name

    def ensure_account(self) -> None:
        """Create the resident's account and home folder if they are missing."""
        data_dir_close(Path(self.data_dir))
        home = self.home
        if self.switches_user:
            try:
                pwd.getpwnam(self.account)
            except KeyError:
                subprocess.run(  # noqa: S603 - fixed program, names checked above
                    ["/usr/sbin/useradd", "--system", "--user-group", "--no-create-home",
                     "--home-dir", str(home), "--shell", "/usr/sbin/nologin",
                     "--comment", f"Residency LMS notebook user {self.user.name}", self.account],
                    check=True, capture_output=True, text=True,
                )  # fmt: skip
        record = pwd.getpwnam(self.account)
        home.mkdir(mode=0o700, exist_ok=True)
        if self.switches_user and (home.stat().st_uid, home.stat().st_gid) != (
            record.pw_uid,
            record.pw_gid,
        ):
            os.chown(home, record.pw_uid, record.pw_gid)
        home.chmod(0o700)

    async def start(self):
        self.ensure_account()
        self.notebook_dir = str(self.home)
        if self.use_fork_server and self.cmd == [SINGLEUSER]:
            try:
                return await self._start_forked()
            except Exception as error:
                self.log.warning(
                    "Fork server failed (%s); starting %s normally", error, self.user.name
                )
        return await super().start()

    async def _start_forked(self):
        """Start the server through the fork server; the hub then tracks it by pid alone."""
        if self.port == 0:
            self.port = random_port()
        record = pwd.getpwnam(self.account)
        switch = self.switches_user and record.pw_uid != os.geteuid()
        request = {
            "argv": [*self.cmd, *self.get_args()],
            "env": self.get_env(),
            "cwd": str(self.home),
            "uid": record.pw_uid if switch else None,
            "gid": record.pw_gid,
            "groups": [record.pw_gid],
            "limits": self._limits(),
        }
        self.log.info("Forking a notebook server for %s as %s", self.user.name, self.account)
        server = _fork_server(self.get_env())
        loop = asyncio.get_running_loop()
        self.pid = await loop.run_in_executor(None, server.fork, request)
        self.proc = None
        return (self.ip or "127.0.0.1", self.port)

    def _limits(self) -> dict:
        limits = {"RLIMIT_NPROC": self.max_processes}
        if self.mem_limit:
            limits["RLIMIT_AS"] = self.mem_limit
        return limits

    def make_preexec_fn(self, name):
        record = pwd.getpwnam(self.account)
        switch = self.switches_user and record.pw_uid != os.geteuid()
        settings = {
            "uid": record.pw_uid if switch else None,
            "gid": record.pw_gid,
            "groups": [record.pw_gid],
            "limits": self._limits(),
            "cwd": str(self.home),
            "isolate_network": False,
        }
        return functools.partial(confine, settings)

    def user_env(self, env):
        env["USER"] = self.account
        env["HOME"] = str(self.home)
        env["SHELL"] = "/bin/bash"
        return env


_fork_servers: list[ForkServerProcess] = []


def fork_server_prestart(environment: dict) -> None:
    """Start the fork server while the hub starts, so the first resident's server does not wait
    for its imports (about 2.5 s). Only in a starting hub (an event loop is running); loading the
    configuration anywhere else starts nothing."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return
    _fork_server({key: environment[key] for key in FORK_SERVER_ENV if key in environment})


def _fork_server(environment: dict) -> ForkServerProcess:
    """The running fork server, started on first use with the servers' common environment."""
    if _fork_servers and _fork_servers[0].alive:
        return _fork_servers[0]
    for stale in _fork_servers:
        stale.close()
    env = {key: value for key, value in environment.items() if not key.startswith("JUPYTERHUB_")}
    _fork_servers[:] = [ForkServerProcess("notebooks.server_forkserver", env)]
    return _fork_servers[0]

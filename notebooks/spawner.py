"""Residents' notebook servers as local processes, each as its own unprivileged system user.

JupyterHub's LocalProcessSpawner runs a server as the system user named like
the hub user, and the single-user server refuses to run as root. Residents
exist in the LMS, not in ``/etc/passwd``, so this spawner creates a system
account per resident (``jh-<name>``, no login shell) with a home folder in the
data folder, and starts the server as that account. Run by an ordinary user,
the hub cannot switch users, so servers run as that user with separate homes.
"""

import hashlib
import os
import pwd
import re
import resource
import subprocess
import sys
from pathlib import Path

from jupyterhub.spawner import LocalProcessSpawner
from traitlets import Bool, Integer, Unicode, default

from lms.datadir import data_dir_close, homes_dir

SYSTEM_NAME_LIMIT = 32


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

    @default("cmd")
    def _cmd_default(self):
        return [str(Path(sys.prefix) / "bin" / "jupyterhub-singleuser")]

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
        return await super().start()

    def make_preexec_fn(self, name):
        account, home, nproc = self.account, str(self.home), self.max_processes
        memory = self.mem_limit
        switch = self.switches_user and account != pwd.getpwuid(os.geteuid()).pw_name
        setuid = super().make_preexec_fn(account) if switch else None

        def preexec():
            resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))
            if memory:
                resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
            if setuid is not None:
                setuid()
            os.chdir(home)

        return preexec

    def user_env(self, env):
        env["USER"] = self.account
        env["HOME"] = str(self.home)
        env["SHELL"] = "/bin/bash"
        return env

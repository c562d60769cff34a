"""The data folder, shared by the LMS and the hub: secrets kept in it, and who may enter it.

Plain Python with no Django import, so that ``jupyterhub_config.py`` and the
hub's helpers read the same secrets as the LMS settings.
"""

import os
import secrets
import stat
from pathlib import Path

HOMES = "homes"


def data_secret(data_dir: Path, name: str, nbytes: int = 32) -> str:
    """Return the secret stored as ``name`` in the data folder, creating it on first use.

    Lets the LMS and a hub on the same machine share the OAuth client secret
    and the hub API token without anyone copying them; separate machines set
    them in the environment instead.
    """
    path = Path(data_dir) / name
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(nbytes))
    return path.read_text().strip()


def data_dir_close(data_dir: Path) -> None:
    """Let unprivileged users pass through the data folder to their home, and read nothing else.

    Grading kernels and residents' notebook servers run as unprivileged users.
    The folder itself becomes traverse-only (0711), every entry in it except
    ``homes`` becomes owner-only, and ``homes`` is traverse-only too, so each
    resident reaches their own home (0700) and no one lists or reads the rest.
    SQLite creates its -wal and -shm files with the database file's mode, so
    they stay closed as well.
    """
    data_dir = Path(data_dir)
    if not data_dir.exists() or data_dir.stat().st_uid != os.geteuid():
        return
    data_dir.chmod(0o711)
    for entry in data_dir.iterdir():
        if entry.is_symlink() or entry.stat().st_uid != os.geteuid():
            continue
        if entry.name == HOMES:
            entry.chmod(0o711)
            continue
        mode = stat.S_IMODE(entry.stat().st_mode)
        entry.chmod(mode & 0o700)


def homes_dir(data_dir: Path) -> Path:
    """Where residents' home folders live, created traverse-only."""
    path = Path(data_dir) / HOMES
    path.mkdir(mode=0o711, parents=True, exist_ok=True)
    return path

"""The data folder, shared by the LMS, the hub and the grading workers: its secrets, and who may enter it."""

import contextlib
import os
import secrets
import stat
import tempfile
from pathlib import Path

HOMES = "homes"


def data_secret(data_dir: Path, name: str, nbytes: int = 32) -> str:
    """Return the secret stored as ``name`` in the data folder, creating it on first use.

    Lets the LMS and a hub on the same machine share the OAuth client secret,
    the hub API token and the development secret key without anyone copying
    them; separate machines set them in the environment instead.

    Creation is atomic: the secret is written in full to a private temporary
    file and then linked into place, so two processes starting together agree
    on one secret and neither ever reads a half-written file.
    """
    path = Path(data_dir) / name
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{name}.")
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(nbytes))
                handle.flush()
                os.fsync(handle.fileno())
            with contextlib.suppress(FileExistsError):
                os.link(temporary, path)
        finally:
            os.unlink(temporary)
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

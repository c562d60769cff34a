"""Zip archives as the exchange moves them, and the rule for the file names inside them.

The LMS packs released files and unpacks residents' submissions; a resident's
server packs submissions and unpacks released files. Both sides go through
these functions, so a name or size one side refuses the other refuses too.
"""

import io
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath

NOT_A_ZIP = "The upload is not a zip archive of the assignment folder."
DAMAGED = "The zip archive is damaged and cannot be unpacked; submit again."
TOO_MANY_ENTRIES = "The archive holds {count} files; a submission can hold at most {limit}."
UNPACKS_TOO_LARGE = "The archive unpacks to {size} bytes; the limit is {limit} bytes."
BAD_PATH = "{path!r} is not allowed as a file name: use a relative path without '..'."
MAX_PATH_LENGTH = 255


class ArchiveError(ValueError):
    """An archive that cannot be read as asked; the message is meant for the person who sent it."""


class UnsafePath(ArchiveError):
    """A file name that would land outside the assignment folder."""

    def __init__(self, path: str):
        super().__init__(BAD_PATH.format(path=path))
        self.path = path


@dataclass(frozen=True)
class ArchiveLimits:
    max_files: int
    max_total_bytes: int
    max_file_bytes: int


def safe_relative_path(path: str) -> str:
    """The normal form of a file name inside an assignment folder; refuses absolute paths,
    '..', empty parts, drive letters, NUL bytes and names too long for a file system."""
    cleaned = path.replace("\\", "/").strip()
    parts = PurePosixPath(cleaned).parts
    if (
        not cleaned
        or cleaned.startswith("/")
        or any(part in ("..", "") for part in parts)
        or ":" in parts[0]
        or "\x00" in cleaned
        or len(cleaned) > MAX_PATH_LENGTH
    ):
        raise UnsafePath(path)
    return str(PurePosixPath(*parts))


def archive_pack(files: dict[str, bytes]) -> bytes:
    """A zip of ``files`` (name to content), in name order so equal files give equal archives."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(files):
            archive.writestr(path, files[path])
    return buffer.getvalue()


def archive_unpack(data: bytes, limits: ArchiveLimits | None = None) -> dict[str, bytes]:
    """The files of a zip archive, by safe relative name.

    With ``limits``, sizes are checked from the archive's directory before
    anything is decompressed, so a zip bomb costs nothing, and no member is
    read past the per-file limit.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ArchiveError(NOT_A_ZIP) from None
    with archive:
        entries = [info for info in archive.infolist() if not info.is_dir()]
        if limits is not None:
            _check_directory(entries, limits)
        read_at_most = limits.max_file_bytes + 1 if limits is not None else -1
        files = {}
        try:
            for info in entries:
                with archive.open(info) as member:
                    files[safe_relative_path(info.filename)] = member.read(read_at_most)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError):
            raise ArchiveError(DAMAGED) from None
        return files


def _check_directory(entries: list[zipfile.ZipInfo], limits: ArchiveLimits) -> None:
    if len(entries) > limits.max_files:
        raise ArchiveError(TOO_MANY_ENTRIES.format(count=len(entries), limit=limits.max_files))
    total = sum(info.file_size for info in entries)
    if total > limits.max_total_bytes:
        raise ArchiveError(UNPACKS_TOO_LARGE.format(size=total, limit=limits.max_total_bytes))

"""Zip archives as the exchange moves them: built from stored files, read back within limits."""

import io
import zipfile
import zlib

from django.conf import settings

NOT_A_ZIP = "The upload is not a zip archive of the assignment folder."
DAMAGED = "The zip archive is damaged and cannot be unpacked; submit again."
TOO_MANY_ENTRIES = "The archive holds {count} files; a submission can hold at most {limit}."
UNPACKS_TOO_LARGE = "The archive unpacks to {size} bytes; the limit is {limit} bytes."


class ArchiveError(ValueError):
    """An upload that cannot be read as a submission; nothing of it was stored."""


def archive_build(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(files):
            archive.writestr(path, files[path])
    return buffer.getvalue()


def archive_read(data: bytes) -> dict[str, bytes]:
    """Files of a zip upload, refusing archives that would unpack past the submission limits.

    Sizes are checked from the archive's directory before anything is
    decompressed, so a zip bomb costs nothing; names are checked later by the
    submission service, which refuses absolute paths and '..'.
    """
    limits = settings.LMS_SUBMISSION_LIMITS
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ArchiveError(NOT_A_ZIP) from None
    with archive:
        entries = [info for info in archive.infolist() if not info.is_dir()]
        if len(entries) > limits["max_files"]:
            raise ArchiveError(
                TOO_MANY_ENTRIES.format(count=len(entries), limit=limits["max_files"])
            )
        total = sum(info.file_size for info in entries)
        if total > limits["max_total_bytes"]:
            raise ArchiveError(
                UNPACKS_TOO_LARGE.format(size=total, limit=limits["max_total_bytes"])
            )
        files = {}
        try:
            for info in entries:
                with archive.open(info) as member:
                    files[info.filename] = member.read(limits["max_file_bytes"] + 1)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError):
            raise ArchiveError(DAMAGED) from None
        return files

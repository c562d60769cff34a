"""Archives and the names in them: one rule for the LMS and the residents' servers."""

import io
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from common.archives import (
    ArchiveError,
    ArchiveLimits,
    UnsafePath,
    archive_pack,
    archive_unpack,
    safe_relative_path,
)

LIMITS = ArchiveLimits(max_files=3, max_total_bytes=1000, max_file_bytes=600)


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_what_is_packed_unpacks_the_same_and_packs_alike():
    files = {"ps1.ipynb": b"{}", "data/table.csv": b"a,b\n1,2\n"}
    assert archive_unpack(archive_pack(files), LIMITS) == files
    assert archive_pack(files) == archive_pack(dict(reversed(files.items())))


@pytest.mark.parametrize("name", ["../evil.py", "/etc/evil", "a/../../evil.py", "C:/x", "a\\..\\b"])
def test_names_that_escape_the_folder_are_refused(name):
    with pytest.raises(UnsafePath) as refused:
        archive_unpack(_zip({"ps1.ipynb": b"{}", name: b"x"}))
    assert refused.value.path == name
    assert "not allowed as a file name" in str(refused.value)


def test_a_zip_bomb_is_refused_before_anything_is_decompressed():
    bomb = _zip({"bomb.txt": b"0" * 50_000_000})
    assert len(bomb) < 100_000
    with pytest.raises(ArchiveError, match="unpacks to 50000000 bytes"):
        archive_unpack(bomb, LIMITS)


def test_too_many_files_and_not_a_zip_get_plain_messages():
    with pytest.raises(ArchiveError, match="holds 4 files"):
        archive_unpack(_zip({f"f{n}": b"" for n in range(4)}), LIMITS)
    with pytest.raises(ArchiveError, match="not a zip archive"):
        archive_unpack(b"PK\x03\x04 this is not really a zip")


@given(st.text(min_size=1, max_size=80))
def test_a_name_that_passes_never_leaves_the_folder(name):
    try:
        clean = safe_relative_path(name)
    except UnsafePath:
        return
    assert not clean.startswith("/")
    assert ".." not in clean.split("/")
    assert "\x00" not in clean

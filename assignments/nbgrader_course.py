"""Reading a course folder in nbgrader's standard layout (``source/``, ``submitted/``)."""

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from .grading import nbgrader_adapter as nbg

IGNORED = {".ipynb_checkpoints", "__pycache__", ".DS_Store", "timestamp.txt", "feedback"}


@dataclass
class CourseSubmission:
    student: str
    files: dict[str, bytes]
    timestamp: datetime.datetime | None


@dataclass
class CourseAssignment:
    name: str
    files: dict[str, bytes]
    submissions: list[CourseSubmission] = field(default_factory=list)


def _files_under(folder: Path) -> dict[str, bytes]:
    files = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if path.is_file() and not any(part in IGNORED for part in relative.parts):
            files[relative.as_posix()] = path.read_bytes()
    return files


def parse_timestamp(text: str) -> datetime.datetime | None:
    """Read ``timestamp.txt`` the way nbgrader does (``2015-02-02 14:58:23.9 America/Los_Angeles``)."""
    try:
        value = nbg.parse_utc(text.strip())
    except (ValueError, OverflowError):
        return None
    return value.replace(tzinfo=datetime.UTC) if value is not None else None


def read_course(root: Path, only: str | None = None) -> list[CourseAssignment]:
    source = root / "source"
    if not source.is_dir():
        raise FileNotFoundError(f"{root} has no source/ folder: is it an nbgrader course?")
    assignments = []
    for folder in sorted(p for p in source.iterdir() if p.is_dir() and p.name not in IGNORED):
        if only and folder.name != only:
            continue
        assignment = CourseAssignment(name=folder.name, files=_files_under(folder))
        submitted = root / "submitted"
        if submitted.is_dir():
            for student in sorted(p for p in submitted.iterdir() if p.is_dir()):
                work = student / folder.name
                if not work.is_dir():
                    continue
                stamp = work / "timestamp.txt"
                assignment.submissions.append(
                    CourseSubmission(
                        student=student.name,
                        files=_files_under(work),
                        timestamp=parse_timestamp(stamp.read_text()) if stamp.exists() else None,
                    )
                )
        assignments.append(assignment)
    return assignments

"""nbgrader's exchange, with the LMS in place of a shared folder.

nbgrader's Assignments panel in JupyterLab calls these classes exactly as it
calls the default ones; they list, fetch, submit and fetch feedback over the
LMS's HTTP API as the signed-in resident, so the hub and the LMS can run on
different machines. Releasing, collecting and returning feedback happen in
the LMS, so those operations explain that instead of touching files.
"""

import os
from pathlib import Path, PurePosixPath

from nbgrader.exchange.abc import (
    Exchange,
    ExchangeCollect,
    ExchangeFetchAssignment,
    ExchangeFetchFeedback,
    ExchangeList,
    ExchangeReleaseAssignment,
    ExchangeReleaseFeedback,
    ExchangeSubmit,
)
from traitlets import Instance

from common.archives import ArchiveError, archive_pack, archive_unpack

from .kernel_metadata import notebook_as_lab_saves_it
from .lms_client import ExchangeRefused, LMSClient

DONE_IN_THE_LMS = "{what} happens in the LMS, not in JupyterLab: open the course's admin pages."
NOTHING_TO_SUBMIT = "There is no folder called {name!r} to submit: fetch the assignment first."
ALREADY_FETCHED = (
    "You already have a folder called {name!r}. Rename it (to keep your work) and fetch again "
    "for a fresh copy."
)
UNSAFE_NAME = "The LMS sent a file with an unsafe name ({name!r}); nothing was written."
UNSAFE_ARCHIVE = (
    "The LMS sent files that cannot be written safely ({problem}); nothing was written."
)
SKIPPED_PARTS = {".ipynb_checkpoints", "__pycache__", "feedback"}


class LMSExchange(Exchange):
    """Shared plumbing: the HTTP client and where assignment folders live."""

    client = Instance(LMSClient, allow_none=True)

    def lms(self) -> LMSClient:
        if self.client is None:
            self.client = LMSClient()
        return self.client

    def assignment_path(self, name: str) -> Path:
        return Path(self.assignment_dir).resolve() / name

    def student_id(self) -> str:
        return (
            self.coursedir.student_id
            if self.coursedir and self.coursedir.student_id != "*"
            else (os.environ.get("JUPYTERHUB_USER", ""))
        )

    def init_src(self):
        pass

    def init_dest(self):
        pass

    def copy_files(self):
        pass


class LMSList(LMSExchange, ExchangeList):
    def list_files(self):
        if self.inbound:
            raise ExchangeRefused(DONE_IN_THE_LMS.format(what="Collecting submissions"))
        listing = self.lms().assignments()
        course_id = listing["course_id"]
        wanted_course = self.coursedir.course_id if self.coursedir else ""
        if wanted_course and wanted_course != course_id:
            return []
        wanted = self.coursedir.assignment_id if self.coursedir else ""
        assignments = [a for a in listing["assignments"] if not wanted or a["name"] == wanted]
        if self.cached:
            return [self._submitted(course_id, a) for a in assignments if a["submissions"]]
        return [self._released(course_id, a) for a in assignments]

    def remove_files(self):
        raise ExchangeRefused(DONE_IN_THE_LMS.format(what="Removing released assignments"))

    def _released(self, course_id: str, assignment: dict) -> dict:
        local = self.assignment_path(assignment["name"])
        info = {
            "course_id": course_id,
            "assignment_id": assignment["name"],
            "title": assignment["title"],
            "due_at": assignment["due_at"],
        }
        if local.is_dir():
            notebooks = sorted(local.glob("*.ipynb"))
            info.update(status="fetched", path=str(local))
            info["notebooks"] = [{"notebook_id": nb.stem, "path": str(nb)} for nb in notebooks]
        else:
            info.update(status="released", path=f"lms:{assignment['name']}")
            info["notebooks"] = [
                {"notebook_id": nb, "path": f"lms:{assignment['name']}/{nb}.ipynb"}
                for nb in assignment["notebooks"]
            ]
        return info

    def _submitted(self, course_id: str, assignment: dict) -> dict:
        local = self.assignment_path(assignment["name"])
        submissions = []
        for submission in assignment["submissions"]:
            feedback_dir = local / "feedback" / submission["timestamp"]
            remote = {name.removesuffix(".html") for name in submission["feedback"]}
            notebooks = []
            for notebook_id in assignment["notebooks"]:
                local_file = feedback_dir / f"{notebook_id}.html"
                notebooks.append(
                    {
                        "notebook_id": notebook_id,
                        "path": str(local / f"{notebook_id}.ipynb"),
                        "has_local_feedback": local_file.is_file(),
                        "has_exchange_feedback": notebook_id in remote,
                        "local_feedback_path": str(local_file) if local_file.is_file() else None,
                        "feedback_updated": False,
                    }
                )
            has_local = bool(notebooks) and all(nb["has_local_feedback"] for nb in notebooks)
            submissions.append(
                {
                    "course_id": course_id,
                    "student_id": self.student_id(),
                    "assignment_id": assignment["name"],
                    "timestamp": submission["timestamp"],
                    "shown_at": submission.get("shown_at") or submission["timestamp"],
                    "status": "submitted",
                    "path": f"lms:{assignment['name']}/v{submission['version']}",
                    "version": submission["version"],
                    "grading_status": submission["status"],
                    "score": submission["score"],
                    "max_score": submission["max_score"],
                    "notebooks": notebooks,
                    "has_local_feedback": has_local,
                    "has_exchange_feedback": bool(remote),
                    "feedback_updated": False,
                    "local_feedback_path": str(feedback_dir) if has_local else None,
                }
            )
        return {
            "course_id": course_id,
            "student_id": self.student_id(),
            "assignment_id": assignment["name"],
            "status": "submitted",
            "submissions": submissions,
        }


class LMSFetchAssignment(LMSExchange, ExchangeFetchAssignment):
    def copy_files(self):
        name = self.coursedir.assignment_id
        dest = self.assignment_path(name)
        if dest.is_dir() and not self.replace_missing_files:
            self.fail(ALREADY_FETCHED.format(name=name))
        archive = self.lms().release(name)
        try:
            files = archive_unpack(archive)
        except ArchiveError as error:
            raise ExchangeRefused(UNSAFE_ARCHIVE.format(problem=error)) from None
        dest.mkdir(parents=True, exist_ok=True)
        for relative, content in files.items():
            target = dest / relative
            if target.exists():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.suffix == ".ipynb":
                content = notebook_as_lab_saves_it(content)
            target.write_bytes(content)
        self.log.info("Fetched %s into %s", name, dest)


class LMSSubmit(LMSExchange, ExchangeSubmit):
    def copy_files(self):
        name = self.coursedir.assignment_id
        source = self.assignment_path(name)
        if not source.is_dir():
            self.fail(NOTHING_TO_SUBMIT.format(name=name))
        files = _collect(source)
        released = next(
            (a for a in self.lms().assignments()["assignments"] if a["name"] == name), None
        )
        if released is not None:
            missing = sorted(f"{nb}.ipynb" for nb in released["notebooks"])
            missing = [nb for nb in missing if nb not in files]
            if missing and self.strict:
                self.fail(
                    f"Notebooks missing from {name}: {', '.join(missing)}. Nothing was submitted."
                )
            for notebook in missing:
                self.log.warning("Submitting without %s: it is missing from your folder.", notebook)
        receipt = self.lms().submit(name, archive_pack(files))
        self.log.info(
            "Submitted %s as version %s at %s",
            name, receipt["version"], receipt.get("shown_at") or receipt["timestamp"],
        )  # fmt: skip
        self.receipt = receipt


class LMSFetchFeedback(LMSExchange, ExchangeFetchFeedback):
    def copy_files(self):
        name = self.coursedir.assignment_id
        feedback = self.lms().feedback(name)["feedback"]
        if not feedback:
            self.log.warning("No feedback is available for %s yet.", name)
            return
        base = self.assignment_path(name) / "feedback"
        for entry in feedback:
            folder = base / entry["timestamp"]
            folder.mkdir(parents=True, exist_ok=True)
            for filename, html in entry["files"].items():
                if PurePosixPath(filename).name != filename:
                    raise ExchangeRefused(UNSAFE_NAME.format(name=filename))
                (folder / filename).write_text(html, encoding="utf-8")
        self.log.info("Fetched feedback for %s into %s", name, base)


class LMSReleaseAssignment(LMSExchange, ExchangeReleaseAssignment):
    def start(self):
        raise ExchangeRefused(DONE_IN_THE_LMS.format(what="Releasing an assignment"))


class LMSReleaseFeedback(LMSExchange, ExchangeReleaseFeedback):
    def start(self):
        raise ExchangeRefused(DONE_IN_THE_LMS.format(what="Releasing feedback"))


class LMSCollect(LMSExchange, ExchangeCollect):
    def start(self):
        raise ExchangeRefused(DONE_IN_THE_LMS.format(what="Collecting submissions"))


def _collect(source: Path) -> dict[str, bytes]:
    """The assignment folder's files, without checkpoints, caches, hidden files or fetched feedback."""
    files = {}
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if not path.is_file() or path.is_symlink():
            continue
        if any(part.startswith(".") or part in SKIPPED_PARTS for part in relative.parts):
            continue
        files[relative.as_posix()] = path.read_bytes()
    return files

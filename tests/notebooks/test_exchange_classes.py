"""nbgrader's Assignments panel, through the LMS exchange classes, against a running LMS."""

import datetime
import io
import secrets
import zipfile
import zoneinfo
from types import SimpleNamespace

import nbformat
import pytest
from django.utils import timezone
from jupyter_client.kernelspec import KernelSpecManager
from nbgrader.auth import Authenticator
from nbgrader.coursedir import CourseDirectory
from nbgrader.exchange.abc.exchange import ExchangeError
from nbgrader.exchange.exchange_factory import ExchangeFactory
from oauth2_provider.models import AccessToken
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from assignments.models import Grading, Submission
from assignments.services import assignment_create
from common.archives import UnsafePath, archive_unpack
from common.nbgrader_times import exchange_timestamp
from lms.hub.auth import TOKEN_INVALID
from lms.hub.services import hub_oauth_client_ensure
from notebooks import exchange
from notebooks.exchange import (
    LMSCollect,
    LMSFetchAssignment,
    LMSFetchFeedback,
    LMSList,
    LMSReleaseAssignment,
    LMSReleaseFeedback,
    LMSSubmit,
)
from notebooks.hub_config import JUPYTER_CONFIG_DIR
from notebooks.lms_client import ExchangeRefused, LMSClient
from notebooks.server_extension import plain_error, times_as_shown
from tests.assignments.conftest import source_notebook
from tests.factories import CohortFactory, resident_in

SOURCE = source_notebook(
    (
        "solution",
        "answer",
        "def answer():\n    ### BEGIN SOLUTION\n    return 42  # the-model-answer\n    ### END SOLUTION",
    ),
    ("test", "check", "assert answer() == 42", 3),
)

live = pytest.mark.django_db(transaction=True)


@pytest.fixture
def lms(live_server, tmp_path):
    """A cohort with one released assignment, a resident with a token, and an empty home."""
    application = hub_oauth_client_ensure()
    cohort = CohortFactory(slug="spring")
    now = timezone.now()
    assignment = assignment_create(
        cohort=cohort,
        name="ps1",
        title="Warm-up",
        files={"ps1.ipynb": nbformat.writes(SOURCE).encode(), "data/rents.csv": b"id,rent\n"},
        release_at=now - datetime.timedelta(hours=1),
        due_at=now + datetime.timedelta(days=3),
    )
    resident = resident_in(cohort, username="rosa")
    token = secrets.token_urlsafe(24)
    AccessToken.objects.create(
        user=resident,
        token=token,
        application=application,
        expires=now + datetime.timedelta(hours=1),
        scope="profile exchange",
    )

    home = tmp_path / "home"
    home.mkdir()
    return SimpleNamespace(
        url=live_server.url, token=token, home=home, assignment=assignment, resident=resident
    )


def _make(cls, lms, *, token=None, assignment_id="ps1", course_id="", **kwargs):
    """An exchange object built as nbgrader's server extension builds it."""
    config = Config()
    config.Exchange.assignment_dir = str(lms.home)
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id = assignment_id
    if course_id:
        coursedir.course_id = course_id
    return cls(
        coursedir=coursedir,
        authenticator=Authenticator(config=config),
        config=config,
        client=LMSClient(lms_url=lms.url, access_token=token or lms.token),
        **kwargs,
    )


def _answer(folder):
    path = folder / "ps1.ipynb"
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "answer":
            cell.source = "def answer():\n    return 42"
    nbformat.write(nb, path)


@live
def test_list_shows_the_released_assignment(lms):
    """Does the panel list the released assignment, with its notebooks, before I fetch it?"""
    [listed] = _make(LMSList, lms).start()
    assert listed["course_id"] == "spring"
    assert listed["assignment_id"] == "ps1"
    assert listed["status"] == "released"
    assert [nb["notebook_id"] for nb in listed["notebooks"]] == ["ps1"]


@live
def test_fetch_writes_the_folder_and_list_reports_it_fetched(lms):
    """After fetching, is the notebook in my home and the assignment shown as fetched?"""
    _make(LMSFetchAssignment, lms).start()
    folder = lms.home / "ps1"
    notebook = (folder / "ps1.ipynb").read_text()
    assert "YOUR CODE HERE" in notebook and "the-model-answer" not in notebook
    assert (folder / "data" / "rents.csv").read_bytes() == b"id,rent\n"
    kernelspec = nbformat.reads(notebook, 4).metadata.kernelspec
    assert kernelspec == {
        "display_name": KernelSpecManager().get_kernel_spec("python3").display_name,
        "language": "python",
        "name": "python3",
    }, "written as this JupyterLab's kernel reports itself, so opening it changes nothing"

    [listed] = _make(LMSList, lms).start()
    assert listed["status"] == "fetched"
    assert listed["path"] == str(folder.resolve())
    assert listed["notebooks"] == [
        {"notebook_id": "ps1", "path": str(folder.resolve() / "ps1.ipynb")}
    ]


@live
def test_fetching_again_keeps_my_work(lms):
    """If I fetch again, is my edited notebook left alone, with a message saying why?"""
    _make(LMSFetchAssignment, lms).start()
    notebook = lms.home / "ps1" / "ps1.ipynb"
    notebook.write_text("my work")
    with pytest.raises(ExchangeError) as refused:
        _make(LMSFetchAssignment, lms).start()
    assert "You already have a folder called 'ps1'" in str(refused.value)
    assert notebook.read_text() == "my work"


@live
def test_fetch_with_replace_missing_files_restores_only_missing_ones(lms):
    """Does "replace missing files" bring back a deleted file without overwriting my work?"""
    _make(LMSFetchAssignment, lms).start()
    folder = lms.home / "ps1"
    (folder / "ps1.ipynb").write_text("my work")
    (folder / "data" / "rents.csv").unlink()
    _make(LMSFetchAssignment, lms, replace_missing_files=True).start()
    assert (folder / "ps1.ipynb").read_text() == "my work"
    assert (folder / "data" / "rents.csv").read_bytes() == b"id,rent\n"


@live
def test_listing_another_course_shows_nothing(lms):
    """When the panel asks about a different course, does it get an empty list?"""
    assert _make(LMSList, lms, course_id="autumn").start() == []


@live
def test_submit_uploads_and_cached_list_shows_the_submission(lms):
    """Does Submit store my folder in the LMS, and the panel then list it with its time?"""
    _make(LMSFetchAssignment, lms).start()
    folder = lms.home / "ps1"
    (folder / ".ipynb_checkpoints").mkdir()
    (folder / ".ipynb_checkpoints" / "ps1-checkpoint.ipynb").write_text("{}")
    (folder / "notes.txt").write_text("my notes")
    submit = _make(LMSSubmit, lms)
    submit.start()

    submission = Submission.objects.get(resident=lms.resident)
    assert submit.receipt["version"] == submission.version == 1
    assert sorted(submission.files.values_list("path", flat=True)) == [
        "data/rents.csv",
        "notes.txt",
        "ps1.ipynb",
    ]
    [listed] = _make(LMSList, lms, cached=True).start()
    [entry] = listed["submissions"]
    assert entry["status"] == "submitted"
    assert entry["timestamp"] == exchange_timestamp(submission.submitted_at)
    assert entry["version"] == 1
    assert entry["notebooks"][0]["notebook_id"] == "ps1"


@live
def test_the_panel_shows_submission_times_in_the_program_time_zone(lms, settings):
    """Does the Assignments panel show when I submitted as the LMS does, in the program's zone,
    while keeping nbgrader's order and feedback folders on the exchange timestamp?"""
    settings.TIME_ZONE = "America/Los_Angeles"
    _make(LMSFetchAssignment, lms).start()
    _make(LMSSubmit, lms).start()
    submitted_at = Submission.objects.get(resident=lms.resident).submitted_at
    local = submitted_at.astimezone(zoneinfo.ZoneInfo("America/Los_Angeles"))
    expected = (
        f"{local:%a %b} {local.day}, {local.hour % 12 or 12}:{local:%M} "
        f"{'AM' if local.hour < 12 else 'PM'} {local.tzname()}"
    )
    [listed] = _make(LMSList, lms, cached=True).start()
    [entry] = listed["submissions"]
    assert entry["shown_at"] == expected
    assert entry["timestamp"] == exchange_timestamp(submitted_at)

    shown = times_as_shown({"success": True, "value": [listed]})
    assert shown["value"][0]["submissions"][0]["timestamp"] == expected


def test_times_as_shown_keeps_nbgraders_order_and_leaves_failures_alone():
    earlier = {
        "timestamp": "2026-11-30 17:05:00.000000 UTC",
        "shown_at": "Mon Nov 30, 12:05 PM EST",
    }
    later = {"timestamp": "2026-11-30 18:05:00.000000 UTC", "shown_at": "Mon Nov 30, 1:05 PM EST"}
    older_lms = {"timestamp": "2026-11-30 19:05:00.000000 UTC"}
    result = {"success": True, "value": [{"submissions": [earlier, later, older_lms]}]}
    shown = [s["timestamp"] for s in times_as_shown(result)["value"][0]["submissions"]]
    assert shown == [
        "Mon Nov 30, 12:05 PM EST", "Mon Nov 30, 1:05 PM EST", "2026-11-30 19:05:00.000000 UTC"
    ]  # fmt: skip
    failure = {"success": False, "value": "The LMS is not answering."}
    assert times_as_shown(dict(failure)) == failure


@live
def test_submit_without_fetching_says_to_fetch_first(lms):
    """Is submitting an assignment I never fetched refused with a sentence telling me what to do?"""
    with pytest.raises(ExchangeError) as refused:
        _make(LMSSubmit, lms).start()
    assert "fetch the assignment first" in str(refused.value)
    assert not Submission.objects.exists()


@live
def test_strict_submit_refuses_a_folder_missing_a_notebook(lms):
    """With strict submission on, is a folder without its notebook refused before uploading?"""
    _make(LMSFetchAssignment, lms).start()
    (lms.home / "ps1" / "ps1.ipynb").unlink()
    with pytest.raises(ExchangeError) as refused:
        _make(LMSSubmit, lms, strict=True).start()
    assert "Notebooks missing from ps1: ps1.ipynb" in str(refused.value)
    assert not Submission.objects.exists()


@live
@pytest.mark.grading
def test_feedback_is_fetched_into_the_submission_timestamp_folder(lms):
    """After grading, does Fetch Feedback write feedback/<timestamp>/ps1.html, and the list say so?"""
    _make(LMSFetchAssignment, lms).start()
    _answer(lms.home / "ps1")
    _make(LMSSubmit, lms).start()
    submission = Submission.objects.get(resident=lms.resident)
    grading = submission.grading
    assert grading.status == Grading.Status.GRADED, grading.error
    assert grading.feedback_files, "feedback is rendered right after grading"

    _make(LMSFetchFeedback, lms).start()
    timestamp = exchange_timestamp(submission.submitted_at)
    feedback = lms.home / "ps1" / "feedback" / timestamp / "ps1.html"
    assert "Score: 3.0 / 3.0" in feedback.read_text()

    [listed] = _make(LMSList, lms, cached=True).start()
    [entry] = listed["submissions"]
    assert (entry["grading_status"], entry["score"], entry["max_score"]) == ("graded", 3, 3)
    assert entry["has_exchange_feedback"] is True
    assert entry["has_local_feedback"] is True
    assert entry["local_feedback_path"] == str(feedback.parent)


@live
def test_fetch_feedback_before_grading_writes_nothing(lms):
    """Before any feedback exists, does Fetch Feedback leave my folder as it was?"""
    _make(LMSFetchAssignment, lms).start()
    _make(LMSFetchFeedback, lms).start()
    assert not (lms.home / "ps1" / "feedback").exists()


@live
def test_refusals_carry_the_lms_message(lms):
    """With a forged token, does the panel show the LMS's own sentence?"""
    with pytest.raises(ExchangeRefused) as refused:
        _make(LMSList, lms, token="forged").start()
    assert str(refused.value) == TOKEN_INVALID


@live
def test_unknown_assignment_names_the_assignment(lms):
    """Fetching an assignment my cohort does not have: does the message name it?"""
    with pytest.raises(ExchangeRefused) as refused:
        _make(LMSFetchAssignment, lms, assignment_id="ps9").start()
    assert str(refused.value) == "Your cohort has no assignment called 'ps9'."
    assert not (lms.home / "ps9").exists()


@pytest.mark.parametrize(
    ("cls", "what", "kwargs"),
    [
        (LMSReleaseAssignment, "Releasing an assignment", {}),
        (LMSReleaseFeedback, "Releasing feedback", {}),
        (LMSCollect, "Collecting submissions", {}),
        (LMSList, "Collecting submissions", {"inbound": True}),
        (LMSList, "Removing released assignments", {"remove": True}),
    ],
)
def test_instructor_operations_happen_in_the_lms(tmp_path, cls, what, kwargs):
    """Do release, collect and remove explain they happen in the LMS, touching nothing?"""
    config = Config()
    config.Exchange.assignment_dir = str(tmp_path)
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id = "ps1"
    operation = cls(
        coursedir=coursedir,
        authenticator=Authenticator(config=config),
        config=config,
        client=LMSClient(lms_url="http://127.0.0.1:9", access_token="unused"),
        **kwargs,
    )
    with pytest.raises(ExchangeRefused) as refused:
        operation.start()
    assert str(refused.value) == f"{what} happens in the LMS, not in JupyterLab: " + (
        "open the course's admin pages."
    )
    assert list(tmp_path.iterdir()) == []


def test_an_unreachable_lms_is_explained(tmp_path):
    """When the LMS is down, does the panel say it could not be reached?"""
    client = LMSClient(lms_url="http://127.0.0.1:9", access_token="t", timeout=2)
    with pytest.raises(ExchangeRefused) as refused:
        client.assignments()
    assert str(refused.value).startswith("The LMS could not be reached")


@pytest.mark.parametrize("name", ["../evil.py", "/etc/evil", "a/../../evil.py"])
def test_archives_from_the_lms_cannot_write_outside_the_folder(name):
    """Would a release archive with an escaping name be refused rather than unpacked?"""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("ps1.ipynb", "{}")
        archive.writestr(name, "x")
    with pytest.raises(UnsafePath) as refused:
        archive_unpack(buffer.getvalue())
    assert refused.value.path == name


def test_residents_nbgrader_uses_the_lms_exchange_for_every_operation():
    """Does the nbgrader config residents' servers load send every operation to the LMS classes?"""
    config = PyFileConfigLoader("nbgrader_config.py", path=str(JUPYTER_CONFIG_DIR)).load_config()
    factory = ExchangeFactory(config=config)
    assert factory.exchange is exchange.LMSExchange
    assert factory.fetch_assignment is LMSFetchAssignment
    assert factory.fetch_feedback is LMSFetchFeedback
    assert factory.submit is LMSSubmit
    assert factory.list is LMSList
    assert factory.release_assignment is LMSReleaseAssignment
    assert factory.release_feedback is LMSReleaseFeedback
    assert factory.collect is LMSCollect


# Plain error messages in JupyterLab


def test_plain_error_keeps_only_the_lms_sentence():
    """Does a traceback from the exchange become the LMS's sentence?"""
    traceback = (
        "Traceback (most recent call last):\n"
        '  File "/x/exchange.py", line 10, in start\n'
        "    raise ExchangeRefused(msg)\n"
        "notebooks.lms_client.ExchangeRefused: Your cohort has no assignment called 'ps9'.\n"
    )
    result = plain_error({"success": False, "value": traceback})
    assert result == {"success": False, "value": "Your cohort has no assignment called 'ps9'."}


def test_plain_error_also_shortens_nbgrader_exchange_errors():
    """Does nbgrader's own ExchangeError (from fail()) read as a plain sentence too?"""
    traceback = "Traceback...\nnbgrader.exchange.abc.exchange.ExchangeError: You already have it."
    assert plain_error({"success": False, "value": traceback})["value"] == "You already have it."


@pytest.mark.parametrize(
    "result",
    [
        {"success": True, "value": [{"assignment_id": "ps1"}]},
        {"success": True, "value": "notebooks.lms_client.ExchangeRefused: looks like one"},
        {"success": False, "value": "Traceback...\nKeyError: 'course_id'"},
        {"success": False, "value": ""},
        {"success": False, "value": None},
    ],
)
def test_plain_error_leaves_other_results_alone(result):
    """Are successes, other errors and empty values passed through unchanged?"""
    original = dict(result)
    assert plain_error(result) == original

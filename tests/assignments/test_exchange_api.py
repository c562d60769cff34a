"""The exchange API residents' JupyterLab calls, and the progress and feedback pages they read."""

import datetime
import html
import io
import re
import secrets
import zipfile

import nbformat
import pytest
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application

from assignments.api import NOT_A_RESIDENT
from assignments.models import AssignmentFile, Grading, Submission, SubmissionFile
from assignments.services import assignment_create
from common.archives import NOT_A_ZIP
from lms.hub.auth import TOKEN_INVALID
from lms.people.models import Role
from tests.factories import UserFactory, resident_in

from .conftest import source_notebook

pytestmark = pytest.mark.django_db

SOURCE = source_notebook(
    (
        "solution",
        "answer",
        "def answer():\n    ### BEGIN SOLUTION\n    return 42  # the-model-answer\n    ### END SOLUTION",
    ),
    ("test", "visible", "assert answer() == 42", 2),
    (
        "test",
        "hidden",
        "assert answer() > 0\n### BEGIN HIDDEN TESTS\nassert answer() == 42\n### END HIDDEN TESTS",
        3,
    ),
)


def _assignment(cohort, name="ps1", released=True, **kwargs):
    now = timezone.now()
    release_at = now - datetime.timedelta(days=1) if released else now + datetime.timedelta(days=3)
    return assignment_create(
        cohort=cohort,
        name=name,
        title=f"Problem set {name}",
        files={"ps1.ipynb": nbformat.writes(SOURCE).encode(), "data/rents.csv": b"id,rent\n"},
        release_at=release_at,
        due_at=release_at + datetime.timedelta(days=7),
        **kwargs,
    )


def _answer(assignment, code="def answer():\n    return 42") -> bytes:
    release = AssignmentFile.objects.get(assignment=assignment, kind="release", path="ps1.ipynb")
    nb = nbformat.reads(bytes(release.content).decode(), as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "answer":
            cell.source = code
    return nbformat.writes(nb).encode()


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _text(document: str) -> str:
    """The words of an HTML document, tags removed."""
    return re.sub(r"<[^>]+>", "", document)


def _token(user, scope="profile exchange", expires_in=datetime.timedelta(hours=1)) -> str:
    token = secrets.token_urlsafe(24)
    AccessToken.objects.create(
        user=user,
        token=token,
        application=Application.objects.get(client_id="jupyterhub"),
        expires=timezone.now() + expires_in,
        scope=scope,
    )
    return token


class Api:
    """The exchange API as one resident's JupyterLab calls it."""

    def __init__(self, client, user):
        self.client, self.auth = client, f"Bearer {_token(user)}"

    def get(self, path):
        return self.client.get(f"/api/exchange/{path}", HTTP_AUTHORIZATION=self.auth)

    def submit(self, name, body: bytes, key: str | None = None):
        headers = {"HTTP_X_SUBMISSION_KEY": key} if key else {}
        return self.client.post(
            f"/api/exchange/assignments/{name}/submissions",
            body,
            content_type="application/zip",
            HTTP_AUTHORIZATION=self.auth,
            **headers,
        )


@pytest.fixture
def api(client, resident):
    return Api(client, resident)


# Listing and fetching


def test_resident_lists_only_released_assignments_of_their_cohort(api, cohort, other_cohort):
    """Does the Assignments panel show my cohort's released work, and nothing else?"""
    _assignment(cohort, "ps1")
    _assignment(cohort, "ps2", released=False)
    _assignment(other_cohort, "theirs")
    response = api.get("assignments")
    assert response.status_code == 200
    listing = response.json()
    assert listing["course_id"] == cohort.slug
    assert [a["name"] for a in listing["assignments"]] == ["ps1"]
    ps1 = listing["assignments"][0]
    assert ps1["title"] == "Problem set ps1"
    assert ps1["notebooks"] == ["ps1"]
    assert ps1["submissions"] == []


def test_fetched_zip_holds_the_release_notebook_without_solutions(api, cohort):
    """Do I get the exercise and its data files, but never the model answer?"""
    _assignment(cohort, "ps1")
    response = api.get("assignments/ps1/release")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert 'filename="ps1.zip"' in response["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert sorted(archive.namelist()) == ["data/rents.csv", "ps1.ipynb"]
        notebook = archive.read("ps1.ipynb").decode()
    assert "the-model-answer" not in notebook
    assert "YOUR CODE HERE" in notebook
    assert "assert answer() == 42" in notebook  # the visible test stays


def test_unreleased_assignment_says_when_it_opens(api, cohort):
    """Fetching too early: am I told when the assignment opens?"""
    assignment = _assignment(cohort, "ps2", released=False)
    response = api.get("assignments/ps2/release")
    assert response.status_code == 403
    message = response.json()["error"]
    opens = timezone.localtime(assignment.release_at)
    assert message.startswith("ps2 opens ")
    assert opens.strftime("%b") in message and f" {opens.day} " in message
    assert response.get("Content-Type") == "application/json"


def test_another_cohorts_assignment_does_not_exist_for_me(api, other_cohort):
    """Can I fetch an assignment of a cohort I am not in?"""
    _assignment(other_cohort, "theirs")
    response = api.get("assignments/theirs/release")
    assert response.status_code == 404
    assert "no assignment called 'theirs'" in response.json()["error"]


def test_same_name_in_two_cohorts_fetches_my_cohorts_copy(api, cohort, other_cohort, resident):
    """When both cohorts have a ps1, do I submit to my own cohort's?"""
    _assignment(other_cohort, "ps1")
    mine = _assignment(cohort, "ps1")
    response = api.submit("ps1", _zip({"ps1.ipynb": _answer(mine)}))
    assert response.status_code == 201
    assert Submission.objects.get().assignment == mine


# Who may call


def test_forged_token_is_refused_with_a_challenge(client, resident, cohort):
    """Is a made-up token refused, with a WWW-Authenticate header telling the client why?"""
    _assignment(cohort)
    response = client.get("/api/exchange/assignments", HTTP_AUTHORIZATION="Bearer forged-token")
    assert response.status_code == 401
    assert response.json() == {"error": TOKEN_INVALID}
    assert 'error="invalid_token"' in response["WWW-Authenticate"]


def test_expired_token_is_refused(client, resident):
    """Does a token past its expiry stop working?"""
    token = _token(resident, expires_in=-datetime.timedelta(minutes=1))
    response = client.get("/api/exchange/assignments", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 401
    assert response.json() == {"error": TOKEN_INVALID}


def test_no_token_is_refused_even_with_a_session(client, resident):
    """Is the browser session alone not enough to use the exchange?"""
    client.force_login(resident)
    response = client.get("/api/exchange/assignments")
    assert response.status_code == 401
    assert "Authorization: Bearer" in response.json()["error"]
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("role", [Role.STAFF, Role.MENTOR, Role.GUEST_INSTRUCTOR])
def test_people_without_an_enrollment_are_told_they_are_not_enrolled(client, cohort, role):
    """Do staff and mentors, who have no cohort of their own, get a plain 'not enrolled'?"""
    _assignment(cohort)
    person = UserFactory(username="helper", roles=[role], is_staff=role == Role.STAFF)
    api = Api(client, person)
    for path in ("assignments", "assignments/ps1/release", "assignments/ps1/feedback"):
        response = api.get(path)
        assert response.status_code == 403
        assert response.json() == {"error": NOT_A_RESIDENT.format(user="helper")}
    assert api.submit("ps1", _zip({"ps1.ipynb": b"{}"})).status_code == 403
    assert not Submission.objects.exists()


def test_wrong_methods_are_refused(api, cohort):
    """Can the listing be POSTed to or the upload be fetched with GET?"""
    _assignment(cohort)
    assert (
        api.client.post("/api/exchange/assignments", HTTP_AUTHORIZATION=api.auth).status_code == 405
    )
    assert api.get("assignments/ps1/submissions").status_code == 405


# Submitting


def test_submitting_a_zip_stores_a_new_version(api, cohort, resident):
    """Does a zip of my folder become submission version 1, queued for grading?"""
    assignment = _assignment(cohort)
    response = api.submit("ps1", _zip({"ps1.ipynb": _answer(assignment), "notes.txt": b"hi"}))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["assignment"] == "ps1" and data["version"] == 1 and data["status"] == "queued"
    submission = Submission.objects.get(resident=resident)
    assert data["timestamp"] == submission.submitted_at.astimezone(datetime.UTC).strftime(
        "%Y-%m-%d %H:%M:%S.%f UTC"
    )
    assert sorted(submission.files.values_list("path", flat=True)) == ["notes.txt", "ps1.ipynb"]
    assert submission.grading.status == Grading.Status.QUEUED
    second = api.submit("ps1", _zip({"ps1.ipynb": _answer(assignment)}))
    assert second.status_code == 201 and second.json()["version"] == 2


@pytest.mark.grading
def test_submission_is_graded(api, cohort, resident, django_capture_on_commit_callbacks):
    """Once I submit, is my work graded and the score shown in the Assignments panel?"""
    assignment = _assignment(cohort)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.submit("ps1", _zip({"ps1.ipynb": _answer(assignment)}))
    assert response.status_code == 201
    grading = Submission.objects.get(resident=resident).grading
    assert grading.status == Grading.Status.GRADED, grading.error
    assert (grading.score, grading.max_score) == (5, 5)
    [summary] = api.get("assignments").json()["assignments"][0]["submissions"]
    assert summary["version"] == 1
    assert (summary["status"], summary["score"], summary["max_score"]) == ("graded", 5, 5)
    assert summary["feedback"] == ["ps1"]


def test_a_retried_upload_is_stored_once(api, cohort, resident):
    """If JupyterLab retries after a lost response, is my submission stored only once?"""
    assignment = _assignment(cohort)
    body = _zip({"ps1.ipynb": _answer(assignment)})
    first = api.submit("ps1", body, key="abc-123")
    again = api.submit("ps1", body, key="abc-123")
    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["version"] == first.json()["version"] == 1
    assert again.json()["timestamp"] == first.json()["timestamp"]
    assert Submission.objects.filter(resident=resident).count() == 1
    assert api.submit("ps1", body, key="abc-124").json()["version"] == 2


def test_submission_keys_belong_to_one_resident(client, api, cohort, resident):
    """Does another resident who happens to send the same key still get their own submission?"""
    assignment = _assignment(cohort)
    body = _zip({"ps1.ipynb": _answer(assignment)})
    assert api.submit("ps1", body, key="same-key").status_code == 201
    other = Api(client, resident_in(cohort, username="bea"))
    response = other.submit("ps1", body, key="same-key")
    assert response.status_code == 201
    assert Submission.objects.filter(client_key="same-key").count() == 2


def test_a_key_used_for_one_assignment_is_refused_for_another(api, cohort):
    """Does reusing a key on a different assignment store nothing rather than echo the old one?"""
    first = _assignment(cohort, "ps1")
    second = _assignment(cohort, "ps2")
    assert api.submit("ps1", _zip({"ps1.ipynb": _answer(first)}), key="reused").status_code == 201
    response = api.submit("ps2", _zip({"ps2.ipynb": _answer(second)}), key="reused")
    assert response.status_code == 400
    assert "another assignment" in response.json()["error"]
    assert not Submission.objects.filter(assignment=second).exists()


def test_malformed_submission_key_is_refused(api, cohort):
    """Is a key with odd characters refused before anything is stored?"""
    assignment = _assignment(cohort)
    response = api.submit("ps1", _zip({"ps1.ipynb": _answer(assignment)}), key="../../x y")
    assert response.status_code == 400
    assert "X-Submission-Key" in response.json()["error"]
    assert not Submission.objects.exists()


def test_a_body_that_is_not_a_zip_is_refused(api, cohort):
    """Is an upload that is not a zip refused with a sentence saying so?"""
    _assignment(cohort)
    response = api.submit("ps1", b'{"cells": []}')
    assert response.status_code == 400
    assert response.json() == {"error": NOT_A_ZIP}
    assert not Submission.objects.exists()


@pytest.mark.parametrize("name", ["../evil.py", "/etc/cron.d/evil", "sub/../../evil.py"])
def test_paths_escaping_the_folder_are_refused(api, cohort, name):
    """Is an archive with a file outside the assignment folder refused, storing nothing?"""
    assignment = _assignment(cohort)
    response = api.submit("ps1", _zip({"ps1.ipynb": _answer(assignment), name: b"print('x')"}))
    assert response.status_code == 400
    assert "not allowed as a file name" in response.json()["error"]
    assert not Submission.objects.exists() and not SubmissionFile.objects.exists()


def test_an_archive_that_unpacks_past_the_limit_is_refused(api, cohort, settings):
    """Is a small zip that would unpack to too much refused before it is unpacked?"""
    _assignment(cohort)
    settings.LMS_SUBMISSION_LIMITS = {
        "max_files": 5,
        "max_file_bytes": 4_000,
        "max_total_bytes": 10_000,
    }
    body = _zip({"ps1.ipynb": b"0" * 200_000})
    assert len(body) < 10_000  # the upload itself is within the limit
    response = api.submit("ps1", body)
    assert response.status_code in (400, 413)
    assert "unpacks to 200000 bytes" in response.json()["error"]
    assert not Submission.objects.exists()


def test_an_upload_larger_than_the_limit_is_refused(api, cohort, settings):
    """Is an upload over the size limit refused with 413 and the limit named?"""
    _assignment(cohort)
    settings.LMS_SUBMISSION_LIMITS = {
        "max_files": 5,
        "max_file_bytes": 4_000,
        "max_total_bytes": 10_000,
    }
    response = api.submit("ps1", _zip({"ps1.ipynb": secrets.token_bytes(20_000)}))
    assert response.status_code == 413
    assert "at most 10000 bytes" in response.json()["error"]
    assert not Submission.objects.exists()


def test_an_archive_with_too_many_files_is_refused(api, cohort, settings):
    """Is an archive of thousands of tiny files refused?"""
    _assignment(cohort)
    settings.LMS_SUBMISSION_LIMITS = {
        "max_files": 5,
        "max_file_bytes": 4_000,
        "max_total_bytes": 100_000,
    }
    response = api.submit("ps1", _zip({f"f{n}.txt": b"x" for n in range(6)}))
    assert response.status_code == 400
    assert "at most 5" in response.json()["error"]
    assert not Submission.objects.exists()


def test_a_corrupt_archive_is_refused_not_a_server_error(api, cohort):
    """Does an archive damaged in transit get a 400 with a sentence, rather than a server error?"""
    assignment = _assignment(cohort)
    body = bytearray(_zip({"ps1.ipynb": _answer(assignment)}))
    start = body.index(b"ps1.ipynb") + len("ps1.ipynb")  # the member's compressed data
    for offset in range(start + 10, start + 60):
        body[offset] ^= 0xFF
    api.client.raise_request_exception = False
    response = api.submit("ps1", bytes(body))
    assert response.status_code == 400
    assert not Submission.objects.exists()


def test_an_empty_archive_is_refused(api, cohort):
    """Is an empty zip refused rather than stored as an empty submission?"""
    _assignment(cohort)
    response = api.submit("ps1", _zip({}))
    assert response.status_code == 400
    assert "no files" in response.json()["error"]
    assert not Submission.objects.exists()


def test_submitting_before_release_is_refused(api, cohort):
    """Can I submit an assignment that has not opened yet?"""
    _assignment(cohort, "ps2", released=False)
    response = api.submit("ps2", _zip({"ps1.ipynb": b"{}"}))
    assert response.status_code == 403
    assert "opens" in response.json()["error"]
    assert not Submission.objects.exists()


# Privacy between residents


@pytest.mark.grading
def test_residents_see_only_their_own_submissions_and_feedback(
    client, cohort, resident, django_capture_on_commit_callbacks
):
    """Can a classmate see my submissions, scores or feedback through the exchange?"""
    assignment = _assignment(cohort)
    mine = Api(client, resident)
    with django_capture_on_commit_callbacks(execute=True):
        assert mine.submit("ps1", _zip({"ps1.ipynb": _answer(assignment)})).status_code == 201
    bea = Api(client, resident_in(cohort, username="bea"))

    assert bea.get("assignments").json()["assignments"][0]["submissions"] == []
    assert bea.get("assignments/ps1/feedback").json() == {"assignment": "ps1", "feedback": []}
    assert len(mine.get("assignments").json()["assignments"][0]["submissions"]) == 1
    assert len(mine.get("assignments/ps1/feedback").json()["feedback"]) == 1


@pytest.mark.grading
def test_feedback_is_one_html_file_per_notebook(
    api, cohort, resident, django_capture_on_commit_callbacks
):
    """After grading, do I fetch feedback as <notebook>.html for the version I submitted?"""
    assignment = _assignment(cohort)
    with django_capture_on_commit_callbacks(execute=True):
        receipt = api.submit(
            "ps1", _zip({"ps1.ipynb": _answer(assignment, "def answer():\n    return 41")})
        ).json()
    response = api.get("assignments/ps1/feedback")
    assert response.status_code == 200
    [entry] = response.json()["feedback"]
    assert entry["version"] == 1 and entry["timestamp"] == receipt["timestamp"]
    assert list(entry["files"]) == ["ps1.html"]
    text = _text(entry["files"]["ps1.html"])
    assert "ps1 (Score: 0.0 / 5.0)" in text
    assert "def answer():\n    return 41" in text  # my own answer, as graded
    assert "Hidden tests did not pass." in text


def test_feedback_is_empty_before_grading(api, cohort):
    """Before grading finishes, is the feedback list simply empty?"""
    assignment = _assignment(cohort)
    api.submit("ps1", _zip({"ps1.ipynb": _answer(assignment)}))
    response = api.get("assignments/ps1/feedback")
    assert response.status_code == 200
    assert response.json()["feedback"] == []


# Progress and feedback pages


@pytest.mark.grading
def test_progress_page_shows_my_score_and_links_my_feedback(
    client, home, cohort, resident, django_capture_on_commit_callbacks
):
    """Does /progress/ show the grade of my submission and a link to its feedback?"""
    assignment = _assignment(cohort)
    with django_capture_on_commit_callbacks(execute=True):
        Api(client, resident).submit("ps1", _zip({"ps1.ipynb": _answer(assignment)}))
    client.force_login(resident)
    response = client.get("/progress/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-assignment="ps1"' in page
    assert "<strong>5</strong> / 5" in page
    assert "/progress/ps1/v1/feedback/" in page

    feedback = client.get("/progress/ps1/v1/feedback/")
    assert feedback.status_code == 200
    page = feedback.content.decode()
    assert "Score <strong>5</strong> / 5" in page
    # nbgrader's feedback document sits in a sandboxed frame, escaped, not mixed into the page.
    assert '<iframe class="feedback-frame" title="Feedback on ps1" sandbox srcdoc="' in page
    assert "ps1 (Score: 5.0 / 5.0)" in _text(html.unescape(page))


def test_progress_page_without_submissions_lists_the_assignments(client, home, cohort, resident):
    """Before I submit, does /progress/ list my assignments as not yet submitted?"""
    _assignment(cohort, "ps1")
    _assignment(cohort, "ps2", released=False)
    client.force_login(resident)
    page = client.get("/progress/").content.decode()
    assert 'data-assignment="ps1"' in page and 'data-assignment="ps2"' in page
    assert "Not submitted" in page and "Opens " in page


def test_progress_for_staff_without_enrollment_is_a_404_explaining_why(client, home, staff):
    """Do staff, who have no progress of their own, get a page saying so?"""
    client.force_login(staff)
    response = client.get("/progress/")
    assert response.status_code == 404
    assert "No progress to show" in response.content.decode()


def test_progress_for_anonymous_visitors_asks_them_to_sign_in(client, home):
    """Is a visitor who is not signed in sent to the sign-in page?"""
    response = client.get("/progress/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/progress/"


def test_feedback_page_of_another_residents_submission_is_404(client, home, cohort, resident):
    """Can a classmate open my feedback page by guessing its address?"""
    assignment = _assignment(cohort)
    Api(client, resident).submit("ps1", _zip({"ps1.ipynb": _answer(assignment)}))
    grading = Submission.objects.get(resident=resident).grading
    Grading.objects.filter(pk=grading.pk).update(
        status=Grading.Status.GRADED, score=5, max_score=5, feedback_files={"ps1": "<p>mine</p>"}
    )
    client.force_login(resident)
    assert client.get("/progress/ps1/v1/feedback/").status_code == 200
    client.force_login(resident_in(cohort, username="bea"))
    response = client.get("/progress/ps1/v1/feedback/")
    assert response.status_code == 404
    assert "mine" not in response.content.decode()


def test_listing_costs_the_same_queries_for_one_assignment_as_for_five(
    api, cohort, resident, django_assert_max_num_queries
):
    """Does the Assignments panel's listing avoid a query per assignment (it refreshes often)?"""
    from assignments.services import extension_grant

    first = _assignment(cohort, "a0")
    extension_grant(
        assignment=first, resident=resident, due_at=first.due_at + datetime.timedelta(days=3)
    )
    with django_assert_max_num_queries(50) as one:
        listing = api.get("assignments").json()
    assert (
        listing["assignments"][0]["due_at"]
        == (first.due_at + datetime.timedelta(days=3)).isoformat()
    )
    for n in range(1, 5):
        _assignment(cohort, f"a{n}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(api.get("assignments").json()["assignments"]) == 5


# Rate limits


def test_a_resident_hands_in_a_limited_number_of_times_an_hour(api, cohort, settings):
    """Past the hourly limit, is a new version refused with a clear reason and nothing stored,
    while a retried upload of a version already stored still succeeds?"""
    settings.LMS_SUBMISSION_RATE = "2/h"
    _assignment(cohort, "ps1")
    body = _zip({"ps1.ipynb": _answer(cohort.assignments.get())})
    assert api.submit("ps1", body, key="first").status_code == 201
    assert api.submit("ps1", body, key="second").status_code == 201
    refused = api.submit("ps1", body, key="third")
    assert refused.status_code == 429
    assert "handed in 2 times in the last hour" in refused.json()["error"]
    assert Submission.objects.count() == 2
    assert api.submit("ps1", body, key="second").status_code == 200, "a retry is not a new run"

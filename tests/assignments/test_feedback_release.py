"""Feedback held for staff to release: per resident or to the whole cohort, in the LMS and JupyterLab."""

import datetime
import secrets

import pytest
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application

from assignments.models import GradeChange
from assignments.services import submission_create
from tests.assignments.conftest import ANSWER_CELLS, answered, open_assignment
from tests.factories import resident_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.grading]


@pytest.fixture
def held(cohort):
    """An assignment whose feedback waits for staff, handed in and graded for two residents."""
    assignment = open_assignment(
        cohort, "held", *ANSWER_CELLS, ("test", "check", "assert answer() == 42", 2),
        feedback_policy="manual",
    )  # fmt: skip
    for name in ("ana", "bo"):
        submission_create(
            assignment=assignment,
            resident=resident_in(cohort, username=name),
            files=answered(assignment),
        )
    return assignment


def _exchange(client, username: str, path: str) -> dict:
    """GET an exchange endpoint as the resident's JupyterLab does, with their own token."""
    from lms.people.models import User

    token = secrets.token_urlsafe(20)
    AccessToken.objects.create(
        user=User.objects.get(username=username), token=token, scope="profile exchange",
        application=Application.objects.get(client_id="jupyterhub"),
        expires=timezone.now() + datetime.timedelta(hours=1),
    )  # fmt: skip
    return client.get(f"/api/exchange/{path}", HTTP_AUTHORIZATION=f"Bearer {token}").json()


def _feedback_files(client, username):
    return _exchange(client, username, "assignments/held/feedback")["feedback"]


def _listing(client, username):
    listed = _exchange(client, username, "assignments")
    return next(a for a in listed["assignments"] if a["name"] == "held")


def test_held_feedback_is_hidden_until_released_to_that_resident(client, cohort, staff, held):
    """Does a resident see held feedback only after staff release it to them, and not to a classmate?"""
    assert _feedback_files(client, "ana") == [] and _feedback_files(client, "bo") == []
    client.force_login(cohort.enrollments.get(resident__username="ana").resident)
    assert b"Feedback" not in client.get("/progress/").content.split(b"<tbody>")[1]
    assert client.get("/progress/held/v1/feedback/").status_code == 404

    client.force_login(staff)
    page = client.post(
        f"/gradebook/{cohort.slug}/feedback/held/release/",
        {"resident": "ana", "next": f"/gradebook/{cohort.slug}/ana/held/"},
        follow=True,
    )
    assert b"released to" in page.content
    assert len(_feedback_files(client, "ana")) == 1
    assert _feedback_files(client, "bo") == []
    client.force_login(cohort.enrollments.get(resident__username="ana").resident)
    assert client.get("/progress/held/v1/feedback/").status_code == 200
    assert GradeChange.objects.filter(what="feedback").count() == 1


def test_releasing_to_the_cohort_reaches_everyone(client, cohort, staff, held):
    """Once released to the cohort, does every graded resident get their feedback?"""
    client.force_login(staff)
    client.post(f"/gradebook/{cohort.slug}/feedback/held/release/", {"resident": ""})
    assert len(_feedback_files(client, "ana")) == 1 and len(_feedback_files(client, "bo")) == 1
    held.refresh_from_db()
    assert held.feedback_released_at is not None


def test_only_staff_release_and_never_to_an_outside_address(client, cohort, staff, held):
    """Are residents refused, and is a 'next' pointing off-site ignored?"""
    client.force_login(cohort.enrollments.get(resident__username="ana").resident)
    assert client.post(f"/gradebook/{cohort.slug}/feedback/held/release/", {}).status_code == 403
    client.force_login(staff)
    response = client.post(
        f"/gradebook/{cohort.slug}/feedback/held/release/",
        {"resident": "bo", "next": "https://evil.example/"},
    )
    assert response.status_code == 302 and response["Location"] == f"/gradebook/{cohort.slug}/"


def test_held_results_hide_the_score_everywhere_until_released(client, cohort, staff, held):
    """While staff hold results, do residents see "graded" but no score, on My progress, in the
    Assignments panel and in their totals, and does releasing from the gradebook column show it?"""
    ana = cohort.enrollments.get(resident__username="ana").resident
    client.force_login(ana)
    progress = client.get("/progress/").content.decode()
    row = progress.split('data-assignment="held"')[1].split("</tr>")[0]
    assert "Results held until staff release them" in row and "<strong>" not in row
    listing = _listing(client, "ana")
    assert listing["submissions"][0]["status"] == "graded"
    assert listing["submissions"][0]["score"] is None

    client.force_login(staff)
    gradebook = client.get(f"/gradebook/{cohort.slug}/").content.decode()
    assert "Release results" in gradebook
    client.post(
        f"/gradebook/{cohort.slug}/feedback/held/release/",
        {"next": f"/gradebook/{cohort.slug}/"},
    )
    assert "results released" in client.get(f"/gradebook/{cohort.slug}/").content.decode()
    client.force_login(ana)
    row = client.get("/progress/").content.decode().split('data-assignment="held"')[1]
    assert "<strong>0</strong> / 2" in row.split("</tr>")[0], "the unanswered exercise scored 0"
    assert _listing(client, "ana")["submissions"][0]["score"] == 0

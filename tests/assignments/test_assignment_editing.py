"""Editing an assignment after upload: settings, files and points in the admin, each change in
the history, lateness and totals that follow, and an offer to grade hand-ins again."""

import datetime

import nbformat
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from assignments.models import AssignmentChange, AssignmentFile, Grading
from assignments.services import assignment_update, submission_create
from tests.factories import resident_in

from .conftest import ANSWER_CELLS, answered, open_assignment, source_notebook

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.grading]

NOW = datetime.datetime(2026, 11, 18, 10, 0, tzinfo=datetime.UTC)
CELLS = (*ANSWER_CELLS, ("test", "check", "assert answer() == 42", 2))


def _local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _settings(assignment, **changes):
    data = {
        "title": assignment.title,
        "week": assignment.week_id or "",
        "release_at": _local(assignment.release_at),
        "due_at": _local(assignment.due_at),
        "late_policy": assignment.late_policy,
        "late_penalty_percent_per_day": assignment.late_penalty_percent_per_day,
        "feedback_policy": assignment.feedback_policy,
        "points:rent:check": "2",
    }
    data.update(changes)
    return data


@pytest.fixture
def rent(home, cohort):
    """A one-notebook assignment (a 2-point test), released Nov 16 and due Nov 20; the Wagtail
    site is there, as the admin needs it."""
    with time_machine.travel(NOW, tick=False):
        return open_assignment(cohort, "rent", *CELLS)


def _late_hand_in(rent, cohort):
    """ana hands in a day after the due time: 10 % off her 2 points."""
    with time_machine.travel(rent.due_at + datetime.timedelta(days=1), tick=False):
        submission_create(
            assignment=rent,
            resident=resident_in(cohort, username="ana"),
            files=answered(rent, {"answer": "def answer():\n    return 42"}),
        )
    grading = Grading.objects.get()
    assert (grading.score, grading.late_penalty) == (1.8, 0.2)
    return grading


def test_a_later_due_time_is_saved_in_the_history_and_lateness_follows(client, cohort, staff, rent):
    """When staff move the due time two days later, is ana's hand-in on time (full points),
    and does the history say who moved it, from when, to when?"""
    grading = _late_hand_in(rent, cohort)
    client.force_login(staff)
    later = rent.due_at + datetime.timedelta(days=2)
    url = reverse("assignments_admin:edit", args=[rent.pk])
    response = client.post(url, _settings(rent, due_at=_local(later)))
    assert response.status_code == 302 and response["Location"] == url
    grading.refresh_from_db()
    assert (grading.score, grading.late_penalty) == (2.0, 0.0)
    change = AssignmentChange.objects.get()
    assert (change.field, change.changed_by) == ("due_at", staff)
    assert change.old.startswith(timezone.localtime(rent.due_at).strftime("%a %b %-d"))
    assert change.new.startswith(timezone.localtime(later).strftime("%a %b %-d"))
    page = client.get(url).content.decode()
    assert "Due at" in page and change.new in page


def test_a_due_time_before_the_release_is_refused_and_nothing_changes(client, cohort, staff, rent):
    client.force_login(staff)
    url = reverse("assignments_admin:edit", args=[rent.pk])
    before = _local(rent.release_at - datetime.timedelta(hours=1))
    page = client.post(url, _settings(rent, due_at=before, title="Renamed"))
    assert page.status_code == 200 and "Nothing was changed" in page.content.decode()
    rent.refresh_from_db()
    assert rent.title == "Rent" and not AssignmentChange.objects.exists()


def test_a_changed_late_rule_recomputes_scores(cohort, staff, rent):
    """Switching the rule to "accept late work" gives ana's late hand-in its full points."""
    grading = _late_hand_in(rent, cohort)
    assignment_update(assignment=rent, by=staff, late_policy="accept")
    grading.refresh_from_db()
    assert grading.score == 2.0
    assert AssignmentChange.objects.get().new == "Accept late work without penalty"


def test_new_files_regenerate_the_release_and_offer_to_grade_again(client, cohort, staff, rent):
    """When staff upload a new source version worth more points, do the release and points
    follow, is the old grade kept until staff choose to grade again, and does grading again
    use the new version?"""
    grading = _late_hand_in(rent, cohort)
    old_release = bytes(AssignmentFile.objects.get(assignment=rent, kind="release").content)
    worth_more = source_notebook(
        *ANSWER_CELLS,
        ("test", "check", "assert answer() == 42", 2),
        ("test", "type", "assert isinstance(answer(), int)", 3),
    )
    client.force_login(staff)
    url = reverse("assignments_admin:edit", args=[rent.pk])
    upload = SimpleUploadedFile("rent.ipynb", nbformat.writes(worth_more).encode())
    response = client.post(url, {**_settings(rent), "files": [upload]})
    assert response.status_code == 302 and response["Location"].endswith("?regrade=1")
    rent.refresh_from_db()
    assert rent.max_score == 5
    new_release = bytes(AssignmentFile.objects.get(assignment=rent, kind="release").content)
    assert new_release != old_release and b"isinstance(answer(), int)" in new_release
    assert set(AssignmentChange.objects.values_list("field", "old", "new")) >= {
        ("points", "2", "5")
    }
    offer = client.get(response["Location"]).content.decode()
    assert "1 hand-in was graded against the old version" in offer
    grading.refresh_from_db()
    assert grading.max_score == 2, "grades stay until staff choose to grade again"

    client.post(reverse("assignments_admin:regrade", args=[rent.pk]))
    grading.refresh_from_db()
    assert grading.max_score == 5 and grading.raw_score == 5
    assert grading.score == 4.5, "graded again against the new version, still a day late"


def test_a_cells_points_change_from_the_form(client, cohort, staff, rent):
    """Can staff make the test worth 4 points without touching the notebook file?"""
    client.force_login(staff)
    url = reverse("assignments_admin:edit", args=[rent.pk])
    assert (
        client.post(url, _settings(rent, **{"points:rent:check": "4"}))["Location"].endswith(
            "?regrade=0"
        )
        is False
    )
    rent.refresh_from_db()
    assert rent.max_score == 4
    source = AssignmentFile.objects.get(assignment=rent, kind="source")
    nb = nbformat.reads(bytes(source.content).decode(), as_version=4)
    assert [
        c.metadata.nbgrader.get("points") for c in nb.cells if c.metadata.nbgrader.get("grade")
    ] == [4]


def test_a_broken_new_version_is_refused_and_the_old_files_stay(client, cohort, staff, rent):
    """Does a malformed notebook come back with the reason, leaving files and points as they were?"""
    before = sorted(AssignmentFile.objects.filter(assignment=rent).values_list("sha256", flat=True))
    client.force_login(staff)
    url = reverse("assignments_admin:edit", args=[rent.pk])
    upload = SimpleUploadedFile("rent.ipynb", b'{"cells": [ not json')
    page = client.post(url, {**_settings(rent, title="Renamed"), "files": [upload]})
    assert page.status_code == 200 and "Nothing was changed" in page.content.decode()
    after = sorted(AssignmentFile.objects.filter(assignment=rent).values_list("sha256", flat=True))
    assert after == before
    rent.refresh_from_db()
    assert rent.title == "Rent" and not AssignmentChange.objects.exists()


def test_guest_instructors_edit_only_assignments_of_their_weeks(
    client, syllabus, cohort, guest_instructor, rent
):
    from courses.models import WeekPage
    from courses.services import authoring_grant

    weeks = list(WeekPage.objects.child_of(syllabus).order_by("number"))
    authoring_grant(user=guest_instructor, page=weeks[0])
    client.force_login(guest_instructor)
    url = reverse("assignments_admin:edit", args=[rent.pk])
    refused = client.get(url)
    assert (refused.status_code, refused["Location"]) == (302, "/admin/"), "not their week"
    rent.week = weeks[0]
    rent.save()
    assert client.get(url).status_code == 200
    moved = client.post(url, _settings(rent, week=weeks[1].pk))
    assert "only to weeks staff gave you" in moved.content.decode()
    assert client.post(url, _settings(rent, title="Rent, week one"))["Location"] == url
    rent.refresh_from_db()
    assert rent.title == "Rent, week one"


def test_residents_cannot_edit(client, cohort, rent):
    client.force_login(resident_in(cohort))
    response = client.get(reverse("assignments_admin:edit", args=[rent.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]

"""Grading by hand: bounded points, comments, a history of every change, and scores that follow."""

import datetime

import pytest
from django.utils import timezone

from assignments.models import CellGrade, GradeChange, Grading
from assignments.selectors import feedback_for, resident_progress

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.grading]


def _why():
    return CellGrade.objects.get(grade_id="why")


def _grade(client, cohort, points, comment=""):
    cell = _why()
    return client.post(
        f"/gradebook/{cohort.slug}/ana/essay/cells/{cell.pk}/",
        {"points": points, "comment": comment},
        follow=True,
    )


def test_written_answer_waits_in_the_queue_until_graded(client, cohort, staff, essay):
    """Is the essay cell in the grader's queue, and gone from it once points are saved?"""
    client.force_login(staff)
    assert b"why" in client.get(f"/gradebook/{cohort.slug}/manual/").content
    grading = Grading.objects.get()
    assert grading.needs_manual_grading and grading.score == 2

    page = _grade(client, cohort, "2.5", "Clear, and it names who benefits.")
    assert b"Saved why." in page.content
    grading.refresh_from_db()
    assert grading.score == 4.5 and not grading.needs_manual_grading
    assert b"Nothing is waiting" in client.get(f"/gradebook/{cohort.slug}/manual/").content
    ana = grading.submission.resident
    assert resident_progress(resident=ana)["earned"] == 4.5, "the resident's progress follows"


def test_points_outside_the_cell_maximum_are_refused(client, cohort, staff, essay):
    """Are 4 points on a 3-point cell, negative points, or words refused, with nothing changed?"""
    client.force_login(staff)
    for bad, message in (
        ("4", b"between 0 and 3"),
        ("-1", b"between 0 and 3"),
        ("lots", b"must be a number"),
    ):
        page = _grade(client, cohort, bad)
        assert message in page.content
    assert _why().manual_score is None
    assert not GradeChange.objects.exists()


def test_every_change_is_recorded_with_who_and_what(client, cohort, staff, essay):
    """Does the history show who changed what, from what, to what, newest first?"""
    client.force_login(staff)
    _grade(client, cohort, "1", "Say more.")
    _grade(client, cohort, "3", "Say more.")
    changes = sorted(GradeChange.objects.values_list("what", "old", "new", "changed_by__username"))
    assert changes == [
        ("comment", "", "Say more.", "staffer"),
        ("points", "", "1", "staffer"),
        ("points", "1", "3", "staffer"),
    ]
    review = client.get(f"/gradebook/{cohort.slug}/ana/essay/").content.decode()
    assert "changed points of why from “1” to “3”" in review


def test_only_staff_grade(client, cohort, essay):
    """Can a resident grade their own answer? (No.)"""
    client.force_login(essay.cohort.enrollments.get().resident)
    assert _grade(client, cohort, "3").status_code == 403
    assert _why().manual_score is None


def test_staff_regrade_and_extend_from_the_hand_in(client, cohort, staff, essay):
    """Can staff grade a version again and give a later due time from the same page, and residents not?"""
    from assignments.models import Extension

    client.force_login(essay.cohort.enrollments.get().resident)
    base = f"/gradebook/{cohort.slug}/ana/essay"
    assert client.post(f"{base}/regrade/", {"version": "1"}).status_code == 403
    client.force_login(staff)
    before = Grading.objects.get().attempts
    page = client.post(f"{base}/regrade/", {"version": "1"}, follow=True)
    assert b"queued to be graded again" in page.content
    assert Grading.objects.get().attempts == before + 1, "graded again (inline in tests)"

    later = (timezone.localtime() + datetime.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    page = client.post(
        f"{base}/extension/", {"due_at": later, "reason": "Family emergency"}, follow=True
    )
    assert b"now has until" in page.content
    extension = Extension.objects.get()
    assert extension.reason == "Family emergency" and extension.granted_by == staff
    assert b"extended from" in client.get(f"{base}/").content
    assert (
        b"Give the new due time"
        in client.post(f"{base}/extension/", {"due_at": "soon"}, follow=True).content
    )


def test_a_regrade_keeps_hand_given_points_and_the_history(client, cohort, staff, essay):
    """After staff grade the essay by hand and then regrade, are the points, comment and history still there?"""
    client.force_login(staff)
    _grade(client, cohort, "2.5", "Clear.")
    client.post(f"/gradebook/{cohort.slug}/ana/essay/regrade/", {"version": "1"})
    cell = _why()
    assert (cell.manual_score, cell.comment, cell.needs_manual_grade) == (2.5, "Clear.", False)
    grading = Grading.objects.get()
    assert grading.score == 4.5 and not grading.needs_manual_grading
    whats = sorted(GradeChange.objects.values_list("what", flat=True))
    assert whats == ["comment", "points", "regrade"]


def test_every_due_time_change_is_kept_with_the_time_it_replaced(client, cohort, staff, essay):
    """Does the hand-in page list each extension with the due time before and after, and by whom?"""
    from assignments.models import ExtensionChange

    client.force_login(staff)
    base = f"/gradebook/{cohort.slug}/ana/essay"
    first = timezone.localtime(essay.due_at) + datetime.timedelta(days=2)
    second = first + datetime.timedelta(days=3)
    for due, reason in ((first, "Sick"), (second, "Still sick")):
        client.post(
            f"{base}/extension/", {"due_at": due.strftime("%Y-%m-%dT%H:%M"), "reason": reason}
        )
    newest, oldest = ExtensionChange.objects.all()
    assert oldest.old_due_at == essay.due_at and oldest.new_due_at == first.replace(
        second=0, microsecond=0
    )
    assert newest.old_due_at == oldest.new_due_at and newest.changed_by == staff
    page = client.get(f"{base}/").content.decode()
    assert "Due-time history" in page and "Still sick" in page
    assert f"from {first:%a %b %-d}" in page


def test_comments_reach_the_resident_on_the_page_and_in_the_fetched_file(
    client, cohort, staff, essay
):
    """Do a grader's comments on a written answer and on a test reach the resident's feedback page
    and the feedback file JupyterLab fetches, and does an ungraded answer say it waits for a grader?"""
    ana = Grading.objects.get().submission.resident
    client.force_login(ana)
    waiting = client.get("/progress/essay/v1/feedback/").content.decode()
    assert "1 answer still waits for a grader" in waiting and "<code>why</code>" in waiting

    client.force_login(staff)
    _grade(client, cohort, "2", "Name the tenants' union you mean.")
    check = CellGrade.objects.get(grade_id="check")
    client.post(
        f"/gradebook/{cohort.slug}/ana/essay/cells/{check.pk}/",
        {"points": "", "comment": "Try a negative number too."},
    )
    grading = Grading.objects.get()
    feedback_file = "".join(grading.feedback_files.values())
    assert "Name the tenants&#39; union you mean." in feedback_file or (
        "Name the tenants' union you mean." in feedback_file
    )
    assert "Try a negative number too." in feedback_file

    client.force_login(ana)
    page = client.get("/progress/essay/v1/feedback/").content.decode()
    assert "Comments from your grader" in page
    assert "Name the tenants&#x27; union you mean." in page and "Try a negative number too." in page
    assert "waits for a grader" not in page
    listing = feedback_for(assignment=grading.submission.assignment, resident=ana)
    fetched = "".join(listing[-1]["files"].values())
    assert "Try a negative number too." in fetched, "the file JupyterLab fetches carries it too"

"""The grading queue on the staff gradebook: what waits, what runs, what is overdue for a result."""

import datetime

import pytest
from django.utils import timezone

from assignments.models import Assignment, Grading, Submission
from assignments.selectors import grading_queue_health
from tests.factories import resident_in

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def _hand_in(cohort, resident, name, *, status, queued_minutes_ago=1, lease_in_seconds=None):
    assignment, _ = Assignment.objects.get_or_create(
        cohort=cohort, name=name,
        defaults={"release_at": NOW - datetime.timedelta(days=3), "due_at": NOW + datetime.timedelta(days=1)},
    )  # fmt: skip
    version = Submission.objects.filter(assignment=assignment, resident=resident).count() + 1
    submission = Submission.objects.create(
        assignment=assignment, resident=resident, version=version, checksum="x", submitted_at=NOW
    )
    return Grading.objects.create(
        submission=submission, status=status,
        queued_at=NOW - datetime.timedelta(minutes=queued_minutes_ago),
        lease_expires_at=None if lease_in_seconds is None else NOW + datetime.timedelta(seconds=lease_in_seconds),
    )  # fmt: skip


@pytest.fixture
def busy_queue(cohort, other_cohort):
    """Two waiting (one for 20 minutes), two grading (one whose worker is gone), one done."""
    ana, bo = resident_in(cohort, username="ana"), resident_in(cohort, username="bo")
    _hand_in(cohort, ana, "ps1", status="queued")
    _hand_in(cohort, bo, "ps1", status="queued", queued_minutes_ago=20)
    _hand_in(cohort, ana, "ps2", status="running", lease_in_seconds=120)
    _hand_in(cohort, bo, "ps2", status="running", lease_in_seconds=-5)
    _hand_in(cohort, ana, "ps3", status="graded")
    _hand_in(other_cohort, resident_in(other_cohort, username="cy"), "ps1", status="queued")


def test_queue_health_counts_waiting_running_and_overdue_in_one_query(
    cohort, busy_queue, django_assert_num_queries
):
    """Does staff's count say what waits, what runs, and what will not get a result by itself,
    for this cohort only, in a single query?"""
    with django_assert_num_queries(1):
        health = grading_queue_health(cohort=cohort, now=NOW)
    assert (health.queued, health.running, health.overdue) == (2, 2, 2)
    later = grading_queue_health(cohort=cohort, now=NOW + datetime.timedelta(minutes=15))
    assert later.overdue == 4, "a quarter of an hour later every waiting one is overdue too"


def test_the_gradebook_shows_the_queue_to_staff(client, cohort, staff, busy_queue):
    """Do staff see on the gradebook how many hand-ins wait, run and are overdue, the overdue marked?"""
    client.force_login(staff)
    page = client.get(f"/gradebook/{cohort.slug}/").content.decode()
    assert "Grading queue: 2 waiting · 2 running · " in page
    assert '<span class="badge badge--rose">2 overdue for a result</span>' in page


def test_an_idle_queue_says_nothing(client, cohort, staff):
    """With nothing waiting or running, is the gradebook free of a queue line?"""
    ana = resident_in(cohort, username="ana")
    _hand_in(cohort, ana, "ps1", status="graded")
    client.force_login(staff)
    page = client.get(f"/gradebook/{cohort.slug}/").content.decode()
    assert "Grading queue" not in page


def test_a_healthy_queue_has_no_overdue_part(client, cohort, staff):
    """When hand-ins wait and run as they should, is there no overdue warning?"""
    ana = resident_in(cohort, username="ana")
    _hand_in(cohort, ana, "ps1", status="queued")
    client.force_login(staff)
    page = client.get(f"/gradebook/{cohort.slug}/").content.decode()
    assert "Grading queue: 1 waiting · 0 running" in page and "overdue for a result" not in page


def test_guest_instructors_do_not_see_the_queue(client, syllabus, cohort, guest_instructor):
    """Does a guest instructor's gradebook leave the grading queue out, as it leaves out totals?"""
    from courses.models import WeekPage
    from courses.services import authoring_grant

    ana = resident_in(cohort, username="ana")
    _hand_in(cohort, ana, "ps1", status="queued", queued_minutes_ago=30)
    Assignment.objects.filter(name="ps1").update(
        week=WeekPage.objects.child_of(syllabus).get(number=1)
    )
    authoring_grant(user=guest_instructor, page=WeekPage.objects.child_of(syllabus).get(number=1))
    client.force_login(guest_instructor)
    response = client.get(f"/gradebook/{cohort.slug}/")
    assert response.status_code == 200
    assert "Grading queue" not in response.content.decode()

"""The demo residency: realistic, complete, and safe to load twice."""

import pytest
from django.core.management import call_command

from courses.models import LessonPage, SeminarPage, SyllabusPage, WeekPage
from lms.cohorts.models import Cohort, Enrollment, MentorPairing
from lms.people.models import Role, User

pytestmark = pytest.mark.django_db


def _counts():
    return {
        "users": User.objects.count(),
        "cohorts": Cohort.objects.count(),
        "enrollments": Enrollment.objects.count(),
        "pairings": MentorPairing.objects.count(),
        "syllabi": SyllabusPage.objects.count(),
        "weeks": WeekPage.objects.count(),
        "lessons": LessonPage.objects.count(),
        "seminars": SeminarPage.objects.count(),
    }


def test_load_demo_twice_changes_nothing_the_second_time():
    """Does a second load_demo find everything in place and add nothing?"""
    call_command("load_demo")
    first = _counts()
    call_command("load_demo")
    assert _counts() == first

    cohort = Cohort.objects.get(slug="cohort-7")
    assert cohort.enrollments.count() == 12
    assert User.objects.filter(groups__name=Role.MENTOR.value).count() == 3
    assert User.objects.filter(groups__name=Role.GUEST_INSTRUCTOR.value).count() == 2
    assert User.objects.filter(groups__name=Role.STAFF.value).count() >= 1
    assert MentorPairing.objects.filter(cohort=cohort).count() == 12

    weeks = WeekPage.objects.child_of(cohort.syllabus).order_by("number")
    assert [w.number for w in weeks] == list(range(1, 17))
    for week in weeks:
        lessons = LessonPage.objects.child_of(week)
        assert lessons.count() >= 2, f"week {week.number} has fewer than two lessons"
        assert week.objectives and week.schedule
    assert SeminarPage.objects.count() >= 3


def test_demo_lessons_use_every_kind_of_block():
    """Do the demo lessons show Markdown, code, callouts, images and notebook exercises?"""
    call_command("load_demo")
    kinds = set()
    for lesson in LessonPage.objects.all():
        body = lesson.get_latest_revision_as_object().body
        kinds.update(block.block_type for block in body)
    assert {"markdown", "code", "callout", "image", "notebook"} <= kinds


def test_demo_residents_sign_in_and_see_their_week(client):
    """Can the demo resident from the README sign in and see their cohort's week?"""
    call_command("load_demo")
    response = client.post(
        "/accounts/login/", {"username": "aisha", "password": "residency-demo"}, follow=True
    )
    content = response.content.decode()
    assert "Welcome, Aisha Bello" in content
    assert "Cohort 7" in content
    assert "week 6 of 16" in content

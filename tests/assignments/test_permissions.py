"""Who may author an assignment, read its grades and follow a resident: the app's own predicates."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from assignments.models import Assignment
from assignments.permissions import (
    gradebook_scope,
    scope_allows,
    user_can_add_to_week,
    user_can_edit_assignment,
    user_can_read_progress_of,
)
from courses.models import WeekPage
from courses.services import authoring_grant
from lms.people.models import User
from tests.factories import mentor_of, resident_in

pytestmark = pytest.mark.django_db


def _assignment(cohort, name, week=None):
    now = timezone.now()
    return Assignment.objects.create(
        cohort=cohort, name=name, title=name.upper(), max_score=10, week=week,
        release_at=now - datetime.timedelta(days=7), due_at=now + datetime.timedelta(days=1),
    )  # fmt: skip


def _granted(user, week):
    """Give ``user`` a week to write, and read them afresh (Wagtail caches page permissions)."""
    authoring_grant(user=user, page=week)
    return User.objects.get(pk=user.pk)


@pytest.fixture
def weeks(syllabus):
    return list(WeekPage.objects.child_of(syllabus).order_by("number"))


def test_a_guest_instructor_authors_only_in_the_weeks_given_to_them(
    cohort, weeks, staff, guest_instructor
):
    """Does a guest instructor add to and edit only their own week's assignments, staff any?"""
    guest_instructor = _granted(guest_instructor, weeks[0])
    theirs, other = _assignment(cohort, "theirs", weeks[0]), _assignment(cohort, "other", weeks[1])
    loose = _assignment(cohort, "loose")
    assert user_can_add_to_week(user=guest_instructor, week=weeks[0])
    assert not user_can_add_to_week(user=guest_instructor, week=weeks[1])
    assert user_can_edit_assignment(user=guest_instructor, assignment=theirs)
    assert not user_can_edit_assignment(user=guest_instructor, assignment=other)
    assert not user_can_edit_assignment(user=guest_instructor, assignment=loose)
    for assignment in (theirs, other, loose):
        assert user_can_edit_assignment(user=staff, assignment=assignment)


def test_the_gradebook_scope_follows_the_weeks(cohort, weeks, staff, guest_instructor, resident):
    """Do staff read every column, a guest instructor their weeks' columns, a resident none?"""
    theirs, other = _assignment(cohort, "theirs", weeks[0]), _assignment(cohort, "other", weeks[1])
    assert gradebook_scope(user=staff, cohort=cohort) is None
    assert scope_allows(scope=None) and scope_allows(scope=None, assignment=other)
    nothing_yet = gradebook_scope(user=guest_instructor, cohort=cohort)
    assert nothing_yet == set() and not scope_allows(scope=nothing_yet)
    scope = gradebook_scope(user=_granted(guest_instructor, weeks[0]), cohort=cohort)
    assert scope == {theirs.pk}
    assert scope_allows(scope=scope, assignment=theirs)
    assert not scope_allows(scope=scope, assignment=other)
    assert not scope_allows(scope=gradebook_scope(user=resident, cohort=cohort))


def test_a_residents_progress_is_for_their_mentor_and_staff(cohort, resident, staff):
    """Does only the resident's own mentor (and staff) get to read their progress?"""
    mentor = mentor_of(resident, username="mentor")
    classmate = resident_in(cohort, username="classmate")
    assert user_can_read_progress_of(user=mentor, resident=resident)
    assert user_can_read_progress_of(user=staff, resident=resident)
    assert not user_can_read_progress_of(user=mentor, resident=classmate)
    assert not user_can_read_progress_of(user=classmate, resident=resident)
    assert not user_can_read_progress_of(user=AnonymousUser(), resident=resident)

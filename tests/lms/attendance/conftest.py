"""A cohort with a few residents and its sessions, for attendance tests."""

import datetime

import pytest
from django.utils import timezone

from lms.attendance.models import Session, SessionKind
from lms.attendance.services import sessions_ensure
from tests.factories import CohortFactory, UserFactory, mentor_of, resident_in


@pytest.fixture
def started_cohort(db):
    """In its third week now: weeks 1 and 2 are behind it."""
    today = timezone.localdate()
    cohort = CohortFactory(start_date=today - datetime.timedelta(days=today.weekday() + 14))
    sessions_ensure(cohort=cohort)
    return cohort


@pytest.fixture
def ana(started_cohort):
    return resident_in(started_cohort, username="ana", first_name="Ana", last_name="Alvarez")


@pytest.fixture
def ben(started_cohort):
    return resident_in(started_cohort, username="ben", first_name="Ben", last_name="Brown")


@pytest.fixture
def ana_mentor(ana):
    return mentor_of(ana, username="mentor-of-ana")


@pytest.fixture
def staffer(db):
    from lms.people.models import Role

    return UserFactory(username="staff-member", roles=[Role.STAFF])


def class_days(cohort, week: int) -> list[Session]:
    monday = cohort.start_date + datetime.timedelta(weeks=week - 1)
    return list(
        Session.objects.filter(
            cohort=cohort,
            kind=SessionKind.CLASS_DAY,
            scheduled_on__gte=monday,
            scheduled_on__lt=monday + datetime.timedelta(days=7),
        ).order_by("starts_at")
    )

"""Cohorts: weeks, phases and mentor pairings."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from lms.cohorts.models import COHORT_MUST_START_ON_MONDAY, MentorPairing, Phase
from lms.cohorts.selectors import cohort_end_date, cohort_phase, cohort_week_number
from lms.cohorts.services import (
    MENTOR_ROLE_REQUIRED,
    cohort_upsert,
    mentor_pair,
)
from lms.people.models import Role
from tests.factories import CohortFactory, UserFactory, resident_in

START = datetime.date(2026, 1, 5)  # a Monday


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "week", "phase"),
    [
        (datetime.date(2026, 1, 4), None, Phase.UPCOMING),
        (START, 1, Phase.RESIDENCY),
        (datetime.date(2026, 1, 12), 2, Phase.RESIDENCY),
        (datetime.date(2026, 4, 24), 16, Phase.RESIDENCY),
        (datetime.date(2026, 4, 27), None, Phase.POST_RESIDENCY),
        (datetime.date(2026, 12, 24), None, Phase.POST_RESIDENCY),
        (datetime.date(2026, 12, 25), None, Phase.ALUMNI),
    ],
)
def test_week_and_phase_follow_from_the_start_date(day, week, phase):
    """Is a cohort in the right week and phase on a given day?"""
    cohort = CohortFactory(start_date=START)
    assert cohort_end_date(cohort=cohort) == datetime.date(2026, 4, 24)
    assert cohort_week_number(cohort=cohort, on=day) == week
    assert cohort_phase(cohort=cohort, on=day) == phase


@pytest.mark.django_db
def test_a_cohort_starts_on_a_monday():
    """Is a cohort starting mid-week refused with a clear message?"""
    with pytest.raises(ValidationError) as error:
        cohort_upsert(slug="c", name="C", start_date=datetime.date(2026, 1, 7))
    assert error.value.message_dict["start_date"] == [
        COHORT_MUST_START_ON_MONDAY.format(day="2026-01-07", weekday="Wednesday")
    ]


@pytest.mark.django_db
def test_only_mentors_are_paired_and_one_mentor_per_resident():
    """Is pairing a non-mentor refused, and does re-pairing replace the old mentor?"""
    cohort = CohortFactory()
    resident = resident_in(cohort)
    not_a_mentor = UserFactory(roles=[Role.RESIDENT])
    with pytest.raises(ValidationError) as error:
        mentor_pair(cohort=cohort, mentor=not_a_mentor, resident=resident)
    assert error.value.messages == [MENTOR_ROLE_REQUIRED.format(user=not_a_mentor)]
    first, second = UserFactory(roles=[Role.MENTOR]), UserFactory(roles=[Role.MENTOR])
    mentor_pair(cohort=cohort, mentor=first, resident=resident)
    mentor_pair(cohort=cohort, mentor=second, resident=resident)
    assert list(
        MentorPairing.objects.filter(resident=resident).values_list("mentor", flat=True)
    ) == [second.pk]


@pytest.mark.django_db
def test_database_refuses_self_mentoring():
    """Does the database itself refuse a resident mentoring themselves?"""
    cohort = CohortFactory()
    resident = resident_in(cohort)
    with pytest.raises(IntegrityError):
        MentorPairing.objects.create(cohort=cohort, mentor=resident, resident=resident)

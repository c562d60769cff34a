"""The home page's cohorts at a glance, as mentors and staff see them."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from courses.selectors import dashboard_for
from lms.cohorts.services import mentor_pair
from lms.people.models import Role
from tests.factories import CohortFactory, UserFactory, resident_in

pytestmark = pytest.mark.django_db

TUESDAY = datetime.datetime(2026, 3, 10, 10, 0, tzinfo=timezone.get_current_timezone())


def _cohort_of(size: int, name: str):
    cohort = CohortFactory(name=name, start_date=datetime.date(2026, 2, 2))
    return cohort, [resident_in(cohort) for _ in range(size)]


def test_a_mentor_of_four_sees_the_whole_cohort_counted_once(client, home):
    """Does a mentor of 4 residents in a cohort of 12 see 12 residents on the home page, not 48?"""
    cohort, residents = _cohort_of(12, "Cohort Twelve")
    other, others = _cohort_of(4, "Cohort Four")
    mentor = UserFactory(roles=[Role.MENTOR])
    for resident in residents[:4]:
        mentor_pair(cohort=cohort, mentor=mentor, resident=resident)
    for resident in others[:2]:
        mentor_pair(cohort=other, mentor=mentor, resident=resident)
    staff = UserFactory(roles=[Role.STAFF])

    with time_machine.travel(TUESDAY, tick=False):
        for person in (mentor, staff):
            counts = {g.cohort.name: g.resident_count for g in dashboard_for(user=person).cohorts}
            assert counts == {"Cohort Twelve": 12, "Cohort Four": 4}, person
        client.force_login(mentor)
        html = client.get("/").content.decode()
    assert "12 residents" in html and "4 residents" in html
    assert "48 residents" not in html and "8 residents" not in html

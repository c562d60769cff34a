"""attendance_rates: what counts, what is left out, and that it is one query."""

import datetime

import pytest

from lms.attendance.models import Session, SessionKind, Status
from lms.attendance.selectors import attendance_rates
from lms.attendance.services import (
    attendance_mark_session,
    session_cancel,
    session_reschedule,
)
from tests.factories import resident_in

from .conftest import class_days

pytestmark = pytest.mark.django_db


def _mark(session, staffer, **statuses):
    attendance_mark_session(
        session=session,
        marks={person.pk: (status, "") for person, status in statuses.values()},
        marked_by=staffer,
    )


def test_present_and_late_count_excused_cancelled_and_unmarked_are_left_out(
    started_cohort, ana, ben, staffer, django_assert_num_queries
):
    """Over a week: is the rate attended ÷ marked, ignoring excused, cancelled and unmarked days?"""
    mon, tue, wed, thu, fri = class_days(started_cohort, 1)
    _mark(mon, staffer, a=(ana, Status.PRESENT), b=(ben, Status.ABSENT))
    _mark(tue, staffer, a=(ana, Status.LATE), b=(ben, Status.EXCUSED))
    _mark(wed, staffer, a=(ana, Status.ABSENT), b=(ben, Status.PRESENT))
    _mark(thu, staffer, a=(ana, Status.EXCUSED), b=(ben, Status.PRESENT))
    session_cancel(session=thu)  # cancelled after marking: Thursday no longer counts for anyone
    # Friday is left unmarked: not recorded, not absent.
    call = Session.objects.get(
        cohort=started_cohort, kind=SessionKind.COMMUNITY_CALL, scheduled_on=wed.scheduled_on
    )
    _mark(call, staffer, a=(ana, Status.ABSENT), b=(ben, Status.ABSENT))  # calls are not class days

    with django_assert_num_queries(1):
        rates = attendance_rates(
            cohort=started_cohort, since=mon.scheduled_on, until=fri.scheduled_on
        )
    assert rates == {ana.pk: pytest.approx(200 / 3), ben.pk: pytest.approx(50.0)}


def test_only_days_between_since_and_until_count_and_unmarked_residents_are_omitted(
    started_cohort, ana, ben, staffer
):
    """Are days outside [since, until] ignored, and is a resident with nothing counted absent from the result?"""
    week1, week2 = class_days(started_cohort, 1), class_days(started_cohort, 2)
    _mark(week1[0], staffer, a=(ana, Status.ABSENT))
    _mark(week2[0], staffer, a=(ana, Status.PRESENT))
    _mark(week2[4], staffer, a=(ana, Status.PRESENT), b=(ben, Status.EXCUSED))
    quiet = resident_in(started_cohort, username="quiet")

    rates = attendance_rates(
        cohort=started_cohort, since=week2[0].scheduled_on, until=week2[4].scheduled_on
    )
    assert rates == {ana.pk: 100.0}
    assert quiet.pk not in rates and ben.pk not in rates
    both_weeks = attendance_rates(
        cohort=started_cohort,
        since=week1[0].scheduled_on,
        until=week2[0].scheduled_on,
    )
    assert both_weeks == {ana.pk: 50.0}
    assert (
        attendance_rates(
            cohort=started_cohort,
            since=week1[1].scheduled_on,
            until=week1[1].scheduled_on + datetime.timedelta(days=3),
        )
        == {}
    )


def test_a_moved_class_day_counts_on_the_day_it_happened(started_cohort, ana, staffer):
    """When staff move a class day to another date, does it count for the new date?"""
    friday = class_days(started_cohort, 1)[4]
    saturday_start = friday.starts_at + datetime.timedelta(days=1)
    session_reschedule(
        session=friday,
        starts_at=saturday_start,
        ends_at=saturday_start + datetime.timedelta(hours=8),
    )
    _mark(friday, staffer, a=(ana, Status.LATE))
    assert (
        attendance_rates(
            cohort=started_cohort, since=friday.scheduled_on, until=friday.scheduled_on
        )
        == {}
    )
    saturday = friday.scheduled_on + datetime.timedelta(days=1)
    assert attendance_rates(cohort=started_cohort, since=saturday, until=saturday) == {
        ana.pk: 100.0
    }

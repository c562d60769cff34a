"""The schedule: class days and community calls, made once, and left alone once staff change them."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from lms.attendance.models import Session, SessionKind, Status
from lms.attendance.services import (
    ENDS_BEFORE_START,
    NOT_IN_COHORT,
    SESSION_CANCELLED,
    SESSION_NOT_STARTED,
    attendance_mark_session,
    session_cancel,
    session_reschedule,
    sessions_ensure,
)
from lms.cohorts.selectors import _add_months, cohort_end_date
from tests.factories import CohortFactory, resident_in

from .conftest import class_days

pytestmark = pytest.mark.django_db
START = datetime.date(2026, 1, 5)  # a Monday


def test_every_weekday_of_the_residency_is_a_class_day_from_nine_to_five():
    """Are there 80 class days, Monday to Friday, 9:00 to 17:00 local time, and no weekends?"""
    cohort = CohortFactory(start_date=START)
    sessions_ensure(cohort=cohort)
    days = Session.objects.filter(cohort=cohort, kind=SessionKind.CLASS_DAY).order_by("starts_at")
    assert days.count() == 16 * 5
    assert {d.scheduled_on.weekday() for d in days} == {0, 1, 2, 3, 4}
    first, last = days.first(), days.last()
    assert timezone.localtime(first.starts_at).time() == datetime.time(9, 0)
    assert timezone.localtime(first.ends_at).time() == datetime.time(17, 0)
    assert first.scheduled_on == START
    assert last.scheduled_on == cohort_end_date(cohort=cohort)


def test_the_community_call_is_weekly_through_the_post_residency_months():
    """Is there a 30-minute Wednesday call every week from week 1 to the end of the commitment?"""
    cohort = CohortFactory(start_date=START)
    sessions_ensure(cohort=cohort)
    calls = list(
        Session.objects.filter(cohort=cohort, kind=SessionKind.COMMUNITY_CALL).order_by("starts_at")
    )
    commitment_end = _add_months(cohort_end_date(cohort=cohort), cohort.post_residency_months)
    assert calls[0].scheduled_on == START + datetime.timedelta(days=2)
    assert calls[-1].scheduled_on > commitment_end - datetime.timedelta(days=7)
    assert calls[-1].scheduled_on <= commitment_end
    assert all(c.scheduled_on.weekday() == 2 for c in calls)
    assert all(c.ends_at - c.starts_at == datetime.timedelta(minutes=30) for c in calls)
    assert timezone.localtime(calls[0].starts_at).time() == datetime.time(18, 0)


def test_a_new_cohort_has_its_sessions_and_ensuring_again_costs_one_query(
    django_assert_num_queries,
):
    """Are a new cohort's sessions there at once, and is a second call cheap and respectful of moves?"""
    cohort = CohortFactory(start_date=START)
    made = Session.objects.filter(cohort=cohort).count()
    assert made > 100, "made when the cohort was saved"
    monday = Session.objects.get(cohort=cohort, kind=SessionKind.CLASS_DAY, scheduled_on=START)
    later = monday.starts_at + datetime.timedelta(hours=1)
    session_reschedule(session=monday, starts_at=later, ends_at=monday.ends_at)
    session_cancel(
        session=Session.objects.filter(cohort=cohort, kind=SessionKind.COMMUNITY_CALL).first()
    )
    with django_assert_num_queries(1):
        assert sessions_ensure(cohort=cohort) == 0
    monday.refresh_from_db()
    assert monday.starts_at == later
    assert Session.objects.filter(cohort=cohort, cancelled=True).count() == 1
    assert Session.objects.filter(cohort=cohort).count() == made


def test_a_session_cannot_end_before_it_starts():
    """Is a move that ends before it starts refused with a plain sentence?"""
    cohort = CohortFactory(start_date=START)
    sessions_ensure(cohort=cohort)
    session = Session.objects.filter(cohort=cohort).first()
    with pytest.raises(ValidationError) as error:
        session_reschedule(session=session, starts_at=session.ends_at, ends_at=session.starts_at)
    assert error.value.messages == [ENDS_BEFORE_START]


def test_marking_refuses_cancelled_and_future_sessions_and_outsiders(started_cohort, ana, staffer):
    """Can staff mark only started, running sessions, and only the cohort's own residents?"""
    monday = class_days(started_cohort, 1)[0]
    outsider = resident_in(CohortFactory(), username="outsider")
    with pytest.raises(ValidationError) as error:
        attendance_mark_session(
            session=monday, marks={outsider.pk: (Status.PRESENT, "")}, marked_by=staffer
        )
    assert error.value.messages == [NOT_IN_COHORT.format(person=outsider, cohort=started_cohort)]

    future = Session.objects.filter(cohort=started_cohort, starts_at__gt=timezone.now()).first()
    with pytest.raises(ValidationError) as error:
        attendance_mark_session(
            session=future, marks={ana.pk: (Status.PRESENT, "")}, marked_by=staffer
        )
    assert error.value.messages == [SESSION_NOT_STARTED]

    session_cancel(session=monday)
    with pytest.raises(ValidationError) as error:
        attendance_mark_session(
            session=monday, marks={ana.pk: (Status.PRESENT, "")}, marked_by=staffer
        )
    assert error.value.messages == [SESSION_CANCELLED]
    assert not monday.marks.exists()


def test_saving_a_day_again_unchanged_keeps_who_marked_it(started_cohort, ana, ben, staffer):
    """Does re-saving the same marks leave marked_by/marked_at alone, and change only what changed?"""
    monday = class_days(started_cohort, 1)[0]
    first = {ana.pk: (Status.PRESENT, ""), ben.pk: (Status.LATE, "Bus")}
    assert attendance_mark_session(session=monday, marks=first, marked_by=staffer) == 2
    marked_at = monday.marks.get(person=ben).marked_at
    assert attendance_mark_session(session=monday, marks=first, marked_by=staffer) == 0
    assert monday.marks.get(person=ben).marked_at == marked_at
    changed = {**first, ana.pk: (Status.ABSENT, "")}
    assert attendance_mark_session(session=monday, marks=changed, marked_by=staffer) == 1
    assert monday.marks.get(person=ana).status == Status.ABSENT
    assert monday.marks.count() == 2

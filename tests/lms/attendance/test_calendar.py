"""What attendance puts on a person's calendar."""

import datetime

import pytest
from django.utils import timezone

from lms.attendance.models import Session, SessionKind
from lms.attendance.selectors import calendar_entries
from lms.attendance.services import session_cancel, sessions_ensure
from tests.factories import CohortFactory, resident_in

pytestmark = pytest.mark.django_db


def test_residents_get_their_class_days_and_calls_staff_get_nothing(
    started_cohort, ana, staffer, ana_mentor, django_assert_max_num_queries
):
    """Does a resident's calendar hold 80 class days 9 to 5 and the calls, without cancelled ones?"""
    cancelled = Session.objects.filter(
        cohort=started_cohort, kind=SessionKind.COMMUNITY_CALL
    ).first()
    session_cancel(session=cancelled)
    with django_assert_max_num_queries(3):
        entries = calendar_entries(user=ana)
    class_entries = [e for e in entries if e.summary.startswith("Class day")]
    calls = [e for e in entries if e.summary.startswith("Community call")]
    assert len(class_entries) == 80
    assert timezone.localtime(class_entries[0].start).time() == datetime.time(9, 0)
    assert timezone.localtime(class_entries[0].end).time() == datetime.time(17, 0)
    assert calls and f"call-{cancelled.scheduled_on.isoformat()}-{started_cohort.slug}" not in {
        e.uid for e in calls
    }
    assert len({e.uid for e in entries}) == len(entries)
    assert calendar_entries(user=staffer) == []
    assert calendar_entries(user=ana_mentor) == []


def test_alumni_keep_their_cohorts_calls(db):
    """Does an alumna, months after graduation, still get her cohort's community calls?"""
    today = timezone.localdate()
    cohort = CohortFactory(start_date=today - datetime.timedelta(days=today.weekday() + 7 * 26))
    sessions_ensure(cohort=cohort)
    alumna = resident_in(cohort, username="alumna")
    upcoming_calls = [
        e for e in calendar_entries(user=alumna)
        if e.summary.startswith("Community call") and e.start > timezone.now()
    ]  # fmt: skip
    assert upcoming_calls

"""Logging hours: what is refused, in plain sentences, and which months can still change."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from lms.commitments.models import HoursEntry, HoursKind
from lms.commitments.selectors import commitment_months
from lms.commitments.services import (
    AFTER_COMMITMENT,
    ALL_MONTHS_CLOSED,
    BEFORE_GRADUATION,
    HOURS_OUT_OF_RANGE,
    IN_FUTURE,
    MONTH_CLOSED,
    MONTH_CLOSED_FOR_LOGGING,
    NOT_AN_ALUMNUS,
    NOT_QUARTER_HOURS,
    hours_entry_create,
    hours_entry_delete,
    hours_entry_update,
)
from tests.factories import CohortFactory, resident_in

pytestmark = pytest.mark.django_db
CALL = HoursKind.COMMUNITY_CALL


def _refusal(**kwargs) -> dict:
    with pytest.raises(ValidationError) as error:
        hours_entry_create(kind=kwargs.pop("kind", CALL), **kwargs)
    return error.value.message_dict


def test_hours_are_quarter_steps_above_0_and_at_most_12(alumna, months):
    """Are 0, 12.5, -1 and 1.1 refused, and 0.25 and 12 taken?"""
    day = months[0].start
    assert _refusal(person=alumna, date=day, hours="0") == {"hours": [HOURS_OUT_OF_RANGE]}
    assert _refusal(person=alumna, date=day, hours="-1") == {"hours": [HOURS_OUT_OF_RANGE]}
    assert _refusal(person=alumna, date=day, hours="12.5") == {"hours": [HOURS_OUT_OF_RANGE]}
    assert _refusal(person=alumna, date=day, hours="1.1") == {
        "hours": [NOT_QUARTER_HOURS.format(hours="1.1")]
    }
    taken = {"person": alumna, "date": day, "kind": CALL, "today": day}
    assert hours_entry_create(hours="0.25", **taken).hours == Decimal("0.25")
    assert hours_entry_create(hours=Decimal(12), **taken).hours == 12
    assert HoursEntry.objects.count() == 2


def test_the_database_refuses_what_the_service_would(alumna, months):
    """Could any other path store 1.1 hours? The database says no."""
    with pytest.raises(IntegrityError):
        HoursEntry.objects.create(
            person=alumna, date=months[0].start, kind=CALL, hours=Decimal("1.1")
        )


def test_days_before_graduation_after_the_commitment_or_in_the_future_are_refused(
    alumna, months, graduated_cohort
):
    """Is graduation day refused, and tomorrow, each with a sentence naming the dates?"""
    graduation = months[0].start - datetime.timedelta(days=1)
    assert _refusal(person=alumna, date=graduation, hours="1") == {
        "date": [BEFORE_GRADUATION.format(first=months[0].start, day=graduation)]
    }
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert _refusal(person=alumna, date=tomorrow, hours="1") == {
        "date": [IN_FUTURE.format(day=tomorrow)]
    }
    long_ago = CohortFactory(
        start_date=months[0].start - datetime.timedelta(weeks=80, days=months[0].start.weekday())
    )
    veteran = resident_in(long_ago, username="veteran")
    end = commitment_months(cohort=long_ago)[-1].end
    after = end + datetime.timedelta(days=1)
    assert _refusal(person=veteran, date=after, hours="1") == {
        "date": [AFTER_COMMITMENT.format(last=end, day=after)]
    }
    assert "is in the future: log hours once you have given them." in IN_FUTURE
    assert not HoursEntry.objects.exists()


def test_residents_still_in_the_residency_cannot_log(db):
    """Is a resident whose cohort has not graduated told hours come after graduation?"""
    resident = resident_in(CohortFactory(), username="current")
    with pytest.raises(ValidationError) as error:
        hours_entry_create(person=resident, date=timezone.localdate(), kind=CALL, hours="1")
    assert error.value.messages == [NOT_AN_ALUMNUS]


def test_only_the_current_and_previous_month_can_change(alumna, months):
    """Can she change last month's entry but not one from two months ago, nor move one there?"""
    today = timezone.localdate()
    current = next(m for m in months if m.holds(today))
    previous, closed = months[current.number - 2], months[current.number - 3]
    old = hours_entry_create(
        person=alumna, date=closed.start, kind=CALL, hours="1", today=closed.start
    )
    recent = hours_entry_create(person=alumna, date=previous.start, kind=CALL, hours="1")

    hours_entry_update(entry=recent, date=previous.end, kind=HoursKind.MENTORING, hours="2.5")
    recent.refresh_from_db()
    assert (recent.date, recent.kind, recent.hours) == (
        previous.end,
        HoursKind.MENTORING,
        Decimal("2.5"),
    )

    closed_message = MONTH_CLOSED.format(number=closed.number, start=closed.start, end=closed.end)
    with pytest.raises(ValidationError) as error:
        hours_entry_update(entry=old, date=old.date, kind=CALL, hours="3")
    assert error.value.messages == [closed_message]
    with pytest.raises(ValidationError) as error:
        hours_entry_update(entry=recent, date=closed.end, kind=CALL, hours="1")
    assert error.value.messages == [closed_message]
    with pytest.raises(ValidationError) as error:
        hours_entry_delete(entry=old)
    assert error.value.messages == [closed_message]
    hours_entry_delete(entry=recent)
    assert list(HoursEntry.objects.values_list("hours", flat=True)) == [Decimal(1)]


def _at(day: datetime.date):
    """The clock stopped at noon on ``day``."""
    moment = datetime.datetime.combine(
        day, datetime.time(12), tzinfo=timezone.get_current_timezone()
    )
    return time_machine.travel(moment, tick=False)


def _graduated_in_march_2026():
    """An alumna who graduated on Friday, March 20, 2026: month 1 is Mar 21 – Apr 20, month 8 ends Nov 20."""
    cohort = CohortFactory(start_date=datetime.date(2025, 12, 1))
    return resident_in(cohort, username="marcher"), commitment_months(cohort=cohort)


def test_new_hours_cannot_go_into_a_month_the_page_calls_closed(db):
    """On June 10, in month 3, are hours for month 1 refused, naming the open months, and month 2's taken?"""
    person, months = _graduated_in_march_2026()
    with _at(datetime.date(2026, 6, 10)):
        assert months[2].holds(timezone.localdate())
        assert _refusal(person=person, date=months[0].end, hours="1") == {
            "date": [
                MONTH_CLOSED_FOR_LOGGING.format(
                    number=1,
                    start=months[0].start,
                    end=months[0].end,
                    open="this month and last month",
                )
            ]
        }
        hours_entry_create(person=person, date=months[1].start, kind=CALL, hours="1")
    assert (
        MONTH_CLOSED_FOR_LOGGING.format(
            number=1, start=months[0].start, end=months[0].end, open="this month and last month"
        )
        == "Month 1 (Mar 21 – Apr 20) is closed: hours can be logged only in this month and last month."
    )
    assert list(HoursEntry.objects.values_list("date", flat=True)) == [months[1].start]


def test_after_the_commitment_only_its_last_month_takes_hours_for_a_month(db):
    """After month 8 ends, is month 7 refused naming month 8, and a month later is every month closed?"""
    person, months = _graduated_in_march_2026()
    seventh, last = months[6], months[7]
    with _at(last.end + datetime.timedelta(days=10)):
        assert _refusal(person=person, date=seventh.end, hours="1") == {
            "date": [
                MONTH_CLOSED_FOR_LOGGING.format(
                    number=7, start=seventh.start, end=seventh.end, open="month 8"
                )
            ]
        }
        hours_entry_create(person=person, date=last.end, kind=CALL, hours="2")
    with _at(datetime.date(2027, 1, 5)):
        assert _refusal(person=person, date=last.end, hours="1") == {"date": [ALL_MONTHS_CLOSED]}
    assert HoursEntry.objects.count() == 1

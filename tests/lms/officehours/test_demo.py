"""The demo's office hours: three hosts this week and next, several booked, safe to load twice."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from lms.cohorts.models import Cohort
from lms.officehours.demo import demo_load
from lms.officehours.models import Booking, Slot
from lms.people.models import User

pytestmark = pytest.mark.django_db


def load_demo_office_hours():
    call_command("load_demo")
    demo_load(
        today=timezone.localdate(),
        cohort=Cohort.objects.get(slug="cohort-7"),
        alumni_cohort=Cohort.objects.get(slug="cohort-6"),
        users={user.username: user for user in User.objects.all()},
    )


def test_demo_office_hours_are_booked_by_cohort_7_and_load_twice():
    load_demo_office_hours()
    counts = (Slot.objects.count(), Booking.objects.count())
    load_demo_office_hours()
    assert (Slot.objects.count(), Booking.objects.count()) == counts == (18, 6)
    assert set(Slot.objects.values_list("host__username", flat=True)) == {
        "tanisha", "hector", "jordan",
    }  # fmt: skip
    cohort_7 = set(
        Cohort.objects.get(slug="cohort-7").enrollments.values_list("resident__username", flat=True)
    )
    assert set(Booking.objects.values_list("booker__username", flat=True)) <= cohort_7

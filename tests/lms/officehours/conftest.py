"""Hosts (an alumna and staff), residents to book, and slots a few days ahead."""

import datetime

import pytest
from django.utils import timezone

from lms.officehours.models import Slot
from tests.factories import CohortFactory, resident_in


def slot_at(host, *, days: int = 3, hour: int = 16, minute: int = 0, length: int = 30, **kwargs):
    """A slot ``days`` from today at a local time, stored directly (publishing has its own tests)."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))
    kwargs.setdefault("topic", "Portfolio reviews")
    kwargs.setdefault("call_link", "https://meet.example.org/office-hours")
    return Slot.objects.create(host=host, starts_at=starts_at, length_minutes=length, **kwargs)


@pytest.fixture
def alumni_cohort(db):
    today = timezone.localdate()
    return CohortFactory(start_date=today - datetime.timedelta(days=today.weekday() + 20 * 7))


@pytest.fixture
def tanisha(alumni_cohort):
    return resident_in(alumni_cohort, username="tanisha", first_name="Tanisha", last_name="Ames")


@pytest.fixture
def hector(alumni_cohort):
    return resident_in(alumni_cohort, username="hector", first_name="Hector", last_name="Diaz")


@pytest.fixture
def ana(cohort):
    return resident_in(cohort, username="ana", first_name="Ana", last_name="Alvarez")


@pytest.fixture
def bo(cohort):
    return resident_in(cohort, username="bo", first_name="Bo", last_name="Brown")


@pytest.fixture
def slot(tanisha):
    return slot_at(tanisha)

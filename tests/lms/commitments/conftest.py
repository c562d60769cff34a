"""A cohort that graduated about ten weeks ago, so today is in month 3 of its commitment."""

import datetime

import pytest
from django.utils import timezone

from lms.commitments.selectors import commitment_months
from tests.factories import CohortFactory, resident_in


@pytest.fixture
def graduated_cohort(db):
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    return CohortFactory(start_date=monday - datetime.timedelta(weeks=26))


@pytest.fixture
def months(graduated_cohort):
    return commitment_months(cohort=graduated_cohort)


@pytest.fixture
def alumna(graduated_cohort):
    return resident_in(graduated_cohort, username="alumna", first_name="Ada", last_name="Lane")


@pytest.fixture
def other_alumna(graduated_cohort):
    return resident_in(graduated_cohort, username="other", first_name="Oona", last_name="Park")

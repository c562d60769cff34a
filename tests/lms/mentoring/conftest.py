import datetime

import pytest
from django.utils import timezone

from lms.mentoring.models import Channel
from lms.mentoring.services import check_in_log
from tests.factories import PASSWORD, mentor_of, resident_in

SECRET_NOTE = "Worried about rent this month; talked through the hardship fund."


@pytest.fixture
def mentor(resident):
    return mentor_of(resident, username="mentor")


@pytest.fixture
def pairing(mentor, resident):
    return mentor.mentees.get(resident=resident)


@pytest.fixture
def other_mentor(cohort):
    """A mentor of someone else in the same cohort."""
    return mentor_of(resident_in(cohort, username="other-resident"), username="other-mentor")


@pytest.fixture
def check_in(pairing):
    return check_in_log(
        pairing=pairing, mentor=pairing.mentor,
        met_on=timezone.localdate() - datetime.timedelta(days=2),
        channel=Channel.VIDEO, duration_minutes=30, notes=SECRET_NOTE,
    )  # fmt: skip


@pytest.fixture
def signed_in(client):
    """Sign the test client in as a user (factories share one password)."""

    def sign_in(user):
        assert client.login(username=user.username, password=PASSWORD)
        return client

    return sign_in

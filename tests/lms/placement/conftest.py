import datetime

import pytest
import time_machine
from django.utils import timezone

from lms.fieldwork.services import host_organization_create
from lms.people.models import Role
from tests.factories import PASSWORD, CohortFactory, UserFactory, mentor_of, resident_in

# Cohort "graduated": starts Monday January 6, 2025; graduation is Friday April 25, 2025.
START = datetime.date(2025, 1, 6)
GRADUATION = datetime.date(2025, 4, 25)
TODAY = datetime.date(2025, 9, 1)


def moment(day: datetime.date, hour: int = 12):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def frozen():
    with time_machine.travel(moment(TODAY), tick=False):
        yield TODAY


@pytest.fixture
def graduated(db):
    return CohortFactory(name="Cohort 3", slug="cohort-3", start_date=START)


@pytest.fixture
def grad(graduated):
    return resident_in(graduated, username="grad", first_name="Gabi", last_name="Reyes")


@pytest.fixture
def grad_mentor(grad):
    return mentor_of(grad, username="grad-mentor")


@pytest.fixture
def other_mentor(db):
    return UserFactory(username="other-mentor", roles=[Role.MENTOR])


@pytest.fixture
def classmate(graduated):
    return resident_in(graduated, username="classmate")


@pytest.fixture
def partner(db):
    return host_organization_create(
        name="Riverside Renters' Alliance", website="https://renters.example.org",
        mission="Renters organizing for repairs.", needs="A repair tracker.",
        contact_name="Dana Host", contact_email="dana@renters.example.org",
    )  # fmt: skip


@pytest.fixture
def signed_in(client):
    def sign_in(user):
        assert client.login(username=user.username, password=PASSWORD)
        return client

    return sign_in

"""Events of every audience with places and hosts, and an alumna to come to them."""

import datetime
import itertools

import pytest
from django.utils import timezone

from courses.models import Audience, EventKind, SeminarIndexPage, SeminarPage
from lms.people.models import Role
from tests.factories import CohortFactory, UserFactory, resident_in

_slugs = itertools.count(1)


def make_event(
    *,
    audience: str = Audience.EVERYONE,
    capacity: int | None = None,
    hosts=(),
    starts_in: datetime.timedelta = datetime.timedelta(days=5),
    kind: str = EventKind.SEMINAR,
    title: str | None = None,
) -> SeminarPage:
    index = SeminarIndexPage.objects.get()
    number = next(_slugs)
    starts_at = timezone.now() + starts_in
    event = index.add_child(
        instance=SeminarPage(
            title=title or f"Event {number}",
            slug=f"event-{number}",
            kind=kind,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=2),
            speaker_name="A Speaker",
            audience=audience,
            location="Community room",
            capacity=capacity,
        )
    )
    if hosts:
        event.hosts.set(hosts)
        event.save()
    return event


@pytest.fixture
def alumni_cohort(db):
    """Graduated about four weeks ago: its residents are alumni in post-residency."""
    today = timezone.localdate()
    return CohortFactory(start_date=today - datetime.timedelta(days=today.weekday() + 20 * 7))


@pytest.fixture
def alumna(alumni_cohort):
    return resident_in(alumni_cohort, username="alumna")


@pytest.fixture
def other_guest(db):
    return UserFactory(username="other-guest", roles=[Role.GUEST_INSTRUCTOR])

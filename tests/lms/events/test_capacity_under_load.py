"""Many people asking for the last places at the same moment."""

import pytest

from lms.events.models import Rsvp
from lms.events.services import rsvp_request
from tests.factories import resident_in

from .conftest import make_event
from .threads import at_the_same_moment

pytestmark = pytest.mark.django_db(transaction=True)


def test_simultaneous_rsvps_never_exceed_the_capacity(home, cohort):
    """With three places and eight people pressing RSVP at once, do exactly three get a place?"""
    event = make_event(capacity=3)
    people = [resident_in(cohort, username=f"r{n}") for n in range(8)]

    results = at_the_same_moment(lambda person: rsvp_request(event=event, person=person), people)

    assert all(isinstance(result, Rsvp) for result in results), results
    statuses = sorted(result.status for result in results)
    assert statuses == ["going"] * 3 + ["waitlisted"] * 5
    assert Rsvp.objects.filter(event=event, status=Rsvp.Status.GOING).count() == 3

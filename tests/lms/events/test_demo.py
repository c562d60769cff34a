"""The demo's events: places, hosts, a waitlist and past attendance, safe to load twice."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from courses.models import SeminarPage
from lms.cohorts.models import Cohort
from lms.events.demo import demo_load
from lms.events.models import Rsvp
from lms.events.selectors import places_left
from lms.people.models import User

pytestmark = pytest.mark.django_db


def load_demo_events():
    call_command("load_demo")
    demo_load(
        today=timezone.localdate(),
        cohort=Cohort.objects.get(slug="cohort-7"),
        alumni_cohort=Cohort.objects.get(slug="cohort-6"),
        users={user.username: user for user in User.objects.all()},
    )


def _rows():
    return sorted(Rsvp.objects.values_list("event__slug", "person__username", "status", "attended"))


def test_demo_events_have_places_hosts_a_waitlist_and_attendance():
    load_demo_events()
    first = _rows()
    load_demo_events()
    assert _rows() == first, "a second load changes nothing"

    forms = SeminarPage.objects.get(slug="accessible-forms")
    assert places_left(event=forms) == 0
    assert list(
        Rsvp.objects.filter(event=forms, status="waitlisted").values_list(
            "person__username", flat=True
        )
    ) == ["alex", "aisha"]
    assert places_left(event=SeminarPage.objects.get(slug="mapping-eviction-filings")) == 2
    weekend = SeminarPage.objects.get(slug="alumni-weekend-first-jobs")
    assert weekend.kind == "alumni_weekend" and weekend.capacity == 30
    assert [host.username for host in weekend.hosts.all()] == ["jordan"]
    past = Rsvp.objects.filter(event__slug="git-for-organizers")
    assert past.filter(attended="yes").count() == 7 and past.filter(attended="no").count() == 2
    assert not SeminarPage.objects.get(slug="accessible-forms").has_unpublished_changes

"""The check-ins on people's calendars, and the demo's check-in log."""

import datetime

import pytest
from django.utils import timezone

from courses.demo.loader import load_people_and_cohorts
from lms.cohorts.models import Cohort
from lms.mentoring import demo
from lms.mentoring.models import Channel, CheckIn
from lms.mentoring.selectors import calendar_entries, open_concerns
from lms.mentoring.services import check_in_log

from .conftest import SECRET_NOTE

pytestmark = pytest.mark.django_db


def test_mentor_and_resident_see_check_ins_without_the_notes(
    check_in, mentor, resident, other_mentor, guest_instructor, django_assert_max_num_queries
):
    """Do both people of a pairing get the check-in on their calendar, with no notes in either?"""
    check_in_log(
        pairing=check_in.pairing, mentor=mentor, met_on=timezone.localdate(),
        channel=Channel.PHONE, duration_minutes=20, notes=SECRET_NOTE,
        concern=True, concern_text="behind on rent",
    )  # fmt: skip
    with django_assert_max_num_queries(1):
        mentor_entries = calendar_entries(user=mentor)
    resident_entries = calendar_entries(user=resident)
    assert [e.start for e in mentor_entries] == [check_in.met_on, timezone.localdate()]
    assert [e.summary for e in resident_entries] == [f"Check-in with {mentor.display_name}"] * 2
    assert mentor_entries[0].summary == f"Check-in with {resident.display_name}"
    assert resident_entries[0].description == "Video call, 30 minutes."
    assert mentor_entries[0].end == check_in.met_on + datetime.timedelta(days=1)
    assert len({e.uid for e in mentor_entries + resident_entries}) == 4
    for entry in mentor_entries + resident_entries:
        text = " ".join(str(value) for value in vars(entry).values())
        assert SECRET_NOTE not in text and "rent" not in text
    assert resident_entries[0].url == "/mentoring/my-mentor/"
    assert calendar_entries(user=other_mentor) == []
    assert calendar_entries(user=guest_instructor) == []


def test_the_demo_log_is_believable_and_loads_once():
    """Does the demo give Cohort 7 weekly check-ins with gaps, one open and one resolved concern,
    and change nothing when loaded again?"""
    today = timezone.localdate()
    cohort, users = load_people_and_cohorts(today)
    alumni = Cohort.objects.get(slug="cohort-6")
    demo.demo_load(today=today, cohort=cohort, alumni_cohort=alumni, users=users)
    snapshot = list(CheckIn.objects.order_by("pk").values())
    demo.demo_load(today=today, cohort=cohort, alumni_cohort=alumni, users=users)
    assert list(CheckIn.objects.order_by("pk").values()) == snapshot

    cohort_seven = CheckIn.objects.filter(pairing__cohort=cohort)
    assert cohort_seven.count() >= 40
    assert all(check_in.met_on <= today for check_in in cohort_seven)
    concerns = open_concerns(cohort=cohort)
    assert list(concerns) == [users["deshawn"].pk]
    resolved = cohort_seven.get(concern=True, resolved_at__isnull=False)
    assert resolved.pairing.resident == users["kai"] and resolved.resolved_by == users["jordan"]
    last_met = {
        pairing.resident.username: pairing.check_ins.first().met_on
        for pairing in cohort.pairings.select_related("resident")
    }
    assert (today - last_met["omar"]).days >= 7, "someone has gone quiet"
    assert CheckIn.objects.filter(pairing__cohort=alumni).count() == 4

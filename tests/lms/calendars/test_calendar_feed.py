"""Each person's private iCal feed: valid iCal, only their own entries, and an address they can reset."""

import datetime

import icalendar
import pytest
from django.utils import timezone

from assignments.models import Extension
from lms.calendars.models import CalendarFeed
from lms.calendars.services import calendar_feed_ensure
from tests.assignments.conftest import ANSWER_CELLS, open_assignment
from tests.factories import resident_in

CELLS = (*ANSWER_CELLS, ("test", "check", "assert answer() == 42", 2))

pytestmark = pytest.mark.django_db


def _feed(client, user) -> icalendar.Calendar:
    token = calendar_feed_ensure(user=user).token
    response = client.get(f"/calendar/{token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Cache-Control"] == "private, no-store"
    return icalendar.Calendar.from_ical(response.content)


def _events(calendar) -> dict[str, icalendar.Event]:
    return {str(event["summary"]): event for event in calendar.walk("VEVENT")}


def test_the_feed_parses_back_with_the_residents_due_times_and_lessons(client, syllabus, cohort):
    """Does a calendar app read the feed, with each due time (moved by an extension) and each lesson?"""
    ana = resident_in(cohort, username="ana")
    assignment = open_assignment(cohort, "ps1", *CELLS)
    assignment.title = "Problem set 1"
    assignment.save()
    later = assignment.due_at + datetime.timedelta(days=2)
    Extension.objects.create(assignment=assignment, resident=ana, due_at=later)

    calendar = _feed(client, ana)
    assert calendar["version"] == "2.0" and "Residency" in str(calendar["x-wr-calname"])
    events = _events(calendar)
    due = events["Due: Problem set 1"]
    assert due.decoded("dtend") == later.replace(microsecond=0)
    assert "extension" in str(due["description"])
    lessons = [e for name, e in events.items() if name.startswith("Lesson: ")]
    assert len(lessons) == 6, "three weeks of two lessons"
    first = min(lesson.decoded("dtstart") for lesson in lessons)
    assert first == cohort.start_date, "the first lesson is on the cohort's first Monday, all day"
    assert len({str(e["uid"]) for e in calendar.walk("VEVENT")}) == len(calendar.walk("VEVENT"))


def test_a_feed_holds_only_its_owners_entries(client, syllabus, cohort, other_cohort):
    """Does one resident's feed leave out another cohort's due times and another's extension?"""
    ana = resident_in(cohort, username="ana")
    ben = resident_in(cohort, username="ben")
    zoe = resident_in(other_cohort, username="zoe")
    assignment = open_assignment(cohort, "ps1", *CELLS)
    open_assignment(other_cohort, "other", *CELLS)
    Extension.objects.create(
        assignment=assignment, resident=ben, due_at=assignment.due_at + datetime.timedelta(days=3)
    )
    ana_due = _events(_feed(client, ana))["Due: Ps1"]
    assert ana_due.decoded("dtend") == assignment.due_at.replace(microsecond=0), "not ben's"
    assert "Due: Other" not in _events(_feed(client, ana))
    zoe_events = _events(_feed(client, zoe))
    assert {name for name in zoe_events if not name.startswith("Class day")} >= {"Due: Other"}
    assert not any(name.startswith("Lesson: ") for name in zoe_events), "no syllabus for zoe's"


def test_resetting_the_address_cuts_off_the_old_one(client, resident):
    """After a reset, does the old address stop working and the new one work?"""
    old = calendar_feed_ensure(user=resident).token
    client.force_login(resident)
    page = client.post("/calendar/reset/", follow=True)
    assert b"new address" in page.content
    new = CalendarFeed.objects.get(user=resident).token
    assert new != old and new.encode() in page.content
    client.logout()
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert client.get(f"/calendar/{new}.ics").status_code == 200


def test_unknown_tokens_and_deactivated_people_get_nothing(client, resident):
    """Is a made-up address a 404, and does a deactivated person's feed stop?"""
    assert client.get("/calendar/not-a-real-token.ics").status_code == 404
    token = calendar_feed_ensure(user=resident).token
    resident.is_active = False
    resident.save()
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_the_calendar_page_needs_a_sign_in_and_reset_needs_a_post(client, resident):
    """Is the page private, and can a link (GET) not reset someone's address?"""
    assert client.get("/calendar/")["Location"].startswith("/accounts/login/")
    client.force_login(resident)
    page = client.get("/calendar/")
    token = CalendarFeed.objects.get(user=resident).token
    assert token.encode() in page.content and b"webcal://" in page.content
    assert client.get("/calendar/reset/").status_code == 405
    assert CalendarFeed.objects.get(user=resident).token == token


def test_staff_get_a_valid_feed_even_with_nothing_on_it(client, staff):
    calendar = _feed(client, staff)
    assert calendar["prodid"] and calendar.walk("VEVENT") == []


def test_hostile_titles_stay_text_in_the_feed(client, cohort):
    """Does a title with a newline and iCal syntax stay one summary, not a forged property?"""
    ana = resident_in(cohort, username="ana")
    assignment = open_assignment(cohort, "ps1", *CELLS)
    assignment.title = "Evil\r\nATTENDEE:mailto:x@evil.test"
    assignment.save()
    calendar = _feed(client, ana)
    (event,) = [e for e in calendar.walk("VEVENT") if str(e["summary"]).startswith("Due: ")]
    assert "attendee" not in event
    assert str(event["summary"]).startswith("Due: Evil")


def test_feeds_are_read_without_a_session_and_record_when(client, resident):
    token = calendar_feed_ensure(user=resident).token
    before = timezone.now()
    client.get(f"/calendar/{token}.ics")
    assert CalendarFeed.objects.get(user=resident).last_read_at >= before

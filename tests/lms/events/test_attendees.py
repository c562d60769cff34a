"""Hosts' attendee lists: who sees which, the CSV, and attendance taken on the day."""

import csv
import datetime
import io

import pytest
from django.utils import timezone

from lms.events.models import Rsvp
from lms.events.services import RsvpError, attendance_record, rsvp_request
from tests.factories import PASSWORD, mentor_of, resident_in

from .conftest import make_event

pytestmark = pytest.mark.django_db


def _sign_in(client, user):
    client.login(username=user.username, password=PASSWORD)


@pytest.fixture
def ana(cohort):
    return resident_in(cohort, username="ana", first_name="Ana", last_name="Alvarez")


@pytest.fixture
def bo(cohort):
    return resident_in(cohort, username="bo", first_name="Bo", last_name="=HYPERLINK(1)")


@pytest.fixture
def hosted(home, guest_instructor, ana, bo, cohort):
    """An event the guest instructor hosts: Ana and Bo going, one more on the waitlist."""
    event = make_event(capacity=2, hosts=[guest_instructor], title="Hosted talk")
    rsvp_request(event=event, person=ana)
    rsvp_request(event=event, person=bo)
    rsvp_request(event=event, person=resident_in(cohort, username="cy", first_name="Cy"))
    return event


def test_a_host_sees_the_attendee_list_of_their_event(client, hosted, guest_instructor):
    _sign_in(client, guest_instructor)
    response = client.get(f"/events/{hosted.pk}/attendees/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ana Alvarez" in page and "ana@example.org" in page
    assert "2 of 2 places taken · 1 on the waitlist" in page
    assert "Cy" in page


def test_another_guest_instructor_gets_a_404_for_someone_elses_list(client, hosted, other_guest):
    """Does a guest instructor who does not host the event learn nothing about who is coming?"""
    _sign_in(client, other_guest)
    assert client.get(f"/events/{hosted.pk}/attendees/").status_code == 404
    assert client.get(f"/events/{hosted.pk}/attendees.csv").status_code == 404
    assert client.post(f"/events/{hosted.pk}/attendees/", {"attended": []}).status_code == 404


def test_residents_and_mentors_get_a_404_for_attendee_lists(client, hosted, ana):
    for person in (ana, mentor_of(ana)):
        _sign_in(client, person)
        assert client.get(f"/events/{hosted.pk}/attendees/").status_code == 404


def test_staff_see_every_events_list(client, hosted, staff):
    _sign_in(client, staff)
    assert client.get(f"/events/{hosted.pk}/attendees/").status_code == 200


def test_the_events_page_links_hosts_to_their_lists(client, hosted, guest_instructor, other_guest):
    _sign_in(client, guest_instructor)
    page = client.get("/events/").content.decode()
    assert "Events you host" in page and f"/events/{hosted.pk}/attendees/" in page
    _sign_in(client, other_guest)
    assert f"/events/{hosted.pk}/attendees/" not in client.get("/events/").content.decode()


def test_the_csv_lists_going_and_waitlisted_people_safely(client, hosted, guest_instructor):
    """Does the export hold everyone with their status, with no formula that a spreadsheet would run?"""
    _sign_in(client, guest_instructor)
    response = client.get(f"/events/{hosted.pk}/attendees.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    by_user = {row["username"]: row for row in rows}
    assert set(by_user) == {"ana", "bo", "cy"}
    assert by_user["ana"]["status"] == "Going" and by_user["cy"]["status"] == "On the waitlist"
    assert by_user["bo"]["name"].startswith("Bo ="), by_user["bo"]["name"]
    assert not any(row["name"].startswith("=") for row in rows)


def _on_the_day(event):
    event.starts_at = timezone.now() + datetime.timedelta(minutes=30)
    event.ends_at = event.starts_at + datetime.timedelta(hours=2)
    event.save()


def test_attendance_waits_for_the_day(client, hosted, guest_instructor, ana):
    """Before the day, is there no sheet, and is marking refused?"""
    _sign_in(client, guest_instructor)
    page = client.get(f"/events/{hosted.pk}/attendees/").content.decode()
    assert "Save attendance" not in page and "You can take attendance from" in page
    rsvp = Rsvp.objects.get(event=hosted, person=ana)
    page = client.post(
        f"/events/{hosted.pk}/attendees/", {"attended": [rsvp.pk]}, follow=True
    ).content.decode()
    assert "Attendance opens on the day of the event" in page
    assert Rsvp.objects.get(pk=rsvp.pk).attended == "unknown"


def test_a_host_takes_attendance_in_one_go_on_the_day(client, hosted, guest_instructor, ana, bo):
    """On the day, does ticking Ana and saving mark her as there, Bo as not, and record who marked?"""
    _on_the_day(hosted)
    _sign_in(client, guest_instructor)
    page = client.get(f"/events/{hosted.pk}/attendees/").content.decode()
    assert "Save attendance" in page
    ana_rsvp = Rsvp.objects.get(event=hosted, person=ana)
    page = client.post(
        f"/events/{hosted.pk}/attendees/", {"attended": [ana_rsvp.pk]}, follow=True
    ).content.decode()
    assert "Attendance saved: 1 of 2 came" in page
    marks = {r.person.username: r for r in Rsvp.objects.filter(event=hosted, status="going")}
    assert marks["ana"].attended == "yes" and marks["bo"].attended == "no"
    assert marks["ana"].attendance_marked_by == guest_instructor
    assert Rsvp.objects.get(event=hosted, person__username="cy").attended == "unknown"


def test_attendance_rejects_people_not_going(client, hosted, guest_instructor):
    """Can a forged form mark someone on the waitlist as there?"""
    _on_the_day(hosted)
    waiting = Rsvp.objects.get(event=hosted, person__username="cy")
    _sign_in(client, guest_instructor)
    response = client.post(f"/events/{hosted.pk}/attendees/", {"attended": [waiting.pk]})
    assert response.status_code == 200
    assert "not on the list any more" in response.content.decode()
    assert Rsvp.objects.get(pk=waiting.pk).attended == "unknown"
    with pytest.raises(RsvpError):
        attendance_record(event=hosted, marked_by=guest_instructor, attended={waiting.pk: True})


def test_past_events_you_came_to_are_listed(client, hosted, guest_instructor, ana, bo):
    _on_the_day(hosted)
    ana_rsvp = Rsvp.objects.get(event=hosted, person=ana)
    attendance_record(event=hosted, marked_by=guest_instructor, attended={ana_rsvp.pk: True})
    hosted.starts_at = timezone.now() - datetime.timedelta(days=2)
    hosted.ends_at = hosted.starts_at + datetime.timedelta(hours=2)
    hosted.save()
    _sign_in(client, ana)
    page = client.get("/events/").content.decode()
    past = page.split("Past events you came to")[1]
    assert "Hosted talk" in past
    _sign_in(client, bo)
    past = client.get("/events/").content.decode().split("Past events you came to")[1]
    assert "Hosted talk" not in past


def test_a_host_who_is_not_staff_cannot_manage_unpublished_events(client, hosted, guest_instructor):
    hosted.unpublish()
    _sign_in(client, guest_instructor)
    assert client.get(f"/events/{hosted.pk}/attendees/").status_code == 404

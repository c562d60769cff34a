"""Reminder e-mails the day before: once per person and event, and never to those who opted out."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from lms.events.services import event_reminders_send, rsvp_cancel, rsvp_request
from lms.notifications.services import opt_outs_set
from tests.factories import resident_in

from .conftest import make_event

pytestmark = pytest.mark.django_db(transaction=True)


def _to(username: str) -> list:
    return [message for message in mail.outbox if message.to == [f"{username}@example.org"]]


def test_everyone_going_is_reminded_once_in_the_day_before(home, cohort):
    """Does each person going get one reminder, however often the scheduler runs?"""
    event = make_event(starts_in=datetime.timedelta(hours=20), title="Mapping evictions")
    for name in ("ana", "bo"):
        rsvp_request(event=event, person=resident_in(cohort, username=name))
    now = timezone.now()
    assert event_reminders_send(now=now) == 2
    assert event_reminders_send(now=now + datetime.timedelta(minutes=1)) == 0
    (message,) = _to("ana")
    assert "Reminder: Mapping evictions" in message.subject
    assert event.url in message.body and "Community room" in message.body
    assert len(_to("bo")) == 1


def test_no_reminder_for_people_who_opted_out(home, cohort):
    event = make_event(starts_in=datetime.timedelta(hours=3))
    ana, bo = resident_in(cohort, username="ana"), resident_in(cohort, username="bo")
    for person in (ana, bo):
        rsvp_request(event=event, person=person)
    opt_outs_set(user=bo, kinds={"event_reminder"})
    assert event_reminders_send(now=timezone.now()) == 1
    assert len(_to("ana")) == 1 and _to("bo") == []


def test_no_reminder_too_early_after_the_start_or_for_people_not_going(home, cohort):
    """Is an event two days off left alone until its last 24 hours, and the waitlist never reminded?"""
    later = make_event(starts_in=datetime.timedelta(hours=30), capacity=1)
    ana, bo, cy = (resident_in(cohort, username=n) for n in ("ana", "bo", "cy"))
    rsvp_request(event=later, person=ana)
    rsvp_request(event=later, person=bo)
    soon = make_event(starts_in=datetime.timedelta(hours=5))
    rsvp_request(event=soon, person=cy)
    rsvp_cancel(event=soon, person=cy)
    now = timezone.now()
    assert event_reminders_send(now=now) == 0
    assert event_reminders_send(now=now + datetime.timedelta(hours=7)) == 1
    assert [m.to for m in mail.outbox] == [["ana@example.org"]], "bo is on the waitlist"
    assert event_reminders_send(now=later.starts_at + datetime.timedelta(minutes=1)) == 0

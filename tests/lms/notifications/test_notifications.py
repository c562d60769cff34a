"""E-mail: due-soon reminders once per due time, released feedback, and each person's opt-outs."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from assignments.models import Extension
from assignments.services import due_soon_notify, feedback_release, submission_create
from lms.notifications.models import Kind, Notification
from lms.notifications.services import notify, opt_outs_set
from tests.assignments.conftest import ANSWER_CELLS, answered, open_assignment
from tests.factories import resident_in

CELLS = (*ANSWER_CELLS, ("test", "check", "assert answer() == 42", 2))

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def due_tomorrow(cohort):
    assignment = open_assignment(cohort, "ps1", *CELLS)
    assignment.due_at = timezone.now() + datetime.timedelta(hours=20)
    assignment.save()
    return assignment


def _to(username: str) -> list:
    return [m for m in mail.outbox if m.to == [f"{username}@example.org"]]


def test_due_soon_reaches_only_those_who_have_not_handed_in_and_only_once(cohort, due_tomorrow):
    """Does a resident without a hand-in get one reminder, and one who handed in get none?"""
    resident_in(cohort, username="ana")
    bo = resident_in(cohort, username="bo")
    submission_create(assignment=due_tomorrow, resident=bo, files=answered(due_tomorrow))
    assert due_soon_notify() == 1
    assert due_soon_notify() == 0, "the scheduler runs every minute; the reminder goes once"
    (message,) = _to("ana")
    assert "Ps1 is due" in message.subject and "/progress/" in message.body
    assert "To stop “assignments due soon” e-mails" in message.body
    assert [m.subject.split("] ")[1] for m in _to("bo")] == ["Feedback on Ps1"], "no reminder"


def test_an_extension_moves_the_reminder_to_the_new_due_time(cohort, due_tomorrow):
    """With an extension to next week, is there no reminder now, and one a day before the new time?"""
    ana = resident_in(cohort, username="ana")
    later = due_tomorrow.due_at + datetime.timedelta(days=7)
    Extension.objects.create(assignment=due_tomorrow, resident=ana, due_at=later)
    assert due_soon_notify() == 0
    assert due_soon_notify(now=later - datetime.timedelta(hours=3)) == 1
    assert "is due" in _to("ana")[0].subject


def test_work_not_yet_released_or_far_off_gets_no_reminder(cohort):
    resident_in(cohort, username="ana")
    assignment = open_assignment(cohort, "ps1", *CELLS)
    assert due_soon_notify() == 0, "due in two days"
    assignment.release_at = timezone.now() + datetime.timedelta(hours=1)
    assignment.due_at = timezone.now() + datetime.timedelta(hours=5)
    assignment.save()
    assert due_soon_notify() == 0, "not open yet"


def test_opting_out_of_a_kind_stops_only_that_kind(client, cohort, due_tomorrow):
    """After unticking 'due soon' on the calendar page, is that e-mail skipped and others still sent?"""
    ana = resident_in(cohort, username="ana")
    client.force_login(ana)
    wanted = [kind for kind in Kind.values if kind != Kind.DUE_SOON]
    page = client.post("/notifications/", {"wanted": wanted}, follow=True)
    assert b"e-mail choices are saved" in page.content
    assert b'value="due_soon">' in page.content and b'value="feedback" checked' in page.content
    assert due_soon_notify() == 0 and _to("ana") == []
    notify(user=ana, kind=Kind.BOOKING, subject="Booked", body="Your slot is booked.")
    assert [m.subject.split("] ")[1] for m in _to("ana")] == ["Booked"]


def test_opting_back_in_and_unknown_kinds(cohort):
    ana = resident_in(cohort, username="ana")
    opt_outs_set(user=ana, kinds={"due_soon", "not-a-kind"})
    assert notify(user=ana, kind=Kind.DUE_SOON, subject="x", body="y", key="k") is None
    opt_outs_set(user=ana, kinds=set())
    assert notify(user=ana, kind=Kind.DUE_SOON, subject="x", body="y", key="k") is not None
    assert notify(user=ana, kind=Kind.DUE_SOON, subject="x", body="y", key="k") is None, "same key"


def test_no_mail_to_deactivated_people_or_people_without_an_address(cohort):
    ana = resident_in(cohort, username="ana", email="")
    bo = resident_in(cohort, username="bo")
    bo.is_active = False
    bo.save()
    assert notify(user=ana, kind=Kind.BOOKING, subject="x", body="y") is None
    assert notify(user=bo, kind=Kind.BOOKING, subject="x", body="y") is None
    assert mail.outbox == []


def test_the_preferences_form_needs_a_signed_in_post(client, resident):
    assert client.post("/notifications/", {"wanted": []}).status_code == 302
    assert not resident.notification_opt_outs.exists(), "redirected to sign in, nothing saved"
    client.force_login(resident)
    assert client.get("/notifications/").status_code == 405


@pytest.mark.grading
def test_released_feedback_is_mailed_once_to_each_resident_it_reaches(cohort, staff):
    """Held feedback: no mail at grading; one mail to ana when released to her; none to bo yet."""
    assignment = open_assignment(cohort, "held", *CELLS, feedback_policy="manual")
    for name in ("ana", "bo"):
        submission_create(
            assignment=assignment,
            resident=resident_in(cohort, username=name),
            files=answered(assignment),
        )
    assert not Notification.objects.filter(kind=Kind.FEEDBACK).exists()
    ana = cohort.enrollments.get(resident__username="ana").resident
    feedback_release(assignment=assignment, by=staff, resident=ana)
    (message,) = _to("ana")
    assert message.subject.endswith("] Feedback on Held") and "scored" in message.body
    assert _to("bo") == []
    feedback_release(assignment=assignment, by=staff)
    assert len(_to("ana")) == 1 and len(_to("bo")) == 1


@pytest.mark.grading
def test_automatic_feedback_is_mailed_when_it_is_rendered(cohort):
    assignment = open_assignment(cohort, "auto", *CELLS)
    ana = resident_in(cohort, username="ana")
    submission_create(assignment=assignment, resident=ana, files=answered(assignment))
    (message,) = _to("ana")
    assert "Feedback on Auto" in message.subject and "JupyterLab" in message.body


def test_the_scheduler_queues_due_reminders_once_per_run_of_its_loop(cohort, due_tomorrow):
    """Does `run_scheduler --once` send the reminders that came due, and a second run nothing new?"""
    from django.core.management import call_command

    resident_in(cohort, username="ana")
    call_command("run_scheduler", "--once")
    call_command("run_scheduler", "--once")
    assert [m.subject.split("] ")[1] for m in _to("ana")] == [
        f"Ps1 is due {timezone.localtime(due_tomorrow.due_at):%a %-I:%M %p}"
    ]


def test_a_long_subject_is_shortened_not_refused(cohort):
    """Does an event with a very long title still get its e-mail, with the subject cut to fit?"""
    ana = resident_in(cohort, username="ana")
    notification = notify(user=ana, kind=Kind.BOOKING, subject="Seminar " * 60, body="Body.")
    assert notification is not None and len(notification.subject) == 200
    assert notification.subject.endswith("…") and len(mail.outbox) == 1

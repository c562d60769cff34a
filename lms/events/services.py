"""Writes about events: RSVPs within capacity, the waitlist, attendance, and reminder e-mails."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from courses.models import SeminarPage
from lms.notifications.models import Kind
from lms.notifications.services import notify, spoken_time
from lms.people.models import User

from .models import Rsvp
from .permissions import event_open_to
from .selectors import attendance_opens_on, event_path, going_count, waitlist

NOT_IN_AUDIENCE = "{title} is for {audience}, so you cannot RSVP to it."
EVENT_NOT_OPEN = "This event is not open for RSVPs."
EVENT_STARTED = "{title} has already started, so RSVPs are closed."
NOTHING_TO_CANCEL = "You have no place or waitlist spot at {title} to cancel."
ATTENDANCE_NOT_YET = "Attendance opens on the day of the event, {day}."
NOT_GOING = "{person} has no place at {title}, so their attendance cannot be marked."

REMINDER_WINDOW = datetime.timedelta(hours=24)


class RsvpError(ValidationError):
    """An RSVP, cancellation or attendance mark refused; nothing was changed."""


def _lock(event: SeminarPage) -> SeminarPage:
    """Lock the event's row for the rest of the transaction.

    Every change to who is going takes this lock first, so two people asking for the last
    place are handled one after the other and the capacity is never exceeded.
    """
    locked = SeminarPage.objects.live().select_for_update(of=("self",)).filter(pk=event.pk).first()
    if locked is None:
        raise RsvpError(EVENT_NOT_OPEN)
    return locked


def _promote_waitlisted(event: SeminarPage) -> list[Rsvp]:
    """Give free places to the waitlist, first come first served, and tell each person by e-mail.

    NB: the caller must hold the event's lock (``_lock``).
    """
    candidates = waitlist(event=event).select_related("person")
    if event.capacity is not None:
        free = event.capacity - going_count(event=event)
        if free <= 0:
            return []
        candidates = candidates[:free]
    promoted = list(candidates)
    for rsvp in promoted:
        rsvp.status = Rsvp.Status.GOING
        rsvp.save(update_fields=["status"])
        notify(
            user=rsvp.person,
            kind=Kind.EVENT_REMINDER,
            subject=f"You have a place at {event.title}",
            body=(
                f"Hello {rsvp.person.display_name},\n\n"
                f"A place opened up at {event.title} on {spoken_time(event.starts_at)}, and it is "
                "yours: you were first on the waitlist.\n\n"
                "If you can no longer come, cancel on the event page so the next person "
                "gets the place."
            ),
            url=event_path(event=event),
        )
    return promoted


@transaction.atomic
def rsvp_request(*, event: SeminarPage, person: User) -> Rsvp:
    """Ask for a place: going if one is free, otherwise on the waitlist.

    Asking again while going or waitlisted changes nothing. Only people in the event's
    audience may ask, and only before it starts.
    """
    event = _lock(event)
    if not event_open_to(event=event, user=person):
        raise RsvpError(
            NOT_IN_AUDIENCE.format(title=event.title, audience=event.get_audience_display().lower())
        )
    now = timezone.now()
    if event.starts_at <= now:
        raise RsvpError(EVENT_STARTED.format(title=event.title))
    rsvp = Rsvp.objects.filter(event=event, person=person).first()
    if rsvp is not None and rsvp.status != Rsvp.Status.CANCELLED:
        return rsvp
    # A raised capacity may have left places free; the waitlist gets them before a newcomer.
    _promote_waitlisted(event)
    free = event.capacity is None or going_count(event=event) < event.capacity
    status = Rsvp.Status.GOING if free else Rsvp.Status.WAITLISTED
    if rsvp is None:
        rsvp = Rsvp(event=event, person=person)
    rsvp.status, rsvp.requested_at = status, now
    rsvp.full_clean()
    rsvp.save()
    return rsvp


@transaction.atomic
def rsvp_cancel(*, event: SeminarPage, person: User) -> Rsvp:
    """Give up a place or a waitlist spot; a freed place goes to the first on the waitlist."""
    event = _lock(event)
    rsvp = (
        Rsvp.objects.filter(event=event, person=person)
        .exclude(status=Rsvp.Status.CANCELLED)
        .first()
    )
    if rsvp is None:
        raise RsvpError(NOTHING_TO_CANCEL.format(title=event.title))
    if event.starts_at <= timezone.now():
        raise RsvpError(EVENT_STARTED.format(title=event.title))
    was_going = rsvp.status == Rsvp.Status.GOING
    rsvp.status = Rsvp.Status.CANCELLED
    rsvp.save(update_fields=["status"])
    if was_going:
        _promote_waitlisted(event)
    return rsvp


@transaction.atomic
def waitlist_promote(*, event: SeminarPage) -> list[Rsvp]:
    """Fill places that opened up (an editor raised the capacity) from the waitlist."""
    if not event.live:
        return []
    return _promote_waitlisted(_lock(event))


@transaction.atomic
def attendance_record(*, event: SeminarPage, marked_by: User, attended: dict[int, bool]) -> int:
    """Mark who came, by RSVP id; returns how many marks changed.

    Attendance is taken on the day (or later, to fix a mark), for people going only.
    """
    opens_on = attendance_opens_on(event=event)
    if timezone.localdate() < opens_on:
        raise RsvpError(ATTENDANCE_NOT_YET.format(day=date_format(opens_on, "l, F j")))
    rsvps = {
        rsvp.pk: rsvp
        for rsvp in Rsvp.objects.filter(event=event, pk__in=attended).select_related("person")
    }
    now, changed = timezone.now(), 0
    for rsvp_id, came in attended.items():
        rsvp = rsvps.get(rsvp_id)
        if rsvp is None or rsvp.status != Rsvp.Status.GOING:
            name = rsvp.person.display_name if rsvp else "That person"
            raise RsvpError(NOT_GOING.format(person=name, title=event.title))
        mark = Rsvp.Attended.YES if came else Rsvp.Attended.NO
        if rsvp.attended == mark:
            continue
        rsvp.attended, rsvp.attendance_marked_by, rsvp.attendance_marked_at = mark, marked_by, now
        rsvp.save(update_fields=["attended", "attendance_marked_by", "attendance_marked_at"])
        changed += 1
    return changed


def event_reminders_send(*, now: datetime.datetime) -> int:
    """E-mail everyone going to an event that starts within the next 24 hours.

    Meant to run every minute: each person gets one reminder per event (the notification
    key is the event), and people who turned off event reminders get none. Returns how
    many reminders were queued.
    """
    rsvps = (
        Rsvp.objects.filter(
            status=Rsvp.Status.GOING,
            event__live=True,
            event__starts_at__gt=now,
            event__starts_at__lte=now + REMINDER_WINDOW,
        )
        .select_related("event", "person")
        .order_by("event__starts_at", "id")
    )
    sent = 0
    for rsvp in rsvps:
        event = rsvp.event
        where = event.location or "online"
        call = f"\nJoin the call: {event.call_link}" if event.call_link else ""
        notification = notify(
            user=rsvp.person,
            kind=Kind.EVENT_REMINDER,
            subject=f"Reminder: {event.title}, {spoken_time(event.starts_at)}",
            body=(
                f"Hello {rsvp.person.display_name},\n\n"
                f"{event.title} with {event.speaker_name} starts {spoken_time(event.starts_at)} "
                f"({where}).{call}\n\n"
                "If you can no longer come, cancel on the event page so someone on the "
                "waitlist gets your place."
            ),
            key=f"event-{event.pk}",
            url=event_path(event=event),
        )
        sent += notification is not None
    return sent

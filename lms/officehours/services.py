"""Writes about office hours: publishing slots, booking one, and cancelling either, with e-mail."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from lms.notifications.models import Kind
from lms.notifications.services import notify, spoken_time
from lms.people.models import User
from lms.people.permissions import user_is_staff

from .models import SLOT_MAX_MINUTES, SLOT_MIN_MINUTES, Booking, Slot
from .permissions import (
    NOT_A_BOOKER,
    NOT_A_HOST,
    user_can_book,
    user_can_cancel_booking,
    user_can_cancel_slot,
    user_can_host,
)
from .selectors import overlapping_commitments, slot_booking

LENGTH_OUT_OF_RANGE = f"A slot lasts {SLOT_MIN_MINUTES} to {SLOT_MAX_MINUTES} minutes."
SLOT_IN_THE_PAST = "{when} has already passed; choose a time in the future."
NEEDS_A_PLACE = "Give a place, a call link, or both."
HOST_OVERLAP = "You already have office hours that overlap {when}."
SLOT_TAKEN = "Someone just booked that slot. Pick another one."
SLOT_CANCELLED = "That slot was cancelled by its host."
OWN_SLOT = "That is your own slot; you cannot book it."
BOOKER_OVERLAP = "You already have office hours at that time ({when}); cancel those first."
NOTE_REQUIRED = "Say in a sentence what you would like help with."
ALREADY_CANCELLED = "That booking was already cancelled."
ALREADY_HAPPENED = "That time has passed, so there is nothing to cancel."
SERIES_TOO_LONG = "Publish at most {limit} slots at once."

MAX_SLOTS_AT_ONCE = 60


class OfficeHoursError(ValidationError):
    """A publish, booking or cancellation refused as a whole; nothing was changed."""


def _where(slot: Slot) -> str:
    places = [p for p in (slot.location, slot.call_link) if p]
    return " / ".join(places)


@transaction.atomic
def slots_publish(
    *,
    host: User,
    first_starts_at: datetime.datetime,
    length_minutes: int,
    topic: str,
    location: str = "",
    call_link: str = "",
    in_a_row: int = 1,
    weeks: int = 1,
) -> list[Slot]:
    """Publish ``in_a_row`` back-to-back slots, the same time every week for ``weeks`` weeks.

    All or nothing: a slot in the past or overlapping one of the host's slots refuses the lot.
    The weekly time stays the same local time across daylight-saving changes.
    """
    if not user_can_host(user=host):
        raise OfficeHoursError(NOT_A_HOST)
    if not SLOT_MIN_MINUTES <= length_minutes <= SLOT_MAX_MINUTES:
        raise OfficeHoursError(LENGTH_OUT_OF_RANGE)
    if not location and not call_link:
        raise OfficeHoursError(NEEDS_A_PLACE)
    if in_a_row * weeks > MAX_SLOTS_AT_ONCE:
        raise OfficeHoursError(SERIES_TOO_LONG.format(limit=MAX_SLOTS_AT_ONCE))
    local_first = timezone.localtime(first_starts_at)
    now = timezone.now()
    slots = []
    for week in range(weeks):
        day = local_first.date() + datetime.timedelta(weeks=week)
        session_start = timezone.make_aware(datetime.datetime.combine(day, local_first.time()))
        for index in range(in_a_row):
            starts_at = session_start + datetime.timedelta(minutes=index * length_minutes)
            if starts_at <= now:
                raise OfficeHoursError(SLOT_IN_THE_PAST.format(when=spoken_time(starts_at)))
            slot = Slot(
                host=host,
                starts_at=starts_at,
                length_minutes=length_minutes,
                topic=topic,
                location=location,
                call_link=call_link,
            )
            slot.full_clean()
            if overlapping_commitments(user=host, starts_at=starts_at, ends_at=slot.ends_at):
                raise OfficeHoursError(HOST_OVERLAP.format(when=spoken_time(starts_at)))
            slot.save()
            slots.append(slot)
    return slots


def _notify_booking(booking: Booking) -> None:
    slot = booking.slot
    notify(
        user=booking.booker,
        kind=Kind.BOOKING,
        subject=f"Booked: office hours with {slot.host.display_name}, {spoken_time(slot.starts_at)}",
        body=(
            f"You booked {slot.length_minutes} minutes with {slot.host.display_name} on "
            f"{spoken_time(slot.starts_at)} ({_where(slot)}).\n\nTopic: {slot.topic}\n"
            f"You asked for help with: {booking.note}\n\n"
            "If you cannot make it, cancel on the office-hours page so someone else can book."
        ),
        url=reverse("officehours:index"),
    )
    notify(
        user=slot.host,
        kind=Kind.BOOKING,
        subject=f"{booking.booker.display_name} booked your office hours, {spoken_time(slot.starts_at)}",
        body=(
            f"{booking.booker.display_name} booked your slot on {spoken_time(slot.starts_at)} "
            f"({_where(slot)}).\n\nThey would like help with: {booking.note}"
        ),
        url=reverse("officehours:mine"),
    )


@transaction.atomic
def booking_create(*, slot: Slot, booker: User, note: str) -> Booking:
    """Book a slot for ``booker``; both sides get an e-mail.

    A slot holds one active booking: the database's unique constraint settles two people
    booking at the same moment, and the loser is told the slot was just taken.
    """
    if not user_can_book(user=booker):
        raise OfficeHoursError(NOT_A_BOOKER)
    note = note.strip()
    if not note:
        raise OfficeHoursError(NOTE_REQUIRED)
    # One booking at a time per person, so two tabs cannot book overlapping slots at once.
    User.objects.select_for_update().filter(pk=booker.pk).first()
    slot = Slot.objects.select_related("host").get(pk=slot.pk)
    if slot.is_cancelled:
        raise OfficeHoursError(SLOT_CANCELLED)
    if slot.host_id == booker.pk:
        raise OfficeHoursError(OWN_SLOT)
    if slot.starts_at <= timezone.now():
        raise OfficeHoursError(SLOT_IN_THE_PAST.format(when=spoken_time(slot.starts_at)))
    if slot_booking(slot) is not None:
        raise OfficeHoursError(SLOT_TAKEN)
    clashes = overlapping_commitments(user=booker, starts_at=slot.starts_at, ends_at=slot.ends_at)
    if clashes:
        raise OfficeHoursError(BOOKER_OVERLAP.format(when=spoken_time(clashes[0].starts_at)))
    booking = Booking(slot=slot, booker=booker, note=note)
    booking.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError:
        raise OfficeHoursError(SLOT_TAKEN) from None
    _notify_booking(booking)
    return booking


def _notify_cancelled(booking: Booking, *, by: User, recipients: list[User]) -> None:
    slot = booking.slot
    reason = f"\n\nReason: {booking.cancel_reason}" if booking.cancel_reason else ""
    for person in recipients:
        other = slot.host if person.pk == booking.booker_id else booking.booker
        notify(
            user=person,
            kind=Kind.BOOKING,
            subject=f"Cancelled: office hours with {other.display_name}, {spoken_time(slot.starts_at)}",
            body=(
                f"{by.display_name} cancelled the office hours of {spoken_time(slot.starts_at)} "
                f"between {slot.host.display_name} and {booking.booker.display_name}."
                f"{reason}"
            ),
            url=reverse("officehours:index"),
        )


@transaction.atomic
def booking_cancel(*, booking: Booking, by: User, reason: str = "") -> Booking:
    """Cancel a booking (the booker, the host or staff); the other side is e-mailed.

    When staff cancel someone else's booking, both sides are e-mailed.
    """
    booking = (
        Booking.objects.select_for_update()
        .select_related("slot__host", "booker")
        .get(pk=booking.pk)
    )
    if not user_can_cancel_booking(user=by, booking=booking):
        raise PermissionDenied
    if not booking.is_active:
        raise OfficeHoursError(ALREADY_CANCELLED)
    if booking.slot.ends_at <= timezone.now():
        raise OfficeHoursError(ALREADY_HAPPENED)
    booking.cancelled_at, booking.cancelled_by = timezone.now(), by
    booking.cancel_reason = reason.strip()
    booking.save(update_fields=["cancelled_at", "cancelled_by", "cancel_reason"])
    recipients = [p for p in (booking.booker, booking.slot.host) if p.pk != by.pk]
    _notify_cancelled(booking, by=by, recipients=recipients)
    return booking


@transaction.atomic
def slot_cancel(*, slot: Slot, by: User, reason: str = "") -> Slot:
    """Take a slot off the board (its host or staff); whoever booked it is e-mailed."""
    slot = Slot.objects.select_for_update().select_related("host").get(pk=slot.pk)
    if not user_can_cancel_slot(user=by, slot=slot):
        raise PermissionDenied
    if slot.is_cancelled:
        raise OfficeHoursError(SLOT_CANCELLED)
    if slot.ends_at <= timezone.now():
        raise OfficeHoursError(ALREADY_HAPPENED)
    now, reason = timezone.now(), reason.strip()
    slot.cancelled_at, slot.cancel_reason = now, reason
    slot.save(update_fields=["cancelled_at", "cancel_reason"])
    booking = slot_booking(slot)
    if booking is not None:
        booking.cancelled_at, booking.cancelled_by, booking.cancel_reason = now, by, reason
        booking.save(update_fields=["cancelled_at", "cancelled_by", "cancel_reason"])
        recipients = [booking.booker]
        if by.pk != slot.host_id and user_is_staff(user=by):
            recipients.append(slot.host)
        _notify_cancelled(booking, by=by, recipients=recipients)
    return slot

"""Reads about office hours: the board of open slots, and each side's list."""

import datetime
from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from lms.calendars.entries import CalendarEntry
from lms.people.models import User

from .models import SLOT_MAX_MINUTES, Booking, Slot

BOARD_WEEKS_AHEAD = 6
RECENT_CANCELLATIONS = datetime.timedelta(days=14)
CALENDAR_HISTORY = datetime.timedelta(days=90)


def _active_bookings() -> Prefetch:
    return Prefetch(
        "bookings",
        queryset=Booking.objects.filter(cancelled_at__isnull=True).select_related("booker"),
        to_attr="active_bookings",
    )


def slot_booking(slot: Slot) -> Booking | None:
    """The slot's active booking; uses the prefetched ``active_bookings`` when there."""
    bookings = getattr(slot, "active_bookings", None)
    if bookings is None:
        return slot.bookings.filter(cancelled_at__isnull=True).select_related("booker").first()
    return bookings[0] if bookings else None


def overlapping_commitments(
    *, user: User, starts_at: datetime.datetime, ends_at: datetime.datetime
) -> list[Slot]:
    """Active slots this person booked or hosts that overlap the given time."""
    # Slots last at most an hour, so only those starting in the hour before can reach in.
    candidates = (
        Slot.objects.filter(
            cancelled_at__isnull=True,
            starts_at__lt=ends_at,
            starts_at__gt=starts_at - datetime.timedelta(minutes=SLOT_MAX_MINUTES),
        )
        .filter(Q(host=user) | Q(bookings__booker=user, bookings__cancelled_at__isnull=True))
        .distinct()
    )
    return [slot for slot in candidates if slot.ends_at > starts_at]


@dataclass
class HostSlots:
    host: User
    slots: list[Slot]

    @property
    def topics(self) -> list[str]:
        return list(dict.fromkeys(slot.topic for slot in self.slots))

    @property
    def places(self) -> list[str]:
        return list(dict.fromkeys(slot.location or "Online" for slot in self.slots))


@dataclass
class BoardDay:
    day: datetime.date
    hosts: list[HostSlots]


def open_slots_board(*, user: User) -> list[BoardDay]:
    """Open slots of the coming weeks, by day and then by host; a host's own slots left out."""
    now = timezone.now()
    slots = (
        Slot.objects.filter(
            cancelled_at__isnull=True,
            starts_at__gt=now,
            starts_at__lt=now + datetime.timedelta(weeks=BOARD_WEEKS_AHEAD),
        )
        .exclude(host=user)
        .filter(~Exists(Booking.objects.filter(slot=OuterRef("pk"), cancelled_at__isnull=True)))
        .select_related("host")
        .order_by("starts_at", "id")
    )
    board = []
    for day, day_slots in groupby(slots, key=lambda s: timezone.localtime(s.starts_at).date()):
        by_host: dict[int, HostSlots] = {}
        for slot in day_slots:
            by_host.setdefault(slot.host_id, HostSlots(host=slot.host, slots=[])).slots.append(slot)
        board.append(
            BoardDay(
                day=day,
                hosts=sorted(by_host.values(), key=lambda h: h.host.display_name.lower()),
            )
        )
    return board


def bookings_of(*, user: User) -> list[Booking]:
    """This person's upcoming bookings, and ones cancelled lately (so they see why)."""
    now = timezone.now()
    return list(
        Booking.objects.filter(booker=user)
        .filter(
            Q(cancelled_at__isnull=True, slot__starts_at__gt=now - datetime.timedelta(hours=1))
            | Q(cancelled_at__gte=now - RECENT_CANCELLATIONS, slot__starts_at__gt=now)
        )
        .select_related("slot__host", "cancelled_by")
        .order_by("slot__starts_at", "id")
    )


@dataclass
class HostDay:
    day: datetime.date
    slots: list[Slot] = field(default_factory=list)


def slots_hosted_by(*, host: User) -> list[HostDay]:
    """A host's slots from today on, by day, each with its active booking (if any)."""
    today_start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    slots = (
        Slot.objects.filter(host=host, starts_at__gte=today_start)
        .prefetch_related(_active_bookings())
        .order_by("starts_at", "id")
    )
    return [
        HostDay(day=day, slots=list(day_slots))
        for day, day_slots in groupby(slots, key=lambda s: timezone.localtime(s.starts_at).date())
    ]


def booked_slots_upcoming() -> QuerySet[Booking]:
    """Every upcoming active booking, for staff who may need to step in."""
    return (
        Booking.objects.filter(cancelled_at__isnull=True, slot__starts_at__gt=timezone.now())
        .select_related("slot__host", "booker")
        .order_by("slot__starts_at", "id")
    )


def booking_parties(*, booking: Booking) -> set[int]:
    return {booking.booker_id, booking.slot.host_id}


def calendar_entries(*, user: User) -> list[CalendarEntry]:
    """A booker's booked slots, and a host's slots (with who booked them), three months back on."""
    if not user.is_authenticated:
        return []
    since = timezone.now() - CALENDAR_HISTORY
    entries = []
    booked = (
        Booking.objects.filter(
            booker=user,
            cancelled_at__isnull=True,
            slot__cancelled_at__isnull=True,
            slot__starts_at__gte=since,
        )
        .select_related("slot__host")
        .order_by("slot__starts_at")
    )
    for booking in booked:
        slot = booking.slot
        entries.append(
            CalendarEntry(
                uid=f"office-hours-{slot.pk}",
                summary=f"Office hours with {slot.host.display_name}",
                start=slot.starts_at,
                end=slot.ends_at,
                description=f"{slot.topic}\nYou asked for help with: {booking.note}"
                + (f"\nCall: {slot.call_link}" if slot.call_link else ""),
                location=slot.location or slot.call_link,
                url=reverse("officehours:index"),
            )
        )
    hosted = (
        Slot.objects.filter(host=user, cancelled_at__isnull=True, starts_at__gte=since)
        .prefetch_related(_active_bookings())
        .order_by("starts_at")
    )
    for slot in hosted:
        booking = slot_booking(slot)
        summary = f"Office hours: {slot.topic}"
        description = "Open: nobody has booked this slot yet."
        if booking is not None:
            summary = f"Office hours with {booking.booker.display_name}"
            description = (
                f"{slot.topic}\n{booking.booker.display_name} asked for help with: {booking.note}"
            )
        entries.append(
            CalendarEntry(
                uid=f"office-hours-{slot.pk}",
                summary=summary,
                start=slot.starts_at,
                end=slot.ends_at,
                description=description,
                location=slot.location or slot.call_link,
                url=reverse("officehours:mine"),
            )
        )
    return sorted(entries, key=lambda entry: entry.start)

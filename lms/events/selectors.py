"""Reads about seminars and alumni weekends: places left, who is going, each person's listing."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from courses.models import SeminarPage
from courses.selectors import seminars_for
from lms.calendars.entries import CalendarEntry
from lms.people.models import User
from lms.people.permissions import user_is_staff

from .models import Rsvp
from .permissions import event_open_to, user_can_manage_event

CALENDAR_HISTORY = datetime.timedelta(days=90)
PAST_ATTENDED_LISTED = 20


def event_path(*, event: SeminarPage) -> str:
    """The event page's path on the site, for links in e-mails and calendars."""
    _, _, path = event.get_url_parts() or (None, None, "")
    return path or ""


def going_count(*, event: SeminarPage) -> int:
    return Rsvp.objects.filter(event=event, status=Rsvp.Status.GOING).count()


def places_left(*, event: SeminarPage, going: int | None = None) -> int | None:
    """Free places, or None when the event has no limit."""
    if event.capacity is None:
        return None
    going = going_count(event=event) if going is None else going
    return max(event.capacity - going, 0)


def rsvp_for(*, event: SeminarPage, person: User) -> Rsvp | None:
    return Rsvp.objects.filter(event=event, person=person).first()


def waitlist(*, event: SeminarPage) -> QuerySet[Rsvp]:
    """Waitlisted RSVPs, first to be promoted first."""
    return Rsvp.objects.filter(event=event, status=Rsvp.Status.WAITLISTED).order_by(
        "requested_at", "id"
    )


def waitlist_position(*, rsvp: Rsvp) -> int | None:
    """1 for the first person on the waitlist; None when not waitlisted."""
    if rsvp.status != Rsvp.Status.WAITLISTED:
        return None
    ahead = waitlist(event=rsvp.event).filter(
        Q(requested_at__lt=rsvp.requested_at) | Q(requested_at=rsvp.requested_at, id__lt=rsvp.id)
    )
    return ahead.count() + 1


@dataclass
class RsvpPanel:
    """What the RSVP box on an event page shows this person."""

    event: SeminarPage
    places_left: int | None
    going: int
    rsvp: Rsvp | None = None
    waitlist_position: int | None = None
    open_to_user: bool = False
    has_started: bool = False
    can_manage: bool = False

    @property
    def is_going(self) -> bool:
        return self.rsvp is not None and self.rsvp.status == Rsvp.Status.GOING

    @property
    def is_waitlisted(self) -> bool:
        return self.rsvp is not None and self.rsvp.status == Rsvp.Status.WAITLISTED

    @property
    def is_full(self) -> bool:
        return self.places_left == 0

    @property
    def action(self) -> str:
        """ "cancel", "rsvp", "waitlist", or "" when nothing can be done."""
        if self.has_started or not self.open_to_user:
            return ""
        if self.is_going or self.is_waitlisted:
            return "cancel"
        return "waitlist" if self.is_full else "rsvp"


def rsvp_panel(*, event: SeminarPage, user: User) -> RsvpPanel:
    """Places left, this person's RSVP and what they can do about it."""
    going = going_count(event=event)
    panel = RsvpPanel(
        event=event,
        going=going,
        places_left=places_left(event=event, going=going),
        has_started=event.starts_at <= timezone.now(),
    )
    if not user.is_authenticated:
        return panel
    panel.open_to_user = event_open_to(event=event, user=user)
    panel.can_manage = user_can_manage_event(user=user, event=event)
    panel.rsvp = rsvp_for(event=event, person=user)
    if panel.rsvp is not None:
        panel.waitlist_position = waitlist_position(rsvp=panel.rsvp)
    return panel


@dataclass
class EventItem:
    """An event in a list, with this person's RSVP state."""

    event: SeminarPage
    going: int
    places_left: int | None
    rsvp_status: str = ""
    can_manage: bool = False
    is_host: bool = False

    @property
    def rsvp_label(self) -> str:
        return Rsvp.Status(self.rsvp_status).label if self.rsvp_status else ""


@dataclass
class EventListing:
    upcoming: list[EventItem] = field(default_factory=list)
    hosting: list[EventItem] = field(default_factory=list)
    attended: list[SeminarPage] = field(default_factory=list)


def _going_counts(events: list[SeminarPage]) -> dict[int, int]:
    rows = (
        Rsvp.objects.filter(event__in=events, status=Rsvp.Status.GOING)
        .values("event")
        .annotate(n=Count("id"))
    )
    return {row["event"]: row["n"] for row in rows}


def _items(
    events: list[SeminarPage], *, user: User, staff: bool, hosted_ids: set[int]
) -> list[EventItem]:
    counts = _going_counts(events)
    statuses = dict(
        Rsvp.objects.filter(event__in=events, person=user).values_list("event", "status")
    )
    items = []
    for event in events:
        going = counts.get(event.pk, 0)
        items.append(
            EventItem(
                event=event,
                going=going,
                places_left=places_left(event=event, going=going),
                rsvp_status=statuses.get(event.pk, ""),
                can_manage=staff or event.pk in hosted_ids,
                is_host=event.pk in hosted_ids,
            )
        )
    return items


def events_for(*, user: User) -> EventListing:
    """Upcoming events open to this person, the ones they host, and past ones they came to."""
    upcoming, _ = seminars_for(user=user)
    staff = user_is_staff(user=user)
    hosted_ids = set(user.hosted_events.values_list("pk", flat=True))
    listing = EventListing(upcoming=_items(upcoming, user=user, staff=staff, hosted_ids=hosted_ids))
    hosted = list(
        SeminarPage.objects.live()
        .filter(pk__in=hosted_ids, ends_at__gte=timezone.now() - CALENDAR_HISTORY)
        .order_by("-starts_at")
    )
    listing.hosting = _items(hosted, user=user, staff=staff, hosted_ids=hosted_ids)
    listing.attended = list(
        SeminarPage.objects.live()
        .filter(rsvps__person=user, rsvps__attended=Rsvp.Attended.YES, ends_at__lt=timezone.now())
        .order_by("-starts_at")[:PAST_ATTENDED_LISTED]
    )
    return listing


@dataclass
class AttendeeList:
    event: SeminarPage
    going: list[Rsvp]
    waitlisted: list[Rsvp]
    cancelled_count: int
    places_left: int | None
    attendance_open: bool

    @property
    def attended_count(self) -> int:
        return sum(1 for rsvp in self.going if rsvp.attended == Rsvp.Attended.YES)


def attendance_opens_on(*, event: SeminarPage) -> datetime.date:
    return timezone.localtime(event.starts_at).date()


def attendee_list(*, event: SeminarPage) -> AttendeeList:
    """Who is going (by name), the waitlist in order, and whether attendance can be taken yet."""
    rsvps = list(
        Rsvp.objects.filter(event=event)
        .select_related("person", "attendance_marked_by")
        .order_by("requested_at", "id")
    )
    going = sorted(
        (r for r in rsvps if r.status == Rsvp.Status.GOING),
        key=lambda r: r.person.display_name.lower(),
    )
    return AttendeeList(
        event=event,
        going=going,
        waitlisted=[r for r in rsvps if r.status == Rsvp.Status.WAITLISTED],
        cancelled_count=sum(1 for r in rsvps if r.status == Rsvp.Status.CANCELLED),
        places_left=places_left(event=event, going=len(going)),
        attendance_open=timezone.localdate() >= attendance_opens_on(event=event),
    )


def calendar_entries(*, user: User) -> list[CalendarEntry]:
    """Events this person is going to, and the events they host, from three months back on."""
    if not user.is_authenticated:
        return []
    since = timezone.now() - CALENDAR_HISTORY
    events = (
        SeminarPage.objects.live()
        .filter(ends_at__gte=since)
        .filter(Q(rsvps__person=user, rsvps__status=Rsvp.Status.GOING) | Q(hosts=user))
        .distinct()
        .order_by("starts_at")
    )
    hosted_ids = set(user.hosted_events.values_list("pk", flat=True))
    entries = []
    for event in events:
        hosting = event.pk in hosted_ids
        description = f"{event.get_kind_display()} with {event.speaker_name}."
        if hosting:
            description += " You are hosting."
        if event.call_link:
            description += f"\nCall: {event.call_link}"
        entries.append(
            CalendarEntry(
                uid=f"event-{event.pk}",
                summary=event.title,
                start=event.starts_at,
                end=event.ends_at,
                description=description,
                location=event.location or event.call_link,
                url=event_path(event=event),
            )
        )
    return entries

"""Demo events: places and hosts on the demo seminars, RSVPs with a waitlist, and past attendance."""

import datetime

from django.db import transaction
from django.utils import timezone

from courses.demo.seminars import SEMINARS
from courses.models import SeminarPage
from lms.cohorts.models import Cohort
from lms.people.models import User

from .models import Rsvp
from .services import rsvp_request

# Who answered, in the order they asked: the seminar a few days off is nearly full, the
# residents-only one is full with two people waiting, the past one has attendance taken.
GOING = {
    "mapping-eviction-filings": [
        "aisha", "marcus", "lupe", "kai", "mei", "rosa", "tariq", "nia", "tanisha", "hector",
        "noor", "ivy",
    ],
    "accessible-forms": [
        "marcus", "lupe", "kai", "deshawn", "mei", "rosa", "tariq", "jess", "nia", "omar",
        "alex", "aisha",
    ],
    "alumni-weekend-first-jobs": ["tanisha", "hector", "ivy"],
}  # fmt: skip
PAST_ATTENDANCE = {
    "git-for-organizers": {
        "aisha": True, "marcus": True, "lupe": True, "kai": True, "deshawn": False,
        "mei": True, "rosa": True, "jess": False, "tanisha": True,
    },
}  # fmt: skip


def _places_and_hosts(users: dict[str, User]) -> dict[str, SeminarPage]:
    """Give each demo seminar its kind, capacity and hosts, as a published revision."""
    events = {}
    for data in SEMINARS:
        event = SeminarPage.objects.filter(slug=data["slug"]).first()
        if event is None:
            continue
        hosts = [users[name] for name in data.get("hosts", [])]
        wanted = (data.get("kind", "seminar"), data.get("capacity"))
        current_hosts = set(event.hosts.values_list("pk", flat=True))
        if (event.kind, event.capacity) != wanted or current_hosts != {h.pk for h in hosts}:
            event.kind, event.capacity = wanted
            event.hosts = hosts
            event.save_revision(user=users["jordan"]).publish(user=users["jordan"])
        events[data["slug"]] = event
    return events


def _past_attendance(event: SeminarPage, marks: dict[str, bool], users: dict[str, User]) -> None:
    """RSVPs and marks of a seminar that already happened, written as the host left them."""
    host = event.hosts.first()
    requested_at = event.starts_at - datetime.timedelta(days=6)
    for name, came in marks.items():
        Rsvp.objects.get_or_create(
            event=event,
            person=users[name],
            defaults={
                "status": Rsvp.Status.GOING,
                "requested_at": requested_at,
                "attended": Rsvp.Attended.YES if came else Rsvp.Attended.NO,
                "attendance_marked_by": host,
                "attendance_marked_at": event.ends_at,
            },
        )


@transaction.atomic
def demo_load(
    *, today: datetime.date, cohort: Cohort, alumni_cohort: Cohort, users: dict[str, User]
) -> None:
    """Places, hosts, RSVPs and attendance for the demo seminars; a second run changes nothing."""
    events = _places_and_hosts(users)
    now = timezone.now()
    for slug, names in GOING.items():
        event = events.get(slug)
        if event is None or event.starts_at <= now:
            continue
        answered = set(Rsvp.objects.filter(event=event).values_list("person__username", flat=True))
        for name in names:
            if name not in answered:
                rsvp_request(event=event, person=users[name])
    for slug, marks in PAST_ATTENDANCE.items():
        event = events.get(slug)
        if event is not None and event.ends_at < now:
            _past_attendance(event, marks, users)

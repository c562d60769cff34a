"""Demo office hours: two alumni and the program director hold weekly slots this week and next,
and several Cohort 7 residents have booked some of them."""

import datetime

from django.db import transaction
from django.utils import timezone

from lms.cohorts.models import Cohort
from lms.people.models import User

from .models import Booking, Slot

# host: (weekday, first start, minutes each, slots in a row, topic, location, call link)
SERIES = {
    "tanisha": (
        1, (16, 0), 30, 4, "Portfolio reviews and first-job questions", "",
        "https://meet.jit.si/commons-code-tanisha",
    ),
    "hector": (
        2, (17, 30), 30, 3, "Debugging: bring a stuck notebook or a failing test",
        "Lab B, 3rd floor", "",
    ),
    "jordan": (
        3, (12, 15), 30, 2, "Residency questions: commitments, accommodations, anything",
        "Staff office, room 204", "",
    ),
}  # fmt: skip

# (host, week 0 = this week / 1 = next, slot index in the row): (resident, what they want)
BOOKINGS = {
    ("tanisha", 0, 0): ("aisha", "Which of my projects should lead my portfolio?"),
    ("tanisha", 0, 1): ("marcus", "Practising how to talk about the field project in interviews."),
    ("tanisha", 1, 2): ("lupe", "Feedback on my résumé before the alumni weekend."),
    ("hector", 0, 0): ("kai", "My pandas merge duplicates rows and I cannot see why."),
    ("hector", 1, 1): ("mei", "The week 6 notebook's hidden tests fail on dates."),
    ("jordan", 1, 0): ("rosa", "Moving my post-residency hours around a new job."),
}


def _starts_at(monday: datetime.date, weekday: int, start: tuple[int, int], offset: int):
    day = monday + datetime.timedelta(days=weekday)
    first = timezone.make_aware(datetime.datetime.combine(day, datetime.time(*start)))
    return first + datetime.timedelta(minutes=offset)


@transaction.atomic
def demo_load(
    *, today: datetime.date, cohort: Cohort, alumni_cohort: Cohort, users: dict[str, User]
) -> None:
    """Slots this week and next, some booked; a second run finds them and changes nothing.

    Slots earlier this week are kept as they happened, so hosts' history looks lived in.
    """
    # On a weekend, "this week" is the one starting on Monday, as on the residents' dashboard.
    focus = today if today.weekday() < 5 else today + datetime.timedelta(days=7 - today.weekday())
    this_monday = focus - datetime.timedelta(days=focus.weekday())
    for host_name, series in SERIES.items():
        weekday, start, minutes, in_a_row, topic, location, call_link = series
        host = users[host_name]
        for week in (0, 1):
            monday = this_monday + datetime.timedelta(weeks=week)
            for index in range(in_a_row):
                slot, _ = Slot.objects.get_or_create(
                    host=host,
                    starts_at=_starts_at(monday, weekday, start, index * minutes),
                    defaults={
                        "length_minutes": minutes,
                        "topic": topic,
                        "location": location,
                        "call_link": call_link,
                    },
                )
                booked = BOOKINGS.get((host_name, week, index))
                if booked and not slot.bookings.exists():
                    name, note = booked
                    Booking.objects.create(slot=slot, booker=users[name], note=note)

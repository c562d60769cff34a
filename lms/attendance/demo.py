"""Demo attendance: Cohort 7's class days and calls of weeks 1 to 5, with Omar often away."""

import datetime
import random

from django.db import transaction

from lms.cohorts.models import Cohort
from lms.cohorts.selectors import cohort_week_number
from lms.people.models import User

from .models import Session, SessionKind, Status
from .services import attendance_mark_session, session_cancel, sessions_ensure

MARKED_WEEKS = range(1, 6)
CANCELLED_CALL_WEEK = 3
LATE_NOTES = ["Bus was late", "Train delay", "Dropped kids at school", ""]
ABSENT_NOTES = ["No call or message", "", "Called in sick"]
EXCUSED_NOTES = ["Doctor's appointment", "Family emergency", "Court date, told us ahead"]
# (absent, late, excused) chances for a class day; Omar is the resident staff worry about.
USUAL_ODDS = (0.03, 0.06, 0.02)
OMAR_ODDS = (0.24, 0.15, 0.03)


def _status(rng: random.Random, odds: tuple[float, float, float]) -> tuple[str, str]:
    roll = rng.random()
    absent, late, excused = odds
    if roll < absent:
        return Status.ABSENT, rng.choice(ABSENT_NOTES)
    if roll < absent + late:
        return Status.LATE, rng.choice(LATE_NOTES)
    if roll < absent + late + excused:
        return Status.EXCUSED, rng.choice(EXCUSED_NOTES)
    return Status.PRESENT, ""


@transaction.atomic
def demo_load(
    *, today: datetime.date, cohort: Cohort, alumni_cohort: Cohort, users: dict[str, User]
) -> None:
    """Mark weeks 1 to 5 of Cohort 7 (a second run finds them marked and changes nothing)."""
    sessions_ensure(cohort=cohort)
    sessions_ensure(cohort=alumni_cohort)
    residents = list(User.objects.filter(enrollment__cohort=cohort).order_by("username"))
    staff = users["jordan"]
    for session in Session.objects.filter(cohort=cohort).order_by("starts_at"):
        week = cohort_week_number(cohort=cohort, on=session.scheduled_on)
        if week not in MARKED_WEEKS or session.scheduled_on >= today:
            continue
        if session.kind == SessionKind.COMMUNITY_CALL and week == CANCELLED_CALL_WEEK:
            session_cancel(session=session)
            continue
        if session.marks.exists():
            continue
        rng = random.Random(f"{cohort.slug}-{session.kind}-{session.scheduled_on}")
        marks = {}
        for resident in residents:
            odds = OMAR_ODDS if resident.username == "omar" else USUAL_ODDS
            if session.kind == SessionKind.COMMUNITY_CALL:
                odds = (odds[0] + 0.12, odds[1], odds[2])
            marks[resident.pk] = _status(rng, odds)
        attendance_mark_session(
            session=session,
            marks=marks,
            marked_by=staff,
            now=session.starts_at + datetime.timedelta(minutes=45),
        )

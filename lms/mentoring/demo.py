"""Demo check-ins: Cohort 7's weekly log with missed weeks, one open and one resolved concern."""

import datetime

from django.utils import timezone

from lms.cohorts.models import Cohort, MentorPairing
from lms.people.models import User

from .models import Channel, CheckIn
from .services import check_in_log, concern_resolve

# Each mentor has a regular day: Tuesday, Wednesday or Thursday.
MENTOR_WEEKDAY = {"priya": 1, "sam": 2, "dana": 3}
MENTOR_CHANNEL = {"priya": Channel.VIDEO, "sam": Channel.IN_PERSON, "dana": Channel.PHONE}

# (resident, weeks ago) with no check-in, counted back from the current calendar week so the
# demo looks the same whatever day it is loaded: a busy week, a cancelled call, two drifting off.
MISSED = {
    ("lupe", 0), ("lupe", 1), ("lupe", 2),
    ("omar", 0), ("omar", 1), ("omar", 2),
    ("nia", 0), ("mei", 0), ("alex", 1), ("rosa", 2), ("jess", 3), ("tariq", 4),
}  # fmt: skip

NOTES = [
    "Talked through the week's lessons. Feels solid on loops, wants more practice reading error "
    "messages. Suggested doing one kata a day before class.",
    "Mostly about life outside class: commute is 80 minutes each way. We sketched a study plan "
    "that uses the bus time for reading.",
    "Walked through their problem set together. Strong instinct for breaking a problem down; "
    "rushes the tests. Agreed to write the test first next week.",
    "Imposter-syndrome week. Shared my own first-job story. Reminded them the cohort is "
    "supposed to find this hard.",
    "Pair-programmed a small script to clean their spreadsheet of pantry volunteers. Lit up "
    "when it worked. Good sign for the field project.",
    "Short call, they were tired. Checked they are eating and sleeping. Will follow up Friday.",
]

OPEN_CONCERN = ("deshawn", 1, "missed two classes after a shift change at work")
RESOLVED_CONCERN = (
    "kai",
    3,
    "laptop keeps crashing; can't run the notebooks",
    "Loaned Kai a program laptop and set up JupyterHub on it; back on track by Monday.",
)


def _log_once(pairing: MentorPairing, met_on: datetime.date, **fields) -> CheckIn:
    existing = CheckIn.objects.filter(pairing=pairing, met_on=met_on).first()
    return existing or check_in_log(pairing=pairing, mentor=pairing.mentor, met_on=met_on, **fields)


def _weekly_log(today: datetime.date, cohort: Cohort, staff: User) -> None:
    this_monday = today - datetime.timedelta(days=today.weekday())
    pairings = MentorPairing.objects.filter(cohort=cohort).select_related("mentor", "resident")
    for index, pairing in enumerate(pairings.order_by("resident__username")):
        resident = pairing.resident.username
        weekday = MENTOR_WEEKDAY.get(pairing.mentor.username, 2)
        for weeks_ago in range(cohort.weeks):
            met_on = this_monday - datetime.timedelta(weeks=weeks_ago) + datetime.timedelta(weekday)
            if met_on < cohort.start_date:
                break
            if met_on > today or (resident, weeks_ago) in MISSED:
                continue
            concern_text = ""
            # Loaded again on a later day, the demo keeps its one concern per resident.
            if (resident, weeks_ago) in {OPEN_CONCERN[:2], RESOLVED_CONCERN[:2]} and not (
                pairing.check_ins.filter(concern=True).exists()
            ):
                concern_text = (
                    OPEN_CONCERN[2] if resident == OPEN_CONCERN[0] else RESOLVED_CONCERN[2]
                )
            check_in = _log_once(
                pairing, met_on,
                channel=Channel.CHAT if (index + weeks_ago) % 5 == 0 else MENTOR_CHANNEL.get(
                    pairing.mentor.username, Channel.VIDEO
                ),
                duration_minutes=(20, 30, 45, 30, 60)[(index + weeks_ago) % 5],
                notes=NOTES[(index * 2 + weeks_ago) % len(NOTES)],
                concern=bool(concern_text), concern_text=concern_text,
            )  # fmt: skip
            if resident == RESOLVED_CONCERN[0] and check_in.concern_open:
                concern_resolve(check_in=check_in, staff=staff, resolution_note=RESOLVED_CONCERN[3])
                # The demo's resolution happened two days after the flag, not when the demo loaded.
                resolved_at = timezone.make_aware(
                    datetime.datetime.combine(
                        met_on + datetime.timedelta(days=2), datetime.time(11)
                    )
                )
                CheckIn.objects.filter(pk=check_in.pk).update(resolved_at=resolved_at)


def _monthly_log(today: datetime.date, alumni_cohort: Cohort) -> None:
    """Post-residency mentees meet less often: one recent call each."""
    pairings = MentorPairing.objects.filter(cohort=alumni_cohort).select_related("mentor")
    for index, pairing in enumerate(pairings.order_by("resident__username")):
        _log_once(
            pairing, today - datetime.timedelta(days=9 + 4 * index),
            channel=Channel.VIDEO, duration_minutes=45,
            notes="Job-search check-in: reviewed their portfolio and two applications. "
            "Still doing the post-residency hours at the food bank.",
        )  # fmt: skip


def demo_load(
    *, today: datetime.date, cohort: Cohort, alumni_cohort: Cohort, users: dict[str, User]
) -> None:
    """Fill the check-in log of both cohorts; a second run on the same day changes nothing."""
    _weekly_log(today, cohort, users["jordan"])
    _monthly_log(today, alumni_cohort)

"""Demo hours: Cohort 6's alumni, one on track, one behind, one ahead, one who skipped a month."""

import datetime
import random
from decimal import ROUND_CEILING, Decimal

from django.db import transaction

from lms.cohorts.models import Cohort
from lms.people.models import User

from .models import HoursEntry, HoursKind
from .selectors import CommitmentMonth, commitment_months
from .services import hours_entry_create

# Hours each alumna gives in a whole month; None for a month she logged nothing.
MONTHLY_HOURS = {
    "tanisha": lambda number, last: Decimal("10.5") if number % 2 else Decimal(10),
    "hector": lambda number, last: Decimal("5.5") if number % 2 else Decimal("4.5"),
    "ivy": lambda number, last: Decimal("14.5") + number % 3,
    "noor": lambda number, last: None if number == last else Decimal(11),
}
OTHER_KINDS = [
    (HoursKind.MENTOR_CONTACT, "Check-in with my mentor"),
    (HoursKind.OFFICE_HOURS, "Office hours: debugging help"),
    (HoursKind.MENTORING, "Pairing with a Cohort 7 resident"),
    (HoursKind.GUEST_INSTRUCTION, "Guest session on APIs"),
]
CALL_WEEKDAY = 2


def _quarters_up(value: Decimal) -> Decimal:
    """Rounded up to a quarter hour, so a share of a month on pace stays on pace."""
    return (value * 4).to_integral_value(rounding=ROUND_CEILING) / 4


def _month_plan(
    rng: random.Random, month: CommitmentMonth, hours: Decimal, today: datetime.date
) -> list[tuple[datetime.date, str, Decimal, str]]:
    """Weekly half-hour calls, then the rest in 1- to 3-hour pieces, only on days gone by."""
    last_day = min(month.end, today - datetime.timedelta(days=1))
    if last_day < month.start:
        return []
    share = Decimal((last_day - month.start).days + 1) / month.days
    remaining = _quarters_up(hours * share)
    plan = []
    day = month.start
    while day <= last_day and remaining >= Decimal("0.5"):
        if day.weekday() == CALL_WEEKDAY:
            plan.append((day, HoursKind.COMMUNITY_CALL, Decimal("0.5"), "Weekly community call"))
            remaining -= Decimal("0.5")
        day += datetime.timedelta(days=1)
    span = (last_day - month.start).days
    while remaining > 0:
        piece = min(remaining, Decimal(rng.choice([1, 1.5, 2, 2.5, 3])))
        kind, note = rng.choice(OTHER_KINDS)
        plan.append(
            (month.start + datetime.timedelta(days=rng.randint(0, span)), kind, piece, note)
        )
        remaining -= piece
    return plan


@transaction.atomic
def demo_load(
    *, today: datetime.date, cohort: Cohort, alumni_cohort: Cohort, users: dict[str, User]
) -> None:
    """Log Cohort 6's hours so far; alumni who already have entries are left alone."""
    months = [m for m in commitment_months(cohort=alumni_cohort) if m.start < today]
    if not months:
        return
    last_full = months[-1].number - 1 if months[-1].end >= today else months[-1].number
    for username, monthly in MONTHLY_HOURS.items():
        person = users[username]
        if HoursEntry.objects.filter(person=person).exists():
            continue
        for month in months:
            hours = monthly(month.number, last_full)
            if hours is None:
                continue
            rng = random.Random(f"{username}-{month.number}")
            # Each entry is logged on the day it was given, as if she kept her log up to date:
            # months that are closed today were open then.
            for day, kind, piece, note in _month_plan(rng, month, hours, today):
                hours_entry_create(
                    person=person, date=day, kind=kind, hours=piece, note=note, today=day
                )

"""Writes about the post-residency commitment: alumni log, change and delete their hours."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from lms.people.models import User

from .models import MAX_HOURS_PER_ENTRY, HoursEntry, HoursKind
from .selectors import commitment_cohort, commitment_months, editable_months, open_months_text

NOT_AN_ALUMNUS = "Hours are logged by alumni, once their cohort has graduated."
BEFORE_GRADUATION = "Hours count from {first:%B %-d, %Y}, the day after graduation; {day:%B %-d, %Y} is before that."
AFTER_COMMITMENT = "The commitment ended on {last:%B %-d, %Y}; {day:%B %-d, %Y} is after it."
IN_FUTURE = "{day:%B %-d, %Y} is in the future: log hours once you have given them."
HOURS_OUT_OF_RANGE = (
    "An entry is more than 0 and at most 12 hours; split a longer stretch over its days."
)
NOT_QUARTER_HOURS = "Log hours in quarter-hour steps (0.25, 0.5, 0.75, 1 …); {hours} is not one."
UNKNOWN_KIND = "{kind!r} is not a kind of hours."
MONTH_CLOSED = (
    "Entries can be changed only in the current month and the month before; "
    "month {number} ({start:%b %-d} – {end:%b %-d}) is closed."
)
MONTH_CLOSED_FOR_LOGGING = (
    "Month {number} ({start:%b %-d} – {end:%b %-d}) is closed: hours can be logged only in {open}."
)
ALL_MONTHS_CLOSED = "Every month of the commitment is closed now; hours can no longer be logged."


def _checked_hours(hours) -> Decimal:
    try:
        value = Decimal(str(hours))
    except InvalidOperation:
        raise ValidationError({"hours": NOT_QUARTER_HOURS.format(hours=hours)}) from None
    if not value.is_finite() or value <= 0 or value > MAX_HOURS_PER_ENTRY:
        raise ValidationError({"hours": HOURS_OUT_OF_RANGE})
    if (value * 4) % 1 != 0:
        raise ValidationError({"hours": NOT_QUARTER_HOURS.format(hours=value.normalize())})
    return value


def _checked_day(person: User, day: datetime.date, today: datetime.date):
    cohort = commitment_cohort(user=person)
    if cohort is None:
        raise ValidationError(NOT_AN_ALUMNUS)
    months = commitment_months(cohort=cohort)
    if day < months[0].start:
        raise ValidationError({"date": BEFORE_GRADUATION.format(first=months[0].start, day=day)})
    if day > months[-1].end:
        raise ValidationError({"date": AFTER_COMMITMENT.format(last=months[-1].end, day=day)})
    if day > today:
        raise ValidationError({"date": IN_FUTURE.format(day=day)})
    return months


def _require_open(months, day: datetime.date, today: datetime.date) -> None:
    if not any(m.holds(day) for m in editable_months(months=months, today=today)):
        month = next(m for m in months if m.holds(day))
        raise ValidationError(
            MONTH_CLOSED.format(number=month.number, start=month.start, end=month.end)
        )


def _require_open_for_logging(months, day: datetime.date, today: datetime.date) -> None:
    """New hours go only into a month the hours page shows as open, and the refusal names those."""
    open_months = editable_months(months=months, today=today)
    if any(m.holds(day) for m in open_months):
        return
    if not open_months:
        raise ValidationError({"date": ALL_MONTHS_CLOSED})
    month = next(m for m in months if m.holds(day))
    raise ValidationError(
        {
            "date": MONTH_CLOSED_FOR_LOGGING.format(
                number=month.number,
                start=month.start,
                end=month.end,
                open=open_months_text(open_months=open_months),
            )
        }
    )


def _checked_kind_and_hours(kind: str, hours):
    """The entry's kind must be one of the commitment's; returns the hours as a checked Decimal."""
    if kind not in HoursKind.values:
        raise ValidationError({"kind": UNKNOWN_KIND.format(kind=kind)})
    return _checked_hours(hours)


@transaction.atomic
def hours_entry_create(
    *,
    person: User,
    date: datetime.date,
    kind: str,
    hours,
    note: str = "",
    today: datetime.date | None = None,
) -> HoursEntry:
    """Log hours an alumna gave on a day of her commitment, up to today, in a month still open."""
    today = today or timezone.localdate()
    value = _checked_kind_and_hours(kind, hours)
    months = _checked_day(person, date, today)
    _require_open_for_logging(months, date, today)
    entry = HoursEntry(person=person, date=date, kind=kind, hours=value, note=note.strip())
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def hours_entry_update(
    *,
    entry: HoursEntry,
    date: datetime.date,
    kind: str,
    hours,
    note: str = "",
    today: datetime.date | None = None,
) -> HoursEntry:
    """Change an entry of the current or previous month, keeping it within those months."""
    today = today or timezone.localdate()
    value = _checked_kind_and_hours(kind, hours)
    months = _checked_day(entry.person, entry.date, today)
    _require_open(months, entry.date, today)
    _checked_day(entry.person, date, today)
    _require_open(months, date, today)
    entry.date, entry.kind, entry.hours, entry.note = date, kind, value, note.strip()
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def hours_entry_delete(*, entry: HoursEntry, today: datetime.date | None = None) -> None:
    """Delete an entry of the current or previous month."""
    today = today or timezone.localdate()
    months = _checked_day(entry.person, entry.date, today)
    _require_open(months, entry.date, today)
    entry.delete()

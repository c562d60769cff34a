"""Reads about the post-residency commitment: its months, the 10-hour rule, and who is behind."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from lms.cohorts.models import Cohort, Phase
from lms.cohorts.selectors import _add_months, cohort_end_date, cohort_for_resident, cohort_phase
from lms.people.models import User

from .models import HoursEntry, HoursKind

HOURS_PER_MONTH = Decimal(10)
PACE_RULE = (
    "A month is met at 10 hours. A past month under 10 hours is behind. The current month is "
    "behind when its hours are under its share of 10 for the days already gone (for example, "
    "under 5 hours halfway through)."
)


class MonthStatus:
    MET = "met"
    BEHIND = "behind"
    BEHIND_PACE = "behind_pace"
    IN_PROGRESS = "in_progress"
    UPCOMING = "upcoming"

    LABELS = {
        MET: "Met",
        BEHIND: "Behind",
        BEHIND_PACE: "Behind pace",
        IN_PROGRESS: "In progress",
        UPCOMING: "Upcoming",
    }
    FLAGGED = (BEHIND, BEHIND_PACE)


@dataclass(frozen=True)
class CommitmentMonth:
    """Month ``number`` (1-based) of the commitment: ``start`` and ``end`` both included."""

    number: int
    start: datetime.date
    end: datetime.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def holds(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end


def commitment_months(*, cohort: Cohort) -> list[CommitmentMonth]:
    """The commitment's months: month 1 starts the day after graduation.

    Every boundary is counted from graduation day itself, so a graduation on the 31st ends
    month 1 on the last day of a short month and month 2 on the 31st again, without drift.
    """
    graduation = cohort_end_date(cohort=cohort)
    return [
        CommitmentMonth(
            number=number,
            start=_add_months(graduation, number - 1) + datetime.timedelta(days=1),
            end=_add_months(graduation, number),
        )
        for number in range(1, cohort.post_residency_months + 1)
    ]


def month_status(*, hours: Decimal, month: CommitmentMonth, today: datetime.date) -> str:
    """Where a month stands against the 10-hour rule (see ``PACE_RULE``).

    Reaching 10 hours meets a month at any time. Before the month starts it is upcoming;
    after it ends, under 10 is behind. During it, the target so far is 10 hours times the
    share of the month's days gone before today, so nobody is behind on a month's first day.
    """
    if hours >= HOURS_PER_MONTH:
        return MonthStatus.MET
    if today < month.start:
        return MonthStatus.UPCOMING
    if today > month.end:
        return MonthStatus.BEHIND
    days_gone = (today - month.start).days
    if hours * month.days < HOURS_PER_MONTH * days_gone:
        return MonthStatus.BEHIND_PACE
    return MonthStatus.IN_PROGRESS


def month_shortfall(*, hours: Decimal, month: CommitmentMonth, today: datetime.date) -> Decimal:
    """Hours short of where the rule wants this month to be today (0 when not behind)."""
    if today < month.start:
        return Decimal(0)
    if today > month.end:
        target = HOURS_PER_MONTH
    else:
        target = HOURS_PER_MONTH * (today - month.start).days / month.days
    return max(Decimal(0), target - hours).quantize(Decimal("0.01"))


def current_month_number(*, months: list[CommitmentMonth], today: datetime.date) -> int | None:
    return next((m.number for m in months if m.holds(today)), None)


def editable_months(
    *, months: list[CommitmentMonth], today: datetime.date
) -> list[CommitmentMonth]:
    """The months whose entries can still be changed: the current one and the one before.

    After the last month ends, that last month stays open for one more month's length, so
    a late correction is still possible.
    """
    past_or_current = [m for m in months if m.start <= today]
    if not past_or_current:
        return []
    last = past_or_current[-1]
    if today > last.end:
        closes = _add_months(last.end, 1)
        return [last] if today <= closes else []
    return past_or_current[-2:]


def open_months_text(*, open_months: list[CommitmentMonth]) -> str:
    """How the hours page names the open months: "this month and last month", "month 8", or ""."""
    if len(open_months) == 2:
        return "this month and last month"
    if open_months:
        return f"month {open_months[0].number}"
    return ""


def commitment_cohort(*, user: User) -> Cohort | None:
    """The cohort whose commitment this person owes: theirs, once it has graduated."""
    cohort = cohort_for_resident(user=user)
    if cohort is None or cohort_phase(cohort=cohort) not in (Phase.POST_RESIDENCY, Phase.ALUMNI):
        return None
    return cohort


@dataclass
class MonthSummary:
    month: CommitmentMonth
    hours: Decimal
    status: str
    by_kind: list[tuple[str, Decimal]]
    entries: list[HoursEntry]
    editable: bool
    current: bool

    @property
    def label(self) -> str:
        return MonthStatus.LABELS[self.status]

    @property
    def flagged(self) -> bool:
        return self.status in MonthStatus.FLAGGED

    @property
    def percent(self) -> int:
        return min(100, int(self.hours * 100 / HOURS_PER_MONTH))


def _month_of(months: list[CommitmentMonth], day: datetime.date) -> CommitmentMonth | None:
    return next((m for m in months if m.holds(day)), None)


def alumna_months(
    *, person: User, cohort: Cohort, today: datetime.date | None = None
) -> list[MonthSummary]:
    """Her months with hours logged, the hours by kind, the entries, and each month's status."""
    today = today or timezone.localdate()
    months = commitment_months(cohort=cohort)
    editable = {m.number for m in editable_months(months=months, today=today)}
    entries: dict[int, list[HoursEntry]] = {m.number: [] for m in months}
    for entry in HoursEntry.objects.filter(
        person=person, date__gte=months[0].start, date__lte=months[-1].end
    ).order_by("-date", "-created_at"):
        entries[_month_of(months, entry.date).number].append(entry)
    labels = dict(HoursKind.choices)
    summaries = []
    for month in months:
        kinds: dict[str, Decimal] = {}
        for entry in entries[month.number]:
            kinds[entry.kind] = kinds.get(entry.kind, Decimal(0)) + entry.hours
        hours = sum(kinds.values(), Decimal(0))
        summaries.append(
            MonthSummary(
                month=month,
                hours=hours,
                status=month_status(hours=hours, month=month, today=today),
                by_kind=[(labels[k], v) for k, v in sorted(kinds.items(), key=lambda kv: -kv[1])],
                entries=entries[month.number],
                editable=month.number in editable,
                current=month.holds(today),
            )
        )
    return summaries


@dataclass
class GridRow:
    person: User
    cells: list[MonthSummary] = field(default_factory=list)
    total: Decimal = Decimal(0)
    shortfall: Decimal = Decimal(0)

    @property
    def months_behind(self) -> int:
        return sum(1 for cell in self.cells if cell.flagged)


@dataclass
class HoursGrid:
    cohort: Cohort
    months: list[CommitmentMonth]
    rows: list[GridRow]
    current: int | None


def cohort_hours_grid(
    *, cohort: Cohort, today: datetime.date | None = None, sort: str = "name"
) -> HoursGrid:
    """Alumni × months with totals and behind flags, in two queries.

    ``shortfall`` adds up the hours each person is short of the rule so far; ``sort="behind"``
    puts the furthest behind first.
    """
    today = today or timezone.localdate()
    months = commitment_months(cohort=cohort)
    people = list(
        User.objects.filter(enrollment__cohort=cohort).order_by("first_name", "last_name")
    )
    sums: dict[tuple[int, int], Decimal] = {}
    for row in (
        HoursEntry.objects.filter(
            person__enrollment__cohort=cohort, date__gte=months[0].start, date__lte=months[-1].end
        )
        .values("person_id", "date")
        .annotate(hours=Sum("hours"))
    ):
        month = _month_of(months, row["date"])
        key = (row["person_id"], month.number)
        sums[key] = sums.get(key, Decimal(0)) + row["hours"]
    rows = []
    for person in people:
        row = GridRow(person=person)
        for month in months:
            hours = sums.get((person.pk, month.number), Decimal(0))
            row.cells.append(
                MonthSummary(
                    month=month,
                    hours=hours,
                    status=month_status(hours=hours, month=month, today=today),
                    by_kind=[],
                    entries=[],
                    editable=False,
                    current=month.holds(today),
                )  # fmt: skip
            )
            row.total += hours
            row.shortfall += month_shortfall(hours=hours, month=month, today=today)
        rows.append(row)
    if sort == "behind":
        rows.sort(key=lambda r: (-r.shortfall, r.total))
    return HoursGrid(
        cohort=cohort,
        months=months,
        rows=rows,
        current=current_month_number(months=months, today=today),
    )


def grid_csv_rows(*, grid: HoursGrid) -> list[list[str]]:
    """The grid as CSV rows: a header, then hours per month, total, months behind, shortfall."""
    header = (
        ["username", "name", "email"]
        + [f"month {m.number} ({m.start:%Y-%m-%d} to {m.end:%Y-%m-%d})" for m in grid.months]
        + ["total hours", "months behind", "hours short so far"]
    )
    return [header] + [
        [
            row.person.username,
            row.person.get_full_name(),
            row.person.email,
            *(f"{cell.hours:.2f}" for cell in row.cells),
            f"{row.total:.2f}",
            str(row.months_behind),
            f"{row.shortfall:.2f}",
        ]
        for row in grid.rows
    ]


def graduated_cohorts() -> list[Cohort]:
    """Cohorts past graduation, newest first: those with a commitment running or done."""
    today = timezone.localdate()
    return [c for c in Cohort.objects.order_by("-start_date") if cohort_end_date(cohort=c) < today]

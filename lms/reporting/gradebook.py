"""The staff gradebook: a cohort's residents by its assignments, in a fixed number of queries.

It sits above grading and the program apps, the one place that composes them:
a composition over the standings read model (``assignments.selectors.standings``), which
applies the grading policy to every resident and assignment, with the
attendance and mentoring figures the at-risk rule needs. Six queries whatever
the cohort's size; the rest is arithmetic in Python, so 100 residents by 80
assignments costs the same round trips as 3 by 2.
"""

import datetime
from dataclasses import dataclass, field, replace

from django.utils import timezone

from assignments import policy
from assignments.models import Assignment
from assignments.policy import State as CellState
from assignments.selectors.standings import Standing, standings
from lms.attendance.selectors import attendance_rates
from lms.cohorts.models import Cohort
from lms.cohorts.selectors import cohort_residents
from lms.mentoring.selectors import open_concerns

#: A gradebook cell is a resident's standing on one assignment.
Cell = Standing


@dataclass(frozen=True)
class AtRiskRule:
    """Staff's rule for "falling behind": too many missing, or a low score over recent weeks."""

    missing: int = 2
    percent: float = 60.0
    weeks: int = 2
    attendance: float = 80.0

    def describe(self) -> str:
        weeks = f"{self.weeks} week{'s' if self.weeks != 1 else ''}"
        return (
            f"{self.missing} or more assignments missing, under {self.percent:g}% "
            f"on the work due in the last {weeks}, or at under {self.attendance:g}% "
            f"of the class days marked in the last {weeks}"
        )


@dataclass
class Row:
    resident: object
    cells: list[Cell]
    earned: float = 0.0
    possible: float = 0.0
    missing: int = 0
    recent_percent: float | None = None
    attendance_percent: float | None = None
    reasons: list[str] = field(default_factory=list)
    concerns: list[str] = field(default_factory=list)

    @property
    def at_risk(self) -> bool:
        return bool(self.reasons)

    @property
    def percent(self) -> float | None:
        return policy.percent(self.earned, self.possible)


@dataclass
class Column:
    assignment: Assignment
    week: int
    counts: dict[CellState, int]
    mean_score: float | None


@dataclass
class Overview:
    cohort: Cohort
    rule: AtRiskRule
    columns: list[Column]
    rows: list[Row]

    @property
    def weeks(self) -> list[tuple[int, list[Column]]]:
        grouped: dict[int, list[Column]] = {}
        for column in self.columns:
            grouped.setdefault(column.week, []).append(column)
        return sorted(grouped.items())


def cohort_overview(
    *, cohort: Cohort, rule: AtRiskRule | None = None, now: datetime.datetime | None = None
) -> Overview:
    rule = rule or AtRiskRule()
    now = now or timezone.now()
    residents = cohort_residents(cohort=cohort)
    grid = standings(cohort=cohort, residents=residents, now=now)
    recent_from = now - datetime.timedelta(weeks=rule.weeks)
    attendance = attendance_rates(
        cohort=cohort, since=timezone.localdate(recent_from), until=timezone.localdate(now)
    )
    concerns = open_concerns(cohort=cohort)
    rows = []
    for resident in residents:
        row = _row(resident, grid.of(resident.pk), rule, recent_from, now)
        rate = attendance.get(resident.pk)
        row.attendance_percent = None if rate is None else round(rate, 1)
        if rate is not None and rate < rule.attendance:
            row.reasons.append(
                f"attended {row.attendance_percent:g}% of the last {rule.weeks} weeks"
            )
        row.concerns = concerns.get(resident.pk, [])
        rows.append(row)
    columns = [
        _column(a, grid.weeks[a.pk], [row.cells[i] for row in rows])
        for i, a in enumerate(grid.assignments)
    ]
    return Overview(cohort=cohort, rule=rule, columns=columns, rows=rows)


def _row(resident, cells, rule, recent_from, now) -> Row:
    row = Row(resident=resident, cells=cells)
    recent_earned = recent_possible = 0.0
    for cell in cells:
        earned, possible = cell.points
        row.earned += earned
        row.possible += possible
        if cell.state == CellState.MISSING:
            row.missing += 1
        if recent_from <= cell.due_at <= now:
            recent_earned += earned
            recent_possible += possible
    row.recent_percent = policy.percent(recent_earned, recent_possible)
    if row.missing >= rule.missing:
        row.reasons.append(f"{row.missing} missing")
    if row.recent_percent is not None and row.recent_percent < rule.percent:
        row.reasons.append(f"{row.recent_percent:g}% over the last {rule.weeks} weeks")
    return row


def _column(assignment, week, cells) -> Column:
    counts = {state: 0 for state in CellState}
    scores = []
    for cell in cells:
        counts[cell.state] += 1
        if cell.score is not None:
            scores.append(cell.score)
    mean = round(sum(scores) / len(scores), 2) if scores else None
    return Column(assignment=assignment, week=week, counts=counts, mean_score=mean)


SORTS = {
    "name": lambda row: (row.resident.last_name.lower(), row.resident.username),
    "percent": lambda row: row.percent if row.percent is not None else 101.0,
    "missing": lambda row: -row.missing,
}


def overview_narrowed(
    overview: Overview,
    *,
    week: int | None = None,
    state: str = "",
    query: str = "",
    at_risk_only: bool = False,
    sort: str = "name",
    only: set[int] | None = None,
) -> Overview:
    """The same overview with only the chosen week's columns (and, for guest instructors, only
    the assignments in ``only``) and the residents that match."""
    keep = [
        i
        for i, c in enumerate(overview.columns)
        if (week is None or c.week == week) and (only is None or c.assignment.pk in only)
    ]
    rows = []
    for row in overview.rows:
        name = f"{row.resident.get_full_name()} {row.resident.username}".lower()
        if query and query.lower() not in name:
            continue
        if at_risk_only and not row.at_risk:
            continue
        cells = [row.cells[i] for i in keep]
        if state and not any(cell.state == state for cell in cells):
            continue
        rows.append(replace(row, cells=cells))
    rows.sort(key=SORTS.get(sort, SORTS["name"]))
    return Overview(overview.cohort, overview.rule, [overview.columns[i] for i in keep], rows)


PROGRESS_COLUMNS = [
    "student_id", "last_name", "first_name", "email", "earned", "possible", "percent",
    "missing", "recent_percent", "attendance_percent", "at_risk", "mentor_concerns",
]  # fmt: skip


def progress_rows(overview: Overview):
    """One row per resident: points so far, missing work, the recent score and the at-risk reasons."""
    for row in overview.rows:
        person = row.resident
        yield {
            "student_id": person.username, "last_name": person.last_name,
            "first_name": person.first_name, "email": person.email,
            "earned": round(row.earned, 6), "possible": round(row.possible, 6),
            "percent": "" if row.percent is None else row.percent, "missing": row.missing,
            "recent_percent": "" if row.recent_percent is None else row.recent_percent,
            "attendance_percent": "" if row.attendance_percent is None else row.attendance_percent,
            "at_risk": "; ".join(row.reasons), "mentor_concerns": "; ".join(row.concerns),
        }  # fmt: skip

"""The staff gradebook: a cohort's residents by its assignments, in a fixed number of queries.

A read model for the cohort overview. Four queries whatever the cohort's size
(residents, assignments, submissions with their gradings, extensions); the
rest is arithmetic in Python, so 100 residents by 80 assignments costs the
same round trips as 3 by 2.
"""

import datetime
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import NamedTuple

from django.utils import timezone

from lms.attendance.selectors import attendance_rates
from lms.cohorts.models import Cohort, Enrollment
from lms.mentoring.selectors import open_concerns

from .models import Assignment, Extension, Grading, Submission
from .selectors import assignment_week_number, counting_version


class CellState(StrEnum):
    NOT_RELEASED = "not-released", "Not released"
    OPEN = "open", "Open"
    MISSING = "missing", "Not submitted"
    GRADING = "grading", "Grading"
    FAILED = "failed", "Could not be graded"
    NEEDS_MANUAL = "needs-manual", "Needs a human grader"
    GRADED = "graded", "Graded"

    def __new__(cls, value, label):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member


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


class HandIn(NamedTuple):
    """One submitted version with its grading, read as plain values (no model instances)."""

    id: int
    assignment_id: int
    resident_id: int
    version: int
    submitted_at: datetime.datetime
    status: str | None
    score: float | None
    max_score: float | None
    seconds_late: int | None
    needs_manual: bool | None
    late_penalty: float | None


@dataclass
class Cell:
    assignment: Assignment
    state: CellState
    due_at: datetime.datetime
    extension: bool = False
    late: bool = False
    submission: HandIn | None = None
    versions: int = 0
    score: float | None = None
    max_score: float = 0.0


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
        return round(100 * self.earned / self.possible, 1) if self.possible else None


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
    residents = [
        e.resident
        for e in Enrollment.objects.filter(cohort=cohort)
        .select_related("resident")
        .order_by("resident__last_name", "resident__first_name", "resident__username")
    ]
    assignments = list(
        Assignment.objects.filter(cohort=cohort)
        .select_related("week", "cohort")
        .order_by("due_at", "name")
    )
    weeks = {a.pk: assignment_week_number(assignment=a) for a in assignments}
    versions: dict[tuple[int, int], list[HandIn]] = {}
    for hand_in in Submission.objects.filter(assignment__cohort=cohort).order_by("version").values_list(
        "id", "assignment_id", "resident_id", "version", "submitted_at", "grading__status",
        "grading__score", "grading__max_score", "grading__seconds_late",
        "grading__needs_manual_grading", "grading__late_penalty",
    ):  # fmt: skip
        hand_in = HandIn(*hand_in)
        versions.setdefault((hand_in.resident_id, hand_in.assignment_id), []).append(hand_in)
    extensions = {
        (e.resident_id, e.assignment_id): e.due_at
        for e in Extension.objects.filter(assignment__cohort=cohort)
    }
    recent_from = now - datetime.timedelta(weeks=rule.weeks)
    attendance = attendance_rates(
        cohort=cohort, since=timezone.localdate(recent_from), until=timezone.localdate(now)
    )
    concerns = open_concerns(cohort=cohort)
    rows = []
    for resident in residents:
        cells = [_cell(a, resident, versions, extensions, now) for a in assignments]
        row = _row(resident, cells, rule, recent_from, now)
        row.attendance_percent = attendance.get(resident.pk)
        if row.attendance_percent is not None and row.attendance_percent < rule.attendance:
            row.reasons.append(
                f"attended {row.attendance_percent:g}% of the last {rule.weeks} weeks"
            )
        row.concerns = concerns.get(resident.pk, [])
        rows.append(row)
    columns = [
        _column(a, weeks[a.pk], [row.cells[i] for row in rows]) for i, a in enumerate(assignments)
    ]
    return Overview(cohort=cohort, rule=rule, columns=columns, rows=rows)


def _cell(assignment, resident, versions, extensions, now) -> Cell:
    key = (resident.pk, assignment.pk)
    due = extensions.get(key, assignment.due_at)
    submitted = versions.get(key, [])
    counting = counting_version(submitted, policy=assignment.late_policy, due=due)
    cell = Cell(
        assignment=assignment, state=CellState.OPEN, due_at=due, extension=key in extensions,
        submission=counting, versions=len(submitted), max_score=assignment.max_score,
    )  # fmt: skip
    if assignment.release_at > now:
        cell.state = CellState.NOT_RELEASED
    elif counting is None:
        cell.state = CellState.MISSING if due < now else CellState.OPEN
    elif counting.status in (None, Grading.Status.QUEUED, Grading.Status.RUNNING):
        cell.state = CellState.GRADING
        cell.late = counting.submitted_at > due
    elif counting.status == Grading.Status.FAILED:
        cell.state = CellState.FAILED
    else:
        cell.state = CellState.NEEDS_MANUAL if counting.needs_manual else CellState.GRADED
        cell.score, cell.max_score = counting.score, counting.max_score
        cell.late = counting.seconds_late > 0
    return cell


def _row(resident, cells, rule, recent_from, now) -> Row:
    row = Row(resident=resident, cells=cells)
    recent_earned = recent_possible = 0.0
    for cell in cells:
        counts = cell.state in (CellState.GRADED, CellState.NEEDS_MANUAL) or (
            cell.state == CellState.MISSING
        )
        if not counts:
            continue
        score = cell.score or 0.0
        row.earned += score
        row.possible += cell.max_score
        if cell.state == CellState.MISSING:
            row.missing += 1
        if recent_from <= cell.due_at <= now:
            recent_earned += score
            recent_possible += cell.max_score
    if recent_possible:
        row.recent_percent = round(100 * recent_earned / recent_possible, 1)
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


GRADE_COLUMNS = [
    "assignment", "week", "duedate", "timestamp", "student_id", "last_name", "first_name", "email",
    "raw_score", "late_submission_penalty", "score", "max_score",
]  # fmt: skip
PROGRESS_COLUMNS = [
    "student_id", "last_name", "first_name", "email", "earned", "possible", "percent",
    "missing", "recent_percent", "attendance_percent", "at_risk", "mentor_concerns",
]  # fmt: skip


def _nbgrader_time(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S.%f %Z") if moment else ""


def grade_rows(overview: Overview):
    """nbgrader's export columns plus the week, one row per resident and assignment."""
    weeks = {column.assignment.pk: column.week for column in overview.columns}
    for row in overview.rows:
        person = row.resident
        for cell in row.cells:
            graded = cell.score is not None
            penalty = (cell.submission.late_penalty or 0.0) if graded else 0.0
            yield {
                "assignment": cell.assignment.name,
                "week": weeks[cell.assignment.pk],
                "duedate": _nbgrader_time(cell.due_at),
                "timestamp": _nbgrader_time(cell.submission.submitted_at if cell.submission else None),
                "student_id": person.username, "last_name": person.last_name,
                "first_name": person.first_name, "email": person.email,
                "raw_score": round(cell.score + penalty, 6) if graded else 0.0,
                "late_submission_penalty": round(penalty, 6),
                "score": round(cell.score, 6) if graded else 0.0,
                "max_score": cell.assignment.max_score,
            }  # fmt: skip


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

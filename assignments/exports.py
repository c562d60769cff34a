"""Grade rows in nbgrader's ``CsvExportPlugin`` columns, for ``export_grades`` and the gradebook's download.

The columns, their order and the naive-UTC timestamps are nbgrader's, so a
spreadsheet or script made for ``nbgrader export`` reads ours unchanged; the
week follows as an extra column at the end. Scores are the standings' (the
grading policy's counting version, lateness and extensions): work not yet due
and not handed in has no score yet, where nbgrader would write 0.
"""

from collections.abc import Iterable

from common.nbgrader_times import export_timestamp
from lms.cohorts.models import Cohort
from lms.cohorts.selectors import cohort_residents

from .policy import State
from .selectors.standings import Standings, standings

GRADE_COLUMNS = [
    "assignment", "duedate", "timestamp", "student_id", "last_name", "first_name", "email",
    "raw_score", "late_submission_penalty", "score", "max_score", "week",
]  # fmt: skip

#: States in which an assignment has a score of record: graded, or past due with nothing handed in.
SCORED = (State.GRADED, State.NEEDS_MANUAL, State.MISSING)


def grade_rows(*, residents, grid: Standings, only: set[int] | None = None) -> Iterable[list]:
    """One row per assignment and resident (assignment by assignment, as nbgrader writes them)."""
    for index, assignment in enumerate(grid.assignments):
        if only is not None and assignment.pk not in only:
            continue
        for person in residents:
            standing = grid.of(person.pk)[index]
            scored = standing.state in SCORED
            yield [
                assignment.name,
                export_timestamp(standing.due_at),
                export_timestamp(standing.submission.submitted_at if standing.submission else None),
                person.username,
                person.last_name,
                person.first_name,
                person.email,
                _number(standing.raw_score or 0.0) if scored else "",
                _number(standing.late_penalty) if scored else "",
                _number(standing.score or 0.0) if scored else "",
                _number(assignment.max_score),
                grid.weeks[assignment.pk],
            ]


def _number(value: float) -> float:
    return round(float(value), 6)


def cohort_grade_rows(*, cohort: Cohort, only: set[int] | None = None) -> Iterable[list]:
    """A cohort's grade rows, in a fixed number of queries."""
    residents = cohort_residents(cohort=cohort, by_username=True)
    yield from grade_rows(
        residents=residents, grid=standings(cohort=cohort, residents=residents), only=only
    )

"""Where residents stand on a cohort's assignments: the one read model of grades.

``standings`` gathers a cohort's assignments, hand-ins (with their gradings, as
plain values) and extensions in a fixed number of queries and applies the
grading policy to each resident and assignment. The gradebook, My progress,
both grade exports and the lesson's notebook card all read it, so they cannot
disagree.
"""

import datetime
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils import timezone

from lms.cohorts.selectors import cohort_for_resident
from lms.people.models import User

from .. import policy
from ..models import Assignment, Extension, Submission
from ..policy import State
from .assignments import assignment_week_number


class HandIn(NamedTuple):
    """One submitted version with its grading, read as plain values (no model instances)."""

    id: int
    assignment_id: int
    resident_id: int
    version: int
    submitted_at: datetime.datetime
    grading_id: int | None
    status: str | None
    score: float | None
    max_score: float | None
    seconds_late: int | None
    needs_manual: bool | None
    late_penalty: float | None
    released_at: datetime.datetime | None
    has_feedback: bool


HAND_IN_FIELDS = (
    "id", "assignment_id", "resident_id", "version", "submitted_at", "grading__id",
    "grading__status", "grading__score", "grading__max_score", "grading__seconds_late",
    "grading__needs_manual_grading", "grading__late_penalty",
    "grading__feedback_released_at", "has_feedback",
)  # fmt: skip


def hand_ins(submissions) -> dict[tuple[int, int], list[HandIn]]:
    """Hand-ins by (resident, assignment), oldest version first, in one query."""
    rows = (
        submissions.annotate(
            has_feedback=ExpressionWrapper(
                ~Q(grading__feedback_html=""), output_field=BooleanField()
            )
        )
        .order_by("version")
        .values_list(*HAND_IN_FIELDS)
    )
    versions: dict[tuple[int, int], list[HandIn]] = {}
    for row in rows:
        hand_in = HandIn(*row)
        versions.setdefault((hand_in.resident_id, hand_in.assignment_id), []).append(hand_in)
    return versions


def counting_hand_ins(*, assignment: Assignment) -> dict[int, HandIn]:
    """Each resident's counting version of one assignment (by the policy, with their own due
    time), by resident id, in two queries."""
    versions = hand_ins(Submission.objects.filter(assignment=assignment))
    extensions = dict(
        Extension.objects.filter(assignment=assignment).values_list("resident_id", "due_at")
    )
    counting = {}
    for (resident_id, _assignment_id), listed in versions.items():
        due = policy.due_time(
            due_at=assignment.due_at, extension_due_at=extensions.get(resident_id)
        )
        version = policy.counting_version(listed, late_rule=assignment.late_policy, due=due)
        if version is not None:
            counting[resident_id] = version
    return counting


@dataclass
class Standing:
    """A resident's standing on one assignment, as the policy reads it."""

    assignment: Assignment
    week: int
    state: State
    due_at: datetime.datetime
    extension: bool
    submission: HandIn | None
    versions: int
    late: bool
    feedback_visible: bool
    #: Whether the resident may see this version's score (always, unless staff hold results).
    results_released: bool = True

    @property
    def released(self) -> bool:
        return self.state != State.NOT_RELEASED

    @property
    def graded(self) -> bool:
        return self.state in (State.GRADED, State.NEEDS_MANUAL)

    @property
    def held(self) -> bool:
        """Graded, but staff hold the results: the resident sees that it is graded, not the score."""
        return self.graded and not self.results_released

    @property
    def score(self) -> float | None:
        return self.submission.score if self.graded else None

    @property
    def max_score(self) -> float:
        return self.submission.max_score if self.graded else self.assignment.max_score

    @property
    def late_penalty(self) -> float:
        return (self.submission.late_penalty or 0.0) if self.graded else 0.0

    @property
    def raw_score(self) -> float | None:
        return None if self.score is None else self.score + self.late_penalty

    @property
    def points(self) -> tuple[float, float]:
        return policy.points(state=self.state, score=self.score, max_score=self.max_score)


def standing_of(
    assignment: Assignment,
    *,
    week: int,
    versions: list[HandIn],
    extension_due_at: datetime.datetime | None,
    now: datetime.datetime,
) -> Standing:
    """Apply the policy to one resident's hand-ins of one assignment."""
    due = policy.due_time(due_at=assignment.due_at, extension_due_at=extension_due_at)
    counting = policy.counting_version(versions, late_rule=assignment.late_policy, due=due)
    state = policy.state(
        release_at=assignment.release_at,
        due=due,
        counting=counting,
        needs_manual=bool(counting and counting.needs_manual),
        now=now,
    )
    # Late by the rule that picks the counting version, graded or not: a stored whole number of
    # seconds late reads a hand-in under a second after the due time as on time.
    late = counting is not None and counting.submitted_at > due
    released = policy.results_released(
        feedback_policy=assignment.feedback_policy,
        released_to_cohort=assignment.feedback_released_at is not None,
        released_to_resident=counting is not None and counting.released_at is not None,
    )
    visible = counting is not None and policy.feedback_visible(
        status=counting.status,
        has_feedback=counting.has_feedback,
        feedback_policy=assignment.feedback_policy,
        released_to_cohort=assignment.feedback_released_at is not None,
        released_to_resident=counting.released_at is not None,
    )
    return Standing(
        assignment=assignment, week=week, state=state, due_at=due,
        extension=extension_due_at is not None, submission=counting, versions=len(versions),
        late=late, feedback_visible=visible, results_released=released,
    )  # fmt: skip


@dataclass
class Standings:
    """A cohort's assignments (due order) and each resident's standing on each of them."""

    assignments: list[Assignment]
    weeks: dict[int, int]
    grid: dict[int, list[Standing]]

    def of(self, resident_id: int) -> list[Standing]:
        return self.grid.get(resident_id, [])


def standings(*, cohort, residents: list[User], now: datetime.datetime | None = None) -> Standings:
    """Every listed resident's standing on every assignment of the cohort, in three queries."""
    now = now or timezone.now()
    assignments = list(
        Assignment.objects.filter(cohort=cohort)
        .select_related("week", "cohort")
        .order_by("due_at", "name")
    )
    resident_ids = [r.pk for r in residents]
    versions = hand_ins(
        Submission.objects.filter(assignment__cohort=cohort, resident_id__in=resident_ids)
    )
    extensions = {
        (e.resident_id, e.assignment_id): e.due_at
        for e in Extension.objects.filter(assignment__cohort=cohort, resident_id__in=resident_ids)
    }
    weeks = {a.pk: assignment_week_number(assignment=a) for a in assignments}
    grid = {
        pk: [
            standing_of(
                a,
                week=weeks[a.pk],
                versions=versions.get((pk, a.pk), []),
                extension_due_at=extensions.get((pk, a.pk)),
                now=now,
            )  # fmt: skip
            for a in assignments
        ]
        for pk in resident_ids
    }
    return Standings(assignments=assignments, weeks=weeks, grid=grid)


def resident_standing(
    *, assignment: Assignment, resident: User, now: datetime.datetime | None = None
) -> Standing:
    """One resident's standing on one assignment (the lesson's notebook card), in two queries."""
    versions = hand_ins(Submission.objects.filter(assignment=assignment, resident=resident))
    extension = Extension.objects.filter(assignment=assignment, resident=resident).first()
    return standing_of(
        assignment,
        week=assignment_week_number(assignment=assignment),
        versions=versions.get((resident.pk, assignment.pk), []),
        extension_due_at=extension.due_at if extension else None,
        now=now or timezone.now(),
    )


def resident_progress(*, resident: User, now: datetime.datetime | None = None) -> dict:
    """A resident's own assignments, week by week, as the resident may see them: due time,
    counting version, grade and feedback; scores staff hold are left out of every total."""
    cohort = cohort_for_resident(user=resident)
    if cohort is None:
        return {"cohort": None, "rows": [], "earned": 0, "possible": 0}
    now = now or timezone.now()
    rows = standings(cohort=cohort, residents=[resident], now=now).of(resident.pk)
    # Held results count for nothing yet on the resident's own page: a total would give them away.
    shown = [row for row in rows if not row.held]
    earned = sum(row.points[0] for row in shown)
    possible = sum(row.points[1] for row in shown)
    weeks = policy.week_totals(
        ((row.week, row.state, row.score, row.max_score) for row in shown), weeks=cohort.weeks
    )
    return {
        "cohort": cohort,
        "rows": rows,
        "earned": earned,
        "possible": possible,
        "weeks": weeks,
        "trend": running_total(weeks),
        "next_up": next((r for r in rows if r.state == State.OPEN and r.submission is None), None),
    }


def running_total(weeks: list[policy.WeekTotal], *, width: int = 640, height: int = 160) -> dict:
    """The policy's running percentage after each week, as points for an SVG line.

    Weeks before anything was graded or due have no point; the line starts at the first
    week that has one and stops at the last, so a future week never reads as zero.
    """
    step = width / max(len(weeks) - 1, 1)
    points = [
        {
            "week": number,
            "percent": percent,
            "x": round(index * step, 1),
            "y": round(height - height * percent / 100, 1),
        }
        for index, number, percent in policy.running_percents(weeks)
    ]
    return {
        "points": points,
        "polyline": " ".join(f"{p['x']},{p['y']}" for p in points),
        "width": width,
        "height": height,
        "ticks": [
            {"week": week.number, "x": round(index * step, 1)} for index, week in enumerate(weeks)
        ],
        "threshold_y": round(height - height * 0.6, 1),
        "latest": points[-1]["percent"] if points else None,
    }

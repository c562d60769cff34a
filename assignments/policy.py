"""The grading policy: one home for the rules every page, export, job and feed follows.

Which version counts, when work is due for a resident (extensions included),
what lateness costs, what state a resident's work is in, what counts towards a
total, whether feedback may be read, and the weekly and running totals.

Pure functions over plain values: no database, no clock (``now`` is always
passed in). Selectors gather the values in a fixed number of queries and call
these; services call them when they store a grade. Nothing else decides.
"""

import datetime
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


class LateRule(StrEnum):
    """The late policies an assignment can have (``Assignment.late_policy`` stores these values)."""

    ACCEPT = "accept"
    PER_DAY = "per_day"
    ZERO = "zero"
    REFUSE = "refuse"


class State(StrEnum):
    """Where a resident's work on one assignment stands."""

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


#: Grading statuses (``Grading.Status`` values) as the policy reads them.
QUEUED, RUNNING, GRADED, FAILED, SKIPPED = "queued", "running", "graded", "failed", "skipped"

SECONDS_PER_DAY = 86400


class Version(Protocol):
    """What the policy reads of a submitted version and its grading."""

    submitted_at: datetime.datetime
    status: str | None
    score: float | None


def due_time(
    *, due_at: datetime.datetime, extension_due_at: datetime.datetime | None
) -> datetime.datetime:
    """A resident's due time: their extension when one was granted, else the assignment's."""
    return extension_due_at if extension_due_at is not None else due_at


def counting_version(versions: Sequence[Version], *, late_rule: str, due: datetime.datetime):
    """The version that counts among ``versions`` (oldest first).

    The newest one; except that under the zero and refuse rules the newest one
    handed in on time counts, and a late one only when nothing came in on time.
    """
    if not versions:
        return None
    if late_rule in (LateRule.ZERO, LateRule.REFUSE):
        on_time = [v for v in versions if v.submitted_at <= due]
        if on_time:
            return on_time[-1]
    return versions[-1]


def replaced_for_good(*, late_rule: str, newer_versions: int) -> bool:
    """Whether a version with newer ones after it can never count again, so grading it would
    change nothing: under the accept and per-day rules the newest version always counts, whatever
    the due time becomes; under the zero and refuse rules a later due time or an extension can
    bring an older, on-time version back."""
    return newer_versions > 0 and late_rule in (LateRule.ACCEPT, LateRule.PER_DAY)


def refuses_late(
    *, late_rule: str, submitted_at: datetime.datetime, due: datetime.datetime
) -> bool:
    """Whether a hand-in at ``submitted_at`` is refused outright as late."""
    return late_rule == LateRule.REFUSE and submitted_at > due


def seconds_late(*, submitted_at: datetime.datetime, due: datetime.datetime) -> int:
    """Whole seconds late, rounded up: a hand-in a fraction of a second after the due time is late."""
    return max(0, math.ceil((submitted_at - due).total_seconds()))


def late_penalty(
    *, late_rule: str, percent_per_day: float, raw_score: float, seconds_late: int
) -> float:
    """Points taken off for lateness: every started day costs ``percent_per_day`` of the score
    under the per-day rule, the whole score under the zero rule, nothing otherwise."""
    if seconds_late <= 0 or raw_score <= 0:
        return 0.0
    if late_rule == LateRule.ZERO:
        return raw_score
    if late_rule == LateRule.PER_DAY:
        days = math.ceil(seconds_late / SECONDS_PER_DAY)
        return min(raw_score, round(raw_score * percent_per_day / 100 * days, 6))
    return 0.0


@dataclass(frozen=True)
class Scored:
    """A grading's figures after lateness: raw points (hand-given ones included), penalty, score."""

    raw_score: float
    late_penalty: float
    score: float
    seconds_late: int


def score(
    *,
    auto_score: float,
    manual_adjustment: float,
    submitted_at: datetime.datetime,
    due: datetime.datetime,
    late_rule: str,
    percent_per_day: float,
) -> Scored:
    """The score of one graded version: automatic points, plus what graders changed by hand,
    less the late penalty. Never below zero."""
    raw = max(0.0, auto_score + manual_adjustment)
    late = seconds_late(submitted_at=submitted_at, due=due)
    penalty = late_penalty(
        late_rule=late_rule, percent_per_day=percent_per_day, raw_score=raw, seconds_late=late
    )
    return Scored(
        raw_score=raw, late_penalty=penalty, score=max(0.0, raw - penalty), seconds_late=late
    )


def needs_grader(cells: Iterable) -> bool:
    """Whether any cell still waits for a human: a manual answer nobody has given points to."""
    return any(cell.needs_manual_grade for cell in cells)


def rubric_points(chosen: Iterable[float], *, max_score: float) -> float:
    """Points for an answer from the rubric criteria a grader chose: their sum, capped at the
    cell's maximum (criteria may add up to more than a cell is worth)."""
    return min(float(sum(chosen)), max_score)


def state(
    *,
    release_at: datetime.datetime,
    due: datetime.datetime,
    counting: Version | None,
    needs_manual: bool,
    now: datetime.datetime,
) -> State:
    """Where a resident's work stands now."""
    if release_at > now:
        return State.NOT_RELEASED
    if counting is None:
        return State.MISSING if due < now else State.OPEN
    if counting.status == FAILED:
        return State.FAILED
    if counting.status == GRADED:
        return State.NEEDS_MANUAL if needs_manual else State.GRADED
    return State.GRADING


#: What counts towards totals: graded work (waiting for a human or not) and work past due with no hand-in.
COUNTED = frozenset({State.GRADED, State.NEEDS_MANUAL, State.MISSING})


def points(*, state: State, score: float | None, max_score: float) -> tuple[float, float]:
    """(earned, possible) that one assignment adds to a total. Open, unreleased, still grading
    or failed work adds nothing, so a future week never reads as zero."""
    if state not in COUNTED:
        return 0.0, 0.0
    return (score or 0.0) if state != State.MISSING else 0.0, max_score


def results_released(
    *, feedback_policy: str, released_to_cohort: bool, released_to_resident: bool
) -> bool:
    """Whether a resident may see a graded version's score and feedback: at once under the
    automatic policy; under the held policy only once staff released them, to the cohort or to
    this resident. Held means held: neither the score nor a total that contains it shows."""
    return feedback_policy == "automatic" or released_to_cohort or released_to_resident


def feedback_visible(
    *,
    status: str | None,
    has_feedback: bool,
    feedback_policy: str,
    released_to_cohort: bool,
    released_to_resident: bool,
) -> bool:
    """Whether a resident may read a grading's feedback: rendered, and its results released."""
    if status != GRADED or not has_feedback:
        return False
    return results_released(
        feedback_policy=feedback_policy,
        released_to_cohort=released_to_cohort,
        released_to_resident=released_to_resident,
    )


def percent(earned: float, possible: float, digits: int = 1) -> float | None:
    return round(100 * earned / possible, digits) if possible else None


@dataclass
class WeekTotal:
    number: int
    earned: float = 0.0
    possible: float = 0.0
    count: int = 0

    @property
    def percent(self) -> int | None:
        return round(100 * self.earned / self.possible) if self.possible else None


def week_totals(
    items: Iterable[tuple[int, State, float | None, float]], *, weeks: int
) -> list[WeekTotal]:
    """Points per residency week from (week, state, score, max) of each assignment; weeks outside
    the residency are folded into its first or last."""
    totals = [WeekTotal(number=n) for n in range(1, weeks + 1)]
    for week, item_state, item_score, max_score in items:
        total = totals[min(max(week, 1), weeks) - 1]
        total.count += 1
        earned, possible = points(state=item_state, score=item_score, max_score=max_score)
        total.earned += earned
        total.possible += possible
    return totals


def running_percents(weeks: Sequence[WeekTotal]) -> list[tuple[int, int, int]]:
    """(index, week number, cumulative percent) after each week that has something graded or due."""
    earned = possible = 0.0
    running = []
    for index, week in enumerate(weeks):
        earned += week.earned
        possible += week.possible
        if week.percent is None or not possible:
            continue
        running.append((index, week.number, round(100 * earned / possible)))
    return running

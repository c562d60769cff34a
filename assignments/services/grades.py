"""Grades: lateness and penalties under the policy, due-time changes and extensions, grading by hand."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from lms.people.models import User

from .. import policy
from ..formats import plain
from ..grading.nbgrader_adapter import MANUAL_ANSWER
from ..models import Assignment, CellGrade, Extension, ExtensionChange, GradeChange, Grading
from ..selectors import effective_due_at
from .feedback import enqueue_feedback_on_commit


def grading_score_apply(grading: Grading, *, cells) -> None:
    """Set a graded version's lateness, penalty and score by the policy, from its cells
    (hand-given points replace automatic ones). The caller saves."""
    submission = grading.submission
    assignment = submission.assignment
    if grading.raw_score is None:
        grading.score = None
        return
    scored = policy.score(
        auto_score=grading.raw_score,
        manual_adjustment=sum(
            c.manual_score - (c.auto_score or 0) for c in cells if c.manual_score is not None
        ),
        submitted_at=submission.submitted_at,
        due=effective_due_at(assignment=assignment, resident=submission.resident),
        late_rule=assignment.late_policy,
        percent_per_day=assignment.late_penalty_percent_per_day,
    )
    grading.seconds_late = scored.seconds_late
    grading.late_penalty = scored.late_penalty
    grading.score = scored.score


@transaction.atomic
def lateness_recompute(*, assignment: Assignment, resident: User | None = None) -> int:
    """Recompute lateness and penalties after a due date changes or an extension is granted."""
    gradings = (
        Grading.objects.filter(submission__assignment=assignment, status=Grading.Status.GRADED)
        .select_related("submission__resident", "submission__assignment")
        .prefetch_related("cells")
    )
    if resident is not None:
        gradings = gradings.filter(submission__resident=resident)
    residents = set()
    for grading in gradings:
        grading_score_apply(grading, cells=grading.cells.all())
        grading.save(update_fields=["seconds_late", "late_penalty", "score"])
        residents.add(grading.submission.resident_id)
    return len(residents)


EXTENSION_NOT_LATER = (
    "An extension only extends: the new due time must be later than {resident}'s current one, "
    "{due}."
)
EXTENSION_IN_THE_PAST = "The new due time {due} has already passed; choose a time in the future."
NO_EXTENSION = "{resident} has no extension on {name} to take back."


def _when(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%a %b %-d, %-I:%M %p")


@transaction.atomic
def extension_grant(
    *,
    assignment: Assignment,
    resident: User,
    due_at: datetime.datetime,
    granted_by: User | None = None,
    reason: str = "",
) -> Extension:
    """Give one resident a later due time; their lateness and penalties follow at once.

    An extension only extends: a time before the resident's current due time or
    already past is refused, so granting one can never make handed-in work late.
    Each grant is written to the due-time history with the time it replaced.
    """
    current = effective_due_at(assignment=assignment, resident=resident)
    who = resident.get_full_name() or resident.username
    if due_at <= current:
        raise ValidationError(EXTENSION_NOT_LATER.format(resident=who, due=_when(current)))
    if due_at <= timezone.now():
        raise ValidationError(EXTENSION_IN_THE_PAST.format(due=_when(due_at)))
    ExtensionChange.objects.create(
        assignment=assignment, resident=resident, old_due_at=current, new_due_at=due_at,
        reason=reason, changed_by=granted_by,
    )  # fmt: skip
    extension, _ = Extension.objects.update_or_create(
        assignment=assignment,
        resident=resident,
        defaults={"due_at": due_at, "granted_by": granted_by, "reason": reason},
    )
    lateness_recompute(assignment=assignment, resident=resident)
    return extension


@transaction.atomic
def extension_revoke(
    *, assignment: Assignment, resident: User, by: User | None = None, reason: str = ""
) -> None:
    """Take an extension back: the resident is due when the cohort is again, and the change
    goes into the due-time history. Lateness and penalties follow at once."""
    extension = (
        Extension.objects.select_for_update()
        .filter(assignment=assignment, resident=resident)
        .first()
    )
    if extension is None:
        raise ValidationError(
            NO_EXTENSION.format(
                resident=resident.get_full_name() or resident.username, name=assignment.name
            )
        )
    ExtensionChange.objects.create(
        assignment=assignment, resident=resident, old_due_at=extension.due_at,
        new_due_at=assignment.due_at, reason=reason or "extension taken back", changed_by=by,
    )  # fmt: skip
    extension.delete()
    lateness_recompute(assignment=assignment, resident=resident)


POINTS_OUT_OF_RANGE = "Points for {cell} must be between 0 and {max:g}."


MANUAL_KIND = MANUAL_ANSWER


RUBRIC_NOT_FOR_CELL = "That rubric criterion belongs to another cell; reload the page."


def _rubric_label(criteria) -> str:
    return "; ".join(f"{c.description} ({plain(c.points)})" for c in criteria)


@transaction.atomic
def cell_grade_set(
    *, cell: CellGrade, points: float | None, comment: str, by: User, criteria=None
) -> CellGrade:
    """Grade one cell by hand: points within the cell's maximum, a comment and, when given,
    the rubric criteria chosen (their points count when no points are typed), all recorded in
    history. The grading's score, late penalty and "needs a grader" flag follow at once;
    feedback is rendered again."""
    cell = (
        CellGrade.objects.select_for_update()
        .select_related("grading__submission")
        .prefetch_related("rubric")
        .get(pk=cell.pk)
    )
    chosen_before = list(cell.rubric.all())
    if criteria is not None:
        criteria = sorted(criteria, key=lambda c: (c.position, c.pk))
        if any(
            c.assignment_id != cell.grading.submission.assignment_id
            or (c.notebook, c.grade_id) != (cell.notebook, cell.grade_id)
            for c in criteria
        ):
            raise ValidationError(RUBRIC_NOT_FOR_CELL)
        if points is None and criteria:
            points = policy.rubric_points((c.points for c in criteria), max_score=cell.max_score)
    if points is not None and not 0 <= points <= cell.max_score:
        raise ValidationError(POINTS_OUT_OF_RANGE.format(cell=cell.grade_id, max=cell.max_score))
    comment = comment.strip()
    changes = []
    if points != cell.manual_score:
        changes.append((GradeChange.What.POINTS, cell.manual_score, points))
    if comment != cell.comment:
        changes.append((GradeChange.What.COMMENT, cell.comment, comment))
    if criteria is not None and {c.pk for c in criteria} != {c.pk for c in chosen_before}:
        changes.append(
            (GradeChange.What.RUBRIC, _rubric_label(chosen_before), _rubric_label(criteria))
        )
        cell.rubric.set(criteria)
    if not changes:
        return cell
    cell.manual_score = points
    cell.comment = comment
    cell.needs_manual_grade = points is None and cell.kind == MANUAL_KIND
    cell.save(update_fields=["manual_score", "comment", "needs_manual_grade"])
    GradeChange.objects.bulk_create(
        GradeChange(
            grading=cell.grading,
            cell=cell,
            what=what,
            changed_by=by,
            old="" if old is None else old if isinstance(old, str) else plain(old),
            new="" if new is None else new if isinstance(new, str) else plain(new),
        )  # fmt: skip
        for what, old, new in changes
    )
    grading = (
        Grading.objects.select_related("submission__assignment", "submission__resident")
        .prefetch_related("cells")
        .get(pk=cell.grading_id)
    )
    cells = list(grading.cells.all())
    grading.needs_manual_grading = policy.needs_grader(cells)
    grading_score_apply(grading, cells=cells)
    grading.save(update_fields=["needs_manual_grading", "seconds_late", "late_penalty", "score"])
    enqueue_feedback_on_commit(grading)
    return cell

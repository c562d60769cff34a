"""Rubrics: the criteria graders choose from for one graded cell, written once for every answer."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from ..models import Assignment, RubricCriterion

RUBRIC_DESCRIPTION_NEEDED = "Say what the criterion looks for."
RUBRIC_POINTS_RANGE = "A criterion is worth between 0 and the cell's {max:g} points."
RUBRIC_CRITERION_IN_USE = (
    "“{description}” is chosen on {count} answer{plural}; untick it there before removing it."
)
RUBRIC_CELL_UNKNOWN = "{notebook} has no graded cell {grade_id} in {name}."


@transaction.atomic
def rubric_criterion_add(
    *, assignment: Assignment, notebook: str, grade_id: str, description: str, points: float,
    max_score: float,
) -> RubricCriterion:  # fmt: skip
    """Add a criterion at the end of a cell's rubric."""
    description = description.strip()
    if not description:
        raise ValidationError(RUBRIC_DESCRIPTION_NEEDED)
    if not 0 <= points <= max_score:
        raise ValidationError(RUBRIC_POINTS_RANGE.format(max=max_score))
    last = RubricCriterion.objects.filter(
        assignment=assignment, notebook=notebook, grade_id=grade_id
    ).aggregate(last=Max("position"))["last"]
    criterion = RubricCriterion(
        assignment=assignment, notebook=notebook, grade_id=grade_id,
        description=description, points=points,
        position=0 if last is None else last + 1,
    )  # fmt: skip
    criterion.full_clean()
    criterion.save()
    return criterion


@transaction.atomic
def rubric_criterion_remove(*, criterion: RubricCriterion) -> None:
    """Remove a criterion no answer has been graded with; a chosen one stays, so no grade
    loses the reason it was given."""
    used = criterion.chosen_in.count()
    if used:
        raise ValidationError(
            RUBRIC_CRITERION_IN_USE.format(
                description=criterion.description, count=used, plural="" if used == 1 else "s"
            )
        )
    criterion.delete()

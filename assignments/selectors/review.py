"""Reads for staff reviewing hand-ins: one hand-in with its versions, and the manual-grading queue."""

import nbformat

from lms.people.models import User

from .. import policy
from ..grading.nbgrader_adapter import render_notebook_html
from ..models import Assignment, CellGrade, Extension, Submission
from .assignments import effective_due_at, submission_versions
from .standings import hand_ins


def submission_review(
    *, cohort, username: str, name: str, version: int | None = None
) -> dict | None:
    """Everything staff review of one resident's hand-in: versions, the chosen one, cells, notebooks."""
    assignment = Assignment.objects.filter(cohort=cohort, name=name).first()
    resident = User.objects.filter(username=username, enrollment__cohort=cohort).first()
    if assignment is None or resident is None:
        return None
    versions = submission_versions(assignment=assignment, resident=resident)
    due = effective_due_at(assignment=assignment, resident=resident)
    counting = policy.counting_version(versions, late_rule=assignment.late_policy, due=due)
    chosen = next((v for v in versions if v.version == version), None) if version else counting
    grading = getattr(chosen, "grading", None) if chosen else None
    cells = list(grading.cells.order_by("notebook", "id")) if grading else []
    notebooks = []
    if grading and grading.graded_notebooks:
        for notebook_name, notebook in sorted(grading.graded_notebooks.items()):
            notebooks.append((notebook_name, render_notebook_html(nbformat.from_dict(notebook))))
    return {
        "assignment": assignment,
        "resident": resident,
        "versions": versions,
        "submission": chosen,
        "counting": counting,
        "grading": grading,
        "due_at": due,
        "cells": cells,
        "notebooks": notebooks,
        "changes": list(grading.changes.select_related("changed_by", "cell")) if grading else [],
        "extension": Extension.objects.filter(assignment=assignment, resident=resident).first(),
        "due_changes": list(
            assignment.extension_changes.filter(resident=resident).select_related("changed_by")
        ),
    }


def manual_grading_queue(*, cohort) -> list[CellGrade]:
    """Cells of counting versions waiting for a human grader, oldest hand-in first, in four queries.

    A version a newer one has replaced is not in the queue: its points would count for nothing.
    """
    cells = list(
        CellGrade.objects.filter(
            needs_manual_grade=True,
            grading__status="graded",
            grading__submission__assignment__cohort=cohort,
        )
        .select_related("grading__submission__assignment", "grading__submission__resident")
        .order_by("grading__submission__submitted_at", "notebook", "id")
    )
    if not cells:
        return []
    residents = {cell.grading.submission.resident_id for cell in cells}
    versions = hand_ins(
        Submission.objects.filter(assignment__cohort=cohort, resident_id__in=residents)
    )
    extensions = {
        (e.resident_id, e.assignment_id): e.due_at
        for e in Extension.objects.filter(assignment__cohort=cohort, resident_id__in=residents)
    }
    assignments = {
        c.grading.submission.assignment_id: c.grading.submission.assignment for c in cells
    }
    counting_ids = set()
    for (resident_id, assignment_id), listed in versions.items():
        assignment = assignments.get(assignment_id)
        if assignment is None:
            continue
        due = policy.due_time(
            due_at=assignment.due_at, extension_due_at=extensions.get((resident_id, assignment_id))
        )
        counting = policy.counting_version(listed, late_rule=assignment.late_policy, due=due)
        if counting is not None:
            counting_ids.add(counting.id)
    return [cell for cell in cells if cell.grading.submission_id in counting_ids]

"""Reads for staff reviewing hand-ins: one hand-in with its versions, the manual-grading queue,
and the side-by-side grading desk."""

from dataclasses import dataclass

import nbformat
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from courses.markdown import render_markdown
from lms.cohorts.selectors import cohort_residents
from lms.people.models import User

from .. import policy
from ..grading.nbgrader_adapter import AUTOGRADED_TEST, render_notebook_html
from ..models import Assignment, CellGrade, Extension, Grading, RubricCriterion, Submission
from .assignments import effective_due_at, submission_versions
from .standings import HandIn, counting_hand_ins, hand_ins


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


@dataclass
class DeskCell:
    """One graded cell on the grading desk: the resident's answer beside the grader's controls."""

    grade: CellGrade
    answer_html: str
    is_markdown: bool
    rubric: list[RubricCriterion]
    chosen: set[int]
    points_from_rubric: bool

    @property
    def awaiting(self) -> bool:
        return self.grade.awaiting_grader


@dataclass
class DeskResident:
    """A resident whose counting version of the assignment is graded, so on the desk."""

    resident: User
    counting: HandIn

    @property
    def awaiting(self) -> bool:
        return bool(self.counting.needs_manual)


def grading_desk_residents(*, assignment: Assignment) -> list[DeskResident]:
    """The residents with a graded counting version of the assignment, in reading order,
    in three queries: whom the desk's next and previous step through."""
    counting = counting_hand_ins(assignment=assignment)
    on_desk = []
    for person in cohort_residents(cohort=assignment.cohort):
        version = counting.get(person.pk)
        if version is not None and version.status == Grading.Status.GRADED:
            on_desk.append(DeskResident(person, version))
    return on_desk


def _points_from_rubric(cell: CellGrade, chosen: list[RubricCriterion]) -> bool:
    """Whether the cell's points are what its ticked criteria add up to (so ticking another
    criterion may change them), rather than points a grader typed."""
    return bool(chosen) and cell.manual_score == policy.rubric_points(
        (c.points for c in chosen), max_score=cell.max_score
    )


def cell_grade_outcome(*, cell: CellGrade, error: str | None = None) -> dict:
    """What the desk updates after saving a cell, without reloading: the cell's points and
    rubric choices, the version's totals, and whether anything still awaits a grader."""
    cell = CellGrade.objects.select_related("grading").prefetch_related("rubric").get(pk=cell.pk)
    grading = cell.grading
    chosen = list(cell.rubric.all())
    return {
        "ok": error is None,
        "message": error or f"Saved {cell.grade_id}.",
        "cell": {
            "id": cell.pk,
            "points": cell.manual_score,
            "score": cell.score,
            "max_score": cell.max_score,
            "awaiting": cell.awaiting_grader,
            "criteria": [c.pk for c in chosen],
            "points_from_rubric": _points_from_rubric(cell, chosen),
            "comment": cell.comment,
        },
        "total": {
            "score": grading.score,
            "max_score": grading.max_score,
            "late_penalty": grading.late_penalty,
            "awaiting": grading.needs_manual_grading,
        },
    }


def _answer_html(cell) -> tuple[str, bool]:
    """A cell as staff may safely read it on the page itself: Markdown through the authored-text
    sanitizer, code and its text outputs escaped. Rich HTML outputs are shown as their text."""
    if cell is None:
        return format_html('<p class="muted">{}</p>', NO_ANSWER), False
    if cell.get("cell_type") == "markdown":
        return mark_safe(render_markdown(cell.get("source", ""))), True  # noqa: S308 - sanitized by render_markdown
    outputs = []
    for output in cell.get("outputs", []):
        kind = output.get("output_type")
        if kind == "stream":
            outputs.append(output.get("text", ""))
        elif kind == "error":
            outputs.append(f"{output.get('ename', '')}: {output.get('evalue', '')}")
        elif kind in ("execute_result", "display_data"):
            outputs.append(output.get("data", {}).get("text/plain", ""))
    text_out = "".join(part if isinstance(part, str) else "".join(part) for part in outputs)[
        :ANSWER_OUTPUT_CHARS
    ]
    return format_html(
        '<pre class="desk-code"><code>{}</code></pre>{}',
        cell.get("source", ""),
        format_html('<pre class="cell-output">{}</pre>', text_out) if text_out else "",
    ), False


NO_ANSWER = "This cell is missing from the handed-in notebook."
ANSWER_OUTPUT_CHARS = 4000


def grading_desk(*, assignment: Assignment, resident: User) -> dict | None:
    """What the side-by-side grading view shows for one resident's counting version: each graded
    cell's answer with its rubric and grade, the totals, and the residents before and after
    (and the next one awaiting a grader) among those with a graded counting version."""
    if not assignment.cohort.enrollments.filter(resident=resident).exists():
        return None
    on_desk = grading_desk_residents(assignment=assignment)
    counting_by_resident = {d.resident.pk: d.counting for d in on_desk}
    counting = counting_by_resident.get(resident.pk)
    position = next((i for i, d in enumerate(on_desk) if d.resident.pk == resident.pk), None)
    previous = on_desk[position - 1].resident if position else None
    following = (
        on_desk[position + 1].resident
        if position is not None and position + 1 < len(on_desk)
        else None
    )
    after = on_desk[position + 1 :] + on_desk[:position] if position is not None else on_desk
    next_awaiting = next((d.resident for d in after if d.awaiting), None)
    context = {
        "assignment": assignment,
        "resident": resident,
        "residents": on_desk,
        "previous": previous,
        "next": following,
        "next_awaiting": next_awaiting,
        "grading": None,
        "cells": [],
    }
    if counting is None:
        return context
    grading = Grading.objects.select_related("submission").get(pk=counting.grading_id)
    notebooks = grading.graded_notebooks or {}
    by_grade_id = {
        (name, cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")): cell
        for name, nb in notebooks.items()
        for cell in nb.get("cells", [])
    }
    rubric: dict[tuple[str, str], list[RubricCriterion]] = {}
    for criterion in assignment.rubric.all():
        rubric.setdefault((criterion.notebook, criterion.grade_id), []).append(criterion)
    cells = []
    for grade in grading.cells.prefetch_related("rubric").order_by("notebook", "id"):
        criteria = rubric.get((grade.notebook, grade.grade_id), [])
        chosen = list(grade.rubric.all())
        html, is_markdown = _answer_html(by_grade_id.get((grade.notebook, grade.grade_id)))
        cells.append(
            DeskCell(
                grade=grade,
                answer_html=html,
                is_markdown=is_markdown,
                rubric=criteria,
                chosen={c.pk for c in chosen},
                points_from_rubric=_points_from_rubric(grade, chosen),
            )  # fmt: skip
        )
    answers = [c for c in cells if c.grade.kind != AUTOGRADED_TEST]
    tests = [c for c in cells if c.grade.kind == AUTOGRADED_TEST]
    context.update(
        grading=grading, cells=cells, answers=answers, tests=tests,
        tests_score=sum(c.grade.score or 0 for c in tests),
        tests_max=sum(c.grade.max_score for c in tests),
        submission=grading.submission,
    )  # fmt: skip
    return context

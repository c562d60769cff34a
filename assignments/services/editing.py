"""Editing an assignment after upload: its settings, its files, each graded cell's points.

Every change is kept in the assignment's history (who, when, which field, from, to).
Lateness and scores follow a new due time or late rule at once; a new source version
regenerates the release and the grading gradebook, and the hand-ins graded against the old
version can be queued to be graded again (``assignment_regrade``).
"""

import datetime
from dataclasses import dataclass

import nbformat
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from lms.people.models import User

from ..formats import plain
from ..grading.nbgrader_adapter import notebook_bytes
from ..models import Assignment, AssignmentChange, AssignmentFile, Grading
from ..selectors import counting_hand_ins
from .grades import lateness_recompute
from .runs import grading_regrade
from .uploads import assignment_files_prepare, assignment_files_store

EDITABLE_FIELDS = (
    "title", "week", "release_at", "due_at", "late_policy", "late_penalty_percent_per_day",
    "show_hidden_tests_in_feedback", "feedback_policy",
)  # fmt: skip
# A change to one of these moves lateness, penalties and so scores.
LATENESS_FIELDS = {"due_at", "late_policy", "late_penalty_percent_per_day"}
FILES_FIELD = "files"
POINTS_FIELD = "points"
UNKNOWN_CELL = "{notebook} has no graded cell {grade_id}."
NOTHING_TO_CHANGE = "Nothing changed."


def _shown(assignment: Assignment, field: str, value) -> str:
    """A value as the history shows it: dates in program time, choices by their label."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%a %b %-d %Y, %-I:%M %p")
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return plain(value)
    model_field = Assignment._meta.get_field(field)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    return str(value)


@transaction.atomic
def assignment_update(
    *, assignment: Assignment, by: User | None, **values
) -> list[AssignmentChange]:
    """Change an assignment's settings; returns the changes recorded. Fields not given stay.

    The model's own rules hold (the due time after the release time, a penalty of at most
    100 %); a due time or late rule that moves recomputes every hand-in's lateness and score.
    """
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable here: {', '.join(sorted(unknown))}")
    given, assignment = assignment, Assignment.objects.select_for_update().get(pk=assignment.pk)
    changed = {}
    for field, new in values.items():
        old = getattr(assignment, field)
        if field == "title":
            new = (new or "").strip() or assignment.name
        if old != new:
            changed[field] = (old, new)
            setattr(assignment, field, new)
    if not changed:
        return []
    assignment.full_clean()
    assignment.save(update_fields=list(changed))
    for field in changed:  # the caller's copy says what is stored
        setattr(given, field, getattr(assignment, field))
    records = AssignmentChange.objects.bulk_create(
        AssignmentChange(
            assignment=assignment,
            field=field,
            changed_by=by,
            old=_shown(assignment, field, old),
            new=_shown(assignment, field, new),
        )  # fmt: skip
        for field, (old, new) in changed.items()
    )
    if LATENESS_FIELDS & set(changed):
        lateness_recompute(assignment=assignment)
    return records


@dataclass(frozen=True)
class AssignmentEdit:
    """What one save of the edit form did."""

    changes: list
    graded_before: int | None  # hand-ins graded against replaced files, or None if files stayed


@transaction.atomic
def assignment_edit(
    *, assignment: Assignment, by: User | None, settings: dict,
    files: dict[str, bytes] | None = None, points: dict[tuple[str, str], float] | None = None,
) -> AssignmentEdit:  # fmt: skip
    """One save of the edit form, whole or not at all: settings, then new files (which carry
    their own points) or else changed cell points. A refusal anywhere changes nothing."""
    changes = assignment_update(assignment=assignment, by=by, **settings)
    graded = None
    if files:
        graded = assignment_files_replace(assignment=assignment, files=files, by=by)
    elif points:
        graded = assignment_points_set(assignment=assignment, points=points, by=by)
    return AssignmentEdit(changes=changes, graded_before=graded)


def _file_list(assignment: Assignment) -> str:
    return ", ".join(
        f"{f.path} ({f.sha256[:8]})"
        for f in assignment.files.exclude(
            kind__in=[AssignmentFile.Kind.RELEASE, AssignmentFile.Kind.GRADEBOOK]
        ).order_by("path")
    )


@transaction.atomic
def assignment_files_replace(
    *, assignment: Assignment, files: dict[str, bytes], by: User | None
) -> int:
    """Put a new version of an assignment's files in place: the sources are checked by
    nbgrader, the release and grading gradebook made again, and the assignment's points
    follow. Nothing changes if nbgrader refuses them. Returns how many hand-ins were graded
    against the old version (the page offers to grade them again)."""
    prepared = assignment_files_prepare(name=assignment.name, files=files)
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    before, old_points = _file_list(assignment), assignment.max_score
    assignment_files_store(assignment=assignment, prepared=prepared)
    records = [
        AssignmentChange(
            assignment=assignment,
            field=FILES_FIELD,
            old=before,
            new=_file_list(assignment),
            changed_by=by,
        )  # fmt: skip
    ]
    if prepared.max_score != old_points:
        assignment.max_score = prepared.max_score
        assignment.save(update_fields=["max_score"])
        records.append(
            AssignmentChange(
                assignment=assignment,
                field=POINTS_FIELD,
                old=plain(old_points),
                new=plain(prepared.max_score),
                changed_by=by,
            )  # fmt: skip
        )
    AssignmentChange.objects.bulk_create(records)
    return Grading.objects.filter(
        submission__assignment=assignment, status__in=[Grading.Status.GRADED, Grading.Status.FAILED]
    ).count()


@transaction.atomic
def assignment_points_set(
    *, assignment: Assignment, points: dict[tuple[str, str], float], by: User | None
) -> int:
    """Change graded cells' points, given by (notebook, grade id): written into the source
    notebooks' nbgrader metadata, then put in place as a new source version. Returns how many
    hand-ins were graded against the old points."""
    sources = {
        f.path: nbformat.reads(bytes(f.content).decode(), as_version=4)
        for f in assignment.files.filter(kind=AssignmentFile.Kind.SOURCE)
    }
    wanted = dict(points)
    for path, nb in sources.items():
        for cell in nb.cells:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            key = (path[: -len(".ipynb")], meta.get("grade_id"))
            if key in wanted and meta.get("grade"):
                meta["points"] = wanted.pop(key)
    if wanted:
        notebook, grade_id = next(iter(wanted))
        raise ValidationError(UNKNOWN_CELL.format(notebook=notebook, grade_id=grade_id))
    files = {
        f.path: bytes(f.content) for f in assignment.files.filter(kind=AssignmentFile.Kind.SUPPORT)
    }
    files.update({path: notebook_bytes(nb) for path, nb in sources.items()})
    return assignment_files_replace(assignment=assignment, files=files, by=by)


def assignment_regrade(*, assignment: Assignment, by: User | None) -> int:
    """Queue each resident's counting version, if graded or failed, to be graded again against
    the assignment's current files; hand-given points and comments are kept. Returns how many."""
    regradable = [
        version.grading_id
        for version in counting_hand_ins(assignment=assignment).values()
        if version.status in (Grading.Status.GRADED, Grading.Status.FAILED)
    ]
    gradings = list(Grading.objects.filter(pk__in=regradable).select_related("submission"))
    for grading in gradings:
        grading_regrade(grading=grading, by=by)
    queued = len(gradings)
    AssignmentChange.objects.create(
        assignment=assignment, field="regrade", old="",
        new=f"{queued} hand-in{'' if queued == 1 else 's'} queued to be graded again",
        changed_by=by,
    )  # fmt: skip
    return queued

"""Reads about assignments, by subdomain; the grading policy (``assignments.policy``) is their shared core.

- ``assignments``: an assignment's week, due time, versions, grading spec, authorable weeks;
- ``standings``: where residents stand (gradebook, My progress, exports, lesson cards);
- ``exchange``: what JupyterLab's Assignments panel and the feedback pages may show;
- ``review``: staff's hand-in page and the manual-grading queue;
- ``queue``: how the grading queue is doing;
- ``stuck``: where a cohort is stuck on an assignment's test cells.
"""

from .assignments import (
    GradedCell,
    assignment_for_lesson,
    assignment_graded_cells,
    assignment_spec,
    assignment_week_number,
    assignments_overview,
    authorable_weeks,
    counting_submission,
    effective_due_at,
    grader_limits,
    sandbox_user,
    submission_versions,
)
from .exchange import (
    calendar_entries,
    exchange_listing,
    feedback_for,
    feedback_visible,
    grader_note,
    release_files,
    release_notebook_names,
    released_assignments_for,
    resident_feedback,
    shown_time,
)
from .queue import QueueHealth, grading_queue_health
from .review import (
    DeskCell,
    DeskResident,
    cell_grade_outcome,
    grading_desk,
    grading_desk_residents,
    manual_grading_queue,
    submission_review,
)
from .standings import (
    HandIn,
    Standing,
    Standings,
    counting_hand_ins,
    hand_ins,
    resident_progress,
    resident_standing,
    running_total,
    standings,
)
from .stuck import stuck_cells

__all__ = [
    "GradedCell", "assignment_graded_cells",
    "DeskCell", "DeskResident", "cell_grade_outcome", "grading_desk", "grading_desk_residents", "HandIn", "QueueHealth", "Standing", "Standings", "assignment_for_lesson",
    "assignment_spec", "assignment_week_number", "assignments_overview", "authorable_weeks", "calendar_entries",
    "counting_hand_ins", "counting_submission", "effective_due_at", "exchange_listing", "feedback_for",
    "feedback_visible", "grader_limits", "grader_note", "grading_queue_health", "hand_ins",
    "manual_grading_queue", "release_files", "release_notebook_names", "released_assignments_for",
    "resident_feedback", "resident_progress", "resident_standing", "running_total", "sandbox_user", "shown_time",
    "standings", "stuck_cells", "submission_review", "submission_versions",
]  # fmt: skip

"""Writes about assignments, by subdomain; the grading policy (``assignments.policy``) is their shared core.

- ``uploads``: files checked, release and grading gradebook generated, all stored at once;
- ``editing``: settings, files and points changed after upload, each change in the history;
- ``submissions``: immutable versions, queued for grading;
- ``runs``: claiming under a lease, grading in the sandbox, requeueing lost work;
- ``grades``: lateness, due-time changes, extensions, grading by hand;
- ``rubric``: the criteria graders choose from, per graded cell;
- ``feedback``: rendering, releasing and announcing feedback;
- ``reminders``: e-mails about work due soon.
"""

from .editing import (
    EDITABLE_FIELDS,
    NOTHING_TO_CHANGE,
    AssignmentEdit,
    assignment_edit,
    assignment_files_replace,
    assignment_points_set,
    assignment_regrade,
    assignment_update,
)
from .feedback import feedback_release, feedback_render
from .grades import (
    EXTENSION_IN_THE_PAST,
    EXTENSION_NOT_LATER,
    MANUAL_KIND,
    NO_EXTENSION,
    POINTS_OUT_OF_RANGE,
    RUBRIC_NOT_FOR_CELL,
    cell_grade_set,
    extension_grant,
    extension_revoke,
    grading_score_apply,
    lateness_recompute,
)
from .reminders import DUE_SOON_WINDOW, due_soon_notify
from .rubric import (
    RUBRIC_CELL_UNKNOWN,
    RUBRIC_CRITERION_IN_USE,
    RUBRIC_DESCRIPTION_NEEDED,
    RUBRIC_POINTS_RANGE,
    rubric_criterion_add,
    rubric_criterion_remove,
)
from .runs import (
    SUPERSEDED_NOTE,
    data_dir_close,
    grading_lease,
    grading_regrade,
    grading_run,
    gradings_queue,
    gradings_requeue_stale,
)
from .submissions import (
    EMPTY_SUBMISSION,
    KEY_REUSED,
    LATE_REFUSED,
    NOT_IN_COHORT,
    NOT_RELEASED,
    submission_checksum,
    submission_create,
)
from .uploads import (
    NAME_TAKEN,
    NO_NOTEBOOKS,
    SUBMISSION_TOO_LARGE,
    TOO_LARGE,
    TOO_MANY_FILES,
    AssignmentUploadError,
    SubmissionError,
    assignment_create,
)

__all__ = [
    "EDITABLE_FIELDS", "NOTHING_TO_CHANGE", "AssignmentEdit", "assignment_edit", "assignment_files_replace", "assignment_points_set", "assignment_regrade",
    "assignment_update", "DUE_SOON_WINDOW", "EMPTY_SUBMISSION", "EXTENSION_IN_THE_PAST",
    "EXTENSION_NOT_LATER", "KEY_REUSED", "LATE_REFUSED", "NO_EXTENSION",
    "MANUAL_KIND", "NAME_TAKEN", "NOT_IN_COHORT", "NOT_RELEASED", "NO_NOTEBOOKS",
    "POINTS_OUT_OF_RANGE", "RUBRIC_CELL_UNKNOWN", "RUBRIC_CRITERION_IN_USE",
    "RUBRIC_DESCRIPTION_NEEDED", "RUBRIC_NOT_FOR_CELL", "RUBRIC_POINTS_RANGE",
    "rubric_criterion_add", "rubric_criterion_remove", "SUBMISSION_TOO_LARGE", "SUPERSEDED_NOTE", "TOO_LARGE",
    "TOO_MANY_FILES", "AssignmentUploadError", "SubmissionError", "assignment_create",
    "cell_grade_set", "data_dir_close", "due_soon_notify",
    "extension_grant", "extension_revoke", "feedback_release", "feedback_render", "grading_lease",
    "grading_regrade", "grading_run", "grading_score_apply", "gradings_queue",
    "gradings_requeue_stale", "lateness_recompute",
    "submission_checksum", "submission_create",
]  # fmt: skip

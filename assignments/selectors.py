"""Reads about assignments: due times, which submission counts, what grading needs."""

import datetime
import threading

from django.conf import settings
from django.utils import timezone

from lms.cohorts.selectors import cohort_week_number
from lms.people.models import User

from .grading.pipeline import AssignmentSpec, read_notebook
from .grading.sandbox import SandboxLimits, SandboxUser
from .models import Assignment, AssignmentFile, Extension, LatePolicy, Submission


def effective_due_at(*, assignment: Assignment, resident: User) -> datetime.datetime:
    """The assignment's due time, or the resident's extension when one was granted."""
    extension = (
        Extension.objects.filter(assignment=assignment, resident=resident).only("due_at").first()
    )
    return extension.due_at if extension else assignment.due_at


def counting_version(versions: list[Submission], *, policy: str, due: datetime.datetime):
    """The counting version among ``versions`` (oldest first), by the rule below, without queries."""
    if not versions:
        return None
    if policy in (LatePolicy.ZERO, LatePolicy.REFUSE):
        on_time = [v for v in versions if v.submitted_at <= due]
        if on_time:
            return on_time[-1]
    return versions[-1]


def counting_submission(*, assignment: Assignment, resident: User) -> Submission | None:
    """The version that counts: the newest one, or under the zero and refuse policies the newest
    one handed in on time (a late version only counts when there is no on-time one)."""
    versions = (
        Submission.objects.filter(assignment=assignment, resident=resident)
        .select_related("grading")
        .order_by("-version")
    )
    if assignment.late_policy in (LatePolicy.ZERO, LatePolicy.REFUSE):
        due = effective_due_at(assignment=assignment, resident=resident)
        on_time = versions.filter(submitted_at__lte=due).first()
        if on_time is not None:
            return on_time
    return versions.first()


def assignment_week_number(*, assignment: Assignment) -> int:
    """The residency week an assignment belongs to: its week page, else the week it is due in."""
    if assignment.week_id:
        return assignment.week.number
    cohort = assignment.cohort
    week = cohort_week_number(cohort=cohort, on=timezone.localtime(assignment.due_at).date())
    if week is None:
        return 1 if assignment.due_at.date() < cohort.start_date else cohort.weeks
    return week


_spec_cache: dict[tuple[int, str], AssignmentSpec] = {}
_spec_lock = threading.Lock()


def assignment_spec(*, assignment: Assignment) -> AssignmentSpec:
    """The assignment's notebooks as grading needs them, parsed once per worker process."""
    files = list(
        AssignmentFile.objects.filter(assignment=assignment).only("kind", "path", "sha256")
    )
    fingerprint = (
        "|".join(sorted(f"{f.kind}:{f.path}:{f.sha256}" for f in files))
        + f"|{assignment.show_hidden_tests_in_feedback}"
    )
    key = (assignment.pk, fingerprint)
    with _spec_lock:
        if key in _spec_cache:
            return _spec_cache[key]
    contents = {
        (f.kind, f.path): bytes(f.content)
        for f in AssignmentFile.objects.filter(assignment=assignment)
    }
    spec = AssignmentSpec(
        key=f"a{assignment.pk}",
        name=assignment.name,
        sources={
            p[:-6]: read_notebook(p, c)
            for (k, p), c in contents.items()
            if k == AssignmentFile.Kind.SOURCE
        },
        releases={
            p[:-6]: read_notebook(p, c)
            for (k, p), c in contents.items()
            if k == AssignmentFile.Kind.RELEASE
        },
        support_files={p: c for (k, p), c in contents.items() if k == AssignmentFile.Kind.SUPPORT},
        show_hidden_tests=assignment.show_hidden_tests_in_feedback,
    )
    with _spec_lock:
        _spec_cache[key] = spec
    return spec


def grader_limits() -> SandboxLimits:
    return SandboxLimits(**settings.LMS_GRADER_LIMITS)


def sandbox_user() -> SandboxUser:
    return SandboxUser.resolve(settings.LMS_SANDBOX_USER)


def _nbgrader_time(value: datetime.datetime | None) -> str:
    """nbgrader exports naive UTC times, ``2015-02-02 22:58:23.948203``."""
    if value is None:
        return ""
    return str(value.astimezone(datetime.UTC).replace(tzinfo=None))


def grade_export_rows(*, assignments) -> list[dict]:
    """One row per resident and assignment, scores as the counting submission has them."""
    from lms.cohorts.models import Enrollment

    rows = []
    for assignment in assignments:
        enrollments = (
            Enrollment.objects.filter(cohort=assignment.cohort)
            .select_related("resident")
            .order_by("resident__username")
        )
        for enrollment in enrollments:
            resident = enrollment.resident
            submission = counting_submission(assignment=assignment, resident=resident)
            grading = getattr(submission, "grading", None) if submission else None
            graded = grading is not None and grading.score is not None
            raw = (grading.score + grading.late_penalty) if graded else 0.0
            rows.append(
                {
                    "assignment": assignment.name,
                    "duedate": _nbgrader_time(
                        effective_due_at(assignment=assignment, resident=resident)
                    ),
                    "timestamp": _nbgrader_time(submission.submitted_at) if submission else "",
                    "student_id": resident.username,
                    "last_name": resident.last_name,
                    "first_name": resident.first_name,
                    "email": resident.email,
                    "raw_score": round(raw, 6),
                    "late_submission_penalty": round(grading.late_penalty, 6) if graded else 0.0,
                    "score": round(grading.score, 6) if graded else 0.0,
                    "max_score": assignment.max_score,
                    "week": assignment_week_number(assignment=assignment),
                }
            )
    return rows


def assignment_for_lesson(*, cohort, name: str) -> Assignment | None:
    """The assignment a lesson's notebook block names, in the lesson's own cohort.

    Blocks name assignments rather than point at rows, so a syllabus copied to
    a new cohort finds that cohort's assignment of the same name.
    """
    if cohort is None:
        return None
    return Assignment.objects.filter(cohort=cohort, name=name).first()


def resident_assignment_status(*, assignment: Assignment, resident: User) -> dict:
    """What a resident sees of one assignment: due time, their counting version and its grade."""
    submission = counting_submission(assignment=assignment, resident=resident)
    grading = getattr(submission, "grading", None) if submission else None
    return {
        "due_at": effective_due_at(assignment=assignment, resident=resident),
        "submission": submission,
        "grading": grading,
        "released": assignment.release_at <= timezone.now(),
    }


def assignments_overview():
    """Cohorts with their assignments and how many submissions each has, for the admin list."""
    from django.db.models import Count

    from lms.cohorts.models import Cohort

    cohorts = list(Cohort.objects.order_by("-start_date"))
    by_cohort: dict[int, list] = {c.pk: [] for c in cohorts}
    assignments = (
        Assignment.objects.select_related("week")
        .annotate(submission_count=Count("submissions"))
        .order_by("due_at")
    )
    for assignment in assignments:
        by_cohort[assignment.cohort_id].append(assignment)
    return [(cohort, by_cohort[cohort.pk]) for cohort in cohorts]


def assignment_author(*, user) -> bool:
    """Staff upload assignments anywhere; guest instructors into the weeks they were given."""
    from lms.people.models import Role
    from lms.people.selectors import user_roles

    return bool(user_roles(user=user) & {Role.STAFF, Role.GUEST_INSTRUCTOR})


NBGRADER_TIMESTAMP = "%Y-%m-%d %H:%M:%S.%f UTC"


def exchange_timestamp(moment: datetime.datetime) -> str:
    """A submission's time as nbgrader's exchange writes it, in UTC."""
    return moment.astimezone(datetime.UTC).strftime(NBGRADER_TIMESTAMP)


def released_assignments_for(*, resident: User):
    """The assignments of the resident's own cohort that are released now, with their files."""
    from lms.cohorts.selectors import cohort_for_resident

    cohort = cohort_for_resident(user=resident)
    if cohort is None:
        return None, Assignment.objects.none()
    assignments = (
        Assignment.objects.filter(cohort=cohort, release_at__lte=timezone.now())
        .prefetch_related("files")
        .order_by("due_at", "name")
    )
    return cohort, assignments


def release_notebook_names(assignment: Assignment) -> list[str]:
    return sorted(
        f.path
        for f in assignment.files.all()
        if f.kind == f.Kind.RELEASE and f.path.endswith(".ipynb")
    )


def release_files(*, assignment: Assignment) -> dict[str, bytes]:
    """What a resident fetches: the release notebooks and the supporting files."""
    kinds = [AssignmentFile.Kind.RELEASE, AssignmentFile.Kind.SUPPORT]
    return {f.path: bytes(f.content) for f in assignment.files.filter(kind__in=kinds)}


def exchange_listing(*, resident: User) -> dict:
    """Everything the Assignments panel shows: released assignments and the resident's submissions."""
    cohort, assignments = released_assignments_for(resident=resident)
    assignments = list(assignments)
    extensions = dict(
        Extension.objects.filter(resident=resident, assignment__in=assignments).values_list(
            "assignment_id", "due_at"
        )
    )
    submissions = (
        Submission.objects.filter(resident=resident, assignment__in=assignments)
        .select_related("grading", "assignment")
        .order_by("version")
    )
    by_assignment: dict[int, list] = {}
    for submission in submissions:
        by_assignment.setdefault(submission.assignment_id, []).append(submission)
    return {
        "course_id": cohort.slug if cohort else None,
        "assignments": [
            {
                "name": assignment.name,
                "title": assignment.title or assignment.name,
                "released_at": assignment.release_at.isoformat(),
                "due_at": extensions.get(assignment.pk, assignment.due_at).isoformat(),
                "notebooks": [
                    name.removesuffix(".ipynb") for name in release_notebook_names(assignment)
                ],
                "submissions": [
                    _submission_summary(s) for s in by_assignment.get(assignment.pk, [])
                ],
            }
            for assignment in assignments
        ],
    }


def _submission_summary(submission: Submission) -> dict:
    grading = getattr(submission, "grading", None)
    graded = grading is not None and grading.status == grading.Status.GRADED
    return {
        "version": submission.version,
        "timestamp": exchange_timestamp(submission.submitted_at),
        "status": grading.status if grading else "queued",
        "score": grading.score if graded else None,
        "max_score": grading.max_score if graded else None,
        "feedback": sorted(grading.feedback_files)
        if feedback_visible(assignment=submission.assignment, grading=grading)
        else [],
    }


def feedback_visible(*, assignment: Assignment, grading) -> bool:
    """Whether the resident may read this grading's feedback: rendered, and released if need be."""
    if grading is None or grading.status != grading.Status.GRADED or not grading.feedback_files:
        return False
    return (
        assignment.feedback_policy == "automatic"
        or assignment.feedback_released_at is not None
        or grading.feedback_released_at is not None
    )


def feedback_for(*, assignment: Assignment, resident: User) -> list[dict]:
    """Rendered feedback of each graded submission, newest last, one HTML file per notebook."""
    submissions = (
        Submission.objects.filter(assignment=assignment, resident=resident)
        .select_related("grading")
        .order_by("version")
    )
    feedback = []
    for submission in submissions:
        grading = getattr(submission, "grading", None)
        if not feedback_visible(assignment=assignment, grading=grading):
            continue
        feedback.append(
            {
                "version": submission.version,
                "timestamp": exchange_timestamp(submission.submitted_at),
                "files": {
                    f"{name.removesuffix('.ipynb')}.html": html
                    for name, html in grading.feedback_files.items()
                },
            }
        )
    return feedback


def resident_progress(*, resident: User) -> dict:
    """A resident's own assignments, week by week: due time, counting version, grade, feedback."""
    from lms.cohorts.selectors import cohort_for_resident

    cohort = cohort_for_resident(user=resident)
    if cohort is None:
        return {"cohort": None, "rows": [], "earned": 0, "possible": 0}
    now = timezone.now()
    assignments = list(
        Assignment.objects.filter(cohort=cohort)
        .select_related("week", "cohort")
        .order_by("due_at", "name")
    )
    submissions: dict[int, list[Submission]] = {}
    for submission in (
        Submission.objects.filter(resident=resident, assignment__cohort=cohort)
        .select_related("grading")
        .order_by("version")
    ):
        submissions.setdefault(submission.assignment_id, []).append(submission)
    extensions = {e.assignment_id: e.due_at for e in Extension.objects.filter(resident=resident)}
    rows, earned, possible = [], 0.0, 0.0
    for assignment in assignments:
        versions = submissions.get(assignment.pk, [])
        due = extensions.get(assignment.pk, assignment.due_at)
        latest = counting_version(versions, policy=assignment.late_policy, due=due)
        grading = getattr(latest, "grading", None) if latest else None
        graded = grading is not None and grading.status == grading.Status.GRADED
        if graded:
            earned += grading.score or 0
            possible += grading.max_score
        elif due < now:
            possible += assignment.max_score
        rows.append(
            {
                "assignment": assignment,
                "week": assignment_week_number(assignment=assignment),
                "released": assignment.release_at <= now,
                "due_at": due,
                "extended": assignment.pk in extensions,
                "overdue": latest is None and due < now,
                "submission": latest,
                "versions": len(versions),
                "grading": grading,
                "graded": graded,
                "feedback_ready": feedback_visible(assignment=assignment, grading=grading),
            }
        )
    return {
        "cohort": cohort,
        "rows": rows,
        "earned": earned,
        "possible": possible,
        "weeks": (weeks := _weekly(cohort, rows)),
        "trend": running_total(weeks),
        "next_up": next(
            (r for r in rows if r["released"] and not r["submission"] and r["due_at"] >= now), None
        ),
    }


def _weekly(cohort, rows) -> list[dict]:
    """Points per residency week, for the progress bars: graded work, and work past due."""
    weeks = [
        {"number": n, "earned": 0.0, "possible": 0.0, "count": 0}
        for n in range(1, cohort.weeks + 1)
    ]
    for row in rows:
        week = weeks[min(max(row["week"], 1), cohort.weeks) - 1]
        week["count"] += 1
        if row["graded"]:
            week["earned"] += row["grading"].score or 0
            week["possible"] += row["grading"].max_score
        elif row["overdue"]:
            week["possible"] += row["assignment"].max_score
    for week in weeks:
        week["percent"] = (
            round(100 * week["earned"] / week["possible"]) if week["possible"] else None
        )
    return weeks


def running_total(weeks: list[dict], *, width: int = 640, height: int = 160) -> dict:
    """The cumulative percentage after each week, as points for an SVG line over the residency.

    Weeks before anything was graded or due have no point; the line starts at the first
    week that has one and stops at the last, so a future week never reads as zero.
    """
    earned = possible = 0.0
    step = width / max(len(weeks) - 1, 1)
    points = []
    for index, week in enumerate(weeks):
        earned += week["earned"]
        possible += week["possible"]
        if week["percent"] is None or not possible:
            continue
        percent = round(100 * earned / possible)
        points.append(
            {
                "week": week["number"],
                "percent": percent,
                "x": round(index * step, 1),
                "y": round(height - height * percent / 100, 1),
            }
        )
    return {
        "points": points,
        "polyline": " ".join(f"{p['x']},{p['y']}" for p in points),
        "width": width,
        "height": height,
        "ticks": [
            {"week": week["number"], "x": round(index * step, 1)}
            for index, week in enumerate(weeks)
        ],
        "threshold_y": round(height - height * 0.6, 1),
        "latest": points[-1]["percent"] if points else None,
    }


def resident_feedback(*, resident: User, name: str, version: int):
    """One of the resident's own graded submissions with its feedback, or None."""
    return (
        Submission.objects.filter(
            resident=resident, assignment__name=name, version=version,
            grading__status="graded",
        )
        .select_related("assignment", "grading")
        .first()
    )  # fmt: skip


def submission_review(
    *, cohort, username: str, name: str, version: int | None = None
) -> dict | None:
    """Everything staff review of one resident's hand-in: versions, the chosen one, cells, notebooks."""
    import nbformat

    from .grading.nbgrader_adapter import render_notebook_html

    assignment = Assignment.objects.filter(cohort=cohort, name=name).first()
    resident = User.objects.filter(username=username, enrollment__cohort=cohort).first()
    if assignment is None or resident is None:
        return None
    versions = list(
        Submission.objects.filter(assignment=assignment, resident=resident)
        .select_related("grading")
        .order_by("version")
    )
    due = effective_due_at(assignment=assignment, resident=resident)
    counting = counting_version(versions, policy=assignment.late_policy, due=due)
    chosen = next((v for v in versions if v.version == version), None) if version else counting
    grading = getattr(chosen, "grading", None) if chosen else None
    cells = list(grading.cells.order_by("notebook", "id")) if grading else []
    notebooks = []
    if grading and grading.graded_notebooks:
        for notebook_name, notebook in sorted(grading.graded_notebooks.items()):
            html = render_notebook_html(nbformat.from_dict(notebook))
            notebooks.append((notebook_name, html))
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
        "due_changes": list(
            assignment.extension_changes.filter(resident=resident).select_related("changed_by")
        ),
    }


def manual_grading_queue(*, cohort) -> list:
    """Cells waiting for a human grader in the cohort, oldest hand-in first, in one query."""
    from .models import CellGrade

    return list(
        CellGrade.objects.filter(
            needs_manual_grade=True,
            grading__status="graded",
            grading__submission__assignment__cohort=cohort,
        )
        .select_related("grading__submission__assignment", "grading__submission__resident")
        .order_by("grading__submission__submitted_at", "notebook", "id")
    )


def gradebook_scope(*, user, cohort) -> set[int] | None:
    """Which assignments' grades this person may read: all (None) for staff; for a guest
    instructor, those in the weeks staff gave them to write; otherwise none."""
    from lms.people.models import Role
    from lms.people.selectors import user_is_staff, user_roles

    if user_is_staff(user=user):
        return None
    if Role.GUEST_INSTRUCTOR not in user_roles(user=user):
        return set()
    return {
        assignment.pk
        for assignment in Assignment.objects.filter(
            cohort=cohort, week__isnull=False
        ).select_related("week")
        if assignment.week.permissions_for_user(user).can_edit()
    }


def calendar_entries(*, user: User) -> list:
    """A resident's due times (their own extension where granted), as half-hour entries ending at the deadline."""
    from lms.calendars.entries import CalendarEntry
    from lms.cohorts.selectors import cohort_for_resident

    cohort = cohort_for_resident(user=user)
    if cohort is None:
        return []
    extensions = {e.assignment_id: e.due_at for e in Extension.objects.filter(resident=user)}
    entries = []
    for assignment in Assignment.objects.filter(cohort=cohort).order_by("due_at"):
        due = extensions.get(assignment.pk, assignment.due_at)
        title = assignment.title or assignment.name
        entries.append(
            CalendarEntry(
                uid=f"due-{assignment.pk}-{user.pk}",
                summary=f"Due: {title}",
                start=due - datetime.timedelta(minutes=30),
                end=due,
                description=(
                    f"{title} ({assignment.name}) is due at {timezone.localtime(due):%-I:%M %p}."
                    + (
                        " Your extension moved this due time."
                        if assignment.pk in extensions
                        else ""
                    )
                ),
                url="/progress/",
            )
        )
    return entries

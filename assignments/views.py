"""Views: uploading assignments, residents' progress, and staff's gradebook. Thin: services and selectors do the work."""

from csp.constants import NONE
from csp.decorators import csp_replace
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from lms.cohorts.models import Cohort
from lms.people.models import User
from lms.people.permissions import (
    deny_unless,
    staff_or_guest_instructor_required,
    staff_required,
    user_is_staff,
)

from .forms import AssignmentEditForm, AssignmentUploadForm, ExtensionForm
from .models import Assignment, CellGrade, Grading, RubricCriterion
from .permissions import (
    gradebook_scope,
    scope_allows,
    user_can_add_to_week,
    user_can_edit_assignment,
    user_can_read_progress_of,
)
from .selectors import (
    assignment_graded_cells,
    assignments_overview,
    authorable_weeks,
    cell_grade_outcome,
    feedback_visible,
    grading_desk,
    grading_desk_residents,
    manual_grading_queue,
    resident_feedback,
    resident_progress,
    stuck_cells,
    submission_review,
)
from .services import (
    NOTHING_TO_CHANGE,
    AssignmentUploadError,
    assignment_create,
    assignment_edit,
    assignment_regrade,
    cell_grade_set,
    extension_grant,
    extension_revoke,
    feedback_release,
    grading_regrade,
    rubric_criterion_add,
    rubric_criterion_remove,
)

WEEK_REQUIRED_FOR_GUESTS = "Choose the week this assignment belongs to."
WEEK_NOT_YOURS = "You can add assignments only to weeks staff gave you to write."


def _week_allowed(request, form) -> bool:
    """Guest instructors upload only into weeks they may edit; staff anywhere."""
    if user_is_staff(user=request.user):
        return True
    week = form.cleaned_data.get("week")
    if week is None:
        form.add_error("week", WEEK_REQUIRED_FOR_GUESTS)
        return False
    if not user_can_add_to_week(user=request.user, week=week):
        form.add_error("week", WEEK_NOT_YOURS)
        return False
    return True


@staff_or_guest_instructor_required
def assignment_index(request):
    return TemplateResponse(
        request, "assignments/admin/index.html", {"cohorts": assignments_overview()}
    )


def _form_errors(form, error: ValidationError) -> None:
    """Put a service's refusal on the form: a model field's error beside that field, nbgrader's
    reasons about notebooks and cells beside Files, anything else at the top."""
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
        return
    for message in error.messages:
        about_files = isinstance(error, AssignmentUploadError) and (
            "cell" in message or ".ipynb" in message
        )
        form.add_error("files" if about_files else None, message)


@staff_or_guest_instructor_required
def assignment_upload(request):
    form = AssignmentUploadForm(
        request.POST or None, request.FILES or None, weeks=authorable_weeks(user=request.user)
    )
    if request.method == "POST" and form.is_valid() and _week_allowed(request, form):
        data = form.cleaned_data
        # Browsers send base names only; the service checks names, count and sizes.
        files = {upload.name: upload.read() for upload in data["files"]}
        try:
            assignment = assignment_create(
                cohort=data["cohort"], name=data["name"], title=data["title"], week=data["week"],
                files=files,
                release_at=data["release_at"], due_at=data["due_at"], late_policy=data["late_policy"],
                late_penalty_percent_per_day=data["late_penalty_percent_per_day"],
                show_hidden_tests_in_feedback=data["show_hidden_tests_in_feedback"],
                feedback_policy=data["feedback_policy"] or "automatic",
            )  # fmt: skip
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request,
                f"{assignment.name} is ready: released {assignment.release_at:%b %d %H:%M}, {assignment.max_score:g} points.",
            )
            return redirect("assignments_admin:index")
    return TemplateResponse(request, "assignments/admin/upload.html", {"form": form})


@staff_or_guest_instructor_required
def assignment_edit_page(request, pk: int):
    """Change an assignment after upload: settings, files, each cell's points; every change
    goes into the history shown below the form. New files offer to grade hand-ins again."""
    assignment = get_object_or_404(Assignment.objects.select_related("cohort", "week"), pk=pk)
    deny_unless(user_can_edit_assignment(user=request.user, assignment=assignment))
    cells = assignment_graded_cells(assignment=assignment)
    form = AssignmentEditForm(
        request.POST or None, request.FILES or None, instance=assignment, cells=cells
    )
    if request.method == "POST" and form.is_valid() and _week_allowed(request, form):
        data = form.cleaned_data
        files = {upload.name: upload.read() for upload in data["files"] or []}
        try:
            edit = assignment_edit(
                assignment=assignment, by=request.user, settings=form.settings(),
                files=files or None, points=form.changed_points(),
            )  # fmt: skip
        except ValidationError as error:
            _form_errors(form, error)
        else:
            graded = edit.graded_before
            if graded is None and not edit.changes:
                messages.info(request, NOTHING_TO_CHANGE)
            else:
                messages.success(request, f"{assignment.name} is saved.")
            url = reverse("assignments_admin:edit", args=[assignment.pk])
            return redirect(f"{url}?regrade={graded}" if graded else url)
    return TemplateResponse(
        request,
        "assignments/admin/edit.html",
        {
            "assignment": assignment,
            "form": form,
            "history": assignment.changes.select_related("changed_by")[:200],
            "regrade_offer": request.GET.get("regrade", ""),
        },
    )


@require_POST
@staff_or_guest_instructor_required
def assignment_regrade_view(request, pk: int):
    assignment = get_object_or_404(Assignment, pk=pk)
    deny_unless(user_can_edit_assignment(user=request.user, assignment=assignment))
    count = assignment_regrade(assignment=assignment, by=request.user)
    messages.success(
        request,
        f"{count} hand-in{pluralize(count)} of {assignment.name} queued to be graded again.",
    )
    return redirect("assignments_admin:edit", assignment.pk)


@login_required
def my_progress(request):
    """A resident's own grades and feedback; other roles have no progress of their own."""
    progress = resident_progress(resident=request.user)
    if progress["cohort"] is None:
        return TemplateResponse(request, "assignments/no_progress.html", status=404)
    return TemplateResponse(request, "assignments/progress.html", {**progress, "own": True})


@login_required
def mentee_progress(request, username: str):
    """A mentee's progress, read-only, for their mentors and for staff."""
    resident = get_object_or_404(User, username=username, enrollment__isnull=False)
    # 404, not 403: to anyone else a resident's progress page does not exist.
    if not user_can_read_progress_of(user=request.user, resident=resident):
        raise Http404("No such resident among your mentees.")
    progress = resident_progress(resident=resident)
    return TemplateResponse(
        request, "assignments/progress.html", {**progress, "own": False, "resident": resident}
    )


@login_required
def my_feedback(request, name: str, version: int):
    submission = resident_feedback(resident=request.user, name=name, version=version)
    if submission is None or not feedback_visible(
        assignment=submission.assignment, grading=submission.grading
    ):
        raise Http404("No feedback for that submission yet.")
    cells = list(submission.grading.cells.prefetch_related("rubric"))
    context = {
        "submission": submission,
        "files": sorted(submission.grading.feedback_files.items()),
        "comments": [cell for cell in cells if cell.comment or cell.rubric.all()],
        "awaiting": [cell for cell in cells if cell.awaiting_grader],
    }
    return TemplateResponse(request, "assignments/feedback.html", context)


# The review page embeds residents' notebooks: their outputs may carry any HTML or script.
# They sit in a sandboxed frame (no scripts, an opaque origin), and the page's policy allows
# no script at all, so nothing that slipped through could run.
REVIEW_CSP = {"script-src": [NONE], "frame-ancestors": [NONE]}


@login_required
@csp_replace(REVIEW_CSP)
def submission_review_page(request, slug: str, username: str, name: str):
    cohort = get_object_or_404(Cohort, slug=slug)
    scope = gradebook_scope(user=request.user, cohort=cohort)
    assignment = get_object_or_404(Assignment, cohort=cohort, name=name)
    deny_unless(scope_allows(scope=scope, assignment=assignment))
    version = request.GET.get("version", "")
    review = submission_review(
        cohort=cohort, username=username, name=name,
        version=int(version) if version.isdigit() else None,
    )  # fmt: skip
    if review is None:
        raise Http404("No such resident or assignment in this cohort.")
    response = TemplateResponse(
        request,
        "assignments/submission_review.html",
        {"cohort": cohort, "can_grade": scope is None, **review},
    )
    return response


@login_required
def stuck_page(request, slug: str, name: str):
    """Where the cohort is stuck on one assignment: each test cell's pass rate, its most common
    failures and who has not passed it. Staff, and guest instructors for the weeks they teach."""
    cohort = get_object_or_404(Cohort, slug=slug)
    scope = gradebook_scope(user=request.user, cohort=cohort)
    deny_unless(scope_allows(scope=scope))
    assignment = get_object_or_404(
        Assignment.objects.select_related("cohort"), cohort=cohort, name=name
    )
    deny_unless(scope_allows(scope=scope, assignment=assignment))
    return TemplateResponse(
        request,
        "assignments/stuck.html",
        {"cohort": cohort, "report": stuck_cells(assignment=assignment)},
    )


@login_required
@staff_required
def manual_queue(request, slug: str):
    cohort = get_object_or_404(Cohort, slug=slug)
    return TemplateResponse(
        request,
        "assignments/manual_queue.html",
        {"cohort": cohort, "cells": manual_grading_queue(cohort=cohort)},
    )


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
@require_POST
@staff_required
def cell_grade_update(request, slug: str, username: str, name: str, cell_id: int):
    """Save a grader's points, rubric choices and comment for one cell. The grading desk sends
    it in the background and reads the new totals as JSON; a plain form post returns to the page
    it came from."""
    cell = get_object_or_404(
        CellGrade.objects.select_related("grading__submission"),
        pk=cell_id,
        grading__submission__assignment__cohort__slug=slug,
        grading__submission__assignment__name=name,
        grading__submission__resident__username=username,
    )
    criteria = None
    if "rubric-present" in request.POST:
        ids = [int(i) for i in request.POST.getlist("criteria") if i.isdigit()]
        criteria = list(RubricCriterion.objects.filter(pk__in=ids))
    raw = request.POST.get("points", "").strip()
    error = None
    try:
        points = float(raw) if raw else None
        cell_grade_set(
            cell=cell, points=points, comment=request.POST.get("comment", ""), by=request.user,
            criteria=criteria,
        )  # fmt: skip
    except ValueError:
        error = f"Points for {cell.grade_id} must be a number."
    except ValidationError as invalid:
        error = invalid.messages[0]
    if _wants_json(request):
        return JsonResponse(
            cell_grade_outcome(cell=cell, error=error), status=400 if error else 200
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"Saved {cell.grade_id}.")
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return redirect(f"{next_url}#cell-{cell.pk}")
    version = cell.grading.submission.version
    review = reverse("assignments:review", args=[slug, username, name])
    return redirect(f"{review}?version={version}#cell-{cell.pk}")


def _desk_assignment(slug: str, name: str) -> Assignment:
    return get_object_or_404(
        Assignment.objects.select_related("cohort"), cohort__slug=slug, name=name
    )


@login_required
@staff_required
def grading_desk_start(request, slug: str, name: str):
    """Open the desk at the first resident whose answer awaits a grader, else the first hand-in."""
    assignment = _desk_assignment(slug, name)
    residents = grading_desk_residents(assignment=assignment)
    if not residents:
        messages.info(request, f"Nobody has a graded hand-in of {assignment.name} yet.")
        return redirect("reporting:gradebook", slug)
    first = next((d for d in residents if d.awaiting), residents[0])
    return redirect("assignments:desk", slug, name, first.resident.username)


@login_required
@staff_required
def grading_desk_page(request, slug: str, name: str, username: str):
    """Grade one resident's counting version: answers beside points, rubric and comment."""
    assignment = _desk_assignment(slug, name)
    resident = get_object_or_404(User, username=username)
    desk = grading_desk(assignment=assignment, resident=resident)
    if desk is None:
        raise Http404("No such resident in this cohort.")
    response = TemplateResponse(
        request, "assignments/grading_desk.html", {"cohort": assignment.cohort, **desk}
    )
    return response


@login_required
@require_POST
@staff_required
def rubric_add(request, slug: str, name: str):
    assignment = _desk_assignment(slug, name)
    cell = get_object_or_404(
        CellGrade, pk=request.POST.get("cell", ""), grading__submission__assignment=assignment
    )
    try:
        rubric_criterion_add(
            assignment=assignment, notebook=cell.notebook, grade_id=cell.grade_id,
            description=request.POST.get("description", ""),
            points=float(request.POST.get("points", "")), max_score=cell.max_score,
        )  # fmt: skip
    except ValueError:
        messages.error(request, "Give the criterion's points as a number.")
    except ValidationError as invalid:
        messages.error(request, invalid.messages[0])
    else:
        messages.success(request, f"Added a criterion to the rubric of {cell.grade_id}.")
    return _back_to_desk(request, slug, name, cell)


@login_required
@require_POST
@staff_required
def rubric_remove(request, slug: str, name: str, criterion_id: int):
    assignment = _desk_assignment(slug, name)
    criterion = get_object_or_404(RubricCriterion, pk=criterion_id, assignment=assignment)
    try:
        rubric_criterion_remove(criterion=criterion)
    except ValidationError as invalid:
        messages.error(request, invalid.messages[0])
    else:
        messages.success(request, f"Removed “{criterion.description}”.")
    return _back_to_desk(request, slug, name, None)


def _back_to_desk(request, slug: str, name: str, cell):
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("assignments:desk-start", args=[slug, name])
    return redirect(next_url + (f"#cell-{cell.pk}" if cell else ""))


@login_required
@require_POST
@staff_required
def feedback_release_view(request, slug: str, name: str):
    """Release an assignment's feedback to one resident (``resident`` in the form) or to everyone."""
    assignment = get_object_or_404(Assignment, cohort__slug=slug, name=name)
    username = request.POST.get("resident", "")
    resident = None
    if username:
        resident = get_object_or_404(
            assignment.cohort.enrollments.select_related("resident"), resident__username=username
        ).resident
    count = feedback_release(assignment=assignment, by=request.user, resident=resident)
    who = (resident.get_full_name() or resident.username) if resident else "the cohort"
    messages.success(request, f"Feedback on {assignment.name} released to {who} ({count} graded).")
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("reporting:gradebook", args=[slug])
    return redirect(next_url)


@login_required
@require_POST
@staff_required
def hand_in_action(request, slug: str, username: str, name: str, action: str):
    """From a hand-in's page: grade the shown version again, give the resident a later due time,
    or take their extension back."""
    review = reverse("assignments:review", args=[slug, username, name])
    assignment = get_object_or_404(Assignment, cohort__slug=slug, name=name)
    resident = get_object_or_404(
        assignment.cohort.enrollments.select_related("resident"), resident__username=username
    ).resident
    who = resident.get_full_name() or resident.username
    if action == "regrade":
        grading = get_object_or_404(
            Grading,
            submission__assignment=assignment,
            submission__resident=resident,
            submission__version=request.POST.get("version", ""),
        )
        grading_regrade(grading=grading, by=request.user)
        messages.success(
            request, f"Version {grading.submission.version} is queued to be graded again."
        )
        return redirect(f"{review}?version={grading.submission.version}")
    if action == "revoke-extension":
        try:
            extension_revoke(assignment=assignment, resident=resident, by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, f"{who} is due with the cohort again.")
        return redirect(review)
    form = ExtensionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the new due time as a date and time.")
        return redirect(review)
    try:
        extension_grant(
            assignment=assignment, resident=resident, due_at=form.cleaned_data["due_at"],
            granted_by=request.user, reason=form.cleaned_data["reason"],
        )  # fmt: skip
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(review)
    when = timezone.localtime(form.cleaned_data["due_at"])
    messages.success(request, f"{who} now has until {when:%a %b %-d, %-I:%M %p}.")
    return redirect(review)

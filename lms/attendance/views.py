"""Attendance pages: staff mark sessions; residents see their own record; mentors their mentees'."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from lms.cohorts.models import Cohort
from lms.cohorts.selectors import _add_months, cohort_end_date, cohort_for_resident, cohort_phase
from lms.people.models import User
from lms.people.permissions import role_required, staff_required, user_is_mentor, user_is_staff

from .forms import SessionMarkForm, SessionRescheduleForm
from .models import Session, SessionKind, Status
from .permissions import user_reads_own_attendance
from .selectors import (
    cohort_summary,
    cohort_week,
    default_week,
    mentee_rates,
    monday_of,
    own_record,
    session_neighbours,
    session_sheet,
)
from .services import (
    attendance_mark_session,
    session_cancel,
    session_reschedule,
    sessions_ensure,
)

SECTION = {"section_key": "attendance"}


@login_required
@role_required(user_is_staff, user_reads_own_attendance)
def index(request):
    """Staff: the cohorts. Residents and alumni: their own record. Mentors: their mentees' rates."""
    user = request.user
    if user_is_staff(user=user):
        cohorts = [
            (cohort, cohort_phase(cohort=cohort))
            for cohort in Cohort.objects.order_by("-start_date")
        ]
        return TemplateResponse(
            request, "attendance/staff_index.html", {**SECTION, "cohorts": cohorts}
        )
    cohort = cohort_for_resident(user=user)
    mentor = user_is_mentor(user=user)
    if cohort is not None:
        sessions_ensure(cohort=cohort)
    context = {
        **SECTION,
        "record": own_record(person=user) if cohort else None,
        "mentees": mentee_rates(mentor=user) if mentor else None,
        "own": True,
    }
    return TemplateResponse(request, "attendance/own.html", context)


def _parse_week(cohort: Cohort, value: str) -> datetime.date | None:
    """The Monday of the asked-for week, if it is a date within the cohort's schedule."""
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        return None
    graduation = cohort_end_date(cohort=cohort)
    last = _add_months(graduation, cohort.post_residency_months)
    return monday_of(day) if cohort.start_date <= day <= last else None


@login_required
@staff_required
def cohort_attendance(request, slug: str):
    """Staff's week calendar of a cohort's sessions, with counts, and each resident's rate."""
    cohort = get_object_or_404(Cohort, slug=slug)
    sessions_ensure(cohort=cohort)
    monday = _parse_week(cohort, request.GET.get("week", "")) or default_week(cohort=cohort)
    context = {
        **SECTION,
        "cohort": cohort,
        "week": cohort_week(cohort=cohort, monday=monday),
        "summary": cohort_summary(cohort=cohort),
        "statuses": Status,
        "today": timezone.localdate(),
    }
    return TemplateResponse(request, "attendance/cohort.html", context)


@login_required
@staff_required
def session_detail(request, pk: int):
    """The day's sheet: everyone pre-filled as present; staff change the exceptions and save."""
    session = get_object_or_404(Session.objects.select_related("cohort"), pk=pk)
    rows = session_sheet(session=session)
    form = SessionMarkForm(request.POST or None, rows=rows)
    if request.method == "POST" and form.is_valid():
        try:
            changed = attendance_mark_session(
                session=session, marks=form.marks(), marked_by=request.user
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request,
                f"Attendance saved for {len(rows)} residents ({changed} changed)."
                if changed
                else "Attendance saved; nothing had changed.",
            )
            return redirect("attendance:session", pk=session.pk)
    previous, following = session_neighbours(session=session)
    local_start = timezone.localtime(session.starts_at)
    context = {
        **SECTION,
        "session": session,
        "cohort": session.cohort,
        "form": form,
        "recorded": sum(1 for row in rows if row.mark),
        "last_mark": max(
            (row.mark for row in rows if row.mark), key=lambda mark: mark.marked_at, default=None
        ),
        "started": session.starts_at <= timezone.now(),
        "previous": previous,
        "following": following,
        "is_class": session.kind == SessionKind.CLASS_DAY,
        "reschedule": SessionRescheduleForm(
            initial={
                "day": local_start.date(),
                "starts": local_start.time(),
                "ends": timezone.localtime(session.ends_at).time(),
            }
        ),
    }
    return TemplateResponse(request, "attendance/session.html", context)


@login_required
@require_POST
@staff_required
def session_change(request, pk: int):
    """Cancel, restore or move one session."""
    session = get_object_or_404(Session, pk=pk)
    action = request.POST.get("action")
    if action in ("cancel", "restore"):
        session_cancel(session=session, cancelled=action == "cancel")
        messages.success(
            request,
            "Session cancelled: it counts for no one's attendance."
            if action == "cancel"
            else "Session restored.",
        )
    elif action == "move":
        form = SessionRescheduleForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Give the day, a start time and an end time.")
        else:
            starts_at, ends_at = form.times()
            try:
                session_reschedule(session=session, starts_at=starts_at, ends_at=ends_at)
            except ValidationError as error:
                messages.error(request, error.messages[0])
            else:
                messages.success(
                    request,
                    f"Moved to {timezone.localtime(starts_at):%A %B %-d, %-I:%M %p}.",
                )
    return redirect("attendance:session", pk=session.pk)


@login_required
@staff_required
def resident_record(request, slug: str, username: str):
    """One resident's record as they see it, for staff."""
    resident = get_object_or_404(User, username=username, enrollment__cohort__slug=slug)
    context = {**SECTION, "record": own_record(person=resident), "own": False, "person": resident}
    return TemplateResponse(request, "attendance/own.html", context)

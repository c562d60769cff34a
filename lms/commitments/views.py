"""Hours pages: alumni log their own; staff see each graduated cohort's grid and export it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from lms.cohorts.models import Cohort
from lms.cohorts.permissions import user_is_enrolled
from lms.cohorts.selectors import cohort_end_date, cohort_for_resident
from lms.csvexport import csv_response
from lms.people.permissions import deny_unless, role_required, staff_required, user_is_staff

from .forms import HoursEntryForm
from .models import HoursEntry
from .permissions import cohort_hours_open, user_logs_hours
from .prompts import hours_prompts
from .selectors import (
    HOURS_PER_MONTH,
    PACE_RULE,
    alumna_months,
    cohort_hours_grid,
    commitment_cohort,
    commitment_months,
    editable_months,
    graduated_cohorts,
    grid_csv_rows,
    open_months_text,
)
from .services import hours_entry_create, hours_entry_delete, hours_entry_update
from .templatetags.commitment_tags import hours_phrase

SECTION = {"section_key": "commitments", "pace_rule": PACE_RULE, "target": HOURS_PER_MONTH}


def _alumna_page(request, cohort, form, status=200):
    today = timezone.localdate()
    months = alumna_months(person=request.user, cohort=cohort, today=today)
    open_months = editable_months(months=[m.month for m in months], today=today)
    context = {
        **SECTION,
        "cohort": cohort,
        "months": months,
        "current": next((m for m in months if m.current), None),
        "open_months": open_months,
        "open_text": open_months_text(open_months=open_months),
        "form": form,
        "total": sum((m.hours for m in months), 0),
        "first_day": months[0].month.start,
        "last_day": months[-1].month.end,
        "can_log": months[0].month.start <= today <= months[-1].month.end or bool(open_months),
        "today": today,
        "prompts": hours_prompts(user=request.user, cohort=cohort, today=today),
    }
    return TemplateResponse(request, "commitments/alumna.html", context, status=status)


@login_required
@role_required(user_is_staff, user_is_enrolled)
def index(request):
    """Staff: the graduated cohorts. Alumni: their months. Residents: what is coming."""
    user = request.user
    if user_is_staff(user=user):
        cohorts = [(c, cohort_end_date(cohort=c)) for c in graduated_cohorts()]
        return TemplateResponse(
            request, "commitments/staff_index.html", {**SECTION, "cohorts": cohorts}
        )
    cohort = commitment_cohort(user=user)
    if cohort is not None:
        form = HoursEntryForm(initial={"date": timezone.localdate()})
        return _alumna_page(request, cohort, form)
    upcoming = cohort_for_resident(user=user)
    months = commitment_months(cohort=upcoming)
    context = {
        **SECTION,
        "cohort": upcoming,
        "graduation": cohort_end_date(cohort=upcoming),
        "first_day": months[0].start,
        "last_day": months[-1].end,
        "month_count": len(months),
    }
    return TemplateResponse(request, "commitments/coming.html", context)


def _save_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        form.add_error(None, error)
    else:
        for message in error.messages:
            form.add_error(None, message)


@login_required
@require_POST
@role_required(user_logs_hours)
def entry_create(request):
    cohort = commitment_cohort(user=request.user)
    form = HoursEntryForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            entry = hours_entry_create(
                person=request.user, date=data["date"], kind=data["kind"], hours=data["hours"],
                note=data["note"],
            )  # fmt: skip
        except ValidationError as error:
            _save_errors(form, error)
        else:
            messages.success(
                request,
                f"Logged {hours_phrase(entry.hours)} of {entry.get_kind_display().lower()} "
                f"on {entry.date:%B %-d}.",
            )
            return redirect("commitments:index")
    return _alumna_page(request, cohort, form, status=400)


@login_required
def entry_edit(request, pk: int):
    """Change one of her own entries; anyone else's is not found."""
    entry = get_object_or_404(HoursEntry, pk=pk, person=request.user)
    form = HoursEntryForm(
        request.POST or None,
        initial={"date": entry.date, "kind": entry.kind, "hours": entry.hours, "note": entry.note},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            hours_entry_update(
                entry=entry, date=data["date"], kind=data["kind"], hours=data["hours"],
                note=data["note"],
            )  # fmt: skip
        except ValidationError as error:
            _save_errors(form, error)
        else:
            messages.success(request, "Entry changed.")
            return redirect("commitments:index")
    return TemplateResponse(
        request, "commitments/edit.html", {**SECTION, "entry": entry, "form": form}
    )


@login_required
@require_POST
def entry_delete(request, pk: int):
    entry = get_object_or_404(HoursEntry, pk=pk, person=request.user)
    try:
        hours_entry_delete(entry=entry)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request, f"Deleted the {hours_phrase(entry.hours)} of {entry.date:%B %-d}."
        )
    return redirect("commitments:index")


def _staff_grid(request, slug: str):
    cohort = get_object_or_404(Cohort, slug=slug)
    if not cohort_hours_open(cohort=cohort):
        return cohort, None
    sort = "behind" if request.GET.get("sort") == "behind" else "name"
    return cohort, cohort_hours_grid(cohort=cohort, sort=sort)


@login_required
@staff_required
def cohort_grid(request, slug: str):
    """Staff's grid: alumni × months, totals, behind flags; sortable by who is furthest behind."""
    cohort, grid = _staff_grid(request, slug)
    context = {
        **SECTION,
        "cohort": cohort,
        "grid": grid,
        "sort": request.GET.get("sort", "name"),
        "graduation": cohort_end_date(cohort=cohort),
        "flagged_rows": sum(1 for row in grid.rows if row.months_behind) if grid else 0,
    }
    return TemplateResponse(request, "commitments/grid.html", context)


@login_required
@staff_required
def cohort_export(request, slug: str):
    """The grid as CSV: one row per alumna, hours per month, total, shortfall so far."""
    cohort, grid = _staff_grid(request, slug)
    deny_unless(grid is not None)
    header, *rows = grid_csv_rows(grid=grid)
    return csv_response(f"hours-{cohort.slug}.csv", header, rows)

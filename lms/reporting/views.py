"""The gradebook pages: thin views over ``gradebook``, which composes grading and the program apps."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse

from assignments.exports import GRADE_COLUMNS, cohort_grade_rows
from assignments.permissions import gradebook_scope, scope_allows
from assignments.selectors import grading_queue_health
from lms.cohorts.models import Cohort
from lms.csvexport import csv_response, dict_rows
from lms.people.permissions import deny_unless, staff_required

from .gradebook import (
    PROGRESS_COLUMNS,
    AtRiskRule,
    CellState,
    cohort_overview,
    overview_narrowed,
    progress_rows,
)


def _float(value: str, default: float) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


@login_required
def gradebook(request, slug: str):
    """Staff's cohort overview: residents by assignments, by week, with at-risk flags.

    Guest instructors see the columns of the weeks staff gave them, without totals.
    """
    other = request.GET.get("cohort", "")
    if other and other != slug and Cohort.objects.filter(slug=other).exists():
        # The filter form's cohort choice: that cohort's own gradebook (no script needed).
        return redirect("reporting:gradebook", other)
    cohort = get_object_or_404(Cohort, slug=slug)
    scope = gradebook_scope(user=request.user, cohort=cohort)
    deny_unless(scope_allows(scope=scope))
    params = request.GET
    rule = AtRiskRule(
        missing=max(1, int(_float(params.get("missing"), 2))),
        percent=min(100.0, max(0.0, _float(params.get("percent"), 60))),
        weeks=max(1, int(_float(params.get("weeks"), 2))),
        attendance=min(100.0, max(0.0, _float(params.get("attendance"), 80))),
    )
    week = params.get("week", "")
    overview = overview_narrowed(
        cohort_overview(cohort=cohort, rule=rule),
        week=int(week) if week.isdigit() else None,
        state=params.get("state", ""),
        query=params.get("q", "").strip(),
        at_risk_only=scope is None and params.get("at_risk") == "1",
        sort=params.get("sort", "name") if scope is None else "name",
        only=scope,
    )
    context = {
        "overview": overview,
        "full": scope is None,
        "queue": grading_queue_health(cohort=cohort) if scope is None else None,
        "states": list(CellState),
        "weeks": range(1, cohort.weeks + 1),
        "params": params,
        "cohorts": Cohort.objects.order_by("-start_date"),
    }
    return TemplateResponse(request, "reporting/gradebook.html", context)


@login_required
@staff_required
def gradebook_export(request, slug: str, kind: str):
    """The cohort's grades (nbgrader's columns plus week) or per-resident progress, as CSV."""
    cohort = get_object_or_404(Cohort, slug=slug)
    if kind == "grades":
        return csv_response(
            f"{cohort.slug}-grades.csv", GRADE_COLUMNS, cohort_grade_rows(cohort=cohort)
        )
    rows = dict_rows(PROGRESS_COLUMNS, progress_rows(cohort_overview(cohort=cohort)))
    return csv_response(f"{cohort.slug}-progress.csv", PROGRESS_COLUMNS, rows)

"""Views: a mentor's mentees and check-in log, staff's cohort overview, a resident's mentor."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from lms.cohorts.models import Cohort
from lms.cohorts.permissions import user_is_enrolled, user_mentors_anyone
from lms.cohorts.selectors import cohort_default, cohort_for_resident
from lms.people.permissions import deny_unless, role_required, staff_required, user_is_staff

from .forms import CheckInForm, ResolveForm
from .models import Channel
from .permissions import user_can_log_check_ins, user_can_resolve_concerns
from .selectors import (
    check_in_for,
    check_ins_of,
    cohort_pairing_rows,
    concern_check_ins,
    mentees_by_cohort,
    mentor_pairing_of,
    pairing_for,
    staff_cohorts,
)
from .services import check_in_log, check_in_update, concern_resolve

SECTION = {"section_key": "mentoring"}
RESOLVED_SHOWN_FOR_DAYS = 30


@login_required
@role_required(user_is_staff, user_mentors_anyone, user_is_enrolled)
def index(request):
    """The Mentoring tab opens what this person does here: oversee, mentor, or meet their mentor."""
    if user_is_staff(user=request.user):
        return redirect("mentoring:overview")
    if user_mentors_anyone(user=request.user):
        return redirect("mentoring:mentees")
    return redirect("mentoring:my-mentor")


@login_required
@role_required(user_mentors_anyone)
def mentees(request):
    context = {**SECTION, "groups": mentees_by_cohort(mentor=request.user)}
    return TemplateResponse(request, "mentoring/mentees.html", context)


@login_required
@staff_required
def overview(request):
    """Staff: every pairing of a cohort, who has gone quiet, open concerns to resolve."""
    slug = request.GET.get("cohort")
    cohort = get_object_or_404(Cohort, slug=slug) if slug else cohort_default()
    context = {**SECTION, "cohort": cohort, "cohorts": staff_cohorts()}
    if cohort is not None:
        since = timezone.now() - datetime.timedelta(days=RESOLVED_SHOWN_FOR_DAYS)
        open_ones, resolved = concern_check_ins(cohort=cohort, resolved_since=since)
        rows = cohort_pairing_rows(cohort=cohort)
        context.update(
            rows=rows,
            quiet_count=sum(row.quiet for row in rows),
            open_concerns=open_ones,
            resolved_concerns=resolved,
            resolve_form=ResolveForm(),
            own_mentees=request.user.mentees.exists(),
        )
    return TemplateResponse(request, "mentoring/overview.html", context)


def _save_check_in(request, form, *, pairing, check_in=None) -> bool:
    data = form.cleaned_data
    fields = {
        "met_on": data["met_on"],
        "channel": data["channel"],
        "duration_minutes": data["duration_minutes"],
        "notes": data["notes"],
        "concern": data["concern"],
        "concern_text": data["concern_text"],
    }
    try:
        if check_in is None:
            check_in_log(pairing=pairing, mentor=request.user, **fields)
        else:
            check_in_update(check_in=check_in, mentor=request.user, **fields)
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


@login_required
def pairing_log(request, pairing_id: int):
    """A pairing's check-in log: its mentor logs here; staff read it."""
    pairing = pairing_for(user=request.user, pairing_id=pairing_id)
    if pairing is None:
        raise Http404("No such pairing among yours.")
    is_mentor = user_can_log_check_ins(user=request.user, pairing=pairing)
    if request.method == "POST":
        deny_unless(is_mentor)
    check_ins = check_ins_of(pairing=pairing)
    form = None
    if is_mentor:
        form = CheckInForm(
            request.POST if request.method == "POST" else None,
            initial={
                "met_on": timezone.localdate(),
                "duration_minutes": 30,
                "channel": check_ins[0].channel if check_ins else Channel.VIDEO,
            },
        )
        if (
            request.method == "POST"
            and form.is_valid()
            and _save_check_in(request, form, pairing=pairing)
        ):
            messages.success(request, f"Check-in with {pairing.resident.display_name} logged.")
            return redirect("mentoring:pairing", pairing.pk)
    context = {
        **SECTION,
        "pairing": pairing,
        "check_ins": check_ins,
        "form": form,
        "is_mentor": is_mentor,
        "is_staff": user_is_staff(user=request.user),
        "resolve_form": ResolveForm(),
    }
    return TemplateResponse(request, "mentoring/pairing.html", context)


@login_required
def check_in_edit(request, check_in_id: int):
    check_in = check_in_for(user=request.user, check_in_id=check_in_id)
    if check_in is None:
        raise Http404("No such check-in among yours.")
    deny_unless(user_can_log_check_ins(user=request.user, pairing=check_in.pairing))
    initial = {
        field: getattr(check_in, field)
        for field in ("met_on", "channel", "duration_minutes", "notes", "concern", "concern_text")
    }
    form = CheckInForm(request.POST if request.method == "POST" else None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and _save_check_in(request, form, pairing=check_in.pairing, check_in=check_in)
    ):
        messages.success(request, "Check-in updated.")
        return redirect("mentoring:pairing", check_in.pairing_id)
    context = {**SECTION, "check_in": check_in, "pairing": check_in.pairing, "form": form}
    return TemplateResponse(request, "mentoring/check_in_edit.html", context)


@login_required
@require_POST
def concern_resolve_view(request, check_in_id: int):
    # Not 403: to everyone but staff a concern's id leads nowhere, as if it did not exist.
    if not user_can_resolve_concerns(user=request.user):
        raise Http404("No such concern.")
    check_in = check_in_for(user=request.user, check_in_id=check_in_id)
    if check_in is None:
        raise Http404("No such concern.")
    form = ResolveForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        try:
            concern_resolve(
                check_in=check_in,
                staff=request.user,
                resolution_note=form.cleaned_data["resolution_note"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                f"Concern about {check_in.pairing.resident.display_name} resolved; "
                f"{check_in.pairing.mentor.display_name} sees your note in the log.",
            )
    back = request.POST.get("next")
    if back == "pairing":
        return redirect("mentoring:pairing", check_in.pairing_id)
    overview_url = reverse("mentoring:overview")
    return redirect(f"{overview_url}?cohort={check_in.pairing.cohort.slug}#concerns")


@login_required
def my_mentor(request):
    """A resident sees who their mentor is and how to reach them, never the log."""
    cohort = cohort_for_resident(user=request.user)
    if cohort is None:
        raise Http404("Only residents have a mentor.")
    pairing = mentor_pairing_of(resident=request.user)
    context = {**SECTION, "cohort": cohort, "mentor": pairing.mentor if pairing else None}
    return TemplateResponse(request, "mentoring/my_mentor.html", context)

"""Views: the events list, RSVPs from an event page, and hosts' attendee lists. Thin by design."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from courses.models import SeminarPage
from lms.csvexport import csv_response

from .forms import AttendanceForm
from .models import Rsvp
from .permissions import user_can_manage_event, user_can_see_event
from .selectors import attendee_list, event_path, events_for, rsvp_for, waitlist_position
from .services import RsvpError, attendance_record, rsvp_cancel, rsvp_request

SECTION = {"section_key": "events"}


def _visible_event(request, event_id: int) -> SeminarPage:
    """A published event this person may see; others get a 404, as on the page itself."""
    event = get_object_or_404(SeminarPage.objects.live(), pk=event_id)
    if not user_can_see_event(user=request.user, event=event):
        raise Http404("No such event.")
    return event


def _managed_event(request, event_id: int) -> SeminarPage:
    """An event this person hosts (or any, for staff); 404 so others' lists do not leak."""
    event = get_object_or_404(SeminarPage.objects.live(), pk=event_id)
    if not user_can_manage_event(user=request.user, event=event):
        raise Http404("No such event among the ones you host.")
    return event


@login_required
def index(request):
    return TemplateResponse(
        request, "events/index.html", {**SECTION, "listing": events_for(user=request.user)}
    )


@login_required
@require_POST
def rsvp(request, event_id: int):
    event = _visible_event(request, event_id)
    try:
        answer = rsvp_request(event=event, person=request.user)
    except RsvpError as error:
        messages.error(request, error.messages[0])
    else:
        if answer.status == Rsvp.Status.GOING:
            messages.success(request, f"You have a place at {event.title}. See you there!")
        else:
            messages.success(
                request,
                f"{event.title} is full, so you are number {waitlist_position(rsvp=answer)} on "
                "the waitlist. We will e-mail you if a place opens up.",
            )
    return redirect(event_path(event=event))


@login_required
@require_POST
def cancel(request, event_id: int):
    event = _visible_event(request, event_id)
    before = rsvp_for(event=event, person=request.user)
    try:
        rsvp_cancel(event=event, person=request.user)
    except RsvpError as error:
        messages.error(request, error.messages[0])
    else:
        if before.status == Rsvp.Status.WAITLISTED:
            messages.success(request, f"You left the waitlist for {event.title}.")
        else:
            messages.success(request, f"You gave up your place at {event.title}.")
    return redirect(event_path(event=event))


@login_required
def attendees(request, event_id: int):
    """Who is coming, the waitlist, and on the day an attendance sheet; hosts and staff only."""
    event = _managed_event(request, event_id)
    listing = attendee_list(event=event)
    form = AttendanceForm(request.POST or None, going=listing.going)
    if request.method == "POST" and form.is_valid():
        try:
            changed = attendance_record(event=event, marked_by=request.user, attended=form.marks())
        except RsvpError as error:
            messages.error(request, error.messages[0])
        else:
            came = sum(form.marks().values())
            messages.success(
                request,
                f"Attendance saved: {came} of {len(listing.going)} came"
                + (f" ({changed} marks changed)." if changed else "."),
            )
        return redirect("events:attendees", event_id=event.pk)
    return TemplateResponse(
        request,
        "events/attendees.html",
        {**SECTION, "listing": listing, "form": form, "event_url": event_path(event=event)},
    )


@login_required
def attendees_csv(request, event_id: int):
    event = _managed_event(request, event_id)
    listing = attendee_list(event=event)
    rows = (
        [
            rsvp_row.person.display_name,
            rsvp_row.person.username,
            rsvp_row.person.email,
            rsvp_row.person.pronouns,
            rsvp_row.get_status_display(),
            timezone.localtime(rsvp_row.requested_at).strftime("%Y-%m-%d %H:%M"),
            rsvp_row.get_attended_display(),
        ]
        for rsvp_row in listing.going + listing.waitlisted
    )
    return csv_response(
        f"{event.slug}-attendees.csv",
        ["name", "username", "email", "pronouns", "status", "rsvp_at", "attended"],
        rows,
    )

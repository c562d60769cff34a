"""Views: the board of open slots, booking, a host's slots, publishing and cancelling. Thin."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from lms.notifications.services import spoken_time
from lms.people.permissions import role_required, user_is_staff

from .forms import BookingForm, CancelForm, PublishForm
from .models import Booking, Slot
from .permissions import (
    NOT_A_BOOKER,
    NOT_A_HOST,
    user_can_book,
    user_can_cancel_booking,
    user_can_cancel_slot,
    user_can_host,
)
from .selectors import (
    booked_slots_upcoming,
    bookings_of,
    open_slots_board,
    slot_booking,
    slots_hosted_by,
)
from .services import OfficeHoursError, booking_cancel, booking_create, slot_cancel, slots_publish

SECTION = {"section_key": "officehours"}


def _add_errors(form, error: OfficeHoursError) -> None:
    for message in error.messages:
        form.add_error(None, message)


@login_required
def index(request):
    """Open slots by day and host; your bookings; for staff, every upcoming booking."""
    user = request.user
    staff = user_is_staff(user=user)
    return TemplateResponse(
        request,
        "officehours/index.html",
        {
            **SECTION,
            "board": open_slots_board(user=user),
            "bookings": bookings_of(user=user),
            "can_book": user_can_book(user=user),
            "can_host": user_can_host(user=user),
            "all_booked": booked_slots_upcoming() if staff else None,
        },
    )


@login_required
@role_required(user_can_book, message=NOT_A_BOOKER)
def book(request, slot_id: int):
    slot = get_object_or_404(Slot.objects.select_related("host"), pk=slot_id)
    form = BookingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            booking_create(slot=slot, booker=request.user, note=form.cleaned_data["note"])
        except OfficeHoursError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                f"Booked: {slot.host.display_name}, {spoken_time(slot.starts_at)}. "
                "You both have an e-mail with the details.",
            )
            return redirect("officehours:index")
    is_open = (
        not slot.is_cancelled
        and slot.starts_at > timezone.now()
        and slot.host_id != request.user.pk
        and slot_booking(slot) is None
    )
    return TemplateResponse(
        request,
        "officehours/book.html",
        {**SECTION, "slot": slot, "form": form, "is_open": is_open},
    )


@login_required
@role_required(user_can_host, message=NOT_A_HOST)
def mine(request):
    """A host's slots from today on, with who booked each one."""
    return TemplateResponse(
        request,
        "officehours/mine.html",
        {**SECTION, "days": slots_hosted_by(host=request.user)},
    )


@login_required
@role_required(user_can_host, message=NOT_A_HOST)
def publish(request):
    form = PublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            slots = slots_publish(
                host=request.user,
                first_starts_at=form.first_starts_at(),
                length_minutes=data["length_minutes"],
                topic=data["topic"],
                location=data["location"],
                call_link=data["call_link"],
                in_a_row=data["in_a_row"],
                weeks=data["weeks"],
            )
        except OfficeHoursError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                f"Published {len(slots)} slot{'s' if len(slots) != 1 else ''}, "
                f"the first on {spoken_time(slots[0].starts_at)}.",
            )
            return redirect("officehours:mine")
    return TemplateResponse(request, "officehours/publish.html", {**SECTION, "form": form})


@login_required
def booking_cancel_view(request, booking_id: int):
    """The booker, the host or staff cancel a booking, with an optional reason."""
    booking = get_object_or_404(
        Booking.objects.select_related("slot__host", "booker"), pk=booking_id
    )
    if not user_can_cancel_booking(user=request.user, booking=booking):
        raise Http404("No such booking of yours.")
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            booking_cancel(booking=booking, by=request.user, reason=form.cleaned_data["reason"])
        except OfficeHoursError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request,
                f"Cancelled the office hours of {spoken_time(booking.slot.starts_at)}. "
                "We e-mailed the other side.",
            )
        if request.user.pk == booking.slot.host_id:
            return redirect("officehours:mine")
        return redirect("officehours:index")
    return TemplateResponse(
        request,
        "officehours/cancel.html",
        {**SECTION, "form": form, "slot": booking.slot, "booking": booking},
    )


@login_required
def slot_cancel_view(request, slot_id: int):
    """A host (or staff) takes a slot off the board; whoever booked it is told."""
    slot = get_object_or_404(Slot.objects.select_related("host"), pk=slot_id)
    if not user_can_cancel_slot(user=request.user, slot=slot):
        raise Http404("No such slot of yours.")
    booking = slot_booking(slot)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            slot_cancel(slot=slot, by=request.user, reason=form.cleaned_data["reason"])
        except OfficeHoursError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request,
                f"Cancelled the slot of {spoken_time(slot.starts_at)}"
                + (". We e-mailed the person who booked it." if booking else "."),
            )
        return redirect(
            "officehours:mine" if request.user.pk == slot.host_id else "officehours:index"
        )
    return TemplateResponse(
        request,
        "officehours/cancel.html",
        {**SECTION, "form": form, "slot": slot, "booking": booking},
    )

"""A person's notification centre and e-mail choices (the form lives on the calendar page)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .models import Kind
from .selectors import notification_of, notifications_for, unread_count
from .services import notification_mark_read, notifications_mark_all_read, opt_outs_set


@login_required
@require_POST
def preferences_save(request):
    wanted = set(request.POST.getlist("wanted"))
    opt_outs_set(user=request.user, kinds=set(Kind.values) - wanted)
    messages.success(request, "Your e-mail choices are saved.")
    return redirect("calendars:index")


@login_required
def centre(request):
    return TemplateResponse(
        request,
        "notifications/centre.html",
        {
            "notifications": notifications_for(user=request.user),
            "unread": unread_count(user=request.user),
        },
    )


@login_required
@require_POST
def open_notification(request, notification_id: int):
    """Mark one read and go to the page it is about (or back to the centre)."""
    notification = notification_mark_read(
        notification=notification_of(user=request.user, notification_id=notification_id)
    )
    url = notification.url
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return redirect(url)
    return redirect("notifications:centre")


@login_required
@require_POST
def mark_all_read(request):
    count = notifications_mark_all_read(user=request.user)
    if count:
        messages.success(request, f"Marked {count} notification{'s' if count != 1 else ''} read.")
    return redirect("notifications:centre")

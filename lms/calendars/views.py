"""A person's calendar page, and the private feed calendar apps subscribe to."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from lms.notifications.models import Kind
from lms.notifications.selectors import opted_out_kinds

from .models import CalendarFeed
from .selectors import calendar_entries_for, entry_day, feed_owner
from .services import calendar_feed_ensure, calendar_feed_reset, calendar_render


@login_required
def calendar_settings(request):
    """The feed's address with how to subscribe, what is on it, and the e-mail choices."""
    feed = calendar_feed_ensure(user=request.user)
    feed_url = request.build_absolute_uri(reverse("calendars:feed", args=[feed.token]))
    today = timezone.localdate()
    upcoming = [
        entry for entry in calendar_entries_for(user=request.user) if entry_day(entry) >= today
    ][:8]
    opted_out = opted_out_kinds(user=request.user)
    kinds = [(kind, label, kind not in opted_out) for kind, label in Kind.choices]
    return TemplateResponse(
        request,
        "calendars/settings.html",
        {
            "section_key": "calendars",
            "feed": feed,
            "feed_url": feed_url,
            "webcal_url": feed_url.replace("https://", "webcal://").replace("http://", "webcal://"),
            "upcoming": upcoming,
            "kinds": kinds,
        },
    )


@login_required
@require_POST
def calendar_reset(request):
    calendar_feed_reset(user=request.user)
    messages.success(
        request,
        "Your calendar has a new address. Calendars subscribed to the old one stop updating: "
        "subscribe again with the address below.",
    )
    return redirect("calendars:index")


def calendar_feed(request, token: str):
    """The iCal file. The token is the key, so it is served without a session, and never cached."""
    user = feed_owner(token=token)
    if user is None:
        raise Http404("No calendar at this address. It may have been reset.")
    body = calendar_render(user=user, entries=calendar_entries_for(user=user))
    CalendarFeed.objects.filter(token=token).update(last_read_at=timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="residency.ics"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response

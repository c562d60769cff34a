"""Views: the announcements page, one announcement, posting, marking read. Thin by design."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from lms.people.permissions import role_required

from .forms import AnnouncementForm
from .models import Announcement
from .permissions import (
    audiences_for_author,
    cohorts_taught_by,
    user_can_post_announcements,
    user_can_read_announcement,
)
from .selectors import announcements_for
from .services import announcement_mark_read, announcement_post


def _readable(request, announcement_id: int) -> Announcement:
    """An announcement this person may read; others get a 404, so titles do not leak."""
    announcement = get_object_or_404(
        Announcement.objects.select_related("author", "cohort"), pk=announcement_id
    )
    if not user_can_read_announcement(user=request.user, announcement=announcement):
        raise Http404("No such announcement.")
    return announcement


@login_required
def announcements(request):
    return TemplateResponse(
        request,
        "conversation/announcements.html",
        {
            "announcements": announcements_for(user=request.user)[:100],
            "can_post": user_can_post_announcements(user=request.user),
        },
    )


@login_required
def announcement(request, announcement_id: int):
    item = _readable(request, announcement_id)
    announcement_mark_read(announcement=item, user=request.user)
    return TemplateResponse(request, "conversation/announcement.html", {"announcement": item})


@login_required
@require_POST
def announcement_read(request, announcement_id: int):
    item = _readable(request, announcement_id)
    announcement_mark_read(announcement=item, user=request.user)
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("conversation:announcements")


@login_required
@role_required(
    user_can_post_announcements,
    message="Only staff and guest instructors post announcements.",
)
def announcement_new(request):
    audiences = audiences_for_author(user=request.user)
    cohorts = cohorts_taught_by(user=request.user)
    form = AnnouncementForm(request.POST or None, audiences=audiences, cohorts=cohorts)
    if request.method == "POST" and form.is_valid():
        try:
            posted = announcement_post(author=request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Posted “{posted.title}”.")
            return redirect("conversation:announcement", posted.pk)
    return TemplateResponse(request, "conversation/announcement_form.html", {"form": form})

"""People in the Wagtail admin: the sign-ins django-axes has paused, for staff to lift."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .permissions import staff_required, user_is_staff
from .selectors import locked_sign_ins
from .services import sign_in_unlock


@staff_required
def locked_sign_ins_view(request):
    if request.method == "POST":
        username = request.POST.get("username", "")
        cleared = sign_in_unlock(username=username, ip_address=request.POST.get("ip_address", ""))
        if cleared:
            messages.success(request, f"{username} can sign in again.")
        else:
            messages.info(request, f"{username} was not locked out.")
        return redirect("locked_sign_ins")
    return TemplateResponse(
        request,
        "people/locked_sign_ins.html",
        {
            "attempts": locked_sign_ins(),
            "limit": settings.AXES_FAILURE_LIMIT,
            "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        },
    )


@hooks.register("register_admin_urls")
def register_locked_sign_ins_url():
    return [path("locked-sign-ins/", locked_sign_ins_view, name="locked_sign_ins")]


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return user_is_staff(user=request.user)


@hooks.register("register_settings_menu_item")
def register_locked_sign_ins_menu_item():
    return StaffMenuItem("Locked sign-ins", reverse("locked_sign_ins"), icon_name="lock", order=900)

"""Assignments in the Wagtail admin: a menu item, the list, and the upload form."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from lms.hub.services import notebook_server_prestart
from lms.people.permissions import user_is_staff_or_guest_instructor

from . import views
from .selectors.cards import lesson_notebook_open

admin_urls = (
    [
        path("", views.assignment_index, name="index"),
        path("upload/", views.assignment_upload, name="upload"),
        path("<int:pk>/edit/", views.assignment_edit_page, name="edit"),
        path("<int:pk>/regrade/", views.assignment_regrade_view, name="regrade"),
    ],
    "assignments_admin",
)


@hooks.register("register_admin_urls")
def register_assignment_urls():
    return [path("assignments/", include(admin_urls))]


class AuthorsMenuItem(MenuItem):
    def is_shown(self, request):
        return user_is_staff_or_guest_instructor(user=request.user)


@hooks.register("register_admin_menu_item")
def register_assignments_menu_item():
    return AuthorsMenuItem(
        "Assignments", reverse("assignments_admin:index"), icon_name="clipboard-list", order=160
    )


@hooks.register("before_serve_page")
def start_the_notebook_server_before_it_is_asked_for(page, request, serve_args, serve_kwargs):
    """A resident reading a lesson with an open notebook will likely open it: start the server."""
    if request.user.is_authenticated and lesson_notebook_open(page=page, user=request.user):
        notebook_server_prestart(user=request.user)

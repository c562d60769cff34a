from django.urls import path

from . import views

app_name = "mentoring"

urlpatterns = [
    path("", views.index, name="index"),
    path("mentees/", views.mentees, name="mentees"),
    path("overview/", views.overview, name="overview"),
    path("my-mentor/", views.my_mentor, name="my-mentor"),
    path("pairings/<int:pairing_id>/", views.pairing_log, name="pairing"),
    path("check-ins/<int:check_in_id>/edit/", views.check_in_edit, name="check-in-edit"),
    path(
        "check-ins/<int:check_in_id>/resolve/", views.concern_resolve_view, name="concern-resolve"
    ),
]

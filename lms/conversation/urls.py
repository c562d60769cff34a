from django.urls import path

from . import views

app_name = "conversation"

urlpatterns = [
    path("announcements/", views.announcements, name="announcements"),
    path("announcements/new/", views.announcement_new, name="announcement_new"),
    path("announcements/<int:announcement_id>/", views.announcement, name="announcement"),
    path(
        "announcements/<int:announcement_id>/read/",
        views.announcement_read,
        name="announcement_read",
    ),
]

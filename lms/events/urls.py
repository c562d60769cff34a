from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:event_id>/rsvp/", views.rsvp, name="rsvp"),
    path("<int:event_id>/cancel/", views.cancel, name="cancel"),
    path("<int:event_id>/attendees/", views.attendees, name="attendees"),
    path("<int:event_id>/attendees.csv", views.attendees_csv, name="attendees_csv"),
]

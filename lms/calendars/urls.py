from django.urls import path

from . import views

app_name = "calendars"

urlpatterns = [
    path("", views.calendar_settings, name="index"),
    path("reset/", views.calendar_reset, name="reset"),
    path("<str:token>.ics", views.calendar_feed, name="feed"),
]

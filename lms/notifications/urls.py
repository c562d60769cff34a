from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.preferences_save, name="index"),
    path("centre/", views.centre, name="centre"),
    path("<int:notification_id>/open/", views.open_notification, name="open"),
    path("read-all/", views.mark_all_read, name="read_all"),
]

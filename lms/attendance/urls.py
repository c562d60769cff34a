from django.urls import path

from . import views

app_name = "attendance"

urlpatterns = [
    path("", views.index, name="index"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("sessions/<int:pk>/change/", views.session_change, name="session_change"),
    path("<slug:slug>/", views.cohort_attendance, name="cohort"),
    path("<slug:slug>/people/<str:username>/", views.resident_record, name="resident"),
]

from django.urls import path, re_path

from . import views

app_name = "reporting"

urlpatterns = [
    path("gradebook/<slug:slug>/", views.gradebook, name="gradebook"),
    re_path(
        r"^gradebook/(?P<slug>[-\w]+)/(?P<kind>grades|progress)\.csv$",
        views.gradebook_export,
        name="export",
    ),
]

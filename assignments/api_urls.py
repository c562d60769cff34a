"""The exchange API that residents' JupyterLab servers call as the signed-in resident."""

from django.urls import path

from . import api

app_name = "exchange"

urlpatterns = [
    path("assignments", api.assignment_list, name="list"),
    path("assignments/<slug:name>/release", api.assignment_release, name="release"),
    path("assignments/<slug:name>/submissions", api.submission_upload, name="submit"),
    path("assignments/<slug:name>/feedback", api.feedback_list, name="feedback"),
]

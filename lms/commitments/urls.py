from django.urls import path

from . import views

app_name = "commitments"

urlpatterns = [
    path("", views.index, name="index"),
    path("entries/new/", views.entry_create, name="entry_create"),
    path("entries/<int:pk>/edit/", views.entry_edit, name="entry_edit"),
    path("entries/<int:pk>/delete/", views.entry_delete, name="entry_delete"),
    path("<slug:slug>/", views.cohort_grid, name="cohort"),
    path("<slug:slug>/export.csv", views.cohort_export, name="export"),
]

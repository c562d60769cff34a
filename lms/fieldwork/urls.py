from django.urls import path

from . import views

app_name = "fieldwork"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.project_create, name="project-create"),
    path("<int:project_id>/", views.project, name="project"),
    path("<int:project_id>/edit/", views.project_edit, name="project-edit"),
    path("<int:project_id>/host-link/reset/", views.host_link_reset_view, name="host-link-reset"),
    path("milestones/<int:milestone_id>/status/", views.milestone_status, name="milestone-status"),
    path("milestones/<int:milestone_id>/links/", views.milestone_link_add, name="link-add"),
    path("links/<int:link_id>/remove/", views.link_remove, name="link-remove"),
    path("hosts/", views.host_list, name="hosts"),
    path("hosts/new/", views.host_create, name="host-create"),
    path("hosts/<int:host_id>/", views.host_detail, name="host"),
    path("hosts/<int:host_id>/edit/", views.host_edit, name="host-edit"),
    path("feedback/<str:token>/", views.host_feedback, name="host-feedback"),
]

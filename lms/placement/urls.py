from django.urls import path

from . import views

app_name = "placement"

urlpatterns = [
    path("", views.index, name="index"),
    path("profile/", views.profile_edit, name="profile"),
    path("people/<str:username>/", views.person, name="person"),
    path("cards/new/", views.application_new, name="application-new"),
    path("cards/<int:application_id>/", views.application, name="application"),
    path("cards/<int:application_id>/move/", views.application_move_view, name="application-move"),
    path("cards/<int:application_id>/note/", views.application_note, name="application-note"),
    path("cards/<int:application_id>/share/", views.application_share, name="application-share"),
    path("jobs/new/", views.job_new, name="job-new"),
    path("retention/", views.retention, name="retention"),
    path("openings/", views.openings, name="openings"),
    path("openings/new/", views.opening_new, name="opening-new"),
    path("openings/<int:opening_id>/", views.opening, name="opening"),
    path("openings/<int:opening_id>/edit/", views.opening_edit, name="opening-edit"),
    path("openings/<int:opening_id>/review/", views.opening_review_view, name="opening-review"),
    path("partners/", views.partners, name="partners"),
    path("partners/<int:organization_id>/link/", views.partner_link, name="partner-link"),
    path("partner/<str:token>/", views.partner_page, name="partner"),
    path("board/<slug:slug>/", views.board, name="board"),
    path("outcomes/", views.outcomes, name="outcomes"),
    path("outcomes.csv", views.outcomes_csv, name="outcomes-csv"),
]

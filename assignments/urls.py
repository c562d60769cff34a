from django.urls import path, re_path

from . import views

app_name = "assignments"

urlpatterns = [
    path("progress/", views.my_progress, name="progress"),
    path("progress/of/<str:username>/", views.mentee_progress, name="mentee-progress"),
    path("gradebook/<slug:slug>/manual/", views.manual_queue, name="manual-queue"),
    path(
        "gradebook/<slug:slug>/feedback/<slug:name>/release/",
        views.feedback_release_view,
        name="feedback-release",
    ),
    path("gradebook/<slug:slug>/stuck/<slug:name>/", views.stuck_page, name="stuck"),
    path("grading/<slug:slug>/<slug:name>/", views.grading_desk_start, name="desk-start"),
    path(
        "grading/<slug:slug>/<slug:name>/residents/<str:username>/",
        views.grading_desk_page,
        name="desk",
    ),
    path("grading/<slug:slug>/<slug:name>/rubric/", views.rubric_add, name="rubric-add"),
    path(
        "grading/<slug:slug>/<slug:name>/rubric/<int:criterion_id>/remove/",
        views.rubric_remove,
        name="rubric-remove",
    ),
    path(
        "gradebook/<slug:slug>/<str:username>/<slug:name>/cells/<int:cell_id>/",
        views.cell_grade_update,
        name="cell-grade",
    ),
    re_path(
        r"^gradebook/(?P<slug>[-\w]+)/(?P<username>[\w.@+-]+)/(?P<name>[-\w]+)/(?P<action>regrade|extension|revoke-extension)/$",
        views.hand_in_action,
        name="hand-in-action",
    ),
    path(
        "gradebook/<slug:slug>/<str:username>/<slug:name>/",
        views.submission_review_page,
        name="review",
    ),
    path(
        "progress/<slug:name>/v<int:version>/feedback/",
        views.my_feedback,
        name="feedback",
    ),
]

from django.urls import path

from . import views

app_name = "conversation"

urlpatterns = [
    path("announcements/", views.announcements, name="announcements"),
    path("announcements/new/", views.announcement_new, name="announcement_new"),
    path("announcements/<int:announcement_id>/", views.announcement, name="announcement"),
    path(
        "announcements/<int:announcement_id>/read/",
        views.announcement_read,
        name="announcement_read",
    ),
    path("lessons/<int:lesson_id>/questions/", views.lesson_questions, name="lesson_questions"),
    path("questions/<int:question_id>/", views.question, name="question"),
    path("questions/<int:question_id>/me-too/", views.me_too, name="me_too"),
    path("questions/<int:question_id>/hide/", views.question_hide, name="question_hide"),
    path("answers/<int:answer_id>/helpful/", views.answer_helpful, name="answer_helpful"),
    path("answers/<int:answer_id>/hide/", views.answer_hide, name="answer_hide"),
]

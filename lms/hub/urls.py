from django.urls import path

from . import views

app_name = "hub"

urlpatterns = [
    path("api/me", views.userinfo, name="userinfo"),
]

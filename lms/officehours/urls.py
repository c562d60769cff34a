from django.urls import path

from . import views

app_name = "officehours"

urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.mine, name="mine"),
    path("publish/", views.publish, name="publish"),
    path("slots/<int:slot_id>/book/", views.book, name="book"),
    path("slots/<int:slot_id>/cancel/", views.slot_cancel_view, name="slot_cancel"),
    path("bookings/<int:booking_id>/cancel/", views.booking_cancel_view, name="booking_cancel"),
]

"""Cancelling: the booker, the host or staff, with a reason the other side reads in an e-mail."""

import pytest
from django.core import mail

from lms.officehours.models import Booking, Slot
from lms.officehours.services import booking_create
from lms.people.models import Role
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in(client, user):
    client.login(username=user.username, password=PASSWORD)


def _mail_to(username: str) -> list:
    return [m for m in mail.outbox if m.to == [f"{username}@example.org"]]


@pytest.fixture
def booking(slot, ana):
    booked = booking_create(slot=slot, booker=ana, note="Help with my first pull request")
    mail.outbox.clear()
    return booked


def test_the_booker_cancels_and_the_host_reads_why(client, booking, bo):
    """When Ana cancels with a reason, does Tanisha get it by e-mail and the slot reopen?"""
    _sign_in(client, booking.booker)
    page = client.get(f"/office-hours/bookings/{booking.pk}/cancel/").content.decode()
    assert "We will e-mail Tanisha Ames" in page
    response = client.post(
        f"/office-hours/bookings/{booking.pk}/cancel/", {"reason": "My kid is sick"}, follow=True
    )
    assert "We e-mailed the other side" in response.content.decode()
    booking.refresh_from_db()
    assert booking.cancelled_at is not None and booking.cancelled_by == booking.booker
    (message,) = _mail_to("tanisha")
    assert "Cancelled: office hours with Ana Alvarez" in message.subject
    assert "My kid is sick" in message.body
    assert _mail_to("ana") == []

    _sign_in(client, bo)
    assert f'data-slot="{booking.slot_id}"' in client.get("/office-hours/").content.decode()
    booking_create(slot=booking.slot, booker=bo, note="Taking the freed slot")


def test_the_host_cancels_a_booking_and_the_booker_is_told(client, booking, tanisha):
    _sign_in(client, tanisha)
    response = client.post(f"/office-hours/bookings/{booking.pk}/cancel/", {"reason": ""})
    assert response.status_code == 302 and response["Location"] == "/office-hours/mine/"
    (message,) = _mail_to("ana")
    assert "Cancelled: office hours with Tanisha Ames" in message.subject
    assert "Reason" not in message.body
    assert _mail_to("tanisha") == []


def test_staff_cancel_and_both_sides_are_told(client, booking):
    staff = UserFactory(username="jordan", roles=[Role.STAFF])
    _sign_in(client, staff)
    client.post(f"/office-hours/bookings/{booking.pk}/cancel/", {"reason": "Room closed"})
    assert len(_mail_to("ana")) == 1 and len(_mail_to("tanisha")) == 1
    assert "Room closed" in _mail_to("ana")[0].body


def test_nobody_else_can_cancel_a_booking(client, booking, bo, hector):
    """Does another resident or another alumna get a 404, leaving the booking as it was?"""
    for person in (bo, hector):
        _sign_in(client, person)
        url = f"/office-hours/bookings/{booking.pk}/cancel/"
        assert client.get(url).status_code == 404
        assert client.post(url, {"reason": "mischief"}).status_code == 404
    assert Booking.objects.get(pk=booking.pk).cancelled_at is None
    assert mail.outbox == []


def test_cancelling_twice_says_it_is_already_cancelled(client, booking):
    _sign_in(client, booking.booker)
    url = f"/office-hours/bookings/{booking.pk}/cancel/"
    client.post(url, {"reason": ""})
    page = client.post(url, {"reason": ""}, follow=True).content.decode()
    assert "That booking was already cancelled." in page
    assert len(mail.outbox) == 1


def test_the_host_cancels_a_slot_and_whoever_booked_it_is_told(client, booking, tanisha, bo):
    _sign_in(client, tanisha)
    page = client.get(f"/office-hours/slots/{booking.slot_id}/cancel/").content.decode()
    assert "We will e-mail Ana Alvarez" in page
    response = client.post(
        f"/office-hours/slots/{booking.slot_id}/cancel/",
        {"reason": "Called into work"},
        follow=True,
    )
    assert "We e-mailed the person who booked it" in response.content.decode()
    slot = Slot.objects.get(pk=booking.slot_id)
    assert slot.cancelled_at is not None and slot.cancel_reason == "Called into work"
    assert Booking.objects.get(pk=booking.pk).cancelled_at is not None
    (message,) = _mail_to("ana")
    assert "Called into work" in message.body

    _sign_in(client, bo)
    assert f'data-slot="{slot.pk}"' not in client.get("/office-hours/").content.decode()


def test_only_the_host_or_staff_cancel_a_slot(client, booking, bo, hector):
    for person in (booking.booker, bo, hector):
        _sign_in(client, person)
        assert client.post(f"/office-hours/slots/{booking.slot_id}/cancel/").status_code == 404
    assert Slot.objects.get(pk=booking.slot_id).cancelled_at is None

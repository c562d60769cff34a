"""Booking a slot: one booking per slot, even at the same moment, and what a person may not book."""

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from lms.officehours.models import Booking
from lms.officehours.services import (
    NOT_A_BOOKER,
    NOTE_REQUIRED,
    OWN_SLOT,
    SLOT_CANCELLED,
    SLOT_TAKEN,
    OfficeHoursError,
    booking_create,
)
from lms.people.models import Role
from tests.factories import PASSWORD, UserFactory, mentor_of, resident_in
from tests.lms.events.threads import at_the_same_moment

from .conftest import slot_at


def _sign_in(client, user):
    client.login(username=user.username, password=PASSWORD)


@pytest.mark.django_db(transaction=True)
def test_a_resident_books_a_slot_and_both_sides_get_an_email(client, slot, ana, bo):
    """After booking, do the resident and the host both get an e-mail, and is the slot off the board?"""
    _sign_in(client, ana)
    board = client.get("/office-hours/").content.decode()
    assert f'data-slot="{slot.pk}"' in board
    response = client.post(
        f"/office-hours/slots/{slot.pk}/book/",
        {"note": "My API returns 500 when the address has an apostrophe."},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/office-hours/"
    page = response.content.decode()
    assert "Booked: Tanisha Ames" in page
    assert "Your bookings" in page and "apostrophe" in page

    booking = Booking.objects.get()
    assert (booking.slot, booking.booker) == (slot, ana)
    to_ana = [m for m in mail.outbox if m.to == ["ana@example.org"]]
    to_tanisha = [m for m in mail.outbox if m.to == ["tanisha@example.org"]]
    assert len(to_ana) == 1 and "Booked: office hours with Tanisha Ames" in to_ana[0].subject
    assert len(to_tanisha) == 1 and "Ana Alvarez booked your office hours" in to_tanisha[0].subject
    assert "apostrophe" in to_tanisha[0].body and "https://meet.example.org" in to_ana[0].body

    _sign_in(client, bo)
    assert f'data-slot="{slot.pk}"' not in client.get("/office-hours/").content.decode()


@pytest.mark.django_db
def test_a_slot_someone_just_booked_says_so(client, slot, ana, bo):
    """Does the second person to press Book get a plain message, and no second booking?"""
    booking_create(slot=slot, booker=ana, note="Resume review")
    _sign_in(client, bo)
    response = client.post(f"/office-hours/slots/{slot.pk}/book/", {"note": "Me too"})
    page = response.content.decode()
    assert response.status_code == 200
    assert SLOT_TAKEN in page
    assert "Book this slot" not in page
    assert Booking.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_simultaneous_bookings_of_one_slot_give_exactly_one_booking(slot, cohort):
    """Six residents press Book on the same slot at once: does exactly one get it?"""
    residents = [resident_in(cohort, username=f"r{n}") for n in range(6)]

    results = at_the_same_moment(
        lambda person: booking_create(slot=slot, booker=person, note="Help with SQL joins"),
        residents,
    )

    booked = [result for result in results if isinstance(result, Booking)]
    refused = [result for result in results if isinstance(result, OfficeHoursError)]
    assert len(booked) == 1 and len(refused) == 5, results
    assert {error.messages[0] for error in refused} == {SLOT_TAKEN}
    assert Booking.objects.filter(slot=slot, cancelled_at__isnull=True).count() == 1


@pytest.mark.django_db
def test_the_database_holds_one_active_booking_per_slot(slot, ana, bo):
    """Even written past the service, is a second active booking refused, and a cancelled one kept?"""
    first = Booking.objects.create(slot=slot, booker=ana, note="first")
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(slot=slot, booker=bo, note="second")
    first.cancelled_at = timezone.now()
    first.save()
    Booking.objects.create(slot=slot, booker=bo, note="after a cancellation")
    assert Booking.objects.filter(slot=slot).count() == 2


@pytest.mark.django_db
def test_nobody_books_their_own_slot(slot, tanisha):
    with pytest.raises(OfficeHoursError) as refused:
        booking_create(slot=slot, booker=tanisha, note="Talk to myself")
    assert refused.value.messages == [OWN_SLOT]


@pytest.mark.django_db
def test_overlapping_bookings_are_refused_back_to_back_ones_allowed(tanisha, hector, ana):
    """With 16:00–16:30 booked, is 16:15 with someone else refused and 16:30 allowed?"""
    booking_create(slot=slot_at(tanisha, hour=16), booker=ana, note="First")
    overlapping = slot_at(hector, hour=16, minute=15)
    with pytest.raises(OfficeHoursError) as refused:
        booking_create(slot=overlapping, booker=ana, note="Second")
    assert "You already have office hours at that time" in refused.value.messages[0]
    booking_create(slot=slot_at(hector, hour=16, minute=30), booker=ana, note="Right after")
    assert Booking.objects.filter(booker=ana).count() == 2


@pytest.mark.django_db
def test_an_alumna_cannot_book_someone_else_while_hosting(tanisha, hector):
    slot_at(tanisha, hour=11, length=60)
    with pytest.raises(OfficeHoursError):
        booking_create(slot=slot_at(hector, hour=11, minute=30), booker=tanisha, note="Clash")


@pytest.mark.django_db
def test_slots_in_the_past_or_cancelled_cannot_be_booked(client, tanisha, ana):
    past = slot_at(tanisha, days=-1)
    with pytest.raises(OfficeHoursError) as refused:
        booking_create(slot=past, booker=ana, note="Too late")
    assert "has already passed" in refused.value.messages[0]
    cancelled = slot_at(tanisha, days=4, cancelled_at=timezone.now())
    with pytest.raises(OfficeHoursError) as refused:
        booking_create(slot=cancelled, booker=ana, note="Gone")
    assert refused.value.messages == [SLOT_CANCELLED]
    _sign_in(client, ana)
    page = client.get(f"/office-hours/slots/{past.pk}/book/").content.decode()
    assert "This slot is no longer open." in page and "Book this slot" not in page
    assert not Booking.objects.exists()


@pytest.mark.django_db
def test_a_note_is_required(client, slot, ana):
    _sign_in(client, ana)
    response = client.post(f"/office-hours/slots/{slot.pk}/book/", {"note": "   "})
    assert "Say in a sentence what you would like help with." in response.content.decode()
    with pytest.raises(OfficeHoursError) as refused:
        booking_create(slot=slot, booker=ana, note="  ")
    assert refused.value.messages == [NOTE_REQUIRED]
    assert not Booking.objects.exists()


@pytest.mark.django_db
def test_only_residents_and_alumni_book(client, slot, ana):
    """Do mentors, guest instructors and staff get a 403 from the booking form?"""
    others = [
        mentor_of(ana),
        UserFactory(roles=[Role.GUEST_INSTRUCTOR]),
        UserFactory(roles=[Role.STAFF]),
    ]
    for person in others:
        _sign_in(client, person)
        assert client.get(f"/office-hours/slots/{slot.pk}/book/").status_code == 403
        assert client.post(f"/office-hours/slots/{slot.pk}/book/", {"note": "x"}).status_code == 403
        with pytest.raises(OfficeHoursError) as refused:
            booking_create(slot=slot, booker=person, note="Hello")
        assert refused.value.messages == [NOT_A_BOOKER]
    assert not Booking.objects.exists()


@pytest.mark.django_db
def test_alumni_book_other_alumni(slot, hector):
    assert booking_create(slot=slot, booker=hector, note="Negotiating an offer").booker == hector


@pytest.mark.django_db
def test_booking_needs_a_signed_in_person(client, slot):
    response = client.post(f"/office-hours/slots/{slot.pk}/book/", {"note": "x"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Booking.objects.exists()

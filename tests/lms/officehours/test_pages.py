"""The board by day and host, a host's slots with who booked, staff's overview and calendars."""

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from lms.officehours.selectors import calendar_entries
from lms.officehours.services import booking_create
from lms.people.models import Role
from tests.factories import PASSWORD, UserFactory

from .conftest import slot_at

pytestmark = pytest.mark.django_db


def _sign_in(client, user):
    client.login(username=user.username, password=PASSWORD)


def test_the_board_groups_open_slots_by_day_then_host(client, tanisha, hector, ana, bo):
    """Does a resident see the days in order, each day's hosts by name, and no booked slot?"""
    later = slot_at(tanisha, days=4, hour=10)
    hector_first = slot_at(hector, days=2, hour=15)
    hector_second = slot_at(hector, days=2, hour=15, minute=30)
    tanisha_early = slot_at(tanisha, days=2, hour=9)
    booked = slot_at(tanisha, days=2, hour=11)
    booking_create(slot=booked, booker=bo, note="Taken")

    _sign_in(client, ana)
    page = client.get("/office-hours/").content.decode()
    days = page.split('<section class="oh-day"')[1:]
    assert len(days) == 2
    assert date_format(timezone.localtime(hector_first.starts_at), "l, F j") in days[0]
    assert date_format(timezone.localtime(later.starts_at), "l, F j") in days[1]
    hosts = days[0].split('class="card oh-host"')[1:]
    assert ["Hector Diaz" in hosts[0], "Tanisha Ames" in hosts[1]] == [True, True]
    assert f'data-slot="{hector_first.pk}"' in hosts[0]
    assert f'data-slot="{hector_second.pk}"' in hosts[0]
    assert f'data-slot="{tanisha_early.pk}"' in hosts[1]
    assert f'data-slot="{later.pk}"' in days[1]
    assert f'data-slot="{booked.pk}"' not in page


def test_hosts_do_not_see_their_own_slots_on_the_board(client, tanisha, hector):
    own, other = slot_at(tanisha), slot_at(hector, hour=9)
    _sign_in(client, tanisha)
    page = client.get("/office-hours/").content.decode()
    assert f'data-slot="{own.pk}"' not in page and f'data-slot="{other.pk}"' in page
    assert "Publish slots" in page


def test_people_who_cannot_book_see_the_board_without_book_links(client, slot):
    _sign_in(client, UserFactory(roles=[Role.MENTOR]))
    page = client.get("/office-hours/").content.decode()
    assert "Booking is for residents and alumni" in page
    assert f"/office-hours/slots/{slot.pk}/book/" not in page


def test_a_host_sees_who_booked_which_slot(client, tanisha, ana):
    booked = slot_at(tanisha, hour=16)
    slot_at(tanisha, hour=16, minute=30)
    booking_create(slot=booked, booker=ana, note="Review my portfolio site")
    _sign_in(client, tanisha)
    page = client.get("/office-hours/mine/").content.decode()
    assert "Booked</span> by <strong>Ana Alvarez</strong>" in page
    assert "Review my portfolio site" in page
    assert page.count(">Open</span>") == 1
    assert f"/office-hours/bookings/{booked.bookings.get().pk}/cancel/" in page


def test_staff_see_every_upcoming_booking(client, slot, ana):
    booking_create(slot=slot, booker=ana, note="Debugging a notebook")
    _sign_in(client, UserFactory(roles=[Role.STAFF]))
    page = client.get("/office-hours/").content.decode()
    assert "Every upcoming booking" in page and "Debugging a notebook" in page
    _sign_in(client, ana)
    assert "Every upcoming booking" not in client.get("/office-hours/").content.decode()


def test_calendars_hold_bookings_and_hosted_slots(tanisha, ana):
    """Is the booking on Ana's calendar, and both of Tanisha's slots on hers, booked one by name?"""
    booked = slot_at(tanisha, hour=16)
    open_slot = slot_at(tanisha, hour=17)
    slot_at(tanisha, hour=18, cancelled_at=booked.created_at)
    booking_create(slot=booked, booker=ana, note="SQL joins")

    (entry,) = calendar_entries(user=ana)
    assert entry.summary == "Office hours with Tanisha Ames"
    assert (entry.start, entry.end) == (booked.starts_at, booked.ends_at)
    assert "SQL joins" in entry.description and entry.uid == f"office-hours-{booked.pk}"

    summaries = [entry.summary for entry in calendar_entries(user=tanisha)]
    assert summaries == ["Office hours with Ana Alvarez", f"Office hours: {open_slot.topic}"]


def test_calendar_entries_take_a_bounded_number_of_queries(
    tanisha, ana, django_assert_max_num_queries
):
    for hour in range(9, 15):
        booking_create(slot=slot_at(tanisha, hour=hour), booker=ana, note="Help")
    with django_assert_max_num_queries(4):
        assert len(calendar_entries(user=ana)) == 6
    with django_assert_max_num_queries(4):
        assert len(calendar_entries(user=tanisha)) == 6

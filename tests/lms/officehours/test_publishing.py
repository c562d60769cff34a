"""Publishing office hours: who may, a weekly series in one form, and what is refused."""

import datetime

import pytest
from django.db import IntegrityError
from django.utils import timezone

from lms.officehours.models import Slot
from lms.officehours.services import (
    HOST_OVERLAP,
    LENGTH_OUT_OF_RANGE,
    NOT_A_HOST,
    OfficeHoursError,
    slots_publish,
)
from lms.people.models import Role
from tests.factories import PASSWORD, UserFactory, mentor_of

from .conftest import slot_at

pytestmark = pytest.mark.django_db


def _sign_in(client, user):
    client.login(username=user.username, password=PASSWORD)


def _local(slot: Slot) -> tuple[datetime.date, str]:
    moment = timezone.localtime(slot.starts_at)
    return moment.date(), moment.strftime("%H:%M")


def _series_form(day: datetime.date, **overrides) -> dict:
    return {
        "first_day": day.isoformat(),
        "start_time": "16:00",
        "length_minutes": "30",
        "in_a_row": "4",
        "weeks": "3",
        "topic": "Portfolio reviews and first-job questions",
        "location": "",
        "call_link": "https://meet.example.org/tanisha",
        **overrides,
    }


def test_an_alumna_publishes_a_weekly_series_in_one_form(client, tanisha):
    """Do "four 30-minute slots from 16:00, for three weeks" become twelve slots at those times?"""
    first = timezone.localdate() + datetime.timedelta(days=7)
    _sign_in(client, tanisha)
    response = client.post("/office-hours/publish/", _series_form(first), follow=True)
    assert response.redirect_chain[-1][0] == "/office-hours/mine/"
    page = response.content.decode()
    assert "Published 12 slots" in page
    slots = list(Slot.objects.filter(host=tanisha))
    assert len(slots) == 12
    expected = {
        (first + datetime.timedelta(weeks=week), time)
        for week in range(3)
        for time in ("16:00", "16:30", "17:00", "17:30")
    }
    assert {_local(slot) for slot in slots} == expected
    assert {slot.length_minutes for slot in slots} == {30}
    assert page.count('class="card oh-slot') == 12


def test_current_residents_and_mentors_cannot_publish(client, ana):
    for person in (ana, mentor_of(ana)):
        _sign_in(client, person)
        assert client.get("/office-hours/publish/").status_code == 403
        assert client.get("/office-hours/mine/").status_code == 403
        assert (
            client.post("/office-hours/publish/", _series_form(timezone.localdate())).status_code
            == 403
        )
    with pytest.raises(OfficeHoursError) as refused:
        slots_publish(
            host=ana, first_starts_at=timezone.now() + datetime.timedelta(days=1),
            length_minutes=30, topic="Help", call_link="https://meet.example.org/x",
        )  # fmt: skip
    assert refused.value.messages == [NOT_A_HOST]
    assert not Slot.objects.exists()


def test_staff_publish_too(client, db):
    jordan = UserFactory(username="jordan", roles=[Role.STAFF])
    _sign_in(client, jordan)
    day = timezone.localdate() + datetime.timedelta(days=2)
    client.post("/office-hours/publish/", _series_form(day, in_a_row="1", weeks="1"))
    assert Slot.objects.filter(host=jordan).count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"length_minutes": "90"},
            "Select a valid choice. 90 is not one of the available choices.",
        ),
        ({"location": "", "call_link": ""}, "Give a place, a call link, or both."),
        ({"topic": ""}, "Say what you can help with."),
        ({"in_a_row": "9"}, "At most 8 slots in a row."),
        ({"weeks": "13"}, "At most 12 weeks at a time."),
        ({"call_link": "not a link"}, "Enter the full call address, starting with https://."),
    ],
)
def test_the_publish_form_explains_what_is_wrong(client, tanisha, overrides, message):
    _sign_in(client, tanisha)
    day = timezone.localdate() + datetime.timedelta(days=2)
    response = client.post("/office-hours/publish/", _series_form(day, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Slot.objects.exists()


def test_slots_in_the_past_are_refused(client, tanisha):
    _sign_in(client, tanisha)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    page = client.post("/office-hours/publish/", _series_form(yesterday)).content.decode()
    assert "has already passed; choose a time in the future." in page
    assert not Slot.objects.exists()


@pytest.mark.parametrize("day", ["9999-12-31", "9999-12-20"])
def test_a_first_day_years_ahead_is_a_form_error(client, tanisha, day):
    """Is a far-future first day (where a weekly series runs off the calendar) a plain error?"""
    _sign_in(client, tanisha)
    client.raise_request_exception = False
    form = _series_form(datetime.date.fromisoformat(day), start_time="23:30", in_a_row="8")
    response = client.post("/office-hours/publish/", form)
    assert response.status_code == 200
    assert "Publish office hours at most a year ahead." in response.content.decode()
    assert not Slot.objects.exists()


def test_a_series_that_runs_into_an_existing_slot_publishes_nothing(client, tanisha):
    """Is a series refused as a whole when its third week overlaps a slot the host already has?"""
    first = timezone.localdate() + datetime.timedelta(days=7)
    existing = slot_at(tanisha, days=21, hour=17, minute=15, length=30)
    _sign_in(client, tanisha)
    page = client.post("/office-hours/publish/", _series_form(first)).content.decode()
    assert "You already have office hours that overlap" in page
    assert list(Slot.objects.all()) == [existing]


def test_the_service_refuses_lengths_outside_15_to_60_minutes(tanisha):
    for minutes in (10, 75):
        with pytest.raises(OfficeHoursError) as refused:
            slots_publish(
                host=tanisha, first_starts_at=timezone.now() + datetime.timedelta(days=1),
                length_minutes=minutes, topic="Help", call_link="https://meet.example.org/x",
            )  # fmt: skip
        assert refused.value.messages == [LENGTH_OUT_OF_RANGE]


def test_overlap_message_names_the_time(tanisha):
    slot = slot_at(tanisha, days=2, hour=10)
    with pytest.raises(OfficeHoursError) as refused:
        slots_publish(
            host=tanisha, first_starts_at=slot.starts_at + datetime.timedelta(minutes=15),
            length_minutes=30, topic="Help", call_link="https://meet.example.org/x",
        )  # fmt: skip
    assert refused.value.messages[0].startswith(HOST_OVERLAP.split("{")[0])
    assert "10:15 AM" in refused.value.messages[0]


def test_the_database_refuses_a_slot_outside_15_to_60_minutes(tanisha):
    with pytest.raises(IntegrityError):
        slot_at(tanisha, length=10)

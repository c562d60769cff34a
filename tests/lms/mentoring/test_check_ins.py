"""Logging and editing check-ins: the mentor's page, the form's rules, hostile text."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from lms.cohorts.services import mentor_pair
from lms.mentoring.models import Channel, CheckIn
from lms.mentoring.services import (
    CHECK_IN_IN_FUTURE,
    CHECK_IN_SAME_DAY,
    CONCERN_NEEDS_TEXT,
    check_in_log,
)
from tests.factories import resident_in

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _form(**overrides):
    data = {
        "met_on": (TODAY() - datetime.timedelta(days=1)).isoformat(),
        "channel": "in_person",
        "duration_minutes": "45",
        "notes": "Went over the week's problem set.",
    }
    return {**data, **overrides}


def test_a_mentor_logs_a_check_in(signed_in, mentor, pairing):
    """Does a mentor's check-in land in the log with what they wrote?"""
    url = reverse("mentoring:pairing", args=[pairing.pk])
    response = signed_in(mentor).post(url, _form(), follow=True)
    assert response.redirect_chain[-1][0] == url
    page = response.content.decode()
    assert "Check-in with" in page and "logged" in page
    assert "Went over the week&#x27;s problem set." in page
    check_in = pairing.check_ins.get()
    assert (check_in.channel, check_in.duration_minutes) == (Channel.IN_PERSON, 45)


def test_a_check_in_cannot_be_dated_in_the_future(signed_in, mentor, pairing):
    """Is tomorrow's date refused, with the reason, and nothing stored?"""
    tomorrow = TODAY() + datetime.timedelta(days=1)
    response = signed_in(mentor).post(
        reverse("mentoring:pairing", args=[pairing.pk]), _form(met_on=tomorrow.isoformat())
    )
    assert response.status_code == 200
    expected = CHECK_IN_IN_FUTURE.format(day=f"{tomorrow:%b} {tomorrow.day}")
    assert expected.replace("'", "&#x27;") in response.content.decode()
    assert not pairing.check_ins.exists()


def test_one_check_in_a_day(signed_in, mentor, pairing, check_in):
    """Is a second check-in on the same day refused with a pointer to edit the first?"""
    response = signed_in(mentor).post(
        reverse("mentoring:pairing", args=[pairing.pk]), _form(met_on=check_in.met_on.isoformat())
    )
    day = f"{check_in.met_on:%b} {check_in.met_on.day}"
    expected = CHECK_IN_SAME_DAY.format(name=pairing.resident.display_name, day=day)
    assert expected.replace("'", "&#x27;") in response.content.decode()
    assert pairing.check_ins.count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("duration_minutes", "0", "A check-in lasts at least a minute."),
        ("duration_minutes", "900", "Ten hours is the most one check-in can last."),
        ("met_on", "last tuesday", "Enter the date you met, like 2026-03-14."),
        ("channel", "carrier pigeon", "Select a valid choice."),
    ],
)
def test_bad_input_is_refused_in_plain_words(signed_in, mentor, pairing, field, value, message):
    """Are impossible durations, dates and channels refused with a clear message?"""
    response = signed_in(mentor).post(
        reverse("mentoring:pairing", args=[pairing.pk]), _form(**{field: value})
    )
    assert message in response.content.decode()
    assert not pairing.check_ins.exists()


def test_a_concern_needs_a_few_words(signed_in, mentor, pairing):
    """Is a concern without its short text refused?"""
    response = signed_in(mentor).post(
        reverse("mentoring:pairing", args=[pairing.pk]), _form(concern="on", concern_text="  ")
    )
    assert CONCERN_NEEDS_TEXT in response.content.decode()
    assert not pairing.check_ins.exists()


def test_a_mentor_edits_their_check_in(signed_in, mentor, check_in):
    """Does the mentor's edit replace the notes and keep the check-in's identity?"""
    response = signed_in(mentor).post(
        reverse("mentoring:check-in-edit", args=[check_in.pk]),
        _form(met_on=check_in.met_on.isoformat(), notes="Rewritten notes."),
    )
    assert response.status_code == 302
    check_in.refresh_from_db()
    assert check_in.notes == "Rewritten notes."
    assert CheckIn.objects.count() == 1


def test_another_mentor_cannot_log_for_someone_elses_mentee(signed_in, other_mentor, pairing):
    """Is a POST to another pairing's log answered with 404 and nothing stored?"""
    response = signed_in(other_mentor).post(
        reverse("mentoring:pairing", args=[pairing.pk]), _form()
    )
    assert response.status_code == 404
    assert not pairing.check_ins.exists()


def test_hostile_notes_are_shown_as_text(signed_in, mentor, pairing, staff):
    """Does markup in notes and concerns reach the page escaped, for the mentor and for staff?"""
    hostile = '<script>alert("notes")</script><img src=x onerror=alert(1)>'
    check_in_log(
        pairing=pairing, mentor=mentor, met_on=TODAY(), channel=Channel.CHAT,
        duration_minutes=10, notes=hostile, concern=True, concern_text=hostile[:60],
    )  # fmt: skip
    for reader, url in (
        (mentor, reverse("mentoring:pairing", args=[pairing.pk])),
        (staff, reverse("mentoring:overview") + f"?cohort={pairing.cohort.slug}"),
    ):
        page = signed_in(reader).get(url).content.decode()
        assert "<script>alert" not in page
        assert "<img src=x" not in page
        assert "&lt;script&gt;alert(" in page


def _card(page: str, username: str) -> str:
    """The mentee card of one resident on the mentor's page."""
    return page.split(f'data-resident="{username}"', 1)[1].split("</li>", 1)[0]


def test_mentees_page_flags_who_has_no_check_in_this_week(signed_in, mentor, pairing, cohort):
    """Does the mentor see each mentee's last check-in and who still needs one this week?"""
    mentor_pair(cohort=cohort, mentor=mentor, resident=resident_in(cohort, username="quiet-one"))
    check_in_log(
        pairing=pairing, mentor=mentor, met_on=TODAY(), channel=Channel.PHONE, duration_minutes=20
    )
    page = signed_in(mentor).get(reverse("mentoring:mentees")).content.decode()
    assert "Checked in this week" in _card(page, "resident")
    assert "today" in _card(page, "resident")
    assert "No check-in this week" in _card(page, "quiet-one")
    assert "No check-ins logged yet" in _card(page, "quiet-one")


def test_last_weeks_check_in_does_not_count_for_this_week(signed_in, mentor, pairing):
    """Is a mentee met eight days ago flagged for this week?"""
    met_on = TODAY() - datetime.timedelta(days=8)
    check_in_log(
        pairing=pairing, mentor=mentor, met_on=met_on, channel=Channel.PHONE, duration_minutes=20
    )
    card = _card(signed_in(mentor).get(reverse("mentoring:mentees")).content.decode(), "resident")
    assert "No check-in this week" in card
    assert "8 days ago" in card

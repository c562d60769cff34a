"""Who sees and marks what: staff mark whole days; residents see only themselves; mentors read."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from lms.attendance.models import AttendanceMark, Session, Status
from lms.attendance.services import SESSION_NOT_STARTED, attendance_mark_session, sessions_ensure
from lms.people.models import Role
from tests.factories import PASSWORD, CohortFactory, UserFactory, mentor_of, resident_in

from .conftest import class_days

pytestmark = pytest.mark.django_db
CHECKED = re.compile(r'type="radio" name="status_\d+" value="(\w+)"[^>]*checked')


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def _sheet_post(session, statuses: dict, notes: dict | None = None) -> dict:
    data = {}
    for person, status in statuses.items():
        data[f"status_{person.pk}"] = status
        data[f"note_{person.pk}"] = (notes or {}).get(person, "")
    return data


def test_staff_mark_a_whole_day_with_everyone_present_prefilled(
    client, started_cohort, ana, ben, staffer
):
    """Does the day's sheet start everyone as present, and does one save record all of them?"""
    monday = class_days(started_cohort, 1)[0]
    _login(client, staffer)
    url = reverse("attendance:session", args=[monday.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert CHECKED.findall(html) == ["present", "present"]
    assert "Everyone starts as present" in html
    assert "Save attendance for 2 residents" in html

    response = client.post(
        url, _sheet_post(monday, {ana: Status.PRESENT, ben: Status.LATE}, {ben: "Bus was late"})
    )
    assert response.status_code == 302
    marks = {m.person_id: m for m in AttendanceMark.objects.filter(session=monday)}
    assert marks[ana.pk].status == Status.PRESENT
    assert (marks[ben.pk].status, marks[ben.pk].note) == (Status.LATE, "Bus was late")
    assert marks[ben.pk].marked_by == staffer
    followed = client.get(url).content.decode()
    assert "2 of 2" in followed
    assert "Attendance saved for 2 residents" in followed
    assert CHECKED.findall(followed) == ["present", "late"]


def test_the_week_shows_counts_and_links_between_days(client, started_cohort, ana, ben, staffer):
    """Does the week view count each day's marks, and does a day link to the next one?"""
    monday, tuesday = class_days(started_cohort, 1)[:2]
    attendance_mark_session(
        session=monday,
        marks={ana.pk: (Status.PRESENT, ""), ben.pk: (Status.ABSENT, "")},
        marked_by=staffer,
    )
    _login(client, staffer)
    week = client.get(
        reverse("attendance:cohort", args=[started_cohort.slug]),
        {"week": monday.scheduled_on.isoformat()},
    )
    html = week.content.decode()
    assert week.status_code == 200
    assert "Week 1 of the residency" in html
    assert "1 present" in html and "1 absent" in html
    assert html.count("Not marked yet") >= 4
    day = client.get(reverse("attendance:session", args=[monday.pk])).content.decode()
    assert reverse("attendance:session", args=[tuesday.pk]) in day
    for nonsense in ("0001-01-01", "yesterday", "2999-12-31"):
        page = client.get(
            reverse("attendance:cohort", args=[started_cohort.slug]), {"week": nonsense}
        )
        assert page.status_code == 200, "an odd week falls back to the current one"


def test_a_future_day_cannot_be_marked(client, started_cohort, ana, staffer):
    """Is a session that has not started shown without a sheet, and a POST to it refused?"""
    future = Session.objects.filter(cohort=started_cohort, starts_at__gt=timezone.now()).first()
    _login(client, staffer)
    url = reverse("attendance:session", args=[future.pk])
    assert "has not started yet" in client.get(url).content.decode()
    response = client.post(url, _sheet_post(future, {ana: Status.PRESENT}), follow=True)
    assert SESSION_NOT_STARTED in response.content.decode()
    assert not AttendanceMark.objects.filter(session=future).exists()


def test_staff_cancel_and_move_a_session(client, started_cohort, staffer):
    """Can staff cancel a session, restore it, and move it to other times?"""
    session = class_days(started_cohort, 1)[2]
    _login(client, staffer)
    change = reverse("attendance:session_change", args=[session.pk])
    client.post(change, {"action": "cancel"})
    session.refresh_from_db()
    assert session.cancelled
    client.post(change, {"action": "restore"})
    session.refresh_from_db()
    assert not session.cancelled
    client.post(
        change,
        {
            "action": "move",
            "day": session.scheduled_on.isoformat(),
            "starts": "10:00",
            "ends": "16:00",
        },
    )
    session.refresh_from_db()
    assert timezone.localtime(session.starts_at).time() == datetime.time(10, 0)
    response = client.post(
        change,
        {
            "action": "move",
            "day": session.scheduled_on.isoformat(),
            "starts": "16:00",
            "ends": "10:00",
        },
        follow=True,
    )
    assert "end time is before the start time" in response.content.decode()


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "before-start"])
def test_a_session_is_moved_only_within_its_cohorts_schedule(client, started_cohort, staffer, day):
    """Is a move off the cohort's schedule (or off the calendar) a plain message, not a 500?"""
    session = class_days(started_cohort, 1)[2]
    before = (session.starts_at, session.ends_at)
    if day == "before-start":
        day = (started_cohort.start_date - datetime.timedelta(days=3)).isoformat()
    _login(client, staffer)
    client.raise_request_exception = False
    response = client.post(
        reverse("attendance:session_change", args=[session.pk]),
        {"action": "move", "day": day, "starts": "23:00", "ends": "23:30"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Move a session to a day within" in response.content.decode()
    session.refresh_from_db()
    assert (session.starts_at, session.ends_at) == before


@pytest.mark.parametrize("who", ["resident", "mentor", "guest"])
def test_only_staff_open_or_post_to_the_marking_pages(
    client, started_cohort, ana, ben, ana_mentor, who
):
    """Are residents, mentors and guest instructors refused every staff page and every POST?"""
    user = {
        "resident": ana,
        "mentor": ana_mentor,
        "guest": UserFactory(roles=[Role.GUEST_INSTRUCTOR]),
    }[who]
    monday = class_days(started_cohort, 1)[0]
    _login(client, user)
    assert client.get(reverse("attendance:session", args=[monday.pk])).status_code == 403
    assert client.get(reverse("attendance:cohort", args=[started_cohort.slug])).status_code == 403
    assert (
        client.get(reverse("attendance:resident", args=[started_cohort.slug, "ben"])).status_code
        == 403
    )
    posted = client.post(
        reverse("attendance:session", args=[monday.pk]),
        _sheet_post(monday, {ana: Status.PRESENT, ben: Status.ABSENT}),
    )
    assert posted.status_code == 403
    assert (
        client.post(
            reverse("attendance:session_change", args=[monday.pk]), {"action": "cancel"}
        ).status_code
        == 403
    )
    monday.refresh_from_db()
    assert not monday.cancelled
    assert not AttendanceMark.objects.exists()


def test_a_resident_sees_only_their_own_record(client, started_cohort, ana, ben, staffer):
    """Does Ana see her rate and her late day with its note, and nothing of Ben's?"""
    monday, tuesday = class_days(started_cohort, 1)[:2]
    attendance_mark_session(
        session=monday,
        marks={ana.pk: (Status.LATE, "Train delay"), ben.pk: (Status.ABSENT, "Ben's private note")},
        marked_by=staffer,
    )
    attendance_mark_session(
        session=tuesday,
        marks={ana.pk: (Status.PRESENT, ""), ben.pk: (Status.ABSENT, "")},
        marked_by=staffer,
    )
    _login(client, ana)
    page = client.get(reverse("attendance:index"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "My attendance" in html
    assert "100%" in html  # late still counts as attended
    assert "Train delay" in html
    assert "Ben" not in html and "private note" not in html
    assert 'data-status="late"' in html and 'data-status="absent"' not in html


def test_mentors_see_their_mentees_rates_read_only(
    client, started_cohort, ana, ben, ana_mentor, staffer
):
    """Does a mentor see Ana's rate (and not Ben's), with no way to mark?"""
    monday, tuesday = class_days(started_cohort, 1)[:2]
    for session, status in ((monday, Status.PRESENT), (tuesday, Status.ABSENT)):
        attendance_mark_session(
            session=session,
            marks={ana.pk: (status, ""), ben.pk: (Status.PRESENT, "")},
            marked_by=staffer,
        )
    _login(client, ana_mentor)
    page = client.get(reverse("attendance:index"))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-resident="ana"' in html and "50%" in html
    assert 'data-resident="ben"' not in html
    assert "<form" not in html.split('id="main"')[1]


def test_people_with_no_cohort_and_no_mentees_are_refused(client, db):
    """Is a guest instructor, who has no record and no mentees, refused the attendance page?"""
    _login(client, UserFactory(roles=[Role.GUEST_INSTRUCTOR]))
    assert client.get(reverse("attendance:index")).status_code == 403


def test_staff_see_the_cohorts_and_a_residents_record(client, started_cohort, ana, staffer):
    """Does staff's landing list the cohort, and does a resident's record open for staff?"""
    _login(client, staffer)
    landing = client.get(reverse("attendance:index")).content.decode()
    assert reverse("attendance:cohort", args=[started_cohort.slug]) in landing
    record = client.get(reverse("attendance:resident", args=[started_cohort.slug, "ana"]))
    assert record.status_code == 200
    assert "Ana Alvarez’s attendance" in record.content.decode()


def test_signed_out_visitors_are_sent_to_sign_in(client, started_cohort):
    """Does every attendance page ask a signed-out visitor to sign in?"""
    session = class_days(started_cohort, 1)[0]
    for url in (
        reverse("attendance:index"),
        reverse("attendance:cohort", args=[started_cohort.slug]),
        reverse("attendance:session", args=[session.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_rates_are_shown_to_one_decimal_at_most(client, staffer):
    """Is 8 class days of 9 shown as 88.9%, one decimal at most, to her, her mentor and staff?"""
    cohort = CohortFactory(start_date=datetime.date(2026, 3, 2))
    sessions_ensure(cohort=cohort)
    eve = resident_in(cohort, username="eve", first_name="Eve", last_name="Eight")
    tom = resident_in(cohort, username="tom", first_name="Tom", last_name="Two")
    mentor = mentor_of(eve)
    days = class_days(cohort, 1) + class_days(cohort, 2)[:4]
    wednesday_of_week_3 = datetime.datetime(2026, 3, 18, 12, tzinfo=timezone.get_current_timezone())
    pages = {}
    with time_machine.travel(wednesday_of_week_3, tick=False):
        for number, day in enumerate(days):
            marks = {eve.pk: (Status.ABSENT if number == 0 else Status.PRESENT, "")}
            if number < 3:
                marks[tom.pk] = (Status.ABSENT if number == 0 else Status.PRESENT, "")
            attendance_mark_session(session=day, marks=marks, marked_by=staffer)
        for person, url in (
            (eve, reverse("attendance:index")),
            (mentor, reverse("attendance:index")),
            (staffer, reverse("attendance:cohort", args=[cohort.slug])),
            (staffer, reverse("attendance:resident", args=[cohort.slug, "eve"])),
        ):
            _login(client, person)
            pages[person.username, url] = client.get(url).content.decode()
    for html in pages.values():
        assert "88.9%" in html
        assert "88.88" not in html
    staff_table = pages[staffer.username, reverse("attendance:cohort", args=[cohort.slug])]
    assert '<span class="badge badge--rose">66.7%</span>' in staff_table

"""The Residency landing page: each role sees the sections it has a use for."""

import html

import pytest

from lms.people.models import Role
from tests.factories import UserFactory, mentor_of

pytestmark = pytest.mark.django_db


def _sections(client, user) -> list[str]:
    client.force_login(user)
    page = client.get("/community/").content.decode()
    return [
        html.unescape(line.split("<strong>")[1].split("</strong>")[0])
        for line in page.split("\n")
        if 'class="section-card"' in line
    ]


def test_each_role_sees_its_sections(client, resident, staff):
    """Residents see their mentor, not the log, and no hours; mentors see their mentees' attendance; staff see everything."""
    assert _sections(client, resident) == [
        "My mentor", "Field projects", "Attendance", "Jobs", "Seminars & events", "Office hours", "Calendar & e-mail",
    ]  # fmt: skip
    mentor = mentor_of(resident)
    assert _sections(client, mentor) == [
        "Mentoring", "Field projects", "Attendance", "Jobs", "Seminars & events", "Office hours", "Calendar & e-mail",
    ]  # fmt: skip
    assert _sections(client, staff)[:5] == [
        "Mentoring", "Field projects", "Attendance", "Jobs", "Hours",
    ]  # fmt: skip
    guest = UserFactory(roles=[Role.GUEST_INSTRUCTOR])
    assert _sections(client, guest) == ["Seminars & events", "Office hours", "Calendar & e-mail"]


def test_alumni_see_their_hours(client, cohort):
    """A resident of a graduated cohort gets the Hours section; one in residency does not."""
    import datetime

    from tests.factories import CohortFactory, resident_in

    graduated = CohortFactory(start_date=cohort.start_date - datetime.timedelta(weeks=30))
    alumna = resident_in(graduated, username="alumna")
    assert "Hours" in _sections(client, alumna)


def test_the_landing_page_needs_a_sign_in(client, home):
    assert client.get("/community/")["Location"].startswith("/accounts/login/")

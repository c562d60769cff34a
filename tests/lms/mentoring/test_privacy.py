"""Who reads a pairing's check-in notes: its mentor and staff, nobody else."""

import pytest
from django.urls import reverse

from lms.mentoring.models import Channel
from lms.mentoring.services import check_in_log
from lms.people.models import Role
from lms.people.services import role_group
from tests.factories import mentor_of, resident_in

from .conftest import SECRET_NOTE

pytestmark = pytest.mark.django_db


def test_the_mentor_and_staff_read_the_notes(signed_in, check_in, mentor, staff):
    """Do the pairing's mentor and staff see the notes on the log page?"""
    url = reverse("mentoring:pairing", args=[check_in.pairing_id])
    for reader in (mentor, staff):
        response = signed_in(reader).get(url)
        assert response.status_code == 200
        assert SECRET_NOTE in response.content.decode()


@pytest.mark.parametrize("who", ["resident", "other_mentor", "guest_instructor"])
def test_nobody_else_finds_the_log(request, signed_in, check_in, who):
    """Are the resident, another mentor and a guest instructor told the log does not exist?"""
    client = signed_in(request.getfixturevalue(who))
    for url in (
        reverse("mentoring:pairing", args=[check_in.pairing_id]),
        reverse("mentoring:check-in-edit", args=[check_in.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 404
        assert SECRET_NOTE not in response.content.decode()


def test_the_resident_sees_who_their_mentor_is_but_not_the_notes(signed_in, check_in, resident):
    """Does a resident see their mentor's name and e-mail, and nothing of the log?"""
    client = signed_in(resident)
    assert client.get(reverse("mentoring:index")).url == reverse("mentoring:my-mentor")
    page = client.get(reverse("mentoring:my-mentor")).content.decode()
    mentor = check_in.pairing.mentor
    assert mentor.display_name in page
    assert f'href="mailto:{mentor.email}"' in page
    assert SECRET_NOTE not in page
    assert "30 min" not in page


@pytest.mark.parametrize("who", ["resident", "guest_instructor"])
def test_mentee_and_staff_pages_are_closed_to_others(request, signed_in, check_in, who):
    """Can neither a resident nor a guest instructor open the mentor page or staff's overview?"""
    client = signed_in(request.getfixturevalue(who))
    assert client.get(reverse("mentoring:mentees")).status_code == 403
    assert client.get(reverse("mentoring:overview")).status_code == 403


def test_a_guest_instructor_has_no_mentoring_section(signed_in, guest_instructor):
    """Is the Mentoring landing closed to a guest instructor, who has no mentor and no mentees?"""
    client = signed_in(guest_instructor)
    assert client.get(reverse("mentoring:index")).status_code == 403
    assert client.get(reverse("mentoring:my-mentor")).status_code == 404


def test_another_mentor_does_not_see_the_check_in_on_their_page(signed_in, check_in, other_mentor):
    """Does another mentor's mentee list show only their own mentee?"""
    page = signed_in(other_mentor).get(reverse("mentoring:mentees")).content.decode()
    assert 'data-resident="other-resident"' in page
    assert 'data-resident="resident"' not in page
    assert SECRET_NOTE not in page


def test_signed_out_visitors_are_sent_to_sign_in(client, check_in):
    """Does a visitor without an account get the sign-in page, not the log?"""
    response = client.get(reverse("mentoring:pairing", args=[check_in.pairing_id]))
    assert response.status_code == 302
    assert reverse("login") in response.url


def test_only_the_pairings_mentor_edits_a_check_in(signed_in, check_in, staff, mentor):
    """May staff read a check-in but not rewrite the mentor's notes?"""
    url = reverse("mentoring:check-in-edit", args=[check_in.pk])
    assert signed_in(staff).get(url).status_code == 403
    response = signed_in(staff).post(
        url, {"met_on": check_in.met_on, "channel": "phone", "duration_minutes": 5, "notes": "x"}
    )
    assert response.status_code == 403
    check_in.refresh_from_db()
    assert check_in.notes == SECRET_NOTE


def test_staff_do_not_log_check_ins_for_a_mentor(signed_in, pairing, staff):
    """Is the log form only the mentor's: a POST from staff is refused?"""
    client = signed_in(staff)
    page = client.get(reverse("mentoring:pairing", args=[pairing.pk])).content.decode()
    assert "Log a check-in" not in page
    response = client.post(
        reverse("mentoring:pairing", args=[pairing.pk]),
        {"met_on": "2020-01-01", "channel": "video", "duration_minutes": 30},
    )
    assert response.status_code == 403
    assert not pairing.check_ins.exists()


def test_a_resident_who_also_mentors_still_cannot_read_her_own_log(signed_in, cohort):
    """Is a resident who holds the Mentor role too kept out of her mentor's notes about her?"""
    both = resident_in(cohort, username="both")
    both.groups.add(role_group(role=Role.MENTOR))
    her_mentor = mentor_of(both)
    pairing = her_mentor.mentees.get()
    check_in_log(
        pairing=pairing, mentor=her_mentor, met_on=cohort.start_date,
        channel=Channel.CHAT, duration_minutes=15, notes="About her, for staff",
    )  # fmt: skip
    client = signed_in(both)
    assert client.get(reverse("mentoring:pairing", args=[pairing.pk])).status_code == 404
    assert "About her, for staff" not in client.get(reverse("mentoring:mentees")).content.decode()

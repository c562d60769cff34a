"""Staff run cohorts from the admin; guest instructors do not."""

from django.urls import reverse

from lms.cohorts.models import COHORT_MUST_START_ON_MONDAY, Cohort
from lms.people.models import Role
from tests.factories import UserFactory


def _cohort_form(start_date: str, resident=None, mentor=None) -> dict:
    data = {
        "name": "Cohort 9",
        "slug": "cohort-9",
        "start_date": start_date,
        "weeks": "16",
        "post_residency_months": "8",
        "enrollments-TOTAL_FORMS": "0",
        "enrollments-INITIAL_FORMS": "0",
        "enrollments-MIN_NUM_FORMS": "0",
        "enrollments-MAX_NUM_FORMS": "1000",
        "pairings-TOTAL_FORMS": "0",
        "pairings-INITIAL_FORMS": "0",
        "pairings-MIN_NUM_FORMS": "0",
        "pairings-MAX_NUM_FORMS": "1000",
    }
    if resident:
        data.update(
            {
                "enrollments-TOTAL_FORMS": "1",
                "enrollments-0-resident": str(resident.pk),
                "enrollments-0-ORDER": "1",
                "enrollments-0-id": "",
            }
        )
    if resident and mentor:
        data.update(
            {
                "pairings-TOTAL_FORMS": "1",
                "pairings-0-resident": str(resident.pk),
                "pairings-0-mentor": str(mentor.pk),
                "pairings-0-ORDER": "1",
                "pairings-0-id": "",
            }
        )
    return data


def test_staff_create_a_cohort_with_residents_and_mentors(client, home, staff):
    """Can staff create a cohort, enrol a resident and pair a mentor in one form?"""
    resident = UserFactory(roles=[Role.RESIDENT])
    mentor = UserFactory(roles=[Role.MENTOR])
    client.force_login(staff)
    url = reverse("wagtailsnippets_cohorts_cohort:add")
    assert client.get(url).status_code == 200
    response = client.post(url, _cohort_form("2027-01-04", resident, mentor))
    assert response.status_code == 302, response.content.decode()[:3000]
    cohort = Cohort.objects.get(slug="cohort-9")
    assert list(cohort.residents.all()) == [resident]
    assert cohort.pairings.get().mentor == mentor


def test_cohort_admin_refuses_a_mid_week_start(client, home, staff):
    """Does the form say why a cohort starting on a Wednesday is refused, and store nothing?"""
    client.force_login(staff)
    response = client.post(
        reverse("wagtailsnippets_cohorts_cohort:add"), _cohort_form("2027-01-06")
    )
    assert response.status_code == 200
    assert (
        COHORT_MUST_START_ON_MONDAY.format(day="2027-01-06", weekday="Wednesday")
        in response.content.decode()
    )
    assert not Cohort.objects.filter(slug="cohort-9").exists()


def test_guest_instructors_cannot_manage_cohorts(client, home, guest_instructor):
    """Is the cohort admin closed to guest instructors?"""
    client.force_login(guest_instructor)
    response = client.get(reverse("wagtailsnippets_cohorts_cohort:list"))
    assert response.status_code in (302, 403)

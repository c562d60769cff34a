"""Who may read which page: a cohort's syllabus, seminars by audience, and the admin."""

import datetime

import pytest
from django.utils import timezone

from courses.models import Audience, LessonPage, WeekPage
from lms.people.models import Role
from tests.factories import UserFactory, mentor_of, resident_in, seminar


def test_resident_reads_own_cohort_lessons(client, syllabus, resident):
    """Can a resident open a lesson of their own cohort?"""
    lesson = LessonPage.objects.descendant_of(syllabus).first()
    client.force_login(resident)
    response = client.get(lesson.url)
    assert response.status_code == 200
    assert lesson.title in response.content.decode()


def test_resident_cannot_see_another_cohorts_pages(client, syllabus, other_syllabus, resident):
    """Is another cohort's syllabus, week and lesson hidden as if it did not exist?"""
    client.force_login(resident)
    week = WeekPage.objects.child_of(other_syllabus).first()
    lesson = LessonPage.objects.descendant_of(other_syllabus).first()
    for page in (other_syllabus, week, lesson):
        assert client.get(page.url).status_code == 404


def test_visitor_is_sent_to_sign_in(client, syllabus):
    """Does an anonymous visitor asking for a lesson land on the sign-in page, then back?"""
    lesson = LessonPage.objects.descendant_of(syllabus).first()
    response = client.get(lesson.url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_home_page_is_public(client, home):
    """Does the landing page greet visitors with a sign-in button?"""
    response = client.get("/")
    assert response.status_code == 200
    assert "Sign in" in response.content.decode()


def test_unpublished_lessons_are_hidden_from_residents(client, syllabus, resident):
    """Is a draft lesson invisible to residents?"""
    lesson = LessonPage.objects.descendant_of(syllabus).first()
    url = lesson.url
    lesson.unpublish()
    client.force_login(resident)
    assert client.get(url).status_code == 404


def test_mentor_reads_their_mentees_cohort_only(client, syllabus, other_syllabus, resident):
    """Does a mentor see the syllabus of the cohort they mentor in, and not others?"""
    mentor = mentor_of(resident)
    client.force_login(mentor)
    assert client.get(syllabus.url).status_code == 200
    assert client.get(other_syllabus.url).status_code == 404


@pytest.mark.parametrize("role", [Role.STAFF, Role.GUEST_INSTRUCTOR])
def test_teaching_roles_read_every_cohort(client, syllabus, other_syllabus, role):
    """Do staff and guest instructors read every cohort's syllabus?"""
    client.force_login(UserFactory(roles=[role]))
    assert client.get(syllabus.url).status_code == 200
    assert client.get(other_syllabus.url).status_code == 200


def test_seminars_open_by_audience(client, home, cohort, syllabus):
    """Does a current resident see residents' and everyone's seminars, but not alumni-only ones?"""
    resident = resident_in(cohort)
    for_residents = seminar(Audience.RESIDENTS)
    for_alumni = seminar(Audience.ALUMNI)
    for_everyone = seminar(Audience.EVERYONE)
    client.force_login(resident)
    assert client.get(for_residents.url).status_code == 200
    assert client.get(for_everyone.url).status_code == 200
    assert client.get(for_alumni.url).status_code == 404
    listing = client.get(for_residents.get_parent().url).content.decode()
    assert for_residents.title in listing and for_everyone.title in listing
    assert for_alumni.title not in listing


def test_alumni_see_alumni_seminars(client, home, cohort):
    """Once a cohort has graduated, do its residents see alumni seminars and not residents-only ones?"""
    cohort.start_date = datetime.date(2020, 1, 6)
    cohort.save()
    alumna = resident_in(cohort)
    for_alumni = seminar(Audience.ALUMNI)
    for_residents = seminar(Audience.RESIDENTS)
    client.force_login(alumna)
    assert client.get(for_alumni.url).status_code == 200
    assert client.get(for_residents.url).status_code == 404


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.MENTOR])
def test_residents_and_mentors_cannot_reach_the_admin(client, home, role):
    """Are residents and mentors turned away from the Wagtail admin, even after signing in?"""
    user = UserFactory(roles=[role])
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert client.get("/admin/pages/").status_code == 302


@pytest.mark.parametrize("role", [Role.STAFF, Role.GUEST_INSTRUCTOR])
def test_staff_and_guest_instructors_reach_the_admin(client, home, role):
    """Do the authoring roles get into the Wagtail admin?"""
    client.force_login(UserFactory(roles=[role]))
    assert client.get("/admin/").status_code == 200


def test_navigation_links_a_resident_to_their_syllabus(client, syllabus, resident):
    """Does the header give a resident a link to their own syllabus and no authoring link?"""
    client.force_login(resident)
    content = client.get("/").content.decode()
    assert f'href="{syllabus.url}"' in content
    assert "Authoring" not in content


def test_staff_home_shows_every_cohort_at_a_glance(client, syllabus, other_syllabus, staff, cohort):
    """Does the staff home list each cohort with its week and residents?"""
    resident_in(cohort)
    client.force_login(staff)
    content = client.get("/").content.decode()
    assert syllabus.cohort.name in content and other_syllabus.cohort.name in content
    assert "1 resident" in content


def test_mentor_home_lists_their_mentees(client, syllabus, resident):
    """Does a mentor's home list the residents they mentor?"""
    mentor = mentor_of(resident)
    client.force_login(mentor)
    content = client.get("/").content.decode()
    assert "Your mentees" in content
    assert resident.display_name in content


def test_graduates_in_their_commitment_find_their_hours_from_home(client, home, cohort):
    """Does the home page point a resident in post-residency, and only then, at logging hours?"""
    alumna = resident_in(cohort)
    client.force_login(alumna)
    assert b"Log your hours" not in client.get("/").content, "still in residency"
    cohort.start_date = timezone.localdate() - datetime.timedelta(
        weeks=cohort.weeks + 4, days=timezone.localdate().weekday()
    )
    cohort.save()
    assert b'href="/hours/">Log your hours' in client.get("/").content

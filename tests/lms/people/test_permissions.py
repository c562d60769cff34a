"""Who may open what: the core role predicates, their view decorators, and the layering they keep."""

import ast
import datetime
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from lms.cohorts.models import Cohort
from lms.cohorts.permissions import (
    user_is_alumnus,
    user_is_enrolled,
    user_mentors,
    user_mentors_anyone,
)
from lms.cohorts.selectors import cohort_default
from lms.people.permissions import (
    deny_unless,
    role_required,
    staff_or_guest_instructor_required,
    staff_required,
    user_is_guest_instructor,
    user_is_mentor,
    user_is_staff,
    user_is_staff_or_guest_instructor,
)
from tests.factories import CohortFactory, UserFactory, mentor_of, resident_in

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True)


@pytest.fixture
def mentor(resident):
    return mentor_of(resident, username="mentor")


def _ok(request):
    return HttpResponse("ok")


def _request(user):
    request = RequestFactory().get("/somewhere/")
    request.user = user
    return request


def test_staff_is_the_staff_role_or_a_superuser(staff, superuser, resident, guest_instructor):
    """Do staff and superusers count as staff, and residents, guests and visitors not?"""
    assert user_is_staff(user=staff) and user_is_staff(user=superuser)
    for other in (resident, guest_instructor, AnonymousUser()):
        assert not user_is_staff(user=other)


def test_staff_and_guest_instructors_teach_across_cohorts(
    staff, guest_instructor, resident, mentor
):
    """Is "staff or guest instructor" true for exactly those two roles?"""
    assert user_is_staff_or_guest_instructor(user=staff)
    assert user_is_staff_or_guest_instructor(user=guest_instructor)
    assert user_is_guest_instructor(user=guest_instructor)
    assert not user_is_guest_instructor(user=staff)
    for other in (resident, mentor, AnonymousUser()):
        assert not user_is_staff_or_guest_instructor(user=other)


def test_role_required_lets_through_anyone_any_predicate_allows(staff, resident, mentor):
    """Does a view behind several predicates open for each of them and refuse everyone else?"""
    view = role_required(user_is_staff, user_is_mentor, message="Mentors and staff only.")(_ok)
    assert view(_request(staff)).status_code == 200
    assert view(_request(mentor)).status_code == 200
    with pytest.raises(PermissionDenied, match="Mentors and staff only."):
        view(_request(resident))
    with pytest.raises(PermissionDenied):
        view(_request(AnonymousUser()))


def test_the_shorthand_decorators(staff, guest_instructor, resident):
    """Does staff_required open for staff only, and the authoring one for guests too?"""
    assert staff_required(_ok)(_request(staff)).status_code == 200
    with pytest.raises(PermissionDenied):
        staff_required(_ok)(_request(guest_instructor))
    authoring = staff_or_guest_instructor_required(_ok)
    assert authoring(_request(guest_instructor)).status_code == 200
    with pytest.raises(PermissionDenied):
        authoring(_request(resident))


def test_deny_unless_refuses_with_its_message():
    """Does the one helper views use for object-level rules refuse with 403 and its message?"""
    deny_unless(True)
    with pytest.raises(PermissionDenied, match="Not yours."):
        deny_unless(False, "Not yours.")


STAFF_PAGES = [
    ("mentoring:overview", False),
    ("attendance:cohort", True),
    ("commitments:cohort", True),
    ("fieldwork:hosts", False),
    ("fieldwork:host-create", False),
    ("assignments:manual-queue", True),
]


def _url(name, with_slug, cohort):
    return reverse(name, args=[cohort.slug] if with_slug else [])


@pytest.mark.parametrize(("name", "with_slug"), STAFF_PAGES)
def test_a_resident_gets_403_on_staff_pages(client, cohort, resident, name, with_slug):
    """Is a signed-in resident refused (403) on each staff-only page?"""
    client.force_login(resident)
    assert client.get(_url(name, with_slug, cohort)).status_code == 403


@pytest.mark.parametrize(("name", "with_slug"), STAFF_PAGES)
def test_a_visitor_is_sent_to_sign_in_first(client, cohort, name, with_slug):
    """Is someone not signed in sent to the sign-in page rather than refused?"""
    url = _url(name, with_slug, cohort)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(("name", "with_slug"), STAFF_PAGES)
def test_staff_open_staff_pages(client, cohort, staff, name, with_slug):
    """Do the same pages open for staff?"""
    client.force_login(staff)
    assert client.get(_url(name, with_slug, cohort)).status_code == 200


def test_a_guest_instructor_can_author_but_a_resident_cannot(
    client, home, guest_instructor, resident
):
    """Does the assignments admin open for a guest instructor and stay shut to a resident?"""
    client.force_login(guest_instructor)
    assert client.get(reverse("assignments_admin:index")).status_code == 200
    client.force_login(resident)
    assert client.get(reverse("assignments_admin:index")).status_code == 302


def test_locked_sign_ins_are_for_staff_only(client, home, staff, guest_instructor):
    """Is the locked sign-ins page open to staff and not to a guest instructor in the admin?"""
    client.force_login(staff)
    assert client.get(reverse("locked_sign_ins")).status_code == 200
    client.force_login(guest_instructor)
    response = client.get(reverse("locked_sign_ins"))
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


def test_a_mentor_mentors_only_their_own_mentee(cohort, resident, mentor):
    """Is a mentor's pairing with one resident no licence for another resident's record?"""
    classmate = resident_in(cohort, username="classmate")
    other_mentor = mentor_of(classmate, username="other-mentor")
    assert user_mentors(mentor=mentor, resident=resident)
    assert not user_mentors(mentor=mentor, resident=classmate)
    assert not user_mentors(mentor=other_mentor, resident=resident)
    assert not user_mentors(mentor=AnonymousUser(), resident=resident)
    assert user_mentors_anyone(user=mentor) and not user_mentors_anyone(user=resident)


def test_residents_and_alumni(cohort, resident, staff):
    """Is a resident enrolled, and an alumnus once their cohort has graduated?"""
    assert user_is_enrolled(user=resident) and not user_is_alumnus(user=resident)
    assert not user_is_enrolled(user=staff)
    graduated = CohortFactory(start_date=cohort.start_date - datetime.timedelta(weeks=30))
    assert user_is_alumnus(user=resident_in(graduated))


def test_the_default_cohort_is_the_latest_started_else_the_newest(db):
    """Do staff pages open on the latest cohort that has started, else on the newest one?"""
    monday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday())
    assert cohort_default() is None
    upcoming = CohortFactory(start_date=monday + datetime.timedelta(weeks=8))
    later = CohortFactory(start_date=monday + datetime.timedelta(weeks=20))
    assert cohort_default() == later, "none has started: the newest"
    running = CohortFactory(start_date=monday - datetime.timedelta(weeks=3))
    graduated = CohortFactory(start_date=monday - datetime.timedelta(weeks=40))
    assert cohort_default() == running
    assert cohort_default(today=monday - datetime.timedelta(weeks=10)) == graduated
    assert cohort_default(among=Cohort.objects.filter(pk=upcoming.pk)) == upcoming


def test_the_gradebook_link_and_the_mentoring_overview_open_on_the_default_cohort(
    client, staff, cohort, other_cohort
):
    """Do the navigation's gradebook link and staff's mentoring overview agree on the cohort?"""
    client.force_login(staff)
    default = cohort_default()
    page = client.get(reverse("mentoring:overview"))
    assert page.context["cohort"] == default
    assert page.context["nav"]["gradebook"] == default


CORE = ("lms/people", "lms/cohorts", "lms/settings")
# The apps built on the core: courses, assignments, notebooks and lms's own feature apps.
ABOVE_THE_CORE = ("courses", "assignments", "notebooks") + tuple(
    f"lms.{apps.parent.name}"
    for apps in (ROOT / "lms").glob("*/apps.py")
    if apps.parent.name not in ("people", "cohorts")
)


def _first_party_imports(path: Path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


@pytest.mark.parametrize("package", CORE)
def test_the_core_imports_no_app_above_it(package):
    """Do people, cohorts and settings stay free of the feature apps built on them?"""
    assert len(ABOVE_THE_CORE) > 5, "the feature apps were found"
    offending = [
        f"{path.relative_to(ROOT)}: {module}"
        for path in (ROOT / package).rglob("*.py")
        for module in _first_party_imports(path)
        if any(module == app or module.startswith(f"{app}.") for app in ABOVE_THE_CORE)
    ]
    assert offending == []

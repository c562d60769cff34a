import pytest

from lms.people.models import Role
from tests.factories import CohortFactory, UserFactory, home_page, resident_in, syllabus_for


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Each test starts with no rate-limit counts (they live in the local-memory cache)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files of a test go to its own folder, never the developer's data folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def home(db):
    return home_page()


@pytest.fixture
def cohort(db):
    return CohortFactory()


@pytest.fixture
def other_cohort(db):
    return CohortFactory()


@pytest.fixture
def syllabus(home, cohort):
    return syllabus_for(cohort)


@pytest.fixture
def other_syllabus(home, other_cohort):
    return syllabus_for(other_cohort)


@pytest.fixture
def resident(cohort):
    return resident_in(cohort, username="resident")


@pytest.fixture
def staff(db):
    return UserFactory(username="staffer", roles=[Role.STAFF])


@pytest.fixture
def guest_instructor(db):
    return UserFactory(username="guest", roles=[Role.GUEST_INSTRUCTOR])

import pytest

from lms.fieldwork.services import field_project_create, host_organization_create
from lms.people.models import Role
from tests.factories import PASSWORD, UserFactory, resident_in


@pytest.fixture
def host(db):
    return host_organization_create(
        name="Riverside Renters' Alliance", website="https://renters.example.org",
        mission="Renters organizing for repairs.", needs="A repair tracker.",
        contact_name="Dana Host", contact_email="dana@renters.example.org",
        contact_phone="555-0100",
    )  # fmt: skip


@pytest.fixture
def teammate(cohort):
    return resident_in(cohort, username="teammate")


@pytest.fixture
def project_mentor(db):
    return UserFactory(username="project-mentor", roles=[Role.MENTOR])


@pytest.fixture
def classmate(cohort):
    """A resident of the same cohort who is not on the team: the showcase audience."""
    return resident_in(cohort, username="classmate")


@pytest.fixture
def outsider(other_cohort):
    """A resident of another cohort."""
    return resident_in(other_cohort, username="outsider")


@pytest.fixture
def project(cohort, host, resident, teammate, project_mentor):
    return field_project_create(
        cohort=cohort, host=host, title="Repair tracker", summary="Track repair requests.",
        team=[resident, teammate], mentor=project_mentor,
    )  # fmt: skip


@pytest.fixture
def signed_in(client):
    def sign_in(user):
        assert client.login(username=user.username, password=PASSWORD)
        return client

    return sign_in

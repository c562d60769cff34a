"""Who sees a field project, who updates its milestones, and who sees the host's contact."""

import pytest
from django.urls import reverse

from lms.fieldwork.models import DeliverableLink, MilestoneKind
from tests.factories import mentor_of

pytestmark = pytest.mark.django_db

EDIT_CONTROLS = "Update status or add a link"


def _page(client, project):
    return client.get(reverse("fieldwork:project", args=[project.pk]))


@pytest.mark.parametrize("who", ["resident", "teammate", "project_mentor", "staff"])
def test_the_team_its_mentor_and_staff_can_update(request, signed_in, project, who):
    """Do team members, the project's mentor and staff get the edit controls and the host link?"""
    response = _page(signed_in(request.getfixturevalue(who)), project)
    page = response.content.decode()
    assert response.status_code == 200
    assert EDIT_CONTROLS in page
    assert project.host_token in page
    assert ("Make a new link" in page) == (who == "staff")


def test_classmates_see_the_showcase_read_only(signed_in, project, classmate):
    """Does another resident of the cohort read the project without controls or the host link?"""
    response = _page(signed_in(classmate), project)
    page = response.content.decode()
    assert response.status_code == 200
    assert project.title in page and "Scoping" in page
    assert EDIT_CONTROLS not in page
    assert project.host_token not in page


def test_a_mentor_in_the_cohort_sees_the_showcase(signed_in, project, classmate):
    """Does a mentor paired in the cohort (not the project's) read it without controls?"""
    page = _page(signed_in(mentor_of(classmate)), project).content.decode()
    assert project.title in page
    assert EDIT_CONTROLS not in page


@pytest.mark.parametrize("who", ["outsider", "guest_instructor"])
def test_everyone_else_gets_404(request, signed_in, project, who):
    """Are residents of other cohorts and guest instructors told the project does not exist?"""
    client = signed_in(request.getfixturevalue(who))
    assert _page(client, project).status_code == 404
    assert client.get(reverse("fieldwork:host", args=[project.host_id])).status_code == 404
    milestone = project.milestones.get(kind=MilestoneKind.SCOPING)
    response = client.post(
        reverse("fieldwork:milestone-status", args=[milestone.pk]), {"status": "done"}
    )
    assert response.status_code == 404
    milestone.refresh_from_db()
    assert milestone.status == "not_started"


def test_an_unknown_project_is_404_too(signed_in, resident):
    assert signed_in(resident).get(reverse("fieldwork:project", args=[999])).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, project):
    response = _page(client, project)
    assert response.status_code == 302 and reverse("login") in response.url


@pytest.mark.parametrize("who", ["teammate", "project_mentor"])
def test_team_and_mentor_move_a_milestone_along(request, signed_in, project, who):
    """Can a team member and the project's mentor set a milestone's status?"""
    milestone = project.milestones.get(kind=MilestoneKind.PROTOTYPE)
    response = signed_in(request.getfixturevalue(who)).post(
        reverse("fieldwork:milestone-status", args=[milestone.pk]),
        {"status": "in_progress"},
        follow=True,
    )
    assert "Prototype is now “In progress”." in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.status == "in_progress"


def test_a_classmate_cannot_change_a_milestone(signed_in, project, classmate):
    """Is a classmate's status change or link refused (403), nothing changed?"""
    client = signed_in(classmate)
    milestone = project.milestones.get(kind=MilestoneKind.SCOPING)
    assert (
        client.post(
            reverse("fieldwork:milestone-status", args=[milestone.pk]), {"status": "done"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("fieldwork:link-add", args=[milestone.pk]), {"url": "https://example.org"}
        ).status_code
        == 403
    )
    milestone.refresh_from_db()
    assert milestone.status == "not_started" and not milestone.links.exists()


def test_an_unknown_status_is_refused(signed_in, project, resident):
    milestone = project.milestones.get(kind=MilestoneKind.SCOPING)
    response = signed_in(resident).post(
        reverse("fieldwork:milestone-status", args=[milestone.pk]), {"status": "abandoned"},
        follow=True,
    )  # fmt: skip
    assert "Select a valid choice." in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.status == "not_started"


def test_only_editors_remove_links(signed_in, project, resident, classmate):
    """Can a classmate not remove the team's link, while a team member can?"""
    milestone = project.milestones.get(kind=MilestoneKind.SCOPING)
    signed_in(resident).post(
        reverse("fieldwork:link-add", args=[milestone.pk]),
        {"url": "https://docs.example.org/scope", "label": "Scope"},
    )
    link = DeliverableLink.objects.get()
    remove = reverse("fieldwork:link-remove", args=[link.pk])
    assert signed_in(classmate).post(remove).status_code == 403
    assert DeliverableLink.objects.exists()
    assert signed_in(resident).post(remove).status_code == 302
    assert not DeliverableLink.objects.exists()


def test_host_contact_is_for_the_people_on_its_projects(signed_in, project, resident, classmate):
    """Do team members see the host's phone and e-mail, while the showcase audience does not?"""
    url = reverse("fieldwork:host", args=[project.host_id])
    team_page = signed_in(resident).get(url).content.decode()
    assert "555-0100" in team_page and "dana@renters.example.org" in team_page
    showcase = signed_in(classmate).get(url)
    assert showcase.status_code == 200
    page = showcase.content.decode()
    assert "Renters organizing for repairs." in page
    assert "555-0100" not in page and "dana@renters.example.org" not in page


def test_the_project_list_shows_the_cohorts_projects(signed_in, project, resident, outsider):
    """Does a resident see their cohort's cards with progress, and an outsider not see them?"""
    page = signed_in(resident).get(reverse("fieldwork:index")).content.decode()
    assert f'data-project="{project.pk}"' in page
    assert "0 of 4 milestones done" in page
    assert "Yours" in page
    assert project.title not in signed_in(outsider).get(reverse("fieldwork:index")).content.decode()
    response = signed_in(outsider).get(
        reverse("fieldwork:index") + f"?cohort={project.cohort.slug}"
    )
    assert response.status_code == 404


def test_a_guest_instructor_has_no_project_list(signed_in, project, guest_instructor):
    assert signed_in(guest_instructor).get(reverse("fieldwork:index")).status_code == 404


def test_a_project_mentor_opens_every_card_of_their_cohorts_list(
    signed_in, project, project_mentor, cohort, host, classmate
):
    """Do the other cards on a project mentor's list open, instead of 404ing from their own list?"""
    from lms.fieldwork.services import field_project_create

    other = field_project_create(
        cohort=cohort, host=host, title="Food bank stock", summary="S", team=[classmate]
    )
    client = signed_in(project_mentor)
    listing = client.get(reverse("fieldwork:index")).content.decode()
    assert f'data-project="{other.pk}"' in listing
    page = _page(client, other)
    assert page.status_code == 200
    assert EDIT_CONTROLS not in page.content.decode()
    assert other.host_token not in page.content.decode()


def test_the_host_page_costs_the_same_however_many_projects_it_had(
    signed_in, project, host, classmate
):
    """Does a host's page take as many queries with four past projects as with one?"""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lms.fieldwork.services import field_project_create
    from tests.factories import CohortFactory, resident_in

    client = signed_in(classmate)
    url = reverse("fieldwork:host", args=[host.pk])
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for n in range(3):
        past = CohortFactory()
        field_project_create(
            cohort=past, host=host, title=f"Past {n}", summary="S",
            team=[resident_in(past, username=f"past-{n}")],
        )  # fmt: skip
    with CaptureQueriesContext(connection) as four:
        page = client.get(url).content.decode()
    assert project.title in page and "Past 0" not in page
    assert len(four) == len(one)

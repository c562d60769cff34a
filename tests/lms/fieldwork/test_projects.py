"""Field projects: four weekly milestones, teams from the cohort, staff's forms."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lms.cohorts.selectors import cohort_week_start
from lms.fieldwork.models import FieldProject, HostOrganization, MilestoneKind
from lms.fieldwork.services import (
    TEAM_MEMBER_TAKEN,
    TEAM_OUTSIDE_COHORT,
    field_project_create,
    field_project_update,
)

pytestmark = pytest.mark.django_db


def test_a_project_gets_four_weekly_milestones_in_the_last_four_weeks(project, cohort):
    """Is a new project placed in weeks 13-16, with scoping to hand-off due each Friday?"""
    week_13 = cohort_week_start(cohort=cohort, number=13)
    assert project.start_date == week_13
    milestones = list(project.milestones.order_by("kind"))
    assert [m.kind for m in milestones] == list(MilestoneKind)
    assert [m.due_on for m in milestones] == [
        week_13 + datetime.timedelta(weeks=week, days=4) for week in range(4)
    ]
    assert all(m.due_on.weekday() == 4 for m in milestones)
    assert {m.status for m in milestones} == {"not_started"}


def test_moving_the_start_moves_the_milestones(project, host, resident, teammate):
    """When staff move a project a week later, does every due date follow?"""
    before = [m.due_on for m in project.milestones.order_by("kind")]
    field_project_update(
        project=project, host=host, title=project.title, summary=project.summary,
        team=[resident, teammate], mentor=project.mentor,
        start_date=project.start_date + datetime.timedelta(weeks=1),
    )  # fmt: skip
    after = [m.due_on for m in project.milestones.order_by("kind")]
    assert after == [day + datetime.timedelta(weeks=1) for day in before]


def test_the_team_comes_from_the_cohort(cohort, host, outsider, resident):
    """Is a resident of another cohort refused for the team?"""
    with pytest.raises(ValidationError) as error:
        field_project_create(
            cohort=cohort, host=host, title="X", summary="Y", team=[resident, outsider]
        )
    assert error.value.message_dict["team"] == [
        TEAM_OUTSIDE_COHORT.format(names=outsider.display_name, verb="is", cohort=cohort)
    ]
    assert not FieldProject.objects.exists()


def test_a_resident_is_on_one_project(project, cohort, host, resident):
    """Is a resident already on a team refused for a second project in the cohort?"""
    with pytest.raises(ValidationError) as error:
        field_project_create(cohort=cohort, host=host, title="Other", summary="Y", team=[resident])
    assert error.value.message_dict["team"] == [
        TEAM_MEMBER_TAKEN.format(name=resident.display_name, project=project.title, cohort=cohort)
    ]


def test_staff_create_a_host_and_a_project_through_the_forms(signed_in, staff, cohort, resident):
    """Can staff add a host organization and then a project for it, milestones included?"""
    client = signed_in(staff)
    response = client.post(
        reverse("fieldwork:host-create"),
        {
            "name": "Eastgate Seed Library", "website": "seeds.example.org",
            "mission": "Free seeds.", "needs": "A catalogue.", "contact_name": "Ana",
            "contact_email": "ana@seeds.example.org", "contact_phone": "",
        },
    )  # fmt: skip
    host = HostOrganization.objects.get(name="Eastgate Seed Library")
    assert response.url == reverse("fieldwork:host", args=[host.pk])
    assert host.website == "https://seeds.example.org", "a bare domain gets https"

    form_page = client.get(reverse("fieldwork:project-create") + f"?cohort={cohort.slug}")
    assert resident.display_name in form_page.content.decode()
    response = client.post(
        reverse("fieldwork:project-create") + f"?cohort={cohort.slug}",
        {
            "host": host.pk, "title": "Seed catalogue", "summary": "Search the seeds.",
            "team": [resident.pk], "mentor": "",
            "start_date": cohort_week_start(cohort=cohort, number=13).isoformat(),
        },
    )  # fmt: skip
    project = FieldProject.objects.get(title="Seed catalogue")
    assert response.url == reverse("fieldwork:project", args=[project.pk])
    assert project.milestones.count() == 4
    assert list(project.team.all()) == [resident]


def test_a_host_website_must_be_a_web_link(signed_in, staff):
    """Is a javascript: website refused with a plain message?"""
    response = signed_in(staff).post(
        reverse("fieldwork:host-create"),
        {
            "name": "Bad", "website": "javascript:alert(1)", "mission": "m", "needs": "n",
            "contact_name": "c", "contact_email": "c@example.org",
        },
    )  # fmt: skip
    assert "Links have to start with http:// or https://." in response.content.decode()
    assert not HostOrganization.objects.exists()


def test_the_project_form_refuses_an_empty_team(signed_in, staff, cohort, host):
    response = signed_in(staff).post(
        reverse("fieldwork:project-create") + f"?cohort={cohort.slug}",
        {"host": host.pk, "title": "T", "summary": "S", "start_date": "2026-03-02"},
    )
    assert "Choose at least one resident for the team." in response.content.decode()
    assert not FieldProject.objects.exists()


@pytest.mark.parametrize("who", ["resident", "project_mentor", "guest_instructor"])
def test_only_staff_manage_hosts_and_projects(request, signed_in, project, host, cohort, who):
    """Are the create, edit and reset pages closed to the team, mentors and guests?"""
    client = signed_in(request.getfixturevalue(who))
    token = project.host_token
    for url in (
        reverse("fieldwork:hosts"),
        reverse("fieldwork:host-create"),
        reverse("fieldwork:host-edit", args=[host.pk]),
        reverse("fieldwork:project-create") + f"?cohort={cohort.slug}",
        reverse("fieldwork:project-edit", args=[project.pk]),
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("fieldwork:host-link-reset", args=[project.pk])).status_code == 403
    project.refresh_from_db()
    assert project.host_token == token


def test_staff_pages_render(signed_in, staff, project, host):
    """Do staff's host list, host page and project edit form open, with the project on them?"""
    client = signed_in(staff)
    for url in (
        reverse("fieldwork:hosts"),
        reverse("fieldwork:host", args=[host.pk]),
        reverse("fieldwork:project-edit", args=[project.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert project.title in response.content.decode()


def test_staff_move_a_project_through_the_edit_form(signed_in, staff, project, resident):
    """Does saving the edit form with a later start move every milestone's due date?"""
    before = [m.due_on for m in project.milestones.order_by("kind")]
    start = project.start_date + datetime.timedelta(weeks=1)
    response = signed_in(staff).post(
        reverse("fieldwork:project-edit", args=[project.pk]),
        {
            "host": project.host_id, "title": "Repair tracker 2", "summary": "Still repairs.",
            "team": [resident.pk], "mentor": "", "start_date": start.isoformat(),
        },
    )  # fmt: skip
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.title, project.mentor, list(project.team.all())) == (
        "Repair tracker 2", None, [resident]
    )  # fmt: skip
    assert [m.due_on for m in project.milestones.order_by("kind")] == [
        day + datetime.timedelta(weeks=1) for day in before
    ]


@pytest.mark.parametrize("start", ["9999-12-27", "0001-01-01"])
@pytest.mark.parametrize("page", ["create", "edit"])
def test_a_start_date_off_the_cohorts_schedule_is_a_form_error(
    signed_in, staff, project, cohort, classmate, page, start
):
    """Is a start date outside the cohort's schedule refused with a sentence, never a 500?"""
    before = [m.due_on for m in project.milestones.order_by("kind")]
    url = (
        reverse("fieldwork:project-create") + f"?cohort={cohort.slug}"
        if page == "create"
        else reverse("fieldwork:project-edit", args=[project.pk])
    )
    client = signed_in(staff)
    client.raise_request_exception = False
    response = client.post(
        url,
        {
            "host": project.host_id, "title": "Far away", "summary": "S",
            "team": [classmate.pk], "mentor": "", "start_date": start,
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert "A project starts within" in response.content.decode()
    assert FieldProject.objects.count() == 1
    assert [m.due_on for m in project.milestones.order_by("kind")] == before

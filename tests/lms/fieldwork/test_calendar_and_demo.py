"""Milestone due dates on calendars, and the demo's hosts and projects."""

import datetime

import pytest
from django.utils import timezone

from courses.demo.loader import load_people_and_cohorts
from lms.cohorts.models import Cohort
from lms.fieldwork import demo
from lms.fieldwork.models import DeliverableLink, FieldProject, HostOrganization, Milestone
from lms.fieldwork.selectors import calendar_entries

pytestmark = pytest.mark.django_db


def test_team_and_mentor_get_the_due_dates(
    project, resident, project_mentor, classmate, staff, django_assert_max_num_queries
):
    """Do the team and the project's mentor see four due dates; others none?"""
    with django_assert_max_num_queries(1):
        entries = calendar_entries(user=resident)
    due = [m.due_on for m in project.milestones.order_by("kind")]
    assert [e.start for e in entries] == due
    assert [e.end for e in entries] == [day + datetime.timedelta(days=1) for day in due]
    assert entries[0].summary == "Scoping due: Repair tracker"
    assert entries[0].url == f"/projects/{project.pk}/"
    assert [e.uid for e in calendar_entries(user=project_mentor)] == [e.uid for e in entries]
    assert calendar_entries(user=classmate) == []
    assert calendar_entries(user=staff) == []


def test_the_demo_has_finished_and_planned_projects_and_loads_once():
    """Does Cohort 6 have finished projects with host feedback, Cohort 7 four planned ones, and
    does a second load change nothing?"""
    today = timezone.localdate()
    cohort, users = load_people_and_cohorts(today)
    alumni = Cohort.objects.get(slug="cohort-6")
    demo.demo_load(today=today, cohort=cohort, alumni_cohort=alumni, users=users)

    def snapshot():
        return [
            list(model.objects.order_by("pk").values())
            for model in (HostOrganization, FieldProject, Milestone, DeliverableLink)
        ]

    before = snapshot()
    demo.demo_load(today=today, cohort=cohort, alumni_cohort=alumni, users=users)
    assert snapshot() == before

    assert HostOrganization.objects.count() == 4
    finished = Milestone.objects.filter(project__cohort=alumni)
    assert finished.count() == 8
    assert set(finished.values_list("status", flat=True)) == {"done"}
    assert all(m.host_feedback and m.host_feedback_at for m in finished)
    assert all(m.links.exists() for m in finished)
    planned = FieldProject.objects.filter(cohort=cohort)
    assert planned.count() == 4
    assert sum(p.team.count() for p in planned) == 12, "every resident is on a team"
    assert all(p.start_date > today for p in planned)
